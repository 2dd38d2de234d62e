/* ocr.c: the OCR engine: Tesseract loaded once, lazily, by whoever needs
 * text (a script without text statements never loads it); a region of a
 * snapshot made into what Tesseract reads best (grey, dark text on a light
 * ground whatever the console's colours, small bitmap fonts scaled up); its
 * own layout of console lines; their words back in screen coordinates; the
 * last result per region and each line read remembered by a hash of their
 * pixels, so that only what changed is read again. Matching what was read
 * is match.c's. */
#include "ocr/ocr.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <tesseract/capi.h>

#include "util/clock.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* Console fonts are 8x16 or so, smaller than Tesseract's LSTM reads well:
 * the region is scaled up by SCALE10 / 10, bilinear (bench/ocr: 1.5 reads
 * xterm's DejaVu 10 and 14 pt and the practice console's bitmap font as
 * well as 2 or 3 do, 10-30 % faster; nearest-neighbour reads worse). */
#define SCALE10 15
/* Ground rows kept above and below a line of text: Tesseract scales each
 * line to its network's height, so more ground makes it faster and reads
 * worse (bench/ocr: 3 px). */
#define LINE_PAD 3
/* White around the region: Tesseract misses text that touches the edge. */
#define OCR_MARGIN 8
/* The ground is decided per tile of this many source pixels: a console
 * window, its title bar and the desktop around it each have their own, and
 * text a few pixels from a window's edge is in a tile of its window's. */
#define TILE_W 16
#define TILE_H 16
/* Regions remembered with their last result. */
#define OCR_CACHE 8
/* Lines remembered with what they read, by the hash of their pixels: a
 * console that scrolls or changes one line costs one line's recognition. */
#define LINE_CACHE 512

struct cache_entry {
	int used;                 /* 0: free */
	struct screen_region region;
	uint64_t hash;
	int partial;              /* cut short by the deadline: never reused */
	unsigned long last_use;
	struct ocr_result result;
};

/* A word read in a stretch, its box relative to the stretch's corner. */
struct line_word {
	char *text;
	struct screen_region box;
	int line; /* which of the stretch's lines (a tall stretch has several) */
};

struct line_entry {
	uint64_t hash;     /* 0: free */
	unsigned long last_use;
	struct line_word *words;
	size_t nwords;
};

struct ocr_engine {
	TessBaseAPI *api;
	struct cache_entry cache[OCR_CACHE];
	struct line_entry lines[LINE_CACHE];
	unsigned long uses;
	uint8_t *grey;   /* the prepared region, reused */
	size_t grey_size;
	uint8_t *page;   /* the region scaled up for Tesseract, reused */
	size_t page_size;
	long long deadline; /* ocr_set_deadline's, or 0 */
	int reads;          /* readings since it was set */
	int cut;            /* the reading under way skipped a line for it */
	struct line_entry skipped; /* what a skipped line adds: nothing */
};

/* ---- results ---- */

