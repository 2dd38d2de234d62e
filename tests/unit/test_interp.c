/* test_interp.c: unit tests of src/script/interp.c and the run side of
 * statements.c, against a fake target that records every key, pause and
 * capture; and of script_plan, which must never show a secret's value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "keys/keys.h"
#include "script/script.h"
#include "util/log.h"

#define SCRIPTS TEST_DATA_DIR "/scripts"

/* ---- the fake target ---- */

struct fake {
	char log[8192]; /* every call, space-separated: +Shift_L -a pause(250) ... */
	size_t nkeys;	/* key events accepted */
	size_t ncalls;	/* calls of key, pause and capture */
	/* Fail the call numbered fail_at (1-based; 0: never) with fail_status. */
	size_t fail_at;
	enum vb_status fail_status;
	/* interrupted() answers nonzero once nkeys reaches this (0: never). */
	size_t interrupt_after_keys;
	int interrupt_now;
	size_t interrupted_calls;
	/* Answers of successive screen waits: '1' met, '0' timed out; past
	 * the end: met. */
	const char *screen_answers;
	size_t nscreen;
	char secrets_log[256]; /* secret events: "typing@KEYS enter@KEYS" */
	/* The console types through a US keymap (a QEMU console). */
	int us_keymap;
};

/* Names for the keysyms these tests use, so the expected strings do not
 * depend on keys.c's display names. */
static const char *sym_name(uint32_t ks, char *buf, size_t size)
{
	static const struct {
		uint32_t ks;
		const char *name;
	} names[] = {
		{ 0xffe1, "Shift_L" },	 { 0xffe3, "Control_L" }, { 0xffe9, "Alt_L" },
		{ 0xffff, "Delete" },	 { 0xff0d, "Return" },	  { 0xff09, "Tab" },
		{ 0xff1b, "Escape" },	 { 0xffeb, "Super_L" },	  { 0xff08, "BackSpace" },
		{ 0x20, "space" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].ks == ks)
			return names[i].name;
	if (ks > 0x20 && ks < 0x7f)
		snprintf(buf, size, "%c", (char)ks);
	else
		snprintf(buf, size, "0x%x", (unsigned)ks);
	return buf;
}

static void fake_log(struct fake *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
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

static int fake_failing(struct fake *f, const char *what, struct vb_error *err)
{
	f->ncalls++;
	if (f->fail_at && f->ncalls == f->fail_at)
		return vb_fail(err, f->fail_status, "fake target: %s failed", what);
	return 0;
}

static int fake_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	struct fake *f = ctx;
	char buf[16];

	if (fake_failing(f, "key", err) < 0)
		return -1;
	f->nkeys++;
	fake_log(f, "%c%s", down ? '+' : '-', sym_name(keysym, buf, sizeof(buf)));
	return 0;
}

static int fake_pause(void *ctx, long ms, struct vb_error *err)
{
	struct fake *f = ctx;

	if (fake_failing(f, "pause", err) < 0)
		return -1;
	fake_log(f, "pause(%ld)", ms);
	return 0;
}

static int fake_capture(void *ctx, const char *path, const struct screen_region *region,
			struct vb_error *err)
{
	struct fake *f = ctx;

	if (fake_failing(f, "capture", err) < 0)
		return -1;
	if (region && region->w)
		fake_log(f, "capture(%s in %d,%d,%d,%d)", path, region->x, region->y, region->w,
			 region->h);
	else
		fake_log(f, "capture(%s)", path);
	return 0;
}

static int fake_wait_screen(void *ctx, const struct screen_cond *cond, long timeout_ms,
			    int *met, struct screen_watch *w, struct vb_error *err)
{
	static const char *kinds[] = { "settled", "changed", "image", "colour", "text" };
	struct fake *f = ctx;
	size_t k = f->nscreen++;

	if (fake_failing(f, "screen", err) < 0)
		return -1;
	*met = !f->screen_answers || k >= strlen(f->screen_answers) ||
	       f->screen_answers[k] == '1';
	if (w)
		memset(w, 0, sizeof(*w));
	if (cond->kind == COND_TEXT)
		fake_log(f, "screen(text \"%s\" %.2f,%ld)=%d", cond->text, cond->similarity,
			 timeout_ms, *met);
	else
		fake_log(f, "screen(%s,%ld)=%d", kinds[cond->kind], timeout_ms, *met);
	return 0;
}

/* What the screen says, to read: a line typed, the machine's answer, and
 * a secret the console echoed. */
static int fake_read_text(void *ctx, const struct screen_region *region, char **text,
			  struct vb_error *err)
{
	struct fake *f = ctx;

	if (fake_failing(f, "read", err) < 0)
		return -1;
	if (region)
		fake_log(f, "read(%d,%d,%d,%d)", region->x, region->y, region->w, region->h);
	else
		fake_log(f, "read()");
	*text = strdup("C:\\>echo %A%%B%\nZEBRA42\npassword s3cR!t echoed");
	return 0;
}

static int fake_interrupted(void *ctx)
{
	struct fake *f = ctx;

	f->interrupted_calls++;
	return f->interrupt_now ||
	       (f->interrupt_after_keys && f->nkeys >= f->interrupt_after_keys);
}

static int fake_secret(void *ctx, enum interp_secret_event event, struct vb_error *err)
{
	struct fake *f = ctx;
	size_t used = strlen(f->secrets_log);

	(void)err;
	snprintf(f->secrets_log + used, sizeof(f->secrets_log) - used, "%s%s@%zu",
		 used ? " " : "", event == INTERP_SECRET_TYPING ? "typing" : "enter", f->nkeys);
	return 0;
}

static int fake_us_keymap(void *ctx)
{
	return ((struct fake *)ctx)->us_keymap;
}

static struct interp_target fake_target(struct fake *f)
{
	return (struct interp_target){
		.ctx = f,
		.key = fake_key,
		.pause = fake_pause,
		.capture = fake_capture,
		.wait_screen = fake_wait_screen,
		.interrupted = fake_interrupted,
		.secret = fake_secret,
		.us_keymap = fake_us_keymap,
		.read_text = fake_read_text,
	};
}

/* ---- running scripts ---- */

struct run {
	struct fake fake;
	struct vb_error err;
	int rc;
	int refused; /* script_check_typing refused it: nothing ran */
};

/* Parse text as "main.vnc" knowing the -D names and secrets, then run it
 * against a fresh fake. A parse error fails the test. */
