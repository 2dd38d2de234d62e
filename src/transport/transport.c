/* transport.c: the bridge between the real connection and the socketpair
 * end libvncclient uses, and the bookkeeping every backend shares. For TCP,
 * one thread per connection moves bytes both ways through two buffers with
 * non-blocking fds, so neither side can stall the other; it notes why the
 * link ended and delivers what the server sent before it closed (an auth
 * failure reason, say) before it closes the pair. ws.c does the same over
 * libwebsockets. Both hand what the server sent to transport_note_rx, the
 * one place that records it (record_path, an FBS capture). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "record/fbs.h"
#include "transport/transport_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#define LINGER_MS 1500      /* for the server to close after our FIN */
#define CLOSE_GRACE_MS 3000 /* for the bridge to finish on its own */
#define GUARD_TICK_MS 100   /* how often an armed guard looks at the interrupt */

size_t ring_space(struct ring *r)
{
	if (r->len == 0)
		r->off = 0;
	if (r->off && r->off + r->len > RING_SIZE / 2) {
		memmove(r->data, r->data + r->off, r->len);
		r->off = 0;
	}
	return RING_SIZE - r->off - r->len;
}

void ring_put(struct ring *r, const void *p, size_t n)
{
	memcpy(r->data + r->off + r->len, p, n);
	r->len += n;
}

void ring_drop(struct ring *r, size_t n)
{
	r->off += n;
	r->len -= n;
	if (r->len == 0)
		r->off = 0;
}

void transport_set_dead(struct transport *t, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&t->lock);
	if (!t->dead) {
		t->dead = 1;
		va_start(ap, fmt);
		vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
		va_end(ap);
	}
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

void transport_note_open(struct transport *t)
{
	t->rec_t0 = clock_now_ms();
}

/* The capture failed (a write error, a blank span it could not keep):
 * report the cause now; the rest of the stream goes unrecorded. Under
 * tap_lock. */
static void capture_failed(struct transport *t)
{
	struct vb_error err;

	t->rec_warned = 1;
	fbs_writer_close(t->rec, &err);
	t->rec = NULL;
	log_msg(LOG_WARN, "%s", err.message);
}

void transport_note_rx(struct transport *t, const void *data, size_t n)
{
	long long now = clock_now_ms();

	atomic_fetch_add(&t->rx, (unsigned long long)n);
	atomic_store(&t->last_rx_ms, now);
	pthread_mutex_lock(&t->tap_lock);
	if (t->rec && fbs_writer_add(t->rec, data, n, (uint32_t)(now - t->rec_t0)) < 0 &&
	    !t->rec_warned)
		capture_failed(t);
	pthread_mutex_unlock(&t->tap_lock);
}

/* Wake the bridge from its sleep (it then looks at the guard again). */
static void wake_bridge(struct transport *t)
{
	if (t->ws)
		ws_wake(t);
	else if (t->wake[1] >= 0 && write(t->wake[1], "g", 1) < 0) {
		/* the pipe is full: the bridge is awake anyway */
	}
}

void transport_guard(struct transport *t, long long deadline_ms)
{
	atomic_store(&t->guard_deadline, deadline_ms);
	/* Paired with guard_sleep_ms: either the bridge sees this deadline
	 * before it sleeps, or we see it parked and wake it. */
	if (deadline_ms && atomic_load(&t->parked))
		wake_bridge(t);
}

void transport_ignore_interrupt(struct transport *t)
{
	atomic_store(&t->ignore_interrupt, 1);
}

enum transport_cut transport_cut(struct transport *t)
{
	return (enum transport_cut)atomic_load(&t->cut);
}

size_t transport_backlog(struct transport *t)
{
	return atomic_load(&t->backlog);
}

int guard_sleep_ms(struct transport *t)
{
	long long d = atomic_load(&t->guard_deadline), left;

	if (!d || atomic_load(&t->cut)) {
		atomic_store(&t->parked, 1);
		d = atomic_load(&t->guard_deadline);
		if (!d || atomic_load(&t->cut))
			return -1;
		atomic_store(&t->parked, 0);
	}
	left = d - clock_now_ms();
	return left <= 0 ? 0 : left < GUARD_TICK_MS ? (int)left : GUARD_TICK_MS;
}

