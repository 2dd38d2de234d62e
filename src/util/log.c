/* log.c: progress lines on stderr, text or JSON. Messages are formatted
 * here only; no module writes to stderr by itself. */
#include "util/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "util/json.h"

static enum log_level current = LOG_INFO;
static int as_json;
static struct timespec started;

void log_set_level(enum log_level level) { current = level; }
enum log_level log_get_level(void) { return current; }
void log_set_json(int json) { as_json = json; }
int log_is_json(void) { return as_json; }

void log_start(void)
{
	clock_gettime(CLOCK_MONOTONIC, &started);
}

double log_elapsed(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - started.tv_sec) +
	       (double)(now.tv_nsec - started.tv_nsec) / 1e9;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	static const char *names[] = { "error", "warn", "info", "verbose", "debug" };
	char msg[2048];
	va_list ap;

	if (level > current)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (as_json) {
		json_t *line = json_pack("{s:o,s:s,s:o}", "t", json_seconds(log_elapsed()),
					 "level", names[level], "msg", json_text(msg));

		json_write_line(stderr, line);
		json_decref(line);
	} else {
		fprintf(stderr, "[%7.3f] %s\n", log_elapsed(), msg);
		fflush(stderr);
	}
}

void log_error_json(const struct vb_error *err)
{
	json_t *line = json_pack("{s:o,s:s,s:o}", "t", json_seconds(log_elapsed()), "level",
				 "error", "msg", json_text(err->message));

	if (err->where[0])
		json_object_set_new(line, "where", json_text(err->where));
	if (err->context[0])
		json_object_set_new(line, "context", json_text(err->context));
	if (err->hint[0])
		json_object_set_new(line, "hint", json_text(err->hint));
	json_write_line(stderr, line);
	json_decref(line);
}