static void run_with(struct run *r, const char *text, const struct vars *defines,
		     const struct vars *secrets)
{
	struct script_env env = { .defines = defines, .secrets = secrets,
				  .secrets_required = 0 };
	struct script *s = NULL;
	struct interp_target t;
	struct vb_error perr = { 0 };
	struct fake keep = r->fake; /* settings made before the run */

	memset(r, 0, sizeof(*r));
	r->fake.fail_at = keep.fail_at;
	r->fake.fail_status = keep.fail_status;
	r->fake.interrupt_after_keys = keep.interrupt_after_keys;
	r->fake.interrupt_now = keep.interrupt_now;
	r->fake.screen_answers = keep.screen_answers;
	r->fake.us_keymap = keep.us_keymap;
	if (script_parse(source_from_string("main.vnc", text), &env, &s, &perr) < 0)
		fail_msg("parsing \"%s\" failed: %s: %s", text, perr.where,
			 perr.message);
	t = fake_target(&r->fake);
	/* As `vncbot run` does once connected: check, then run. */
	r->rc = script_check_typing(s, defines, secrets, &t, &r->err);
	r->refused = r->rc < 0;
	if (r->rc == 0)
		r->rc = script_run(s, defines, secrets, &t, &r->err);
	script_free(s);
}

static void run(struct run *r, const char *text)
{
	run_with(r, text, NULL, NULL);
}

static void expect_log(const struct run *r, const char *want)
{
	if (strcmp(r->fake.log, want) != 0)
		fail_msg("the target saw\n  [%s]\nwant\n  [%s]", r->fake.log, want);
}

static void expect_ok(const struct run *r, const char *text)
{
	if (r->rc != 0)
		fail_msg("running \"%s\" failed (%d): %s: %s", text, r->err.status,
			 r->err.where, r->err.message);
}

/* Run text; it must succeed and the target must have seen exactly want. */
static void expect_run(const char *text, const char *want)
{
	struct run r = { 0 };

	run(&r, text);
	expect_ok(&r, text);
	expect_log(&r, want);
}

/* What typing text must send, built from keys.c's stroke list. */
static void strokes_of(const char *text, char *out, size_t size)
{
	struct keys_stroke *s;
	size_t n, i, used = 0;
	char msg[128], buf[16];

	if (keys_text_to_strokes(text, strlen(text), &s, &n, msg, sizeof(msg), NULL) < 0)
		fail_msg("cannot build the strokes of \"%s\": %s", text, msg);
	out[0] = '\0';
	for (i = 0; i < n && used < size; i++)
		used += (size_t)snprintf(out + used, size - used, "%s%c%s",
					 i ? " " : "", s[i].down ? '+' : '-',
					 sym_name(s[i].keysym, buf, sizeof(buf)));
	free(s);
}

static void expect_typed(const struct run *r, const char *text)
{
	char want[4096];

	strokes_of(text, want, sizeof(want));
	if (strcmp(r->fake.log, want) != 0)
		fail_msg("the target saw\n  [%s]\nwant the strokes of \"%s\"\n  [%s]",
			 r->fake.log, text, want);
}

/* ---- keys ---- */

static void chord_presses_in_order_and_releases_in_reverse(void **state)
{
	(void)state;
	expect_run("key ctrl-alt-del",
		   "+Control_L +Alt_L +Delete -Delete -Alt_L -Control_L");
}

static void several_chords_are_pressed_one_after_another(void **state)
{
	(void)state;
	expect_run("key enter tab tab", "+Return -Return +Tab -Tab +Tab -Tab");
	expect_run("key super-r esc", "+Super_L +r -r -Super_L +Escape -Escape");
}

static void down_and_up_send_one_event_each(void **state)
{
	(void)state;
	expect_run("down shift\nkey tab\nup shift", "+Shift_L +Tab -Tab -Shift_L");
	/* A key left held is the target's to release, not the interpreter's. */
	expect_run("down ctrl", "+Control_L");
}

/* ---- type ---- */

static void type_sends_shift_around_the_characters_that_need_it(void **state)
{
	(void)state;
	expect_run("type \"Hi!\\n\"",
		   "+Shift_L +H -H -Shift_L +i -i +Shift_L +! -! -Shift_L +Return -Return");
}

static void type_raw_string_sends_backslashes_as_written(void **state)
{
	(void)state;
	expect_run("type 'C:\\n'", "+Shift_L +C -C -Shift_L +Shift_L +: -: -Shift_L "
				    "+\\ -\\ +n -n");
}

static void type_tab_and_unicode_escapes(void **state)
{
	(void)state;
	expect_run("type \"a\\tb\"", "+a -a +Tab -Tab +b -b");
	expect_run("type \"\\u{20AC}\"", "+0x10020ac -0x10020ac");
}

static void type_every_printable_ascii_character_exactly(void **state)
{
	struct run r = { 0 };
	char text[128], script[256];
	size_t n = 0;
	int c;

	(void)state;
	/* In a raw string, which holds every printable character but its quote. */
	for (c = 0x20; c < 0x7f; c++)
		if (c != '\'')
			text[n++] = (char)c;
	text[n] = '\0';
	snprintf(script, sizeof(script), "type '%s'", text);
	run(&r, script);
	expect_ok(&r, script);
	expect_typed(&r, text);
	run(&r, "type \"'\"");
	expect_ok(&r, "type \"'\"");
	expect_log(&r, "+' -'");
}

static void type_secret_types_the_value_given(void **state)
{
	struct vars secrets = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&secrets, "pw", "s3cR!t");
	run_with(&r, "type secret pw", NULL, &secrets);
	expect_ok(&r, "type secret pw");
	expect_typed(&r, "s3cR!t");
	vars_clear(&secrets);
}

/* The target hears when a secret's typing starts (before its first key)
 * and when the first Enter after it has been released: by `key`, `type` or
 * the keypad; not an Enter inside the secret, not a second Enter. */
static void target_hears_of_a_secret_typed_and_the_enter_after_it(void **state)
{
	static const struct {
		const char *value, *script, *events;
	} cases[] = {
		{ "ab", "type secret pw\nkey a\nkey enter\nkey enter", "typing@0 enter@8" },
		{ "ab", "key x\ntype secret pw\ntype \"c\\n\"", "typing@2 enter@10" },
		{ "a\nb", "type secret pw\nkey kpenter", "typing@0 enter@8" },
		{ "a\nb", "type secret pw", "typing@0" },
		{ "ab", "key enter\ntype secret pw\nkey enter\ntype secret pw\nkey enter",
		  "typing@2 enter@8 typing@8 enter@14" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vars secrets = { 0 };
		struct run r = { 0 };

		vars_set(&secrets, "pw", cases[i].value);
		run_with(&r, cases[i].script, NULL, &secrets);
		expect_ok(&r, cases[i].script);
		if (strcmp(r.fake.secrets_log, cases[i].events) != 0)
			fail_msg("\"%s\" with pw=\"%s\": the target heard [%s], want [%s]",
				 cases[i].script, cases[i].value, r.fake.secrets_log,
				 cases[i].events);
		vars_clear(&secrets);
	}
}

static void type_secret_not_given_at_run_time_sends_nothing(void **state)
{
	struct run r = { 0 };

	(void)state;
	run(&r, "type secret pw");
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.err.where, "main.vnc:1:1");
	assert_non_null(strstr(r.err.message, "secret 'pw' was not given"));
	assert_non_null(strstr(r.err.hint, "--secret pw="));
	expect_log(&r, "");
}

