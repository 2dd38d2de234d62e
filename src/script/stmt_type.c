/* stmt_type.c: type STRING and type secret NAME, text typed exactly. The
 * literal text must be typable when the script is parsed; a variable's value
 * and a secret are checked when typed (interp.c, typable.c). How text becomes
 * key strokes is keys.c's. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"
#include "script/stmt.h"

struct stmt_type {
	struct ast_str text; /* type STRING */
	char *secret;        /* type secret NAME: the secret's name */
};

static const struct stmt_arg text_args[] = {
	{ .name = "text", .kind = ARG_STRING, .flags = ARG_TYPED,
	  .offset = offsetof(struct stmt_type, text),
	  .expected = "a string to type (\"...\" or '...') or 'secret NAME'",
	  .help = "the text to type, exactly; Shift is pressed where a US keyboard needs it" },
};

static const struct stmt_arg secret_args[] = {
	{ .name = "name", .kind = ARG_SECRET, .flags = ARG_TYPED,
	  .offset = offsetof(struct stmt_type, secret),
	  .help = "the name of a secret given with --secret NAME=SOURCE; its value is "
		  "typed and never shown" },
};

static const struct stmt_form type_forms[] = {
	{ .summary = "type text exactly, Shift where a US keyboard needs it",
	  .args = STMT_ARGS(text_args) },
	{ .word = "secret", .tool = "type_secret",
	  .summary = "type a secret given with --secret; its value is never shown or logged",
	  .args = STMT_ARGS(secret_args) },
};

/* The literal text of a string must be typable now, so that a script that
 * cannot be typed is refused before any key is sent; only a variable's value
 * is left to be checked when it is typed (interp_type). */
static int check_type(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_type *n = st->args;
	size_t i;

	for (i = 0; i < n->text.nparts; i++) {
		const struct str_part *part = &n->text.parts[i];
		struct keys_stroke *strokes;
		size_t count, bad = 0;
		char msg[256];

		if (part->is_var)
			continue;
		if (keys_text_to_strokes(part->text, part->len, &strokes, &count, msg,
					 sizeof(msg), &bad) < 0)
			return parser_error(p, part->pos, "this string cannot be typed: %s", msg);
		free(strokes);
	}
	return 0;
}

/* A secret by name only: <secret NAME>. */
static void describe_type(const struct ast_stmt *st, const struct vars *vars,
			  struct strbuf *out)
{
	const struct stmt_type *n = st->args;

	if (n->secret) {
		strbuf_printf(out, "type <secret %s>", n->secret);
		return;
	}
	strbuf_add(out, "type ", 5);
	text_ast_str(out, &n->text, vars);
}

static int exec_type(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_type *n = st->args;
	char *text;
	int rc;

	if (n->secret)
		return interp_type_secret(in, n->secret, st->pos);
	if (interp_check_typable(in, &n->text) < 0)
		return -1;
	text = interp_str(in, &n->text);
	rc = interp_type(in, text, strlen(text), n->text.pos);
	free(text);
	return rc;
}

const struct stmt_impl stmt_type_impl = {
	.forms = type_forms, .nforms = 2, .size = sizeof(struct stmt_type),
	.sends_input = 1, .check = check_type, .describe = describe_type,
	.exec = exec_type,
};
