/* desktop.c: the signed-in desktop: wallpaper, taskbar, and a stack of
 * windows whose top one has the keyboard (cmd windows, Server Manager, Run,
 * its message, the UAC prompt, the restart notice). Owns focus, clicks,
 * Win+R, Alt+F4, Server Manager's timer and where cmd windows open; each
 * window's picture is cmdwin.c's, dialogs.c's or servermgr.c's. */
#include "screen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cmdwin.h"
#include "dialogs.h"
#include "font.h"
#include "util/xalloc.h"

#define DESKTOP_MAX 32 /* windows open at once */
#define DESKTOP_RUN_MAX 259
#define DESKTOP_CASCADE 26

enum dwin_kind {
	DWIN_CMD,
	DWIN_SERVERMGR,
	DWIN_RUN,
	DWIN_MSG,    /* Run's "cannot find" */
	DWIN_UAC,    /* consent for an elevated cmd */
	DWIN_NOTICE, /* a restart is coming */
};

struct dwin {
	enum dwin_kind kind;
	struct draw_rect r;
	struct cmdwin *cmd;		  /* DWIN_CMD */
	char text[DESKTOP_RUN_MAX + 128]; /* DWIN_MSG's message */
	char title[DESKTOP_RUN_MAX + 1];
	struct dialog_buttons b; /* where its buttons were drawn */
};

struct desktop {
	struct dwin *win[DESKTOP_MAX]; /* bottom first; the last has focus */
	int n;
	long long servermgr_at;	       /* monotonic ms; 0: not coming */
	char run[DESKTOP_RUN_MAX + 1]; /* Run's Open box */
	size_t run_len;
	unsigned rng;		/* for the windows' offsets */
	int cascade;		/* cmd windows opened this session */
	long minute;		/* the taskbar clock's */
	unsigned notice_serial; /* the restart the notice is for */
	int notice_seconds;	/* as the notice says it */
};

static void *desktop_new(struct console *c)
{
	struct desktop *d = xcalloc(1, sizeof(*d));

	d->rng = console_cfg(c)->window_seed * 2654435761u + 1;
	return d;
}

static void desktop_close_all(struct desktop *d)
{
	for (int i = 0; i < d->n; i++) {
		cmdwin_free(d->win[i]->cmd);
		free(d->win[i]);
	}
	d->n = 0;
}

static void desktop_free(void *st)
{
	struct desktop *d = st;

	desktop_close_all(d);
	explicit_bzero(d->run, sizeof(d->run));
	free(d);
}

static struct draw_rect desktop_area(struct console *c)
{
	struct draw_surface *fb = console_fb(c);

	return (struct draw_rect){0, 0, fb->width, fb->height - WIN_TASKBAR_H};
}

static struct dwin *desktop_top(struct desktop *d)
{
	return d->n ? d->win[d->n - 1] : NULL;
}

/* A rectangle of w x h centred on the desktop (or at its top left when it
 * does not fit). */
static struct draw_rect desktop_centre(struct console *c, int w, int h)
{
	struct draw_rect a = desktop_area(c);
	int x = (a.w - w) / 2, y = (a.h - h) / 2;

	return (struct draw_rect){x < 0 ? 0 : x, y < 0 ? 0 : y, w, h};
}

static void desktop_taskbar(struct console *c, struct desktop *d)
{
	struct draw_surface *fb = console_fb(c);
	int y = fb->height - WIN_TASKBAR_H;
	char hhmm[16], date[64];
	int tx;

	win_clock(c, hhmm, sizeof(hhmm), date, sizeof(date), &d->minute);
	draw_fill_rect(fb, 0, y, fb->width, WIN_TASKBAR_H, WIN_TASKBAR);
	/* Start: Windows' logo, four white panes. */
	for (int i = 0; i < 4; i++)
		draw_fill_rect(fb, 16 + (i % 2) * 9, y + 11 + (i / 2) * 9, 8, 8, WIN_WHITE);
	/* A button for each cmd window and Server Manager, lit for focus. */
	tx = 56;
	for (int i = 0; i < d->n && tx + 48 < fb->width - 80; i++) {
		const struct dwin *w = d->win[i];

		if (w->kind != DWIN_CMD && w->kind != DWIN_SERVERMGR)
			continue;
		if (i == d->n - 1)
			draw_fill_rect(fb, tx, y, 48, WIN_TASKBAR_H, 0x3a3a3au);
		draw_fill_rect(fb, tx, y + WIN_TASKBAR_H - 2, 48, 2, 0x76b9edu);
		draw_fill_rect(fb, tx + 14, y + 12, 20, 16,
			       w->kind == DWIN_CMD ? 0x808080u : 0x2d7dd2u);
		tx += 50;
	}
	tx = fb->width - 8 - draw_text_width(hhmm, 1);
	draw_text(fb, tx, y + 4, hhmm, WIN_WHITE, DRAW_NONE, 1);
	(void)date;
}

