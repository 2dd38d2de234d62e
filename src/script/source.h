/* source.h: a script's text held in memory for the whole run, and errors that
 * point into it ("FILE:LINE:COL: message", the source line, a caret).
 * Every later stage refers to positions in a struct source; none re-reads files. */
#ifndef VNCBOT_SOURCE_H
#define VNCBOT_SOURCE_H

#include <stddef.h>

#include "util/error.h"

struct source {
	char *name; /* as the user named it: path, "<stdin>", "<-e>" */
	char *dir;  /* directory includes are resolved against */
	char *text; /* NUL-terminated; may contain NULs before len (rejected by the lexer) */
	size_t len;
	struct source *next; /* every source loaded for one script, in a list */
};

struct src_pos {
	const struct source *src;
	int line; /* 1-based */
	int col;  /* 1-based, in bytes */
};

#define SOURCE_MAX_BYTES (4u << 20) /* a script larger than this is refused */

/* Read a script file ("-" is stdin). Returns a new source (free with
 * source_free, which frees the whole list) or NULL with err (VB_USAGE);
 * a path that is not a regular file (a FIFO, a device) is refused at once. */
struct source *source_read(const char *path, struct vb_error *err);

/* A source from a string (for -e and tests); name is copied. */
struct source *source_from_string(const char *name, const char *text);

/* Free src and every source chained after it. NULL is a no-op. */
void source_free(struct source *src);

/* Fill err (VB_USAGE) with where = "FILE:LINE:COL", the message, and the
 * context: the source line and a caret under the column. Returns -1. */
int source_error(struct vb_error *err, struct src_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "FILE:LINE" into buf, for plans and logs. */
const char *source_where(struct src_pos pos, char *buf, size_t size);

#endif
