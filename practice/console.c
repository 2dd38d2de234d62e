/* console.c: the practice console's screens and the chrome around them: the
 * title bar, and a status line with the modifiers held, the last key pressed
 * and the number of clients. Screens are rows of console_screens[]; each
 * draws its body and answers key presses, while modifier tracking stays
 * here, shared. Screens: echo (what is typed) and cmd (an administrator's
 * Command Prompt window on cmdshell.c). Nothing here is a witness for
 * tests: transcript.c is. */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdshell.h"
#include "font.h"
#include "keys/keys.h"
#include "registry.h"
#include "textarea.h"

/* Layout, in pixels. */
#define CONSOLE_BAR_H 24 /* title bar and status line */
#define CONSOLE_PAD 8
#define CONSOLE_TEXT_Y ((CONSOLE_BAR_H - FONT_HEIGHT) / 2)

/* Colours: the body in the grey on black of a Windows console window, as
 * the screens to come (DESIGN.md section 6) will mostly be. */
#define CONSOLE_TITLE_BG 0x1f3a68u
#define CONSOLE_TITLE_FG 0xffffffu
#define CONSOLE_BODY_BG 0x0c0c0cu
#define CONSOLE_BODY_FG 0xccccccu
#define CONSOLE_HINT_FG 0x8a8a8au
#define CONSOLE_STATUS_BG 0x303030u
#define CONSOLE_STATUS_FG 0xd0d0d0u
#define CONSOLE_IDLE_FG 0x6c6c6cu
#define CONSOLE_HELD_BG 0xffd75fu
#define CONSOLE_HELD_FG 0x000000u
#define CONSOLE_CAPTION_BG 0xffffffu /* the cmd window's own title bar */
#define CONSOLE_CAPTION_FG 0x000000u
#define CONSOLE_FRAME 0x5a8ac6u

/* The cmd window: its caption's height, and the longest line typed. */
#define CONSOLE_CAPTION_H 24
#define CONSOLE_CMD_LINE_MAX 8191 /* cmd.exe's own limit */

/* X11 keysyms this file acts on. */
#define XK_BackSpace 0xff08
#define XK_Return 0xff0d
#define XK_KP_Enter 0xff8d

enum console_mod {
	CONSOLE_CTRL = 1 << 0,
	CONSOLE_ALT = 1 << 1,
	CONSOLE_SHIFT = 1 << 2,
	CONSOLE_SUPER = 1 << 3,
	CONSOLE_ALTGR = 1 << 4,
};

/* Modifiers chord a key into a shortcut; AltGr and Shift only pick the
 * character, which the client has already done by choosing the keysym. */
#define CONSOLE_SHORTCUT_MODS (CONSOLE_CTRL | CONSOLE_ALT | CONSOLE_SUPER)

/* In the order the status line shows them. */
static const struct {
	enum console_mod mod;
	const char *label;
} console_mod_labels[] = {
	{ CONSOLE_CTRL, "Ctrl" },   { CONSOLE_ALT, "Alt" },
	{ CONSOLE_SHIFT, "Shift" }, { CONSOLE_SUPER, "Super" },
	{ CONSOLE_ALTGR, "AltGr" },
};

/* Left and right keys are tracked apart: releasing Shift_R while Shift_L is
 * still down leaves Shift held. Meta counts as Alt and Hyper as Super, as
 * X servers usually map them. */
static const struct {
	uint32_t keysym;
	enum console_mod mod;
} console_mod_keys[] = {
	{ 0xffe1, CONSOLE_SHIFT }, /* Shift_L */
	{ 0xffe2, CONSOLE_SHIFT }, /* Shift_R */
	{ 0xffe3, CONSOLE_CTRL },  /* Control_L */
	{ 0xffe4, CONSOLE_CTRL },  /* Control_R */
	{ 0xffe7, CONSOLE_ALT },   /* Meta_L */
	{ 0xffe8, CONSOLE_ALT },   /* Meta_R */
	{ 0xffe9, CONSOLE_ALT },   /* Alt_L */
	{ 0xffea, CONSOLE_ALT },   /* Alt_R */
	{ 0xffeb, CONSOLE_SUPER }, /* Super_L */
	{ 0xffec, CONSOLE_SUPER }, /* Super_R */
	{ 0xffed, CONSOLE_SUPER }, /* Hyper_L */
	{ 0xffee, CONSOLE_SUPER }, /* Hyper_R */
	{ 0xfe03, CONSOLE_ALTGR }, /* ISO_Level3_Shift */
};

