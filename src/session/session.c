/* session.c: one console over libvncclient. Owns the rfbClient, the held-key
 * set and the waits; the transport owns the socket and tells why a link died.
 * Every libvncclient call for a session happens on the calling thread. */
#include "session/session.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include <rfb/rfbclient.h>

#include "keys/keys.h"
#include "session/liblog.h"
#include "transport/transport.h"
#include "util/clock.h"
#include "util/log.h"

#define HELD_MAX 64
#define FB_MAX_SIDE 16384
#define SNAPSHOT_TIMEOUT_MS 10000
#define PROBE_AFTER_MS 3000
#define FINAL_SYNC_MS 3000

struct session {
	rfbClient *client;
	struct transport *transport;
	struct session_options o;
	/* The caller's VNC password (o->password), only while session_open
	 * runs: nothing after the handshake needs it. */
	const char *password;
	uint8_t *fb; /* the framebuffer libvncclient draws into */
	struct screen_image mark; /* the screen before the last keys were sent */
	int asked_password;
	unsigned long frames;      /* FinishedFrameBufferUpdate calls so far */
	unsigned long full_frames; /* of those, updates that covered the screen */
	unsigned long long area;   /* pixels covered by the update in progress */
	uint32_t held[HELD_MAX];
	int nheld;
	int use_scancodes;  /* send QEMU Extended Key Events */
	int qemu;
	long key_delay_ms;  /* the pace in force */
	int unsynced;       /* key events sent since the last sync */
	int px, py, buttons; /* the pointer as last sent */
	long long last_probe_ms;
	char shown[320];
};

static const char session_tag[] = "vncbot-session";

/* The server's own words ("VNC connection failed: too many security
 * failures") outrank whatever libvncclient says after them ("write"). */
static char lib_reason[256];

static void note_lib_line(const char *line)
{
	if (strncmp(line, "VNC connection failed", 21) == 0 ||
	    strncmp(line, "VNC authentication failed", 25) == 0)
		snprintf(lib_reason, sizeof(lib_reason), "%s", line);
}

static struct session *of(rfbClient *client)
{
	return rfbClientGetClientData(client, (void *)session_tag);
}

static char *get_password(rfbClient *client)
{
	struct session *s = of(client);

	s->asked_password = 1;
	if (!s->password)
		return NULL;
	/* libvncclient frees what we return, so it is malloc'ed, and wipes it
	 * right after use; but VNC authentication cuts it at 8 characters
	 * (all it uses) and wipes only those: give it no more. SASL takes it
	 * whole (and keeps its own copy while the client lives). */
	if (client->authScheme == rfbSASL || client->subAuthScheme == rfbSASL ||
	    client->subAuthScheme == rfbVeNCryptTLSSASL ||
	    client->subAuthScheme == rfbVeNCryptX509SASL)
		return strdup(s->password);
	return strndup(s->password, 8);
}

static void got_rect(rfbClient *client, int x, int y, int w, int h)
{
	(void)x;
	(void)y;
	if (w > 0 && h > 0)
		of(client)->area += (unsigned long long)w * (unsigned long long)h;
}

/* An update that covers the whole screen answers our non-incremental
 * request: the server made it after every key we sent before asking, so it
 * shows the screen as it is now. (An incremental update answering an older
 * request may arrive first and must not pass for it.) */
static void finished_update(rfbClient *client)
{
	struct session *s = of(client);

	s->frames++;
	if (s->area >= (unsigned long long)client->width * (unsigned long long)client->height)
		s->full_frames++;
	s->area = 0;
}

/* A server may claim any size; refuse absurd ones instead of trying to
 * allocate gigabytes. */
static rfbBool malloc_fb(rfbClient *client)
{
	size_t bytes;

	if (client->width <= 0 || client->height <= 0 ||
	    client->width > FB_MAX_SIDE || client->height > FB_MAX_SIDE) {
		rfbClientErr("server framebuffer size %dx%d refused\n",
			     client->width, client->height);
		return FALSE;
	}
	bytes = (size_t)client->width * (size_t)client->height *
		(size_t)(client->format.bitsPerPixel / 8);
	/* The session owns the framebuffer: rfbClientCleanup does not free it. */
	free(of(client)->fb);
	of(client)->fb = calloc(1, bytes);
	client->frameBuffer = of(client)->fb;
	return client->frameBuffer ? TRUE : FALSE;
}

