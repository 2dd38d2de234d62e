/* signin.c: the sign-in screen: the user's picture and name, a password box
 * with a dot per character, the arrow; Windows' messages for a wrong password
 * and for a locked-out account (--lockout, --lockout-time). The password
 * typed is wiped once compared; the right one is main.c's, only borrowed. */
#include "screen.h"

#include <stdlib.h>
#include <string.h>

#include "font.h"
#include "util/xalloc.h"

#define SIGNIN_MAX 256
#define SIGNIN_BOX_W 260
#define SIGNIN_BOX_H 32

static const char signin_wrong[] = "The password is incorrect. Try again.";
static const char signin_locked[] =
	"The referenced account is currently locked out and may not be logged on to.";

enum signin_mode {
	SIGNIN_BOX,    /* typing the password */
	SIGNIN_WRONG,  /* "The password is incorrect." and OK */
	SIGNIN_LOCKED, /* the lockout message and OK */
};

struct signin {
	char typed[SIGNIN_MAX];
	size_t len;
	enum signin_mode mode;
	int wrong;			 /* wrong passwords in a row */
	long long locked_end;		 /* monotonic ms; 0: not locked */
	struct draw_rect box, arrow, ok; /* where they were drawn */
};

static void *signin_new(struct console *c)
{
	(void)c;
	return xcalloc(1, sizeof(struct signin));
}

static void signin_wipe(struct signin *s)
{
	explicit_bzero(s->typed, sizeof(s->typed));
	s->len = 0;
}

static void signin_free(void *st)
{
	struct signin *s = st;

	signin_wipe(s);
	free(s);
}

/* The box with a dot per character (or the grey "Password" when empty) and
 * the arrow button beside it. */
static void signin_draw_box(struct console *c, struct signin *s)
{
	struct draw_surface *fb = console_fb(c);
	struct draw_rect b = s->box, a = s->arrow;
	int cy = b.y + b.h / 2, mid = a.y + a.h / 2;

	draw_fill_rect(fb, b.x, b.y, b.w, b.h, 0x6b6b6bu);
	draw_fill_rect(fb, b.x + 2, b.y + 2, b.w - 4, b.h - 4, WIN_WHITE);
	if (s->len == 0)
		draw_text(fb, b.x + 8, cy - FONT_HEIGHT / 2, "Password", 0x6b6b6bu, DRAW_NONE, 1);
	for (size_t i = 0; i < s->len; i++) {
		int x = b.x + 12 + (int)i * 10;

		if (x + 8 > b.x + b.w - 8)
			break;
		win_circle(fb, x + 3, cy, 3, WIN_BLACK);
	}
	/* The arrow: a shaft and a head, white on the accent colour. */
	draw_fill_rect(fb, a.x, a.y, a.w, a.h, WIN_ACCENT);
	draw_fill_rect(fb, a.x + 8, mid - 1, a.w - 14, 3, WIN_WHITE);
	for (int i = 0; i < 7; i++) {
		draw_fill_rect(fb, a.x + a.w - 14 + i, mid - 6 + i, 2, 1, WIN_WHITE);
		draw_fill_rect(fb, a.x + a.w - 14 + i, mid + 6 - i, 2, 1, WIN_WHITE);
	}
}

