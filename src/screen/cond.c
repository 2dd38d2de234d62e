/* cond.c: checking a screen condition against successive snapshots. The
 * image and colour tests are screen.c's, reading and matching text ocr/'s;
 * this file adds the memory that "settled" and "changed" need and the words
 * a log uses for each. */
#include "screen/cond.h"

#include <limits.h>
#include <stdio.h>

#include "ocr/ocr.h"
#include "util/log.h"

static uint64_t region_hash(const struct screen_image *img, struct screen_region r)
{
	r = screen_clip(img, r);
	return screen_hash(img, r.x, r.y, r.w, r.h);
}

/* Text: read the region (the engine skips it if its pixels did not change)
 * and keep the closest match for the message. */
static int text_check(const struct screen_cond *c, struct screen_watch *w,
		      const struct screen_image *img)
{
	const struct ocr_result *res;
	struct ocr_match m;
	struct vb_error err;

	if (!c->ocr || !c->text)
		return 0;
	if (ocr_read(c->ocr, img, c->region, &res, NULL, &err) < 0) {
		log_msg(LOG_VERBOSE, "%s", err.message);
		return 0;
	}
	ocr_match(res, c->text, &m);
	w->started = 1;
	w->score = m.score;
	w->at_x = m.box.x;
	w->at_y = m.box.y;
	w->at_w = m.box.w;
	w->at_h = m.box.h;
	snprintf(w->seen, sizeof(w->seen), "%s", m.seen);
	return m.score >= c->similarity;
}

int screen_cond_check(const struct screen_cond *c, struct screen_watch *w,
		      const struct screen_image *img, long long now_ms)
{
	uint64_t h;

	switch (c->kind) {
	case COND_SETTLED:
	case COND_CHANGED:
		h = region_hash(img, c->region);
		if (!w->started) {
			w->started = 1;
			w->first_hash = w->last_hash = h;
			w->last_change_ms = now_ms;
		} else if (h != w->last_hash) {
			w->last_hash = h;
			w->last_change_ms = now_ms;
		}
		if (c->kind == COND_CHANGED)
			return h != w->first_hash;
		return now_ms - w->last_change_ms >= c->quiet_ms;
	case COND_IMAGE:
		w->started = 1;
		w->score = screen_find(img, &c->needle, c->region, c->similarity,
				       &w->at_x, &w->at_y);
		return w->score >= c->similarity;
	case COND_COLOUR:
		w->started = 1;
		w->score = screen_colour_share(img, c->region, c->rgb, c->tolerance);
		return w->score >= c->share;
	case COND_TEXT:
		return text_check(c, w, img);
	}
	return 0;
}

/* An image not found so far, after damage[0..n): only positions whose
 * window overlaps the damage can have come to match, so only they are
 * searched, and a match among them is the one a search of the whole region
 * would give (screen_find: the most similar, first among equals). The best
 * seen for messages is kept unless the damage reached it. */
static int image_recheck(const struct screen_cond *c, struct screen_watch *w,
			 const struct screen_image *img, const struct screen_region *damage,
			 int n)
{
	struct screen_region r = screen_clip(img, c->region), box, hurt;
	long long x0 = LLONG_MAX, y0 = LLONG_MAX, x1 = LLONG_MIN, y1 = LLONG_MIN;
	double score;
	int i, x, y, nw = c->needle.width, nh = c->needle.height;

	for (i = 0; i < n; i++) {
		struct screen_region d = screen_clip(img, damage[i]);

		if (d.w == 0 || d.h == 0 || damage[i].w <= 0 || damage[i].h <= 0)
			continue;
		x0 = d.x < x0 ? d.x : x0;
		y0 = d.y < y0 ? d.y : y0;
		x1 = (long long)d.x + d.w > x1 ? (long long)d.x + d.w : x1;
		y1 = (long long)d.y + d.h > y1 ? (long long)d.y + d.h : y1;
	}
	if (x0 >= x1 || y0 >= y1 || r.w == 0)
		return 0;
	hurt.x = (int)x0;
	hurt.y = (int)y0;
	hurt.w = (int)(x1 - x0);
	hurt.h = (int)(y1 - y0);
	/* Windows overlapping it start up to a needle's size before it. */
	x0 = x0 - nw + 1 > r.x ? x0 - nw + 1 : r.x;
	y0 = y0 - nh + 1 > r.y ? y0 - nh + 1 : r.y;
	x1 = x1 + nw - 1 < (long long)r.x + r.w ? x1 + nw - 1 : (long long)r.x + r.w;
	y1 = y1 + nh - 1 < (long long)r.y + r.h ? y1 + nh - 1 : (long long)r.y + r.h;
	if (x0 >= x1 || y0 >= y1)
		return 0;
	box.x = (int)x0;
	box.y = (int)y0;
	box.w = (int)(x1 - x0);
	box.h = (int)(y1 - y0);
	score = screen_find(img, &c->needle, box, c->similarity, &x, &y);
	if (x < 0)
		return 0; /* no window fits there: none overlaps the damage */
	/* The best seen so far stays unless this is better or the damage
	 * reached its window. */
	if (score > w->score || w->at_x < 0 ||
	    (w->at_x + nw > hurt.x && w->at_x < hurt.x + hurt.w && w->at_y + nh > hurt.y &&
	     w->at_y < hurt.y + hurt.h)) {
		w->score = score;
		w->at_x = x;
		w->at_y = y;
	}
	return score >= c->similarity;
}

