/* ws.c: the WebSocket backend of the transport, on libwebsockets. One lws
 * context and service thread per connection: the WebSocket client (subprotocol
 * "binary", TLS by OpenSSL) and our end of the socketpair, adopted into the
 * same loop as a raw socket, pass bytes to each other through the two rings,
 * with flow control both ways. WebSocket framing and TLS are lws's; we never
 * touch either. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <libwebsockets.h>

#include "transport/transport_int.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#define WS_CHUNK 16384 /* bytes a frame or a raw write carries at most */

struct ws_state {
	struct lws_context *ctx;
	struct lws *ws;   /* the WebSocket, NULL once closed */
	struct lws *pair; /* our end of the socketpair, NULL once closed */
	int established;
	int failed;
	int ws_rx_paused, pair_rx_paused;
	int pair_fd;      /* the socketpair end lws adopted, for the guard's cut */
	lws_sorted_usec_list_t tick; /* wakes the loop while the guard is armed */
	char lws_line[256]; /* lws's last error line (lws_emit) */
	char host_header[300];
	char origin[320];
	const char *const *headers;
	size_t nheaders;
	unsigned char buf[LWS_PRE + WS_CHUNK];
};

static struct transport *of(struct lws *wsi)
{
	return lws_context_user(lws_get_context(wsi));
}

/* lws logs through a process-wide function with no word of which context
 * speaks: each thread that drives a context (the connecting one, the
 * service thread) routes its lines to that connection's state, which keeps
 * the last error line, often the only account of a TLS failure. */
static _Thread_local struct ws_state *lws_route;

static void lws_emit(int level, const char *line)
{
	struct ws_state *w = lws_route;
	size_t n;

	if ((level & LLL_ERR) && w) {
		snprintf(w->lws_line, sizeof(w->lws_line), "%s", line);
		n = strlen(w->lws_line);
		while (n && (w->lws_line[n - 1] == '\n' || w->lws_line[n - 1] == '\r'))
			w->lws_line[--n] = '\0';
	}
	log_msg(LOG_DEBUG, "libwebsockets: %s", line);
}

/* lws hands over at most RX_MAX bytes a callback; a side is paused while
 * the ring it fills could not take that much twice over, so a delivery that
 * was already under way when we paused still fits. */
#define RX_MAX 65536
#define PAUSE_BELOW (2 * RX_MAX)
#define RESUME_AT (3 * RX_MAX)

static void flow_one(struct lws *wsi, int *paused, struct ring *fills)
{
	size_t space = ring_space(fills);

	if (!wsi)
		return;
	if (!*paused && space < PAUSE_BELOW) {
		lws_rx_flow_control(wsi, 0);
		*paused = 1;
	} else if (*paused && space >= RESUME_AT) {
		lws_rx_flow_control(wsi, 1);
		*paused = 0;
	}
}

static void ws_flow(struct transport *t)
{
	/* After the guard's cut, what the client writes for a server that takes
	 * nothing is dropped, so the client's write returns (transport.h). */
	if (atomic_load(&t->cut) != CUT_NONE && ring_space(&t->up) < PAUSE_BELOW)
		t->up.len = t->up.off = 0;
	atomic_store(&t->backlog, t->up.len);
	flow_one(t->ws->ws, &t->ws->ws_rx_paused, &t->down);
	flow_one(t->ws->pair, &t->ws->pair_rx_paused, &t->up);
}

/* Take len received bytes into r; -1 (and the link dead) if they do not fit,
 * which flow control is there to prevent. */
static int take_in(struct transport *t, struct ring *r, const void *in, size_t len)
{
	if (len > ring_space(r)) {
		transport_set_dead(t, "internal error: receive buffer overflow");
		return -1;
	}
	ring_put(r, in, len);
	ws_flow(t);
	return 0;
}

/* Write up to WS_CHUNK bytes from the front of r to wsi in one lws_write,
 * which keeps whatever the socket did not take and sends it first.
 * Returns the bytes taken from r, or -1. */
