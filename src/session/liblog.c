/* liblog.c: libvncclient's log lines into vncbot's log, the last one kept. */
#include "session/liblog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <rfb/rfbclient.h>

#include "util/log.h"

static char last_line[256];
static const char *line_prefix = "libvncclient";
static void (*line_observer)(const char *line);

static void liblog_line(const char *fmt, ...)
{
	va_list ap;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(last_line, sizeof(last_line), fmt, ap);
	va_end(ap);
	n = strlen(last_line);
	while (n && (last_line[n - 1] == '\n' || last_line[n - 1] == '\r'))
		last_line[--n] = '\0';
	if (line_observer)
		line_observer(last_line);
	log_msg(LOG_DEBUG, "%s: %s", line_prefix, last_line);
}

void liblog_capture(const char *prefix, void (*observe)(const char *line))
{
	line_prefix = prefix;
	line_observer = observe;
	last_line[0] = '\0';
	rfbClientLog = liblog_line;
	rfbClientErr = liblog_line;
}

const char *liblog_last(void)
{
	return last_line;
}
