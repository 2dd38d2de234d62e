/* test_stmt_link.c: unit tests of the statements for a console that goes
 * away on purpose (src/script/stmt_link.c): expect disconnect, if
 * disconnect and reconnect, run against a fake target that records what it
 * was asked and answers whether the console went; and how check's plan and
 * the statement table show if disconnect. */
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
#include "util/log.h"

/* ---- the fake target ---- */

struct fake {
	char log[2048]; /* every call: a+ a- disconnect(30000)=1 reconnect(600000) */
	/* Answers of successive waits for the console to go: '1' it went, '0'
	 * it stayed; past the end: it went. */
	const char *gone_answers;
	size_t nwaits;
	int held; /* keys down, released by a wait for the console to go */
	char checks[1024]; /* the evidence's "check" events: "main.vnc:2 held: ...;" */
};

static void fake_log(struct fake *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void fake_log(struct fake *f, const char *fmt, ...)
{
	size_t used = strlen(f->log);
	va_list ap;

	if (used)
		used += (size_t)snprintf(f->log + used, sizeof(f->log) - used, " ");
	va_start(ap, fmt);
	vsnprintf(f->log + used, sizeof(f->log) - used, fmt, ap);
	va_end(ap);
}

static int fake_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	struct fake *f = ctx;

	(void)err;
	f->held += down ? 1 : -1;
	fake_log(f, "%c%c", keysym < 0x7f ? (char)keysym : '?', down ? '+' : '-');
	return 0;
}

static int fake_pause(void *ctx, long ms, struct vb_error *err)
{
	(void)err;
	fake_log(ctx, "pause(%ld)", ms);
	return 0;
}

static int fake_wait_disconnect(void *ctx, long timeout_ms, int *gone, struct vb_error *err)
{
	struct fake *f = ctx;
	size_t k = f->nwaits++;

	(void)err;
	if (f->held)
		fake_log(f, "release(%d)", f->held);
	f->held = 0;
	*gone = !f->gone_answers || k >= strlen(f->gone_answers) || f->gone_answers[k] == '1';
	fake_log(f, "disconnect(%ld)=%d", timeout_ms, *gone);
	return 0;
}

static int fake_reconnect(void *ctx, long timeout_ms, struct vb_error *err)
{
	(void)err;
	fake_log(ctx, "reconnect(%ld)", timeout_ms);
	return 0;
}

/* The evidence's events: a wait's "check" says what it saw. */
static void fake_note(void *ctx, const char *event, const char *where, const char *text)
{
	struct fake *f = ctx;
	size_t used = strlen(f->checks);

	if (strcmp(event, "check") == 0)
		snprintf(f->checks + used, sizeof(f->checks) - used, "%s %s;", where, text);
}

struct run {
	struct fake fake;
	struct vb_error err;
	int rc;
};

/* Parse text as "main.vnc" and run it against a fake that answers gone. */
static void run(struct run *r, const char *text, const char *gone)
{
	struct script *s = NULL;
	struct vb_error perr = { 0 };
	struct interp_target t = {
		.key = fake_key, .pause = fake_pause,
		.wait_disconnect = fake_wait_disconnect, .reconnect = fake_reconnect,
		.note = fake_note,
	};

	memset(r, 0, sizeof(*r));
	r->fake.gone_answers = gone;
	t.ctx = &r->fake;
	if (script_parse(source_from_string("main.vnc", text), NULL, &s, &perr) < 0)
		fail_msg("parsing \"%s\" failed: %s: %s", text, perr.where, perr.message);
	r->rc = script_run(s, NULL, NULL, &t, &r->err);
	script_free(s);
}

static void expect_run(const char *text, const char *gone, const char *want)
{
	struct run r;

	run(&r, text, gone);
	if (r.rc != 0)
		fail_msg("running \"%s\" (console gone: %s) failed: %s: %s", text, gone,
			 r.err.where, r.err.message);
	if (strcmp(r.fake.log, want) != 0)
		fail_msg("running \"%s\" (console gone: %s), the target saw\n  [%s]\nwant\n  [%s]",
			 text, gone, r.fake.log, want);
}

