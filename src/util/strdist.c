/* strdist.c: edit distance for "did you mean" suggestions. */
#include "util/strdist.h"

#include <ctype.h>
#include <string.h>

size_t strdist(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	size_t d[65][65];

	if (la > 64 || lb > 64)
		return 99;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int ca = tolower((unsigned char)a[i - 1]);
			int cb = tolower((unsigned char)b[j - 1]);
			size_t best = d[i - 1][j - 1] + (ca != cb);

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == cb &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

int strdist_plausible(const char *typed, const char *candidate, size_t dist)
{
	size_t len = strlen(typed), clen = strlen(candidate);
	size_t shorter = len < clen ? len : clen;

	/* One edit in a short word, up to a third of a longer one. */
	if (dist == 0)
		return 0;
	if (shorter <= 2)
		return dist <= 1 && len > 1;
	return dist <= 1 + shorter / 3;
}