static void result_clear(struct ocr_result *r)
{
	size_t i;

	for (i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	for (i = 0; i < r->nwords; i++)
		free(r->words[i].text);
	free(r->lines);
	free(r->words);
	memset(r, 0, sizeof(*r));
}

static void line_entry_clear(struct line_entry *l)
{
	size_t i;

	for (i = 0; i < l->nwords; i++)
		free(l->words[i].text);
	free(l->words);
	memset(l, 0, sizeof(*l));
}

char *ocr_result_text(const struct ocr_result *r)
{
	struct strbuf t = { 0 };
	size_t i;

	strbuf_add(&t, "", 0);
	for (i = 0; i < r->nlines; i++) {
		if (i)
			strbuf_putc(&t, '\n');
		strbuf_puts(&t, r->lines[i].text);
	}
	return strbuf_take(&t);
}

/* ---- loading ---- */

static int file_exists(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) >= sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Tesseract runs its LSTM layers with `omp parallel num_threads(N)`, which
 * only OMP_THREAD_LIMIT (read when libgomp loads, before main) or a max
 * active level of 0 holds to one thread. libgomp is Tesseract's dependency,
 * not ours, so it is reached through the symbols already loaded. */
static void limit_omp_threads(void)
{
	void (*set_levels)(int);
	void (*set_threads)(int);

	setenv("OMP_THREAD_LIMIT", "1", 0); /* for a runtime loaded later */
	*(void **)&set_levels = dlsym(RTLD_DEFAULT, "omp_set_max_active_levels");
	*(void **)&set_threads = dlsym(RTLD_DEFAULT, "omp_set_num_threads");
	if (set_levels)
		set_levels(0);
	if (set_threads)
		set_threads(1);
}

struct ocr_engine *ocr_new(struct vb_error *err)
{
	const char *prefix = getenv("TESSDATA_PREFIX");
	char dir[4096];
	struct ocr_engine *e;

	/* TESSDATA_PREFIX is the tessdata directory itself (Tesseract 4 and
	 * later), or its parent as Tesseract 3 had it. */
	if (prefix && *prefix) {
		snprintf(dir, sizeof(dir), "%s", prefix);
		if (!file_exists(dir, "eng.traineddata")) {
			char sub[4096];

			if ((size_t)snprintf(sub, sizeof(sub), "%s/tessdata", prefix) < sizeof(sub) &&
			    file_exists(sub, "eng.traineddata"))
				memcpy(dir, sub, sizeof(dir));
		}
	} else {
		snprintf(dir, sizeof(dir), "%s", OCR_TESSDATA_DIR);
	}
	if (!file_exists(dir, "eng.traineddata")) {
		vb_fail(err, VB_USAGE, "text on the screen needs Tesseract's English data: no "
			"eng.traineddata in %s%s", dir, prefix && *prefix ? " (TESSDATA_PREFIX)" : "");
		vb_hint(err, "install it with: apt-get install tesseract-ocr-eng (or set "
			"TESSDATA_PREFIX to the directory that holds eng.traineddata)");
		return NULL;
	}
	limit_omp_threads();
	e = xcalloc(1, sizeof(*e));
	e->api = TessBaseAPICreate();
	if (!e->api || TessBaseAPIInit2(e->api, dir, "eng", OEM_LSTM_ONLY) != 0) {
		vb_fail(err, VB_USAGE, "Tesseract could not load eng.traineddata from %s", dir);
		vb_hint(err, "reinstall it: apt-get install --reinstall tesseract-ocr-eng");
		ocr_free(e);
		return NULL;
	}
	/* Inverting is done here, once, per tile (prepare_grey). Tesseract's
	 * own layout analysis is not used: find_stretches knows consoles. */
	TessBaseAPISetVariable(e->api, "tessedit_do_invert", "0");
	TessBaseAPISetVariable(e->api, "debug_file", "/dev/null");
	log_msg(LOG_VERBOSE, "OCR: Tesseract %s with %s/eng.traineddata", TessVersion(), dir);
	return e;
}

void ocr_free(struct ocr_engine *e)
{
	size_t i;

	if (!e)
		return;
	for (i = 0; i < OCR_CACHE; i++)
		result_clear(&e->cache[i].result);
	for (i = 0; i < LINE_CACHE; i++)
		line_entry_clear(&e->lines[i]);
	if (e->api) {
		TessBaseAPIEnd(e->api);
		TessBaseAPIDelete(e->api);
	}
	free(e->grey);
	free(e->page);
	free(e);
}

void ocr_set_deadline(struct ocr_engine *e, long long deadline_ms)
{
	e->deadline = deadline_ms;
	e->reads = 0;
}

void ocr_forget(struct ocr_engine *e)
{
	size_t i;

	for (i = 0; i < OCR_CACHE; i++) {
		result_clear(&e->cache[i].result);
		e->cache[i].used = 0;
	}
	for (i = 0; i < LINE_CACHE; i++)
		line_entry_clear(&e->lines[i]);
}

/* ---- the hash ---- */

uint64_t ocr_region_hash(const struct screen_image *img, struct screen_region region)
{
	const uint64_t mask = 0x00FFFFFF00FFFFFFull, prime = 0x100000001B3ull;
	struct screen_region r = screen_clip(img, region);
	uint64_t lane[4] = { 0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full,
			     0x165667B19E3779F9ull, 0x27D4EB2F165667C5ull };
	int x, y, k;

	/* Eight pixels a step in four independent lanes (a multiply's latency
	 * is the cost, not the bytes); the X byte of each pixel is padding. */
	for (y = r.y; y < r.y + r.h; y++) {
		const uint8_t *row = img->pixels + (size_t)y * img->stride + (size_t)r.x * 4;
		uint64_t v[4];

		for (x = 0; x + 8 <= r.w; x += 8, row += 32) {
			memcpy(v, row, 32);
			for (k = 0; k < 4; k++) {
				lane[k] = (lane[k] ^ (v[k] & mask)) * prime;
				lane[k] ^= lane[k] >> 29;
			}
		}
		for (; x < r.w; x++, row += 4) {
			uint32_t p;

			memcpy(&p, row, 4);
			lane[0] = (lane[0] ^ (p & 0x00FFFFFFu)) * prime;
			lane[0] ^= lane[0] >> 29;
		}
		lane[1] ^= (uint64_t)y; /* the same bytes in other rows differ */
	}
	return ((lane[0] * prime ^ lane[1]) * prime ^ lane[2]) * prime ^ lane[3] ^
	       ((uint64_t)r.w << 32 | (uint64_t)r.h);
}

/* ---- preparing the image ---- */

static inline int luma(const uint8_t *p)
{
	return (p[0] * 77 + p[1] * 150 + p[2] * 29) >> 8;
}

/* The region as 8-bit grey, dark text on white: each tile's most common
 * grey is its ground, and a pixel is as dark as it is far from its ground,
 * so light-on-dark, dark-on-light and colour on colour all come out alike. */
static void prepare_grey(const struct screen_image *img, struct screen_region r, uint8_t *out)
{
	int tx, ty, x, y;

	for (ty = 0; ty < r.h; ty += TILE_H)
		for (tx = 0; tx < r.w; tx += TILE_W) {
			int hist[256] = { 0 }, ground = 0, b;
			int tw = r.w - tx < TILE_W ? r.w - tx : TILE_W;
			int th = r.h - ty < TILE_H ? r.h - ty : TILE_H;

			for (y = ty; y < ty + th; y++) {
				const uint8_t *p = img->pixels + (size_t)(r.y + y) * img->stride +
						   (size_t)(r.x + tx) * 4;

				for (x = 0; x < tw; x++, p += 4) {
					int l = luma(p);

					out[(size_t)y * r.w + tx + x] = (uint8_t)l;
					hist[l]++;
				}
			}
			/* The most common grey exactly: a flat ground is the same
			 * whatever else the tile holds, so a line reads the same
			 * wherever it is (the line cache depends on it). */
			for (b = 1; b < 256; b++)
				if (hist[b] > hist[ground])
					ground = b;
			for (y = ty; y < ty + th; y++)
				for (x = 0; x < tw; x++) {
					uint8_t *q = &out[(size_t)y * r.w + tx + x];
					int d = abs(*q - ground);

					*q = (uint8_t)(d >= 128 ? 0 : 255 - 2 * d);
				}
		}
}

/* grey (w x h, stride bytes a row) scaled by SCALE10 / 10 (bilinear) into a
 * white page with a margin of OCR_MARGIN: page is pw x ph. */
static void scale_onto_page(const uint8_t *grey, int w, int h, int stride, uint8_t *page,
			    int pw, int ph)
{
	int x, y;

	memset(page, 255, (size_t)pw * ph);
	for (y = 0; y < h * SCALE10 / 10; y++) {
		/* Source coordinates in 1/256 of a pixel, centres aligned. */
		int sy = ((2 * y + 1) * 2560 / SCALE10 - 256) / 2;
		int y0, fy;

		if (sy < 0)
			sy = 0;
		y0 = sy >> 8;
		fy = sy & 255;
		if (y0 >= h - 1) {
			y0 = h - 1;
			fy = 0;
		}
		for (x = 0; x < w * SCALE10 / 10; x++) {
			int sx = ((2 * x + 1) * 2560 / SCALE10 - 256) / 2;
			int x0, fx, a, b, c, d, top, bottom;
			const uint8_t *r0, *r1;

			if (sx < 0)
				sx = 0;
			x0 = sx >> 8;
			fx = sx & 255;
			if (x0 >= w - 1) {
				x0 = w - 1;
				fx = 0;
			}
			r0 = grey + (size_t)y0 * stride;
			r1 = fy ? r0 + stride : r0;
			a = r0[x0];
			b = fx ? r0[x0 + 1] : a;
			c = r1[x0];
			d = fx ? r1[x0 + 1] : c;
			top = a * (256 - fx) + b * fx;
			bottom = c * (256 - fx) + d * fx;
			page[(size_t)(y + OCR_MARGIN) * pw + x + OCR_MARGIN] =
				(uint8_t)((top * (256 - fy) + bottom * fy) >> 16);
		}
	}
}

/* ---- finding the lines ---- */

/* A pixel of the prepared image that is ink. */
#define INK 128

/* A stretch of text: rows y0..y1-1, columns x0..x1-1 of the region. */
struct stretch {
	int x0, y0, x1, y1;
};

/* The stretches of text in the prepared region (w x h), as a console lays
 * them out: bands of rows with ink, cut where a band has a wide gap
 * (columns, windows side by side). Columns with ink in most rows (window
 * borders; in a region of one line, in every row) and bands too thin for
 * text (rules) are left out, and made ground in grey. Returns how
 * many; *out is the caller's to free. */
static size_t find_stretches(uint8_t *grey, int w, int h, struct stretch **out)
{
	int *col = xcalloc((size_t)w, sizeof(int)), *row = xcalloc((size_t)h, sizeof(int));
	uint8_t *rule = xcalloc((size_t)w, 1);
	struct stretch *list = NULL;
	struct {
		int y0, y1;
	} *bands;
	size_t n = 0, nb = 0, b;
	int x, y, y0;

	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			col[x] += grey[(size_t)y * w + x] < INK;
	for (x = 0; x < w; x++)
		rule[x] = h >= 32 ? col[x] * 10 > h * 6 : col[x] == h;
	/* Rules are ground to Tesseract too: a border beside a line is no '|'. */
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++)
			if (rule[x])
				grey[(size_t)y * w + x] = 255;
	for (y = 0; y < h; y++) {
		int across = 0;

		for (x = 0; x < w; x++) {
			row[y] += !rule[x] && grey[(size_t)y * w + x] < INK;
			across += !rule[x];
		}
		/* A row of ink from side to side is a rule (a window's edge, the
		 * ground of the tiles it shares with another), never text. */
		if (across >= 32 && row[y] * 10 > across * 9) {
			row[y] = 0;
			memset(grey + (size_t)y * w, 255, (size_t)w);
		}
	}
	/* The bands of rows with ink; a thin one (an underscore, a dot, an
	 * accent) joins the band it is within a few rows of, or is dropped
	 * (a rule). */
	bands = xmalloc(((size_t)h / 2 + 1) * sizeof(*bands));
	for (y = 0; y < h;) {
		if (!row[y]) {
			y++;
			continue;
		}
		for (y0 = y; y < h && row[y]; y++)
			;
		if (y - y0 >= 4 && nb && bands[nb - 1].y1 - bands[nb - 1].y0 < 4 &&
		    y0 - bands[nb - 1].y1 <= 3) {
			bands[nb - 1].y1 = y; /* an accent above joins its line */
			continue;
		}
		if (nb && bands[nb - 1].y1 - bands[nb - 1].y0 < 4)
			nb--; /* the thin band before joined nothing: a rule */
		if (y - y0 < 4 && nb && y0 - bands[nb - 1].y1 <= 3) {
			bands[nb - 1].y1 = y; /* an underscore joins the line above */
			continue;
		}
		bands[nb].y0 = y0;
		bands[nb++].y1 = y;
	}
	if (nb && bands[nb - 1].y1 - bands[nb - 1].y0 < 4)
		nb--;
	/* Ink outside every band (a rule, a speck) would show in the ground
	 * kept around the lines next to it. */
	for (y = 0, b = 0; y < h; y++) {
		while (b < nb && bands[b].y1 <= y)
			b++;
		if (row[y] && !(b < nb && bands[b].y0 <= y))
			memset(grey + (size_t)y * w, 255, (size_t)w);
	}
	for (b = 0; b < nb; b++) {
		int y1 = bands[b].y1, gap_min;

		y0 = bands[b].y0;
		/* Across the band: cut at gaps of six line heights or more. */
		gap_min = 6 * (y1 - y0) < 48 ? 48 : 6 * (y1 - y0);
		for (x = 0; x < w;) {
			int x0, last = -1, blank = 0, yy;

			for (x0 = -1; x < w; x++) {
				int ink = 0;

				for (yy = y0; yy < y1 && !ink; yy++)
					ink = !rule[x] && grey[(size_t)yy * w + x] < INK;
				if (ink) {
					if (x0 < 0)
						x0 = x;
					last = x;
					blank = 0;
				} else if (x0 >= 0 && ++blank >= gap_min) {
					break;
				}
			}
			if (x0 < 0)
				break;
			list = xgrow(list, n, sizeof(*list));
			list[n++] = (struct stretch){ x0, y0, last + 1, y1 };
		}
	}
	free(bands);
	free(col);
	free(row);
	free(rule);
	*out = list;
	return n;
}

