/* strdist.h: edit distance for "did you mean" suggestions. */
#ifndef VNCBOT_STRDIST_H
#define VNCBOT_STRDIST_H

#include <stddef.h>

/* Case-insensitive Damerau-Levenshtein (optimal string alignment) distance
 * between a and b; strings longer than 64 bytes count as far apart (returns 99). */
size_t strdist(const char *a, const char *b);

/* Is candidate close enough to typed to be suggested as a typo fix? */
int strdist_plausible(const char *typed, const char *candidate, size_t dist);

#endif
