/* console.c: holds the practice console's screens (practice/screens/)
 * together: which one is shown, the modifiers held, the clients, the clock,
 * and the machine behind them (machine.h: cmd shells, a pending restart).
 * It draws the echo screen's title bar and status line, which show its own
 * state. Nothing here is a witness for tests: transcript.c is. */
#include "console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdshell.h"
#include "font.h"
#include "keys/keys.h"
#include "machine.h"
#include "screens/screen.h"
#include "util/clock.h"
#include "util/xalloc.h"

/* The echo screen's chrome, in pixels and colours. */
#define CONSOLE_BAR_H 24 /* title bar and status line */
#define CONSOLE_PAD 8
#define CONSOLE_TEXT_Y ((CONSOLE_BAR_H - FONT_HEIGHT) / 2)
#define CONSOLE_TITLE_BG 0x1f3a68u
#define CONSOLE_TITLE_FG 0xffffffu
#define CONSOLE_STATUS_BG 0x303030u
#define CONSOLE_STATUS_FG 0xd0d0d0u
#define CONSOLE_IDLE_FG 0x6c6c6cu
#define CONSOLE_HELD_BG 0xffd75fu
#define CONSOLE_HELD_FG 0x000000u

/* In the order the status line shows them. */
static const struct {
	enum screen_mod mod;
	const char *label;
} console_mod_labels[] = {
	{SCREEN_CTRL, "Ctrl"},	 {SCREEN_ALT, "Alt"},	  {SCREEN_SHIFT, "Shift"},
	{SCREEN_SUPER, "Super"}, {SCREEN_ALTGR, "AltGr"},
};

/* Left and right keys are tracked apart: releasing Shift_R while Shift_L is
 * still down leaves Shift held. Meta counts as Alt and Hyper as Super, as
 * X servers usually map them. */
static const struct {
	uint32_t keysym;
	enum screen_mod mod;
} console_mod_keys[] = {
	{0xffe1, SCREEN_SHIFT}, /* Shift_L */
	{0xffe2, SCREEN_SHIFT}, /* Shift_R */
	{0xffe3, SCREEN_CTRL},	/* Control_L */
	{0xffe4, SCREEN_CTRL},	/* Control_R */
	{0xffe7, SCREEN_ALT},	/* Meta_L */
	{0xffe8, SCREEN_ALT},	/* Meta_R */
	{0xffe9, SCREEN_ALT},	/* Alt_L */
	{0xffea, SCREEN_ALT},	/* Alt_R */
	{0xffeb, SCREEN_SUPER}, /* Super_L */
	{0xffec, SCREEN_SUPER}, /* Super_R */
	{0xffed, SCREEN_SUPER}, /* Hyper_L */
	{0xffee, SCREEN_SUPER}, /* Hyper_R */
	{0xfe03, SCREEN_ALTGR}, /* ISO_Level3_Shift */
};

#define CONSOLE_MOD_KEYS (sizeof(console_mod_keys) / sizeof(console_mod_keys[0]))

static const struct screen_class *const console_screens[SCREEN_COUNT] = {
	[SCREEN_ECHO] = &screen_echo,
	[SCREEN_LOCK] = &screen_lock,
	[SCREEN_SIGNIN] = &screen_signin,
	[SCREEN_DESKTOP] = &screen_desktop,
	[SCREEN_RESTARTING] = &screen_restarting,
};

struct console {
	struct draw_surface *fb;
	const struct console_config *cfg;
	enum screen_id screen;
	void *state[SCREEN_COUNT];	 /* each screen's, made on first use */
	bool key_down[CONSOLE_MOD_KEYS]; /* per row of console_mod_keys */
	char last[64];			 /* last chord pressed, for the status line */
	int clients;
	int buttons;   /* pointer buttons held, last seen */
	long long now; /* monotonic ms, from the last tick */
	/* The machine, and the restart a shutdown on it scheduled. */
	struct machine *m;
	bool own_machine; /* made here: freed here */
	bool failed;	  /* the state file could not be written */
	struct vb_error err;
	bool restart_pending;
	long long restart_at; /* monotonic ms */
	unsigned restart_serial;
};