/* ---- recognising ---- */

/* A box on the page back to the pixels of the stretch at x, y (w x h) of
 * the region. */
static struct screen_region from_page(int left, int top, int right, int bottom, int x, int y,
				      int w, int h)
{
	struct screen_region b;

	left = (left - OCR_MARGIN) * 10 / SCALE10 - x;
	top = (top - OCR_MARGIN) * 10 / SCALE10 - y;
	right = ((right - OCR_MARGIN) * 10 + SCALE10 - 1) / SCALE10 - x;
	bottom = ((bottom - OCR_MARGIN) * 10 + SCALE10 - 1) / SCALE10 - y;
	left = left < 0 ? 0 : left;
	top = top < 0 ? 0 : top;
	right = right > w ? w : right;
	bottom = bottom > h ? h : bottom;
	b.x = left;
	b.y = top;
	b.w = right > left ? right - left : 0;
	b.h = bottom > top ? bottom - top : 0;
	return b;
}

/* The words Tesseract read in the stretch at x, y (w x h) of the page, into
 * l (boxes relative to the stretch). */
static void collect(struct ocr_engine *e, int x, int y, int w, int h, struct line_entry *l)
{
	TessResultIterator *it = TessBaseAPIGetIterator(e->api);
	const TessPageIterator *pi;
	int line = -1;

	if (!it)
		return;
	pi = TessResultIteratorGetPageIteratorConst(it);
	do {
		int left, top, right, bottom;
		char *text;
		struct line_word *wd;

		if (TessPageIteratorIsAtBeginningOf(pi, RIL_TEXTLINE))
			line++;
		if (!TessPageIteratorBoundingBox(pi, RIL_WORD, &left, &top, &right, &bottom))
			continue;
		text = TessResultIteratorGetUTF8Text(it, RIL_WORD);
		if (!text || strspn(text, " \t\n") == strlen(text)) {
			TessDeleteText(text);
			continue;
		}
		l->words = xgrow(l->words, l->nwords, sizeof(*l->words));
		wd = &l->words[l->nwords++];
		wd->text = xstrdup(text);
		wd->box = from_page(left, top, right, bottom, x, y, w, h);
		wd->line = line < 0 ? 0 : line;
		TessDeleteText(text);
	} while (TessResultIteratorNext(it, RIL_WORD));
	TessResultIteratorDelete(it);
}

