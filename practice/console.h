/* console.h: what the practice console shows and how it answers keys. A
 * state machine of screens under a common title bar and status line: the
 * echo screen, and an administrator's Command Prompt window (cmdshell.h).
 * It draws on a draw_surface and leaves telling clients about the changes
 * to the server. */
#ifndef PRACTICE_CONSOLE_H
#define PRACTICE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>

#include "draw.h"

/* Smallest surface the layout fits in. */
#define CONSOLE_MIN_WIDTH 320
#define CONSOLE_MIN_HEIGHT 200

struct console;

/* Choose the screen consoles made from now on start on, by name: "echo"
 * (the default) or "cmd". Returns 0, or -1 for an unknown name. */
int console_set_first_screen(const char *name);

/* A console drawn in full on fb (at least CONSOLE_MIN_WIDTH x
 * CONSOLE_MIN_HEIGHT), on its first screen. fb must outlive it. Returns NULL
 * when fb is too small or memory runs out. Caller frees with console_free(). */
struct console *console_new(struct draw_surface *fb);
void console_free(struct console *c); /* NULL: no-op */

/* A key event from any client, in the order received. keysym is what the
 * client sent: a shifted character comes as itself ('!', 'A') with Shift
 * held, so it is used as is. */
void console_key(struct console *c, bool down, uint32_t keysym);

/* The number of connected clients changed. When the last one leaves, the
 * modifiers it held are taken as released. */
void console_set_clients(struct console *c, int count);

#endif
