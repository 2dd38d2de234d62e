/* test_parser.c: unit tests of src/script/parser.c and the parse side of
 * statements.c: the AST good scripts give, blocks, includes, the checks on
 * variables and secrets, and errors at FILE:LINE:COL with context and hint. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "script/script.h"
#include "script/stmt.h"
#include "cli/cli.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define SCRIPTS TEST_DATA_DIR "/scripts"

static struct vb_error last_err;

/* Parse text as the script "main.vnc"; the result or NULL with last_err. */
static struct script *parse_env(const char *text, const struct script_env *env)
{
	struct script *s = (struct script *)0x1;
	int rc;

	vb_error_clear(&last_err);
	rc = script_parse(source_from_string("main.vnc", text), env, &s, &last_err);
	if (rc < 0 && s != NULL)
		fail_msg("script_parse failed but left *out set");
	if (rc == 0 && s == NULL)
		fail_msg("script_parse succeeded but gave no script");
	return s;
}

static struct script *parse_ok_env(const char *text, const struct script_env *env)
{
	struct script *s = parse_env(text, env);

	if (!s)
		fail_msg("parsing \"%s\" failed: %s: %s (hint: %s)", text,
			 last_err.where, last_err.message, last_err.hint);
	return s;
}

static struct script *parse_ok(const char *text)
{
	return parse_ok_env(text, NULL);
}

static struct script *parse_file(const char *path, struct vb_error *err)
{
	struct script *s = NULL;
	struct source *src = source_read(path, err);

	if (!src)
		fail_msg("cannot read fixture %s: %s", path, err->message);
	if (script_parse(src, NULL, &s, err) < 0)
		return NULL;
	return s;
}

/* The error must be VB_USAGE at where, its message containing msg and, if
 * hint is not NULL, its hint containing hint. */
static void expect_err(const struct vb_error *err, const char *what,
		       const char *where, const char *msg, const char *hint)
{
	if (err->status != VB_USAGE)
		fail_msg("%s: status %d, want VB_USAGE (%d)", what, err->status,
			 VB_USAGE);
	if (strcmp(err->where, where) != 0)
		fail_msg("%s: error at \"%s\", want \"%s\" (message: %s)", what,
			 err->where, where, err->message);
	if (!strstr(err->message, msg))
		fail_msg("%s: message \"%s\" does not say \"%s\"", what, err->message,
			 msg);
	if (hint && !strstr(err->hint, hint))
		fail_msg("%s: hint \"%s\" does not say \"%s\"", what, err->hint, hint);
}

static void expect_parse_error_env(const char *text, const struct script_env *env,
				   const char *where, const char *msg,
				   const char *hint)
{
	struct script *s = parse_env(text, env);
	char what[256];

	if (s) {
		script_free(s);
		fail_msg("parsing \"%s\" succeeded, want an error at %s saying \"%s\"",
			 text, where, msg);
	}
	snprintf(what, sizeof(what), "parsing \"%s\"", text);
	expect_err(&last_err, what, where, msg, hint);
}

static void expect_parse_error(const char *text, const char *where,
			       const char *msg, const char *hint)
{
	expect_parse_error_env(text, NULL, where, msg, hint);
}

static const struct ast_stmt *stmt_at(const struct ast_block *b, size_t i,
				      const char *name)
{
	if (i >= b->count)
		fail_msg("block has %zu statements, want at least %zu", b->count,
			 i + 1);
	if (strcmp(b->items[i].def->name, name) != 0)
		fail_msg("statement %zu is '%s', want '%s'", i, b->items[i].def->name,
			 name);
	return &b->items[i];
}

static void expect_block_names(const struct ast_block *b, const char *want)
{
	char got[256] = "";
	size_t i;

	for (i = 0; i < b->count; i++) {
		size_t used = strlen(got);

		snprintf(got + used, sizeof(got) - used, "%s%s", i ? " " : "",
			 b->items[i].def->name);
	}
	if (strcmp(got, want) != 0)
		fail_msg("block holds [%s], want [%s]", got, want);
}

/* The string value as text with ${NAME} for references. */
static const char *str_text(const struct ast_str *s, char *buf, size_t size)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < s->nparts; i++) {
		size_t used = strlen(buf);

		if (s->parts[i].is_var)
			snprintf(buf + used, size - used, "${%s}", s->parts[i].text);
		else
			snprintf(buf + used, size - used, "%s", s->parts[i].text);
	}
	return buf;
}

/* The arguments of a statement, by their names in its template. */

/* Its string value (type's text, capture's file, set's value, step's name):
 * its first string argument given, or NULL. */
static const struct ast_str *str_arg(const struct ast_stmt *st)
{
	size_t i;

	for (i = 0; i < st->form->nargs; i++) {
		const struct stmt_arg *a = &st->form->args[i];

		if ((a->kind == ARG_STRING || a->kind == ARG_VALUE || a->kind == ARG_FILE) &&
		    stmt_given(st, i))
			return stmt_field(st, a);
	}
	return NULL;
}

/* The name it holds (set's variable, type secret's secret), or NULL. */
static const char *name_arg(const struct ast_stmt *st)
{
	const struct stmt_arg *a = stmt_arg_named(st->form, "name", NULL);

	if (!a || (a->kind != ARG_VARIABLE && a->kind != ARG_SECRET))
		return NULL;
	return *(char *const *)stmt_field(st, a);
}

