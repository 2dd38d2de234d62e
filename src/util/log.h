/* log.h: the run's progress and diagnostics on stderr. One place decides
 * what is shown (-q, -v) and in what form (text or JSON lines). Callers never
 * pass secrets here: they pass names ("<secret password>"). */
#ifndef VNCBOT_LOG_H
#define VNCBOT_LOG_H

#include "util/error.h"

enum log_level {
	LOG_ERROR = 0, /* shown even with -q */
	LOG_WARN = 1,
	LOG_INFO = 2,    /* steps, connection, result: the default */
	LOG_VERBOSE = 3, /* every statement (-v) */
	LOG_DEBUG = 4,   /* protocol detail (-vv) */
};

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
void log_set_json(int json);
int log_is_json(void);

/* Print one line if level is enabled: "[  1.234] message" (seconds since
 * start), or a JSON object {"t":1.234,"level":"info","msg":"..."}. */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* With --log-format json, the error that ends a run as one line like the
 * others: {"t":..,"level":"error","msg":MESSAGE} with "where" (FILE:LINE:COL),
 * "context" (the source line, a newline and the caret line) and "hint" added
 * where the error has them. Shown even with -q. */
void log_error_json(const struct vb_error *err);

/* Seconds since log_start() was called (monotonic). */
double log_elapsed(void);
void log_start(void);

#endif
