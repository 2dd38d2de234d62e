/* server.c: libvncserver glue for the practice console: owns the rfbScreen,
 * the framebuffer and the console on it; each key event goes to the
 * transcript first (the witness), then to the console (the picture). Plays
 * the restart (drop, refuse while booting, listen again; or, as a
 * hypervisor's console, keep the clients through a black screen) and
 * one-shot tokens. One thread, around rfbProcessEvents(), events in arrival order. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rfb/rfb.h>

#include "console.h"
#include "draw.h"
#include "util/clock.h"
#include "util/files.h"

/* How long one rfbProcessEvents() waits for input: bounds how late a stop
 * request is noticed. */
#define SERVER_POLL_USEC 50000

/* A token: 16 random bytes in hex. */
#define SERVER_TOKEN_BYTES 16

struct server {
	rfbScreenInfoPtr screen;
	struct server_config cfg;
	long long boot_end;			/* monotonic ms; 0: not booting */
	char token[2 * SERVER_TOKEN_BYTES + 1]; /* the one that works now */
	struct draw_surface *fb;
	struct console *console;
	struct transcript *transcript;
	char *passwords[2]; /* list for rfbCheckPasswordByList; borrowed */
	int port;
	int clients;
	int buttons;	     /* the pointer buttons held, last seen */
	bool failed;	     /* a transcript write failed: stop serving */
	struct vb_error err; /* why, when failed */
};