static const struct ast_chords *chords_arg(const struct ast_stmt *st)
{
	const struct ast_chords *k = stmt_arg_field(st, "keys");

	if (!k)
		fail_msg("'%s' has no chords", st->def->name);
	return k;
}

static const struct ast_key *key_arg(const struct ast_stmt *st)
{
	const struct ast_key *k = stmt_arg_field(st, "key");

	if (!k)
		fail_msg("'%s' has no key", st->def->name);
	return k;
}

static long duration_arg(const struct ast_stmt *st)
{
	const long *ms = stmt_arg_field(st, "duration");

	if (!ms)
		fail_msg("'%s' has no duration", st->def->name);
	return *ms;
}

/* Its block (step's, an include's statements), given or not. */
static const struct ast_block *body_arg(const struct ast_stmt *st)
{
	const struct ast_block *b = stmt_arg_field(st, "body");

	if (!b)
		fail_msg("'%s' has no block", st->def->name);
	return b;
}

static int has_body(const struct ast_stmt *st)
{
	return stmt_arg_given(st, "body");
}

static void expect_str(const struct ast_stmt *st, const char *want)
{
	char buf[512];

	if (!str_arg(st))
		fail_msg("'%s' has no string, want \"%s\"", st->def->name, want);
	if (strcmp(str_text(str_arg(st), buf, sizeof(buf)), want) != 0)
		fail_msg("'%s' has string \"%s\", want \"%s\"", st->def->name, buf,
			 want);
}

static void expect_stmt_at(const struct ast_stmt *st, int line, int col)
{
	if (st->pos.line != line || st->pos.col != col)
		fail_msg("'%s' is at %d:%d, want %d:%d", st->def->name, st->pos.line,
			 st->pos.col, line, col);
}

/* ---- statements and their arguments ---- */

static void key_chord_holds_keysyms_in_press_order(void **state)
{
	struct script *s = parse_ok("key ctrl-alt-del");
	const struct ast_stmt *st = stmt_at(&s->top, 0, "key");

	(void)state;
	assert_int_equal(chords_arg(st)->count, 1);
	assert_int_equal(chords_arg(st)->chords[0].count, 3);
	assert_int_equal(chords_arg(st)->chords[0].keysym[0], 0xffe3); /* Control_L */
	assert_int_equal(chords_arg(st)->chords[0].keysym[1], 0xffe9); /* Alt_L */
	assert_int_equal(chords_arg(st)->chords[0].keysym[2], 0xffff); /* Delete */
	assert_string_equal(chords_arg(st)->texts[0], "ctrl-alt-del");
	script_free(s);
}