void console_config_init(struct console_config *cfg)
{
	*cfg = (struct console_config){
		.start = "lock",
		.user = "Administrator",
		.lockout = 5,
		.lockout_seconds = 30,
		.server_manager_delay = 4,
		.cmd_cols = 120,
		.cmd_rows = 30,
		.window_seed = 1,
	};
}

bool console_start_valid(const char *name)
{
	return strcmp(name, "lock") == 0 || strcmp(name, "echo") == 0 || strcmp(name, "cmd") == 0;
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

int screen_keysym_char(uint32_t keysym)
{
	if (keysym >= 0x20 && keysym <= 0x7e)
		return (int)keysym;
	if (keysym >= 0xffb0 && keysym <= 0xffb9) /* KP_0 .. KP_9 */
		return '0' + (int)(keysym - 0xffb0);
	switch (keysym) {
	case 0xff80:
		return ' '; /* KP_Space */
	case 0xffaa:
		return '*'; /* KP_Multiply */
	case 0xffab:
		return '+'; /* KP_Add */
	case 0xffac:
		return ','; /* KP_Separator */
	case 0xffad:
		return '-'; /* KP_Subtract */
	case 0xffae:
		return '.'; /* KP_Decimal */
	case 0xffaf:
		return '/'; /* KP_Divide */
	case 0xffbd:
		return '='; /* KP_Equal */
	}
	if (keysym >= 0xa0 && keysym <= 0xff)
		return 0x7f;
	if (keysym >= 0x010000a0 && keysym <= 0x0110ffff)
		return 0x7f;
	return -1;
}

static void console_draw_title(struct console *c)
{
	draw_fill_rect(c->fb, 0, 0, c->fb->width, CONSOLE_BAR_H, CONSOLE_TITLE_BG);
	draw_text(c->fb, CONSOLE_PAD, CONSOLE_TEXT_Y, "vncbot practice console", CONSOLE_TITLE_FG,
		  DRAW_NONE, 1);
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

	draw_fill_rect(c->fb, 0, y, c->fb->width, CONSOLE_BAR_H, CONSOLE_STATUS_BG);
	x += draw_text(c->fb, x, ty, "Held:", CONSOLE_STATUS_FG, DRAW_NONE, 1);
	for (size_t i = 0; i < sizeof(console_mod_labels) / sizeof(console_mod_labels[0]); i++) {
		const char *label = console_mod_labels[i].label;
		int w = draw_text_width(label, 1);

		x += FONT_WIDTH;
		if (mods & console_mod_labels[i].mod) {
			draw_fill_rect(c->fb, x - 2, y + 2, w + 4, CONSOLE_BAR_H - 4,
				       CONSOLE_HELD_BG);
			draw_text(c->fb, x, ty, label, CONSOLE_HELD_FG, DRAW_NONE, 1);
		} else {
			draw_text(c->fb, x, ty, label, CONSOLE_IDLE_FG, DRAW_NONE, 1);
		}
		x += w;
	}
	/* The client count and then the last chord get what room is left: on
	 * a narrow screen the count goes and the chord is cut short, rather
	 * than text drawn over text. */
	snprintf(text, sizeof(text), "Clients: %d", c->clients);
	right = c->fb->width - CONSOLE_PAD - draw_text_width(text, 1);
	if (right >= x + 2 * FONT_WIDTH)
		draw_text(c->fb, right, ty, text, CONSOLE_STATUS_FG, DRAW_NONE, 1);
	else
		right = c->fb->width;
	x += 3 * FONT_WIDTH;
	room = (right - 2 * FONT_WIDTH - x) / FONT_WIDTH;
	snprintf(text, sizeof(text), "Last: %s", c->last[0] ? c->last : "-");
	if (room > 0)
		draw_text_len(c->fb, x, ty, text,
			      strlen(text) < (size_t)room ? strlen(text) : (size_t)room,
			      CONSOLE_STATUS_FG, DRAW_NONE, 1);
}

void console_draw_chrome(struct console *c)
{
	console_draw_title(c);
	console_draw_status(c);
}

struct draw_rect console_chrome_body(const struct console *c)
{
	return (struct draw_rect){0, CONSOLE_BAR_H, c->fb->width,
				  c->fb->height - 2 * CONSOLE_BAR_H};
}

/* Remember a key press as the chord a watcher would name: "Ctrl+Alt+Delete",
 * "Shift+exclam", "a". Names come from keys.c, as in the transcript. */
static void console_note_chord(struct console *c, uint32_t keysym, unsigned int mods)
{
	size_t n = 0;

	c->last[0] = '\0';
	for (size_t i = 0; i < sizeof(console_mod_labels) / sizeof(console_mod_labels[0]); i++) {
		if (!(mods & console_mod_labels[i].mod) || n >= sizeof(c->last))
			continue;
		n += snprintf(c->last + n, sizeof(c->last) - n, "%s+", console_mod_labels[i].label);
	}
	if (n < sizeof(c->last)) {
		char buf[32];

		snprintf(c->last + n, sizeof(c->last) - n, "%s",
			 keys_name(keysym, buf, sizeof(buf)));
	}
}

struct draw_surface *console_fb(struct console *c)
{
	return c->fb;
}

const struct console_config *console_cfg(const struct console *c)
{
	return c->cfg;
}

long long console_now_ms(const struct console *c)
{
	return c->now;
}

const char *console_user(const struct console *c)
{
	return machine_user(c->m);
}

void *console_screen_state(struct console *c, enum screen_id id)
{
	if (!c->state[id])
		c->state[id] = console_screens[id]->new (c);
	return c->state[id];
}

void console_go(struct console *c, enum screen_id id)
{
	void *st = console_screen_state(c, id);

	c->screen = id;
	/* Out of memory: the screen stays as it was drawn; nothing better to
	 * show, and the transcript (the witness) goes on. */
	if (st)
		console_screens[id]->enter(c, st);
}

void console_signed_in(struct console *c, bool cmd_open)
{
	void *st = console_screen_state(c, SCREEN_DESKTOP);

	c->screen = SCREEN_DESKTOP;
	if (st)
		desktop_begin(c, st, cmd_open);
}

/* The machine (machine.h): every cmd window runs on it; a shutdown typed
 * in any of them is read back after each line, and the state file written. */

struct cmdshell *console_shell_new(struct console *c, bool elevated)
{
	return cmdshell_new(c->m, elevated);
}

void console_shell_free(struct console *c, struct cmdshell *sh)
{
	(void)c;
	cmdshell_free(sh);
}

void console_shell_ran(struct console *c, struct cmdshell *sh)
{
	unsigned serial;
	int seconds;
	enum machine_power power = machine_power(c->m, &seconds, &serial);
	struct vb_error err;

	(void)sh;
	/* A shutdown /s is played as a restart too: the console comes back,
	 * as a machine someone powers on again would. */
	if (serial != c->restart_serial) {
		c->restart_serial = serial;
		c->restart_pending = power != MACHINE_ON;
		c->restart_at = c->now + (long long)seconds * 1000;
	}
	if (machine_sync_state(c->m, &err) < 0 && !c->failed) {
		c->failed = true;
		c->err = err;
	}
}

const struct vb_error *console_error(const struct console *c)
{
	return c->failed ? &c->err : NULL;
}

bool console_restart_pending(const struct console *c, int *seconds, unsigned *serial)
{
	if (serial)
		*serial = c->restart_serial;
	if (!c->restart_pending)
		return false;
	if (seconds) {
		long long left = c->restart_at - c->now;

		*seconds = left <= 0 ? 0 : (int)((left + 999) / 1000);
	}
	return true;
}

struct console *console_new(struct draw_surface *fb, const struct console_config *cfg)
{
	struct console *c;

	if (fb->width < CONSOLE_MIN_WIDTH || fb->height < CONSOLE_MIN_HEIGHT ||
	    !console_start_valid(cfg->start))
		return NULL;
	c = xcalloc(1, sizeof(*c));
	c->fb = fb;
	c->cfg = cfg;
	c->now = clock_now_ms();
	c->m = cfg->machine;
	if (!c->m) {
		c->m = machine_new();
		c->own_machine = true;
		if (!c->m)
			goto fail;
		machine_set_user(c->m, cfg->user);
	}
	machine_power(c->m, NULL, &c->restart_serial);
	if (strcmp(cfg->start, "echo") == 0) {
		c->screen = SCREEN_ECHO;
		if (!console_screen_state(c, SCREEN_ECHO) ||
		    screen_echo.enter(c, c->state[SCREEN_ECHO]) < 0)
			goto fail;
	} else if (strcmp(cfg->start, "cmd") == 0) {
		c->screen = SCREEN_DESKTOP;
		if (!console_screen_state(c, SCREEN_DESKTOP) ||
		    desktop_begin(c, c->state[SCREEN_DESKTOP], true) < 0)
			goto fail;
	} else {
		c->screen = SCREEN_LOCK;
		if (!console_screen_state(c, SCREEN_LOCK) ||
		    screen_lock.enter(c, c->state[SCREEN_LOCK]) < 0)
			goto fail;
	}
	return c;
fail:
	console_free(c);
	return NULL;
}

void console_free(struct console *c)
{
	if (!c)
		return;
	for (int i = 0; i < SCREEN_COUNT; i++)
		if (c->state[i])
			console_screens[i]->free(c->state[i]);
	if (c->own_machine)
		machine_free(c->m);
	free(c);
}

void console_key(struct console *c, bool down, uint32_t keysym)
{
	int mod = console_mod_index(keysym);
	const struct screen_class *s = console_screens[c->screen];
	unsigned int mods;

	if (mod >= 0) {
		if (c->key_down[mod] != down) {
			c->key_down[mod] = down;
			if (c->screen == SCREEN_ECHO)
				console_draw_status(c);
		}
		return;
	}
	/* Screens act on presses; a key's release changes nothing they show. */
	if (!down)
		return;
	mods = console_mods(c);
	console_note_chord(c, keysym, mods);
	if (c->screen == SCREEN_ECHO)
		console_draw_status(c);
	if (s->key && c->state[c->screen])
		s->key(c, c->state[c->screen], keysym, mods);
}

void console_pointer(struct console *c, int x, int y, int buttons)
{
	const struct screen_class *s = console_screens[c->screen];
	bool pressed = (buttons & 1) && !(c->buttons & 1);

	c->buttons = buttons;
	if (pressed && s->pointer && c->state[c->screen])
		s->pointer(c, c->state[c->screen], x, y);
}

void console_set_clients(struct console *c, int count)
{
	c->clients = count;
	if (count == 0) {
		memset(c->key_down, 0, sizeof(c->key_down));
		c->buttons = 0;
	}
	if (c->screen == SCREEN_ECHO)
		console_draw_status(c);
}

bool console_tick(struct console *c, long long now_ms)
{
	const struct screen_class *s = console_screens[c->screen];

	c->now = now_ms;
	if (s->tick && c->state[c->screen])
		s->tick(c, c->state[c->screen]);
	return c->restart_pending && c->now >= c->restart_at;
}

void console_restarting(struct console *c)
{
	/* Windows signs out and closes everything before it restarts. */
	if (c->state[SCREEN_DESKTOP])
		desktop_end(c, c->state[SCREEN_DESKTOP]);
	c->restart_pending = false;
	memset(c->key_down, 0, sizeof(c->key_down));
	console_go(c, SCREEN_RESTARTING);
}

void console_restarted(struct console *c)
{
	if (c->state[SCREEN_DESKTOP])
		desktop_end(c, c->state[SCREEN_DESKTOP]);
	machine_restarted(c->m);
	machine_power(c->m, NULL, &c->restart_serial);
	c->restart_pending = false;
	memset(c->key_down, 0, sizeof(c->key_down));
	console_go(c, SCREEN_LOCK);
}
