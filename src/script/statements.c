/* statements.c: the statement table and, for each statement, how it parses
 * its arguments, how it reads in a plan or log line, and what it does.
 * Generic work (blocks, variables, the target) is in parser.c and interp.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"
#include "script/packer.h"
#include "script/stmt.h"

/* ---- text helpers shared by plans and logs ---- */

void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			abort();
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void text_printf(struct text *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		text_add(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void quote_body(struct text *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': text_add(t, "\\\"", 2); break;
		case '\\': text_add(t, "\\\\", 2); break;
		case '$': text_add(t, "\\$", 2); break;
		case '\n': text_add(t, "\\n", 2); break;
		case '\t': text_add(t, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f)
				text_printf(t, "\\u{%X}", c);
			else
				text_add(t, (const char *)&s[i], 1);
		}
	}
}

void text_quote(struct text *t, const char *s, size_t n)
{
	text_add(t, "\"", 1);
	quote_body(t, s, n);
	text_add(t, "\"", 1);
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

void text_ast_str(struct text *t, const struct ast_str *s, const struct vars *vars)
{
	size_t i;

	if (reads_better_raw(s)) {
		text_add(t, "'", 1);
		for (i = 0; i < s->nparts; i++)
			text_add(t, s->parts[i].text, s->parts[i].len);
		text_add(t, "'", 1);
		return;
	}

	text_add(t, "\"", 1);
	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		const char *value = part->is_var ? vars_get(vars, part->text) : NULL;

		if (part->is_var && !value)
			text_printf(t, "${%s}", part->text);
		else if (part->is_var)
			quote_body(t, value, strlen(value));
		else
			quote_body(t, part->text, part->len);
	}
	text_add(t, "\"", 1);
}

/* ---- key, down, up ---- */

static int parse_key(struct parser *p, struct ast_stmt *st)
{
	if (parser_at_end(p))
		return parser_error(p, st->pos,
			"'key' needs at least one key or chord, as in: key ctrl-alt-del");
	while (!parser_at_end(p)) {
		const char *word;
		struct src_pos pos;
		struct keys_chord chord;
		char msg[256];
		size_t bad = 0;

		if (parser_word(p, &word, &pos, "a key name or chord such as enter or ctrl-alt-del") < 0)
			return -1;
		if (!keys_parse_chord(word, &chord, msg, sizeof(msg), &bad)) {
			pos.col += (int)bad;
			return parser_error(p, pos, "%s", msg);
		}
		st->chords = realloc(st->chords, (st->nchords + 1) * sizeof(*st->chords));
		st->chord_texts = realloc(st->chord_texts,
					  (st->nchords + 1) * sizeof(*st->chord_texts));
		if (!st->chords || !st->chord_texts)
			abort();
		st->chords[st->nchords] = chord;
		st->chord_texts[st->nchords] = strdup(word);
		if (!st->chord_texts[st->nchords])
			abort();
		st->nchords++;
	}
	return 0;
}

static void describe_key(const struct ast_stmt *st, const struct vars *vars,
			 struct text *out)
{
	size_t i;

	(void)vars;
	text_add(out, "key", 3);
	for (i = 0; i < st->nchords; i++)
		text_printf(out, " %s", st->chord_texts[i]);
}

static int exec_key(struct interp *in, const struct ast_stmt *st)
{
	size_t i, k;

	for (i = 0; i < st->nchords; i++) {
		const struct keys_chord *c = &st->chords[i];

		for (k = 0; k < c->count; k++)
			if (interp_keysym(in, c->keysym[k], 1) < 0)
				return -1;
		for (k = c->count; k-- > 0;)
			if (interp_keysym(in, c->keysym[k], 0) < 0)
				return -1;
	}
	return 0;
}