#define CONSOLE_MOD_KEYS (sizeof(console_mod_keys) / sizeof(console_mod_keys[0]))

enum console_screen_id {
	CONSOLE_ECHO,
	CONSOLE_CMD,
};

/* The screen console_new() starts on (console_set_first_screen()). */
static enum console_screen_id console_first = CONSOLE_ECHO;

/* The cmd window's text since its last cls, as the text area shows it (the
 * typed line included), so the window can be drawn again in other colours:
 * color changes the whole window at once, as in a Windows console. */
struct console_cmd_log {
	char *text;
	size_t len, cap;
};

struct console {
	struct draw_surface *fb;
	enum console_screen_id screen;
	struct draw_rect body;         /* between title bar and status line */
	bool key_down[CONSOLE_MOD_KEYS]; /* per row of console_mod_keys */
	char last[64];                 /* last chord pressed, for the status line */
	int clients;
	struct textarea *echo;         /* the echo screen's text */
	/* The cmd screen. */
	struct registry *reg;
	struct cmdshell *sh;
	struct textarea *cmd;          /* the window's text, NULL until entered */
	struct draw_rect cmd_client;   /* the window below its caption */
	unsigned cmd_color;            /* attribute the text area is drawn in */
	char line[CONSOLE_CMD_LINE_MAX + 1]; /* typed since the prompt */
	size_t line_len;
	struct console_cmd_log log;
	bool cmd_failed;               /* out of memory: the window is gone */
};

/* A screen of the console. enter draws its body from scratch and returns
 * -1 when out of memory; key gets each key press that is not a modifier,
 * with the modifiers then held. */
struct console_screen {
	const char *name; /* as --start names it */
	int (*enter)(struct console *c);
	void (*key)(struct console *c, uint32_t keysym, unsigned int mods);
};

static int console_echo_enter(struct console *c);
static void console_echo_key(struct console *c, uint32_t keysym,
			     unsigned int mods);
static int console_cmd_enter(struct console *c);
static void console_cmd_key(struct console *c, uint32_t keysym,
			    unsigned int mods);

static const struct console_screen console_screens[] = {
	[CONSOLE_ECHO] = { "echo", console_echo_enter, console_echo_key },
	[CONSOLE_CMD] = { "cmd", console_cmd_enter, console_cmd_key },
};

#define CONSOLE_NSCREENS (sizeof(console_screens) / sizeof(console_screens[0]))

int console_set_first_screen(const char *name)
{
	for (size_t i = 0; i < CONSOLE_NSCREENS; i++) {
		if (strcmp(console_screens[i].name, name) == 0) {
			console_first = (enum console_screen_id)i;
			return 0;
		}
	}
	return -1;
}

static unsigned int console_mods(const struct console *c)
{
	unsigned int mods = 0;

	for (size_t i = 0; i < CONSOLE_MOD_KEYS; i++)
		if (c->key_down[i])
			mods |= console_mod_keys[i].mod;
	return mods;
}

/* Row of console_mod_keys for keysym, or -1 if it is not a modifier. */
static int console_mod_index(uint32_t keysym)
{
	for (size_t i = 0; i < CONSOLE_MOD_KEYS; i++)
		if (console_mod_keys[i].keysym == keysym)
			return (int)i;
	return -1;
}

/*
 * The character a keysym types, for the echo area: printable ASCII as itself,
 * the keypad's characters as theirs, and other printable characters (Latin-1
 * keysyms, Unicode keysyms 0x01000000 + code point) as DEL, which the font
 * draws as a box: a watcher sees that something arrived that the font cannot
 * show. Returns -1 for keysyms that type no text (function keys, arrows...).
 */
