/* draw.h: drawing into the practice console's framebuffer: filled rectangles
 * and text in the font of font.c, clipped to the surface, with a record of
 * what changed so the server can tell clients. Knows nothing about VNC. */
#ifndef PRACTICE_DRAW_H
#define PRACTICE_DRAW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Colours are given as 0xRRGGBB; DRAW_NONE as a background leaves the
 * pixels under a glyph's paper untouched. */
#define DRAW_NONE 0xff000000u

struct draw_rect {
	int x, y, w, h; /* w or h <= 0: empty */
};

/* Changed areas kept apart before they are merged: a key press changes a
 * text row and the status line, and their union would be most of the screen. */
#define DRAW_DIRTY_MAX 8

struct draw_surface {
	uint32_t *pixels; /* width * height, row after row */
	int width, height;
	int red_shift, green_shift, blue_shift; /* 8-bit channels in a pixel */
	struct draw_rect dirty[DRAW_DIRTY_MAX]; /* drawn since draw_take_dirty */
	int ndirty;
};

/* A surface of width x height pixels, cleared to black, with the channel
 * positions of the pixel format the server announces. Returns NULL when out
 * of memory. Caller frees with draw_surface_free(). */
struct draw_surface *draw_surface_new(int width, int height, int red_shift,
				      int green_shift, int blue_shift);
void draw_surface_free(struct draw_surface *s); /* NULL: no-op */

void draw_fill_rect(struct draw_surface *s, int x, int y, int w, int h,
		    uint32_t rgb);

/* Draw text with its top-left corner at (x, y), each glyph scaled by scale
 * (>= 1). Bytes outside printable ASCII draw as a box. Returns the width in
 * pixels the text takes, drawn or clipped. */
int draw_text(struct draw_surface *s, int x, int y, const char *text,
	      uint32_t fg, uint32_t bg, int scale);

/* The same for the first len bytes of text (which need not end in NUL). */
int draw_text_len(struct draw_surface *s, int x, int y, const char *text,
		  size_t len, uint32_t fg, uint32_t bg, int scale);

/* Width in pixels of text drawn at scale. */
int draw_text_width(const char *text, int scale);

/* Move the areas changed since the last call into out (room for
 * DRAW_DIRTY_MAX) and forget them. Returns how many; 0 if nothing changed.
 * Together they cover every pixel drawn; they may overlap. */
int draw_take_dirty(struct draw_surface *s, struct draw_rect *out);

#endif