/* The restart written the robust way (docs/script.md), timeouts as there. */
static const char robust_restart[] = "key a\n"
				     "if disconnect timeout 2m {\n"
				     "  reconnect timeout 10m\n"
				     "}\n"
				     "key b\n";

/* ---- if disconnect ---- */

static void if_disconnect_reconnects_when_the_console_went(void **state)
{
	(void)state;
	expect_run(robust_restart, "1",
		   "a+ a- disconnect(120000)=1 reconnect(600000) b+ b-");
}

static void if_disconnect_goes_on_with_a_console_that_stayed(void **state)
{
	(void)state;
	expect_run(robust_restart, "0", "a+ a- disconnect(120000)=0 b+ b-");
}

static void if_disconnect_runs_the_else_block_when_the_console_stayed(void **state)
{
	const char *text = "if disconnect timeout 5s { reconnect } else { key s }\nkey z";

	(void)state;
	expect_run(text, "0", "disconnect(5000)=0 s+ s- z+ z-");
	expect_run(text, "1", "disconnect(5000)=1 reconnect(300000) z+ z-");
	/* Written over several lines, else on a line of its own. */
	expect_run("if disconnect {\n  reconnect\n}\nelse {\n  key s\n}", "0",
		   "disconnect(30000)=0 s+ s-");
}

static void if_disconnect_waits_30s_by_default(void **state)
{
	(void)state;
	expect_run("if disconnect { reconnect timeout 1s }", "1",
		   "disconnect(30000)=1 reconnect(1000)");
}

static void if_disconnect_releases_held_keys_first(void **state)
{
	(void)state;
	/* The target releases them (run.c through the session): the wait is
	 * the same call as expect disconnect's. */
	expect_run("down a\nif disconnect timeout 1s { reconnect }", "0",
		   "a+ release(1) disconnect(1000)=0");
}

static void if_disconnect_and_expect_disconnect_in_one_script(void **state)
{
	struct run r;

	(void)state;
	/* A console that stays fails expect disconnect, never if disconnect. */
	run(&r, "if disconnect timeout 1s { reconnect }\nexpect disconnect timeout 2s", "00");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_string_equal(r.err.where, "main.vnc:2");
	assert_non_null(strstr(r.err.message, "still connected"));
	assert_string_equal(r.fake.log, "disconnect(1000)=0 disconnect(2000)=0");
}

static void if_screen_condition_is_still_the_plain_form(void **state)
{
	struct script *s = NULL;
	struct vb_error err = { 0 };

	(void)state;
	assert_int_equal(script_parse(source_from_string("main.vnc",
							 "if disconnect { key a }\n"
							 "if changed { key b }"),
				      NULL, &s, &err), 0);
	assert_string_equal(stmt_form_tool(s->top.items[0].def, s->top.items[0].form),
			    "if_disconnect");
	assert_string_equal(stmt_form_tool(s->top.items[1].def, s->top.items[1].form), "if");
	assert_int_equal(*(const long *)stmt_arg_field(&s->top.items[0], "timeout"), 30000);
	assert_int_equal(*(const long *)stmt_arg_field(&s->top.items[1], "timeout"), 0);
	assert_null(stmt_arg_field(&s->top.items[0], "condition"));
	script_free(s);
}

