/* run.h: one run of statements on one console, for every front end (the
 * command line, the MCP server). It opens the session from a connection
 * spec (running --connect-command again for every connection), owns the
 * interpreter's target adapter and the evidence (--record), and feeds the
 * interpreter, whose variables, like the keys held on the console, persist
 * from one run_exec to the next. It knows nothing of argv, and prints no
 * error: each call returns one (struct vb_error) for the front end. */
#ifndef VNCBOT_RUN_H
#define VNCBOT_RUN_H

#include <signal.h>
#include <stddef.h>

#include "record/result.h"
#include "screen/screen.h"
#include "script/script.h"
#include "util/error.h"

/* Where the console is and how to talk to it. */
struct run_connection {
	const char *address;         /* a console address (url.h), or NULL with: */
	const char *connect_command; /* a command that prints one, run per connection */
	long connect_timeout_ms;
	long read_timeout_ms;
	const char *ca_file;         /* wss: also trust these CAs (PEM) */
	int insecure;
	const char *origin;
	const char *const *headers;
	size_t nheaders;
	int pace;                    /* enum session_pace */
	long key_delay_ms;
	int scancodes;               /* enum session_scancodes */
	/* The VNC password, read at each connection: 0 with *password in
	 * secmem (util/secmem.h; the run frees it) or NULL for none, or -1
	 * with err. NULL: no password. */
	int (*password)(void *ctx, char **password, struct vb_error *err);
	void *password_ctx;
};

struct run_options {
	struct run_connection conn;
	const char *record_dir;    /* --record: keep the evidence here, or NULL */
	int record_blank_secrets;  /* --record-blank-secrets */
	const char *script_name;   /* for the evidence: a file, or "<-e>" */
	const struct vars *defines; /* -D: the variables start as these (copied) */
	const struct vars *secrets; /* secret values by name; must outlive the run */
	/* Set by a signal handler; every wait ends soon after it is nonzero. */
	const volatile sig_atomic_t *interrupt;
	/* --result: the run adds the console, its steps and the evidence to
	 * it (record/result.h); the front end finishes and writes it. NULL:
	 * none. */
	struct result *result;
	/* Remember the screen before every input, for an `expect changed` in a
	 * piece not yet seen (a front end fed one statement at a time). 0: only
	 * once a piece run waits for `changed`. */
	int mark_always;
};

/* The console a run drives: a live session (run_new), or, for tests, any
 * other (run_new_on). The interpreter's target functions, plus what the
 * evidence needs. */
struct run_console {
	struct interp_target target; /* key, pause, pointer, capture, wait_screen,
				      * mark, us_keymap; ctx is this console's */
	/* The screen now, for the evidence's pictures; may be NULL. */
	int (*snapshot)(void *ctx, struct screen_image *img, struct vb_error *err);
	/* --record-blank-secrets: hide the screen from the capture from now
	 * on / show it again. May be NULL. */
	void (*blank_begin)(void *ctx);
	int (*blank_end)(void *ctx, struct vb_error *err);
	/* Release held keys and close; NULL is allowed. */
	void (*close)(void *ctx);
};

struct run;

/* A run, not yet connected: the evidence directory is created now (so a
 * run that cannot keep its evidence fails before it connects). Returns
 * NULL with err. */
struct run *run_new(const struct run_options *o, struct vb_error *err);

/* The same on a console of the caller's (tests): already connected. */
struct run *run_new_on(const struct run_options *o, const struct run_console *console,
		       struct vb_error *err);

/* Connect (again, after a drop: --connect-command runs anew). Returns 0 or
 * -1 with err (VB_CONNECT, or VB_USAGE for an unusable option). */
int run_connect(struct run *r, struct vb_error *err);

/* Whether a console has been connected at some point (keys may have been
 * held, and were released at its close). */
int run_was_connected(const struct run *r);

/* The console as the logs show it (no password, no token), or "". */
const char *run_target(const struct run *r);

/* Run script on the console (connecting first if needed). The variables
 * it sets and the keys it leaves held stay for the next run_exec. Before
 * the first key, text the console cannot type is refused (exit 2). Returns
 * 0 or -1 with err (VB_FAILED for `fail`, a timed-out wait or an interrupt;
 * the console's status otherwise). */
int run_exec(struct run *r, const struct script *script, struct vb_error *err);

/* Release every held key and close the console, keeping the run (its
 * variables, its evidence) for a later connection: a front end's
 * `disconnect`. Nothing happens if no console is open. */
void run_disconnect(struct run *r);

/* Connect to address from now on (instead of the options'); the string
 * must outlive the run. The console open now stays until run_disconnect. */
void run_set_address(struct run *r, const char *address);

/* Whether a console is open now. */
int run_is_connected(const struct run *r);

/* The run's variables (what `read` put there), or NULL before the first
 * run_exec. They belong to the run. */
const struct vars *run_vars(const struct run *r);

/* A screenshot of the whole console to path (connecting first if needed). */
int run_capture(struct run *r, const char *path, struct vb_error *err);

/* Read the text on the console's screen (connecting first if needed), in
 * region (NULL or w 0: the whole screen), with the run's OCR engine (loaded
 * at the first use). *out belongs to the run, valid until its next read or
 * run_end. Returns 0 or -1 with err (VB_USAGE: no OCR data installed). */
struct ocr_result;
int run_read_text(struct run *r, const struct screen_region *region,
		  const struct ocr_result **out, struct vb_error *err);

/* End the run: a last picture for the evidence (unless it ended by a
 * signal or a connection error), the evidence closed with the outcome
 * (exit_status 0 and err NULL for success), held keys released and the
 * console closed, everything freed. NULL is a no-op. */
void run_end(struct run *r, int exit_status, const struct vb_error *err);

#endif