static void key_takes_several_chords_in_turn(void **state)
{
	struct script *s = parse_ok("key enter tab ctrl+shift+esc super-r");
	const struct ast_chords *k = chords_arg(stmt_at(&s->top, 0, "key"));
	static const char *const texts[] = { "enter", "tab", "ctrl+shift+esc",
					     "super-r" };
	size_t i;

	(void)state;
	assert_int_equal(k->count, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(k->texts[i], texts[i]);
	assert_int_equal(k->chords[0].count, 1);
	assert_int_equal(k->chords[0].keysym[0], 0xff0d);
	assert_int_equal(k->chords[1].keysym[0], 0xff09);
	assert_int_equal(k->chords[2].count, 3);
	assert_int_equal(k->chords[2].keysym[2], 0xff1b);
	assert_int_equal(k->chords[3].count, 2);
	assert_int_equal(k->chords[3].keysym[0], 0xffeb);
	assert_int_equal(k->chords[3].keysym[1], 'r');
	script_free(s);
}

static void down_and_up_hold_one_keysym(void **state)
{
	struct script *s = parse_ok("down shift\nup Shift_L");
	const struct ast_stmt *down = stmt_at(&s->top, 0, "down");
	const struct ast_stmt *up = stmt_at(&s->top, 1, "up");

	(void)state;
	assert_int_equal(key_arg(down)->keysym, 0xffe1);
	assert_string_equal(key_arg(down)->name, "shift");
	assert_int_equal(key_arg(up)->keysym, 0xffe1);
	assert_string_equal(key_arg(up)->name, "Shift_L");
	script_free(s);
}

static void type_keeps_string_parts_for_run_time(void **state)
{
	struct vars defs = { 0 };
	struct script_env env = { .defines = &defs };
	struct script *s;

	(void)state;
	vars_set(&defs, "USER", "admin");
	s = parse_ok_env("type \"Hi ${USER}!\\n\"\ntype 'C:\\tmp'", &env);
	expect_str(stmt_at(&s->top, 0, "type"), "Hi ${USER}!\n");
	assert_int_equal(str_arg(&s->top.items[0])->nparts, 3);
	assert_null(name_arg(&s->top.items[0]));
	expect_str(stmt_at(&s->top, 1, "type"), "C:\\tmp");
	script_free(s);
	vars_clear(&defs);
}

static void type_secret_records_the_name_not_a_string(void **state)
{
	struct script *s = parse_ok("type secret password");
	const struct ast_stmt *st = stmt_at(&s->top, 0, "type");

	(void)state;
	assert_string_equal(name_arg(st), "password");
	assert_null(str_arg(st));
	script_free(s);
}

static void wait_durations_become_milliseconds(void **state)
{
	static const struct {
		const char *text;
		long ms;
	} cases[] = {
		{ "250ms", 250 },    { "2s", 2000 },	  { "1m30s", 90000 },
		{ "1.5s", 1500 },    { "1h", 3600000 },	  { "0ms", 0 },
		{ "1m", 60000 },     { "0.25s", 250 },	  { "1h1m1s1ms", 3661001 },
		{ "2.5ms", 3 },	     { "168h", 604800000 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		long ms = -1;

		if (duration_parse(cases[i].text, &ms) < 0)
			fail_msg("'%s' is not read as a duration", cases[i].text);
		if (ms != cases[i].ms)
			fail_msg("'%s' gave %ld ms, want %ld", cases[i].text, ms,
				 cases[i].ms);
	}
}

static void wait_statement_holds_its_duration(void **state)
{
	struct script *s = parse_ok("wait 250ms\nwait 1m30s\nwait 1.5s");

	(void)state;
	assert_int_equal(duration_arg(stmt_at(&s->top, 0, "wait")), 250);
	assert_int_equal(duration_arg(stmt_at(&s->top, 1, "wait")), 90000);
	assert_int_equal(duration_arg(stmt_at(&s->top, 2, "wait")), 1500);
	script_free(s);
}

static void malformed_durations_are_refused(void **state)
{
	static const char *const bad[] = {
		"", "2", "s", "ms", "2x", "-1s", "1.5", "1m30", ".5s",
		"8d", "169h", "2sec", "1s 2s", "s2", "2S", "1e3ms", "0x10s",
		"2s2s", "1s1m", "500ms1s", "1.s",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		long ms = 12345;

		if (duration_parse(bad[i], &ms) == 0)
			fail_msg("'%s' was read as a duration of %ld ms", bad[i], ms);
		if (ms != 12345)
			fail_msg("'%s' was refused but changed ms to %ld", bad[i], ms);
	}
}

static void capture_takes_a_word_or_a_string(void **state)
{
	struct script *s = parse_ok("capture shots/a.png\ncapture \"b c.png\"");

	(void)state;
	expect_str(stmt_at(&s->top, 0, "capture"), "shots/a.png");
	expect_str(stmt_at(&s->top, 1, "capture"), "b c.png");
	script_free(s);
}

static void set_default_and_fail_hold_name_and_value(void **state)
{
	struct script *s = parse_ok("set A \"x\"\ndefault B word\nset C 'r'\n"
				    "fail \"why ${A}\"");

	(void)state;
	assert_string_equal(name_arg(stmt_at(&s->top, 0, "set")), "A");
	expect_str(&s->top.items[0], "x");
	assert_string_equal(name_arg(stmt_at(&s->top, 1, "default")), "B");
	expect_str(&s->top.items[1], "word");
	expect_str(stmt_at(&s->top, 2, "set"), "r");
	expect_str(stmt_at(&s->top, 3, "fail"), "why ${A}");
	script_free(s);
}

static void statements_keep_their_line_and_column(void **state)
{
	struct script *s = parse_ok("# comment\n\n  key a; wait 1s\n\ttype \"x\"");

	(void)state;
	expect_block_names(&s->top, "key wait type");
	expect_stmt_at(&s->top.items[0], 3, 3);
	expect_stmt_at(&s->top.items[1], 3, 10);
	expect_stmt_at(&s->top.items[2], 4, 2);
	script_free(s);
}

static void blank_lines_and_comments_make_no_statements(void **state)
{
	struct script *s = parse_ok("\n# only\n  # comments\n;;\n");

	(void)state;
	assert_int_equal(s->top.count, 0);
	script_free(s);
}

/* ---- blocks ---- */

static void step_without_a_block_names_what_follows(void **state)
{
	struct script *s = parse_ok("step \"Sign in\"\nkey enter");
	const struct ast_stmt *st = stmt_at(&s->top, 0, "step");

	(void)state;
	expect_str(st, "Sign in");
	assert_int_equal(has_body(st), 0);
	expect_block_names(&s->top, "step key");
	script_free(s);
}

static void step_blocks_nest(void **state)
{
	struct script *s = parse_ok("step \"outer\" {\n"
				    "  step \"inner\" {\n"
				    "    key a\n"
				    "  }\n"
				    "  key b\n"
				    "}\n"
				    "key c\n");
	const struct ast_stmt *outer = stmt_at(&s->top, 0, "step");
	const struct ast_stmt *inner;

	(void)state;
	expect_block_names(&s->top, "step key");
	assert_int_equal(has_body(outer), 1);
	expect_block_names(body_arg(outer), "step key");
	inner = stmt_at(body_arg(outer), 0, "step");
	expect_str(inner, "inner");
	expect_block_names(body_arg(inner), "key");
	expect_stmt_at(&body_arg(inner)->items[0], 3, 5);
	script_free(s);
}

static void block_fits_on_one_line_with_semicolons(void **state)
{
	struct script *s = parse_ok("step \"x\" { key a; wait 1s; key b }; key c");

	(void)state;
	expect_block_names(&s->top, "step key");
	expect_block_names(body_arg(&s->top.items[0]), "key wait key");
	script_free(s);
}

static void empty_block_is_a_body_with_no_statements(void **state)
{
	struct script *s = parse_ok("step \"x\" {}\nstep \"y\" {\n}");

	(void)state;
	assert_int_equal(has_body(&s->top.items[0]), 1);
	assert_int_equal(body_arg(&s->top.items[0])->count, 0);
	assert_int_equal(has_body(&s->top.items[1]), 1);
	assert_int_equal(body_arg(&s->top.items[1])->count, 0);
	script_free(s);
}

/* ---- includes ---- */

static void include_reads_paths_relative_to_the_including_file(void **state)
{
	struct vb_error err = { 0 };
	struct script *s = parse_file(SCRIPTS "/inc_main.vnc", &err);
	const struct ast_stmt *inc, *inner_inc;

	(void)state;
	if (!s)
		fail_msg("parsing inc_main.vnc failed: %s: %s", err.where, err.message);
	expect_block_names(&s->top, "key include type");
	inc = &s->top.items[1];
	assert_int_equal(has_body(inc), 1);
	expect_str(inc, "sub/inc_inner.vnc");
	expect_block_names(body_arg(inc), "set include");
	inner_inc = &body_arg(inc)->items[1];
	expect_block_names(body_arg(inner_inc), "key");
	assert_int_equal(chords_arg(&body_arg(inner_inc)->items[0])->chords[0].keysym[0], 'b');
	/* Positions point into the included files, which the script owns. */
	assert_string_equal(body_arg(inner_inc)->items[0].pos.src->name,
			    SCRIPTS "/sub/inc_leaf.vnc");
	assert_int_equal(body_arg(inner_inc)->items[0].pos.line, 1);
	assert_string_equal(body_arg(inc)->items[0].pos.src->name,
			    SCRIPTS "/sub/inc_inner.vnc");
	script_free(s);
}

static void include_inside_a_step_block(void **state)
{
	struct vb_error err = { 0 };
	struct script *s = parse_file(SCRIPTS "/include_in_step.vnc", &err);

	(void)state;
	if (!s)
		fail_msg("parsing include_in_step.vnc failed: %s: %s", err.where,
			 err.message);
	expect_block_names(&s->top, "step");
	expect_block_names(body_arg(&s->top.items[0]), "include");
	expect_block_names(body_arg(&body_arg(&s->top.items[0])->items[0]), "key");
	script_free(s);
}

static void include_cycle_is_an_error_at_the_include_that_closes_it(void **state)
{
	struct vb_error err = { 0 };

	(void)state;
	assert_null(parse_file(SCRIPTS "/cycle_a.vnc", &err));
	expect_err(&err, "cycle_a.vnc", SCRIPTS "/cycle_b.vnc:2:9", "includes itself",
		   NULL);
	assert_non_null(strstr(err.message, "cycle_a.vnc"));
	assert_non_null(strstr(err.context, "include \"cycle_a.vnc\""));
}

static void file_including_itself_is_an_error(void **state)
{
	struct vb_error err = { 0 };

	(void)state;
	assert_null(parse_file(SCRIPTS "/self_include.vnc", &err));
	expect_err(&err, "self_include.vnc", SCRIPTS "/self_include.vnc:1:9",
		   "includes itself (through 1 level)", NULL);
}

static void missing_include_points_at_the_include_line(void **state)
{
	struct vb_error err = { 0 };

	(void)state;
	assert_null(parse_file(SCRIPTS "/include_missing.vnc", &err));
	expect_err(&err, "include_missing.vnc", SCRIPTS "/include_missing.vnc:2:9",
		   "cannot include", NULL);
	assert_non_null(strstr(err.message, "no_such_file.vnc"));
	assert_non_null(strstr(err.message, "No such file"));
	assert_string_equal(err.context,
			    "include \"no_such_file.vnc\"\n        ^");
}

static void error_in_an_included_file_points_into_that_file(void **state)
{
	struct vb_error err = { 0 };

	(void)state;
	assert_null(parse_file(SCRIPTS "/include_bad.vnc", &err));
	expect_err(&err, "include_bad.vnc", SCRIPTS "/sub/bad_inner.vnc:2:1",
		   "unknown statement 'tpye'", "did you mean 'type'?");
	assert_string_equal(err.context, "tpye \"x\"\n^");
}

static void caret_stands_under_the_character_after_multibyte_text(void **state)
{
	(void)state;
	assert_null(parse_env("type \"h\xc3\xa9llo \xe2\x82\xac\"; key entr\n", NULL));
	assert_string_equal(last_err.where, "main.vnc:1:21");
	assert_string_equal(last_err.context,
			    "type \"h\xc3\xa9llo \xe2\x82\xac\"; key entr\n"
			    "                    ^");
}

static void include_path_cannot_use_variables_or_be_empty(void **state)
{
	struct vars defs = { 0 };
	struct script_env env = { .defines = &defs };

	(void)state;
	vars_set(&defs, "X", "inc_main");
	expect_parse_error_env("include \"${X}.vnc\"", &env, "main.vnc:1:9",
			       "an include path cannot use variables", NULL);
	expect_parse_error("include \"\"", "main.vnc:1:9", "empty include path",
			   NULL);
	vars_clear(&defs);
}

/* A needle or include path with an undefined ${NAME} said only that the
 * variable was not defined (and the needle's path leaked): it is refused
 * for what it is, a path with a variable, defined or not. */
static void needle_and_include_paths_with_a_variable_say_so_defined_or_not(void **state)
{
	struct vars defs = { 0 };
	struct script_env env = { .defines = &defs };

	(void)state;
	expect_parse_error("expect image \"${X}.png\"", "main.vnc:1:14",
			   "a needle path cannot use variables", NULL);
	expect_parse_error("if image \"shots/${X}\" { key a }", "main.vnc:1:10",
			   "a needle path cannot use variables", NULL);
	expect_parse_error("include \"${X}.vnc\"", "main.vnc:1:9",
			   "an include path cannot use variables", NULL);
	vars_set(&defs, "X", "n");
	expect_parse_error_env("expect image \"${X}.png\"", &env, "main.vnc:1:14",
			       "a needle path cannot use variables", NULL);
	vars_clear(&defs);
}

/* ---- errors: statements and arguments ---- */

static void unknown_statement_suggests_the_nearest(void **state)
{
	(void)state;
	expect_parse_error("key a\ntpye \"x\"", "main.vnc:2:1",
			   "unknown statement 'tpye'", "did you mean 'type'?");
	assert_string_equal(last_err.context, "tpye \"x\"\n^");
	expect_parse_error("  wiat 2s", "main.vnc:1:3", "unknown statement 'wiat'",
			   "did you mean 'wait'?");
	assert_string_equal(last_err.context, "  wiat 2s\n  ^");
	expect_parse_error("captrue a.png", "main.vnc:1:1",
			   "unknown statement 'captrue'", "did you mean 'capture'?");
}

static void unknown_statement_far_from_all_lists_them(void **state)
{
	(void)state;
	expect_parse_error("frobnicate now", "main.vnc:1:1",
			   "unknown statement 'frobnicate'", "statements: key, down");
}

static void unknown_key_in_a_chord_points_at_that_key(void **state)
{
	(void)state;
	expect_parse_error("key ctrl-alt-dle", "main.vnc:1:14", "'dle'",
			   NULL);
	assert_non_null(strstr(last_err.message, "did you mean 'del'"));
	assert_string_equal(last_err.context,
			    "key ctrl-alt-dle\n             ^");
	expect_parse_error("key enter entr", "main.vnc:1:11", "'entr'", NULL);
}

static void unknown_key_in_down_suggests_the_nearest(void **state)
{
	(void)state;
	expect_parse_error("down shfit", "main.vnc:1:6", "unknown key 'shfit'",
			   NULL);
	assert_non_null(strstr(last_err.message, "did you mean 'shift'"));
	expect_parse_error("up qqqqqqqqqq", "main.vnc:1:4",
			   "unknown key 'qqqqqqqqqq' (vncbot keys lists them)", NULL);
}

static void missing_argument_says_what_was_expected(void **state)
{
	static const struct {
		const char *text, *where, *msg;
	} cases[] = {
		{ "key", "main.vnc:1:1", "'key' needs at least one key or chord" },
		{ "down", "main.vnc:1:5", "expected a key name such as shift or ctrl, found end of statement" },
		{ "type", "main.vnc:1:5", "expected a string to type" },
		{ "type secret", "main.vnc:1:12", "expected the name of a secret" },
		{ "wait\nkey a", "main.vnc:1:5", "expected a duration such as 250ms, 2s or 1m30s, found end of statement" },
		{ "capture", "main.vnc:1:8", "expected a file name for the PNG" },
		{ "set", "main.vnc:1:4", "expected a variable name" },
		{ "set X", "main.vnc:1:6", "expected a value" },
		{ "default X", "main.vnc:1:10", "expected a value" },
		{ "include", "main.vnc:1:8", "expected a file to include" },
		{ "step", "main.vnc:1:5", "expected the step's name in quotes" },
		{ "fail", "main.vnc:1:5", "expected a message saying why" },
		{ "step \"x\" { wait }", "main.vnc:1:17", "found '}'" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		expect_parse_error(cases[i].text, cases[i].where, cases[i].msg, NULL);
}

static void wrong_kind_of_argument_is_named(void **state)
{
	(void)state;
	expect_parse_error("type hello", "main.vnc:1:6", "found 'hello'", NULL);
	expect_parse_error("step Login", "main.vnc:1:6",
			   "expected the step's name in quotes", NULL);
	expect_parse_error("fail why", "main.vnc:1:6", "found 'why'", NULL);
	expect_parse_error("key \"a\"", "main.vnc:1:5",
			   "expected a key name or chord", NULL);
	expect_parse_error("wait \"2s\"", "main.vnc:1:6", "found a string", NULL);
}

static void extra_arguments_are_refused_with_the_usage(void **state)
{
	(void)state;
	expect_parse_error("wait 2s 3s", "main.vnc:1:9",
			   "unexpected '3s' after 'wait'", "usage: wait DURATION");
	expect_parse_error("fail \"a\" \"b\"", "main.vnc:1:10",
			   "unexpected a string after 'fail'", "usage: fail MESSAGE");
	expect_parse_error("down shift ctrl", "main.vnc:1:12",
			   "unexpected 'ctrl' after 'down'", "usage: down KEY");
	expect_parse_error("type \"a\" \"b\"", "main.vnc:1:10",
			   "after 'type'", "usage: type STRING");
	expect_parse_error("set A b c", "main.vnc:1:9", "unexpected 'c' after 'set'",
			   NULL);
	expect_parse_error("step \"x\" { key a } key b", "main.vnc:1:20",
			   "unexpected 'key' after 'step'", NULL);
}

static void bad_duration_points_at_the_word(void **state)
{
	(void)state;
	expect_parse_error("key a\nwait soon", "main.vnc:2:6",
			   "expected a duration such as 250ms, 2s or 1m30s, found 'soon'",
			   NULL);
	assert_string_equal(last_err.context, "wait soon\n     ^");
	expect_parse_error("wait 2", "main.vnc:1:6", "found '2'", NULL);
	expect_parse_error("wait 1m30", "main.vnc:1:6", "found '1m30'", NULL);
}

static void bad_names_for_variables_and_secrets(void **state)
{
	(void)state;
	expect_parse_error("set 1x a", "main.vnc:1:5", "'1x' is not a variable name",
			   NULL);
	expect_parse_error("default a-b c", "main.vnc:1:9",
			   "'a-b' is not a variable name", NULL);
	expect_parse_error("type secret 1x", "main.vnc:1:13",
			   "'1x' is not a valid secret name", NULL);
}

static void closing_brace_without_opening_is_an_error(void **state)
{
	(void)state;
	expect_parse_error("key a\n}", "main.vnc:2:1", "'}' without a matching '{'",
			   NULL);
	expect_parse_error("step \"x\" { key a }\n  }", "main.vnc:2:3",
			   "'}' without a matching '{'", NULL);
	expect_parse_error("key a }", "main.vnc:1:7", "'}' without a matching '{'",
			   NULL);
}

static void unclosed_brace_points_at_the_brace(void **state)
{
	(void)state;
	expect_parse_error("step \"x\" {\n  key a\n", "main.vnc:1:10",
			   "this '{' is never closed", NULL);
	assert_string_equal(last_err.context, "step \"x\" {\n         ^");
	expect_parse_error("step \"a\" {\n step \"b\" {\n }\n", "main.vnc:1:10",
			   "this '{' is never closed", NULL);
}

static void brace_or_string_where_a_statement_belongs_is_an_error(void **state)
{
	(void)state;
	expect_parse_error("{ key a }", "main.vnc:1:1",
			   "expected a statement, found '{'", NULL);
	expect_parse_error("key a\n\"text\"", "main.vnc:2:1",
			   "expected a statement, found a string", NULL);
	expect_parse_error("key a {", "main.vnc:1:7", "found '{'", NULL);
}

static void lexer_errors_come_through_the_parser(void **state)
{
	(void)state;
	expect_parse_error("key a\ntype \"abc", "main.vnc:2:6",
			   "unterminated string", NULL);
}

static void error_context_has_the_line_and_a_caret(void **state)
{
	(void)state;
	expect_parse_error("key a\n\tkey ctrl-alt-dle # oops\nkey b", "main.vnc:2:15",
			   "'dle'", NULL);
	assert_string_equal(last_err.context,
			    "\tkey ctrl-alt-dle # oops\n\t             ^");
}

static void untypable_literal_text_is_refused_before_anything_runs(void **state)
{
	struct vars defs = { 0 };
	struct script_env env = { .defines = &defs };

	(void)state;
	expect_parse_error("key a\ntype \"x\\u{7}\"", "main.vnc:2:7",
			   "this string cannot be typed", NULL);
	assert_non_null(strstr(last_err.message, "U+0007"));
	expect_parse_error("type 'a\x7f'", "main.vnc:1:7",
			   "this string cannot be typed", NULL);
	assert_non_null(strstr(last_err.message, "U+007F"));
	expect_parse_error("type \"\\u{85}\"", "main.vnc:1:7",
			   "this string cannot be typed", NULL);
	/* The literal part after a variable is checked at its own position. */
	vars_set(&defs, "X", "ok");
	expect_parse_error_env("type \"${X}\\u{7f}\"", &env, "main.vnc:1:11",
			       "this string cannot be typed", NULL);
	vars_clear(&defs);
}

/* "step \"\" {" n times, then "key a" and the closing braces. */
static char *nested_steps(size_t n)
{
	char *text = malloc(n * 12 + 16), *p = text;
	size_t i;

	assert_non_null(text);
	for (i = 0; i < n; i++)
		p += sprintf(p, "step \"\" {\n");
	p += sprintf(p, "key a\n");
	for (i = 0; i < n; i++)
		*p++ = '}';
	*p = '\0';
	return text;
}

static void blocks_nest_up_to_a_limit(void **state)
{
	char *text;
	struct script *s;

	(void)state;
	text = nested_steps(32);
	s = parse_ok(text);
	script_free(s);
	free(text);
	text = nested_steps(33);
	expect_parse_error(text, "main.vnc:33:9", "blocks nested more than 32 deep",
			   NULL);
	free(text);
}

static void very_deep_nesting_is_an_error_not_a_crash(void **state)
{
	char *text = nested_steps(300000);

	(void)state;
	expect_parse_error(text, "main.vnc:33:9", "blocks nested more than 32 deep",
			   NULL);
	free(text);
}

/* ---- variables ---- */

static void undefined_variable_is_an_error_with_a_hint(void **state)
{
	(void)state;
	expect_parse_error("type \"${USER}\"", "main.vnc:1:7",
			   "variable 'USER' is not defined here", "-D USER=VALUE");
	assert_non_null(strstr(last_err.hint, "set USER"));
	assert_non_null(strstr(last_err.hint, "default USER"));
	assert_string_equal(last_err.context, "type \"${USER}\"\n      ^");
	expect_parse_error("capture \"${DIR}/a.png\"", "main.vnc:1:10",
			   "variable 'DIR' is not defined here", NULL);
	expect_parse_error("fail \"x ${WHY}\"", "main.vnc:1:9",
			   "variable 'WHY' is not defined here", NULL);
	expect_parse_error("step \"${S}\" { }", "main.vnc:1:7",
			   "variable 'S' is not defined here", NULL);
}

static void variable_given_with_define_is_known(void **state)
{
	struct vars defs = { 0 };
	struct script_env env = { .defines = &defs };
	struct script *s;

	(void)state;
	vars_set(&defs, "USER", "admin");
	s = parse_ok_env("type \"${USER}\"", &env);
	script_free(s);
	expect_parse_error_env("type \"${USER} ${HOST}\"", &env, "main.vnc:1:15",
			       "variable 'HOST' is not defined here", NULL);
	vars_clear(&defs);
}

static void variable_set_or_defaulted_earlier_is_known(void **state)
{
	struct script *s;

	(void)state;
	s = parse_ok("set A \"x\"\ndefault B \"y\"\ntype \"${A}${B}\"");
	script_free(s);
	/* Blocks do not scope variables: a set inside one holds after it. */
	s = parse_ok("step \"s\" { set A \"x\" }\ntype \"${A}\"");
	script_free(s);
	/* A variable may be built from itself once it exists. */
	s = parse_ok("set A \"x\"\nset A \"${A}y\"");
	script_free(s);
}

static void variable_used_before_it_is_set_is_an_error(void **state)
{
	(void)state;
	expect_parse_error("type \"${X}\"\nset X \"a\"", "main.vnc:1:7",
			   "variable 'X' is not defined here", NULL);
	expect_parse_error("set A \"${A}x\"", "main.vnc:1:8",
			   "variable 'A' is not defined here", NULL);
}

static void raw_strings_do_not_reference_variables(void **state)
{
	struct script *s = parse_ok("type '${NOPE}'");

	(void)state;
	expect_str(&s->top.items[0], "${NOPE}");
	assert_int_equal(str_arg(&s->top.items[0])->parts[0].is_var, 0);
	script_free(s);
}

static void bare_word_cannot_hold_a_variable_reference(void **state)
{
	(void)state;
	/* ${NAME} is replaced only in "..." strings; the error says so. */
	expect_parse_error("capture ${NOPE}.png", "main.vnc:1:9",
			   "a variable outside a string", "capture \"${DIR}/shot.png\"");
}

/* ---- secrets ---- */

static void secret_in_a_string_is_an_error_with_a_hint(void **state)
{
	struct vars secrets = { 0 };
	struct script_env env = { .secrets = &secrets };

	(void)state;
	expect_parse_error("type secret pw\ntype \"x${pw}\"", "main.vnc:2:8",
			   "'pw' is a secret and cannot be put in a string",
			   "type secret pw");
	/* Also when the secret is given on the command line but not typed yet. */
	vars_set(&secrets, "pw", "hunter2");
	expect_parse_error_env("set P \"${pw}\"", &env, "main.vnc:1:8",
			       "'pw' is a secret", "type it on its own with: type secret pw");
	assert_null(strstr(last_err.message, "hunter2"));
	assert_null(strstr(last_err.hint, "hunter2"));
	vars_clear(&secrets);
}

static void missing_secret_is_an_error_when_required(void **state)
{
	struct vars secrets = { 0 };
	struct script_env env = { .secrets = &secrets, .secrets_required = 1 };
	struct script *s;

	(void)state;
	expect_parse_error_env("key a\ntype secret pw", &env, "main.vnc:2:13",
			       "secret 'pw' is typed here but was not given",
			       "--secret pw=env:VAR");
	vars_set(&secrets, "pw", "x");
	s = parse_ok_env("key a\ntype secret pw", &env);
	script_free(s);
	expect_parse_error_env("type secret pw\ntype secret other", &env,
			       "main.vnc:2:13", "secret 'other'", "--secret other=prompt");
	vars_clear(&secrets);
}

static void missing_secret_is_fine_when_only_checking(void **state)
{
	struct vars secrets = { 0 };
	struct script_env env = { .secrets = &secrets, .secrets_required = 0 };
	struct script *s;

	(void)state;
	s = parse_ok_env("type secret pw", &env);
	script_free(s);
	s = parse_ok("type secret pw");
	script_free(s);
}

static void script_secrets_lists_each_secret_once_in_order_of_first_use(void **state)
{
	struct script *s = parse_ok("type secret b\nstep \"x\" { type secret a }\n"
				    "type secret b");
	const char *names[4] = { 0 };
	const char *one[1] = { 0 };

	(void)state;
	assert_int_equal(script_secrets(s, names, 4), 2);
	assert_string_equal(names[0], "b");
	assert_string_equal(names[1], "a");
	assert_null(names[2]);
	/* With less room it still says how many there are. */
	assert_int_equal(script_secrets(s, one, 1), 2);
	assert_string_equal(one[0], "b");
	script_free(s);

	s = parse_ok("key a");
	assert_int_equal(script_secrets(s, names, 4), 0);
	script_free(s);
}

/* ---- the statement table ---- */

/* --help lists every statement of the table, with its usage. */
static void statement_table_lists_every_statement(void **state)
{
	char *buf = NULL;
	size_t len = 0, i;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	assert_non_null(f);
	cli_print_help(f);
	fclose(f);
	for (i = 0; i < stmt_table_count; i++) {
		if (!strstr(buf, stmt_table[i].usage))
			fail_msg("statement list lacks \"%s\":\n%s", stmt_table[i].usage,
				 buf);
		if (stmt_find(stmt_table[i].name) != &stmt_table[i])
			fail_msg("stmt_find(\"%s\") does not find its entry",
				 stmt_table[i].name);
	}
	assert_null(stmt_find("tpye"));
	free(buf);
}

static void script_free_of_null_is_a_no_op(void **state)
{
	(void)state;
	script_free(NULL);
	source_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(key_chord_holds_keysyms_in_press_order),
		cmocka_unit_test(key_takes_several_chords_in_turn),
		cmocka_unit_test(down_and_up_hold_one_keysym),
		cmocka_unit_test(type_keeps_string_parts_for_run_time),
		cmocka_unit_test(type_secret_records_the_name_not_a_string),
		cmocka_unit_test(wait_durations_become_milliseconds),
		cmocka_unit_test(wait_statement_holds_its_duration),
		cmocka_unit_test(malformed_durations_are_refused),
		cmocka_unit_test(capture_takes_a_word_or_a_string),
		cmocka_unit_test(set_default_and_fail_hold_name_and_value),
		cmocka_unit_test(statements_keep_their_line_and_column),
		cmocka_unit_test(blank_lines_and_comments_make_no_statements),
		cmocka_unit_test(step_without_a_block_names_what_follows),
		cmocka_unit_test(step_blocks_nest),
		cmocka_unit_test(block_fits_on_one_line_with_semicolons),
		cmocka_unit_test(empty_block_is_a_body_with_no_statements),
		cmocka_unit_test(include_reads_paths_relative_to_the_including_file),
		cmocka_unit_test(include_inside_a_step_block),
		cmocka_unit_test(include_cycle_is_an_error_at_the_include_that_closes_it),
		cmocka_unit_test(file_including_itself_is_an_error),
		cmocka_unit_test(missing_include_points_at_the_include_line),
		cmocka_unit_test(error_in_an_included_file_points_into_that_file),
		cmocka_unit_test(caret_stands_under_the_character_after_multibyte_text),
		cmocka_unit_test(include_path_cannot_use_variables_or_be_empty),
		cmocka_unit_test(needle_and_include_paths_with_a_variable_say_so_defined_or_not),
		cmocka_unit_test(unknown_statement_suggests_the_nearest),
		cmocka_unit_test(unknown_statement_far_from_all_lists_them),
		cmocka_unit_test(unknown_key_in_a_chord_points_at_that_key),
		cmocka_unit_test(unknown_key_in_down_suggests_the_nearest),
		cmocka_unit_test(missing_argument_says_what_was_expected),
		cmocka_unit_test(wrong_kind_of_argument_is_named),
		cmocka_unit_test(extra_arguments_are_refused_with_the_usage),
		cmocka_unit_test(bad_duration_points_at_the_word),
		cmocka_unit_test(bad_names_for_variables_and_secrets),
		cmocka_unit_test(closing_brace_without_opening_is_an_error),
		cmocka_unit_test(unclosed_brace_points_at_the_brace),
		cmocka_unit_test(brace_or_string_where_a_statement_belongs_is_an_error),
		cmocka_unit_test(lexer_errors_come_through_the_parser),
		cmocka_unit_test(error_context_has_the_line_and_a_caret),
		cmocka_unit_test(untypable_literal_text_is_refused_before_anything_runs),
		cmocka_unit_test(blocks_nest_up_to_a_limit),
		cmocka_unit_test(very_deep_nesting_is_an_error_not_a_crash),
		cmocka_unit_test(undefined_variable_is_an_error_with_a_hint),
		cmocka_unit_test(variable_given_with_define_is_known),
		cmocka_unit_test(variable_set_or_defaulted_earlier_is_known),
		cmocka_unit_test(variable_used_before_it_is_set_is_an_error),
		cmocka_unit_test(raw_strings_do_not_reference_variables),
		cmocka_unit_test(bare_word_cannot_hold_a_variable_reference),
		cmocka_unit_test(secret_in_a_string_is_an_error_with_a_hint),
		cmocka_unit_test(missing_secret_is_an_error_when_required),
		cmocka_unit_test(missing_secret_is_fine_when_only_checking),
		cmocka_unit_test(script_secrets_lists_each_secret_once_in_order_of_first_use),
		cmocka_unit_test(statement_table_lists_every_statement),
		cmocka_unit_test(script_free_of_null_is_a_no_op),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