int screen_cond_update(const struct screen_cond *c, struct screen_watch *w,
		       const struct screen_image *img, const struct screen_image *before,
		       const struct screen_region *damage, int n, long long now_ms)
{
	int first = !w->tiles.hash && !w->started, changed = 0, i;

	if (!damage || img->width != w->tiles.width || img->height != w->tiles.height) {
		struct screen_tiles fresh;

		if (screen_tiles_init(&fresh, img, c->region) < 0)
			changed = 1; /* out of memory: keep checking in full */
		else
			changed = first || screen_tiles_differ(&fresh, &w->tiles) > 0;
		screen_tiles_free(&w->tiles);
		w->tiles = fresh;
	} else {
		for (i = 0; i < n; i++)
			changed += screen_tiles_update(&w->tiles, img, damage[i]);
	}
	if (first) {
		w->started = 1;
		w->last_change_ms = now_ms;
		if (c->kind == COND_CHANGED) {
			if (!before || !before->pixels || before->width != img->width ||
			    before->height != img->height ||
			    screen_tiles_init(&w->base, before, c->region) < 0)
				screen_tiles_init(&w->base, img, c->region);
		}
	}
	switch (c->kind) {
	case COND_SETTLED:
		if (changed && !first)
			w->last_change_ms = now_ms;
		w->met = now_ms - w->last_change_ms >= c->quiet_ms;
		break;
	case COND_CHANGED:
		if (changed || first)
			w->met = screen_tiles_differ(&w->tiles, &w->base) > 0;
		break;
	case COND_IMAGE:
		if (changed && !first && damage && !w->met && w->tiles.hash)
			w->met = image_recheck(c, w, img, damage, n);
		else if (changed || first || !w->tiles.hash)
			w->met = screen_cond_check(c, w, img, now_ms);
		break;
	default:
		if (changed || first || !w->tiles.hash)
			w->met = screen_cond_check(c, w, img, now_ms);
		break;
	}
	return w->met;
}

long long screen_cond_due(const struct screen_cond *c, const struct screen_watch *w)
{
	if (c->kind != COND_SETTLED || !w->started)
		return LLONG_MAX;
	return w->last_change_ms + c->quiet_ms;
}

void screen_watch_free(struct screen_watch *w)
{
	screen_tiles_free(&w->tiles);
	screen_tiles_free(&w->base);
}

static void region_text(const struct screen_region *r, char *buf, size_t size)
{
	if (r->w == 0 && r->h == 0 && r->x == 0 && r->y == 0)
		snprintf(buf, size, "on the screen");
	else
		snprintf(buf, size, "in %d,%d,%d,%d", r->x, r->y, r->w, r->h);
}

void screen_cond_describe(const struct screen_cond *c, const struct screen_watch *w,
			  const char *needle_name, char *buf, size_t size)
{
	char where[64];

	region_text(&c->region, where, sizeof(where));
	switch (c->kind) {
	case COND_SETTLED:
		snprintf(buf, size, "the screen to stay still for %.1fs (%s)",
			 c->quiet_ms / 1000.0, where);
		break;
	case COND_CHANGED:
		snprintf(buf, size, "the screen to change (%s)", where);
		break;
	case COND_IMAGE:
		if (w && w->started)
			snprintf(buf, size, "image %s %s at similarity %.2f (best seen %.3f at %d,%d)",
				 needle_name ? needle_name : "", where, c->similarity, w->score,
				 w->at_x, w->at_y);
		else
			snprintf(buf, size, "image %s %s at similarity %.2f",
				 needle_name ? needle_name : "", where, c->similarity);
		break;
	case COND_COLOUR:
		if (w && w->started)
			snprintf(buf, size, "colour #%06X to cover %.0f%% %s (seen %.1f%%)",
				 c->rgb, c->share * 100, where, w->score * 100);
		else
			snprintf(buf, size, "colour #%06X to cover %.0f%% %s", c->rgb,
				 c->share * 100, where);
		break;
	case COND_TEXT:
		if (w && w->started && w->seen[0])
			snprintf(buf, size, "text \"%s\" %s similar %.0f%% (closest seen: '%s' "
				 "(%.0f%%) at %d,%d)", c->text ? c->text : "", where,
				 c->similarity * 100, w->seen, w->score * 100, w->at_x, w->at_y);
		else
			snprintf(buf, size, "text \"%s\" %s similar %.0f%% (%s)",
				 c->text ? c->text : "", where, c->similarity * 100,
				 w && w->started ? "no text read there" : "nothing read yet");
		break;
	}
}
