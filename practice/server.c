/* server.c: libvncserver glue for the practice console. Owns the rfbScreen,
 * the framebuffer and the console drawn on it; routes each key event to the
 * transcript first (the witness) and to the console second (the picture).
 * Everything runs in one thread, in rfbProcessEvents(), so events are handled
 * one by one in the order they arrived on each connection. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rfb/rfb.h>

#include "console.h"
#include "draw.h"

/* How long one rfbProcessEvents() waits for input: bounds how late a stop
 * request is noticed. */
#define SERVER_POLL_USEC 50000

struct server {
	rfbScreenInfoPtr screen;
	struct draw_surface *fb;
	struct console *console;
	struct transcript *transcript;
	char *passwords[2]; /* list for rfbCheckPasswordByList; borrowed */
	int port;
	int clients;
	int buttons;         /* the pointer buttons held, last seen */
	bool failed;         /* a transcript write failed: stop serving */
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
		rfbMarkRectAsModified(s->screen, r[i].x, r[i].y, r[i].x + r[i].w,
				      r[i].y + r[i].h);
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
	rfbDefaultPtrAddEvent(mask, x, y, cl);
}

/* Called once the connection is accepted (and any WebSocket handshake
 * done), before the RFB handshake and authentication. */
static enum rfbNewClientAction server_on_client(rfbClientPtr cl)
{
	struct server *s = cl->screen->screenData;
	struct vb_error err;
	char note[300];

	snprintf(note, sizeof(note), "connect %s", cl->host ? cl->host : "?");
	if (transcript_note(s->transcript, note, &err) < 0) {
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
static int server_listen(const struct server_config *cfg, int *port,
			 struct vb_error *err)
{
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	char host[INET_ADDRSTRLEN];
	int one = 1;
	int fd;

	inet_ntop(AF_INET, &cfg->addr, host, sizeof(host));
	addr.sin_addr = cfg->addr;
	addr.sin_port = htons((uint16_t)cfg->port);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return vb_fail(err, VB_FAILED, "cannot create a socket: %s",
			       strerror(errno));
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(fd, 32) < 0 ||
	    getsockname(fd, (struct sockaddr *)&addr, &len) < 0) {
		vb_fail(err, VB_FAILED, "cannot listen on %s:%d: %s", host,
			cfg->port, strerror(errno));
		close(fd);
		return -1;
	}
	*port = ntohs(addr.sin_port);
	return fd;
}

struct server *server_new(const struct server_config *cfg,
			  struct transcript *t, struct vb_error *err)
{
	struct server *s = calloc(1, sizeof(*s));
	rfbScreenInfoPtr screen;
	int fd;

	if (!s) {
		vb_fail(err, VB_FAILED, "out of memory");
		return NULL;
	}
	s->transcript = t;
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
	s->fb = draw_surface_new(cfg->width, cfg->height,
				 screen->serverFormat.redShift,
				 screen->serverFormat.greenShift,
				 screen->serverFormat.blueShift);
	s->console = s->fb ? console_new(s->fb) : NULL;
	if (!s->console) {
		vb_fail(err, VB_FAILED, "cannot set up a %dx%d console",
			cfg->width, cfg->height);
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
	/* With port 0 rfbInitServer() opened nothing; hand it our socket as
	 * if it had. rfbShutdownServer() closes it. */
	screen->listenSock = fd;
	FD_SET(fd, &screen->allFds);
	if (fd > screen->maxFd)
		screen->maxFd = fd;
	screen->port = s->port;
	server_flush_drawing(s);
	return s;
}

int server_port(const struct server *s)
{
	return s->port;
}

int server_run(struct server *s, const volatile sig_atomic_t *stop,
	       struct vb_error *err)
{
	while (!*stop && !s->failed)
		rfbProcessEvents(s->screen, SERVER_POLL_USEC);
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
