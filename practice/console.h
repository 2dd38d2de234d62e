/* console.h: what the practice console shows and how it answers keys,
 * pointer presses and time. A Windows Server 2016 look-alike (lock screen,
 * sign-in, desktop with Server Manager, Run and cmd windows) and the echo
 * screen, each in practice/screens/. It draws on a draw_surface and leaves
 * telling clients about the changes, and the restart itself (dropping and
 * refusing clients, or keeping them through a black screen), to the
 * server. */
#ifndef PRACTICE_CONSOLE_H
#define PRACTICE_CONSOLE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "draw.h"
#include "util/error.h"

/* Smallest surface the layout fits in. */
#define CONSOLE_MIN_WIDTH 320
#define CONSOLE_MIN_HEIGHT 200

/* How the console behaves; console_config_init() gives the defaults. The
 * strings are borrowed and must outlive the console. */
struct console_config {
	const char *start;	      /* first screen: lock, echo or cmd */
	const char *user;	      /* shown at sign-in: Administrator */
	const char *windows_password; /* NULL: any password signs in */
	int lockout;		      /* wrong passwords before lockout: 5 */
	int lockout_seconds;	      /* how long the account stays locked */
	int server_manager_delay;     /* s after sign-in; 0: never */
	bool uac;		      /* Ctrl+Shift+Enter asks consent first */
	int cmd_cols, cmd_rows;	      /* a cmd window's text: 120x30 */
	unsigned window_seed;	      /* where cmd windows open */
	time_t clock;		      /* the time shown; 0: the real time */
	struct machine *machine;      /* NULL: a default one of its own */
};

void console_config_init(struct console_config *cfg);

/* Is name a screen --start accepts (lock, echo, cmd)? */
bool console_start_valid(const char *name);

struct console;
struct machine;

/* A console drawn in full on fb (at least CONSOLE_MIN_WIDTH x
 * CONSOLE_MIN_HEIGHT), on the screen cfg->start names. fb and cfg must
 * outlive it, and so must cfg->machine, which runs the cmd windows (the
 * user signing in is the machine's, machine_set_user()). Returns NULL when fb is too small, the
 * screen unknown or memory runs out. Caller frees with console_free(). */
struct console *console_new(struct draw_surface *fb, const struct console_config *cfg);
void console_free(struct console *c); /* NULL: no-op */

/* A key event from any client, in the order received. keysym is what the
 * client sent: a shifted character comes as itself ('!', 'A') with Shift
 * held, so it is used as is. */
void console_key(struct console *c, bool down, uint32_t keysym);

/* A pointer event: buttons is the RFB mask (bit 0 left). A screen acts on
 * the press of the left button. */
void console_pointer(struct console *c, int x, int y, int buttons);

/* The number of connected clients changed. When the last one leaves, the
 * modifiers it held are taken as released. */
void console_set_clients(struct console *c, int count);

/* Time passes: now_ms on the monotonic clock, called about every 50 ms.
 * Returns true when a pending restart is due: the server then drops every
 * client or keeps them (console_restarting()), boots, and calls
 * console_restarted(). */
bool console_tick(struct console *c, long long now_ms);

/* Why the console cannot go on (the machine's --state file could not be
 * written), or NULL. The server stops serving on it. */
const struct vb_error *console_error(const struct console *c);

/* The restart is due and the clients stay connected (a hypervisor's
 * console, --restart stays): signed out and every window closed at once,
 * then "Restarting" on black, then black, until console_restarted(). Keys
 * and clicks change nothing meanwhile, and console_tick() says no restart
 * is due. With clients dropped instead, the server calls only
 * console_restarted(), once it has booted. */
void console_restarting(struct console *c);

/* The machine came back from a restart: the lock screen, signed out, every
 * window closed; the registry as it was left. */
void console_restarted(struct console *c);

#endif
