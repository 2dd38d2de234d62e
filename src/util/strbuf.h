/* strbuf.h: the one growable text buffer of the tree (plans, log lines,
 * string values, the practice console's cmd.exe and reg.exe output). Always
 * NUL-terminated once anything was added; grows by doubling; running out of
 * memory aborts (util/xalloc.h). { 0 } is an empty buffer. */
#ifndef VNCBOT_STRBUF_H
#define VNCBOT_STRBUF_H

#include <stddef.h>

struct strbuf {
	char *p; /* the text, NULL until something is added; owned */
	size_t len, cap;
};

void strbuf_add(struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct strbuf *b, const char *s);
void strbuf_putc(struct strbuf *b, char c);
/* Formatted, whatever its length. */
void strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The buffer's text, never NULL (caller frees); the buffer is left empty. */
char *strbuf_take(struct strbuf *b);

/* Free the text; the buffer is left empty. */
void strbuf_free(struct strbuf *b);

#endif