static int write_chunk(struct transport *t, struct lws *wsi, struct ring *r,
		       enum lws_write_protocol proto)
{
	struct ws_state *w = t->ws;
	size_t n = r->len < WS_CHUNK ? r->len : WS_CHUNK;

	if (n == 0)
		return 0;
	memcpy(w->buf + LWS_PRE, r->data + r->off, n);
	if (lws_write(wsi, w->buf + LWS_PRE, n, proto) < (int)n)
		return -1;
	ring_drop(r, n);
	ws_flow(t);
	return (int)n;
}

/* Hand the client's end what the server sent. With send(2) on the socket
 * rather than lws_write, which may keep a part back in its own buffer:
 * what the transport counts as delivered must be in the socket. */
static int deliver_down(struct transport *t, struct lws *wsi)
{
	ssize_t n = transport_deliver_down(t, lws_get_socket_fd(wsi));

	ws_flow(t);
	return n == -1 ? -1 : 0;
}

static void signal_state(struct transport *t)
{
	pthread_mutex_lock(&t->lock);
	pthread_cond_broadcast(&t->cond);
	pthread_mutex_unlock(&t->lock);
}

static int ws_callback(struct lws *wsi, enum lws_callback_reasons reason,
		       void *user, void *in, size_t len)
{
	struct transport *t;
	struct ws_state *w;

	(void)user;
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED || !lws_get_context(wsi))
		return 0;
	t = of(wsi);
	if (!t || !t->ws)
		return 0;
	w = t->ws;
	switch (reason) {
	case LWS_CALLBACK_CLIENT_APPEND_HANDSHAKE_HEADER: {
		char **p = in, *end = *p + len;
		size_t i;

		for (i = 0; i < w->nheaders; i++) {
			size_t n = strlen(w->headers[i]);

			if ((size_t)(end - *p) < n + 3)
				return -1;
			memcpy(*p, w->headers[i], n);
			memcpy(*p + n, "\r\n", 2);
			*p += n + 2;
		}
		break;
	}
	case LWS_CALLBACK_CLIENT_ESTABLISHED:
		transport_note_open(t);
		w->established = 1;
		log_msg(LOG_DEBUG, "WebSocket open");
		signal_state(t);
		if (t->up.len)
			lws_callback_on_writable(wsi);
		break;
	case LWS_CALLBACK_CLIENT_CONNECTION_ERROR: {
		int status = lws_http_client_http_response(wsi);
		char why[300];
		const char *ssl;

		/* lws's reason, plus its last logged error when that says more. */
		snprintf(why, sizeof(why), "%.*s", in && len ? (int)len : 17,
			 in && len ? (const char *)in : "connection failed");
		if (w->lws_line[0] && !strstr(why, w->lws_line))
			snprintf(why + strlen(why), sizeof(why) - strlen(why), ": %s",
				 w->lws_line);
		ssl = strstr(why, "SSL error: ");
		w->ws = NULL;
		w->failed = 1;
		if (status > 0 && status != 101)
			transport_set_dead(t, "the server answered the WebSocket request with HTTP %d%s",
					   status, status < 300 ? ", not 101 Switching Protocols "
					   "(is this the console's WebSocket URL?)" : "");
		else if (ssl) {
			/* "...: SSL error: self-signed certificate (preverify_ok=0;...)" */
			int n = (int)strcspn(ssl + 11, "(");

			while (n > 0 && ssl[11 + n - 1] == ' ')
				n--;
			transport_set_dead(t, "TLS certificate refused: %.*s", n, ssl + 11);
		}
		else if (strstr(why, "SSL"))
			transport_set_dead(t, "the TLS handshake failed (%s): is this a wss:// "
					   "endpoint? A plain WebSocket is ws://", why);
		else if (strncmp(why, "Unable to connect", 17) == 0)
			transport_set_dead(t, "nothing accepted the connection (refused or unreachable)");
		else if (strcmp(why, "read failed") == 0)
			transport_set_dead(t, "the server closed the connection during the "
					   "WebSocket handshake: is this a WebSocket endpoint? (a "
					   "plain VNC port is vnc://HOST:PORT)");
		else
			transport_set_dead(t, "%s", why);
		if (w->pair)
			lws_set_timeout(w->pair, PENDING_TIMEOUT_KILLED_BY_PARENT, LWS_TO_KILL_ASYNC);
		break;
	}
	case LWS_CALLBACK_CLIENT_RECEIVE:
		transport_note_rx(t, in, len);
		if (atomic_load(&t->cut) != CUT_NONE)
			break; /* taken in and recorded, no longer delivered */
		if (take_in(t, &t->down, in, len) < 0)
			return -1;
		if (w->pair)
			lws_callback_on_writable(w->pair);
		break;
	case LWS_CALLBACK_CLIENT_WRITEABLE: {
		int n = write_chunk(t, wsi, &t->up, LWS_WRITE_BINARY);

		if (n < 0) {
			transport_set_dead(t, "connection lost while sending");
			return -1;
		}
		atomic_fetch_add(&t->tx, (unsigned long long)n);
		if (t->up.len)
			lws_callback_on_writable(wsi);
		else if (!w->pair) {
			/* The client is gone and all it sent is out: close cleanly. */
			lws_close_reason(wsi, LWS_CLOSE_STATUS_NORMAL, NULL, 0);
			return -1;
		}
		break;
	}
	case LWS_CALLBACK_WS_PEER_INITIATED_CLOSE: {
		const unsigned char *b = in;
		int code = len >= 2 ? (b[0] << 8 | b[1]) : 1005;

		transport_set_dead(t, "the server closed the WebSocket (code %d%s%.*s)", code,
				   len > 2 ? ": " : "", len > 2 ? (int)(len - 2) : 0,
				   len > 2 ? (const char *)in + 2 : "");
		break;
	}
	case LWS_CALLBACK_CLIENT_CLOSED:
		w->ws = NULL;
		transport_set_dead(t, "the server closed the connection");
		/* Deliver what the server sent, then close the pair. */
		if (w->pair)
			lws_callback_on_writable(w->pair);
		break;
	default:
		break;
	}
	return 0;
}

