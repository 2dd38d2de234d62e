/* session.h: one live console. Connects (through the transport) and speaks
 * RFB through libvncclient: keys out, framebuffer in, waits with deadlines.
 * Remembers every key it pressed and not yet released, and releases them all
 * before it closes, whatever the reason for closing. */
#ifndef VNCBOT_SESSION_H
#define VNCBOT_SESSION_H

#include <signal.h>
#include <stdint.h>

#include "screen/cond.h"
#include "screen/screen.h"
#include "transport/transport.h"
#include "url/url.h"
#include "util/error.h"

/* The guest pace: a virtual machine's console (QEMU) replays key events
 * into the guest with its own delay and drops what queues up beyond a few
 * hundred; 12 ms a key event kept every key (bench/qemu-type-rate). */
#define SESSION_GUEST_KEY_DELAY_MS 12
#define SESSION_SYNC_EVERY 64
/* Encodings without state from one message to the next (no zlib stream):
 * any whole message can be left out of the capture. */
#define SESSION_STATELESS_ENCODINGS "copyrect hextile raw"

enum session_pace {
	PACE_AUTO,  /* fast for a server known to take keys as they come, else guest */
	PACE_FAST,  /* as fast as the server takes keys (synchronised, no delay) */
	PACE_GUEST, /* SESSION_GUEST_KEY_DELAY_MS after each key event */
	PACE_MS,    /* key_delay_ms after each key event */
};

enum session_scancodes {
	SCANCODES_AUTO, /* with QEMU's Extended Key Event when the server has it */
	SCANCODES_ON,   /* the same, and warn if the server lacks it */
	SCANCODES_OFF,  /* keysyms only */
};

struct session_options {
	struct transport_options transport; /* connect timeout, TLS, headers */
	long connect_timeout_ms; /* the RFB handshake, each step */
	long read_timeout_ms;    /* the rest of a message once it started */
	/* How fast to type (--pace); key_delay_ms is PACE_MS's pause after each
	 * key event, during which the link is serviced. */
	enum session_pace pace;
	long key_delay_ms;
	/* Every this many key events, wait until the server has answered a
	 * screen request sent after them: typing then goes as fast as the
	 * server takes it, never further ahead. 0: never. */
	int sync_every;
	enum session_scancodes scancodes;
	const char *password;    /* VNC password or NULL; read during session_open only */
	/* Ask the server only for SESSION_STATELESS_ENCODINGS, so that a span
	 * of the capture can be left out (session_blank_begin). */
	int stateless_encodings;
	/* Set by a signal handler; every wait returns VB_FAILED when it is nonzero. */
	const volatile sig_atomic_t *interrupt;
};

struct session;

/* Connect and complete the RFB handshake (auth included). Returns the
 * session, or NULL with err: VB_CONNECT with a one-line reason and a hint. */
struct session *session_open(const struct url_spec *spec,
			     const struct session_options *o,
			     struct vb_error *err);

/* Send one key event, then keep the link serviced for the key delay. */
int session_key(struct session *s, uint32_t keysym, int down,
		struct vb_error *err);

/* Wait until the server has answered a screen request sent now (it has
 * then handled every key sent before). VB_CONNECT if it never answers. */
int session_sync(struct session *s, struct vb_error *err);

/* Move the pointer to x,y with the buttons in mask held (bit 0 left,
 * 1 middle, 2 right), then keep the link serviced for the key delay.
 * Buttons still held at close are released. */
int session_pointer(struct session *s, int x, int y, int mask, struct vb_error *err);

/* Wait ms milliseconds while servicing the link (screen updates arrive). */
int session_pause(struct session *s, long ms, struct vb_error *err);

/* A current snapshot of the screen (after a fresh full update); the image
 * points into the session's framebuffer, valid until the next session call. */
int session_snapshot(struct session *s, struct screen_image *img,
		     struct vb_error *err);

/* Snapshot and write it to path as PNG; region NULL or empty: the whole
 * screen, else that part of it (to make a needle for `expect image`). */
int session_capture(struct session *s, const char *path,
		    const struct screen_region *region, struct vb_error *err);

/* Remember the screen as decoded so far (nothing more is read, so
 * it never blocks), for a later `changed` wait to compare with. */
void session_mark(struct session *s);

/* Wait until cond holds on the screen, or timeout_ms passes. It first asks
 * for a fresh full screen, so nothing older than the call can satisfy it;
 * then it looks again only when an update arrives, and only where it landed
 * (settled also when its quiet time is up): a still screen costs nothing.
 * It ends within timeout_ms plus one look at the last update; a message
 * still arriving at the deadline gets 800 ms more to end. Returns 0
 * with *met 1 (held) or 0 (timed out), or -1 with err (the link, an
 * interrupt). w (may be NULL) receives what was last seen, for messages. */
int session_wait_screen(struct session *s, const struct screen_cond *cond,
			long timeout_ms, int *met, struct screen_watch *w,
			struct vb_error *err);

/* Release every key still held (up events in reverse order of pressing).
 * Best effort: returns how many could not be sent. */
int session_release_all(struct session *s);

/* Is the server QEMU (its desktop name says so)? */
int session_is_qemu(const struct session *s);

/* How many keys are held now. */
int session_held_count(const struct session *s);

/* --record-blank-secrets: leave what the console shows from now on out of
 * the capture (transport_capture_blank_begin) until session_blank_end. The
 * session must have been opened with stateless_encodings. */
void session_blank_begin(struct session *s);

/* End the span begun with session_blank_begin: ask for the whole screen
 * and wait for it (all the server had to show of what was typed comes
 * before it), end the span there, and ask for the whole screen again, which
 * the capture shows after its grey screen. Returns 0, or -1 with err as
 * session_sync. */
int session_blank_end(struct session *s, struct vb_error *err);

/* A console that goes away on purpose (a restart): release every key held
 * (the console is leaving, and a key left down would stay down on its next
 * boot's lock screen), then read what the console sends until it closes the
 * connection, or stops answering for the read timeout (a proxy that keeps the
 * socket of a machine that is gone), or timeout_ms passes. Returns 0 once it
 * is gone (the session is then good only for session_close), 1 when the time
 * passed with the console still there, or -1 with err (an interrupt, a
 * broken stream). */
int session_wait_disconnect(struct session *s, long timeout_ms, struct vb_error *err);

/* Release held keys, close the connection, free. NULL is a no-op. */
void session_close(struct session *s);

#endif
