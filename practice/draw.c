/* draw.c: rectangles and bitmap text on a 32-bit framebuffer, clipped to the
 * surface. Every drawing call widens the dirty rectangle, so callers never
 * have to work out by hand what a client must be sent again. */
#include "draw.h"

#include <stdlib.h>
#include <string.h>

#include "font.h"

struct draw_surface *draw_surface_new(int width, int height, int red_shift,
				      int green_shift, int blue_shift)
{
	struct draw_surface *s;

	if (width <= 0 || height <= 0)
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->pixels = calloc((size_t)width * (size_t)height, sizeof(uint32_t));
	if (!s->pixels) {
		free(s);
		return NULL;
	}
	s->width = width;
	s->height = height;
	s->red_shift = red_shift;
	s->green_shift = green_shift;
	s->blue_shift = blue_shift;
	return s;
}

void draw_surface_free(struct draw_surface *s)
{
	if (!s)
		return;
	free(s->pixels);
	free(s);
}

static uint32_t draw_pixel(const struct draw_surface *s, uint32_t rgb)
{
	return ((rgb >> 16) & 0xff) << s->red_shift |
	       ((rgb >> 8) & 0xff) << s->green_shift |
	       (rgb & 0xff) << s->blue_shift;
}

/* Clip the rectangle to the surface; false if nothing of it is left. */
static bool draw_clip(const struct draw_surface *s, int *x, int *y, int *w,
		      int *h)
{
	int x1 = *x, y1 = *y;
	int x2 = *x + *w, y2 = *y + *h;

	if (x1 < 0)
		x1 = 0;
	if (y1 < 0)
		y1 = 0;
	if (x2 > s->width)
		x2 = s->width;
	if (y2 > s->height)
		y2 = s->height;
	if (x1 >= x2 || y1 >= y2)
		return false;
	*x = x1;
	*y = y1;
	*w = x2 - x1;
	*h = y2 - y1;
	return true;
}

static struct draw_rect draw_union(struct draw_rect a, struct draw_rect b)
{
	int x2 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	int y2 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;
	struct draw_rect u;

	u.x = a.x < b.x ? a.x : b.x;
	u.y = a.y < b.y ? a.y : b.y;
	u.w = x2 - u.x;
	u.h = y2 - u.y;
	return u;
}

/* Do a and b overlap or touch? Then their union costs nothing extra. */
static bool draw_touch(struct draw_rect a, struct draw_rect b)
{
	return a.x <= b.x + b.w && b.x <= a.x + a.w &&
	       a.y <= b.y + b.h && b.y <= a.y + a.h;
}

/* Add an already clipped rectangle to the changed areas: merged into one it
 * touches, else kept apart, else (list full) merged into the last. */
static void draw_mark(struct draw_surface *s, int x, int y, int w, int h)
{
	struct draw_rect r = { x, y, w, h };

	for (int i = 0; i < s->ndirty; i++) {
		if (draw_touch(s->dirty[i], r)) {
			s->dirty[i] = draw_union(s->dirty[i], r);
			return;
		}
	}
	if (s->ndirty < DRAW_DIRTY_MAX) {
		s->dirty[s->ndirty++] = r;
		return;
	}
	s->dirty[DRAW_DIRTY_MAX - 1] = draw_union(s->dirty[DRAW_DIRTY_MAX - 1],
						  r);
}

void draw_fill_rect(struct draw_surface *s, int x, int y, int w, int h,
		    uint32_t rgb)
{
	uint32_t px = draw_pixel(s, rgb);

	if (!draw_clip(s, &x, &y, &w, &h))
		return;
	for (int row = y; row < y + h; row++) {
		uint32_t *p = s->pixels + (size_t)row * s->width + x;

		for (int i = 0; i < w; i++)
			p[i] = px;
	}
	draw_mark(s, x, y, w, h);
}

static void draw_glyph(struct draw_surface *s, int x, int y, unsigned char ch,
		       uint32_t fg, uint32_t bg, int scale)
{
	const uint8_t *glyph = font_glyph(ch);
	uint32_t fg_px = draw_pixel(s, fg);
	uint32_t bg_px = draw_pixel(s, bg);
	int cx = x, cy = y, cw = FONT_WIDTH * scale, chh = FONT_HEIGHT * scale;

	if (!draw_clip(s, &cx, &cy, &cw, &chh))
		return;
	for (int py = cy; py < cy + chh; py++) {
		uint8_t bits = glyph[(py - y) / scale];
		uint32_t *p = s->pixels + (size_t)py * s->width;

		for (int px = cx; px < cx + cw; px++) {
			bool ink = bits & (0x80 >> ((px - x) / scale));

			if (ink)
				p[px] = fg_px;
			else if (bg != DRAW_NONE)
				p[px] = bg_px;
		}
	}
	draw_mark(s, cx, cy, cw, chh);
}

int draw_text_len(struct draw_surface *s, int x, int y, const char *text,
		  size_t len, uint32_t fg, uint32_t bg, int scale)
{
	int start = x;

	if (scale < 1)
		scale = 1;
	for (size_t i = 0; i < len; i++) {
		draw_glyph(s, x, y, (unsigned char)text[i], fg, bg, scale);
		x += FONT_WIDTH * scale;
	}
	return x - start;
}

int draw_text(struct draw_surface *s, int x, int y, const char *text,
	      uint32_t fg, uint32_t bg, int scale)
{
	return draw_text_len(s, x, y, text, strlen(text), fg, bg, scale);
}

int draw_text_width(const char *text, int scale)
{
	return (int)strlen(text) * FONT_WIDTH * (scale < 1 ? 1 : scale);
}

int draw_take_dirty(struct draw_surface *s, struct draw_rect *out)
{
	int n = s->ndirty;

	memcpy(out, s->dirty, n * sizeof(*out));
	s->ndirty = 0;
	return n;
}
