/* test_console.c: unit tests of the practice console's screens on a surface
 * of their own, no server: the pixels are what a client would be sent, and
 * the clock is the test's (console_tick with a made-up time), so timers
 * (lockout, Server Manager, the restart) are checked to the millisecond
 * without waiting. Where to look at each screen: docs/practice.md and
 * tests/integration/practice-lib.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "console.h"
#include "draw.h"

#define WALLPAPER 0x0f5ea8u
#define AVATAR 0xb4b4b4u
#define SM_PANE 0x1b3a5cu
#define OK_FACE 0xe1e1e1u

struct rig {
	struct draw_surface *fb;
	struct console_config cfg;
	struct console *c;
	long long now;
};

/* The configuration of a console on start; change r->cfg, then rig_open. */
static void rig_init(struct rig *r, const char *start, const char *password)
{
	memset(r, 0, sizeof(*r));
	console_config_init(&r->cfg);
	r->cfg.start = start;
	r->cfg.windows_password = password;
	r->cfg.clock = 1796204460; /* 2026-12-02 09:41 UTC: no minute changes */
}

static void rig_open(struct rig *r)
{
	/* Shifts 16, 8, 0: a pixel reads as 0xRRGGBB. */
	r->fb = draw_surface_new(1024, 768, 16, 8, 0);
	assert_non_null(r->fb);
	r->c = console_new(r->fb, &r->cfg);
	assert_non_null(r->c);
	r->now = 1000000;
	console_tick(r->c, r->now);
}

static void rig_start(struct rig *r, const char *start, const char *password)
{
	rig_init(r, start, password);
	rig_open(r);
}

static void rig_stop(struct rig *r)
{
	console_free(r->c);
	draw_surface_free(r->fb);
}

/* Let ms pass, ticking every 50 ms as the server does. Returns whether a
 * restart became due. */
static bool rig_wait(struct rig *r, long long ms)
{
	bool due = false;

	for (long long end = r->now + ms; r->now < end;) {
		r->now += end - r->now < 50 ? end - r->now : 50;
		due |= console_tick(r->c, r->now);
	}
	return due;
}

static uint32_t pixel(const struct rig *r, int x, int y)
{
	return r->fb->pixels[(size_t)y * r->fb->width + x] & 0xffffffu;
}

static void press(struct rig *r, uint32_t keysym)
{
	console_key(r->c, true, keysym);
	console_key(r->c, false, keysym);
}

static void type(struct rig *r, const char *text)
{
	for (; *text; text++)
		press(r, *text == '\n' ? 0xff0d : (uint32_t)(unsigned char)*text);
}

static void chord(struct rig *r, uint32_t mod1, uint32_t mod2, uint32_t key)
{
	console_key(r->c, true, mod1);
	if (mod2)
		console_key(r->c, true, mod2);
	press(r, key);
	if (mod2)
		console_key(r->c, false, mod2);
	console_key(r->c, false, mod1);
}

#define CTRL 0xffe3
#define ALT 0xffe9
#define SHIFT 0xffe1
#define SUPER 0xffeb
#define DELETE 0xffff
#define F4 0xffc1

static void sign_in(struct rig *r, const char *password)
{
	chord(r, CTRL, ALT, DELETE);
	type(r, password);
	type(r, "\n");
}

/* ---- tests ------------------------------------------------------------------ */

static void lock_screen_ignores_everything_but_ctrl_alt_del(void **state)
{
	struct rig r;
	uint32_t *before;
	size_t n = 1024 * 768;

	(void)state;
	rig_start(&r, "lock", NULL);
	before = test_malloc(n * sizeof(uint32_t));
	memcpy(before, r.fb->pixels, n * sizeof(uint32_t));
	type(&r, "hello\n");
	press(&r, 0xff1b); /* Escape */
	chord(&r, CTRL, 0, DELETE);
	chord(&r, ALT, 0, DELETE);
	console_pointer(r.c, 500, 400, 1);
	console_pointer(r.c, 500, 400, 0);
	rig_wait(&r, 120000);
	assert_memory_equal(before, r.fb->pixels, n * sizeof(uint32_t));
	chord(&r, CTRL, ALT, DELETE);
	assert_int_equal(pixel(&r, 440, 260), AVATAR);
	test_free(before);
	rig_stop(&r);
}

static void lockout_lasts_lockout_time_and_refuses_the_right_password(void **state)
{
	struct rig r;

	(void)state;
	rig_init(&r, "lock", "right");
	r.cfg.lockout = 2;
	r.cfg.lockout_seconds = 30;
	rig_open(&r);
	sign_in(&r, "wrong");
	assert_int_equal(pixel(&r, 470, 490), OK_FACE); /* the message's OK */
	type(&r, "\n");
	type(&r, "wrong\n");
	type(&r, "\n");
	/* Locked: the right password gets the message, 29.9 s on too. */
	rig_wait(&r, 29900);
	type(&r, "right\n");
	assert_int_equal(pixel(&r, 470, 490), OK_FACE);
	assert_int_not_equal(pixel(&r, 5, 300), WALLPAPER);
	type(&r, "\n");
	rig_wait(&r, 200);
	type(&r, "right\n");
	assert_int_equal(pixel(&r, 5, 300), WALLPAPER);
	rig_stop(&r);
}