/* The hash of a stretch's prepared pixels (w x h at x, y of the region,
 * rw wide), with its size and how it is read. */
static uint64_t stretch_hash(const uint8_t *grey, int rw, int x, int y, int w, int h,
			     int one_line)
{
	uint64_t hash = 0xCBF29CE484222325ull ^ ((uint64_t)w << 40 | (uint64_t)h << 8 | one_line);
	int row, k;

	for (row = y; row < y + h; row++) {
		const uint8_t *p = grey + (size_t)row * rw + x;
		uint64_t v;

		for (k = 0; k + 8 <= w; k += 8) {
			memcpy(&v, p + k, 8);
			hash = (hash ^ v) * 0x100000001B3ull;
			hash ^= hash >> 29;
		}
		for (; k < w; k++)
			hash = (hash ^ p[k]) * 0x100000001B3ull;
	}
	return hash ? hash : 1; /* 0 marks a free entry */
}

/* What the stretch at x, y (w x h) of the prepared region (rw x rh) says:
 * from the line cache, or read now and remembered. The first stretch read
 * puts the whole region, scaled, before Tesseract (*page_set), and each is
 * then read as a rectangle of it: Tesseract reads a short line in its page
 * better than on a page of its own. Returns the entry, or NULL with err if
 * Tesseract fails. */