static int console_keysym_char(uint32_t keysym)
{
	if (keysym >= 0x20 && keysym <= 0x7e)
		return (int)keysym;
	if (keysym >= 0xffb0 && keysym <= 0xffb9) /* KP_0 .. KP_9 */
		return '0' + (int)(keysym - 0xffb0);
	switch (keysym) {
	case 0xff80: return ' '; /* KP_Space */
	case 0xffaa: return '*'; /* KP_Multiply */
	case 0xffab: return '+'; /* KP_Add */
	case 0xffac: return ','; /* KP_Separator */
	case 0xffad: return '-'; /* KP_Subtract */
	case 0xffae: return '.'; /* KP_Decimal */
	case 0xffaf: return '/'; /* KP_Divide */
	case 0xffbd: return '='; /* KP_Equal */
	}
	if (keysym >= 0xa0 && keysym <= 0xff)
		return 0x7f;
	if (keysym >= 0x010000a0 && keysym <= 0x0110ffff)
		return 0x7f;
	return -1;
}

static void console_draw_title(struct console *c)
{
	draw_fill_rect(c->fb, 0, 0, c->fb->width, CONSOLE_BAR_H,
		       CONSOLE_TITLE_BG);
	draw_text(c->fb, CONSOLE_PAD, CONSOLE_TEXT_Y, "vncbot practice console",
		  CONSOLE_TITLE_FG, DRAW_NONE, 1);
}

/* The status line: held modifiers lit up, the last chord, the clients.
 * Drawn whole each time; it is one bar of text and changes once per key. */
static void console_draw_status(struct console *c)
{
	int y = c->fb->height - CONSOLE_BAR_H;
	int ty = y + CONSOLE_TEXT_Y;
	unsigned int mods = console_mods(c);
	int x = CONSOLE_PAD, right, room;
	char text[96];

	draw_fill_rect(c->fb, 0, y, c->fb->width, CONSOLE_BAR_H,
		       CONSOLE_STATUS_BG);
	x += draw_text(c->fb, x, ty, "Held:", CONSOLE_STATUS_FG, DRAW_NONE, 1);
	for (size_t i = 0; i < sizeof(console_mod_labels) /
				   sizeof(console_mod_labels[0]); i++) {
		const char *label = console_mod_labels[i].label;
		int w = draw_text_width(label, 1);

		x += FONT_WIDTH;
		if (mods & console_mod_labels[i].mod) {
			draw_fill_rect(c->fb, x - 2, y + 2, w + 4,
				       CONSOLE_BAR_H - 4, CONSOLE_HELD_BG);
			draw_text(c->fb, x, ty, label, CONSOLE_HELD_FG,
				  DRAW_NONE, 1);
		} else {
			draw_text(c->fb, x, ty, label, CONSOLE_IDLE_FG,
				  DRAW_NONE, 1);
		}
		x += w;
	}
	/* The client count and then the last chord get what room is left: on
	 * a narrow screen the count goes and the chord is cut short, rather
	 * than text drawn over text. */
	snprintf(text, sizeof(text), "Clients: %d", c->clients);
	right = c->fb->width - CONSOLE_PAD - draw_text_width(text, 1);
	if (right >= x + 2 * FONT_WIDTH)
		draw_text(c->fb, right, ty, text, CONSOLE_STATUS_FG, DRAW_NONE,
			  1);
	else
		right = c->fb->width;
	x += 3 * FONT_WIDTH;
	room = (right - 2 * FONT_WIDTH - x) / FONT_WIDTH;
	snprintf(text, sizeof(text), "Last: %s", c->last[0] ? c->last : "-");
	if (room > 0)
		draw_text_len(c->fb, x, ty, text,
			      strlen(text) < (size_t)room ? strlen(text) :
							    (size_t)room,
			      CONSOLE_STATUS_FG, DRAW_NONE, 1);
}

/* Remember a key press as the chord a watcher would name: "Ctrl+Alt+Delete",
 * "Shift+exclam", "a". Names come from keys.c, as in the transcript. */
static void console_note_chord(struct console *c, uint32_t keysym,
			       unsigned int mods)
{
	size_t n = 0;

	c->last[0] = '\0';
	for (size_t i = 0; i < sizeof(console_mod_labels) /
				   sizeof(console_mod_labels[0]); i++) {
		if (!(mods & console_mod_labels[i].mod) || n >= sizeof(c->last))
			continue;
		n += snprintf(c->last + n, sizeof(c->last) - n, "%s+",
			      console_mod_labels[i].label);
	}
	if (n < sizeof(c->last)) {
		char buf[32];

		snprintf(c->last + n, sizeof(c->last) - n, "%s",
			 keys_name(keysym, buf, sizeof(buf)));
	}
}