static int parse_one_key(struct parser *p, struct ast_stmt *st)
{
	const char *word;
	struct src_pos pos;
	const char *near[3];
	size_t n;

	if (parser_word(p, &word, &pos, "a key name such as shift or ctrl") < 0)
		return -1;
	if (keys_from_name(word, &st->keysym)) {
		st->name = strdup(word);
		if (!st->name)
			abort();
		return 0;
	}
	n = keys_suggest(word, near, 3);
	if (n == 0)
		return parser_error(p, pos, "unknown key '%s' (vncbot keys lists them)", word);
	if (n == 1)
		return parser_error(p, pos, "unknown key '%s' (did you mean '%s'?)",
				    word, near[0]);
	return parser_error(p, pos, "unknown key '%s' (did you mean '%s' or '%s'?)",
			    word, near[0], near[1]);
}

static void describe_down(const struct ast_stmt *st, const struct vars *vars,
			  struct text *out)
{
	(void)vars;
	text_printf(out, "%s %s", st->def->name, st->name);
}

static int exec_down(struct interp *in, const struct ast_stmt *st)
{
	return interp_keysym(in, st->keysym, 1);
}

static int exec_up(struct interp *in, const struct ast_stmt *st)
{
	return interp_keysym(in, st->keysym, 0);
}

/* ---- type ---- */

/* The literal text of a string must be typable now, so that a script that
 * cannot be typed is refused before any key is sent; only a variable's value
 * is left to be checked when it is typed (interp_type). */
static int check_typable(struct parser *p, const struct ast_str *s)
{
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		struct keys_stroke *strokes;
		size_t n, bad = 0;
		char msg[256];

		if (s->parts[i].is_var)
			continue;
		if (keys_text_to_strokes(s->parts[i].text, s->parts[i].len, &strokes,
					 &n, msg, sizeof(msg), &bad) < 0)
			return parser_error(p, s->parts[i].pos,
					    "this string cannot be typed: %s", msg);
		free(strokes);
	}
	return 0;
}

static int parse_type(struct parser *p, struct ast_stmt *st)
{
	if (parser_next_is_word(p, "secret")) {
		const char *name;
		struct src_pos pos;

		parser_word(p, &name, &pos, "secret");
		if (parser_word(p, &name, &pos, "the name of a secret given with --secret") < 0)
			return -1;
		if (parser_use_secret(p, name, pos) < 0)
			return -1;
		st->name = strdup(name);
		if (!st->name)
			abort();
		return 0;
	}
	st->has_str = 1;
	if (parser_string(p, &st->str,
			  "a string to type (\"...\" or '...') or 'secret NAME'") < 0)
		return -1;
	return check_typable(p, &st->str);
}

static void describe_type(const struct ast_stmt *st, const struct vars *vars,
			  struct text *out)
{
	if (st->name)
		text_printf(out, "type <secret %s>", st->name);
	else {
		text_add(out, "type ", 5);
		text_ast_str(out, &st->str, vars);
	}
}

static int exec_type(struct interp *in, const struct ast_stmt *st)
{
	char *text;
	int rc;

	if (st->name)
		return interp_type_secret(in, st->name, st->pos);
	text = interp_str(in, &st->str);
	rc = interp_type(in, text, strlen(text), st->str.pos);
	free(text);
	return rc;
}

/* ---- wait ---- */

static int parse_wait(struct parser *p, struct ast_stmt *st)
{
	return parser_duration(p, &st->ms);
}

static void describe_wait(const struct ast_stmt *st, const struct vars *vars,
			  struct text *out)
{
	(void)vars;
	if (st->ms % 1000)
		text_printf(out, "wait %ldms", st->ms);
	else
		text_printf(out, "wait %lds", st->ms / 1000);
}

static int exec_wait(struct interp *in, const struct ast_stmt *st)
{
	return interp_pause(in, st->ms);
}

/* ---- capture ---- */

static int parse_capture(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	return parser_value(p, &st->str, "a file name for the PNG, as in: capture login.png");
}

