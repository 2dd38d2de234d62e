/* log.h: the run's progress and diagnostics on stderr. One place decides
 * what is shown (-q, -v) and in what form (text or JSON lines). Callers never
 * pass secrets here: they pass names ("<secret password>"). */
#ifndef VNCBOT_LOG_H
#define VNCBOT_LOG_H

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

/* Print one line if level is enabled: "[  1.234] message" (seconds since
 * start), or a JSON object {"t":1.234,"level":"info","msg":"..."}. */
void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Seconds since log_start() was called (monotonic). */
double log_elapsed(void);
void log_start(void);

#endif