static int interrupted(const struct session *s)
{
	return s->o.interrupt && *s->o.interrupt;
}

/* Turn a failed libvncclient call into an error: the transport knows if
 * the link died; otherwise libvncclient's last line says what went wrong. */
static int link_error(struct session *s, struct vb_error *err, const char *doing)
{
	if (interrupted(s))
		return vb_fail(err, VB_FAILED, "interrupted");
	if (transport_check(s->transport, err) < 0) {
		char reason[sizeof(err->message)];

		snprintf(reason, sizeof(reason), "%s", err->message);
		vb_fail(err, VB_CONNECT, "%s while %s (%s)", reason, doing, s->shown);
		return vb_hint(err, "the console went away: check the machine, then run again");
	}
	return vb_fail(err, VB_CONNECT, "%s failed (%s): %s", doing, s->shown,
		       liblog_last()[0] ? liblog_last() : "protocol error");
}

/* A console may go silent without closing (a stalled proxy, a frozen
 * WebSocket). When nothing has come for PROBE_AFTER_MS, ask for one pixel,
 * which the server must answer; when nothing has come for the read timeout,
 * although asked, the console is gone. */
static int check_alive(struct session *s, struct vb_error *err)
{
	long idle = transport_idle_ms(s->transport);
	long long now = clock_now_ms();
	long probe_after = s->o.read_timeout_ms / 3 < PROBE_AFTER_MS ?
			   s->o.read_timeout_ms / 3 : PROBE_AFTER_MS;

	if (idle >= s->o.read_timeout_ms) {
		vb_fail(err, VB_CONNECT, "%s stopped answering: nothing received for %.1fs",
			s->shown, idle / 1000.0);
		return vb_hint(err, "the console or the network to it hangs; check the machine "
			       "(--read-timeout sets how long to wait)");
	}
	if (idle >= probe_after && now - s->last_probe_ms >= probe_after) {
		s->last_probe_ms = now;
		if (!SendFramebufferUpdateRequest(s->client, 0, 0, 1, 1, FALSE))
			return link_error(s, err, "asking for the screen");
	}
	return 0;
}

/* Service the link until deadline_ms (monotonic) or until stop(s) is true. */
static int pump_until(struct session *s, long long deadline,
		      int (*stop)(struct session *, void *), void *arg,
		      struct vb_error *err)
{
	rfbClient *c = s->client;

	for (;;) {
		long long left;
		int r;

		if (interrupted(s))
			return vb_fail(err, VB_FAILED, "interrupted");
		if (stop && stop(s, arg))
			return 0;
		if (check_alive(s, err) < 0)
			return -1;
		left = deadline - clock_now_ms();
		if (left <= 0 && !c->buffered)
			return stop ? 1 : 0;
		/* 0.9.14's WaitForMessage ignores bytes it already buffered. */
		r = c->buffered ? 1 : WaitForMessage(c, (unsigned)((left > 50 ? 50 : (left > 0 ? left : 0)) * 1000));
		if (r < 0 && errno != EINTR)
			return link_error(s, err, "waiting for the server");
		if (r > 0 && !HandleRFBServerMessage(c))
			return link_error(s, err, "reading from the server");
		if (r == 0 && transport_check(s->transport, NULL) < 0)
			return link_error(s, err, "waiting for the server");
	}
}

static int full_frame_past(struct session *s, void *arg)
{
	return s->full_frames > *(unsigned long *)arg;
}

/* QEMU names its desktop "QEMU" or "QEMU (guest name)", also behind the
 * cloud consoles' WebSocket proxies. It queues keys with its own delay and
 * drops them past a queue limit, so it sets the pace. Scancodes (QEMU's
 * Extended Key Event, which TigerVNC offers too) go by default only to QEMU:
 * there they bypass QEMU's keymap; on an X server keysyms are exact whatever
 * the layout, while scancodes would depend on it. */