struct console *console_new(struct draw_surface *fb)
{
	struct console *c;

	if (fb->width < CONSOLE_MIN_WIDTH || fb->height < CONSOLE_MIN_HEIGHT)
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->fb = fb;
	c->body = (struct draw_rect){ 0, CONSOLE_BAR_H, fb->width,
				      fb->height - 2 * CONSOLE_BAR_H };
	c->screen = console_first;
	console_draw_title(c);
	console_draw_status(c);
	if (console_screens[c->screen].enter(c) < 0) {
		console_free(c);
		return NULL;
	}
	return c;
}

void console_free(struct console *c)
{
	if (!c)
		return;
	textarea_free(c->echo);
	textarea_free(c->cmd);
	cmdshell_free(c->sh);
	registry_free(c->reg);
	free(c->log.text);
	free(c);
}

void console_key(struct console *c, bool down, uint32_t keysym)
{
	int mod = console_mod_index(keysym);
	unsigned int mods;

	if (mod >= 0) {
		if (c->key_down[mod] != down) {
			c->key_down[mod] = down;
			console_draw_status(c);
		}
		return;
	}
	/* Screens act on presses; a key's release changes nothing they show. */
	if (!down)
		return;
	mods = console_mods(c);
	console_note_chord(c, keysym, mods);
	console_draw_status(c);
	console_screens[c->screen].key(c, keysym, mods);
}

void console_set_clients(struct console *c, int count)
{
	c->clients = count;
	if (count == 0)
		memset(c->key_down, 0, sizeof(c->key_down));
	console_draw_status(c);
}

/* The echo screen: a line of help, and below it everything typed. */

static int console_echo_enter(struct console *c)
{
	const struct draw_rect *b = &c->body;
	int hint_y = b->y + CONSOLE_PAD;
	struct draw_rect area = {
		.x = b->x + CONSOLE_PAD,
		.y = hint_y + FONT_HEIGHT + CONSOLE_PAD,
		.w = b->w - 2 * CONSOLE_PAD,
	};

	area.h = b->y + b->h - CONSOLE_PAD / 2 - area.y;
	draw_fill_rect(c->fb, b->x, b->y, b->w, b->h, CONSOLE_BODY_BG);
	draw_text(c->fb, area.x, hint_y,
		  "Type here. Backspace deletes, Return starts a new line.",
		  CONSOLE_HINT_FG, DRAW_NONE, 1);
	if (!c->echo)
		c->echo = textarea_new(c->fb, area, CONSOLE_BODY_FG,
				       CONSOLE_BODY_BG);
	else
		textarea_redraw(c->echo);
	return c->echo ? 0 : -1;
}

static void console_echo_key(struct console *c, uint32_t keysym,
			     unsigned int mods)
{
	int ch;

	/* With Ctrl, Alt or Super held a key is a shortcut, not text: it
	 * shows in the status line only, as a real console would not type it. */
	if (mods & CONSOLE_SHORTCUT_MODS)
		return;
	if (keysym == XK_BackSpace) {
		textarea_backspace(c->echo);
		return;
	}
	if (keysym == XK_Return || keysym == XK_KP_Enter) {
		textarea_newline(c->echo);
		return;
	}
	ch = console_keysym_char(keysym);
	if (ch >= 0)
		textarea_put(c->echo, (char)ch);
}

/*
 * The cmd screen: an "Administrator: Command Prompt" window filling the body,
 * its caption on top and below it the console text in cmd's colours. Typed
 * characters echo at the cursor; Backspace deletes within the typed line
 * (never the prompt); Return runs the line through cmdshell and shows what it
 * printed, then the prompt. A question (reg add's overwrite) just waits for
 * the next line. After exit the window is opened again, as a fresh cmd.
 */