static void desktop_draw_window(struct console *c, struct dwin *w, bool active)
{
	struct draw_surface *fb = console_fb(c);
	int seconds = 0;

	switch (w->kind) {
	case DWIN_CMD:
		cmdwin_draw(w->cmd, active);
		break;
	case DWIN_SERVERMGR:
		servermgr_draw(fb, w->r, active);
		break;
	case DWIN_RUN:
		break; /* needs the desktop's text: desktop_draw_run */
	case DWIN_MSG:
		msgbox_draw(fb, w->r, w->title, w->text, &w->b);
		break;
	case DWIN_UAC:
		uac_draw(fb, w->r, &w->b);
		break;
	case DWIN_NOTICE:
		console_restart_pending(c, &seconds, NULL);
		notice_draw(fb, w->r, seconds, &w->b);
		break;
	}
}

static void desktop_draw_run(struct console *c, struct desktop *d, struct dwin *w, bool active)
{
	run_draw(console_fb(c), w->r, d->run, d->run_len, active, &w->b);
}

/* Everything again: wallpaper, the windows bottom to top, the taskbar. */
static int desktop_enter(struct console *c, void *st)
{
	struct desktop *d = st;
	struct draw_surface *fb = console_fb(c);
	struct draw_rect a = desktop_area(c);

	draw_fill_rect(fb, a.x, a.y, a.w, a.h, WIN_WALLPAPER);
	/* The taskbar before the windows: the UAC prompt dims it too. */
	desktop_taskbar(c, d);
	for (int i = 0; i < d->n; i++) {
		if (d->win[i]->kind == DWIN_RUN)
			desktop_draw_run(c, d, d->win[i], i == d->n - 1);
		else
			desktop_draw_window(c, d->win[i], i == d->n - 1);
	}
	return 0;
}

/* Put w on top (focused), above everything but a UAC prompt and the
 * restart notice, which stay above all. Returns w, or NULL (freed) when
 * DESKTOP_MAX windows are open. */
static struct dwin *desktop_push(struct desktop *d, struct dwin *w)
{
	int at = d->n;

	if (d->n == DESKTOP_MAX) {
		cmdwin_free(w->cmd);
		free(w);
		return NULL;
	}
	if (w->kind != DWIN_UAC && w->kind != DWIN_NOTICE)
		while (at > 0 &&
		       (d->win[at - 1]->kind == DWIN_UAC || d->win[at - 1]->kind == DWIN_NOTICE))
			at--;
	memmove(d->win + at + 1, d->win + at, (size_t)(d->n - at) * sizeof(d->win[0]));
	d->win[at] = w;
	d->n++;
	return w;
}

static void desktop_close(struct desktop *d, struct dwin *w)
{
	for (int i = 0; i < d->n; i++) {
		if (d->win[i] != w)
			continue;
		memmove(d->win + i, d->win + i + 1, (size_t)(d->n - i - 1) * sizeof(d->win[0]));
		d->n--;
		break;
	}
	cmdwin_free(w->cmd);
	free(w);
}

static struct dwin *desktop_find(struct desktop *d, enum dwin_kind kind)
{
	for (int i = 0; i < d->n; i++)
		if (d->win[i]->kind == kind)
			return d->win[i];
	return NULL;
}

