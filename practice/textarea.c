/* textarea.c: the character grid behind the echo area. The cursor is always
 * at the end of the text, so only the last row in use ever changes, and the
 * rows below it are empty. Each row remembers whether it continues the row
 * above (wrapped) or follows a Return, so Backspace can undo either. */
#include "textarea.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"

struct textarea {
	struct draw_surface *fb;
	int x, y;       /* pixel position of cell (0, 0) */
	int cols, rows;
	char *cells;    /* rows * cols, ' ' where nothing was typed */
	int *len;       /* characters typed on each row */
	bool *wrapped;  /* row continues the row above: no Return between */
	int cur_row, cur_col;
	uint32_t fg, bg;
};

static char *textarea_row(struct textarea *t, int row)
{
	return t->cells + (size_t)row * t->cols;
}

/* Draw one row and, if it holds the cursor, the cursor: an underline in
 * rows 13-14 of the cell, fixed (no blinking), so the screen stays still
 * for clients that wait for it to settle. */
static void textarea_draw_row(struct textarea *t, int row)
{
	int py = t->y + row * FONT_HEIGHT;

	draw_text_len(t->fb, t->x, py, textarea_row(t, row), t->cols, t->fg,
		      t->bg, 1);
	if (row == t->cur_row && t->cur_col < t->cols)
		draw_fill_rect(t->fb, t->x + t->cur_col * FONT_WIDTH, py + 13,
			       FONT_WIDTH, 2, t->fg);
}

void textarea_redraw(struct textarea *t)
{
	for (int row = 0; row < t->rows; row++)
		textarea_draw_row(t, row);
}

struct textarea *textarea_new(struct draw_surface *fb, struct draw_rect area,
			      uint32_t fg, uint32_t bg)
{
	struct textarea *t;
	int cols = area.w / FONT_WIDTH, rows = area.h / FONT_HEIGHT;

	if (cols < 1 || rows < 1)
		return NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->cells = malloc((size_t)cols * rows);
	t->len = calloc(rows, sizeof(*t->len));
	t->wrapped = calloc(rows, sizeof(*t->wrapped));
	if (!t->cells || !t->len || !t->wrapped) {
		textarea_free(t);
		return NULL;
	}
	t->fb = fb;
	t->x = area.x;
	t->y = area.y;
	t->cols = cols;
	t->rows = rows;
	t->fg = fg;
	t->bg = bg;
	textarea_clear(t);
	return t;
}

void textarea_free(struct textarea *t)
{
	if (!t)
		return;
	free(t->cells);
	free(t->len);
	free(t->wrapped);
	free(t);
}

void textarea_clear(struct textarea *t)
{
	memset(t->cells, ' ', (size_t)t->cols * t->rows);
	memset(t->len, 0, t->rows * sizeof(*t->len));
	memset(t->wrapped, 0, t->rows * sizeof(*t->wrapped));
	t->cur_row = 0;
	t->cur_col = 0;
	textarea_redraw(t);
}

/* Move the cursor to the start of a new row, scrolling everything up one
 * row when the grid is full. What scrolls off the top is forgotten. */
static void textarea_advance(struct textarea *t, bool wrapped)
{
	int old_row = t->cur_row;

	if (t->cur_row + 1 < t->rows) {
		t->cur_row++;
		t->cur_col = 0;
		t->wrapped[t->cur_row] = wrapped;
		t->len[t->cur_row] = 0;
		textarea_draw_row(t, old_row); /* takes the cursor away */
		textarea_draw_row(t, t->cur_row);
		return;
	}
	memmove(t->cells, t->cells + t->cols, (size_t)t->cols * (t->rows - 1));
	memmove(t->len, t->len + 1, (t->rows - 1) * sizeof(*t->len));
	memmove(t->wrapped, t->wrapped + 1, (t->rows - 1) * sizeof(*t->wrapped));
	memset(textarea_row(t, t->rows - 1), ' ', t->cols);
	t->len[t->rows - 1] = 0;
	t->wrapped[t->rows - 1] = wrapped;
	t->wrapped[0] = false; /* the row it continued is gone */
	t->cur_col = 0;
	textarea_redraw(t);
}

void textarea_put(struct textarea *t, char c)
{
	textarea_row(t, t->cur_row)[t->cur_col] = c;
	t->cur_col++;
	t->len[t->cur_row] = t->cur_col;
	if (t->cur_col == t->cols)
		textarea_advance(t, true);
	else
		textarea_draw_row(t, t->cur_row);
}

void textarea_newline(struct textarea *t)
{
	textarea_advance(t, false);
}

void textarea_backspace(struct textarea *t)
{
	int row = t->cur_row;

	if (t->cur_col > 0) {
		t->cur_col--;
		textarea_row(t, row)[t->cur_col] = ' ';
		t->len[row] = t->cur_col;
		textarea_draw_row(t, row);
		return;
	}
	if (row == 0)
		return;
	t->cur_row--;
	if (t->wrapped[row]) {
		/* No Return between the rows: the character to delete is the
		 * last one of the row above. */
		t->wrapped[row] = false;
		t->cur_col = t->cols - 1;
		textarea_row(t, t->cur_row)[t->cur_col] = ' ';
		t->len[t->cur_row] = t->cur_col;
	} else {
		/* Undo the Return: the cursor goes back after the text above. */
		t->cur_col = t->len[t->cur_row];
		if (t->cur_col == t->cols) {
			/* Cannot happen: a full row always wraps. Stay sane. */
			t->cur_col = t->cols - 1;
		}
	}
	textarea_draw_row(t, row);
	textarea_draw_row(t, t->cur_row);
}
