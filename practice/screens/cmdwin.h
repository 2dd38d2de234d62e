/* cmdwin.h: a Command Prompt window on the desktop: a frame with cmd's
 * title, and inside it the console text of a cmd.exe (cmdshell.h) in cmd's
 * colours. The desktop places, stacks and focuses windows; this draws one
 * and answers the keys it is given. */
#ifndef PRACTICE_SCREENS_CMDWIN_H
#define PRACTICE_SCREENS_CMDWIN_H

#include <stdbool.h>
#include <stdint.h>

#include "screen.h"

struct cmdwin;

/* The frame's size in pixels for a window of cols x rows characters. */
void cmdwin_frame_size(int cols, int rows, int *w, int *h);

/* A window at frame (as cmdwin_frame_size gives, or smaller: it then shows
 * fewer characters) with a fresh cmd.exe from console_shell_new(), its
 * banner and first prompt. Not drawn yet. Returns NULL when out of memory.
 * Free with cmdwin_free(). */
struct cmdwin *cmdwin_new(struct console *c, bool elevated, struct draw_rect frame);
void cmdwin_free(struct cmdwin *w); /* NULL: no-op; the shell goes too */

struct draw_rect cmdwin_rect(const struct cmdwin *w);

/* Draw the whole window, its text again included. Returns -1 when out of
 * memory (the window then takes no more keys). */
int cmdwin_draw(struct cmdwin *w, bool active);

/* A key press for the focused window. Returns true when cmd exited: the
 * caller closes the window. */
bool cmdwin_key(struct cmdwin *w, uint32_t keysym, unsigned mods);

#endif