static void describe_str_stmt(const struct ast_stmt *st, const struct vars *vars,
			      struct text *out)
{
	text_printf(out, "%s ", st->def->name);
	text_ast_str(out, &st->str, vars);
}

static int exec_capture(struct interp *in, const struct ast_stmt *st)
{
	char *path = interp_str(in, &st->str);
	int rc = interp_capture(in, path);

	free(path);
	return rc;
}

/* ---- set, default ---- */

static int parse_set(struct parser *p, struct ast_stmt *st)
{
	const char *name;
	struct src_pos pos;

	if (parser_word(p, &name, &pos, "a variable name") < 0)
		return -1;
	if (!vars_valid_name(name, strlen(name)))
		return parser_error(p, pos,
			"'%s' is not a variable name (letters, digits and '_', not starting with a digit)",
			name);
	st->name = strdup(name);
	if (!st->name)
		abort();
	st->has_str = 1;
	if (parser_value(p, &st->str, "a value (\"...\", '...' or a word)") < 0)
		return -1;
	parser_define(p, name); /* after the value: `set A "${A}x"` needs A before */
	return 0;
}

static void describe_set(const struct ast_stmt *st, const struct vars *vars,
			 struct text *out)
{
	text_printf(out, "%s %s ", st->def->name, st->name);
	text_ast_str(out, &st->str, vars);
}

static int exec_set(struct interp *in, const struct ast_stmt *st)
{
	char *value = interp_str(in, &st->str);

	interp_set(in, st->name, value, strcmp(st->def->name, "default") == 0);
	free(value);
	return 0;
}

/* ---- include ---- */

static int parse_include(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	if (parser_value(p, &st->str, "a file to include") < 0)
		return -1;
	st->has_body = 1;
	return parser_include(p, &st->str, &st->body);
}

static int exec_body(struct interp *in, const struct ast_stmt *st)
{
	return interp_block(in, &st->body);
}

/* ---- step ---- */

static int parse_step(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	if (parser_string(p, &st->str, "the step's name in quotes, as in: step \"Log in\" { ... }") < 0)
		return -1;
	if (parser_next_is_block(p)) {
		st->has_body = 1;
		return parser_block(p, &st->body);
	}
	return 0;
}

static int exec_step(struct interp *in, const struct ast_stmt *st)
{
	char *name = interp_str(in, &st->str);
	int rc = 0;

	interp_step(in, name, 1);
	if (st->has_body) {
		rc = interp_block(in, &st->body);
		if (rc == 0)
			interp_step(in, name, 0);
	}
	free(name);
	return rc;
}

/* ---- fail ---- */

static int parse_fail(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	return parser_string(p, &st->str, "a message saying why, as in: fail \"login screen never appeared\"");
}

static int exec_fail(struct interp *in, const struct ast_stmt *st)
{
	char *why = interp_str(in, &st->str);
	int rc = interp_fail(in, st->pos, why);

	free(why);
	return rc;
}

/* ---- boot (Packer boot_command strings) ---- */

#define BOOT_ACTIONS_MAX 4096

static int parse_boot(struct parser *p, struct ast_stmt *st)
{
	struct packer_action *acts;
	char msg[256];
	size_t bad = 0, i;
	long n;

	st->has_str = 1;
	if (parser_string(p, &st->str, "a Packer boot_command string, as in: boot \"<esc><wait>linux<enter>\"") < 0)
		return -1;
	for (i = 0; i < st->str.nparts; i++)
		if (st->str.parts[i].is_var)
			return 0; /* checked when it runs, with the values */
	acts = malloc(BOOT_ACTIONS_MAX * sizeof(*acts));
	if (!acts)
		abort();
	for (i = 0; i < st->str.nparts; i++) {
		const struct str_part *part = &st->str.parts[i];
		long k;

		n = packer_parse(part->text, part->len, acts, BOOT_ACTIONS_MAX, msg,
				 sizeof(msg), &bad);
		for (k = 0; n >= 0 && k < n; k++) {
			struct keys_stroke *strokes;
			size_t count, at = 0;

			if (acts[k].kind != PACKER_TEXT)
				continue;
			if (keys_text_to_strokes(acts[k].text, acts[k].len, &strokes, &count,
						 msg, sizeof(msg), &at) < 0) {
				n = -1;
				bad = acts[k].offset + at;
				break;
			}
			free(strokes);
		}
		if (n < 0) {
			struct src_pos pos = part->pos;

			free(acts);
			pos.col += (int)bad; /* close enough in one-line strings */
			return parser_error(p, pos, "%s", msg);
		}
	}
	free(acts);
	return 0;
}

