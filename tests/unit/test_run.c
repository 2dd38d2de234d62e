/* test_run.c: unit tests of src/run/run.c on a fake console: one run fed
 * several pieces of script keeps its variables and the keys held between
 * them, records its evidence, stops on an interrupt, and releases what is
 * held when it ends (the console's close). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "run/run.h"
#include "script/source.h"
#include "util/log.h"

struct fake {
	char log[4096]; /* +XX down, -XX up (keysyms in hex), snap, close */
	int held[16];   /* keysyms down and not up */
	int nheld;
	int closed;
	int snapshots;
	int marks;
	uint8_t pixels[4 * 4 * 4];
};

static void add(struct fake *f, const char *fmt, unsigned v)
{
	size_t n = strlen(f->log);

	snprintf(f->log + n, sizeof(f->log) - n, n ? " " : "");
	n = strlen(f->log);
	snprintf(f->log + n, sizeof(f->log) - n, fmt, v);
}

static int f_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	struct fake *f = ctx;
	int i;

	(void)err;
	add(f, down ? "+%x" : "-%x", keysym);
	if (down && f->nheld < 16) {
		f->held[f->nheld++] = (int)keysym;
	} else if (!down) {
		for (i = 0; i < f->nheld; i++)
			if (f->held[i] == (int)keysym) {
				f->held[i] = f->held[--f->nheld];
				break;
			}
	}
	return 0;
}

static int f_pause(void *ctx, long ms, struct vb_error *err)
{
	(void)ctx;
	(void)ms;
	(void)err;
	return 0;
}

static int f_capture(void *ctx, const char *path, const struct screen_region *region,
		     struct vb_error *err)
{
	(void)ctx;
	(void)path;
	(void)region;
	(void)err;
	return 0;
}

static int f_wait_screen(void *ctx, const struct screen_cond *cond, long timeout_ms, int *met,
			 struct screen_watch *w, struct vb_error *err)
{
	(void)ctx;
	(void)cond;
	(void)timeout_ms;
	(void)w;
	(void)err;
	*met = 1;
	return 0;
}

static int f_pointer(void *ctx, int x, int y, int buttons, struct vb_error *err)
{
	(void)ctx;
	(void)x;
	(void)y;
	(void)buttons;
	(void)err;
	return 0;
}

static void f_mark(void *ctx)
{
	((struct fake *)ctx)->marks++;
}

static int f_snapshot(void *ctx, struct screen_image *img, struct vb_error *err)
{
	struct fake *f = ctx;

	(void)err;
	f->snapshots++;
	img->width = img->height = 4;
	img->stride = 16;
	img->pixels = f->pixels;
	return 0;
}

/* As the session does: release what is held, then close. */
static void f_close(void *ctx)
{
	struct fake *f = ctx;

	while (f->nheld > 0) {
		add(f, "-%x", (unsigned)f->held[f->nheld - 1]);
		f->nheld--;
	}
	add(f, "close%.0u", 0);
	f->closed = 1;
}

static struct run_console fake_console(struct fake *f)
{
	return (struct run_console){
		.target = { .ctx = f, .key = f_key, .pause = f_pause, .capture = f_capture,
			    .wait_screen = f_wait_screen, .pointer = f_pointer,
			    .mark = f_mark },
		.snapshot = f_snapshot,
		.close = f_close,
	};
}

static struct script *parse(const char *text, const struct vars *defines)
{
	struct script_env env = { .defines = defines };
	struct script *s = NULL;
	struct vb_error err;

	if (script_parse(source_from_string("piece.vnc", text), &env, &s, &err) < 0)
		fail_msg("parse: %s", err.message);
	return s;
}

static void two_pieces_share_variables_and_held_keys(void **state)
{
	struct fake f = { 0 };
	struct run_console c = fake_console(&f);
	struct vars defines = { 0 };
	struct run_options o = { .defines = &defines };
	struct vb_error err;
	struct run *r;
	struct script *one, *two;

	(void)state;
	vars_set(&defines, "WHO", "b");
	/* The second piece uses X, which only the first sets: the parser must
	 * know it is defined, as a front end feeding pieces would declare. */
	vars_set(&defines, "X", "unset");
	one = parse("set X \"a\"\ndown shift\n", &defines);
	two = parse("type \"${X}${WHO}\"\nup shift\n", &defines);
	r = run_new_on(&o, &c, &err);
	assert_non_null(r);
	assert_int_equal(run_exec(r, one, &err), 0);
	/* Between the pieces, Shift is still down on the console. */
	assert_int_equal(f.nheld, 1);
	assert_int_equal(f.held[0], 0xffe1);
	assert_int_equal(run_exec(r, two, &err), 0);
	/* X kept the value the first piece gave it: "a" then -D's "b". */
	assert_string_equal(f.log, "+ffe1 +61 -61 +62 -62 -ffe1");
	run_end(r, 0, NULL);
	assert_true(f.closed);
	script_free(one);
	script_free(two);
	vars_clear(&defines);
}

