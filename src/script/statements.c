/* statements.c: the statement table, one line a statement (its name, usage
 * and summary, and its handlers: template, node, check, describe, run, in its
 * stmt_*.c), and the text helpers that plans and logs share. How a template
 * is parsed and shown is args.c's. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/stmt.h"

/* ---- text helpers shared by plans and logs ---- */

static void quote_body(struct strbuf *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': strbuf_add(t, "\\\"", 2); break;
		case '\\': strbuf_add(t, "\\\\", 2); break;
		case '$': strbuf_add(t, "\\$", 2); break;
		case '\n': strbuf_add(t, "\\n", 2); break;
		case '\t': strbuf_add(t, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f)
				strbuf_printf(t, "\\u{%X}", c);
			else
				strbuf_add(t, (const char *)&s[i], 1);
		}
	}
}

void text_quote(struct strbuf *t, const char *s, size_t n)
{
	strbuf_add(t, "\"", 1);
	quote_body(t, s, n);
	strbuf_add(t, "\"", 1);
}

/* Can s be shown as a '...' string: literal, no quote, no control bytes,
 * and worth it (it has a backslash or a double quote to escape)? */
static int reads_better_raw(const struct ast_str *s)
{
	size_t i, k;
	int worth = 0;

	for (i = 0; i < s->nparts; i++) {
		if (s->parts[i].is_var)
			return 0;
		for (k = 0; k < s->parts[i].len; k++) {
			unsigned char c = (unsigned char)s->parts[i].text[k];

			if (c == '\'' || c < 0x20 || c == 0x7f)
				return 0;
			if (c == '\\' || c == '"')
				worth = 1;
		}
	}
	return worth;
}

void text_ast_str(struct strbuf *t, const struct ast_str *s, const struct vars *vars)
{
	size_t i;

	if (reads_better_raw(s)) {
		strbuf_add(t, "'", 1);
		for (i = 0; i < s->nparts; i++)
			strbuf_add(t, s->parts[i].text, s->parts[i].len);
		strbuf_add(t, "'", 1);
		return;
	}

	strbuf_add(t, "\"", 1);
	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		const char *value = part->is_var ? vars_get(vars, part->text) : NULL;

		if (part->is_var && !value)
			strbuf_printf(t, "${%s}", part->text);
		else if (part->is_var)
			quote_body(t, value, strlen(value));
		else
			quote_body(t, part->text, part->len);
	}
	strbuf_add(t, "\"", 1);
}

/* ---- the table ---- */

/* Each statement's handlers, in its stmt_*.c. */
extern const struct stmt_impl stmt_key_impl, stmt_down_impl, stmt_up_impl;
extern const struct stmt_impl stmt_type_impl, stmt_wait_impl, stmt_capture_impl;
extern const struct stmt_impl stmt_set_impl, stmt_default_impl, stmt_include_impl;
extern const struct stmt_impl stmt_step_impl, stmt_fail_impl;
extern const struct stmt_impl stmt_expect_impl, stmt_if_impl, stmt_retry_impl;
extern const struct stmt_impl stmt_move_impl, stmt_click_impl, stmt_boot_impl;
extern const struct stmt_impl stmt_read_impl;
extern const struct stmt_impl stmt_reconnect_impl;

/* The usage is what the template makes (test_statements checks it); the
 * summary is --help's and the man page's line. */
const struct stmt_def stmt_table[] = {
	{ "key", "key CHORD...",
	  "press and release each key or chord in turn (key enter; key ctrl-alt-del; key tab tab)",
	  &stmt_key_impl },
	{ "down", "down KEY", "press KEY and keep it held (released by 'up' or at exit)",
	  &stmt_down_impl },
	{ "up", "up KEY", "release a key held with 'down'", &stmt_up_impl },
	{ "type", "type STRING | type secret NAME",
	  "type text exactly, Shift where a US keyboard needs it; a secret is typed but never shown",
	  &stmt_type_impl },
	{ "wait", "wait DURATION", "pause, e.g. wait 500ms, wait 2s, wait 1m30s", &stmt_wait_impl },
	{ "capture", "capture FILE [in X,Y,W,H]",
	  "save a screenshot of the console (or of a region: a needle for expect image) as PNG",
	  &stmt_capture_impl },
	{ "set", "set NAME VALUE", "set a variable, used as ${NAME} in \"...\" strings",
	  &stmt_set_impl },
	{ "default", "default NAME VALUE", "set a variable unless -D or an earlier set gave it",
	  &stmt_default_impl },
	{ "include", "include FILE", "run another script file here (path relative to this file)",
	  &stmt_include_impl },
	{ "step", "step NAME [{ ... }]", "name the statements that follow, or the block, in logs",
	  &stmt_step_impl },
	{ "fail", "fail MESSAGE", "stop the script with exit status 1 and MESSAGE",
	  &stmt_fail_impl },
	{ "expect", "expect CONDITION [in X,Y,W,H] [timeout DURATION] | "
	  "expect disconnect [timeout DURATION]",
	  "wait for the screen: settled [DURATION], changed, image FILE [similarity N], "
	  "colour C SHARE [tolerance N], text STRING [similar N%]; fails (exit 1) after the "
	  "timeout, 30s by default",
	  &stmt_expect_impl },
	{ "if", "if CONDITION [in X,Y,W,H] [timeout DURATION] { ... } [else { ... }] | "
	  "if disconnect [timeout DURATION] { ... } [else { ... }]",
	  "run a block if the screen shows the condition now (or within timeout DURATION)",
	  &stmt_if_impl },
	{ "read", "read NAME [in X,Y,W,H]",
	  "put the text OCR reads on the screen (or in the region) into variable NAME and "
	  "the evidence",
	  &stmt_read_impl },
	{ "retry", "retry N { ... }",
	  "run a block up to N times until it does not fail (fail, an expect timing out)",
	  &stmt_retry_impl },
	{ "move", "move X,Y", "move the pointer to X,Y (pixels from the top left)",
	  &stmt_move_impl },
	{ "click", "click [X,Y] [left|middle|right]",
	  "click a pointer button, at X,Y if given (left by default)", &stmt_click_impl },
	{ "reconnect", "reconnect [timeout DURATION]",
	  "connect to the console again after it went away (expect or if disconnect), trying until "
	  "it answers; --connect-command runs again for every try",
	  &stmt_reconnect_impl },
	{ "boot", "boot STRING",
	  "keys in Packer's boot_command form: \"<esc><wait5>linux<enter><leftCtrlOn>c<leftCtrlOff>\"",
	  &stmt_boot_impl },
};

const size_t stmt_table_count = sizeof(stmt_table) / sizeof(stmt_table[0]);

const struct stmt_def *stmt_find(const char *name)
{
	size_t i;

	for (i = 0; i < stmt_table_count; i++)
		if (strcmp(stmt_table[i].name, name) == 0)
			return &stmt_table[i];
	return NULL;
}
