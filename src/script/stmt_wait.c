/* stmt_wait.c: wait DURATION, a pause. Waits on the screen are
 * stmt_screen.c's; the pause itself is the target's (interp_pause). */
#include <stddef.h>

#include "script/stmt.h"

struct stmt_wait {
	long ms;
};

static const struct stmt_arg wait_args[] = {
	{ .name = "duration", .kind = ARG_DURATION, .offset = offsetof(struct stmt_wait, ms),
	  .help = "how long to pause: 250ms, 2s, 1m30s" },
};

static const struct stmt_form wait_forms[] = { { .args = STMT_ARGS(wait_args) } };

static int exec_wait(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_wait *n = st->args;

	return interp_pause(in, n->ms);
}

const struct stmt_impl stmt_wait_impl = {
	.forms = wait_forms, .nforms = 1, .size = sizeof(struct stmt_wait),
	.exec = exec_wait,
};