static void keys_left_held_are_released_when_the_run_ends(void **state)
{
	struct fake f = { 0 };
	struct run_console c = fake_console(&f);
	struct run_options o = { 0 };
	struct vb_error err;
	struct script *s = parse("down ctrl\ndown alt\n", NULL);
	struct run *r = run_new_on(&o, &c, &err);

	(void)state;
	assert_int_equal(run_exec(r, s, &err), 0);
	run_end(r, 0, NULL);
	assert_string_equal(f.log, "+ffe3 +ffe9 -ffe9 -ffe3 close");
	script_free(s);
}

/* The MCP server's disconnect: the keys held are released and the console
 * closed at once, the run (its variables) stays; with no address to
 * connect to again, the next piece says so rather than reach the old one. */
static void disconnect_releases_held_keys_and_keeps_the_run(void **state)
{
	struct fake f = { 0 };
	struct run_console c = fake_console(&f);
	struct run_options o = { 0 };
	struct vb_error err;
	struct script *s = parse("set X \"kept\"\ndown shift\n", NULL);
	struct script *t = parse("key a\n", NULL);
	struct run *r = run_new_on(&o, &c, &err);

	(void)state;
	assert_null(run_vars(r));
	assert_true(run_is_connected(r));
	assert_int_equal(run_exec(r, s, &err), 0);
	run_disconnect(r);
	assert_string_equal(f.log, "+ffe1 -ffe1 close");
	assert_false(run_is_connected(r));
	assert_string_equal(vars_get(run_vars(r), "X"), "kept");
	run_disconnect(r); /* nothing open: nothing happens */
	assert_int_equal(run_exec(r, t, &err), -1);
	assert_string_equal(f.log, "+ffe1 -ffe1 close");
	run_end(r, 0, NULL);
	assert_string_equal(f.log, "+ffe1 -ffe1 close");
	script_free(s);
	script_free(t);
}

static void an_interrupt_stops_the_next_piece(void **state)
{
	static volatile sig_atomic_t flag;
	struct fake f = { 0 };
	struct run_console c = fake_console(&f);
	struct run_options o = { .interrupt = &flag };
	struct vb_error err;
	struct script *s = parse("key a\n", NULL);
	struct run *r = run_new_on(&o, &c, &err);

	(void)state;
	flag = 0;
	assert_int_equal(run_exec(r, s, &err), 0);
	flag = 2;
	assert_int_equal(run_exec(r, s, &err), -1);
	assert_string_equal(err.message, "interrupted");
	assert_string_equal(f.log, "+61 -61");
	run_end(r, 130, &err);
	flag = 0;
	script_free(s);
}

static void the_evidence_has_each_piece_and_a_picture_per_step(void **state)
{
	char dir[] = "/tmp/vbtestrunXXXXXX", path[300], line[512];
	struct fake f = { 0 };
	struct run_console c = fake_console(&f);
	struct run_options o = { .script_name = "pieces" };
	struct vb_error err;
	struct script *one = parse("step \"first\" {\n  key a\n}\n", NULL);
	struct script *two = parse("step \"second\" {\n  key b\n}\n", NULL);
	struct run *r;
	int steps = 0, pictures = 0;
	FILE *ev;

	(void)state;
	assert_non_null(mkdtemp(dir));
	o.record_dir = dir;
	r = run_new_on(&o, &c, &err);
	assert_non_null(r);
	assert_int_equal(run_exec(r, one, &err), 0);
	assert_int_equal(run_exec(r, two, &err), 0);
	run_end(r, 0, NULL);
	snprintf(path, sizeof(path), "%s/events.jsonl", dir);
	ev = fopen(path, "r");
	assert_non_null(ev);
	while (fgets(line, sizeof(line), ev)) {
		steps += strstr(line, "\"step\"") != NULL;
		pictures += strstr(line, "step-001.png") || strstr(line, "step-002.png");
	}
	fclose(ev);
	assert_int_equal(steps, 2);
	assert_int_equal(pictures, 2);
	/* After each step, and at the end of the run. */
	assert_int_equal(f.snapshots, 3);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	script_free(one);
	script_free(two);
}

/* The screen is remembered before input (a framebuffer's copy) only once
 * a piece waits for it to change. */
static void the_screen_is_marked_only_for_expect_changed(void **state)
{
	struct fake f = { 0 };
	struct run_console c = fake_console(&f);
	struct run_options o = { 0 };
	struct vb_error err;
	struct script *plain = parse("key a\nexpect settled 1s\nkey b\n", NULL);
	struct script *changed = parse("key c\nif changed { key d }\n", NULL);
	struct run *r = run_new_on(&o, &c, &err);

	(void)state;
	assert_int_equal(run_exec(r, plain, &err), 0);
	assert_int_equal(f.marks, 0);
	assert_int_equal(run_exec(r, changed, &err), 0);
	assert_int_equal(f.marks, 2); /* before key c, and key d */
	run_end(r, 0, NULL);
	script_free(plain);
	script_free(changed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_pieces_share_variables_and_held_keys),
		cmocka_unit_test(keys_left_held_are_released_when_the_run_ends),
		cmocka_unit_test(disconnect_releases_held_keys_and_keeps_the_run),
		cmocka_unit_test(an_interrupt_stops_the_next_piece),
		cmocka_unit_test(the_evidence_has_each_piece_and_a_picture_per_step),
		cmocka_unit_test(the_screen_is_marked_only_for_expect_changed),
	};

	log_start();
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
