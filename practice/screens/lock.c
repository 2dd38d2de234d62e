/* lock.c: the lock screen, where a Windows machine waits: a full-screen
 * picture with the time and date large at the lower left and "Press
 * Ctrl+Alt+Delete to unlock.". Only Ctrl+Alt+Delete leaves it (to the
 * sign-in screen); other keys and clicks do nothing visible, as on Windows.
 * The clock is drawn again when the minute changes, and only then. */
#include "screen.h"

#include <stdlib.h>

#include "font.h"
#include "util/xalloc.h"

struct lock {
	long minute; /* drawn for this minute */
};

static void *lock_new(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct lock));
}

static void lock_free(void *st)
{
	free(st);
}

/* The picture behind the lock and sign-in screens: a night-blue sky over a
 * lighter horizon and a dark shore, a photograph's layout in three bands. */
void lock_picture(struct draw_surface *fb)
{
	int h = fb->height, w = fb->width;

	win_gradient(fb, (struct draw_rect){0, 0, w, h * 3 / 5}, WIN_LOCK_TOP, WIN_LOCK_BOTTOM);
	win_gradient(fb, (struct draw_rect){0, h * 3 / 5, w, h / 10}, 0x5b93c4u, 0x2a5680u);
	win_gradient(fb, (struct draw_rect){0, h * 7 / 10, w, h - h * 7 / 10}, 0x1c3550u,
		     0x08121eu);
}

static int lock_scale(const struct draw_surface *fb, int big)
{
	int s = big * fb->width / 1024;

	return s < 1 ? 1 : s;
}

static int lock_enter(struct console *c, void *st)
{
	struct lock *l = st;
	struct draw_surface *fb = console_fb(c);
	int big = lock_scale(fb, 6), mid = lock_scale(fb, 3), small = lock_scale(fb, 2);
	int x = fb->width / 24;
	int y = fb->height - 3 * FONT_HEIGHT * small - FONT_HEIGHT * mid - FONT_HEIGHT * big -
		fb->height / 12;
	char hhmm[16], date[64];

	win_clock(c, hhmm, sizeof(hhmm), date, sizeof(date), &l->minute);
	lock_picture(fb);
	draw_text(fb, x, y, hhmm, WIN_WHITE, DRAW_NONE, big);
	y += FONT_HEIGHT * big;
	draw_text(fb, x, y, date, WIN_WHITE, DRAW_NONE, mid);
	y += FONT_HEIGHT * mid + FONT_HEIGHT * small;
	draw_text(fb, x, y, "Press Ctrl+Alt+Delete to unlock.", WIN_WHITE, DRAW_NONE, small);
	return 0;
}

static void lock_key(struct console *c, void *st, uint32_t keysym, unsigned mods)
{
	(void)st;
	if ((keysym == XK_Delete || keysym == XK_KP_Delete) && (mods & SCREEN_CTRL) &&
	    (mods & SCREEN_ALT))
		console_go(c, SCREEN_SIGNIN);
}

static void lock_tick(struct console *c, void *st)
{
	struct lock *l = st;
	long minute;

	win_clock(c, NULL, 0, NULL, 0, &minute);
	if (minute != l->minute)
		lock_enter(c, st);
}

const struct screen_class screen_lock = {
	.name = "lock",
	.new = lock_new,
	.free = lock_free,
	.enter = lock_enter,
	.key = lock_key,
	.tick = lock_tick,
};
