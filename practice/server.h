/* server.h: the practice console served over VNC with libvncserver: a
 * listening socket of our own, each key event written to the transcript and
 * then given to the console, and the loop that serves clients until told to
 * stop. Options, exit codes and signals are main.c's. */
#ifndef PRACTICE_SERVER_H
#define PRACTICE_SERVER_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>

#include "console.h"
#include "transcript.h"
#include "util/error.h"

/* What a restart does to the clients (--restart). */
enum server_restart {
	SERVER_RESTART_DROPS, /* dropped, and connections refused while it boots: a
			       * VNC server inside the machine */
	SERVER_RESTART_STAYS, /* kept, seeing the restart and the boot: the
			       * hypervisor's console (QEMU's VNC) */
};

struct server_config {
	struct in_addr addr;		      /* IPv4 address to listen on */
	int port;			      /* 0: a free port, chosen by the kernel */
	int width, height;		      /* framebuffer size in pixels */
	const char *password;		      /* NULL: no authentication. Borrowed: the
					       * caller keeps it alive until server_free()
					       * and wipes it after. */
	const struct console_config *console; /* borrowed, as password */
	int boot_seconds;		      /* how long a restart boots */
	enum server_restart restart;	      /* what it does to the clients */
	bool one_shot_tokens;		      /* WebSocket clients need ?token= (once each) */
	const char *token_file;		      /* where each fresh token is written */
};

struct server;

/* Send libvncserver's log to stderr with a prefix, or nowhere (quiet).
 * Its log functions are global: call this once, before server_new(). */
void server_log_setup(bool quiet);

/* Listen on cfg->addr:cfg->port and get ready to serve the console (and,
 * with one-shot tokens, write the first token to cfg->token_file). Key
 * events and connections are written to t (may be NULL), which must stay
 * open until server_free(). Returns NULL with err filled on failure
 * (VB_FAILED: cannot listen; out of memory). Free with server_free(). */
struct server *server_new(const struct server_config *cfg, struct transcript *t,
			  struct vb_error *err);

/* The TCP port actually listened on. */
int server_port(const struct server *s);

/* Serve clients until *stop becomes non-zero (a signal handler sets it),
 * with the console's clock ticking. A restart the console says is due drops
 * every client, closes the listening socket (connections are refused) for
 * cfg->boot_seconds, then listens again on the same port; or, with
 * SERVER_RESTART_STAYS, keeps every client and the socket while the console
 * shows the restart and a black screen that long. Then the lock screen.
 * Returns 0 when
 * stopped, or -1 with err filled if the transcript or a token file could
 * not be written (a witness with a gap must not go on as if whole), or the
 * port could not be listened on again after a restart. */
int server_run(struct server *s, const volatile sig_atomic_t *stop, struct vb_error *err);

/* Disconnect every client (each noted in the transcript), stop listening
 * and free everything. Returns 0, or -1 with err filled if a transcript
 * line could not be written. s may be NULL. */
int server_free(struct server *s, struct vb_error *err);

#endif
