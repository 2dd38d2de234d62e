/* echo.c: the echo screen (--start echo): under the console's title bar, a
 * line of help and below it everything typed, with the status line showing
 * the modifiers held. The screen tests watch the transcript against. */
#include "screen.h"

#include <stdlib.h>

#include "font.h"
#include "textarea.h"
#include "util/xalloc.h"

#define ECHO_PAD 8
#define ECHO_BG 0x0c0c0cu
#define ECHO_FG 0xccccccu
#define ECHO_HINT_FG 0x8a8a8au

struct echo {
	struct textarea *text; /* made on first entering */
};

static void *echo_new(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct echo));
}

static void echo_free(void *st)
{
	struct echo *e = st;

	textarea_free(e->text);
	free(e);
}

static int echo_enter(struct console *c, void *st)
{
	struct echo *e = st;
	struct draw_surface *fb = console_fb(c);
	struct draw_rect b = console_chrome_body(c);
	int hint_y = b.y + ECHO_PAD;
	struct draw_rect area = {
		.x = b.x + ECHO_PAD,
		.y = hint_y + FONT_HEIGHT + ECHO_PAD,
		.w = b.w - 2 * ECHO_PAD,
	};

	area.h = b.y + b.h - ECHO_PAD / 2 - area.y;
	console_draw_chrome(c);
	draw_fill_rect(fb, b.x, b.y, b.w, b.h, ECHO_BG);
	draw_text(fb, area.x, hint_y, "Type here. Backspace deletes, Return starts a new line.",
		  ECHO_HINT_FG, DRAW_NONE, 1);
	if (!e->text)
		e->text = textarea_new(fb, area, ECHO_FG, ECHO_BG);
	else
		textarea_redraw(e->text);
	return e->text ? 0 : -1;
}

static void echo_key(struct console *c, void *st, uint32_t keysym, unsigned mods)
{
	struct echo *e = st;
	int ch;

	(void)c;
	/* With Ctrl, Alt or Super held a key is a shortcut, not text: it
	 * shows in the status line only, as a real console would not type it. */
	if ((mods & SCREEN_SHORTCUT_MODS) || !e->text)
		return;
	if (keysym == XK_BackSpace) {
		textarea_backspace(e->text);
		return;
	}
	if (keysym == XK_Return || keysym == XK_KP_Enter) {
		textarea_newline(e->text);
		return;
	}
	ch = screen_keysym_char(keysym);
	if (ch >= 0)
		textarea_put(e->text, (char)ch);
}

const struct screen_class screen_echo = {
	.name = "echo",
	.new = echo_new,
	.free = echo_free,
	.enter = echo_enter,
	.key = echo_key,
};