void guard_unpark(struct transport *t)
{
	atomic_store(&t->parked, 0);
}

int guard_due(struct transport *t)
{
	long long d = atomic_load(&t->guard_deadline);
	enum transport_cut why = CUT_NONE;

	if (!d || atomic_load(&t->cut))
		return 0;
	if (t->interrupt && *t->interrupt && !atomic_load(&t->ignore_interrupt))
		why = CUT_INTERRUPT;
	else if (clock_now_ms() >= d)
		why = CUT_DEADLINE;
	if (why != CUT_NONE) {
		atomic_store(&t->cut, (int)why);
		log_msg(LOG_DEBUG, "transport: %s: no more of the server's bytes go to "
			"libvncclient", why == CUT_INTERRUPT ? "interrupted" : "deadline passed");
	}
	return why != CUT_NONE;
}

/* Read from fd into the ring. Returns bytes read, 0 on EOF, -1 on error,
 * -2 if it would block or the ring is full. */
static ssize_t ring_fill(struct ring *r, int fd)
{
	size_t space = ring_space(r);
	ssize_t n;

	if (space == 0)
		return -2;
	n = read(fd, r->data + r->off + r->len, space);
	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? -2 : -1;
	r->len += (size_t)n;
	return n;
}

static ssize_t ring_drain(struct ring *r, int fd)
{
	ssize_t n = send(fd, r->data + r->off, r->len, MSG_NOSIGNAL);

	if (n < 0)
		return (errno == EAGAIN || errno == EINTR) ? -2 : -1;
	ring_drop(r, (size_t)n);
	return n;
}

ssize_t transport_deliver_down(struct transport *t, int fd)
{
	ssize_t n;

	pthread_mutex_lock(&t->tap_lock);
	n = ring_drain(&t->down, fd);
	if (n > 0)
		t->delivered += (uint64_t)n;
	pthread_mutex_unlock(&t->tap_lock);
	return n;
}

/* Close the TCP link the way that lets the server read all we sent: send
 * our FIN, then read (and drop) until the server closes too. Closing with
 * its screen updates unread would make our kernel answer with a reset, and
 * a server that sees the reset first drops the keys it has not read yet. */
static void linger_close(struct transport *t)
{
	long long deadline = clock_now_ms() + LINGER_MS;
	char sink[16384];

	shutdown(t->link_fd, SHUT_WR);
	while (!atomic_load(&t->stop)) {
		struct pollfd p[2] = { { .fd = t->link_fd, .events = POLLIN },
				       { .fd = t->wake[0], .events = POLLIN } };
		long long left = deadline - clock_now_ms();
		ssize_t n;

		if (left <= 0 || poll(p, 2, (int)left) <= 0 || (p[1].revents & POLLIN))
			break;
		n = read(t->link_fd, sink, sizeof(sink));
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
			break;
	}
}

/* The guard's cut, TCP side: libvncclient reads the end of the stream;
 * what the server sends from now on is taken in (so that it never blocks
 * on us and keeps reading our key releases) and recorded, not delivered. */
static void tcp_cut(struct transport *t)
{
	shutdown(t->pair_fd, SHUT_WR);
	t->down.len = 0;
	t->down.off = 0;
}