static void untypable_secret_fails_without_showing_it(void **state)
{
	struct vars secrets = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&secrets, "pw", "ab\x01zz");
	run_with(&r, "type secret pw", NULL, &secrets);
	assert_int_equal(r.rc, -1);
	assert_non_null(strstr(r.err.message, "secret 'pw'"));
	assert_non_null(strstr(r.err.message, "byte 2"));
	assert_null(strstr(r.err.message, "zz"));
	assert_null(strstr(r.err.message, "U+0001"));
	expect_log(&r, "");
	vars_clear(&secrets);
}

static void untypable_variable_value_fails_before_any_key(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&defs, "X", "a\x07");
	run_with(&r, "key a\ntype \"${X}\"", &defs, NULL);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_string_equal(r.err.where, "main.vnc:2:6");
	assert_non_null(strstr(r.err.message, "cannot type this text"));
	/* The statement before it ran; the bad one sent nothing. */
	expect_log(&r, "+a -a");
	vars_clear(&defs);
}


/* ---- text a console with a US keymap (QEMU) cannot type ---- */

/* Run text against a fake QEMU console (it types through a US keymap). */
static void run_on_qemu(struct run *r, const char *text, const struct vars *defines,
			const struct vars *secrets)
{
	memset(r, 0, sizeof(*r));
	r->fake.us_keymap = 1;
	run_with(r, text, defines, secrets);
}

/* The run was refused before anything was sent, at where, with a message
 * holding each of the NULL-terminated strings that follow. */
static void expect_refused(const struct run *r, const char *where, ...)
{
	va_list ap;
	const char *want;

	if (r->rc == 0)
		fail_msg("the run should have been refused at %s; the target saw [%s]", where,
			 r->fake.log);
	if (!r->refused)
		fail_msg("refused only while running (%s: %s); the target saw [%s]",
			 r->err.where, r->err.message, r->fake.log);
	assert_int_equal(r->err.status, VB_USAGE);
	assert_string_equal(r->err.where, where);
	va_start(ap, where);
	while ((want = va_arg(ap, const char *)))
		if (!strstr(r->err.message, want) && !strstr(r->err.hint, want))
			fail_msg("message [%s] hint [%s] lacks [%s]", r->err.message, r->err.hint,
				 want);
	va_end(ap);
	expect_log(r, "");
}

static void qemu_refuses_a_literal_it_cannot_type_before_any_key(void **state)
{
	struct run r;

	(void)state;
	run_on_qemu(&r, "type \"ok\\n\"\ntype \"caf\\u{E9} au lait\"", NULL, NULL);
	/* The caret stands under the character, escape or not. */
	expect_refused(&r, "main.vnc:2:10", "'\xc3\xa9' (U+00E9)", "QEMU", "US keymap",
		       "down alt; key kp0 kp2 kp3 kp3; up alt", "different string", NULL);
	assert_non_null(strstr(r.err.context, "^"));

	run_on_qemu(&r, "key enter\ntype 'na\xc3\xafve'", NULL, NULL);
	expect_refused(&r, "main.vnc:2:9", "'\xc3\xaf' (U+00EF)", NULL);
	/* Beyond Windows-1252 there is no alt code to offer. */
	run_on_qemu(&r, "type \"\xf0\x9f\x98\x80\"", NULL, NULL);
	expect_refused(&r, "main.vnc:1:7", "(U+1F600)", "input method", NULL);
	if (strstr(r.err.hint, "kp0"))
		fail_msg("hint offers an alt code for U+1F600: %s", r.err.hint);
}

static void qemu_refuses_a_variable_value_known_before_the_run(void **state)
{
	struct vars defs = { 0 };
	struct run r;

	(void)state;
	vars_set(&defs, "CITY", "Z\xc3\xbcrich");
	run_on_qemu(&r, "key a\ntype \"to ${CITY}\"", &defs, NULL);
	expect_refused(&r, "main.vnc:2:10", "'\xc3\xbc' (U+00FC)", "${CITY}", NULL);

	/* set and default, followed in order; a -D wins over default. */
	run_on_qemu(&r, "set A \"x\"\nset A \"\xe2\x82\xac${A}\"\ntype \"${A}\"", NULL, NULL);
	expect_refused(&r, "main.vnc:3:7", "'\xe2\x82\xac' (U+20AC)", "kp0 kp1 kp2 kp8", NULL);
	run_on_qemu(&r, "default CITY \"Paris\"\ntype \"${CITY}\"", &defs, NULL);
	expect_refused(&r, "main.vnc:2:7", "(U+00FC)", NULL);
	vars_clear(&defs);
	vars_set(&defs, "CITY", "Paris");
	run_on_qemu(&r, "default CITY \"Z\xc3\xbcrich\"\ntype \"${CITY}\"", &defs, NULL);
	expect_ok(&r, "default under a -D");
	expect_typed(&r, "Paris");
	vars_clear(&defs);
}

static void qemu_refuses_a_secret_without_showing_it(void **state)
{
	struct vars secrets = { 0 };
	struct run r;

	(void)state;
	vars_set(&secrets, "password", "hunt\xc3\xa9r2");
	run_on_qemu(&r, "key enter\nstep \"login\" {\n  type secret password\n}", NULL, &secrets);
	expect_refused(&r, "main.vnc:3:3", "secret 'password' has a character (the 5th) that "
		       "a QEMU console cannot type", NULL);
	if (strstr(r.err.message, "\xc3\xa9") || strstr(r.err.message, "U+00E9") ||
	    strstr(r.err.message, "hunt") || strstr(r.err.hint, "\xc3\xa9") ||
	    strstr(r.err.context, "hunt"))
		fail_msg("the error shows the secret: %s | %s | %s", r.err.message, r.err.hint,
			 r.err.context);
	/* A secret typed only in a branch is checked all the same. */
	run_on_qemu(&r, "if changed {\n type secret password\n}", NULL, &secrets);
	expect_refused(&r, "main.vnc:2:2", "secret 'password'", "(the 5th)", NULL);
	vars_clear(&secrets);
	vars_set(&secrets, "pw", "\xc3\xa9" "abc");
	run_on_qemu(&r, "type secret pw", NULL, &secrets);
	expect_refused(&r, "main.vnc:1:1", "(the 1st)", NULL);
	vars_clear(&secrets);
}

