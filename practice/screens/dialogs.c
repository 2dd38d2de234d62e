/* dialogs.c: Run, the message box, the UAC prompt and the restart notice,
 * drawn as Windows Server 2016 lays them out (look-alikes, not copies). */
#include "dialogs.h"

#include <stdio.h>
#include <string.h>

#include "font.h"

static const char run_text[] =
	"Type the name of a program, folder, document, or Internet resource, "
	"and Windows will open it for you.";

void run_draw(struct draw_surface *fb, struct draw_rect r, const char *text, size_t len,
	      bool active, struct dialog_buttons *b)
{
	struct draw_rect in = win_frame(fb, r, "Run", active);
	int x = in.x + 16, y = in.y + 16;
	int box_x = x + 56, box_w = in.x + in.w - 16 - box_x;
	int room = (box_w - 12) / FONT_WIDTH;
	int by = in.y + in.h - 16 - 28;

	draw_fill_rect(fb, in.x, in.y, in.w, in.h, WIN_FACE);
	/* The icon: a little window with a blue title. */
	draw_fill_rect(fb, x, y, 32, 26, 0x808080u);
	draw_fill_rect(fb, x + 1, y + 1, 30, 6, WIN_ACCENT);
	draw_fill_rect(fb, x + 1, y + 7, 30, 18, WIN_WHITE);
	win_text_wrapped(fb, x + 48, y, in.x + in.w - 16 - (x + 48), run_text, WIN_TEXT);
	y += 64;
	draw_text(fb, x, y + 6, "Open:", WIN_TEXT, DRAW_NONE, 1);
	draw_fill_rect(fb, box_x, y, box_w, 28, 0x7a7a7au);
	draw_fill_rect(fb, box_x + 1, y + 1, box_w - 2, 26, WIN_WHITE);
	/* The end of a long entry, as a text box scrolls to its caret. */
	if (room > 0) {
		size_t from = len > (size_t)room - 1 ? len - ((size_t)room - 1) : 0;
		int w = draw_text_len(fb, box_x + 6, y + 6, text + from, len - from, WIN_TEXT,
				      DRAW_NONE, 1);

		draw_fill_rect(fb, box_x + 6 + w, y + 5, 1, 18, WIN_TEXT);
	}
	b->ok = (struct draw_rect){in.x + in.w - 16 - 3 * 88 - 2 * 8, by, 88, 28};
	b->cancel = (struct draw_rect){b->ok.x + 96, by, 88, 28};
	win_button(fb, b->ok, "OK", true);
	win_button(fb, b->cancel, "Cancel", false);
	win_button(fb, (struct draw_rect){b->cancel.x + 96, by, 88, 28}, "Browse...", false);
}

void msgbox_draw(struct draw_surface *fb, struct draw_rect r, const char *title, const char *text,
		 struct dialog_buttons *b)
{
	struct draw_rect in = win_frame(fb, r, title, true);
	int x = in.x + 16, y = in.y + 20;

	draw_fill_rect(fb, in.x, in.y, in.w, in.h, WIN_WHITE);
	draw_fill_rect(fb, in.x, in.y + in.h - 48, in.w, 48, WIN_FACE);
	/* The error icon: a red disc with a white cross. */
	win_circle(fb, x + 16, y + 16, 16, 0xe81123u);
	for (int i = -6; i <= 6; i++) {
		draw_fill_rect(fb, x + 16 + i - 1, y + 16 + i, 3, 1, WIN_WHITE);
		draw_fill_rect(fb, x + 16 - i - 1, y + 16 + i, 3, 1, WIN_WHITE);
	}
	win_text_wrapped(fb, x + 48, y, in.x + in.w - 16 - (x + 48), text, WIN_TEXT);
	b->ok = (struct draw_rect){in.x + in.w - 16 - 88, in.y + in.h - 38, 88, 28};
	b->cancel = (struct draw_rect){0, 0, 0, 0};
	win_button(fb, b->ok, "OK", true);
}

void uac_draw(struct draw_surface *fb, struct draw_rect r, struct dialog_buttons *b)
{
	int x = r.x + 24, y = r.y + 16;
	int bw = (r.w - 24 * 2 - 8) / 2;

	/* The secure desktop: everything else dimmed to a flat grey. */
	draw_fill_rect(fb, 0, 0, fb->width, fb->height, 0x333333u);
	draw_fill_rect(fb, r.x, r.y, r.w, r.h, 0x1f1f1fu);
	draw_fill_rect(fb, r.x, r.y, r.w, 150, 0x2b579au);
	draw_text(fb, x, y, "User Account Control", WIN_WHITE, DRAW_NONE, 1);
	win_text_wrapped(fb, x, y + 28, r.w - 48,
			 "Do you want to allow this app to make changes to your device?",
			 WIN_WHITE);
	draw_text(fb, x, y + 80, "Windows Command Processor", WIN_WHITE, DRAW_NONE, 1);
	draw_text(fb, x, y + 104, "Verified publisher: Microsoft Windows", 0xdddddd, DRAW_NONE, 1);
	b->ok = (struct draw_rect){x, r.y + r.h - 56, bw, 36};
	b->cancel = (struct draw_rect){x + bw + 8, r.y + r.h - 56, bw, 36};
	draw_text(fb, x, r.y + 170, "Show more details", 0x9cc8ff, DRAW_NONE, 1);
	win_button(fb, b->ok, "Yes", false);
	win_button(fb, b->cancel, "No", true);
}

void notice_draw(struct draw_surface *fb, struct draw_rect r, int seconds, struct dialog_buttons *b)
{
	char text[96];
	int x = r.x + 24;

	if (seconds < 60)
		snprintf(text, sizeof(text), "Windows will shut down in less than a minute.");
	else
		snprintf(text, sizeof(text), "Windows will shut down in %d minutes.",
			 (seconds + 59) / 60);
	draw_fill_rect(fb, r.x, r.y, r.w, r.h, WIN_BORDER);
	draw_fill_rect(fb, r.x + 1, r.y + 1, r.w - 2, r.h - 2, 0x1f1f1fu);
	draw_text(fb, x, r.y + 24, "You're about to be signed out", WIN_WHITE, DRAW_NONE, 2);
	draw_text(fb, x, r.y + 24 + 2 * FONT_HEIGHT + 16, text, WIN_WHITE, DRAW_NONE, 1);
	b->ok = (struct draw_rect){r.x + r.w - 24 - 100, r.y + r.h - 48, 100, 30};
	b->cancel = (struct draw_rect){0, 0, 0, 0};
	win_button(fb, b->ok, "Close", true);
}