static int signin_enter(struct console *c, void *st)
{
	struct signin *s = st;
	struct draw_surface *fb = console_fb(c);
	const char *user = console_user(c);
	int cx = fb->width / 2, r = fb->height / 8;
	int cy = fb->height / 2 - r - 20;
	int y = cy + r + 16;
	int name_scale = fb->width >= 640 ? 2 : 1;

	lock_picture(fb);
	/* The user's picture: a grey circle, a white head and shoulders. */
	win_circle(fb, cx, cy, r, 0xb4b4b4u);
	win_circle(fb, cx, cy - r / 4, r / 3, WIN_WHITE);
	for (int dy = 0; dy < r / 2; dy++) {
		int half = r / 3 + dy / 2;

		draw_fill_rect(fb, cx - half, cy + r / 5 + dy, 2 * half, 1, WIN_WHITE);
	}
	draw_text(fb, cx - draw_text_width(user, name_scale) / 2, y, user, WIN_WHITE, DRAW_NONE,
		  name_scale);
	y += FONT_HEIGHT * name_scale + 16;
	s->box = (struct draw_rect){cx - (SIGNIN_BOX_W + SIGNIN_BOX_H) / 2, y, SIGNIN_BOX_W,
				    SIGNIN_BOX_H};
	s->arrow = (struct draw_rect){s->box.x + SIGNIN_BOX_W, y, SIGNIN_BOX_H, SIGNIN_BOX_H};
	s->ok = (struct draw_rect){cx - 60, y + 48, 120, 30};
	if (s->mode == SIGNIN_BOX) {
		signin_draw_box(c, s);
	} else {
		const char *msg = s->mode == SIGNIN_WRONG ? signin_wrong : signin_locked;
		int w = fb->width - 40 < 600 ? fb->width - 40 : 600;
		int rows = (draw_text_width(msg, 1) + w - 1) / w;

		win_text_wrapped(fb, cx - (rows > 1 ? w : draw_text_width(msg, 1)) / 2, y, w, msg,
				 WIN_WHITE);
		win_button(fb, s->ok, "OK", true);
	}
	return 0;
}

/* Leave the message for the box again, empty. */
static void signin_back(struct console *c, struct signin *s)
{
	s->mode = SIGNIN_BOX;
	signin_wipe(s);
	signin_enter(c, s);
}

static void signin_submit(struct console *c, struct signin *s)
{
	const struct console_config *cfg = console_cfg(c);
	long long now = console_now_ms(c);
	bool right;

	if (s->locked_end && now >= s->locked_end) {
		s->locked_end = 0;
		s->wrong = 0;
	}
	right = !cfg->windows_password || (strlen(cfg->windows_password) == s->len &&
					   memcmp(cfg->windows_password, s->typed, s->len) == 0);
	signin_wipe(s);
	if (s->locked_end) {
		s->mode = SIGNIN_LOCKED;
	} else if (right) {
		s->wrong = 0;
		s->mode = SIGNIN_BOX;
		console_signed_in(c, false);
		return;
	} else if (++s->wrong >= cfg->lockout && cfg->lockout > 0) {
		s->locked_end = now + (long long)cfg->lockout_seconds * 1000;
		if (!s->locked_end)
			s->locked_end = 1;
		s->mode = SIGNIN_LOCKED;
	} else {
		s->mode = SIGNIN_WRONG;
	}
	signin_enter(c, s);
}

static void signin_key(struct console *c, void *st, uint32_t keysym, unsigned mods)
{
	struct signin *s = st;
	int ch;

	if (s->mode != SIGNIN_BOX) {
		if (keysym == XK_Return || keysym == XK_KP_Enter || keysym == XK_Escape ||
		    keysym == ' ')
			signin_back(c, s);
		return;
	}
	if (keysym == XK_Escape) {
		signin_wipe(s);
		console_go(c, SCREEN_LOCK);
		return;
	}
	if (keysym == XK_Return || keysym == XK_KP_Enter) {
		signin_submit(c, s);
		return;
	}
	if (keysym == XK_BackSpace) {
		if (s->len > 0)
			s->typed[--s->len] = '\0';
		signin_draw_box(c, s);
		return;
	}
	if (mods & SCREEN_SHORTCUT_MODS)
		return;
	ch = screen_keysym_char(keysym);
	if (ch < 0 || s->len >= SIGNIN_MAX - 1)
		return;
	if (ch == 0x7f && keysym >= 0xa0 && keysym <= 0xff)
		ch = (int)keysym; /* Latin-1 as its byte */
	s->typed[s->len++] = (char)ch;
	signin_draw_box(c, s);
}

static void signin_pointer(struct console *c, void *st, int x, int y)
{
	struct signin *s = st;

	if (s->mode == SIGNIN_BOX && win_inside(s->arrow, x, y))
		signin_submit(c, s);
	else if (s->mode != SIGNIN_BOX && win_inside(s->ok, x, y))
		signin_back(c, s);
}

const struct screen_class screen_signin = {
	.name = "signin",
	.new = signin_new,
	.free = signin_free,
	.enter = signin_enter,
	.key = signin_key,
	.pointer = signin_pointer,
};