static void qemu_refuses_a_boot_string_before_any_key(void **state)
{
	struct run r;

	(void)state;
	run_on_qemu(&r, "boot \"<esc><wait>na\xc3\xafve<enter>\"", NULL, NULL);
	expect_refused(&r, "main.vnc:1:20", "'\xc3\xaf' (U+00EF)", NULL);
}

static void qemu_checks_a_value_set_in_a_branch_when_it_is_typed(void **state)
{
	struct run r;

	(void)state;
	/* Whether A is "x" or "é" depends on the screen: known only when
	 * typed, and then nothing of that string is sent. */
	memset(&r, 0, sizeof(r));
	r.fake.us_keymap = 1;
	r.fake.screen_answers = "1";
	run_with(&r, "set A \"x\"\nif changed { set A \"ab\xc3\xa9\" }\ntype \"ok\"\n"
		     "type \"${A}\"", NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_false(r.refused);
	assert_int_equal(r.err.status, VB_USAGE);
	assert_string_equal(r.err.where, "main.vnc:4:7");
	assert_non_null(strstr(r.err.message, "'\xc3\xa9' (U+00E9) in the value of ${A}"));
	expect_log(&r, "screen(changed,0)=1 +o -o +k -k");

	/* The other way, it types. */
	memset(&r, 0, sizeof(r));
	r.fake.us_keymap = 1;
	r.fake.screen_answers = "0";
	run_with(&r, "set A \"x\"\nif changed { set A \"ab\xc3\xa9\" }\ntype \"${A}\"", NULL,
		 NULL);
	expect_ok(&r, "the branch not taken");
	expect_log(&r, "screen(changed,0)=0 +x -x");

	/* A boot string sends none of its keys, not even those before. */
	memset(&r, 0, sizeof(r));
	r.fake.us_keymap = 1;
	r.fake.screen_answers = "1";
	run_with(&r, "set T \"\"\nif changed { set T \"\xc3\xa9\" }\nboot \"<enter>${T}\"",
		 NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_false(r.refused);
	assert_string_equal(r.err.where, "main.vnc:3:14");
	expect_log(&r, "screen(changed,0)=1");

	/* A value a retry's first try changes is checked when typed too. */
	memset(&r, 0, sizeof(r));
	r.fake.us_keymap = 1;
	r.fake.screen_answers = "0";
	run_with(&r, "set A \"x\"\nretry 2 {\n type \"${A}\"\n set A \"\xc3\xa9\"\n"
		     " expect changed\n}", NULL, NULL);
	assert_int_equal(r.rc, -1);
	assert_false(r.refused);
	assert_string_equal(r.err.where, "main.vnc:3:8");
	expect_log(&r, "+x -x screen(changed,30000)=0");
}

static void qemu_allows_every_printable_ascii_character(void **state)
{
	struct vars secrets = { 0 };
	struct run r;

	(void)state;
	vars_set(&secrets, "pw", "P@ss w0rd!~`\\\"'");
	run_on_qemu(&r, "type 'Hi ~!@#$%^&*()_+{}|:\"<>?`-=[]\\;,./'\ntype \"\\t\\n\"\n"
			"type secret pw\nboot \"<enter>abc<wait0>\"", NULL, &secrets);
	expect_ok(&r, "printable ASCII on QEMU");
	vars_clear(&secrets);
}

static void other_consoles_type_what_qemu_refuses(void **state)
{
	struct vars secrets = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&secrets, "pw", "\xc3\xa9");
	run_with(&r, "type \"\\u{E9}\"\ntype secret pw", NULL, &secrets);
	expect_ok(&r, "e-acute on a console without a US keymap");
	expect_log(&r, "+0xe9 -0xe9 +0xe9 -0xe9");
	vars_clear(&secrets);
}

static char *layout_report_of(const char *text, const struct vars *defines, size_t *lines)
{
	struct script_env env = { .defines = defines };
	struct script *s = NULL;
	struct vb_error err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (script_parse(source_from_string("main.vnc", text), &env, &s, &err) < 0)
		fail_msg("parsing \"%s\" failed: %s: %s", text, err.where, err.message);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	*lines = script_layout_report(s, defines, f);
	fclose(f);
	script_free(s);
	return buf;
}

static void check_names_the_strings_that_depend_on_the_layout(void **state)
{
	struct vars defs = { 0 };
	size_t lines;
	char *got;
	static const char want[] =
		"main.vnc:2: '\xc3\xa9' (U+00E9) depends on the console's keyboard layout; "
		"a QEMU console cannot type it\n"
		"main.vnc:3: '\xc3\xbc' (U+00FC) depends on the console's keyboard layout; "
		"a QEMU console cannot type it\n"
		"main.vnc:6: '\xe2\x82\xac' (U+20AC), '\xe2\x84\xa2' (U+2122) and U+00A0 depend "
		"on the console's keyboard layout; a QEMU console cannot type them\n"
		"main.vnc:7: '\xc3\xaf' (U+00EF) depends on the console's keyboard layout; "
		"a QEMU console cannot type it\n";

	(void)state;
	vars_set(&defs, "CITY", "Z\xc3\xbcrich");
	got = layout_report_of("type \"plain ascii ~\\n\"\n"
			       "type 'caf\xc3\xa9'\n"
			       "type \"${CITY}\"\n"
			       "if changed { set CITY \"\xc3\xa0\" }\n"
			       "type \"${CITY}\"\n"
			       "type \"\xe2\x82\xac \xe2\x82\xac \xe2\x84\xa2\\u{A0}\"\n"
			       "boot \"<wait>na\xc3\xafve<enter>\"\n"
			       "type secret pw\n",
			       &defs, &lines);
	if (strcmp(got, want) != 0)
		fail_msg("check printed:\n%s\nwant:\n%s", got, want);
	assert_int_equal(lines, 4);
	free(got);
	got = layout_report_of("type \"all ascii\"\nkey enter", NULL, &lines);
	assert_string_equal(got, "");
	assert_int_equal(lines, 0);
	free(got);
	vars_clear(&defs);
}

/* ---- variables ---- */

static void variables_are_interpolated_into_strings(void **state)
{
	struct run r = { 0 };

	(void)state;
	run(&r, "set USER \"bob\"\nset GREETING \"hi ${USER}\"\ntype \"${GREETING}!\"");
	expect_ok(&r, "interpolation");
	expect_typed(&r, "hi bob!");
}

static void define_value_is_used(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&defs, "USER", "Admin");
	run_with(&r, "type \"${USER}\"", &defs, NULL);
	expect_ok(&r, "-D");
	expect_typed(&r, "Admin");
	vars_clear(&defs);
}