static void choose_pace(struct session *s)
{
	const char *name = s->client->desktopName ? s->client->desktopName : "";
	int offers = SupportsClient2Server(s->client, rfbQemuEvent) ? 1 : 0;

	s->qemu = strncmp(name, "QEMU", 4) == 0;
	s->use_scancodes = offers && (s->o.scancodes == SCANCODES_ON ||
				      (s->o.scancodes == SCANCODES_AUTO && s->qemu));
	if (s->o.scancodes == SCANCODES_ON && !offers)
		log_msg(LOG_WARN, "--scancodes on: %s does not offer QEMU's Extended Key "
			"Event; sending keysyms", s->shown);
	s->key_delay_ms = s->o.key_delay_ms >= 0 ? s->o.key_delay_ms :
			  s->qemu ? SESSION_QEMU_KEY_DELAY_MS : 0;
	log_msg(LOG_VERBOSE, "%s%s; %ld ms after each key event%s",
		s->qemu ? "QEMU console" : "VNC console",
		s->use_scancodes ? ", keys sent as scancodes and keysyms" : "",
		s->key_delay_ms,
		s->o.sync_every && !s->qemu ? ", synchronised with the server" : "");
}

static rfbBool send_key(struct session *s, uint32_t keysym, int down)
{
	uint32_t code = s->use_scancodes ? keys_scancode(keysym) : 0;

	if (code)
		return SendExtendedKeyEvent(s->client, keysym, code, down ? TRUE : FALSE);
	return SendKeyEvent(s->client, keysym, down ? TRUE : FALSE);
}

int session_is_qemu(const struct session *s)
{
	return s->qemu;
}

struct session *session_open(const struct url_spec *spec,
			     const struct session_options *o,
			     struct vb_error *err)
{
	struct session *s = calloc(1, sizeof(*s));
	rfbClient *c;
	int fd;

	if (!s)
		abort();
	s->o = *o;
	s->password = o->password;
	s->o.password = NULL;
	url_describe(spec, s->shown, sizeof(s->shown));
	liblog_capture("libvncclient", note_lib_line);
	lib_reason[0] = '\0';

	s->transport = transport_open(spec, &o->transport, err);
	if (!s->transport)
		goto fail;
	log_msg(LOG_VERBOSE, "connected to %s, starting the VNC handshake", s->shown);

	c = rfbGetClient(8, 3, 4); /* 32 bits a pixel: bytes R, G, B, X */
	if (!c)
		abort();
	rfbClientSetClientData(c, (void *)session_tag, s);
	c->GetPassword = get_password;
	c->GotFrameBufferUpdate = got_rect;
	c->FinishedFrameBufferUpdate = finished_update;
	c->MallocFrameBuffer = malloc_fb;
	c->canHandleNewFBSize = TRUE;
	c->connectTimeout = (unsigned)((o->connect_timeout_ms + 999) / 1000);
	c->readTimeout = c->connectTimeout;
	if (o->stateless_encodings)
		c->appData.encodingsString = SESSION_STATELESS_ENCODINGS;
	free(c->serverHost); /* rfbGetClient's default, "" */
	c->serverHost = strdup(spec->host);
	c->serverPort = spec->port;
	fd = transport_take_client_fd(s->transport);
	c->sock = fd;
	c->listenSpecified = TRUE;
	/* On failure rfbInitClient frees the client and closes fd. */
	if (!rfbInitClient(c, NULL, NULL)) {
		if (interrupted(s)) {
			vb_fail(err, VB_FAILED, "interrupted");
		} else if (s->asked_password && !s->password) {
			vb_fail(err, VB_CONNECT, "%s asks for a VNC password", s->shown);
			vb_hint(err, "give it with --password-file PATH or --password-env NAME");
		} else if (strncmp(lib_reason, "VNC authentication failed", 25) == 0 ||
			   strstr(liblog_last(), "uthentication") || strstr(liblog_last(), "assword")) {
			const char *why = lib_reason[0] ? lib_reason : liblog_last();

			if (strncmp(why, "VNC connection failed: ", 23) == 0)
				why += 23;
			vb_fail(err, VB_CONNECT, "VNC authentication failed at %s: %s", s->shown, why);
			vb_hint(err, "check the password given with --password-file or --password-env");
		} else if (lib_reason[0]) {
			vb_fail(err, VB_CONNECT, "%s refused the connection: %s", s->shown,
				lib_reason + (strncmp(lib_reason, "VNC connection failed: ", 23) ? 0 : 23));
			vb_hint(err, "the server's reason is above; a server that blocks an address "
				"after failed logins lets it in again after a while");
		} else if (transport_check(s->transport, err) < 0) {
			char reason[sizeof(err->message)];

			snprintf(reason, sizeof(reason), "%s", err->message);
			vb_fail(err, VB_CONNECT, "VNC handshake with %s failed: %s%s%s",
				s->shown, reason, liblog_last()[0] ? ": " : "",
				liblog_last());
			vb_hint(err, "is this a VNC server? (a WebSocket console needs a ws:// or wss:// address)");
		} else {
			vb_fail(err, VB_CONNECT, "VNC handshake with %s failed: %s", s->shown,
				liblog_last()[0] ? liblog_last() : "no answer");
			vb_hint(err, "is this a VNC server, and does it answer within --connect-timeout?");
		}
		goto fail;
	}
	s->client = c;
	s->password = NULL;
	c->readTimeout = (unsigned)((o->read_timeout_ms + 999) / 1000);
	/* The first screen answers the request rfbInitClient sent; it also
	 * carries QEMU's acknowledgement of the Extended Key Event. */
	{
		unsigned long none = 0;
		int rc = pump_until(s, clock_now_ms() + o->connect_timeout_ms,
				    full_frame_past, &none, err);

		if (rc > 0)
			vb_fail(err, VB_CONNECT, "%s sent no screen within %.1fs of the handshake",
				s->shown, o->connect_timeout_ms / 1000.0);
		if (rc != 0) {
			session_close(s);
			return NULL;
		}
	}
	choose_pace(s);
	log_msg(LOG_INFO, "connected to %s: \"%s\", %dx%d", s->shown,
		c->desktopName ? c->desktopName : "", c->width, c->height);
	return s;
fail:
	transport_close(s->transport);
	free(s->fb);
	free(s);
	return NULL;
}

