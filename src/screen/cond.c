/* cond.c: checking a screen condition against successive snapshots. The
 * image and colour tests are screen.c's, reading and matching text ocr/'s;
 * this file adds the memory that "settled" and "changed" need and the words
 * a log uses for each. */
#include "screen/cond.h"

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