static struct line_entry *read_stretch(struct ocr_engine *e, int rw, int rh, int x, int y,
				       int w, int h, int one_line, int *page_set,
				       struct vb_error *err)
{
	uint64_t hash = stretch_hash(e->grey, rw, x, y, w, h, one_line);
	struct line_entry *slot = &e->lines[0];
	size_t i;

	for (i = 0; i < LINE_CACHE; i++) {
		struct line_entry *l = &e->lines[i];

		if (l->hash == hash) {
			l->last_use = e->uses;
			return l;
		}
		if (l->last_use < slot->last_use || (slot->hash && !l->hash))
			slot = l;
	}
	/* A wait past its deadline reads no new line (its first reading is
	 * whole: the screen as it is decides). */
	if (e->deadline && e->reads > 0 && clock_now_ms() >= e->deadline) {
		e->cut = 1;
		return &e->skipped;
	}
	line_entry_clear(slot);
	if (!*page_set) {
		int pw = rw * SCALE10 / 10 + 2 * OCR_MARGIN, ph = rh * SCALE10 / 10 + 2 * OCR_MARGIN;

		if ((size_t)pw * ph > e->page_size) {
			free(e->page);
			e->page_size = (size_t)pw * ph;
			e->page = xmalloc(e->page_size);
		}
		scale_onto_page(e->grey, rw, rh, rw, e->page, pw, ph);
		TessBaseAPISetImage(e->api, e->page, pw, ph, 1, pw);
		TessBaseAPISetSourceResolution(e->api, 7 * SCALE10);
		*page_set = 1;
	}
	TessBaseAPISetPageSegMode(e->api, one_line ? PSM_SINGLE_LINE : PSM_SINGLE_BLOCK);
	TessBaseAPISetRectangle(e->api, OCR_MARGIN + x * SCALE10 / 10,
				OCR_MARGIN + y * SCALE10 / 10, w * SCALE10 / 10, h * SCALE10 / 10);
	if (TessBaseAPIRecognize(e->api, NULL) != 0) {
		vb_fail(err, VB_FAILED, "OCR: Tesseract could not read the text at %d,%d (%dx%d)",
			x, y, w, h);
		return NULL;
	}
	collect(e, x, y, w, h, slot);
	slot->hash = hash;
	slot->last_use = e->uses;
	return slot;
}