static void if_disconnect_errors_say_where_and_what(void **state)
{
	static const struct {
		const char *text, *message;
	} bad[] = {
		{ "if disconnect timeout 1s", "'{'" },
		{ "if disconnect timeout soon { reconnect }", "duration" },
		{ "if disconnect in 1,2,3,4 { reconnect }", "in" },
		{ "if disconnect timeout 1s timeout 2s { reconnect }", "is given twice" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct script *s = NULL;
		struct vb_error err = { 0 };

		if (script_parse(source_from_string("main.vnc", bad[i].text), NULL, &s, &err) == 0)
			fail_msg("\"%s\" was accepted", bad[i].text);
		if (strncmp(err.where, "main.vnc:1:", 11) != 0 || !strstr(err.message, bad[i].message))
			fail_msg("\"%s\": %s: %s (want a place in main.vnc:1 and \"%s\")", bad[i].text,
				 err.where, err.message, bad[i].message);
	}
}

static void the_evidence_says_whether_the_console_went(void **state)
{
	struct run r;

	(void)state;
	run(&r, "if disconnect timeout 2m { reconnect }\nif disconnect timeout 1s { reconnect }\n"
		"expect disconnect timeout 3s", "011");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.fake.checks,
			    "main.vnc:1 did not hold: the console is still connected after 120s;"
			    "main.vnc:2 held: the console went away within 1s;"
			    "main.vnc:3 held: the console went away within 3s;");
}

/* ---- check's plan ---- */

static void plan_shows_both_blocks_of_if_disconnect(void **state)
{
	static const char want[] = "main.vnc:1               key a\n"
				   "main.vnc:2               if disconnect timeout 120s\n"
				   "main.vnc:3                 reconnect timeout 600s\n"
				   "main.vnc:4               else\n"
				   "main.vnc:5                 key s\n"
				   "main.vnc:7               key b\n";
	struct script *s = NULL;
	struct vb_error err = { 0 };
	char *plan = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	if (script_parse(source_from_string("main.vnc", "key a\n"
							"if disconnect timeout 2m {\n"
							"  reconnect timeout 10m\n"
							"} else {\n"
							"  key s\n"
							"}\n"
							"key b\n"),
			 NULL, &s, &err) < 0)
		fail_msg("parse: %s: %s", err.where, err.message);
	f = open_memstream(&plan, &len);
	assert_non_null(f);
	script_plan(s, NULL, f);
	fclose(f);
	script_free(s);
	if (strcmp(plan, want) != 0)
		fail_msg("plan:\n%s\nwant:\n%s", plan, want);
	free(plan);
}

static void the_table_shows_if_disconnect_as_a_form_of_if(void **state)
{
	const struct stmt_def *def = stmt_find("if");
	struct strbuf t = { 0 };
	size_t i;
	int found = 0;

	(void)state;
	assert_non_null(def);
	for (i = 0; i < def->impl->nforms; i++) {
		const struct stmt_form *form = &def->impl->forms[i];

		if (!form->word || strcmp(form->word, "disconnect") != 0)
			continue;
		found = 1;
		assert_string_equal(stmt_form_tool(def, form), "if_disconnect");
		stmt_form_usage(def, form, &t);
		assert_string_equal(t.p, "if disconnect [timeout DURATION] { ... } [else { ... }]");
	}
	assert_true(found);
	free(t.p);
}

static int quiet_logs(void **state)
{
	(void)state;
	log_set_level(LOG_ERROR);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(if_disconnect_reconnects_when_the_console_went),
		cmocka_unit_test(if_disconnect_goes_on_with_a_console_that_stayed),
		cmocka_unit_test(if_disconnect_runs_the_else_block_when_the_console_stayed),
		cmocka_unit_test(if_disconnect_waits_30s_by_default),
		cmocka_unit_test(if_disconnect_releases_held_keys_first),
		cmocka_unit_test(if_disconnect_and_expect_disconnect_in_one_script),
		cmocka_unit_test(if_screen_condition_is_still_the_plain_form),
		cmocka_unit_test(if_disconnect_errors_say_where_and_what),
		cmocka_unit_test(the_evidence_says_whether_the_console_went),
		cmocka_unit_test(plan_shows_both_blocks_of_if_disconnect),
		cmocka_unit_test(the_table_shows_if_disconnect_as_a_form_of_if),
	};

	return cmocka_run_group_tests(tests, quiet_logs, NULL);
}