static void held_note(struct session *s, uint32_t keysym, int down)
{
	int i;

	for (i = 0; i < s->nheld; i++)
		if (s->held[i] == keysym)
			break;
	if (down && i == s->nheld && s->nheld < HELD_MAX)
		s->held[s->nheld++] = keysym;
	if (!down && i < s->nheld) {
		memmove(&s->held[i], &s->held[i + 1],
			(size_t)(s->nheld - i - 1) * sizeof(s->held[0]));
		s->nheld--;
	}
}

int session_key(struct session *s, uint32_t keysym, int down,
		struct vb_error *err)
{
	/* Note the key held before sending: if the send half-fails we still
	 * try to release it at exit. */
	if (down)
		held_note(s, keysym, 1);
	if (!send_key(s, keysym, down))
		return link_error(s, err, "sending a key");
	if (!down)
		held_note(s, keysym, 0);
	if (s->o.sync_every && ++s->unsynced >= s->o.sync_every && !s->qemu) {
		s->unsynced = 0;
		if (session_sync(s, err) < 0)
			return -1;
	}
	return pump_until(s, clock_now_ms() + s->key_delay_ms, NULL, NULL, err);
}

int session_pointer(struct session *s, int x, int y, int mask, struct vb_error *err)
{
	rfbClient *c = s->client;

	if (x < 0 || y < 0 || x >= c->width || y >= c->height)
		return vb_fail(err, VB_FAILED, "%d,%d is outside the %dx%d screen", x, y,
			       c->width, c->height);
	if (!SendPointerEvent(c, x, y, mask))
		return link_error(s, err, "moving the pointer");
	s->px = x;
	s->py = y;
	s->buttons = mask;
	return pump_until(s, clock_now_ms() + s->key_delay_ms, NULL, NULL, err);
}

static int frames_past(struct session *s, void *arg)
{
	return s->frames > *(unsigned long *)arg;
}

/* Ask for the whole screen and wait for an update that covers it: only the
 * answer to this request does (incremental updates to earlier ones cover
 * what changed), and the server makes it after handling everything sent
 * before. Dearer than session_sync: for the end of a run. */
static int sync_full(struct session *s, struct vb_error *err)
{
	unsigned long seen = s->full_frames;
	int rc;

	if (!SendFramebufferUpdateRequest(s->client, 0, 0, s->client->width,
					  s->client->height, FALSE))
		return link_error(s, err, "asking for the screen");
	rc = pump_until(s, clock_now_ms() + s->o.read_timeout_ms, full_frame_past, &seen, err);
	if (rc > 0)
		return vb_fail(err, VB_CONNECT, "%s sent no screen within %lds", s->shown,
			       s->o.read_timeout_ms / 1000);
	return rc;
}