static int pair_callback(struct lws *wsi, enum lws_callback_reasons reason,
			 void *user, void *in, size_t len)
{
	struct transport *t;
	struct ws_state *w;

	(void)user;
	if (reason == LWS_CALLBACK_EVENT_WAIT_CANCELLED)
		return 0;
	t = of(wsi);
	if (!t || !t->ws)
		return 0;
	w = t->ws;
	switch (reason) {
	case LWS_CALLBACK_RAW_RX:
		if (take_in(t, &t->up, in, len) < 0)
			return -1;
		if (w->ws && w->established)
			lws_callback_on_writable(w->ws);
		break;
	case LWS_CALLBACK_RAW_WRITEABLE: {
		if (atomic_load(&t->cut) != CUT_NONE)
			t->down.len = t->down.off = 0;
		if (deliver_down(t, wsi) < 0)
			return -1;
		if (t->down.len)
			lws_callback_on_writable(wsi);
		else if (!w->ws)
			return -1; /* the server is gone and the client has it all */
		break;
	}
	case LWS_CALLBACK_RAW_CLOSE:
		w->pair = NULL;
		if (w->ws)
			lws_callback_on_writable(w->ws); /* flush, then close */
		break;
	default:
		break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{ "binary", ws_callback, 0, RX_MAX, 0, NULL, 0 },
	{ "vncbot-pair", pair_callback, 0, RX_MAX, 0, NULL, 0 },
	{ NULL, NULL, 0, 0, 0, NULL, 0 }
};

static void ws_tick(lws_sorted_usec_list_t *sul)
{
	(void)sul; /* its job was to end the loop's sleep */
}

/* The guard's cut, WebSocket side (see tcp_cut in transport.c). */
static void ws_cut(struct transport *t)
{
	shutdown(t->ws->pair_fd, SHUT_WR);
	t->down.len = t->down.off = 0;
	ws_flow(t);
}

static void *ws_thread_main(void *arg)
{
	struct transport *t = arg;
	struct ws_state *w = t->ws;

	lws_route = w;
	while (!atomic_load(&t->stop) && (w->ws || w->pair)) {
		int ms = guard_sleep_ms(t);

		if (ms >= 0)
			lws_sul_schedule(w->ctx, 0, &w->tick, ws_tick,
					 (lws_usec_t)ms * LWS_US_PER_MS);
		if (lws_service(w->ctx, 0) < 0)
			break;
		guard_unpark(t);
		if (guard_due(t))
			ws_cut(t);
	}
	lws_sul_cancel(&w->tick);
	transport_set_dead(t, "the connection was closed");
	atomic_store(&t->done, 1);
	signal_state(t);
	return NULL;
}

void ws_wake(struct transport *t)
{
	if (t->ws && t->ws->ctx)
		lws_cancel_service(t->ws->ctx);
}

void ws_free(struct transport *t)
{
	if (!t->ws)
		return;
	if (t->ws->ctx)
		lws_context_destroy(t->ws->ctx);
	explicit_bzero(t->ws->buf, sizeof(t->ws->buf)); /* the last keys sent */
	if (lws_route == t->ws)
		lws_route = NULL;
	free(t->ws);
	t->ws = NULL;
}

/* Host header and default Origin: the port only when it is not the
 * scheme's default, IPv6 literals in brackets. */
static void host_with_port(const struct url_spec *spec, char *buf, size_t size)
{
	int def = spec->kind == URL_WSS ? 443 : 80;
	const char *ob = strchr(spec->host, ':') ? "[" : "";
	const char *cb = *ob ? "]" : "";

	if (spec->port == def)
		snprintf(buf, size, "%s%s%s", ob, spec->host, cb);
	else
		snprintf(buf, size, "%s%s%s:%d", ob, spec->host, cb, spec->port);
}

int ws_start(struct transport *t, const struct url_spec *spec,
	     const struct transport_options *o, struct vb_error *err)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	struct ws_state *w = xcalloc(1, sizeof(*w));
	lws_sock_file_fd_type fd;
	struct timespec until;
	long long deadline = clock_now_ms() + o->connect_timeout_ms;
	char shown[320];

	t->ws = w;
	w->headers = o->headers;
	w->nheaders = o->nheaders;
	url_describe(spec, shown, sizeof(shown));
	lws_set_log_level(LLL_ERR | LLL_WARN, lws_emit);
	lws_route = w;

	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.user = t;
	info.options = LWS_SERVER_OPTION_JUST_USE_RAW_ORIGIN;
	/* TLS only for wss: loading the system's CA store costs ~30 ms. */
	if (spec->kind == URL_WSS)
		info.options |= LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.client_ssl_ca_filepath = o->ca_file;
	info.connect_timeout_secs = (unsigned)((o->connect_timeout_ms + 999) / 1000);
	info.timeout_secs = info.connect_timeout_secs;
	w->ctx = lws_create_context(&info);
	if (!w->ctx) {
		vb_fail(err, VB_CONNECT, "cannot set up the WebSocket client%s%s",
			w->lws_line[0] ? ": " : "", w->lws_line);
		if (o->ca_file)
			vb_hint(err, "check that --ca-file %s is a readable PEM file", o->ca_file);
		return -1;
	}

	/* Our end of the socketpair joins the same loop; lws now owns the fd. */
	fd.sockfd = t->pair_fd;
	w->pair_fd = t->pair_fd;
	w->pair = lws_adopt_descriptor_vhost(lws_get_vhost_by_name(w->ctx, "default"),
					     LWS_ADOPT_SOCKET, fd, "vncbot-pair", NULL);
	if (!w->pair) {
		vb_fail(err, VB_CONNECT, "internal error: cannot adopt the socketpair");
		return -1;
	}
	t->pair_fd = -1;

	host_with_port(spec, w->host_header, sizeof(w->host_header));
	if (o->origin)
		snprintf(w->origin, sizeof(w->origin), "%s", o->origin);
	else
		snprintf(w->origin, sizeof(w->origin), "%s://%s",
			 spec->kind == URL_WSS ? "https" : "http", w->host_header);
	memset(&ci, 0, sizeof(ci));
	ci.context = w->ctx;
	ci.address = spec->host;
	ci.port = spec->port;
	ci.path = spec->resource[0] ? spec->resource : "/";
	ci.host = w->host_header;
	ci.origin = w->origin;
	ci.protocol = "binary";
	ci.local_protocol_name = "binary";
	ci.alpn = "http/1.1"; /* WebSocket over HTTP/2 is rare on consoles */
	if (spec->kind == URL_WSS) {
		ci.ssl_connection = LCCSCF_USE_SSL;
		if (o->insecure)
			ci.ssl_connection |= LCCSCF_ALLOW_SELFSIGNED | LCCSCF_ALLOW_EXPIRED |
					     LCCSCF_SKIP_SERVER_CERT_HOSTNAME_CHECK |
					     LCCSCF_ALLOW_INSECURE;
	}
	ci.pwsi = &w->ws;
	if (!lws_client_connect_via_info(&ci) && !t->dead) {
		vb_fail(err, VB_CONNECT, "cannot start a WebSocket connection to %s%s%s", shown,
			w->lws_line[0] ? ": " : "", w->lws_line);
		return -1;
	}

	/* The service thread runs the handshake; wait for it with a deadline. */
	atomic_store(&t->last_rx_ms, clock_now_ms());
	transport_start_thread(t, ws_thread_main);
	pthread_mutex_lock(&t->lock);
	while (!w->established && !t->dead) {
		long long now = clock_now_ms(), step = now + 100 < deadline ? now + 100 : deadline;

		if (now >= deadline || (o->interrupt && *o->interrupt))
			break;
		/* In steps, so that an interrupt is seen within a tenth of a second. */
		until.tv_sec = (time_t)(step / 1000);
		until.tv_nsec = (long)(step % 1000) * 1000000;
		pthread_cond_timedwait(&t->cond, &t->lock, &until);
	}
	pthread_mutex_unlock(&t->lock);
	if (!w->established && o->interrupt && *o->interrupt)
		return vb_fail(err, VB_CONNECT, "interrupted while connecting to %s", shown);
	if (w->established)
		return 0;
	if (t->dead) {
		char reason[sizeof(t->reason)];

		pthread_mutex_lock(&t->lock);
		snprintf(reason, sizeof(reason), "%s", t->reason);
		pthread_mutex_unlock(&t->lock);
		vb_fail(err, VB_CONNECT, "WebSocket connection to %s failed: %s", shown, reason);
		if (strstr(reason, "certificate") || strstr(reason, "mismatch"))
			return vb_hint(err, "if the console uses a private CA, pass it with --ca-file PEM; "
				       "--insecure skips the check (not for production)");
		if (strstr(reason, "HTTP 4"))
			return vb_hint(err, "console URLs are often valid once and for seconds: "
				       "get a fresh one and check the token, Origin (--origin) and headers (-H)");
		return vb_hint(err, "check the address, and that the server speaks WebSocket there");
	}
	vb_fail(err, VB_CONNECT, "no WebSocket answer from %s within %.1fs", shown,
		o->connect_timeout_ms / 1000.0);
	return vb_hint(err, "check the address and port; --connect-timeout sets how long to try");
}
