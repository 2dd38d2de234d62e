/* match.c: the forgiving matcher. Both the needle and what OCR read are
 * folded the same way (case, spaces, quote and dash styles, the characters
 * OCR confuses: l 1 I i | !, O 0, rn m, vv w), then the needle is looked for
 * anywhere in the folded text with edits allowed (Sellers' approximate
 * substring search); the best place is mapped back to the text as read and
 * to its words' boxes. Pure functions: no engine, no screen. */
#include "ocr/ocr.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/xalloc.h"

/* One folded character and the bytes of the source it stands for. */
struct folded {
	uint32_t *c;
	size_t *from, *to; /* source byte range of each */
	size_t n;
};

/* One UTF-8 character at s (a bad byte counts as itself); *len its bytes. */
static uint32_t utf8_next(const unsigned char *s, size_t *len)
{
	uint32_t c = s[0];
	size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
		   (c & 0xF8) == 0xF0 ? 4 : 1;
	size_t i;

	if (n == 1) {
		*len = 1;
		return c;
	}
	c &= 0x3F >> (n - 1);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return s[0];
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	*len = n;
	return c;
}

/* The class a character folds to, or 0 to drop it (space). */
static uint32_t fold_char(uint32_t c)
{
	switch (c) {
	/* Spaces, and the underscore OCR so often reads as one. */
	case ' ': case '\t': case '\n': case '\r': case 0xA0: case 0x2009: case 0x200B:
	case '_':
		return 0;
	/* Quotes, whatever their style: OCR reads " as '' or a curly pair. */
	case '"': case '`': case 0xB4: case 0xAB: case 0xBB: case 0x2018: case 0x2019:
	case 0x201A: case 0x201B: case 0x201C: case 0x201D: case 0x201E: case 0x2032:
	case 0x2033:
		return '\'';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212:
		return '-';
	/* The strokes: l, 1, I, i, | and ! look alike in console fonts. */
	case 'l': case 'L': case '1': case 'I': case 'i': case '|': case '!':
		return 'l';
	/* The rounds: a zero with a dot or a slash reads as @ or even (R). */
	case 'o': case 'O': case '0': case '@': case 0xAE: case 0xD8: case 0xF8:
		return 'o';
	}
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

static void fold_push(struct folded *f, uint32_t c, size_t from, size_t to)
{
	f->c = xgrow(f->c, f->n, sizeof(*f->c));
	f->from = xgrow(f->from, f->n, sizeof(*f->from));
	f->to = xgrow(f->to, f->n, sizeof(*f->to));
	f->c[f->n] = c;
	f->from[f->n] = from;
	f->to[f->n] = to;
	f->n++;
}

static void fold(const char *s, struct folded *f)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;

	memset(f, 0, sizeof(*f));
	while (u[i]) {
		uint32_t c = fold_char(utf8_next(u + i, &len));

		if (c) {
			/* rn reads as m and vv as w: both fold to the one letter. */
			if (f->n && f->to[f->n - 1] == i &&
			    ((c == 'n' && f->c[f->n - 1] == 'r') ||
			     (c == 'v' && f->c[f->n - 1] == 'v'))) {
				f->c[f->n - 1] = c == 'n' ? 'm' : 'w';
				f->to[f->n - 1] = i + len;
			} else {
				fold_push(f, c, i, i + len);
			}
		}
		i += len;
	}
}

static void fold_free(struct folded *f)
{
	free(f->c);
	free(f->from);
	free(f->to);
}

size_t ocr_fold(const char *needle, char *buf, size_t size)
{
	struct folded f;
	size_t i, k = 0;

	fold(needle, &f);
	for (i = 0; i < f.n && size && k + 1 < size; i++)
		buf[k++] = f.c[i] < 0x80 ? (char)f.c[i] : '?';
	if (size)
		buf[k] = '\0';
	k = f.n;
	fold_free(&f);
	return k;
}

/* Sellers: the fewest edits that turn the needle into some stretch of the
 * text; *start and *end (folded indices) are the first such stretch. */
