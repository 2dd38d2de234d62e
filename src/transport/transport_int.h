/* transport_int.h: what the transport's backends (tcp.c, ws.c) share with
 * transport.c: the transport struct, its buffers, and the bookkeeping of
 * why a link died. Not for other modules. */
#ifndef VNCBOT_TRANSPORT_INT_H
#define VNCBOT_TRANSPORT_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

#include "transport/transport.h"

#define RING_SIZE (256 * 1024)

/* Bytes waiting to be written to one side: data[off .. off+len). */
struct ring {
	char data[RING_SIZE];
	size_t off, len;
};

/* Free room at the end of the ring, compacting first if that helps. */
size_t ring_space(struct ring *r);
void ring_put(struct ring *r, const void *p, size_t n); /* n <= ring_space */
void ring_drop(struct ring *r, size_t n);

struct ws_state;
struct fbs_writer;

struct transport {
	int pair_fd;   /* our end of the socketpair */
	int client_fd; /* libvncclient's end, until taken */
	pthread_t thread;
	int started;
	atomic_int stop;
	atomic_int done; /* the thread has finished */
	atomic_ullong rx, tx;
	atomic_llong last_rx_ms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int dead; /* the link is gone; reason says why */
	/* The guard (transport_guard): the deadline the client's current call
	 * must meet (0: none), whether the bridge sleeps without a timeout
	 * (then arming must wake it), and the cut once taken. */
	atomic_llong guard_deadline;
	atomic_int parked;
	atomic_int cut; /* enum transport_cut */
	atomic_size_t backlog; /* bytes of up, for transport_backlog */
	const volatile sig_atomic_t *interrupt;
	atomic_int ignore_interrupt;
	char reason[300];
	struct ring up;   /* client -> server */
	struct ring down; /* server -> client */
	/* TCP */
	int link_fd;
	int wake[2];
	/* WebSocket */
	struct ws_state *ws;
	/* The capture of the server's stream, or NULL. Written only on the
	 * bridge thread (transport_note_rx); opened before it starts and
	 * closed after it ends. */
	struct fbs_writer *rec;
	long long rec_t0;  /* when the link opened (ms, monotonic) */
	int rec_warned;
	/* Taken around every use of rec once the bridge runs (the session
	 * marks blank spans in it), and around delivered and the send that
	 * adds to it, so that transport_rx_read sees the two agree. */
	pthread_mutex_t tap_lock;
	uint64_t delivered; /* server bytes handed to the client's end */
};

/* Connect a TCP socket to host:port within timeout_ms; returns the fd
 * (TCP_NODELAY set) or -1 with err. */
int tcp_connect(const char *host, int port, long timeout_ms,
		struct vb_error *err);

/* Record why the link died (the first reason wins) and wake waiters. */
void transport_set_dead(struct transport *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Every backend calls this, on the bridge thread, with each run of bytes
 * received from the server, in order: it counts them, notes the time, and
 * records them in the capture if there is one. */
void transport_note_rx(struct transport *t, const void *data, size_t n);
/* The link is open: capture timestamps count from now. Bridge thread, or
 * before it starts. */
void transport_note_open(struct transport *t);
/* Send what the down ring holds to fd (our end of the socketpair) and
 * count it as delivered. Every backend hands the server's bytes to the
 * client this way (with send(2), so that what is counted is in the
 * socket). Returns as ring_drain: bytes sent, -2 would block, -1 error. */
ssize_t transport_deliver_down(struct transport *t, int fd);

/* The guard, on the bridge thread. guard_sleep_ms: how long the bridge may
 * sleep before it must look at the guard again (-1: until woken; the bridge
 * is then marked parked, and a later arming wakes it). guard_due: whether
 * the stream must be cut now (it records the cut's reason). Every backend
 * calls guard_sleep_ms before it sleeps, guard_unpark after, and cuts when
 * guard_due says so. */
int guard_sleep_ms(struct transport *t);
void guard_unpark(struct transport *t);
int guard_due(struct transport *t);

/* Start the backend's thread with every signal blocked in it: signals
 * belong to the main thread, which decides what an interrupt means. */
void transport_start_thread(struct transport *t, void *(*fn)(void *));

/* WebSocket backend: connect, complete the handshake within the timeout and
 * start the service thread. Returns 0 or -1 with err (VB_CONNECT). */
int ws_start(struct transport *t, const struct url_spec *spec,
	     const struct transport_options *o, struct vb_error *err);
/* Ask the service thread to stop (it ends soon after). */
void ws_wake(struct transport *t);
void ws_free(struct transport *t);

#endif
