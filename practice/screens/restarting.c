/* restarting.c: what a console that stays connected through a restart shows
 * (--restart stays, as a hypervisor's console does): Windows' "Restarting"
 * on a black screen while the machine closes, then black while it boots.
 * Keys and clicks reach nothing here. When the boot is over is the server's
 * to say (console_restarted(), then the lock screen). */
#include "screen.h"

#include <stdlib.h>

#include "font.h"
#include "util/xalloc.h"

/* How long "Restarting" shows before the screen is all black. */
#define RESTARTING_TEXT_MS 2000

struct restarting {
	long long since; /* console_now_ms() on entering */
	bool black;	 /* the text is gone */
};

static void *restarting_new(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct restarting));
}

static void restarting_free(void *st)
{
	free(st);
}

static int restarting_enter(struct console *c, void *st)
{
	struct restarting *r = st;
	struct draw_surface *fb = console_fb(c);
	int scale = fb->width >= 800 ? 2 : 1;
	const char *text = "Restarting";

	r->since = console_now_ms(c);
	r->black = false;
	draw_fill_rect(fb, 0, 0, fb->width, fb->height, WIN_BLACK);
	draw_text(fb, (fb->width - draw_text_width(text, scale)) / 2,
		  fb->height / 2 + FONT_HEIGHT * scale, text, WIN_WHITE, DRAW_NONE, scale);
	return 0;
}

static void restarting_tick(struct console *c, void *st)
{
	struct restarting *r = st;
	struct draw_surface *fb = console_fb(c);

	if (r->black || console_now_ms(c) - r->since < RESTARTING_TEXT_MS)
		return;
	r->black = true;
	draw_fill_rect(fb, 0, 0, fb->width, fb->height, WIN_BLACK);
}

const struct screen_class screen_restarting = {
	.name = "restarting",
	.new = restarting_new,
	.free = restarting_free,
	.enter = restarting_enter,
	.tick = restarting_tick,
};
