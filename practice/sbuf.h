/* sbuf.h: a growable text buffer for the practice console's cmd.exe and
 * reg.exe output. Always NUL-terminated once anything was added; running
 * out of memory aborts (util/xalloc.h). */
#ifndef PRACTICE_SBUF_H
#define PRACTICE_SBUF_H

#include <stddef.h>

struct sbuf {
	char *p;
	size_t len, cap;
};

void sb_add(struct sbuf *b, const char *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_putc(struct sbuf *b, char c);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The buffer's text, never NULL (caller frees); the buffer is left empty. */
char *sb_take(struct sbuf *b);

#endif
