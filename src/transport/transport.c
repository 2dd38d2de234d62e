/* transport.c: the bridge between the real connection and the socketpair
 * end libvncclient uses. One thread per connection moves bytes both ways
 * through two buffers with non-blocking fds, so neither side can stall the
 * other; it notes why the link ended and delivers what the server sent
 * before it closed (an auth failure reason, say) before it closes the pair. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "transport/transport_int.h"
#include "util/clock.h"

#define BRIDGE_BUF (64 * 1024)
#define CLOSE_GRACE_MS 2000

struct ring {
	char data[BRIDGE_BUF];
	size_t off, len; /* bytes data[off .. off+len) wait to be written */
};

struct transport {
	int link_fd;   /* the real connection */
	int pair_fd;   /* our end of the socketpair */
	int client_fd; /* libvncclient's end, until taken */
	int wake[2];   /* a pipe to wake the thread for stop */
	pthread_t thread;
	int started;
	atomic_int stop;
	atomic_int done;
	atomic_ullong rx, tx;
	atomic_llong last_rx_ms;
	pthread_mutex_t lock;
	int dead;          /* the link is gone; reason says why */
	char reason[256];
	char shown[300];   /* the address, for messages */
	struct ring up;    /* client -> server */
	struct ring down;  /* server -> client */
};

static void set_dead(struct transport *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_dead(struct transport *t, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&t->lock);
	if (!t->dead) {
		t->dead = 1;
		va_start(ap, fmt);
		vsnprintf(t->reason, sizeof(t->reason), fmt, ap);
		va_end(ap);
	}
	pthread_mutex_unlock(&t->lock);
}

/* Read from fd into the ring's free tail. Returns bytes read, 0 on EOF,
 * -1 on error, -2 if it would block. */
static ssize_t ring_fill(struct ring *r, int fd)
{
	ssize_t n;

	if (r->off && r->len == 0)
		r->off = 0;
	if (r->off + r->len == BRIDGE_BUF) {
		memmove(r->data, r->data + r->off, r->len);
		r->off = 0;
	}
	if (r->len == BRIDGE_BUF)
		return -2; /* full: leave the bytes in the socket for now */
	n = read(fd, r->data + r->off + r->len, BRIDGE_BUF - r->off - r->len);
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
	r->off += (size_t)n;
	r->len -= (size_t)n;
	if (r->len == 0)
		r->off = 0;
	return n;
}

static void *bridge_main(void *arg)
{
	struct transport *t = arg;
	int link_eof = 0, pair_eof = 0;

	while (!atomic_load(&t->stop)) {
		struct pollfd p[3] = {
			{ .fd = t->link_fd }, { .fd = t->pair_fd },
			{ .fd = t->wake[0], .events = POLLIN },
		};
		ssize_t n;

		if (pair_eof && t->up.len == 0)
			break; /* the client closed and everything it sent is out */
		if (link_eof && t->down.len == 0)
			break; /* the server closed and the client has all it sent */
		if (!link_eof && t->down.off + t->down.len < BRIDGE_BUF)
			p[0].events |= POLLIN;
		if (!link_eof && t->up.len)
			p[0].events |= POLLOUT;
		if (!pair_eof && t->up.off + t->up.len < BRIDGE_BUF)
			p[1].events |= POLLIN;
		if (t->down.len)
			p[1].events |= POLLOUT;
		if (poll(p, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			set_dead(t, "internal error: poll: %s", strerror(errno));
			break;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = ring_fill(&t->down, t->link_fd);
			if (n > 0) {
				atomic_fetch_add(&t->rx, (unsigned long long)n);
				atomic_store(&t->last_rx_ms, clock_now_ms());
			} else if (n == 0) {
				set_dead(t, "the server closed the connection");
				link_eof = 1;
			} else if (n == -1) {
				set_dead(t, "connection lost: %s", strerror(errno));
				link_eof = 1;
				t->up.len = 0;
			}
		}
		if (!link_eof && (p[0].revents & POLLOUT) && t->up.len) {
			n = ring_drain(&t->up, t->link_fd);
			if (n > 0) {
				atomic_fetch_add(&t->tx, (unsigned long long)n);
			} else if (n == -1) {
				set_dead(t, "connection lost: %s", strerror(errno));
				link_eof = 1;
				t->up.len = 0;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			n = ring_fill(&t->up, t->pair_fd);
			if (n == 0 || n == -1)
				pair_eof = 1;
		}
		if ((p[1].revents & POLLOUT) && t->down.len) {
			if (ring_drain(&t->down, t->pair_fd) == -1) {
				pair_eof = 1;
				t->down.len = 0;
			}
		}
		if (link_eof)
			t->up.len = 0; /* nowhere to send it */
	}
	/* Closing our end is what tells libvncclient the link is gone. */
	shutdown(t->pair_fd, SHUT_RDWR);
	shutdown(t->link_fd, SHUT_RDWR);
	if (!link_eof)
		set_dead(t, "the connection was closed");
	atomic_store(&t->done, 1);
	return NULL;
}

struct transport *transport_open(const struct url_spec *spec,
				 const struct transport_options *o,
				 struct vb_error *err)
{
	struct transport *t;
	int sv[2], fd;
	sigset_t all, old;

	if (spec->kind != URL_TCP) {
		vb_fail(err, VB_USAGE, "WebSocket consoles (ws://, wss://) are not supported yet");
		return NULL;
	}
	fd = tcp_connect(spec->host, spec->port, o->connect_timeout_ms, err);
	if (fd < 0)
		return NULL;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
		vb_fail(err, VB_CONNECT, "socketpair: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->link_fd = fd;
	t->pair_fd = sv[0];
	t->client_fd = sv[1];
	pthread_mutex_init(&t->lock, NULL);
	atomic_store(&t->last_rx_ms, clock_now_ms());
	snprintf(t->shown, sizeof(t->shown), "%s", spec->host);
	if (pipe2(t->wake, O_CLOEXEC) < 0)
		abort();
	fcntl(t->link_fd, F_SETFL, fcntl(t->link_fd, F_GETFL) | O_NONBLOCK);
	fcntl(t->pair_fd, F_SETFL, fcntl(t->pair_fd, F_GETFL) | O_NONBLOCK);
	/* libvncclient's reads honour readTimeout only on a non-blocking fd. */
	fcntl(t->client_fd, F_SETFL, fcntl(t->client_fd, F_GETFL) | O_NONBLOCK);
	/* Signals go to the main thread, which decides what an interrupt means. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&t->thread, NULL, bridge_main, t) != 0)
		abort();
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	t->started = 1;
	return t;
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

void transport_close(struct transport *t)
{
	long long deadline;

	if (!t)
		return;
	if (t->client_fd >= 0)
		close(t->client_fd);
	if (t->started) {
		/* Let the bridge forward what the client wrote last (released keys). */
		deadline = clock_now_ms() + CLOSE_GRACE_MS;
		while (!atomic_load(&t->done) && clock_now_ms() < deadline) {
			struct timespec ts = { 0, 5 * 1000000 };

			nanosleep(&ts, NULL);
		}
		atomic_store(&t->stop, 1);
		if (write(t->wake[1], "x", 1) < 0) {
			/* the thread also ends on its own; nothing to do */
		}
		pthread_join(t->thread, NULL);
	}
	close(t->link_fd);
	close(t->pair_fd);
	close(t->wake[0]);
	close(t->wake[1]);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
