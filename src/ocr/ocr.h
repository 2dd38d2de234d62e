/* ocr.h: text on the screen. An engine (libtesseract, through its C API)
 * that reads a region of a framebuffer snapshot into lines and words with
 * their boxes in screen coordinates, remembering its last result per region
 * so that an unchanged region is never read twice; and the forgiving matcher
 * (ocr_match) that finds a needle in what was read despite OCR's usual
 * errors. Knows nothing of sessions, scripts or where frames come from. */
#ifndef VNCBOT_OCR_H
#define VNCBOT_OCR_H

#include <stddef.h>
#include <stdint.h>

#include "screen/screen.h"
#include "util/error.h"

/* Where Debian's tesseract-ocr-eng puts its data (TESSDATA_PREFIX overrides). */
#define OCR_TESSDATA_DIR "/usr/share/tesseract-ocr/5/tessdata"

/* The default similarity of expect text / if text (similar 90%). */
#define OCR_DEFAULT_SIMILARITY 0.9

struct ocr_word {
	char *text;              /* UTF-8, as Tesseract read it */
	struct screen_region box; /* in screen coordinates */
};

struct ocr_line {
	char *text;               /* its words joined by single spaces */
	struct screen_region box;
	size_t first_word, nwords; /* its words in ocr_result.words */
};

/* What a region says, in reading order. */
struct ocr_result {
	struct ocr_line *lines;
	size_t nlines;
	struct ocr_word *words;
	size_t nwords;
};

/* The lines joined by newlines, each trimmed; caller frees. "" if none. */
char *ocr_result_text(const struct ocr_result *r);

struct ocr_engine;

/* Load Tesseract with English (OMP threads limited to one: the engine runs
 * in the session's thread). The data is looked for in TESSDATA_PREFIX, else
 * in OCR_TESSDATA_DIR. Returns NULL with err (VB_USAGE: missing data, with
 * the apt-get package in the hint) if it cannot. */
struct ocr_engine *ocr_new(struct vb_error *err);

/* Free the engine and what it remembers. NULL is a no-op. */
void ocr_free(struct ocr_engine *e);

/* Read region of img (w or h 0: to the edge; clipped to the image). The
 * result belongs to the engine and stays valid until the next ocr_read of
 * the same engine or ocr_free. If the region's pixels are the same as when
 * it was last read, the remembered result is returned at the cost of a hash;
 * otherwise only the lines of text not seen before (anywhere: a console that
 * scrolls moves its lines) are recognised.
 * Returns 0, or -1 with err (VB_FAILED) if Tesseract fails. *cached (may be
 * NULL) says whether the result was remembered. */
int ocr_read(struct ocr_engine *e, const struct screen_image *img, struct screen_region region,
	     const struct ocr_result **out, int *cached, struct vb_error *err);

/* A wait's deadline (clock_now_ms's clock; 0: none): once it has passed,
 * a reading stops before each line it has not seen before, so a wait ends
 * at most one line's recognition late. The first reading after this call
 * is always whole (a wait of no time decides on the whole screen). A
 * result cut short is never reused. */
void ocr_set_deadline(struct ocr_engine *e, long long deadline_ms);

/* Forget every result remembered (regions and lines): the next read
 * recognises everything again (benchmarks, tests). */
void ocr_forget(struct ocr_engine *e);

/* A cheap hash of the region's R, G, B bytes (clipped): 8 bytes at a time. */
uint64_t ocr_region_hash(const struct screen_image *img, struct screen_region region);

/* ---- the forgiving matcher (match.c): pure functions ---- */

/* The best place for a needle in a result. */
struct ocr_match {
	double score;              /* 0..1: 1 - edits / the needle's length */
	char seen[160];            /* the text it matched there, as read ("" if none) */
	struct screen_region box;  /* the words it covers */
};

/* Find needle in the result's text, read as one stream of lines (so a
 * needle may run from the end of one line onto the next): case, spaces,
 * quote styles and OCR's usual confusions (l 1 I | i!, O 0 o, rn m, vv w)
 * do not count, the rest costs one edit per character inserted, deleted or
 * changed. Fills *m with the best place (score 0 if the result is empty)
 * and returns its score. */
double ocr_match(const struct ocr_result *r, const char *needle, struct ocr_match *m);

/* The same on plain text (lines split at '\n'; no boxes): for tests and
 * for text read earlier. */
double ocr_match_text(const char *text, const char *needle, struct ocr_match *m);

/* needle as the matcher compares it (lowercase, no spaces, confusables
 * folded), into buf; returns its length. Empty: the needle can never be
 * told apart, refuse it. */
size_t ocr_fold(const char *needle, char *buf, size_t size);

/* How many characters of got are wrong against want, byte for byte with no
 * forgiveness (the Levenshtein distance): the numerator of a character
 * error rate, for measuring the engine (bench/ocr, tests). */
size_t ocr_char_errors(const char *want, const char *got);

#endif
