/* textarea.h: a grid of character cells with a cursor at the end of the
 * text: the echo area now, and later the body of a console window. Typing
 * wraps at the right edge, Return starts a line, Backspace undoes either,
 * and the grid scrolls up when full. It draws itself on a draw_surface. */
#ifndef PRACTICE_TEXTAREA_H
#define PRACTICE_TEXTAREA_H

#include <stdint.h>

#include "draw.h"

struct textarea;

/* A text area filling the pixel rectangle area of fb (whole cells only),
 * drawn at once as empty with the cursor. Returns NULL when the rectangle
 * holds no cell or memory runs out. fb must outlive the text area.
 * Caller frees with textarea_free(). */
struct textarea *textarea_new(struct draw_surface *fb, struct draw_rect area,
			      uint32_t fg, uint32_t bg);
void textarea_free(struct textarea *t); /* NULL: no-op */

/* Append one printable ASCII character (others draw as a box). */
void textarea_put(struct textarea *t, char c);

/* End the current line; the next character goes to a new line. */
void textarea_newline(struct textarea *t);

/* Delete the character before the cursor; at the start of a line, join it
 * to the line before. Does nothing once the text kept on screen is empty. */
void textarea_backspace(struct textarea *t);

/* Empty the grid and put the cursor at the top left. */
void textarea_clear(struct textarea *t);

/* Draw every cell again (after something else was drawn over the area). */
void textarea_redraw(struct textarea *t);

#endif