static void default_does_not_override_a_define(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&defs, "USER", "fromD");
	run_with(&r, "default USER \"fallback\"\ntype \"${USER}\"", &defs, NULL);
	expect_ok(&r, "default with -D");
	expect_typed(&r, "fromD");
	vars_clear(&defs);
}

static void default_applies_when_nothing_else_set_the_variable(void **state)
{
	struct run r = { 0 };

	(void)state;
	run(&r, "default USER \"fallback\"\ntype \"${USER}\"");
	expect_ok(&r, "default alone");
	expect_typed(&r, "fallback");
	run(&r, "set USER \"first\"\ndefault USER \"second\"\ntype \"${USER}\"");
	expect_ok(&r, "set then default");
	expect_typed(&r, "first");
}

static void set_overrides_a_define_and_earlier_sets(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&defs, "USER", "fromD");
	run_with(&r, "set USER \"fromSet\"\ntype \"${USER}\"", &defs, NULL);
	expect_ok(&r, "set with -D");
	expect_typed(&r, "fromSet");
	run_with(&r, "set X \"a\"\nset X \"${X}b\"\ntype \"${X}\"", &defs, NULL);
	expect_ok(&r, "set from itself");
	expect_typed(&r, "ab");
	/* The caller's defines are copied, never changed by the run. */
	assert_string_equal(vars_get(&defs, "USER"), "fromD");
	assert_null(vars_get(&defs, "X"));
	vars_clear(&defs);
}

static void variable_value_takes_effect_in_statement_order(void **state)
{
	(void)state;
	expect_run("set K \"a\"\ntype \"${K}\"\nset K \"b\"\ntype \"${K}\"",
		   "+a -a +b -b");
}

static void interpolated_dollar_and_braces_are_typed_literally(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&defs, "V", "${X}");
	run_with(&r, "type \"${V}\"", &defs, NULL);
	expect_ok(&r, "value with ${");
	expect_typed(&r, "${X}");
	vars_clear(&defs);
}

/* ---- expect, if, retry ---- */

static void run_answering(struct run *r, const char *text, const char *answers)
{
	memset(r, 0, sizeof(*r));
	r->fake.screen_answers = answers;
	run(r, text);
}

static void expect_waits_with_its_timeout_and_fails_when_it_passes(void **state)
{
	struct run r;

	(void)state;
	run_answering(&r, "expect settled 2s timeout 5s\nkey a", "1");
	expect_ok(&r, "expect met");
	expect_log(&r, "screen(settled,5000)=1 +a -a");
	run_answering(&r, "expect changed\nkey a", "0");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_non_null(strstr(r.err.message, "expect timed out after 30s"));
	assert_string_equal(r.err.where, "main.vnc:1");
	expect_log(&r, "screen(changed,30000)=0");
}

static void if_runs_the_block_that_matches_the_screen(void **state)
{
	struct run r;
	const char *text = "if colour green 50% { key a } else { key b }\nkey c";

	(void)state;
	run_answering(&r, text, "1");
	expect_ok(&r, text);
	expect_log(&r, "screen(colour,0)=1 +a -a +c -c");
	run_answering(&r, text, "0");
	expect_ok(&r, text);
	expect_log(&r, "screen(colour,0)=0 +b -b +c -c");
	run_answering(&r, "if changed timeout 2s {\n key a\n}\nelse {\n key b\n}", "0");
	expect_log(&r, "screen(changed,2000)=0 +b -b");
}

static void retry_runs_a_failing_block_again_until_it_passes(void **state)
{
	struct run r;
	const char *text = "retry 3 {\n key a\n expect changed timeout 1s\n}\nkey z";

	(void)state;
	run_answering(&r, text, "001");
	expect_ok(&r, text);
	expect_log(&r, "+a -a screen(changed,1000)=0 +a -a screen(changed,1000)=0 "
		       "+a -a screen(changed,1000)=1 +z -z");
	run_answering(&r, text, "000");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	expect_log(&r, "+a -a screen(changed,1000)=0 +a -a screen(changed,1000)=0 "
		       "+a -a screen(changed,1000)=0");
}

static void retry_does_not_retry_a_lost_connection(void **state)
{
	struct run r;

	(void)state;
	memset(&r, 0, sizeof(r));
	r.fake.fail_at = 1;
	r.fake.fail_status = VB_CONNECT;
	run(&r, "retry 5 { key a }");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_CONNECT);
	assert_int_equal(r.fake.ncalls, 1);
}

static void capture_can_take_a_region(void **state)
{
	(void)state;
	expect_run("capture needle.png in 10,20,30,40", "capture(needle.png in 10,20,30,40)");
}

/* ---- wait, capture, fail ---- */

static void wait_pauses_for_its_duration(void **state)
{
	(void)state;
	expect_run("wait 250ms\nwait 1m30s\nwait 1.5s",
		   "pause(250) pause(90000) pause(1500)");
}

static void capture_passes_the_path(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	expect_run("capture \"a.png\"\ncapture b.png", "capture(a.png) capture(b.png)");
	vars_set(&defs, "DIR", "shots");
	run_with(&r, "capture \"${DIR}/login.png\"", &defs, NULL);
	expect_ok(&r, "capture with a variable");
	expect_log(&r, "capture(shots/login.png)");
	vars_clear(&defs);
}

static void capture_without_support_is_an_error(void **state)
{
	struct fake f = { 0 };
	struct interp_target t = fake_target(&f);
	struct script *s = NULL;
	struct vb_error err = { 0 };

	(void)state;
	t.capture = NULL;
	assert_int_equal(script_parse(source_from_string("main.vnc", "capture a.png"),
				      NULL, &s, &err), 0);
	assert_int_equal(script_run(s, NULL, NULL, &t, &err), -1);
	assert_non_null(strstr(err.message, "capture is not available"));
	script_free(s);
}

static void fail_stops_with_its_message_and_where(void **state)
{
	struct vars defs = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&defs, "WHY", "no login screen");
	run_with(&r, "key a\nstep \"s\" {\n  fail \"gave up: ${WHY}\"\n}\nkey b", &defs,
		 NULL);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_string_equal(r.err.message, "gave up: no login screen");
	assert_string_equal(r.err.where, "main.vnc:3");
	expect_log(&r, "+a -a");
	vars_clear(&defs);
}

/* ---- target errors and interruption ---- */

static void target_key_error_stops_the_run_with_its_status(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.fake.fail_at = 3;
	r.fake.fail_status = VB_CONNECT;
	run(&r, "key ctrl-alt-del\nkey enter");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_CONNECT);
	assert_string_equal(r.err.message, "fake target: key failed");
	expect_log(&r, "+Control_L +Alt_L");
	assert_int_equal(r.fake.ncalls, 3);
}

