/* screen.h: what a screen of the practice console is (draw on entering,
 * answer keys, pointer presses and the clock) and what the console offers
 * every screen: the framebuffer, the configuration, the time, the way to
 * another screen, and the machine (cmd shells, a pending restart). Each
 * screen lives in its own file under practice/screens/; console.c holds
 * them together and owns the modifiers, the clients and the machine. */
#ifndef PRACTICE_SCREEN_H
#define PRACTICE_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "console.h"
#include "draw.h"

struct cmdshell;

/* Modifiers held, as a screen's key function gets them. */
enum screen_mod {
	SCREEN_CTRL = 1 << 0,
	SCREEN_ALT = 1 << 1,
	SCREEN_SHIFT = 1 << 2,
	SCREEN_SUPER = 1 << 3,
	SCREEN_ALTGR = 1 << 4,
};

/* A key pressed with one of these held is a shortcut, not text: AltGr and
 * Shift only pick the character, which the client did by its keysym. */
#define SCREEN_SHORTCUT_MODS (SCREEN_CTRL | SCREEN_ALT | SCREEN_SUPER)

/* X11 keysyms the screens act on. */
#define XK_BackSpace 0xff08
#define XK_Tab 0xff09
#define XK_Return 0xff0d
#define XK_Escape 0xff1b
#define XK_F4 0xffc1
#define XK_Delete 0xffff
#define XK_KP_Delete 0xff9f
#define XK_KP_Enter 0xff8d

enum screen_id {
	SCREEN_ECHO,
	SCREEN_LOCK,
	SCREEN_SIGNIN,
	SCREEN_DESKTOP,
	SCREEN_RESTARTING, /* a restart seen from a console that stays */
	SCREEN_COUNT
};

/*
 * A screen. new makes its state (NULL: out of memory), kept by the console
 * until free. enter draws the whole screen from scratch (on arriving, and
 * when something drawn over it went away); it returns -1 when out of memory.
 * key gets each press that is not a modifier, with the modifiers held;
 * pointer each press of the left button; tick is called about every 50 ms
 * while the screen is shown (console_now_ms() tells the time). Any may be
 * NULL but new, free and enter.
 */
struct screen_class {
	const char *name;
	void *(*new)(struct console *c);
	void (*free)(void *st);
	int (*enter)(struct console *c, void *st);
	void (*key)(struct console *c, void *st, uint32_t keysym, unsigned mods);
	void (*pointer)(struct console *c, void *st, int x, int y);
	void (*tick)(struct console *c, void *st);
};

extern const struct screen_class screen_echo, screen_lock, screen_signin, screen_desktop,
	screen_restarting;

/* What the console offers the screens (console.c). */
struct draw_surface *console_fb(struct console *c);
const struct console_config *console_cfg(const struct console *c);
long long console_now_ms(const struct console *c);     /* monotonic */
const char *console_user(const struct console *c);     /* the machine's user */
void console_go(struct console *c, enum screen_id id); /* enter it */
void *console_screen_state(struct console *c, enum screen_id id);

/* The echo screen's chrome: title bar and status line, kept by console.c.
 * console_chrome_body() is the area between them. */
void console_draw_chrome(struct console *c);
struct draw_rect console_chrome_body(const struct console *c);

/* Signed in: the desktop begins a session (Server Manager timer) unless
 * cmd_open (--start cmd: one elevated cmd window, no Server Manager). */
void console_signed_in(struct console *c, bool cmd_open);

/* The machine (machine.h): a new cmd.exe on it (NULL: out of memory; free
 * with console_shell_free), and after each line a shell ran,
 * console_shell_ran() takes note of what it did to the machine (a restart
 * scheduled or aborted) and writes the --state file if it changed. */
struct cmdshell *console_shell_new(struct console *c, bool elevated);
void console_shell_free(struct console *c, struct cmdshell *sh);
void console_shell_ran(struct console *c, struct cmdshell *sh);

/* A restart is pending: true, with the seconds left (rounded up). serial
 * grows with each shutdown /r, /s or /a that changed what is pending. */
bool console_restart_pending(const struct console *c, int *seconds, unsigned *serial);

/* The character a keysym types: printable ASCII as itself, the keypad's as
 * theirs, other printable characters (Latin-1, Unicode keysyms) as 0x7f
 * (the font's box); -1 for keysyms that type no text. */
int screen_keysym_char(uint32_t keysym);

/* The desktop (desktop.c), for console.c: close every window and begin a
 * session as just signed in; with cmd_open, one elevated cmd window open
 * and focused and no Server Manager. Returns -1 when out of memory. */
int desktop_begin(struct console *c, void *st, bool cmd_open);
void desktop_end(struct console *c, void *st); /* signed out: all closed */

/* The picture behind the lock and sign-in screens (lock.c). */
void lock_picture(struct draw_surface *fb);

/* The Windows look: shared colours and little drawings (windows.c). */
#define WIN_LOCK_TOP 0x0b2d5eu
#define WIN_LOCK_BOTTOM 0x2d6ca8u
#define WIN_WALLPAPER 0x0f5ea8u
#define WIN_TASKBAR 0x101010u
#define WIN_TASKBAR_H 40
#define WIN_ACCENT 0x0078d7u
#define WIN_WHITE 0xffffffu
#define WIN_BLACK 0x000000u
#define WIN_FACE 0xf0f0f0u
#define WIN_TEXT 0x000000u
#define WIN_BORDER 0x5a8ac6u
#define WIN_CAPTION_H 30

/* A vertical gradient from top to bottom colour over the rectangle. */
void win_gradient(struct draw_surface *fb, struct draw_rect r, uint32_t top, uint32_t bottom);
/* A filled circle. */
void win_circle(struct draw_surface *fb, int cx, int cy, int radius, uint32_t rgb);
/* A button: face, 1-pixel border (accent when it is the default), centred
 * label. */
void win_button(struct draw_surface *fb, struct draw_rect r, const char *label, bool is_default);
/* A window frame with a white caption holding title and the minimise,
 * maximise and close glyphs; the client area (below the caption, inside
 * the border) is returned and not drawn. */
struct draw_rect win_frame(struct draw_surface *fb, struct draw_rect r, const char *title,
			   bool active);
/* The close button's area of a frame drawn at r. */
struct draw_rect win_close_box(struct draw_rect r);
/* Is (x, y) inside r? */
bool win_inside(struct draw_rect r, int x, int y);
/* Text wrapped at width pixels (scale 1) from (x, y); returns the rows. */
int win_text_wrapped(struct draw_surface *fb, int x, int y, int width, const char *text,
		     uint32_t fg);
/* The console's local time (--clock, or the real one) as "HH:MM" and as
 * Windows' long date ("Wednesday, December 2"), and its minute (to know
 * when to draw again). Any of the outputs may be NULL. */
void win_clock(const struct console *c, char *hhmm, size_t hsize, char *date, size_t dsize,
	       long *minute);

#endif