static unsigned desktop_random(struct desktop *d)
{
	/* xorshift32: the same offsets for the same --window-seed. */
	d->rng ^= d->rng << 13;
	d->rng ^= d->rng >> 17;
	d->rng ^= d->rng << 5;
	return d->rng;
}

/* A cmd window of --cmd-size characters (fewer if the desktop is
 * smaller), cascaded below and right of the last one with a random few
 * pixels more, kept on the desktop. */
static int desktop_open_cmd(struct console *c, struct desktop *d, bool elevated)
{
	const struct console_config *cfg = console_cfg(c);
	struct draw_rect a = desktop_area(c);
	int cols = cfg->cmd_cols, rows = cfg->cmd_rows, w, h, x, y;
	struct dwin *win;

	cmdwin_frame_size(cols, rows, &w, &h);
	while (w > a.w && cols > 20)
		cmdwin_frame_size(--cols, rows, &w, &h);
	while (h > a.h && rows > 5)
		cmdwin_frame_size(cols, --rows, &w, &h);
	x = 24 + (d->cascade % 8) * DESKTOP_CASCADE + (int)(desktop_random(d) % 32);
	y = 16 + (d->cascade % 8) * DESKTOP_CASCADE + (int)(desktop_random(d) % 24);
	if (x + w > a.w)
		x = a.w - w > 0 ? (int)(desktop_random(d) % (unsigned)(a.w - w + 1)) : 0;
	if (y + h > a.h)
		y = a.h - h > 0 ? (int)(desktop_random(d) % (unsigned)(a.h - h + 1)) : 0;
	d->cascade++;
	win = xcalloc(1, sizeof(*win));
	win->kind = DWIN_CMD;
	win->r = (struct draw_rect){x, y, w, h};
	win->cmd = cmdwin_new(c, elevated, win->r);
	if (!win->cmd) {
		free(win);
		return -1;
	}
	return desktop_push(d, win) ? 0 : -1;
}

static void desktop_open(struct console *c, struct desktop *d, enum dwin_kind kind)
{
	struct dwin *w = xcalloc(1, sizeof(*w));
	struct draw_rect a = desktop_area(c);

	w->kind = kind;
	switch (kind) {
	case DWIN_SERVERMGR:
		w->r = (struct draw_rect){a.w / 16, a.h / 32, a.w - a.w / 8, a.h - a.h / 16};
		break;
	case DWIN_RUN:
		w->r = (struct draw_rect){8, a.h - RUN_H - 8, RUN_W, RUN_H};
		if (w->r.y < 0)
			w->r.y = 0;
		break;
	case DWIN_MSG:
		w->r = desktop_centre(c, MSGBOX_W, MSGBOX_H);
		break;
	case DWIN_UAC:
		w->r = desktop_centre(c, UAC_W, UAC_H);
		break;
	case DWIN_NOTICE:
		w->r = desktop_centre(c, NOTICE_W, NOTICE_H);
		break;
	case DWIN_CMD:
		break;
	}
	desktop_push(d, w);
}

int desktop_begin(struct console *c, void *st, bool cmd_open)
{
	struct desktop *d = st;
	int delay = console_cfg(c)->server_manager_delay;

	desktop_close_all(d);
	d->cascade = 0;
	d->run_len = 0;
	d->servermgr_at = 0;
	if (!cmd_open && delay > 0)
		d->servermgr_at = console_now_ms(c) + (long long)delay * 1000;
	if (cmd_open && desktop_open_cmd(c, d, true) < 0)
		return -1;
	return desktop_enter(c, d);
}

void desktop_end(struct console *c, void *st)
{
	struct desktop *d = st;

	(void)c;
	desktop_close_all(d);
	d->servermgr_at = 0;
	explicit_bzero(d->run, sizeof(d->run));
	d->run_len = 0;
}

/* Run's answer to Enter: cmd opens a window (elevated when asked, or when
 * the user is the built-in Administrator, whose cmd always is; with --uac
 * an asked-for elevation needs consent first); anything else cannot be
 * found. */
