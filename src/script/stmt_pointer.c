/* stmt_pointer.c: move X,Y and click [X,Y] [left|middle|right], the pointer.
 * Where the pointer was last sent is the interpreter's; the buttons are the
 * target's bits (interp_target.pointer). */
#include <stddef.h>

#include "script/stmt.h"

/* ---- move X,Y ---- */

struct stmt_move {
	struct ast_point to;
};

static const struct stmt_arg move_args[] = {
	{ .name = "point", .kind = ARG_POINT, .offset = offsetof(struct stmt_move, to),
	  .help = "where to move the pointer: X,Y in pixels from the top left" },
};

static const struct stmt_form move_forms[] = { { .args = STMT_ARGS(move_args) } };

static int exec_move(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_move *n = st->args;

	return interp_pointer(in, n->to.x, n->to.y, 0);
}

const struct stmt_impl stmt_move_impl = {
	.forms = move_forms, .nforms = 1, .size = sizeof(struct stmt_move),
	.sends_input = 1, .exec = exec_move,
};

/* ---- click [X,Y] [left|middle|right] ---- */

struct stmt_click {
	struct ast_point at;
	int button; /* index in buttons: its bit is 1 << button */
};

enum { CLICK_POINT, CLICK_BUTTON };

static const char *const buttons[] = { "left", "middle", "right", NULL };

static const struct stmt_arg click_args[] = {
	[CLICK_POINT] = { .name = "point", .kind = ARG_POINT, .flags = ARG_OPTIONAL,
			  .offset = offsetof(struct stmt_click, at),
			  .help = "where to click, X,Y in pixels from the top left; where "
				  "the pointer is by default" },
	[CLICK_BUTTON] = { .name = "button", .kind = ARG_CHOICE, .flags = ARG_OPTIONAL,
			   .choices = buttons, .def = "left",
			   .offset = offsetof(struct stmt_click, button),
			   .help = "the button to press and release" },
};

static const struct stmt_form click_forms[] = { { .args = STMT_ARGS(click_args) } };

/* A point given: move there first; none: click where the pointer is. */
static int exec_click(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_click *n = st->args;
	int x = n->at.x, y = n->at.y;

	if (!stmt_given(st, CLICK_POINT))
		interp_pointer_position(in, &x, &y);
	else if (interp_pointer(in, x, y, 0) < 0)
		return -1;
	if (interp_pointer(in, x, y, 1 << n->button) < 0)
		return -1;
	return interp_pointer(in, x, y, 0);
}

const struct stmt_impl stmt_click_impl = {
	.forms = click_forms, .nforms = 1, .size = sizeof(struct stmt_click),
	.sends_input = 1, .exec = exec_click,
};
