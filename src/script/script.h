/* script.h: what the rest of vncbot calls in the script layer: parse a
 * script, print its plan, run it against a target. The target is a small
 * table of functions, so the interpreter runs the same against a live
 * session or a fake one in tests. */
#ifndef VNCBOT_SCRIPT_H
#define VNCBOT_SCRIPT_H

#include <stdint.h>
#include <stdio.h>

#include "script/ast.h"
#include "script/vars.h"
#include "util/error.h"

/* What the script may assume before it starts: variables from -D and the
 * names of secrets given with --secret. Used by the parser's checks. */
struct script_env {
	const struct vars *defines;
	const struct vars *secrets; /* values unused by the parser */
	int secrets_required;       /* 1: every secret typed must be given (run) */
};

/* Parse src (taking ownership of it, also on failure) into *out. Includes are
 * read and parsed too. Every variable used must be defined before use (-D,
 * set, default); with env->secrets_required every secret typed must be in
 * env->secrets. Returns 0, or -1 with err (VB_USAGE, FILE:LINE:COL). */
int script_parse(struct source *src, const struct script_env *env,
		 struct script **out, struct vb_error *err);

void script_free(struct script *script);

/* Names of the secrets the script types, in order of first use, each once. */
size_t script_secrets(const struct script *script, const char **names,
		      size_t max);

/* Print the plan: one line per action, "FILE:LINE  statement", variables
 * substituted where known, secrets shown by name only. */
void script_plan(const struct script *script, const struct vars *defines,
		 FILE *out);

/* What the interpreter tells a target about typing a secret. */
enum interp_secret_event {
	INTERP_SECRET_TYPING, /* a `type secret` is about to send its first key */
	INTERP_SECRET_ENTER,  /* an Enter key was released after a secret was typed */
};

/* Check, before a run connects, every file the script writes (capture)
 * whose name is known by then: literal, or from variables known before the
 * run (-D, and set or default with known values). Its directory must exist
 * and it must be absent or a regular file (files_check_target). Returns 0,
 * or -1 with err (VB_USAGE) at the statement. */
int script_check_outputs(const struct script *script, const struct vars *defines,
			 struct vb_error *err);

/* Where statements act. Each returns 0 or -1 with err filled. */
struct interp_target {
	void *ctx;
	int (*key)(void *ctx, uint32_t keysym, int down, struct vb_error *err);
	int (*pause)(void *ctx, long ms, struct vb_error *err);
	/* Pointer to x,y with buttons held (bit 0 left, 1 middle, 2 right). */
	int (*pointer)(void *ctx, int x, int y, int buttons, struct vb_error *err);
	int (*capture)(void *ctx, const char *path, const struct screen_region *region,
		       struct vb_error *err);
	/* Wait up to timeout_ms for cond; *met says whether it held. */
	int (*wait_screen)(void *ctx, const struct screen_cond *cond, long timeout_ms,
			   int *met, struct screen_watch *w, struct vb_error *err);
	/* The run's events for the evidence: "statement" (text is the
	 * statement as a plan shows it, secrets by name), "step" and "step-end"
	 * (text is the step's name). where is "FILE:LINE". May be NULL. */
	void (*note)(void *ctx, const char *event, const char *where, const char *text);
	/* Remember the screen as it is now (before keys are sent), as what
	 * `expect changed` compares with. May be NULL. */
	void (*mark)(void *ctx);
	/* Called between statements; nonzero stops the run (SIGINT, SIGTERM). */
	int (*interrupted)(void *ctx);
	/* Typing a secret: INTERP_SECRET_TYPING before a `type secret` sends
	 * its first key; INTERP_SECRET_ENTER once the first Enter (Return or
	 * keypad Enter) after it has been released, whichever statement sent
	 * it (an Enter inside the secret's value does not count). A target
	 * hides the screen from its evidence in between (--record-blank-
	 * secrets). Returns 0 or -1 with err. May be NULL. */
	int (*secret)(void *ctx, enum interp_secret_event event, struct vb_error *err);
	/* Does the console turn keysyms into keys through a US keymap, dropping
	 * the characters it has no key for (QEMU)? Text a US keyboard cannot
	 * type is then refused, not sent. May be NULL (no). */
	int (*us_keymap)(void *ctx);
	/* Read the text in region (NULL or w 0: the whole screen) by OCR into
	 * *text (caller frees): its lines, trimmed, joined by newlines. May be
	 * NULL (no OCR here). */
	int (*read_text)(void *ctx, const struct screen_region *region, char **text,
			 struct vb_error *err);
	/* A console that goes away on purpose (expect disconnect): release the
	 * keys held, then wait up to timeout_ms for the console to close the
	 * connection. 0 with *gone 1 (it went) or 0 (the time passed), or -1
	 * with err. May be NULL (not available here). */
	int (*wait_disconnect)(void *ctx, long timeout_ms, int *gone, struct vb_error *err);
	/* Connect again (reconnect), trying until the console answers or
	 * timeout_ms passes. 0, or -1 with err (VB_CONNECT: it did not come
	 * back). May be NULL (not available here). */
	int (*reconnect)(void *ctx, long timeout_ms, struct vb_error *err);
};

/* Before anything is sent, on a target that types through a US keymap (see
 * us_keymap; on others it returns 0 at once): refuse a script that would type
 * a character a US keyboard has no key for, in a type or boot string whose
 * value is known now (literal text, variables from defines and set/default
 * where no branch decides them) or in a secret it types (secrets holds the
 * values). Values known only at run time are checked when typed. Returns 0,
 * or -1 with err (VB_USAGE, FILE:LINE:COL of the character, a hint); a
 * secret's message names the secret and the character's position only. */
int script_check_typing(const struct script *script, const struct vars *defines,
			const struct vars *secrets, const struct interp_target *target,
			struct vb_error *err);

/* For `check`: one line per type or boot string whose known value has
 * characters outside what a US keyboard types, "FILE:LINE: 'é' (U+00E9)
 * depends on the console's keyboard layout; a QEMU console cannot type it".
 * Returns the number of lines. */
size_t script_layout_report(const struct script *script, const struct vars *defines,
			    FILE *out);

/* An interpreter that keeps its variables (and, through its target, the
 * keys held) from one interp_exec to the next: a live session fed one piece
 * of script at a time. vars start as defines (copied); secrets holds the
 * secret values by name (not copied: it must outlive the interpreter). */
struct interp *interp_new(const struct vars *defines, const struct vars *secrets,
			  const struct interp_target *target);

/* Run script's statements. Returns 0, or -1 with err as script_run. The
 * script must outlive nothing: the interpreter keeps no pointer into it. */
int interp_exec(struct interp *in, const struct script *script, struct vb_error *err);

/* The variables as they are now. */
const struct vars *interp_vars(const struct interp *in);

/* Free the interpreter (wiping its variables). NULL is a no-op. */
void interp_free(struct interp *in);

/* Does the script wait for the screen to change (expect/if changed)? Only
 * then is the screen worth remembering before each input (target.mark): a
 * copy of the whole framebuffer. */
int script_uses_changed(const struct script *script);

/* Run the script once (interp_new, interp_exec, interp_free). vars starts as the -D defines (copied); secrets holds
 * the secret values by name. Returns 0, or -1 with err: VB_FAILED for `fail`
 * or an interruption, the target's status for its errors. Keys the script
 * left held are the target's to release (the session does, on close). */
int script_run(const struct script *script, const struct vars *defines,
	       const struct vars *secrets, const struct interp_target *target,
	       struct vb_error *err);

#endif