static void console_cmd_log_put(struct console *c, char ch)
{
	struct console_cmd_log *l = &c->log;
	size_t keep;

	if (l->len == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 4096;
		char *text = realloc(l->text, cap);

		if (!text)
			return; /* the window is right; a recolour would lose this */
		l->text = text;
		l->cap = cap;
	}
	l->text[l->len++] = ch;
	/* Forget what has long scrolled off: keep at least a screenful of
	 * characters, cut at a whole number of rows from the start of a line
	 * so what is kept wraps as before. */
	keep = (size_t)(c->cmd_client.w / FONT_WIDTH + 1) *
	       (size_t)(c->cmd_client.h / FONT_HEIGHT + 1);
	if (l->len > 4 * keep) {
		size_t cut = l->len - keep, start = cut, from;

		while (start > 0 && l->text[start - 1] != '\n')
			start--;
		from = start + (cut - start) /
			(size_t)(c->cmd_client.w / FONT_WIDTH) *
			(size_t)(c->cmd_client.w / FONT_WIDTH);
		if (from > cut)
			from = start;
		memmove(l->text, l->text + from, l->len - from);
		l->len -= from;
	}
}

/* One character of console text into the window and its log. */
static void console_cmd_out(struct console *c, char ch)
{
	switch (ch) {
	case '\f':
		c->log.len = 0;
		textarea_clear(c->cmd);
		return;
	case '\r':
		return;
	case '\n':
		console_cmd_log_put(c, ch);
		textarea_newline(c->cmd);
		return;
	case '\t':
		ch = ' ';
		break;
	}
	console_cmd_log_put(c, ch);
	textarea_put(c->cmd, ch);
}

/* cmdshell's write callback. */
static void console_cmd_write(void *ctx, const char *text, size_t len)
{
	struct console *c = ctx;

	for (size_t i = 0; i < len; i++)
		console_cmd_out(c, text[i]);
}

/* The window's caption: the title cmd keeps (title changes it) and the
 * minimise, maximise and close buttons, drawn with rectangles. */
static void console_cmd_caption(struct console *c)
{
	const struct draw_rect *b = &c->body;
	int x = b->x + 1, y = b->y + 1, w = b->w - 2;
	int ty = y + (CONSOLE_CAPTION_H - FONT_HEIGHT) / 2;
	int bx = x + w - 3 * 46, mid = y + CONSOLE_CAPTION_H / 2;
	const char *title = cmdshell_title(c->sh);
	int room = (bx - 2 * CONSOLE_PAD - x - 20) / FONT_WIDTH;
	size_t n = strlen(title);

	draw_fill_rect(c->fb, x, y, w, CONSOLE_CAPTION_H, CONSOLE_CAPTION_BG);
	/* The icon: a little black console with a grey edge. */
	draw_fill_rect(c->fb, x + CONSOLE_PAD, mid - 7, 16, 14, 0x808080u);
	draw_fill_rect(c->fb, x + CONSOLE_PAD + 1, mid - 4, 14, 10, 0x000000u);
	draw_fill_rect(c->fb, x + CONSOLE_PAD + 3, mid - 2, 4, 1, 0xc0c0c0u);
	if (room > 0)
		draw_text_len(c->fb, x + CONSOLE_PAD + 24, ty, title,
			      n < (size_t)room ? n : (size_t)room,
			      CONSOLE_CAPTION_FG, DRAW_NONE, 1);
	if (bx <= x)
		return;
	/* Minimise, maximise, close: 46 pixels each, as Windows 10 draws. */
	draw_fill_rect(c->fb, bx + 18, mid, 10, 1, CONSOLE_CAPTION_FG);
	bx += 46;
	draw_fill_rect(c->fb, bx + 18, mid - 5, 10, 1, CONSOLE_CAPTION_FG);
	draw_fill_rect(c->fb, bx + 18, mid + 4, 10, 1, CONSOLE_CAPTION_FG);
	draw_fill_rect(c->fb, bx + 18, mid - 5, 1, 10, CONSOLE_CAPTION_FG);
	draw_fill_rect(c->fb, bx + 27, mid - 5, 1, 10, CONSOLE_CAPTION_FG);
	bx += 46;
	for (int i = 0; i < 10; i++) {
		draw_fill_rect(c->fb, bx + 18 + i, mid - 5 + i, 1, 1,
			       CONSOLE_CAPTION_FG);
		draw_fill_rect(c->fb, bx + 27 - i, mid - 5 + i, 1, 1,
			       CONSOLE_CAPTION_FG);
	}
}

