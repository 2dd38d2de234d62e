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

int vb_fail(struct vb_error *err, enum vb_status status, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	vb_error_clear(err);
	err->status = status;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return -1;
}

int vb_hint(struct vb_error *err, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
	return -1;
}