/* Ask for one pixel of the screen and wait for an update: the server
 * answers after handling everything sent before, so typing never runs far
 * ahead of what the server has taken in, and a console that stopped
 * answering is found here. */
int session_sync(struct session *s, struct vb_error *err)
{
	unsigned long seen = s->frames;
	int rc;

	if (!SendFramebufferUpdateRequest(s->client, 0, 0, 1, 1, FALSE))
		return link_error(s, err, "asking for the screen");
	rc = pump_until(s, clock_now_ms() + s->o.read_timeout_ms, frames_past, &seen, err);
	if (rc > 0) {
		vb_fail(err, VB_CONNECT, "%s stopped answering: no reply within %lds",
			s->shown, s->o.read_timeout_ms / 1000);
		return vb_hint(err, "the console or the network to it hangs; check the machine");
	}
	return rc;
}

int session_pause(struct session *s, long ms, struct vb_error *err)
{
	return pump_until(s, clock_now_ms() + ms, NULL, NULL, err);
}

int session_snapshot(struct session *s, struct screen_image *img,
		     struct vb_error *err)
{
	rfbClient *c = s->client;
	unsigned long seen = s->full_frames;
	int rc;

	if (!SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, FALSE))
		return link_error(s, err, "asking for the screen");
	rc = pump_until(s, clock_now_ms() + SNAPSHOT_TIMEOUT_MS, full_frame_past,
			&seen, err);
	if (rc < 0)
		return -1;
	if (rc > 0)
		return vb_fail(err, VB_CONNECT,
			       "the server sent no screen update within %ds (%s)",
			       SNAPSHOT_TIMEOUT_MS / 1000, s->shown);
	img->width = c->width;
	img->height = c->height;
	img->stride = (size_t)c->width * 4;
	img->pixels = c->frameBuffer;
	return 0;
}

int session_capture(struct session *s, const char *path,
		    const struct screen_region *region, struct vb_error *err)
{
	struct screen_image img;

	if (session_snapshot(s, &img, err) < 0)
		return -1;
	if (region && (region->w || region->h || region->x || region->y)) {
		struct screen_region r = screen_clip(&img, *region);

		if (r.w == 0 || r.h == 0)
			return vb_fail(err, VB_FAILED, "region %d,%d,%d,%d is outside the %dx%d screen",
				       region->x, region->y, region->w, region->h, img.width,
				       img.height);
		img.pixels += (size_t)r.y * img.stride + (size_t)r.x * 4;
		img.width = r.w;
		img.height = r.h;
	}
	if (screen_write_png(path, &img, err) < 0)
		return -1;
	log_msg(LOG_VERBOSE, "captured %dx%d to %s", img.width, img.height, path);
	return 0;
}

void session_mark(struct session *s)
{
	rfbClient *c = s->client;
	size_t bytes = (size_t)c->width * (size_t)c->height * 4;

	/* Take in what has already arrived, without waiting for more. */
	while (c->buffered || WaitForMessage(c, 0) > 0)
		if (!HandleRFBServerMessage(c))
			return; /* the next wait reports the link */
	if (s->mark.width != c->width || s->mark.height != c->height) {
		free(s->mark.pixels);
		s->mark.pixels = malloc(bytes);
		if (!s->mark.pixels) {
			memset(&s->mark, 0, sizeof(s->mark));
			return;
		}
		s->mark.width = c->width;
		s->mark.height = c->height;
		s->mark.stride = (size_t)c->width * 4;
	}
	memcpy(s->mark.pixels, c->frameBuffer, bytes);
}

/* How often a wait looks at a screen that sends no updates (a still screen
 * sends none, and "settled" is about time passing). */
#define SCREEN_TICK_MS 100

int session_wait_screen(struct session *s, const struct screen_cond *cond,
			long timeout_ms, int *met, struct screen_watch *w,
			struct vb_error *err)
{
	struct screen_watch local = { 0 };
	struct screen_image img;
	long long deadline = clock_now_ms() + timeout_ms, next_tick = 0;
	unsigned long seen;
	int rc;

