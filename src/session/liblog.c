/* liblog.c: libvncclient's log lines, routed per thread to their user's
 * capture (liblog.h). The route is the only state here, and it is the
 * thread's own. */
#include "session/liblog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rfb/rfbclient.h>

#include "util/log.h"

static _Thread_local struct liblog *route;

static void liblog_line(const char *fmt, ...)
{
	struct liblog *l = route;
	char line[256];
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	log_msg(LOG_DEBUG, "%s: %s", l && l->prefix ? l->prefix : "libvncclient", line);
	if (!l)
		return;
	memcpy(l->last, line, n + 1);
	if (l->observe)
		l->observe(l, line);
}

struct liblog *liblog_attach(struct liblog *l)
{
	struct liblog *before = route;

	/* Process-wide, and the same function for every user: setting them
	 * again is harmless. */
	rfbClientLog = liblog_line;
	rfbClientErr = liblog_line;
	route = l;
	return before;
}