static int exec_boot(struct interp *in, const struct ast_stmt *st)
{
	char *text = interp_str(in, &st->str), msg[256];
	struct packer_action *acts = malloc(BOOT_ACTIONS_MAX * sizeof(*acts));
	size_t bad = 0;
	long n, k;
	int rc = 0;

	if (!acts)
		abort();
	n = packer_parse(text, strlen(text), acts, BOOT_ACTIONS_MAX, msg, sizeof(msg), &bad);
	if (n < 0)
		rc = interp_fail(in, st->pos, msg);
	for (k = 0; rc == 0 && k < n; k++) {
		const struct packer_action *a = &acts[k];

		switch (a->kind) {
		case PACKER_TAP:
			rc = interp_keysym(in, a->keysym, 1);
			if (rc == 0)
				rc = interp_keysym(in, a->keysym, 0);
			break;
		case PACKER_DOWN:
			rc = interp_keysym(in, a->keysym, 1);
			break;
		case PACKER_UP:
			rc = interp_keysym(in, a->keysym, 0);
			break;
		case PACKER_TEXT:
			rc = interp_type(in, a->text, a->len, st->str.pos);
			break;
		case PACKER_WAIT:
			rc = interp_pause(in, a->ms);
			break;
		}
	}
	free(acts);
	free(text);
	return rc;
}

const struct stmt_def stmt_table[] = {
	{ "key", "key CHORD...",
	  "press and release each key or chord in turn (key enter; key ctrl-alt-del; key tab tab)",
	  parse_key, describe_key, exec_key },
	{ "down", "down KEY", "press KEY and keep it held (released by 'up' or at exit)",
	  parse_one_key, describe_down, exec_down },
	{ "up", "up KEY", "release a key held with 'down'",
	  parse_one_key, describe_down, exec_up },
	{ "type", "type STRING | type secret NAME",
	  "type text exactly, Shift where a US keyboard needs it; a secret is typed but never shown",
	  parse_type, describe_type, exec_type },
	{ "wait", "wait DURATION", "pause, e.g. wait 500ms, wait 2s, wait 1m30s",
	  parse_wait, describe_wait, exec_wait },
	{ "capture", "capture FILE", "save a screenshot of the console as PNG",
	  parse_capture, describe_str_stmt, exec_capture },
	{ "set", "set NAME VALUE", "set a variable, used as ${NAME} in \"...\" strings",
	  parse_set, describe_set, exec_set },
	{ "default", "default NAME VALUE", "set a variable unless -D or an earlier set gave it",
	  parse_set, describe_set, exec_set },
	{ "include", "include FILE", "run another script file here (path relative to this file)",
	  parse_include, describe_str_stmt, exec_body },
	{ "step", "step NAME [{ ... }]", "name the statements that follow, or the block, in logs",
	  parse_step, describe_str_stmt, exec_step },
	{ "fail", "fail MESSAGE", "stop the script with exit status 1 and MESSAGE",
	  parse_fail, describe_str_stmt, exec_fail },
	{ "boot", "boot STRING",
	  "keys in Packer's boot_command form: \"<esc><wait5>linux<enter><leftCtrlOn>c<leftCtrlOff>\"",
	  parse_boot, describe_str_stmt, exec_boot },
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