/* Draw the window's text area anew in cmd's colours and put the text back:
 * on entering, and when color changed the attribute. */
static int console_cmd_paint(struct console *c)
{
	const struct draw_rect *w = &c->cmd_client;
	uint32_t bg = cmdshell_palette((c->cmd_color >> 4) & 15);
	uint32_t fg = cmdshell_palette(c->cmd_color & 15);
	struct draw_rect area = { w->x + 4, w->y + 2, w->w - 8, w->h - 4 };
	size_t len = c->log.len;

	draw_fill_rect(c->fb, w->x, w->y, w->w, w->h, bg);
	textarea_free(c->cmd);
	c->cmd = textarea_new(c->fb, area, fg, bg);
	if (!c->cmd)
		return -1;
	c->log.len = 0;
	for (size_t i = 0; i < len; i++)
		console_cmd_out(c, c->log.text[i]);
	return 0;
}

static int console_cmd_enter(struct console *c)
{
	const struct draw_rect *b = &c->body;
	bool fresh = !c->sh;

	if (fresh) {
		c->reg = registry_new_seeded();
		c->sh = c->reg ? cmdshell_new(c->reg) : NULL;
		if (!c->sh)
			return -1;
	}
	c->cmd_client = (struct draw_rect){ b->x + 1, b->y + 1 + CONSOLE_CAPTION_H,
					    b->w - 2, b->h - 2 - CONSOLE_CAPTION_H };
	c->cmd_color = cmdshell_color(c->sh);
	draw_fill_rect(c->fb, b->x, b->y, b->w, b->h, CONSOLE_FRAME);
	console_cmd_caption(c);
	if (console_cmd_paint(c) < 0)
		return -1;
	if (fresh)
		cmdshell_banner(c->sh, console_cmd_write, c);
	return 0;
}

/* The character a key types into cmd's line: printable ASCII (keypad
 * included) and Latin-1 as its byte; -1 for anything else. */
static int console_cmd_char(uint32_t keysym)
{
	int ch = console_keysym_char(keysym);

	if (ch != 0x7f)
		return ch;
	if (keysym >= 0xa0 && keysym <= 0xff)
		return (int)keysym;
	if (keysym >= 0x010000a0 && keysym <= 0x010000ff)
		return (int)(keysym - 0x01000000);
	return -1;
}

static void console_cmd_return(struct console *c)
{
	enum cmdshell_state state;

	c->line[c->line_len] = '\0';
	c->line_len = 0;
	console_cmd_out(c, '\n');
	state = cmdshell_run(c->sh, c->line, console_cmd_write, c);
	if (state == CMDSHELL_EXITED) {
		/* The window closed; a new cmd window opens in its place. */
		cmdshell_reset(c->sh);
		c->log.len = 0;
		textarea_clear(c->cmd);
		cmdshell_banner(c->sh, console_cmd_write, c);
	} else if (state == CMDSHELL_READY) {
		cmdshell_prompt(c->sh, console_cmd_write, c);
	}
	if (cmdshell_color(c->sh) != c->cmd_color) {
		c->cmd_color = cmdshell_color(c->sh);
		if (console_cmd_paint(c) < 0) {
			c->cmd_failed = true;
			return;
		}
	}
	console_cmd_caption(c);
}

static void console_cmd_key(struct console *c, uint32_t keysym,
			    unsigned int mods)
{
	int ch;

	if ((mods & CONSOLE_SHORTCUT_MODS) || c->cmd_failed || !c->cmd)
		return;
	if (keysym == XK_BackSpace) {
		if (c->line_len == 0)
			return;
		c->line_len--;
		if (c->log.len > 0)
			c->log.len--;
		textarea_backspace(c->cmd);
		return;
	}
	if (keysym == XK_Return || keysym == XK_KP_Enter) {
		console_cmd_return(c);
		return;
	}
	ch = console_cmd_char(keysym);
	if (ch < 0 || c->line_len >= CONSOLE_CMD_LINE_MAX)
		return;
	c->line[c->line_len++] = (char)ch;
	console_cmd_out(c, (char)ch);
}