	if (!w)
		w = &local;
	memset(w, 0, sizeof(*w));
	*met = 0;
	if (session_snapshot(s, &img, err) < 0)
		return -1;
	/* "changed" means since the last keys were sent, when there were any. */
	if (cond->kind == COND_CHANGED && s->mark.pixels && s->mark.width == img.width &&
	    s->mark.height == img.height) {
		struct screen_region r = screen_clip(&s->mark, cond->region);

		w->started = 1;
		w->first_hash = w->last_hash = screen_hash(&s->mark, r.x, r.y, r.w, r.h);
		w->last_change_ms = clock_now_ms();
	}
	for (;;) {
		long long now = clock_now_ms();

		if (screen_cond_check(cond, w, &img, now)) {
			*met = 1;
			return 0;
		}
		if (now >= deadline)
			return 0;
		next_tick = now + SCREEN_TICK_MS;
		seen = s->frames;
		/* Until a new frame or the next tick, whichever comes first. */
		rc = pump_until(s, next_tick < deadline ? next_tick : deadline, frames_past,
				&seen, err);
		if (rc < 0)
			return -1;
		img.pixels = s->client->frameBuffer; /* a resize moves it */
		img.width = s->client->width;
		img.height = s->client->height;
		img.stride = (size_t)img.width * 4;
	}
}

int session_held_count(const struct session *s)
{
	return s->nheld;
}

int session_release_all(struct session *s)
{
	int failed = 0;

	while (s->nheld > 0) {
		uint32_t k = s->held[--s->nheld];

		if (!send_key(s, k, 0))
			failed++;
	}
	if (s->buttons) {
		if (!SendPointerEvent(s->client, s->px, s->py, 0))
			failed++;
		s->buttons = 0;
	}
	return failed;
}

void session_close(struct session *s)
{
	if (!s)
		return;
	if (s->client) {
		int held = s->nheld, failed = session_release_all(s);
		struct vb_error ignored;

		if (held)
			log_msg(failed ? LOG_WARN : LOG_VERBOSE,
				"released %d held key%s%s", held, held == 1 ? "" : "s",
				failed ? " (the link was gone; some could not be sent)" : "");
		/* One round trip, so the server has handled every key before we
		 * hang up. Bounded: a dead link only costs the read timeout's
		 * share, and an interrupt is already set when we get here. */
		if (!failed && transport_check(s->transport, NULL) == 0) {
			long saved = s->o.read_timeout_ms;
			const volatile sig_atomic_t *intr = s->o.interrupt;

			s->o.read_timeout_ms = saved < FINAL_SYNC_MS ? saved : FINAL_SYNC_MS;
			s->o.interrupt = NULL;
			if (sync_full(s, &ignored) < 0)
				log_msg(LOG_VERBOSE, "final check with the server: %s", ignored.message);
			s->o.read_timeout_ms = saved;
			s->o.interrupt = intr;
		}
		/* Closes libvncclient's end; the bridge then forwards what is left. */
		rfbClientCleanup(s->client);
	}
	transport_close(s->transport);
	free(s->fb);
	free(s->mark.pixels);
	free(s);
}

/* How far libvncclient has read the server's stream. Outside
 * HandleRFBServerMessage, which is wherever the session's own code runs,
 * that is the end of a message. */
static uint64_t stream_read(struct session *s)
{
	uint64_t at = transport_rx_read(s->transport, s->client->sock);
	uint64_t held = s->client->buffered > 0 ? (uint64_t)s->client->buffered : 0;

	return at > held ? at - held : 0;
}

void session_blank_begin(struct session *s)
{
	transport_capture_blank_begin(s->transport, stream_read(s), s->client->width,
				      s->client->height);
}

int session_blank_end(struct session *s, struct vb_error *err)
{
	rfbClient *c = s->client;

	/* A whole screen the server made after every key sent: whatever of
	 * the typing it still had to send is in it, so none comes after the
	 * span. */
	if (sync_full(s, err) < 0)
		return -1;
	transport_capture_blank_end(s->transport, stream_read(s), c->width, c->height);
	/* And a whole screen after the span, so the capture shows it again. */
	if (!SendFramebufferUpdateRequest(c, 0, 0, c->width, c->height, FALSE))
		return link_error(s, err, "asking for the screen");
	return 0;
}