static void server_log_stderr(const char *fmt, ...)
{
	va_list ap;

	fputs("vncbot-practice: libvncserver: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

static void server_log_none(const char *fmt, ...)
{
	(void)fmt;
}

void server_log_setup(bool quiet)
{
	rfbLog = quiet ? server_log_none : server_log_stderr;
	rfbErr = quiet ? server_log_none : server_log_stderr;
}

/* Tell clients about whatever the console drew since last time. */
static void server_flush_drawing(struct server *s)
{
	struct draw_rect r[DRAW_DIRTY_MAX];
	int n = draw_take_dirty(s->fb, r);

	for (int i = 0; i < n; i++)
		rfbMarkRectAsModified(s->screen, r[i].x, r[i].y, r[i].x + r[i].w, r[i].y + r[i].h);
}

/* Record a failure to write the transcript; the loop stops on it. Only the
 * first is kept: it is the one that opened the gap. */
static void server_fail(struct server *s, const struct vb_error *err)
{
	if (!s->failed)
		s->err = *err;
	s->failed = true;
}

static void server_on_key(rfbBool down, rfbKeySym keysym, rfbClientPtr cl)
{
	struct server *s = cl->screen->screenData;
	struct vb_error err;

	if (s->failed)
		return;
	if (transcript_key(s->transcript, down, keysym, &err) < 0) {
		server_fail(s, &err);
		return;
	}
	console_key(s->console, down, keysym);
	server_flush_drawing(s);
	if (console_error(s->console))
		server_fail(s, console_error(s->console));
}

/* Issue a fresh one-shot token and write it to the token file, through a
 * temporary renamed into place. */
static int server_new_token(struct server *s, struct vb_error *err)
{
	unsigned char raw[SERVER_TOKEN_BYTES];
	struct files_out out;
	size_t got = 0;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return vb_fail(err, VB_FAILED, "cannot make a token: %s", strerror(errno));
		got += (size_t)n;
	}
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(s->token + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof(raw));
	if (!s->cfg.token_file)
		return 0;
	if (files_out_begin(&out, s->cfg.token_file, "token file", err) < 0)
		return -1;
	fprintf(out.f, "%s\n", s->token);
	return files_out_commit(&out, err);
}

/* The value of token= in the query of a WebSocket request path, copied to
 * buf; false if there is none. */
static bool server_path_token(const char *path, char *buf, size_t size)
{
	const char *q = path ? strchr(path, '?') : NULL;

	while (q) {
		const char *end;

		q++;
		end = strchr(q, '&');
		if (strncmp(q, "token=", 6) == 0) {
			size_t n = (end ? (size_t)(end - q) : strlen(q)) - 6;

			if (n >= size)
				return false;
			memcpy(buf, q + 6, n);
			buf[n] = '\0';
			return true;
		}
		q = end;
	}
	return false;
}

/* With one-shot tokens: does this client bring the token that works now?
 * If so it is used up and the next one issued. why says what was wrong. */
static bool server_token_ok(struct server *s, rfbClientPtr cl, const char **why)
{
	char token[sizeof(s->token)];
	struct vb_error err;

	if (!cl->wspath) {
		*why = "refused: not a WebSocket connection (one-shot tokens)";
		return false;
	}
	if (!server_path_token(cl->wspath, token, sizeof(token))) {
		*why = "refused: no token in the WebSocket path";
		return false;
	}
	if (strcmp(token, s->token) != 0) {
		*why = "refused: the token is not one issued, or already used";
		return false;
	}
	if (server_new_token(s, &err) < 0)
		server_fail(s, &err);
	return true;
}

static void server_on_gone(rfbClientPtr cl)
{
	struct server *s = cl->screen->screenData;
	struct vb_error err;

	if (transcript_note(s->transcript, "disconnect", &err) < 0)
		server_fail(s, &err);
	s->clients--;
	console_set_clients(s->console, s->clients);
	server_flush_drawing(s);
}

/* Pointer events: button presses and releases go to the transcript as
 * "# pointer X,Y buttons MASK" lines (moves alone are not written: they
 * would flood it). They are `#` lines, so key-only readers skip them. */
static void server_on_pointer(int mask, int x, int y, rfbClientPtr cl)
{
	struct server *s = cl->screen->screenData;
	struct vb_error err;
	char note[80];

	if (mask != s->buttons) {
		s->buttons = mask;
		snprintf(note, sizeof(note), "pointer %d,%d buttons %d", x, y, mask);
		if (transcript_note(s->transcript, note, &err) < 0)
			server_fail(s, &err);
	}
	console_pointer(s->console, x, y, mask);
	server_flush_drawing(s);
	rfbDefaultPtrAddEvent(mask, x, y, cl);
}

/* Called once the connection is accepted (and any WebSocket handshake
 * done), before the RFB handshake and authentication. */
static enum rfbNewClientAction server_on_client(rfbClientPtr cl)
{
	struct server *s = cl->screen->screenData;
	struct vb_error err;
	char note[300];

	const char *why;

	snprintf(note, sizeof(note), "connect %s", cl->host ? cl->host : "?");
	if (transcript_note(s->transcript, note, &err) < 0) {
		server_fail(s, &err);
		return RFB_CLIENT_REFUSE;
	}
	if (s->cfg.one_shot_tokens && !server_token_ok(s, cl, &why)) {
		if (transcript_note(s->transcript, why, &err) < 0 ||
		    transcript_note(s->transcript, "disconnect", &err) < 0)
			server_fail(s, &err);
		return RFB_CLIENT_REFUSE;
	}
	cl->clientGoneHook = server_on_gone;
	s->clients++;
	console_set_clients(s->console, s->clients);
	server_flush_drawing(s);
	return RFB_CLIENT_ACCEPT;
}

/*
 * Bind and listen ourselves rather than let libvncserver do it: we learn the
 * port the kernel chose for port 0 without a window in which another process
 * could take it between our probe and libvncserver's bind, and a failure
 * comes back with its errno for the message.
 */
static int server_listen(const struct server_config *cfg, int *port, struct vb_error *err)
{
	struct sockaddr_in addr = {.sin_family = AF_INET};
	socklen_t len = sizeof(addr);
	char host[INET_ADDRSTRLEN];
	int one = 1;
	int fd;

	inet_ntop(AF_INET, &cfg->addr, host, sizeof(host));
	addr.sin_addr = cfg->addr;
	addr.sin_port = htons((uint16_t)cfg->port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vb_fail(err, VB_FAILED, "cannot create a socket: %s", strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, 32) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		vb_fail(err, VB_FAILED, "cannot listen on %s:%d: %s", host, cfg->port,
			strerror(errno));
		close(fd);
		return -1;
	}
	*port = ntohs(addr.sin_port);
	return fd;
}

/* With port 0 rfbInitServer() opened nothing; hand it our socket as if it
 * had. rfbShutdownServer() closes it. */
static void server_adopt_listener(struct server *s, int fd)
{
	s->screen->listenSock = fd;
	FD_SET(fd, &s->screen->allFds);
	if (fd > s->screen->maxFd)
		s->screen->maxFd = fd;
}

struct server *server_new(const struct server_config *cfg, struct transcript *t,
			  struct vb_error *err)
{
	struct server *s = calloc(1, sizeof(*s));
	rfbScreenInfoPtr screen;
	int fd;

	if (!s) {
		vb_fail(err, VB_FAILED, "out of memory");
		return NULL;
	}
	s->transcript = t;
	s->cfg = *cfg;
	if (cfg->one_shot_tokens && server_new_token(s, err) < 0) {
		free(s);
		return NULL;
	}
	fd = server_listen(cfg, &s->port, err);
	if (fd < 0) {
		free(s);
		return NULL;
	}
	/* No argc: libvncserver must not take options from our command line. */
	screen = rfbGetScreen(NULL, NULL, cfg->width, cfg->height, 8, 3, 4);
	if (!screen) {
		vb_fail(err, VB_FAILED, "cannot create the VNC screen");
		close(fd);
		free(s);
		return NULL;
	}
	s->screen = screen;
	s->fb = draw_surface_new(cfg->width, cfg->height, screen->serverFormat.redShift,
				 screen->serverFormat.greenShift, screen->serverFormat.blueShift);
	s->console = s->fb ? console_new(s->fb, cfg->console) : NULL;
	if (!s->console) {
		vb_fail(err, VB_FAILED, "cannot set up a %dx%d console", cfg->width, cfg->height);
		close(fd);
		server_free(s, NULL);
		return NULL;
	}
	screen->frameBuffer = (char *)s->fb->pixels;
	screen->desktopName = "vncbot practice console";
	screen->screenData = s;
	screen->kbdAddEvent = server_on_key;
	screen->ptrAddEvent = server_on_pointer;
	screen->newClientHook = server_on_client;
	/* Several viewers at once: vncbot and a human watching the demo. */
	screen->alwaysShared = TRUE;
	/* No cursor drawn into what clients see: the picture is exactly what
	 * the console drew, so screenshots compare equal. */
	screen->cursor = NULL;
	/* Only our socket: no IPv6 listener, no HTTP server (httpDir stays
	 * NULL), no UDP. WebSocket clients are still served on our port:
	 * libvncserver tells them apart by their first bytes. */
	screen->port = 0;
	screen->ipv6port = 0;
	screen->autoPort = FALSE;
	screen->listenInterface = cfg->addr.s_addr;
	screen->httpDir = NULL;
	screen->httpPort = 0;
	screen->http6Port = 0;
	if (cfg->password) {
		s->passwords[0] = (char *)cfg->password;
		s->passwords[1] = NULL;
		screen->authPasswdData = s->passwords;
		screen->passwordCheck = rfbCheckPasswordByList;
	}
	rfbInitServer(screen);
	if (screen->socketState != RFB_SOCKET_READY) {
		vb_fail(err, VB_FAILED, "libvncserver did not initialise");
		close(fd);
		server_free(s, NULL);
		return NULL;
	}
	server_adopt_listener(s, fd);
	screen->port = s->port;
	server_flush_drawing(s);
	return s;
}

int server_port(const struct server *s)
{
	return s->port;
}

/* The restart is due: every client dropped (each noted as it goes), and
 * the listening socket closed, so a connection is refused (ECONNREFUSED)
 * rather than left waiting, as with a machine that is down. Or, with
 * SERVER_RESTART_STAYS, as a hypervisor's console: the guest restarts
 * inside it, so clients and socket stay and see the console restart. */
static void server_restart(struct server *s)
{
	rfbClientIteratorPtr it;
	rfbClientPtr cl;
	struct vb_error err;
	char note[96];

	s->boot_end = clock_now_ms() + (long long)s->cfg.boot_seconds * 1000;
	if (s->boot_end == 0)
		s->boot_end = 1;
	if (s->cfg.restart == SERVER_RESTART_STAYS) {
		snprintf(note, sizeof(note),
			 "restart: clients stay connected, the screen restarts and is black "
			 "for %d s",
			 s->cfg.boot_seconds);
		if (transcript_note(s->transcript, note, &err) < 0)
			server_fail(s, &err);
		console_restarting(s->console);
		server_flush_drawing(s);
		return;
	}
	snprintf(note, sizeof(note), "restart: clients dropped, connections refused for %d s",
		 s->cfg.boot_seconds);
	if (transcript_note(s->transcript, note, &err) < 0)
		server_fail(s, &err);
	it = rfbGetClientIterator(s->screen);
	while ((cl = rfbClientIteratorNext(it)))
		rfbCloseClient(cl);
	rfbReleaseClientIterator(it);
	if (s->screen->listenSock >= 0) {
		FD_CLR(s->screen->listenSock, &s->screen->allFds);
		close(s->screen->listenSock);
		s->screen->listenSock = -1;
	}
}

/* Booted: listen on the same port again (unless the clients stayed) and
 * show the lock screen. */
static int server_booted(struct server *s, struct vb_error *err)
{
	struct server_config cfg = s->cfg;
	int port, fd;

	if (s->cfg.restart == SERVER_RESTART_STAYS) {
		s->boot_end = 0;
		console_restarted(s->console);
		server_flush_drawing(s);
		return transcript_note(s->transcript, "restart: booted, the lock screen shows",
				       err);
	}
	cfg.port = s->port;
	fd = server_listen(&cfg, &port, err);
	if (fd < 0)
		return -1;
	server_adopt_listener(s, fd);
	s->boot_end = 0;
	console_restarted(s->console);
	server_flush_drawing(s);
	if (transcript_note(s->transcript, "restart: accepting connections", err) < 0)
		return -1;
	return 0;
}

int server_run(struct server *s, const volatile sig_atomic_t *stop, struct vb_error *err)
{
	while (!*stop && !s->failed) {
		long long now;

		rfbProcessEvents(s->screen, SERVER_POLL_USEC);
		now = clock_now_ms();
		if (s->boot_end && now >= s->boot_end) {
			struct vb_error e;

			if (server_booted(s, &e) < 0)
				server_fail(s, &e);
			continue;
		}
		/* Dropped clients: nobody sees the console until it is back. */
		if (s->boot_end && s->cfg.restart == SERVER_RESTART_DROPS)
			continue;
		if (console_tick(s->console, now))
			server_restart(s);
		server_flush_drawing(s);
	}
	if (s->failed) {
		if (err)
			*err = s->err;
		return -1;
	}
	return 0;
}

int server_free(struct server *s, struct vb_error *err)
{
	int rc = 0;

	if (!s)
		return 0;
	if (s->screen) {
		/* Runs server_on_gone() for each client still connected. */
		rfbShutdownServer(s->screen, TRUE);
		rfbScreenCleanup(s->screen);
	}
	if (s->failed) {
		if (err)
			*err = s->err;
		rc = -1;
	}
	console_free(s->console);
	draw_surface_free(s->fb);
	free(s);
	return rc;
}