static void server_manager_opens_after_its_delay_and_takes_the_keys(void **state)
{
	struct rig r;

	(void)state;
	rig_start(&r, "lock", NULL);
	sign_in(&r, "x");
	chord(&r, SUPER, 0, 'r');
	type(&r, "cmd\n");
	assert_int_equal(pixel(&r, 512, 300), 0x000000); /* the cmd window */
	rig_wait(&r, 3900);
	assert_int_not_equal(pixel(&r, 150, 400), SM_PANE);
	rig_wait(&r, 150);
	assert_int_equal(pixel(&r, 150, 400), SM_PANE);
	/* Typed into Server Manager: the cmd window under it stays black
	 * once Server Manager is closed. */
	type(&r, "color 4F\n");
	chord(&r, ALT, 0, F4);
	assert_int_equal(pixel(&r, 512, 300), 0x000000);
	type(&r, "color 2F\n");
	assert_int_equal(pixel(&r, 512, 300), 0x008000);
	rig_stop(&r);
}

static void restart_is_due_after_its_seconds_and_abort_cancels(void **state)
{
	struct rig r;

	(void)state;
	rig_start(&r, "cmd", NULL);
	type(&r, "shutdown /r /t 5\n");
	rig_wait(&r, 100);
	type(&r, "\n"); /* closes the notice; the restart stays due */
	type(&r, "shutdown /a\n");
	assert_false(rig_wait(&r, 10000));
	type(&r, "shutdown /r /t 5\n");
	assert_false(rig_wait(&r, 4900));
	assert_true(rig_wait(&r, 150));
	/* Back from the restart: the lock screen, every window closed. */
	console_restarted(r.c);
	chord(&r, CTRL, ALT, DELETE);
	type(&r, "x\n");
	assert_int_equal(pixel(&r, 512, 300), WALLPAPER);
	rig_stop(&r);
}

/* --restart stays: the clients see the restart. "Restarting" on black, then
 * black, keys reaching nothing, until the boot is over: the lock screen,
 * signed out, no window open. */
static void a_restart_seen_from_a_console_that_stays(void **state)
{
	struct rig r;
	int white = 0;

	(void)state;
	rig_start(&r, "cmd", NULL);
	type(&r, "shutdown /r /t 1\n");
	assert_true(rig_wait(&r, 1100));
	console_restarting(r.c);
	for (int y = 0; y < 768; y++)
		for (int x = 0; x < 1024; x++) {
			uint32_t p = pixel(&r, x, y);

			if (p == 0xffffffu)
				white++;
			else if (p != 0x000000u)
				fail_msg("the restarting screen has %06x at %d,%d", p, x, y);
		}
	if (white == 0 || white > 1024 * 768 / 100)
		fail_msg("\"Restarting\" should be a little white text on black: %d white pixels",
			 white);
	/* Not due again while it boots; keys and clicks reach nothing. */
	assert_false(rig_wait(&r, 2100));
	chord(&r, CTRL, ALT, DELETE);
	type(&r, "x\n");
	console_pointer(r.c, 512, 300, 1);
	console_pointer(r.c, 512, 300, 0);
	for (int y = 0; y < 768; y += 16)
		for (int x = 0; x < 1024; x += 16)
			if (pixel(&r, x, y) != 0x000000u)
				fail_msg("the screen is not black while it boots: %06x at %d,%d",
					 pixel(&r, x, y), x, y);
	/* Booted: the lock screen; signing in shows the desktop, no cmd window. */
	console_restarted(r.c);
	assert_int_not_equal(pixel(&r, 512, 10), 0x000000u);
	sign_in(&r, "x");
	assert_int_equal(pixel(&r, 512, 300), WALLPAPER);
	rig_stop(&r);
}

/* A console signed in (no Server Manager) with three cmd windows opened
 * from Run, placed by seed. */
static void three_windows(struct rig *r, unsigned seed)
{
	rig_init(r, "lock", NULL);
	r->cfg.window_seed = seed;
	r->cfg.server_manager_delay = 0;
	rig_open(r);
	sign_in(r, "x");
	for (int i = 0; i < 3; i++) {
		chord(r, SUPER, 0, 'r');
		type(r, "cmd");
		chord(r, CTRL, SHIFT, 0xff0d);
	}
}

static void window_places_follow_the_seed(void **state)
{
	struct rig a, b, c;
	size_t n = 1024 * 768 * sizeof(uint32_t);

	(void)state;
	three_windows(&a, 7);
	three_windows(&b, 7);
	three_windows(&c, 8);
	assert_memory_equal(a.fb->pixels, b.fb->pixels, n);
	assert_memory_not_equal(a.fb->pixels, c.fb->pixels, n);
	rig_stop(&a);
	rig_stop(&b);
	rig_stop(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lock_screen_ignores_everything_but_ctrl_alt_del),
		cmocka_unit_test(lockout_lasts_lockout_time_and_refuses_the_right_password),
		cmocka_unit_test(server_manager_opens_after_its_delay_and_takes_the_keys),
		cmocka_unit_test(restart_is_due_after_its_seconds_and_abort_cancels),
		cmocka_unit_test(a_restart_seen_from_a_console_that_stays),
		cmocka_unit_test(window_places_follow_the_seed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
