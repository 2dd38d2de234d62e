/* windows.c: the pieces of Windows' look the screens share: gradients, the
 * avatar's circle, buttons, window frames with their caption, wrapped text
 * and the clock. Pictures only; what a click or key does is each screen's. */
#include "screen.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "font.h"

void win_gradient(struct draw_surface *fb, struct draw_rect r, uint32_t top, uint32_t bottom)
{
	/* Bands of 8 rows: smooth enough, and few rectangles to send. */
	for (int y = 0; y < r.h; y += 8) {
		uint32_t rgb = 0;

		for (int sh = 0; sh <= 16; sh += 8) {
			int a = (int)((top >> sh) & 0xff);
			int b = (int)((bottom >> sh) & 0xff);
			int v = a + (b - a) * y / (r.h > 1 ? r.h - 1 : 1);

			rgb |= (uint32_t)v << sh;
		}
		draw_fill_rect(fb, r.x, r.y + y, r.w, r.h - y < 8 ? r.h - y : 8, rgb);
	}
}

void win_circle(struct draw_surface *fb, int cx, int cy, int radius, uint32_t rgb)
{
	for (int dy = -radius; dy <= radius; dy++) {
		int dx = 0;

		while ((dx + 1) * (dx + 1) + dy * dy <= radius * radius)
			dx++;
		draw_fill_rect(fb, cx - dx, cy + dy, 2 * dx + 1, 1, rgb);
	}
}

bool win_inside(struct draw_rect r, int x, int y)
{
	return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

void win_button(struct draw_surface *fb, struct draw_rect r, const char *label, bool is_default)
{
	uint32_t edge = is_default ? WIN_ACCENT : 0xadadadu;

	draw_fill_rect(fb, r.x, r.y, r.w, r.h, edge);
	draw_fill_rect(fb, r.x + 1 + is_default, r.y + 1 + is_default, r.w - 2 - 2 * is_default,
		       r.h - 2 - 2 * is_default, 0xe1e1e1u);
	draw_text(fb, r.x + (r.w - draw_text_width(label, 1)) / 2, r.y + (r.h - FONT_HEIGHT) / 2,
		  label, WIN_TEXT, DRAW_NONE, 1);
}

struct draw_rect win_close_box(struct draw_rect r)
{
	return (struct draw_rect){r.x + r.w - 1 - 46, r.y + 1, 46, WIN_CAPTION_H};
}

struct draw_rect win_frame(struct draw_surface *fb, struct draw_rect r, const char *title,
			   bool active)
{
	int x = r.x + 1, y = r.y + 1, w = r.w - 2;
	int mid = y + WIN_CAPTION_H / 2;
	int bx = x + w - 3 * 46;
	int room = (bx - x - 40) / FONT_WIDTH;
	size_t n = strlen(title);
	uint32_t fg = active ? WIN_TEXT : 0x808080u;

	uint32_t edge = active ? WIN_BORDER : 0xaaaaaau;

	/* The border only: the client area is the window's to draw, and
	 * drawing the caption again must not wipe it. */
	draw_fill_rect(fb, r.x, r.y, r.w, 1, edge);
	draw_fill_rect(fb, r.x, r.y + r.h - 1, r.w, 1, edge);
	draw_fill_rect(fb, r.x, r.y, 1, r.h, edge);
	draw_fill_rect(fb, r.x + r.w - 1, r.y, 1, r.h, edge);
	draw_fill_rect(fb, x, y, w, WIN_CAPTION_H, WIN_WHITE);
	/* The icon: a little black console with a grey edge. */
	draw_fill_rect(fb, x + 8, mid - 7, 16, 14, 0x808080u);
	draw_fill_rect(fb, x + 9, mid - 4, 14, 10, 0x000000u);
	if (room > 0)
		draw_text_len(fb, x + 32, mid - FONT_HEIGHT / 2, title,
			      n < (size_t)room ? n : (size_t)room, fg, DRAW_NONE, 1);
	if (bx > x + 40) {
		/* Minimise, maximise, close: 46 pixels each, as Windows 10. */
		draw_fill_rect(fb, bx + 18, mid, 10, 1, fg);
		bx += 46;
		draw_fill_rect(fb, bx + 18, mid - 5, 10, 1, fg);
		draw_fill_rect(fb, bx + 18, mid + 4, 10, 1, fg);
		draw_fill_rect(fb, bx + 18, mid - 5, 1, 10, fg);
		draw_fill_rect(fb, bx + 27, mid - 5, 1, 10, fg);
		bx += 46;
		for (int i = 0; i < 10; i++) {
			draw_fill_rect(fb, bx + 18 + i, mid - 5 + i, 1, 1, fg);
			draw_fill_rect(fb, bx + 27 - i, mid - 5 + i, 1, 1, fg);
		}
	}
	return (struct draw_rect){x, y + WIN_CAPTION_H, w, r.h - 2 - WIN_CAPTION_H};
}

int win_text_wrapped(struct draw_surface *fb, int x, int y, int width, const char *text,
		     uint32_t fg)
{
	int cols = width / FONT_WIDTH, rows = 0;
	size_t n = strlen(text);

	if (cols < 1)
		return 0;
	while (n > 0) {
		size_t take = n <= (size_t)cols ? n : (size_t)cols;

		/* Break at the last space that fits, as a dialog wraps. */
		if (take < n) {
			size_t sp = take;

			while (sp > 0 && text[sp] != ' ')
				sp--;
			if (sp > 0)
				take = sp;
		}
		draw_text_len(fb, x, y + rows * (FONT_HEIGHT + 2), text, take, fg, DRAW_NONE, 1);
		rows++;
		text += take;
		n -= take;
		while (n > 0 && *text == ' ') {
			text++;
			n--;
		}
	}
	return rows;
}

void win_clock(const struct console *c, char *hhmm, size_t hsize, char *date, size_t dsize,
	       long *minute)
{
	time_t now = console_cfg(c)->clock ? console_cfg(c)->clock : time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	if (hhmm)
		strftime(hhmm, hsize, "%H:%M", &tm);
	if (date) {
		size_t n = strftime(date, dsize, "%A, %B ", &tm);

		snprintf(date + n, dsize - n, "%d", tm.tm_mday);
	}
	if (minute)
		*minute = (long)(now / 60);
}