static void target_pause_and_capture_errors_stop_the_run(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.fake.fail_at = 2;
	r.fake.fail_status = VB_CONNECT;
	run(&r, "wait 1s\nwait 2s\nkey a");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_CONNECT);
	assert_string_equal(r.err.message, "fake target: pause failed");
	expect_log(&r, "pause(1000)");

	r.fake.fail_at = 1;
	r.fake.fail_status = VB_FAILED;
	run(&r, "capture a.png\nkey a");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_string_equal(r.err.message, "fake target: capture failed");
	expect_log(&r, "");
}

static void interruption_stops_typing_before_the_next_key(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.fake.interrupt_after_keys = 3;
	run(&r, "type \"abcdef\"\nkey enter");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_non_null(strstr(r.err.message, "interrupted"));
	expect_log(&r, "+a -a +b");
}

static void interruption_before_the_first_statement_sends_nothing(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.fake.interrupt_now = 1;
	run(&r, "wait 1s\nkey a");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	expect_log(&r, "");
}

static void interruption_is_checked_between_statements(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.fake.interrupt_after_keys = 2;
	run(&r, "key a\nwait 5s\ncapture x.png");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	expect_log(&r, "+a -a");
}

static void run_without_interrupted_callback_runs_to_the_end(void **state)
{
	struct fake f = { 0 };
	struct interp_target t = fake_target(&f);
	struct script *s = NULL;
	struct vb_error err = { 0 };

	(void)state;
	t.interrupted = NULL;
	assert_int_equal(script_parse(source_from_string("main.vnc", "key a; wait 1s"),
				      NULL, &s, &err), 0);
	assert_int_equal(script_run(s, NULL, NULL, &t, &err), 0);
	assert_string_equal(f.log, "+a -a pause(1000)");
	script_free(s);
}

/* ---- blocks and includes ---- */

static void step_block_runs_its_body(void **state)
{
	(void)state;
	expect_run("step \"outer\" {\n key a\n step \"inner\" { key b }\n key c\n}\nkey d",
		   "+a -a +b -b +c -c +d -d");
	expect_run("step \"plain\"\nkey a", "+a -a");
	expect_run("step \"empty\" {}\nkey a", "+a -a");
}

static void deepest_allowed_nesting_runs_to_its_innermost_statement(void **state)
{
	char text[1024], *p = text;
	int i;

	(void)state;
	for (i = 0; i < 32; i++)
		p += sprintf(p, "step \"%d\" {", i);
	p += sprintf(p, "key a");
	for (i = 0; i < 32; i++)
		*p++ = '}';
	*p = '\0';
	expect_run(text, "+a -a");
}

static void include_runs_the_included_statements_in_place(void **state)
{
	struct script *s = NULL;
	struct vb_error err = { 0 };
	struct source *src = source_read(SCRIPTS "/inc_main.vnc", &err);
	struct fake f = { 0 };
	struct interp_target t = fake_target(&f);
	char want[1200], typed[1024];

	(void)state;
	assert_non_null(src);
	if (script_parse(src, NULL, &s, &err) < 0)
		fail_msg("parsing inc_main.vnc: %s: %s", err.where, err.message);
	if (script_run(s, NULL, NULL, &t, &err) < 0)
		fail_msg("running inc_main.vnc: %s: %s", err.where, err.message);
	/* key a; (set INNER; key b from the leaf); type "${INNER}" */
	strokes_of("from inner", typed, sizeof(typed));
	snprintf(want, sizeof(want), "+a -a +b -b %s", typed);
	if (strcmp(f.log, want) != 0)
		fail_msg("the target saw\n  [%s]\nwant\n  [%s]", f.log, want);
	script_free(s);
}

static void a_script_runs_the_same_twice(void **state)
{
	struct script *s = NULL;
	struct vb_error err = { 0 };
	struct fake f1 = { 0 }, f2 = { 0 };
	struct interp_target t1 = fake_target(&f1), t2 = fake_target(&f2);
	const char *text = "default X \"1\"\nset X \"${X}2\"\ntype \"${X}\"";

	(void)state;
	assert_int_equal(script_parse(source_from_string("main.vnc", text), NULL, &s,
				      &err), 0);
	assert_int_equal(script_run(s, NULL, NULL, &t1, &err), 0);
	assert_int_equal(script_run(s, NULL, NULL, &t2, &err), 0);
	assert_string_equal(f1.log, "+1 -1 +2 -2");
	assert_string_equal(f2.log, f1.log);
	script_free(s);
}

static void empty_script_runs_and_sends_nothing(void **state)
{
	(void)state;
	expect_run("", "");
	expect_run("# nothing\n\n", "");
}

/* ---- the plan ---- */

static char *plan_of(const char *text, const struct vars *defines,
		     const struct vars *secrets)
{
	struct script_env env = { .defines = defines, .secrets = secrets };
	struct script *s = NULL;
	struct vb_error err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	if (script_parse(source_from_string("main.vnc", text), &env, &s, &err) < 0)
		fail_msg("parsing \"%s\" failed: %s: %s", text, err.where, err.message);
	f = open_memstream(&buf, &len);
	assert_non_null(f);
	script_plan(s, defines, f);
	fclose(f);
	script_free(s);
	return buf;
}

static void plan_lists_each_statement_with_substituted_defines(void **state)
{
	struct vars defs = { 0 };
	char *plan;
	static const char want[] =
		"main.vnc:1               key ctrl-alt-del\n"
		"main.vnc:2               default USER \"Administrator\"\n"
		"main.vnc:3               step \"Log in as admin\"\n"
		"main.vnc:4                 type \"admin\\n\"\n"
		"main.vnc:5                 type <secret pw>\n"
		"main.vnc:6                 wait 1500ms\n"
		"main.vnc:8               set DIR \"shots\"\n"
		"main.vnc:9               capture \"shots/a.png\"\n"
		"main.vnc:10              wait 90s\n"
		"main.vnc:11              fail \"no \\$ for admin\"\n";

	(void)state;
	vars_set(&defs, "USER", "admin");
	plan = plan_of("key ctrl-alt-del\n"
		       "default USER \"Administrator\"\n"
		       "step \"Log in as ${USER}\" {\n"
		       "  type \"${USER}\\n\"\n"
		       "  type secret pw\n"
		       "  wait 1.5s\n"
		       "}\n"
		       "set DIR 'shots'\n"
		       "capture \"${DIR}/a.png\"\n"
		       "wait 1m30s\n"
		       "fail \"no \\$ for ${USER}\"\n",
		       &defs, NULL);
	if (strcmp(plan, want) != 0)
		fail_msg("plan:\n%s\nwant:\n%s", plan, want);
	free(plan);
	vars_clear(&defs);
}

