/* cmdwin.c: one Command Prompt window: the line typed echoes at the cursor,
 * Return runs it through cmdshell and shows what it printed, then the
 * prompt. The text since the last cls is kept, so the window can be drawn
 * again (after color, which repaints it whole as a Windows console does, and
 * when a window above it went away). Placing and focus are desktop.c's. */
#include "cmdwin.h"

#include <stdlib.h>
#include <string.h>

#include "cmdshell.h"
#include "font.h"
#include "textarea.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define CMDWIN_LINE_MAX 8191 /* cmd.exe's own limit */
#define CMDWIN_MARGIN 4	     /* between the border and the text */

struct cmdwin {
	struct console *c;
	struct cmdshell *sh;
	bool elevated;
	struct draw_rect frame;
	struct draw_rect client;	/* below the caption */
	struct textarea *text;		/* NULL until drawn */
	unsigned color;			/* attribute the text is drawn in */
	struct strbuf log;		/* the text since the last cls */
	char line[CMDWIN_LINE_MAX + 1]; /* typed since the prompt */
	size_t line_len;
	bool failed; /* out of memory: no more keys */
};

void cmdwin_frame_size(int cols, int rows, int *w, int *h)
{
	*w = cols * FONT_WIDTH + 2 * CMDWIN_MARGIN + 2;
	*h = rows * FONT_HEIGHT + 2 * CMDWIN_MARGIN + 2 + WIN_CAPTION_H;
}

/* Forget what has long scrolled off: keep at least a screenful of
 * characters, cut at a whole number of rows from the start of a line, so
 * what is kept wraps as before. */
static void cmdwin_trim_log(struct cmdwin *w)
{
	int cols = (w->client.w - 2 * CMDWIN_MARGIN) / FONT_WIDTH;
	int rows = (w->client.h - 2 * CMDWIN_MARGIN) / FONT_HEIGHT;
	size_t keep, cut, start, from;

	if (cols < 1 || rows < 1)
		return;
	keep = (size_t)(cols + 1) * (size_t)(rows + 1);
	if (w->log.len <= 4 * keep)
		return;
	cut = w->log.len - keep;
	start = cut;
	while (start > 0 && w->log.p[start - 1] != '\n')
		start--;
	from = start + (cut - start) / (size_t)cols * (size_t)cols;
	if (from > cut)
		from = start;
	memmove(w->log.p, w->log.p + from, w->log.len - from);
	w->log.len -= from;
	w->log.p[w->log.len] = '\0';
}

/* One character of console text into the window and its log. */
static void cmdwin_out(struct cmdwin *w, char ch)
{
	switch (ch) {
	case '\f':
		w->log.len = 0;
		if (w->text)
			textarea_clear(w->text);
		return;
	case '\r':
		return;
	case '\t':
		ch = ' ';
		break;
	}
	strbuf_putc(&w->log, ch);
	cmdwin_trim_log(w);
	if (!w->text)
		return;
	if (ch == '\n')
		textarea_newline(w->text);
	else
		textarea_put(w->text, ch);
}

/* cmdshell's write callback. */
static void cmdwin_write(void *ctx, const char *text, size_t len)
{
	struct cmdwin *w = ctx;

	for (size_t i = 0; i < len; i++)
		cmdwin_out(w, text[i]);
}

struct cmdwin *cmdwin_new(struct console *c, bool elevated, struct draw_rect frame)
{
	struct cmdwin *w = xcalloc(1, sizeof(*w));

	w->c = c;
	w->elevated = elevated;
	w->frame = frame;
	w->client = (struct draw_rect){frame.x + 1, frame.y + 1 + WIN_CAPTION_H, frame.w - 2,
				       frame.h - 2 - WIN_CAPTION_H};
	w->sh = console_shell_new(c, elevated);
	if (!w->sh) {
		free(w);
		return NULL;
	}
	w->color = cmdshell_color(w->sh);
	cmdshell_banner(w->sh, cmdwin_write, w);
	return w;
}