static void desktop_run(struct console *c, struct desktop *d, struct dwin *run, bool elevate)
{
	const struct console_config *cfg = console_cfg(c);
	char name[DESKTOP_RUN_MAX + 1];
	size_t start = 0, end = d->run_len;

	while (start < end && d->run[start] == ' ')
		start++;
	while (end > start && d->run[end - 1] == ' ')
		end--;
	if (start == end)
		return; /* OK does nothing with an empty box */
	memcpy(name, d->run + start, end - start);
	name[end - start] = '\0';
	if (strcasecmp(name, "cmd") == 0 || strcasecmp(name, "cmd.exe") == 0) {
		desktop_close(d, run);
		d->run_len = 0;
		if (elevate && cfg->uac) {
			desktop_open(c, d, DWIN_UAC);
		} else {
			desktop_open_cmd(
				c, d, elevate || strcasecmp(console_user(c), "Administrator") == 0);
		}
	} else {
		struct dwin *w;

		desktop_open(c, d, DWIN_MSG);
		w = desktop_find(d, DWIN_MSG);
		if (w) {
			snprintf(w->title, sizeof(w->title), "%s", name);
			snprintf(w->text, sizeof(w->text),
				 "Windows cannot find '%s'. Make sure you typed the name "
				 "correctly, and then try again.",
				 name);
		}
	}
	desktop_enter(c, d);
}

/* The UAC prompt answered: Yes opens the elevated cmd. */
static void desktop_uac(struct console *c, struct desktop *d, struct dwin *w, bool yes)
{
	desktop_close(d, w);
	if (yes)
		desktop_open_cmd(c, d, true);
	desktop_enter(c, d);
}

static void desktop_run_key(struct console *c, struct desktop *d, struct dwin *w, uint32_t keysym,
			    unsigned mods)
{
	int ch;

	if (keysym == XK_Escape) {
		desktop_close(d, w);
		d->run_len = 0;
		desktop_enter(c, d);
		return;
	}
	if (keysym == XK_Return || keysym == XK_KP_Enter) {
		desktop_run(c, d, w, (mods & SCREEN_CTRL) && (mods & SCREEN_SHIFT));
		return;
	}
	if (keysym == XK_BackSpace) {
		if (d->run_len > 0)
			d->run_len--;
	} else {
		if (mods & SCREEN_SHORTCUT_MODS)
			return;
		ch = screen_keysym_char(keysym);
		if (ch < 0 || d->run_len >= DESKTOP_RUN_MAX)
			return;
		d->run[d->run_len++] = (char)ch;
	}
	desktop_draw_run(c, d, w, true);
}

static void desktop_key(struct console *c, void *st, uint32_t keysym, unsigned mods)
{
	struct desktop *d = st;
	struct dwin *top = desktop_top(d);

	/* The consent prompt has the whole screen: Alt+Y, Alt+N, Esc. */
	if (top && top->kind == DWIN_UAC) {
		if ((mods & SCREEN_ALT) && (keysym == 'y' || keysym == 'Y'))
			desktop_uac(c, d, top, true);
		else if (((mods & SCREEN_ALT) && (keysym == 'n' || keysym == 'N')) ||
			 keysym == XK_Escape || keysym == XK_Return || keysym == XK_KP_Enter)
			desktop_uac(c, d, top, false);
		return;
	}
	if ((mods & SCREEN_SUPER) && (keysym == 'r' || keysym == 'R')) {
		struct dwin *run = desktop_find(d, DWIN_RUN);

		if (run)
			desktop_close(d, run);
		d->run_len = 0;
		desktop_open(c, d, DWIN_RUN);
		desktop_enter(c, d);
		return;
	}
	if (!top)
		return;
	if ((mods & SCREEN_ALT) && keysym == XK_F4) {
		desktop_close(d, top);
		desktop_enter(c, d);
		return;
	}
	switch (top->kind) {
	case DWIN_CMD:
		if (cmdwin_key(top->cmd, keysym, mods)) {
			desktop_close(d, top); /* exit */
			desktop_enter(c, d);
		}
		break;
	case DWIN_RUN:
		desktop_run_key(c, d, top, keysym, mods);
		break;
	case DWIN_MSG:
	case DWIN_NOTICE:
		if (keysym == XK_Return || keysym == XK_KP_Enter || keysym == XK_Escape ||
		    keysym == ' ') {
			desktop_close(d, top);
			desktop_enter(c, d);
		}
		break;
	case DWIN_SERVERMGR:
	case DWIN_UAC:
		break; /* typed into Server Manager: nothing to see */
	}
}

