/* error.c: filling struct vb_error. Printing is the cli's job (cli/report.c). */
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void vb_error_clear(struct vb_error *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

/* Format into out as one line: a message may quote what a server or a
 * file said (a bad RFB version, a library's log line), so control bytes are
 * written as escapes (\n, \r, \t, \xNN) and the line stays a line. */
static void format_line(char *out, size_t size, const char *fmt, va_list ap)
{
	char raw[1024];
	size_t i, o = 0;

	vsnprintf(raw, sizeof(raw), fmt, ap);
	for (i = 0; raw[i] && o + 1 < size; i++) {
		unsigned char c = (unsigned char)raw[i];
		char esc[5];
		size_t n;

		if (c >= 0x20 && c != 0x7f) {
			out[o++] = (char)c;
			continue;
		}
		if (c == '\n' || c == '\r' || c == '\t')
			n = (size_t)snprintf(esc, sizeof(esc), "\\%c",
					     c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else
			n = (size_t)snprintf(esc, sizeof(esc), "\\x%02x", c);
		if (o + n + 1 > size)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	out[o] = '\0';
}

int vb_fail(struct vb_error *err, enum vb_status status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	vb_error_clear(err);
	err->status = status;
	va_start(ap, fmt);
	format_line(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int vb_hint(struct vb_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	format_line(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
	return -1;
}