void cmdwin_free(struct cmdwin *w)
{
	if (!w)
		return;
	textarea_free(w->text);
	console_shell_free(w->c, w->sh);
	strbuf_free(&w->log);
	free(w);
}

struct draw_rect cmdwin_rect(const struct cmdwin *w)
{
	return w->frame;
}

/* The title: cmd's own ("Administrator: " first when elevated). */
static const char *cmdwin_title(const struct cmdwin *w)
{
	return cmdshell_title(w->sh);
}

/* Paint the text area in cmd's colours and put the text back. */
static int cmdwin_paint(struct cmdwin *w)
{
	struct draw_surface *fb = console_fb(w->c);
	const struct draw_rect *r = &w->client;
	uint32_t bg = cmdshell_palette((w->color >> 4) & 15);
	uint32_t fg = cmdshell_palette(w->color & 15);
	struct draw_rect area = {r->x + CMDWIN_MARGIN, r->y + CMDWIN_MARGIN,
				 r->w - 2 * CMDWIN_MARGIN, r->h - 2 * CMDWIN_MARGIN};
	struct strbuf old = w->log;

	draw_fill_rect(fb, r->x, r->y, r->w, r->h, bg);
	textarea_free(w->text);
	w->text = textarea_new(fb, area, fg, bg);
	if (!w->text) {
		w->failed = true;
		return -1;
	}
	w->log = (struct strbuf){0};
	for (size_t i = 0; i < old.len; i++)
		cmdwin_out(w, old.p[i]);
	strbuf_free(&old);
	return 0;
}

int cmdwin_draw(struct cmdwin *w, bool active)
{
	win_frame(console_fb(w->c), w->frame, cmdwin_title(w), active);
	return cmdwin_paint(w);
}

/* The character a key types into cmd's line: printable ASCII (keypad
 * included) and Latin-1 as its byte; -1 for anything else. */
static int cmdwin_char(uint32_t keysym)
{
	int ch = screen_keysym_char(keysym);

	if (ch != 0x7f)
		return ch;
	if (keysym >= 0xa0 && keysym <= 0xff)
		return (int)keysym;
	if (keysym >= 0x010000a0 && keysym <= 0x010000ff)
		return (int)(keysym - 0x01000000);
	return -1;
}

static bool cmdwin_return(struct cmdwin *w)
{
	enum cmdshell_state state;

	w->line[w->line_len] = '\0';
	w->line_len = 0;
	cmdwin_out(w, '\n');
	state = cmdshell_run(w->sh, w->line, cmdwin_write, w);
	explicit_bzero(w->line, sizeof(w->line));
	console_shell_ran(w->c, w->sh);
	if (state == CMDSHELL_EXITED)
		return true;
	if (state == CMDSHELL_READY)
		cmdshell_prompt(w->sh, cmdwin_write, w);
	if (cmdshell_color(w->sh) != w->color) {
		w->color = cmdshell_color(w->sh);
		cmdwin_paint(w);
	}
	win_frame(console_fb(w->c), w->frame, cmdwin_title(w), true);
	return false;
}

bool cmdwin_key(struct cmdwin *w, uint32_t keysym, unsigned mods)
{
	int ch;

	if ((mods & SCREEN_SHORTCUT_MODS) || w->failed || !w->text)
		return false;
	if (keysym == XK_BackSpace) {
		if (w->line_len == 0)
			return false;
		w->line_len--;
		if (w->log.len > 0)
			w->log.p[--w->log.len] = '\0';
		textarea_backspace(w->text);
		return false;
	}
	if (keysym == XK_Return || keysym == XK_KP_Enter)
		return cmdwin_return(w);
	ch = cmdwin_char(keysym);
	if (ch < 0 || w->line_len >= CMDWIN_LINE_MAX)
		return false;
	w->line[w->line_len++] = (char)ch;
	cmdwin_out(w, (char)ch);
	return false;
}