static size_t best_stretch(const struct folded *t, const struct folded *nd, size_t *start,
			   size_t *end)
{
	size_t m = nd->n, i, j, best;
	size_t *cost = xmalloc((m + 1) * sizeof(*cost));
	size_t *from = xmalloc((m + 1) * sizeof(*from));

	/* Column j: cost[i] edits to match the needle's first i characters
	 * with a stretch of the text that ends before j and starts at from[i]. */
	for (i = 0; i <= m; i++) {
		cost[i] = i;
		from[i] = 0;
	}
	*start = *end = 0;
	best = m;
	for (j = 0; j < t->n; j++) {
		size_t diag = cost[0], diag_from = from[0];

		cost[0] = 0;
		from[0] = j + 1;
		for (i = 1; i <= m; i++) {
			size_t up = cost[i], up_from = from[i];
			size_t c = diag + (nd->c[i - 1] != t->c[j]), c_from = diag_from;

			if (up + 1 < c) { /* a text character the needle lacks */
				c = up + 1;
				c_from = up_from;
			}
			if (cost[i - 1] + 1 < c) { /* a needle character the text lacks */
				c = cost[i - 1] + 1;
				c_from = from[i - 1];
			}
			diag = up;
			diag_from = up_from;
			cost[i] = c;
			from[i] = c_from;
		}
		if (cost[m] < best) {
			best = cost[m];
			*start = from[m];
			*end = j + 1;
		} else if (cost[m] == best && from[m] == *start && j == *end) {
			*end = j + 1; /* as good and one longer: "ZEBRA42" for ZEBRA43, not "ZEBRA4" */
		}
	}
	free(cost);
	free(from);
	return best;
}

/* The source text of the stretch, one line (line ends as spaces), cut at a
 * character boundary to fit m->seen. */
static void fill_seen(const char *src, size_t from, size_t to, struct ocr_match *m)
{
	size_t k = 0, i;

	if (to - from >= sizeof(m->seen)) {
		to = from + sizeof(m->seen) - 4;
		while (to > from && ((unsigned char)src[to] & 0xC0) == 0x80)
			to--;
	}
	for (i = from; i < to; i++)
		m->seen[k++] = src[i] == '\n' ? ' ' : src[i];
	m->seen[k] = '\0';
}

/* Match needle in src; the stretch's source byte range in *from, *to. */
static double match_source(const char *src, const char *needle, struct ocr_match *m,
			   size_t *from, size_t *to)
{
	struct folded t, nd;
	size_t start, end, edits;
	double score;

	memset(m, 0, sizeof(*m));
	*from = *to = 0;
	fold(needle, &nd);
	fold(src, &t);
	if (!nd.n || !t.n) {
		fold_free(&t);
		fold_free(&nd);
		return 0;
	}
	edits = best_stretch(&t, &nd, &start, &end);
	score = edits >= nd.n ? 0 : 1.0 - (double)edits / (double)nd.n;
	if (end > start) {
		*from = t.from[start];
		*to = t.to[end - 1];
		fill_seen(src, *from, *to, m);
	}
	m->score = score;
	fold_free(&t);
	fold_free(&nd);
	return score;
}

double ocr_match_text(const char *text, const char *needle, struct ocr_match *m)
{
	size_t from, to;

	return match_source(text, needle, m, &from, &to);
}

double ocr_match(const struct ocr_result *r, const char *needle, struct ocr_match *m)
{
	struct strbuf flat = { 0 };
	size_t *at = xmalloc((r->nwords + 1) * sizeof(*at)), l, w, from, to;
	char *src;
	double score;
	int any = 0;

	/* The words in reading order, as the lines join them, with where each
	 * begins in that text. */
	strbuf_add(&flat, "", 0);
	for (l = 0; l < r->nlines; l++) {
		const struct ocr_line *ln = &r->lines[l];

		if (l)
			strbuf_putc(&flat, '\n');
		for (w = ln->first_word; w < ln->first_word + ln->nwords; w++) {
			if (w > ln->first_word)
				strbuf_putc(&flat, ' ');
			at[w] = flat.len;
			strbuf_puts(&flat, r->words[w].text);
		}
	}
	src = strbuf_take(&flat);
	score = match_source(src, needle, m, &from, &to);
	if (to > from) {
		int x0 = 0, y0 = 0, x1 = 0, y1 = 0;

		for (w = 0; w < r->nwords; w++) {
			const struct screen_region *b = &r->words[w].box;
			size_t wend = at[w] + strlen(r->words[w].text);

			if (wend <= from || at[w] >= to)
				continue;
			if (!any || b->x < x0)
				x0 = b->x;
			if (!any || b->y < y0)
				y0 = b->y;
			if (!any || b->x + b->w > x1)
				x1 = b->x + b->w;
			if (!any || b->y + b->h > y1)
				y1 = b->y + b->h;
			any = 1;
		}
		m->box = (struct screen_region){ x0, y0, x1 - x0, y1 - y0 };
	}
	free(src);
	free(at);
	return score;
}

size_t ocr_char_errors(const char *want, const char *got)
{
	size_t n = strlen(want), m = strlen(got), i, j, d;
	size_t *row = xcalloc(m + 1, sizeof(*row));

	for (j = 0; j <= m; j++)
		row[j] = j;
	for (i = 1; i <= n; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= m; j++) {
			size_t up = row[j], best = diag + (want[i - 1] != got[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[m];
	free(row);
	return d;
}