static void desktop_pointer(struct console *c, void *st, int x, int y)
{
	struct desktop *d = st;
	struct dwin *top = desktop_top(d), *hit = NULL;
	int at = -1;

	if (top && top->kind == DWIN_UAC) {
		if (win_inside(top->b.ok, x, y))
			desktop_uac(c, d, top, true);
		else if (win_inside(top->b.cancel, x, y))
			desktop_uac(c, d, top, false);
		return;
	}
	for (int i = d->n - 1; i >= 0 && !hit; i--)
		if (win_inside(d->win[i]->r, x, y))
			hit = d->win[at = i];
	if (!hit)
		return;
	/* A message box keeps Run below it: Run takes no clicks meanwhile. */
	if (top->kind == DWIN_MSG && hit != top && hit->kind == DWIN_RUN)
		return;
	if (win_inside(hit->b.ok, x, y) && (hit->kind == DWIN_MSG || hit->kind == DWIN_NOTICE)) {
		desktop_close(d, hit);
	} else if (hit->kind == DWIN_RUN && win_inside(hit->b.ok, x, y)) {
		desktop_run(c, d, hit, false);
		return;
	} else if ((hit->kind == DWIN_RUN && win_inside(hit->b.cancel, x, y)) ||
		   (hit->kind != DWIN_NOTICE && win_inside(win_close_box(hit->r), x, y))) {
		desktop_close(d, hit);
	} else if (at != d->n - 1) {
		memmove(d->win + at, d->win + at + 1, (size_t)(d->n - at - 1) * sizeof(d->win[0]));
		d->n--;
		desktop_push(d, hit);
	} else {
		return;
	}
	desktop_enter(c, d);
}

/* What the restart notice says, as a number: 0 for "less than a minute". */
static int desktop_notice_minutes(int seconds)
{
	return seconds < 60 ? 0 : (seconds + 59) / 60;
}

static void desktop_tick(struct console *c, void *st)
{
	struct desktop *d = st;
	long long now = console_now_ms(c);
	struct dwin *notice = desktop_find(d, DWIN_NOTICE);
	unsigned serial;
	int seconds;
	long minute;
	bool pending = console_restart_pending(c, &seconds, &serial);

	if (d->servermgr_at && now >= d->servermgr_at) {
		/* Server Manager opens once a session and takes the focus. */
		d->servermgr_at = 0;
		desktop_open(c, d, DWIN_SERVERMGR);
		desktop_enter(c, d);
	}
	if (pending && serial != d->notice_serial) {
		d->notice_serial = serial;
		if (notice)
			desktop_close(d, notice);
		desktop_open(c, d, DWIN_NOTICE);
		d->notice_seconds = seconds;
		desktop_enter(c, d);
	} else if (!pending && notice) {
		/* shutdown /a: the notice goes. */
		desktop_close(d, notice);
		desktop_enter(c, d);
	} else if (notice &&
		   desktop_notice_minutes(seconds) != desktop_notice_minutes(d->notice_seconds)) {
		/* Its text changed: "in 2 minutes", "in less than a minute". */
		d->notice_seconds = seconds;
		desktop_enter(c, d); /* it may lie under a UAC prompt */
	}
	win_clock(c, NULL, 0, NULL, 0, &minute);
	if (minute != d->minute) {
		struct dwin *top = desktop_top(d);

		if (top && top->kind == DWIN_UAC)
			d->minute = minute; /* under the dimmed screen */
		else
			desktop_taskbar(c, d);
	}
}

const struct screen_class screen_desktop = {
	.name = "desktop",
	.new = desktop_new,
	.free = desktop_free,
	.enter = desktop_enter,
	.key = desktop_key,
	.pointer = desktop_pointer,
	.tick = desktop_tick,
};
