/* stmt_link.c: a console that goes away on purpose and comes back, as a
 * restart makes it: `expect disconnect [timeout D]` and `if disconnect
 * [timeout D] { ... } [else { ... }]` (forms of expect and if, whose
 * templates are stmt_screen.c's) and `reconnect [timeout D]`. What a drop
 * and a connection are is the target's (run.c); here they are statements. */
#include <stddef.h>
#include <stdio.h>

#include "script/stmt.h"
#include "util/log.h"

/* Wait up to timeout_ms for the console to go; the evidence says whether
 * it did, as it says of every screen wait ("check" events). */
static int wait_gone(struct interp *in, long timeout_ms, int *gone)
{
	char line[160];

	if (interp_wait_disconnect(in, timeout_ms, gone) < 0)
		return -1;
	if (*gone)
		snprintf(line, sizeof(line), "held: the console went away within %.3gs",
			 timeout_ms / 1000.0);
	else
		snprintf(line, sizeof(line), "did not hold: the console is still connected "
			 "after %.3gs", timeout_ms / 1000.0);
	interp_note_check(in, line);
	return 0;
}

int stmt_expect_disconnect(struct interp *in, const struct ast_stmt *st, long timeout_ms)
{
	char why[200];
	int gone;

	if (wait_gone(in, timeout_ms, &gone) < 0)
		return -1;
	if (gone)
		return 0;
	snprintf(why, sizeof(why), "expect timed out after %.3gs waiting for the console to "
		 "disconnect: it is still connected", timeout_ms / 1000.0);
	return interp_fail(in, st->pos, why);
}

/* A console that may stay: a hypervisor's (QEMU's VNC behind a cloud's
 * proxy) stays connected while the guest restarts inside it, so staying is
 * an answer here, not a failure. */
int stmt_if_disconnect(struct interp *in, long timeout_ms, int *gone)
{
	if (timeout_ms >= 5000)
		log_msg(LOG_INFO, "waiting up to %.3gs for the console to go", timeout_ms / 1000.0);
	if (wait_gone(in, timeout_ms, gone) < 0)
		return -1;
	if (!*gone)
		log_msg(LOG_INFO, "the console is still connected after %.3gs: it stays "
			"through the restart", timeout_ms / 1000.0);
	return 0;
}

/* ---- reconnect [timeout DURATION] ---- */

struct stmt_reconnect {
	long timeout_ms;
};

static const struct stmt_arg reconnect_args[] = {
	{ .name = "timeout", .kind = ARG_DURATION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "timeout", .def = "5m",
	  .offset = offsetof(struct stmt_reconnect, timeout_ms),
	  .help = "how long to keep trying before the run ends with exit status 3 "
		  "(a restart of a cloud machine takes minutes)" },
};

static const struct stmt_form reconnect_forms[] = { { .args = STMT_ARGS(reconnect_args) } };

static int exec_reconnect(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_reconnect *n = st->args;

	return interp_reconnect(in, n->timeout_ms);
}

const struct stmt_impl stmt_reconnect_impl = {
	.forms = reconnect_forms, .nforms = 1, .size = sizeof(struct stmt_reconnect),
	.exec = exec_reconnect,
};