/* Add the words of a stretch read at x, y of region r to res: a line per
 * line Tesseract found in it. */
static void add_stretch(struct ocr_result *res, const struct line_entry *l,
			struct screen_region r, int x, int y)
{
	struct strbuf text = { 0 };
	struct ocr_line *ln = NULL;
	size_t i;
	int line = -1;

	for (i = 0; i < l->nwords; i++) {
		const struct line_word *lw = &l->words[i];
		struct ocr_word *wd;
		struct screen_region b = { r.x + x + lw->box.x, r.y + y + lw->box.y, lw->box.w,
					   lw->box.h };

		if (!ln || lw->line != line) {
			if (ln)
				ln->text = strbuf_take(&text);
			res->lines = xgrow(res->lines, res->nlines, sizeof(*res->lines));
			ln = &res->lines[res->nlines++];
			memset(ln, 0, sizeof(*ln));
			ln->first_word = res->nwords;
			ln->box = b;
			line = lw->line;
			strbuf_add(&text, "", 0);
		} else {
			int x1 = ln->box.x + ln->box.w > b.x + b.w ? ln->box.x + ln->box.w : b.x + b.w;
			int y1 = ln->box.y + ln->box.h > b.y + b.h ? ln->box.y + ln->box.h : b.y + b.h;

			ln->box.x = ln->box.x < b.x ? ln->box.x : b.x;
			ln->box.y = ln->box.y < b.y ? ln->box.y : b.y;
			ln->box.w = x1 - ln->box.x;
			ln->box.h = y1 - ln->box.y;
			strbuf_putc(&text, ' ');
		}
		res->words = xgrow(res->words, res->nwords, sizeof(*res->words));
		wd = &res->words[res->nwords++];
		wd->text = xstrdup(lw->text);
		wd->box = b;
		ln->nwords++;
		strbuf_puts(&text, lw->text);
	}
	if (ln)
		ln->text = strbuf_take(&text);
	strbuf_free(&text);
}

