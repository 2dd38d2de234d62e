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

static inline void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
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
