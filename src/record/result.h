/* result.h: the result of a run (--result FILE): what the run did, gathered
 * as it goes, and written when it ends, whatever the outcome, as one JSON
 * object that a fleet's job runner reads (docs/result.md; the schema is
 * docs/result.schema.json). Knows nothing of consoles, scripts or the
 * command line: the front end tells it what happened. */
#ifndef VNCBOT_RESULT_H
#define VNCBOT_RESULT_H

#include <time.h>

#include "util/error.h"

struct result;

/* The class and verdict of an exit status, and the outcome of a step the run
 * left open, from the one table of DESIGN.md section 3:
 *   0       ok             succeeded  (ok)
 *   1       script-failed  failed     (failed)
 *   2       usage          error      (error)
 *   3       connection     error      (error)
 *   128+N   signal         error      (interrupted)
 * No other status is made; one would count as script-failed. */
struct result_class {
	const char *name;    /* "ok", "script-failed", "usage", "connection", "signal" */
	const char *verdict; /* "succeeded", "failed", "error" */
	const char *step;    /* the outcome of a step still open when the run ends */
};
const struct result_class *result_class_of(int exit_status);

/* A new result of a run that began at started (the wall clock,
 * CLOCK_REALTIME) with vncbot version. Every later time t is in seconds
 * since started. The caller frees it with result_free (NULL: no-op). */
struct result *result_new(const struct timespec *started, const char *version);
void result_free(struct result *r);

/* The console as logs show it (url_describe's: no password, no query, so
 * no token), and the script ("<-e>", its path, "-" for stdin). Copied;
 * NULL (the default) writes null. A NULL r is a no-op here and below. */
void result_target(struct result *r, const char *shown);
void result_script(struct result *r, const char *name);

/* A step named name begins at t. A step still open ends there with outcome
 * "ok": a step without a block ends where the next one begins. */
void result_step_begin(struct result *r, const char *name, double t);

/* The open step ends at t with outcome ("ok"); none open: no-op. */
void result_step_end(struct result *r, const char *outcome, double t);

/* The --record directory that holds the evidence (default: none, null). */
void result_evidence(struct result *r, const char *dir);

/* The run ended at t with exit_status (0, 1, 2, 3 or 128+N). err is the
 * error that ended it, NULL for none; its message, where ("FILE:LINE:COL"
 * or "FILE:LINE") and hint are copied. A status other than 0 without a
 * message gets "exit status N". A step still open ends with the class's
 * step outcome. */
void result_finish(struct result *r, double t, int exit_status, const struct vb_error *err);

/* Write the result, after result_finish, as one JSON object on one line:
 * path "-" is standard output; a file is written whole or not at all (a
 * temporary renamed over it; only a regular file is replaced). Returns 0,
 * or -1 with err (VB_FAILED) naming the path. */
int result_write(const struct result *r, const char *path, struct vb_error *err);

#endif