static void *tcp_bridge_main(void *arg)
{
	struct transport *t = arg;
	int link_eof = 0, pair_eof = 0;

	while (!atomic_load(&t->stop)) {
		struct pollfd p[3] = {
			{ .fd = t->link_fd }, { .fd = t->pair_fd },
			{ .fd = t->wake[0], .events = POLLIN },
		};
		int cut = atomic_load(&t->cut) != CUT_NONE, rc;
		ssize_t n;

		if (pair_eof && t->up.len == 0)
			break; /* the client closed and everything it sent is out */
		if (link_eof && t->down.len == 0)
			break; /* the server closed and the client has all it sent */
		if (cut && ring_space(&t->up) == 0) {
			/* The server takes nothing and the client is writing:
			 * drop it, so that the client's write returns. */
			t->up.len = t->up.off = 0;
			atomic_store(&t->backlog, 0);
		}
		if (!link_eof && ring_space(&t->down))
			p[0].events |= POLLIN;
		if (!link_eof && t->up.len)
			p[0].events |= POLLOUT;
		if (!pair_eof && ring_space(&t->up))
			p[1].events |= POLLIN;
		if (t->down.len)
			p[1].events |= POLLOUT;
		rc = poll(p, 3, guard_sleep_ms(t));
		guard_unpark(t);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			transport_set_dead(t, "internal error: poll: %s", strerror(errno));
			break;
		}
		if (p[2].revents & POLLIN) {
			char sink[64];

			if (read(t->wake[0], sink, sizeof(sink)) < 0) {
				/* nothing to drain */
			}
		}
		if (!cut && guard_due(t)) {
			tcp_cut(t);
			cut = 1;
		}
		if (p[0].events & POLLIN && p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = ring_fill(&t->down, t->link_fd);
			if (n > 0) {
				/* ring_fill appended the n bytes at the end. */
				transport_note_rx(t, t->down.data + t->down.off + t->down.len -
						  (size_t)n, (size_t)n);
				if (cut)
					t->down.len = t->down.off = 0;
			} else if (n == 0) {
				transport_set_dead(t, "the server closed the connection");
				link_eof = 1;
			} else if (n == -1) {
				transport_set_dead(t, "connection lost: %s", strerror(errno));
				link_eof = 1;
			}
		}
		if (!link_eof && (p[0].revents & POLLOUT) && t->up.len) {
			n = ring_drain(&t->up, t->link_fd);
			if (n > 0) {
				atomic_fetch_add(&t->tx, (unsigned long long)n);
			} else if (n == -1) {
				transport_set_dead(t, "connection lost: %s", strerror(errno));
				link_eof = 1;
			}
		}
		if (p[1].events & POLLIN && p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = ring_fill(&t->up, t->pair_fd);
			if (n == 0 || n == -1)
				pair_eof = 1;
		}
		if ((p[1].revents & POLLOUT) && t->down.len) {
			if (transport_deliver_down(t, t->pair_fd) == -1) {
				pair_eof = 1;
				t->down.len = 0;
			}
		}
		if (link_eof)
			t->up.len = 0; /* nowhere to send it */
		atomic_store(&t->backlog, t->up.len);
	}
	/* Closing our end is what tells libvncclient the link is gone. */
	shutdown(t->pair_fd, SHUT_RDWR);
	if (!link_eof)
		linger_close(t);
	transport_set_dead(t, "the connection was closed");
	atomic_store(&t->done, 1);
	return NULL;
}

/* Start fn on a thread that blocks every signal: signals belong to the
 * main thread, which decides what an interrupt means. */
void transport_start_thread(struct transport *t, void *(*fn)(void *))
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&t->thread, NULL, fn, t) != 0)
		abort();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->started = 1;
}

static void set_nonblock(int fd)
{
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

struct transport *transport_open(const struct url_spec *spec,
				 const struct transport_options *o,
				 struct vb_error *err)
{
	struct transport *t = xcalloc(1, sizeof(*t));
	int sv[2];

	t->link_fd = t->pair_fd = t->client_fd = -1;
	t->wake[0] = t->wake[1] = -1;
	pthread_mutex_init(&t->lock, NULL);
	pthread_mutex_init(&t->tap_lock, NULL);
	{
		pthread_condattr_t ca;

		/* Deadlines are on the monotonic clock. */
		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		pthread_cond_init(&t->cond, &ca);
		pthread_condattr_destroy(&ca);
	}
	atomic_store(&t->last_rx_ms, clock_now_ms());
	t->interrupt = o->interrupt;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		vb_fail(err, VB_CONNECT, "socketpair: %s", strerror(errno));
		goto fail;
	}
	t->pair_fd = sv[0];
	t->client_fd = sv[1];
	set_nonblock(t->pair_fd);
	/* libvncclient's reads honour readTimeout only on a non-blocking fd. */
	set_nonblock(t->client_fd);
	/* A capture that cannot be written fails the run before it connects. */
	if (o->record_path) {
		t->rec = fbs_writer_open(o->record_path, err);
		if (!t->rec)
			goto fail;
	}
	if (spec->kind == URL_TCP) {
		t->link_fd = tcp_connect(spec->host, spec->port, o->connect_timeout_ms, err);
		if (t->link_fd < 0)
			goto fail;
		set_nonblock(t->link_fd);
		if (pipe2(t->wake, O_CLOEXEC) < 0)
			abort();
		transport_note_open(t);
		transport_start_thread(t, tcp_bridge_main);
	} else if (ws_start(t, spec, o, err) < 0) {
		goto fail;
	}
	return t;
fail:
	atomic_store(&t->stop, 1);
	transport_close(t);
	return NULL;
}