static int recognise(struct ocr_engine *e, const struct screen_image *img,
		     struct screen_region r, struct ocr_result *res, struct vb_error *err)
{
	size_t need = (size_t)r.w * r.h, n, i, k;
	struct stretch *st;
	int *heights, typical, rc = 0, page_set = 0;

	if (need > e->grey_size) {
		free(e->grey);
		e->grey = xmalloc(need);
		e->grey_size = need;
	}
	prepare_grey(img, r, e->grey);
	n = find_stretches(e->grey, r.w, r.h, &st);
	if (!n) {
		free(st);
		return 0;
	}
	/* The typical line's height: the median of the stretches'. */
	heights = xmalloc(n * sizeof(*heights));
	for (i = 0; i < n; i++) {
		int hgt = st[i].y1 - st[i].y0;

		for (k = i; k > 0 && heights[k - 1] > hgt; k--)
			heights[k] = heights[k - 1];
		heights[k] = hgt;
	}
	typical = heights[n / 2];
	free(heights);
	for (i = 0; i < n && rc == 0; i++) {
		/* A little of the ground around it, as Tesseract likes. */
		int x0 = st[i].x0 - LINE_PAD, y0 = st[i].y0 - LINE_PAD;
		int x1 = st[i].x1 + LINE_PAD, y1 = st[i].y1 + LINE_PAD;
		int one_line = (st[i].y1 - st[i].y0) * 10 < typical * 17;
		struct line_entry *l;

		x0 = x0 < 0 ? 0 : x0;
		y0 = y0 < 0 ? 0 : y0;
		x1 = x1 > r.w ? r.w : x1;
		y1 = y1 > r.h ? r.h : y1;
		l = read_stretch(e, r.w, r.h, x0, y0, x1 - x0, y1 - y0, one_line, &page_set, err);
		if (l)
			add_stretch(res, l, r, x0, y0);
		else
			rc = -1;
	}
	free(st);
	if (page_set)
		TessBaseAPIClear(e->api);
	return rc;
}

int ocr_read(struct ocr_engine *e, const struct screen_image *img, struct screen_region region,
	     const struct ocr_result **out, int *cached, struct vb_error *err)
{
	struct screen_region r = screen_clip(img, region);
	struct cache_entry *slot = NULL;
	uint64_t h;
	size_t i;

	if (cached)
		*cached = 0;
	h = ocr_region_hash(img, r);
	e->uses++;
	for (i = 0; i < OCR_CACHE; i++) {
		struct cache_entry *c = &e->cache[i];

		if (c->used && c->region.x == r.x && c->region.y == r.y && c->region.w == r.w &&
		    c->region.h == r.h) {
			slot = c;
			break;
		}
	}
	if (slot && slot->hash == h && !slot->partial) {
		e->reads++;
		slot->last_use = e->uses;
		if (cached)
			*cached = 1;
		*out = &slot->result;
		return 0;
	}
	if (!slot) { /* a free entry, or the one used longest ago */
		slot = &e->cache[0];
		for (i = 0; i < OCR_CACHE; i++) {
			if (!e->cache[i].used) {
				slot = &e->cache[i];
				break;
			}
			if (e->cache[i].last_use < slot->last_use)
				slot = &e->cache[i];
		}
	}
	result_clear(&slot->result);
	slot->used = 0;
	e->cut = 0;
	if (r.w > 0 && r.h > 0 && recognise(e, img, r, &slot->result, err) < 0) {
		result_clear(&slot->result);
		return -1;
	}
	e->reads++;
	slot->used = 1;
	slot->partial = e->cut;
	slot->region = r;
	slot->hash = h;
	slot->last_use = e->uses;
	*out = &slot->result;
	return 0;
}
