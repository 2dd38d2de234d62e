/* dialogs.h: the pictures of the desktop's small windows: Run, a message
 * box with OK, the UAC consent prompt, the restart notice, and Server
 * Manager. Each draws itself in the rectangle given and says where its
 * buttons are; what they do is desktop.c's. */
#ifndef PRACTICE_SCREENS_DIALOGS_H
#define PRACTICE_SCREENS_DIALOGS_H

#include <stddef.h>

#include "screen.h"

/* The buttons a dialog drew (empty rectangles for those it has not). */
struct dialog_buttons {
	struct draw_rect ok, cancel;
};

#define RUN_W 420
#define RUN_H 220
/* Run: the explanation, the Open box with text (typed so far), OK, Cancel
 * and Browse... */
void run_draw(struct draw_surface *fb, struct draw_rect r, const char *text, size_t len,
	      bool active, struct dialog_buttons *b);

#define MSGBOX_W 440
#define MSGBOX_H 170
/* A message box titled title with text and OK. */
void msgbox_draw(struct draw_surface *fb, struct draw_rect r, const char *title, const char *text,
		 struct dialog_buttons *b);

#define UAC_W 460
#define UAC_H 300
/* The consent prompt over a dimmed screen: ok is Yes, cancel is No. */
void uac_draw(struct draw_surface *fb, struct draw_rect r, struct dialog_buttons *b);

#define NOTICE_W 560
#define NOTICE_H 170
/* "You're about to be signed out", the shutdown in seconds, Close (ok). */
void notice_draw(struct draw_surface *fb, struct draw_rect r, int seconds,
		 struct dialog_buttons *b);

/* Server Manager's window: caption, the dashboard and its left pane. */
void servermgr_draw(struct draw_surface *fb, struct draw_rect r, bool active);

#endif