int transport_take_client_fd(struct transport *t)
{
	int fd = t->client_fd;

	t->client_fd = -1;
	return fd;
}

int transport_check(struct transport *t, struct vb_error *err)
{
	int dead;

	pthread_mutex_lock(&t->lock);
	dead = t->dead;
	if (dead)
		vb_fail(err, VB_CONNECT, "%s", t->reason);
	pthread_mutex_unlock(&t->lock);
	return dead ? -1 : 0;
}

long transport_idle_ms(struct transport *t)
{
	return (long)(clock_now_ms() - atomic_load(&t->last_rx_ms));
}

uint64_t transport_rx_bytes(struct transport *t) { return atomic_load(&t->rx); }
uint64_t transport_tx_bytes(struct transport *t) { return atomic_load(&t->tx); }

uint64_t transport_rx_read(struct transport *t, int client_fd)
{
	int unread = 0;
	uint64_t at;

	/* No send into the socket between the count and the look into it. */
	pthread_mutex_lock(&t->tap_lock);
	if (ioctl(client_fd, FIONREAD, &unread) < 0 || unread < 0)
		unread = 0;
	at = t->delivered > (uint64_t)unread ? t->delivered - (uint64_t)unread : 0;
	pthread_mutex_unlock(&t->tap_lock);
	return at;
}

void transport_capture_blank_begin(struct transport *t, uint64_t offset, int width,
				   int height)
{
	pthread_mutex_lock(&t->tap_lock);
	if (t->rec && fbs_writer_blank_begin(t->rec, offset, width, height) < 0)
		capture_failed(t);
	pthread_mutex_unlock(&t->tap_lock);
}

void transport_capture_blank_end(struct transport *t, uint64_t offset, int width, int height)
{
	pthread_mutex_lock(&t->tap_lock);
	if (t->rec && fbs_writer_blank_end(t->rec, offset, width, height,
					   (uint32_t)(clock_now_ms() - t->rec_t0)) < 0)
		capture_failed(t);
	pthread_mutex_unlock(&t->tap_lock);
}

void transport_close(struct transport *t)
{
	transport_close_within(t, CLOSE_GRACE_MS);
}

void transport_close_within(struct transport *t, long grace_ms)
{
	long long deadline;

	if (!t)
		return;
	if (t->client_fd >= 0)
		close(t->client_fd);
	if (t->started) {
		/* Let the bridge forward what the client wrote last (released keys);
		 * a link that never opened has nothing to forward. */
		deadline = clock_now_ms() + (atomic_load(&t->stop) ? 0 : grace_ms);
		while (!atomic_load(&t->done) && clock_now_ms() < deadline) {
			struct timespec ts = { 0, 5 * 1000000 };

			nanosleep(&ts, NULL);
		}
		atomic_store(&t->stop, 1);
		if (t->ws)
			ws_wake(t);
		else if (write(t->wake[1], "x", 1) < 0) {
			/* the thread ends on its own too */
		}
		pthread_join(t->thread, NULL);
	}
	ws_free(t);
	if (t->rec) {
		struct vb_error err;

		if (fbs_writer_close(t->rec, &err) < 0)
			log_msg(LOG_WARN, "%s", err.message);
	}
	if (t->link_fd >= 0)
		close(t->link_fd);
	if (t->pair_fd >= 0)
		close(t->pair_fd);
	if (t->wake[0] >= 0) {
		close(t->wake[0]);
		close(t->wake[1]);
	}
	pthread_cond_destroy(&t->cond);
	pthread_mutex_destroy(&t->lock);
	pthread_mutex_destroy(&t->tap_lock);
	/* Key events typed (a secret's among them) stay in the ring until
	 * overwritten: wipe them with the run. */
	explicit_bzero(&t->up, sizeof(t->up));
	free(t);
}