static void plan_shows_secrets_by_name_never_their_value(void **state)
{
	struct vars secrets = { 0 };
	char *plan;

	(void)state;
	vars_set(&secrets, "password", "hunter2");
	plan = plan_of("type secret password\nkey enter", NULL, &secrets);
	if (!strstr(plan, "type <secret password>"))
		fail_msg("plan does not show <secret password>:\n%s", plan);
	if (strstr(plan, "hunter2"))
		fail_msg("plan shows the secret's value:\n%s", plan);
	free(plan);
	vars_clear(&secrets);
}

static void plan_without_defines_shows_references_and_defaults(void **state)
{
	char *plan;
	static const char want[] =
		"main.vnc:1               default USER \"Administrator\"\n"
		"main.vnc:2               type \"Administrator\"\n";

	(void)state;
	plan = plan_of("default USER \"Administrator\"\ntype \"${USER}\"", NULL, NULL);
	if (strcmp(plan, want) != 0)
		fail_msg("plan:\n%s\nwant:\n%s", plan, want);
	free(plan);
}

static void plan_shows_both_branches_of_an_if(void **state)
{
	char *plan;
	static const char want[] =
		"main.vnc:1               if changed timeout 2s\n"
		"main.vnc:2                 key a\n"
		"main.vnc:3               else\n"
		"main.vnc:4                 key b\n"
		"main.vnc:4                 if colour 0x00FF00 50% tolerance 24 timeout 0s\n"
		"main.vnc:4                   key c\n"
		"main.vnc:4                 else\n"
		"main.vnc:6               retry 2\n"
		"main.vnc:6                 key d\n";

	(void)state;
	plan = plan_of("if changed timeout 2s {\n"
		       "  key a\n"
		       "} else {\n"
		       "  key b; if colour green 50% { key c } else {}\n"
		       "}\n"
		       "retry 2 { key d }\n", NULL, NULL);
	if (strcmp(plan, want) != 0)
		fail_msg("plan:\n%s\nwant:\n%s", plan, want);
	free(plan);
}

/* After an if, a variable is known only if both branches leave it so, and
 * alike; inside a retry, a variable its block sets is not known. */
static void plan_knows_what_a_branch_sets_only_if_both_agree(void **state)
{
	char *plan;
	static const char want[] =
		"main.vnc:1               set A \"a\"\n"
		"main.vnc:2               if changed timeout 0s\n"
		"main.vnc:2                 set B \"1\"\n"
		"main.vnc:2                 set C \"1\"\n"
		"main.vnc:3               else\n"
		"main.vnc:3                 set B \"1\"\n"
		"main.vnc:3                 set C \"2\"\n"
		"main.vnc:3                 type \"a\"\n"
		"main.vnc:4               type \"a 1 ${C}\"\n"
		"main.vnc:5               if changed timeout 0s\n"
		"main.vnc:5                 set A \"x\"\n"
		"main.vnc:6               type \"${A}\"\n"
		"main.vnc:7               set D \"z\"\n"
		"main.vnc:8               retry 2\n"
		"main.vnc:8                 type \"1 ${D}\"\n"
		"main.vnc:8                 set D \"d\"\n"
		"main.vnc:8                 type \"d\"\n";

	(void)state;
	plan = plan_of("set A 'a'\n"
		       "if changed { set B '1'; set C '1' }\n"
		       "else { set B '1'; set C '2'; type \"${A}\" }\n"
		       "type \"${A} ${B} ${C}\"\n"
		       "if changed { set A 'x' }\n"
		       "type \"${A}\"\n"
		       "set D 'z'\n"
		       "retry 2 { type \"${B} ${D}\"; set D 'd'; type \"${D}\" }\n",
		       NULL, NULL);
	if (strcmp(plan, want) != 0)
		fail_msg("plan:\n%s\nwant:\n%s", plan, want);
	free(plan);
}

static void plan_shows_included_statements_indented(void **state)
{
	struct script *s = NULL;
	struct vb_error err = { 0 };
	struct source *src = source_read(SCRIPTS "/inc_main.vnc", &err);
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_non_null(src);
	assert_int_equal(script_parse(src, NULL, &s, &err), 0);
	f = open_memstream(&buf, &len);
	script_plan(s, NULL, f);
	fclose(f);
	if (!strstr(buf, "inc_main.vnc:3") ||
	    !strstr(buf, "include \"sub/inc_inner.vnc\"\n") ||
	    !strstr(buf, "sub/inc_inner.vnc:2") ||
	    !strstr(buf, "  set INNER \"from inner\"\n") ||
	    !strstr(buf, "sub/inc_leaf.vnc:1") || !strstr(buf, "    key b\n") ||
	    !strstr(buf, "type \"from inner\"\n"))
		fail_msg("plan of inc_main.vnc lacks an expected line:\n%s", buf);
	free(buf);
	script_free(s);
}

static void verbose_log_never_shows_a_secret_value(void **state)
{
	struct vars secrets = { 0 };
	struct run r = { 0 };
	char path[] = "/tmp/test_interp_log_XXXXXX";
	int fd = mkstemp(path), saved;
	char buf[4096] = "";
	FILE *f;
	size_t n;

	(void)state;
	assert_true(fd >= 0);
	vars_set(&secrets, "pw", "hunter2");
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	log_set_level(LOG_VERBOSE);
	run_with(&r, "step \"login\" {\n type secret pw\n}", NULL, &secrets);
	log_set_level(LOG_ERROR);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	f = fdopen(fd, "r");
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	expect_ok(&r, "type secret pw");
	if (!strstr(buf, "<secret pw>"))
		fail_msg("verbose log does not name the secret:\n%s", buf);
	if (strstr(buf, "hunter2"))
		fail_msg("verbose log shows the secret's value:\n%s", buf);
	vars_clear(&secrets);
}

static int quiet_logs(void **state)
{
	(void)state;
	log_set_level(LOG_ERROR);
	return 0;
}

/* ---- text on the screen ---- */

static void read_puts_what_the_screen_says_into_the_variable(void **state)
{
	struct run r = { 0 };

	(void)state;
	run(&r, "read SAID in 10,20,300,40\nfail \"${SAID}\"");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	expect_log(&r, "read(10,20,300,40)");
	/* The message keeps it one line: its newlines show as \n. */
	assert_string_equal(r.err.message, "C:\\>echo %A%%B%\\nZEBRA42\\npassword s3cR!t echoed");
	run(&r, "read ALL\nfail \"${ALL}\"");
	expect_log(&r, "read()");
}

