/* transport.h: the real connection to a console (TCP or WebSocket, ws:// or
 * wss://), bridged to one end of a local socketpair that libvncclient reads
 * and writes as if it were the server. Bytes pass unchanged both ways.
 * Timeouts, drop detection and the recording of the server's stream (an FBS
 * capture, record/fbs.h) live here, the same for every transport. The
 * transport never sees keys or RFB. */
#ifndef VNCBOT_TRANSPORT_H
#define VNCBOT_TRANSPORT_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "url/url.h"
#include "util/error.h"

struct transport_options {
	long connect_timeout_ms; /* TCP connect, TLS and WebSocket handshake */
	/* WebSocket only: */
	const char *ca_file;     /* extra CA to trust (PEM), or NULL */
	int insecure;            /* do not verify the server's certificate */
	const char *origin;      /* Origin header; NULL: derived from the address */
	const char *const *headers; /* extra "Name: value" handshake headers */
	size_t nheaders;
	/* If not NULL: append every byte received from the server to an FBS
	 * capture created (or truncated) at this path, timestamped in ms since
	 * the connection opened; `vncbot replay` plays it back. The file is
	 * created before connecting; a write error later is logged as a
	 * warning and the run goes on without the rest of the capture. */
	const char *record_path;
	/* Set by a signal handler, or NULL. The connect and the guard (below)
	 * end within a fraction of a second once it is nonzero. */
	const volatile sig_atomic_t *interrupt;
};

struct transport;

/* Connect to spec within the timeout and start bridging. Returns the
 * transport, or NULL with err: VB_CONNECT naming the address and reason, or
 * VB_FAILED naming o->record_path when the capture cannot be created. */
struct transport *transport_open(const struct url_spec *spec,
				 const struct transport_options *o,
				 struct vb_error *err);

/* The socketpair end for libvncclient, non-blocking. Taking it passes its
 * ownership to the caller (libvncclient closes it); call once. */
int transport_take_client_fd(struct transport *t);

/* If the link is gone, fill err (VB_CONNECT) with why and return -1;
 * else return 0. err may be NULL. */
int transport_check(struct transport *t, struct vb_error *err);

/* The guard. libvncclient reads a server message until it has it whole and
 * writes until the socket takes all: a console that trickles bytes or stops
 * reading would hold it (and vncbot) for as long as it likes. So before each
 * call into libvncclient that may block, the session arms the guard with the
 * time by which the call must return (monotonic ms; 0 disarms). Past that
 * time, or as soon as the interrupt flag is set, the bridge cuts the stream
 * to libvncclient: its read sees the end of the stream and the call fails.
 * What libvncclient sends still goes out (the releases of held keys), but
 * nothing more can be read: the session is over. A cut is also taken when
 * the client writes more than a server that reads nothing can take: the
 * excess is dropped so that the write returns. Cheap when nothing blocks:
 * arming is an atomic store, and the bridge is woken only if it sleeps. */
void transport_guard(struct transport *t, long long deadline_ms);

enum transport_cut {
	CUT_NONE,
	CUT_DEADLINE,  /* the guard's time passed */
	CUT_INTERRUPT, /* the interrupt flag was set */
};

/* From now on only the guard's deadline cuts, not the interrupt (for the
 * last round trip after an interrupt, which has a short deadline). */
void transport_ignore_interrupt(struct transport *t);

/* Whether (and why) the guard cut the stream. */
enum transport_cut transport_cut(struct transport *t);

/* Bytes waiting to go to the server (sent by the client, not yet taken by
 * the server's side of the connection). */
size_t transport_backlog(struct transport *t);

/* Milliseconds since the server last sent a byte. */
long transport_idle_ms(struct transport *t);

/* Bytes received from / sent to the server so far. */
uint64_t transport_rx_bytes(struct transport *t);
uint64_t transport_tx_bytes(struct transport *t);

/* How far into the server's stream the reader of client_fd (the end taken
 * with transport_take_client_fd) has read: bytes handed to it, less those
 * still unread in the socket. Less what the reader holds in a buffer of its
 * own, that is where it is in the stream (libvncclient: minus buffered). */
uint64_t transport_rx_read(struct transport *t, int client_fd);

/* --record-blank-secrets: leave the server's stream from offset on out of
 * the capture, until transport_capture_blank_end(offset): the capture shows
 * a grey screen in its place (record/fbs.h, fbs_writer_blank_begin, says
 * what must hold: offsets between two RFB messages, counted in bytes from
 * the server's first, as transport_rx_read counts; no encoding with state
 * across messages). width x height is the screen at each offset. Without a
 * capture, nothing; if the capture cannot keep the span, it stops with a
 * warning, as on a write error. */
void transport_capture_blank_begin(struct transport *t, uint64_t offset, int width,
				   int height);
void transport_capture_blank_end(struct transport *t, uint64_t offset, int width, int height);

/* Stop the bridge and close the connection. Bytes the client already
 * wrote into the socketpair are forwarded first (up to a short grace
 * period), so keys released just before close reach the server. Closes the
 * capture, if any (a failure is logged as a warning). NULL is a no-op. */
void transport_close(struct transport *t);

/* The same, with a bound on the whole close (forwarding and lingering) of
 * grace_ms, for a link already known to be bad. */
void transport_close_within(struct transport *t, long grace_ms);

#endif
