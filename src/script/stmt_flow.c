/* stmt_flow.c: the statements that shape a run rather than act on the
 * console: set and default (variables), include, step, retry and fail.
 * Running a block, the variables themselves and reading an included file are
 * interp.c's and parser.c's; if is stmt_screen.c's. */
#include <stddef.h>
#include <stdlib.h>

#include "script/stmt.h"

/* ---- set NAME VALUE, default NAME VALUE ---- */

struct stmt_set {
	char *name;
	struct ast_str value;
};

static const struct stmt_arg set_args[] = {
	{ .name = "name", .kind = ARG_VARIABLE, .offset = offsetof(struct stmt_set, name),
	  .help = "the variable: letters, digits and '_', not starting with a digit" },
	{ .name = "value", .kind = ARG_VALUE, .offset = offsetof(struct stmt_set, value),
	  .help = "its value, used as ${NAME} in \"...\" strings" },
};

static const struct stmt_form set_forms[] = { { .args = STMT_ARGS(set_args) } };

/* Defined once its value is read: `set A "${A}x"` needs A before. */
static int check_set(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_set *n = st->args;

	parser_define(p, n->name);
	return 0;
}

static int assigns_set(const struct ast_stmt *st, struct stmt_assign *out)
{
	const struct stmt_set *n = st->args;

	*out = (struct stmt_assign){ n->name, &n->value, 0 };
	return 1;
}

static int assigns_default(const struct ast_stmt *st, struct stmt_assign *out)
{
	assigns_set(st, out);
	out->only_if_unset = 1;
	return 1;
}

static int exec_assign(struct interp *in, const struct ast_stmt *st)
{
	struct stmt_assign a;
	char *value;

	st->def->impl->assigns(st, &a);
	value = interp_str(in, a.value);
	interp_set(in, a.name, value, a.only_if_unset);
	free(value);
	return 0;
}

const struct stmt_impl stmt_set_impl = {
	.forms = set_forms, .nforms = 1, .size = sizeof(struct stmt_set),
	.check = check_set, .exec = exec_assign, .assigns = assigns_set,
};

const struct stmt_impl stmt_default_impl = {
	.forms = set_forms, .nforms = 1, .size = sizeof(struct stmt_set),
	.check = check_set, .exec = exec_assign, .assigns = assigns_default,
};

/* ---- include FILE ---- */

struct stmt_include {
	struct ast_str file;
	struct ast_block body; /* the file's statements */
};

enum { INCLUDE_FILE, INCLUDE_BODY };

static const struct stmt_arg include_args[] = {
	[INCLUDE_FILE] = { .name = "file", .kind = ARG_FILE, .flags = ARG_LITERAL,
			   .offset = offsetof(struct stmt_include, file),
			   .expected = "a file to include", .noun = "an include path",
			   .help = "the script file to run here, relative to this one" },
	[INCLUDE_BODY] = { .name = "body", .kind = ARG_BLOCK, .flags = ARG_INTERNAL,
			   .offset = offsetof(struct stmt_include, body),
			   .help = "the statements of the included file" },
};

static const struct stmt_form include_forms[] = { { .args = STMT_ARGS(include_args) } };

static int check_include(struct parser *p, struct ast_stmt *st)
{
	struct stmt_include *n = st->args;

	if (parser_include(p, &n->file, &n->body) < 0)
		return -1;
	st->given |= 1u << INCLUDE_BODY;
	return 0;
}

static int exec_include(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_include *n = st->args;

	return interp_block(in, &n->body);
}

const struct stmt_impl stmt_include_impl = {
	.forms = include_forms, .nforms = 1, .size = sizeof(struct stmt_include),
	.flow = FLOW_ONCE, .check = check_include, .exec = exec_include,
};

/* ---- step NAME [{ ... }] ---- */

struct stmt_step {
	struct ast_str name;
	struct ast_block body;
};

enum { STEP_NAME, STEP_BODY };

static const struct stmt_arg step_args[] = {
	[STEP_NAME] = { .name = "name", .kind = ARG_STRING, .metavar = "NAME",
			.offset = offsetof(struct stmt_step, name),
			.expected = "the step's name in quotes, as in: step \"Log in\" { ... }",
			.help = "the step's name, as logs and reports show it" },
	[STEP_BODY] = { .name = "body", .kind = ARG_BLOCK, .flags = ARG_OPTIONAL,
			.offset = offsetof(struct stmt_step, body),
			.help = "the statements of the step; without it, the step is what "
				"follows, up to the next step" },
};

static const struct stmt_form step_forms[] = { { .args = STMT_ARGS(step_args) } };

static int exec_step(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_step *n = st->args;
	char *name = interp_str(in, &n->name);
	int rc = 0;

	interp_step(in, name, 1, st->pos);
	if (stmt_given(st, STEP_BODY)) {
		rc = interp_block(in, &n->body);
		if (rc == 0)
			interp_step(in, name, 0, st->pos);
	}
	free(name);
	return rc;
}

const struct stmt_impl stmt_step_impl = {
	.forms = step_forms, .nforms = 1, .size = sizeof(struct stmt_step),
	.flow = FLOW_ONCE, .exec = exec_step,
};

/* ---- retry N { ... } ---- */

struct stmt_retry {
	int tries;
	struct ast_block body;
};

static const struct stmt_arg retry_args[] = {
	{ .name = "tries", .kind = ARG_INT, .metavar = "N", .min = 1, .max = 100,
	  .offset = offsetof(struct stmt_retry, tries),
	  .expected = "how many tries, as in: retry 3 { ... }", .noun = "a number of tries",
	  .help = "how many times at most to run the block" },
	{ .name = "body", .kind = ARG_BLOCK, .offset = offsetof(struct stmt_retry, body),
	  .help = "the statements to run until they do not fail" },
};

static const struct stmt_form retry_forms[] = { { .args = STMT_ARGS(retry_args) } };

static int exec_retry(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_retry *n = st->args;
	int i, rc;

	for (i = 1; i <= n->tries; i++) {
		rc = interp_try_block(in, &n->body);
		if (rc <= 0)
			return rc;
		if (i < n->tries)
			interp_note_retry(in, st->pos, i, n->tries);
	}
	return -1;
}

const struct stmt_impl stmt_retry_impl = {
	.forms = retry_forms, .nforms = 1, .size = sizeof(struct stmt_retry),
	.flow = FLOW_REPEAT, .exec = exec_retry,
};

/* ---- fail MESSAGE ---- */

struct stmt_fail {
	struct ast_str message;
};

static const struct stmt_arg fail_args[] = {
	{ .name = "message", .kind = ARG_STRING, .metavar = "MESSAGE",
	  .offset = offsetof(struct stmt_fail, message),
	  .expected = "a message saying why, as in: fail \"login screen never appeared\"",
	  .help = "why the script stops, as the error says it" },
};

static const struct stmt_form fail_forms[] = { { .args = STMT_ARGS(fail_args) } };

static int exec_fail(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_fail *n = st->args;
	char *why = interp_str(in, &n->message);
	int rc = interp_fail(in, st->pos, why);

	free(why);
	return rc;
}

const struct stmt_impl stmt_fail_impl = {
	.forms = fail_forms, .nforms = 1, .size = sizeof(struct stmt_fail),
	.exec = exec_fail,
};
