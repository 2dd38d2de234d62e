/* servermgr.c: Server Manager's window as a fresh Windows Server 2016
 * shows it a few seconds after sign-in: the dashboard with its dark-blue
 * left pane and "WELCOME TO SERVER MANAGER". A picture: it takes the
 * keyboard focus (desktop.c) and what is typed into it does nothing. */
#include "dialogs.h"

#include <string.h>

#include "font.h"

#define SM_PANE_W 220
#define SM_HEAD_H 56

void servermgr_draw(struct draw_surface *fb, struct draw_rect r, bool active)
{
	static const char *const pane[] = {
		"Dashboard",
		"Local Server",
		"All Servers",
		"File and Storage Services",
	};
	struct draw_rect in = win_frame(fb, r, "Server Manager", active);
	int pane_w = in.w / 4 < SM_PANE_W ? in.w / 4 : SM_PANE_W;
	int y = in.y + SM_HEAD_H, x = in.x + pane_w + 24;

	draw_fill_rect(fb, in.x, in.y, in.w, in.h, WIN_WHITE);
	/* The header: where we are, and the Manage menu on the right. */
	draw_fill_rect(fb, in.x, in.y, in.w, SM_HEAD_H, 0xf2f2f2u);
	draw_text(fb, in.x + 16, in.y + 12, "Server Manager > Dashboard", 0x333333u, DRAW_NONE, 2);
	draw_text(fb, in.x + in.w - 200, in.y + 20, "Manage  Tools  View  Help", 0x333333u,
		  DRAW_NONE, 1);
	draw_fill_rect(fb, in.x, y, pane_w, in.h - SM_HEAD_H, 0x1b3a5cu);
	for (size_t i = 0; i < sizeof(pane) / sizeof(pane[0]); i++) {
		int py = y + 8 + (int)i * 32;
		size_t room = (size_t)(pane_w - 16) / FONT_WIDTH;
		size_t n = strlen(pane[i]);

		if (i == 0)
			draw_fill_rect(fb, in.x, py - 6, pane_w, 28, 0x2f6ca8u);
		draw_text_len(fb, in.x + 12, py, pane[i], n < room ? n : room, WIN_WHITE, DRAW_NONE,
			      1);
	}
	if (x >= in.x + in.w - 40)
		return;
	draw_text(fb, x, y + 16, "WELCOME TO SERVER MANAGER", 0x333333u, DRAW_NONE, 2);
	/* The quick start tile and its numbered steps. */
	draw_fill_rect(fb, x, y + 64, 140, 160, 0x2d7dd2u);
	draw_text(fb, x + 12, y + 76, "QUICK START", WIN_WHITE, DRAW_NONE, 1);
	draw_text(fb, x + 164, y + 76, "1  Configure this local server", 0x2d7dd2u, DRAW_NONE, 1);
	draw_text(fb, x + 164, y + 116, "2  Add roles and features", 0x333333u, DRAW_NONE, 1);
	draw_text(fb, x + 164, y + 140, "3  Add other servers to manage", 0x333333u, DRAW_NONE, 1);
	draw_text(fb, x + 164, y + 164, "4  Create a server group", 0x333333u, DRAW_NONE, 1);
	draw_text(fb, x + 164, y + 188, "5  Connect this server to cloud services", 0x333333u,
		  DRAW_NONE, 1);
}
