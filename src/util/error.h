/* error.h: the one error type carried up through every layer.
 * A module fills a struct vb_error and returns -1; only the cli prints it and
 * maps its status to the exit code (DESIGN.md section 3). Nothing below the
 * cli calls exit(). */
#ifndef VNCBOT_ERROR_H
#define VNCBOT_ERROR_H

#include <stddef.h>

/* Exit classes of DESIGN.md section 3; the numeric values are the exit codes. */
enum vb_status {
	VB_OK = 0,
	VB_FAILED = 1,  /* the script failed: fail, a wait timed out (an error that
			   says "interrupted" ends in 128+N: the cli sees the signal) */
	VB_USAGE = 2,   /* usage or script error, detected before anything is sent */
	VB_CONNECT = 3, /* connection or authentication error */
};

struct vb_error {
	enum vb_status status;
	char where[320];   /* "FILE:LINE:COL" or "" */
	char message[512]; /* one line, no trailing newline */
	char context[640]; /* optional: source line + "\n" + caret line */
	char hint[320];    /* optional: what to do next */
};

/* Set status and message (printf-style); clears where/context/hint.
 * The message is kept one line: control bytes in it (a newline a server
 * sent) become escapes such as \n and \x01. Always returns -1 so callers
 * can write `return vb_fail(err, ...)`. err may be NULL (the error is then
 * dropped). */
int vb_fail(struct vb_error *err, enum vb_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the hint of an error already filled, one line as vb_fail's message;
 * returns -1. */
int vb_hint(struct vb_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reset to VB_OK with empty fields. */
void vb_error_clear(struct vb_error *err);

#endif
