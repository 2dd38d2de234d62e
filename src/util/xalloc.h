/* xalloc.h: allocation that cannot fail quietly. vncbot and the practice
 * console treat running out of memory as fatal (abort): every caller would
 * only be able to give up, and a half-built state would be worse. */
#ifndef VNCBOT_XALLOC_H
#define VNCBOT_XALLOC_H

#include <stdlib.h>
#include <string.h>

static inline void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		abort();
	return p;
}

static inline void *xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		abort();
	return p;
}

static inline void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

/* Make room for item n of an array that holds n items of size bytes, p
 * being the array (NULL when n is 0), and return it. The array's capacity
 * is the power of two at or above n, so it is kept nowhere: arrays grown
 * only through xgrow double when full, and appending n items costs O(n),
 * not the O(n^2) of one realloc (a copy, under ASan) per item. */
static inline void *xgrow(void *p, size_t n, size_t size)
{
	if (n & (n - 1))
		return p; /* not a power of two: below the capacity */
	if (n > ((size_t)-1 / 2) / size)
		abort();
	return xrealloc(p, (n ? 2 * n : 1) * size);
}

static inline char *xstrndup(const char *s, size_t n)
{
	char *d = (char *)xmalloc(n + 1);

	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* NULL gives NULL. */
static inline char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

#endif
