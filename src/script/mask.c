/* mask.c: secrets out of text read off a screen (mask.h). */
#include "script/mask.h"

#include <ctype.h>
#include <string.h>

#include "util/strbuf.h"
#include "util/strdist.h"
#include "util/xalloc.h"

/* Mark in hide[] the bytes of text (n bytes) where value appears, ignoring
 * spaces and case when loose. */
static void mark_secret(const char *text, size_t n, const char *value, int loose,
			unsigned char *hide)
{
	size_t i, j, k;

	for (i = 0; i < n; i++) {
		if (loose && isspace((unsigned char)text[i]))
			continue;
		for (j = i, k = 0; value[k] && j < n;) {
			unsigned char a = (unsigned char)text[j], b = (unsigned char)value[k];

			if (loose && isspace(a)) {
				j++;
			} else if (loose && isspace(b)) {
				k++;
			} else if (loose ? tolower(a) == tolower(b) : a == b) {
				j++;
				k++;
			} else {
				break;
			}
		}
		if (!value[k])
			memset(hide + i, 1, j - i);
	}
}

/* The smallest edit distance between want and a run of sq from i of
 * length L - d to L + d (the length L preferred on a tie) into *dist and
 * that length into *len. */
static void nearest_run(const char *sq, size_t nsq, size_t i, const char *want, size_t L,
			size_t d, size_t *dist, size_t *len)
{
	char window[65];
	size_t w, k;

	*dist = 99;
	*len = 0;
	for (k = 0; k <= 2 * d; k++) {
		/* L, L-1, L+1, L-2, L+2, ...: the nearest length first on a tie */
		w = k % 2 ? L - (k + 1) / 2 : L + k / 2;
		if (w == 0 || i + w > nsq || w >= sizeof(window))
			continue;
		memcpy(window, sq + i, w);
		window[w] = '\0';
		if (strdist(window, want) < *dist) {
			*dist = strdist(window, want);
			*len = w;
		}
	}
}

/* Mark in hide[] the bytes of text where a run of its non-space bytes is
 * within edit distance value's length / 4 of value's (without spaces): a
 * secret that OCR read with a character or so wrong. sq holds text's
 * non-space bytes (nsq of them), at[] where each is in text. A run is
 * marked where it is nearest (not where one a byte away is nearer), so the
 * text around it stays. */
static void mark_secret_near(const char *sq, const size_t *at, size_t nsq, const char *value,
			     unsigned char *hide)
{
	char want[65];
	size_t L = 0, i, d, dist, len, prev = 99, next, next_len = 0;

	for (i = 0; value[i] && L < sizeof(want) - 1; i++)
		if (!isspace((unsigned char)value[i]))
			want[L++] = value[i];
	want[L] = '\0';
	d = L / 4;
	if (L < 6 || L > 60 || nsq == 0)
		return;
	nearest_run(sq, nsq, 0, want, L, d, &dist, &len);
	for (i = 0; i < nsq; i++) {
		next = 99;
		if (i + 1 < nsq)
			nearest_run(sq, nsq, i + 1, want, L, d, &next, &next_len);
		if (dist <= d && dist <= prev && dist <= next)
			memset(hide + at[i], 1, at[i + len - 1] + 1 - at[i]);
		prev = dist;
		dist = next;
		len = next_len;
	}
}

char *secrets_mask(const char *text, const struct vars *values)
{
	size_t n = strlen(text), i, s, nsq = 0;
	unsigned char *hide = xmalloc(n + 1);
	size_t *who = xcalloc(n + 1, sizeof(*who)); /* 1 + the secret shown there, or 0 */
	char *sq = xmalloc(n + 1);                  /* text's non-space bytes */
	size_t *at = xmalloc((n + 1) * sizeof(*at)); /* where each is in text */
	struct strbuf out = { 0 };

	for (i = 0; i < n; i++)
		if (!isspace((unsigned char)text[i])) {
			at[nsq] = i;
			sq[nsq++] = text[i];
		}
	for (s = 0; values && s < values->count; s++) {
		const char *v = values->items[s].value;

		if (!v || !*v)
			continue;
		memset(hide, 0, n + 1);
		mark_secret(text, n, v, strlen(v) >= 4, hide);
		mark_secret_near(sq, at, nsq, v, hide);
		for (i = 0; i < n; i++)
			if (hide[i])
				who[i] = s + 1;
	}
	strbuf_add(&out, "", 0);
	for (i = 0; i < n;) {
		if (!who[i]) {
			strbuf_add(&out, text + i, 1);
			i++;
			continue;
		}
		s = who[i];
		strbuf_printf(&out, "<secret %s>", values->items[s - 1].name);
		while (i < n && who[i] == s)
			i++;
	}
	explicit_bzero(sq, n + 1);
	free(sq);
	free(at);
	free(hide);
	free(who);
	return out.p;
}