static void read_shows_a_secret_the_console_echoed_by_its_name(void **state)
{
	struct vars secrets = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&secrets, "pw", "s3cR!t");
	run_with(&r, "read SAID\nfail \"${SAID}\"", NULL, &secrets);
	assert_non_null(strstr(r.err.message, "password <secret pw> echoed"));
	assert_null(strstr(r.err.message, "s3cR!t"));
	vars_clear(&secrets);
}

/* OCR reads an echoed secret back recased or a character off: the variable
 * and the evidence still show it by name only. */
static void read_shows_a_secret_ocr_misread_by_its_name(void **state)
{
	struct vars secrets = { 0 };
	struct run r = { 0 };

	(void)state;
	vars_set(&secrets, "pw", "s3cR!tz"); /* read as "s3cR!t": one character off */
	run_with(&r, "read SAID\nfail \"${SAID}\"", NULL, &secrets);
	assert_non_null(strstr(r.err.message, "password <secret pw>"));
	assert_null(strstr(r.err.message, "s3cR!t"));
	vars_clear(&secrets);
	vars_set(&secrets, "pw", "S3CR!T"); /* read in other case */
	run_with(&r, "read SAID\nfail \"${SAID}\"", NULL, &secrets);
	assert_non_null(strstr(r.err.message, "password <secret pw> echoed"));
	vars_clear(&secrets);
}

static void expect_text_makes_its_text_from_the_variables_now(void **state)
{
	(void)state;
	expect_run("set WORD \"ZEB\"\nexpect text \"${WORD}RA42\" similar 80% timeout 2s",
		   "screen(text \"ZEBRA42\" 0.80,2000)=1");
	expect_run("if text \"Password\" { key a } else { key b }",
		   "screen(text \"Password\" 0.90,0)=1 +a -a");
}

static void expect_text_that_never_comes_fails_the_script(void **state)
{
	struct run r = { 0 };

	(void)state;
	r.fake.screen_answers = "00";
	run(&r, "retry 2 { expect text \"Password\" timeout 1s }");
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.err.status, VB_FAILED);
	assert_non_null(strstr(r.err.message, "expect timed out after 1s waiting for text "
				"\"Password\" on the screen similar 90%"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(chord_presses_in_order_and_releases_in_reverse),
		cmocka_unit_test(several_chords_are_pressed_one_after_another),
		cmocka_unit_test(down_and_up_send_one_event_each),
		cmocka_unit_test(type_sends_shift_around_the_characters_that_need_it),
		cmocka_unit_test(type_raw_string_sends_backslashes_as_written),
		cmocka_unit_test(type_tab_and_unicode_escapes),
		cmocka_unit_test(type_every_printable_ascii_character_exactly),
		cmocka_unit_test(type_secret_types_the_value_given),
		cmocka_unit_test(type_secret_not_given_at_run_time_sends_nothing),
		cmocka_unit_test(target_hears_of_a_secret_typed_and_the_enter_after_it),
		cmocka_unit_test(untypable_secret_fails_without_showing_it),
		cmocka_unit_test(untypable_variable_value_fails_before_any_key),
		cmocka_unit_test(qemu_refuses_a_literal_it_cannot_type_before_any_key),
		cmocka_unit_test(qemu_refuses_a_variable_value_known_before_the_run),
		cmocka_unit_test(qemu_refuses_a_secret_without_showing_it),
		cmocka_unit_test(qemu_refuses_a_boot_string_before_any_key),
		cmocka_unit_test(qemu_checks_a_value_set_in_a_branch_when_it_is_typed),
		cmocka_unit_test(qemu_allows_every_printable_ascii_character),
		cmocka_unit_test(other_consoles_type_what_qemu_refuses),
		cmocka_unit_test(check_names_the_strings_that_depend_on_the_layout),
		cmocka_unit_test(variables_are_interpolated_into_strings),
		cmocka_unit_test(define_value_is_used),
		cmocka_unit_test(default_does_not_override_a_define),
		cmocka_unit_test(default_applies_when_nothing_else_set_the_variable),
		cmocka_unit_test(set_overrides_a_define_and_earlier_sets),
		cmocka_unit_test(variable_value_takes_effect_in_statement_order),
		cmocka_unit_test(interpolated_dollar_and_braces_are_typed_literally),
		cmocka_unit_test(wait_pauses_for_its_duration),
		cmocka_unit_test(capture_passes_the_path),
		cmocka_unit_test(expect_waits_with_its_timeout_and_fails_when_it_passes),
		cmocka_unit_test(if_runs_the_block_that_matches_the_screen),
		cmocka_unit_test(retry_runs_a_failing_block_again_until_it_passes),
		cmocka_unit_test(retry_does_not_retry_a_lost_connection),
		cmocka_unit_test(capture_can_take_a_region),
		cmocka_unit_test(capture_without_support_is_an_error),
		cmocka_unit_test(fail_stops_with_its_message_and_where),
		cmocka_unit_test(target_key_error_stops_the_run_with_its_status),
		cmocka_unit_test(target_pause_and_capture_errors_stop_the_run),
		cmocka_unit_test(interruption_stops_typing_before_the_next_key),
		cmocka_unit_test(interruption_before_the_first_statement_sends_nothing),
		cmocka_unit_test(interruption_is_checked_between_statements),
		cmocka_unit_test(run_without_interrupted_callback_runs_to_the_end),
		cmocka_unit_test(step_block_runs_its_body),
		cmocka_unit_test(deepest_allowed_nesting_runs_to_its_innermost_statement),
		cmocka_unit_test(include_runs_the_included_statements_in_place),
		cmocka_unit_test(a_script_runs_the_same_twice),
		cmocka_unit_test(empty_script_runs_and_sends_nothing),
		cmocka_unit_test(plan_lists_each_statement_with_substituted_defines),
		cmocka_unit_test(plan_shows_secrets_by_name_never_their_value),
		cmocka_unit_test(plan_without_defines_shows_references_and_defaults),
		cmocka_unit_test(plan_shows_both_branches_of_an_if),
		cmocka_unit_test(plan_knows_what_a_branch_sets_only_if_both_agree),
		cmocka_unit_test(plan_shows_included_statements_indented),
		cmocka_unit_test(verbose_log_never_shows_a_secret_value),
		cmocka_unit_test(read_puts_what_the_screen_says_into_the_variable),
		cmocka_unit_test(read_shows_a_secret_the_console_echoed_by_its_name),
		cmocka_unit_test(read_shows_a_secret_ocr_misread_by_its_name),
		cmocka_unit_test(expect_text_makes_its_text_from_the_variables_now),
		cmocka_unit_test(expect_text_that_never_comes_fails_the_script),
	};

	return cmocka_run_group_tests(tests, quiet_logs, NULL);
}
