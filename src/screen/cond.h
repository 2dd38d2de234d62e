/* cond.h: screen conditions a script waits on (settled, changed, an image,
 * a colour, a text), checked frame after frame against a framebuffer snapshot.
 * Knows nothing of RFB or of where the frames come from. */
#ifndef VNCBOT_COND_H
#define VNCBOT_COND_H

#include <stdint.h>

#include "screen/screen.h"

enum screen_cond_kind {
	COND_SETTLED, /* nothing in the region changed for quiet_ms */
	COND_CHANGED, /* the region differs from when the wait began */
	COND_IMAGE,   /* the needle is found in the region at >= similarity */
	COND_COLOUR,  /* >= share of the region's pixels are rgb (± tolerance) */
	COND_TEXT,    /* text read by OCR in the region at >= similarity (ocr.h) */
};

struct ocr_engine;

struct screen_cond {
	enum screen_cond_kind kind;
	struct screen_region region; /* w == 0 && h == 0: the whole screen */
	long quiet_ms;               /* settled */
	struct screen_image needle;  /* image: owned by whoever made the cond */
	double similarity;           /* image, text: 0..1 */
	const char *text;            /* text: what to find (whoever made the cond owns it) */
	struct ocr_engine *ocr;      /* text: the engine that reads, lent for the wait;
				      * NULL: the text is never seen */
	uint32_t rgb;                /* colour: 0xRRGGBB */
	double share;                /* colour: 0..1 */
	int tolerance;               /* colour: per channel, 0..255 */
};

/* What a wait has seen so far; zero it before the first check. */
struct screen_watch {
	int started;
	uint64_t first_hash, last_hash;
	long long last_change_ms;
	double score;    /* image: best similarity; colour: share; last check */
	int at_x, at_y;  /* image, text: where the best match is */
	int at_w, at_h;  /* text: the size of the words it covers */
	char seen[160];  /* text: the closest text read ("" if none) */
	/* screen_cond_update's memory: the region's tile hashes as last seen
	 * and, for changed, as when the wait began; the last result. */
	struct screen_tiles tiles, base;
	int met;
};

/* Check cond against img, taken at now_ms (monotonic). Returns 1 when the
 * condition holds, else 0. Settled and changed compare with what earlier
 * checks saw, so call it again on every new frame and now and then when no
 * frame comes (a still screen sends none). */
int screen_cond_check(const struct screen_cond *c, struct screen_watch *w,
		      const struct screen_image *img, long long now_ms);

/* The same check for a wait that knows what arrived since its last call:
 * damage[0..n) are the rectangles the server sent (n 0: none, only time
 * passed), or damage NULL: anything may have changed (the first call, a
 * resize). The work follows what changed: nothing is looked at again when
 * nothing in the region changed, settled and changed hash again only the
 * tiles the damage touches, and image and colour (any other kind) are
 * checked again by screen_cond_check only when a tile of the region
 * changed. before (may be NULL; used by the first call): for changed, the
 * screen to compare with (the one before the last keys), if of img's size;
 * else the first img. Returns 1 when the condition holds, else 0; w must be
 * zeroed before the first call and freed with screen_watch_free. */
int screen_cond_update(const struct screen_cond *c, struct screen_watch *w,
		       const struct screen_image *img, const struct screen_image *before,
		       const struct screen_region *damage, int n, long long now_ms);

/* When settled will hold if nothing changes until then (monotonic ms);
 * LLONG_MAX for every other kind, which only a change can make hold. */
long long screen_cond_due(const struct screen_cond *c, const struct screen_watch *w);

/* Free what screen_cond_update keeps in w; the fields messages read stay. */
void screen_watch_free(struct screen_watch *w);

/* "the screen to settle for 1s", "image login.png in 0,0,200,40 (best 0.91)"
 * into buf, for logs and error messages. */
void screen_cond_describe(const struct screen_cond *c, const struct screen_watch *w,
			  const char *needle_name, char *buf, size_t size);

#endif
