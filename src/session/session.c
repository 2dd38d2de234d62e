/* session.c: one console over libvncclient. Owns the rfbClient, the held-key
 * set and the waits; the transport owns the socket and tells why a link died.
 * Every libvncclient call for a session happens on the calling thread. */
#include "session/session.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>

#include <rfb/rfbclient.h>

#include "keys/keys.h"
#include "session/fbguard.h"
#include "session/liblog.h"
#include "transport/transport.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#define HELD_MAX 64
#define SNAPSHOT_TIMEOUT_MS 10000
#define PROBE_AFTER_MS 3000
#define FINAL_SYNC_MS 3000
#define FINAL_SYNC_INTERRUPTED_MS 500
/* A message that has begun to arrive when a wait's time is up gets this
 * long to end; then vncbot stops reading it (the guard, transport.h). */
#define DEADLINE_GRACE_MS 800
/* Closing a link already known to be bad: at most this long. */
#define BAD_CLOSE_MS 300
/* Arm the guard around a send when this many bytes already wait to go out
 * (the server is not taking them): only then can the send block. */
#define SEND_BACKLOG_GUARD (64 * 1024)
/* The rectangles of the updates that arrived since a wait last looked: up
 * to this many, beyond that the last one grows to cover the rest. */
#define DAMAGE_MAX 32

struct session {
	rfbClient *client;
	struct transport *transport;
	struct session_options o;
	/* The caller's VNC password (o->password), only while session_open
	 * runs: nothing after the handshake needs it. */
	const char *password;
	struct fbguard guard; /* the framebuffer, and what the server may not send */
	struct screen_image mark; /* the screen before the last keys were sent */
	int asked_password;
	unsigned long frames;      /* FinishedFrameBufferUpdate calls so far */
	unsigned long full_frames; /* of those, updates that covered the screen */
	unsigned long long area;   /* pixels covered by the update in progress */
	/* What arrived since the current wait last looked (got_rect). */
	struct screen_region damage[DAMAGE_MAX];
	int ndamage;
	unsigned long long damage_px; /* pixels received, for -v */
	uint32_t held[HELD_MAX];
	int nheld;
	int use_scancodes;  /* send QEMU Extended Key Events */
	int qemu;
	long key_delay_ms;  /* the pace in force */
	int synced;         /* sync with the server every sync_every key events */
	int unsynced;       /* key events sent since the last sync */
	int px, py, buttons; /* the pointer as last sent */
	long long last_probe_ms;
	/* The time by which the current operation must end whatever the
	 * server does (a wait's timeout plus grace, the connect timeout, the
	 * final sync); 0: none but the read timeout. */
	long long hard_deadline;
	/* The server's stream can no longer be read (a message was cut short,
	 * a protocol error, a screen size refused): nothing more is decoded,
	 * keys can still be sent. The first reason is kept for every later
	 * call. */
	int broken;
	struct vb_error broken_err;
	int silent; /* broken because the console stopped answering */
	/* libvncclient's lines on this session's thread (liblog.h), and the
	 * server's own reason for refusing us among them. */
	struct liblog lib;
	struct liblog *lib_before;
	char lib_reason[256];
	char shown[320];
};

static const char session_tag[] = "vncbot-session";

/* The server's own words ("VNC connection failed: too many security
 * failures") outrank whatever libvncclient says after them ("write"). */
static void note_lib_line(struct liblog *l, const char *line)
{
	struct session *s = l->ctx;

	if (strncmp(line, "VNC connection failed", 21) == 0 ||
	    strncmp(line, "VNC authentication failed", 25) == 0)
		snprintf(s->lib_reason, sizeof(s->lib_reason), "%s", line);
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
	struct session *s = of(client);
	struct screen_region r = { x, y, w, h };

	if (w <= 0 || h <= 0) {
		/* UltraZip announces its subrectangles in one rectangle of no
		 * height and never reports them: anything may have changed. */
		r.x = r.y = 0;
		r.w = client->width;
		r.h = client->height;
	} else {
		s->area += (unsigned long long)w * (unsigned long long)h;
	}
	s->damage_px += (unsigned long long)r.w * (unsigned long long)r.h;
	if (s->ndamage < DAMAGE_MAX) {
		s->damage[s->ndamage++] = r;
	} else {
		/* Too many pieces: the last one grows to cover this one too. */
		struct screen_region *u = &s->damage[DAMAGE_MAX - 1];
		long long x1 = (long long)u->x + u->w, y1 = (long long)u->y + u->h;

		if ((long long)r.x + r.w > x1)
			x1 = (long long)r.x + r.w;
		if ((long long)r.y + r.h > y1)
			y1 = (long long)r.y + r.h;
		u->x = r.x < u->x ? r.x : u->x;
		u->y = r.y < u->y ? r.y : u->y;
		u->w = (int)(x1 - u->x);
		u->h = (int)(y1 - u->y);
	}
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

static int interrupted(const struct session *s)
{
	return s->o.interrupt && *s->o.interrupt;
}

/* Turn a failed libvncclient call into an error: the guard's cut, a
 * refused screen size, the transport's reason for a dead link, or else
 * libvncclient's last line. */
static int link_error(struct session *s, struct vb_error *err, const char *doing)
{
	enum transport_cut cut = transport_cut(s->transport);
	char refusal[200];

	if (interrupted(s) || cut == CUT_INTERRUPT)
		return vb_fail(err, VB_FAILED, "interrupted");
	if (fbguard_refusal(&s->guard, refusal, sizeof(refusal))) {
		vb_fail(err, VB_CONNECT, "%s %s", s->shown, refusal);
		return vb_hint(err, "the console is broken or hostile; check the machine");
	}
	if (cut == CUT_DEADLINE) {
		vb_fail(err, VB_CONNECT, "%s sent a message too slowly: it had not "
			"arrived whole by the deadline, so vncbot stopped reading", s->shown);
		return vb_hint(err, "the console or the network to it is very slow or "
			       "misbehaving; check it, or give the wait more time");
	}
	if (transport_check(s->transport, err) < 0) {
		char reason[sizeof(err->message)];

		snprintf(reason, sizeof(reason), "%s", err->message);
		vb_fail(err, VB_CONNECT, "%s while %s (%s)", reason, doing, s->shown);
		return vb_hint(err, "the console went away: check the machine, then run again");
	}
	return vb_fail(err, VB_CONNECT, "%s failed (%s): %s", doing, s->shown,
		       s->lib.last[0] ? s->lib.last : "protocol error");
}

/* The stream cannot be read any more; remember why for every later call. */
static int mark_broken(struct session *s, struct vb_error *err, const char *doing)
{
	link_error(s, err, doing);
	if (!s->broken) {
		s->broken = 1;
		s->broken_err = *err;
	}
	return -1;
}

/* The time a blocking call started now must end by: the operation's hard
 * deadline, and never more than the read timeout away. */
static long long call_deadline(const struct session *s)
{
	long long limit = clock_now_ms() + s->o.read_timeout_ms;

	return s->hard_deadline && s->hard_deadline < limit ? s->hard_deadline : limit;
}

/* Take in one server message that has begun to arrive. libvncclient reads
 * until it has it whole, under the guard. */
static int take_message(struct session *s, struct vb_error *err)
{
	rfbBool ok;

	transport_guard(s->transport, call_deadline(s));
	ok = HandleRFBServerMessage(s->client);
	transport_guard(s->transport, 0);
	if (!ok || s->guard.bad[0] || transport_cut(s->transport) != CUT_NONE)
		return mark_broken(s, err, "reading from the server");
	return 0;
}

/* Sends can block only when the server has stopped taking bytes: guard
 * them then. */
static void send_guard(struct session *s, int on)
{
	if (!on)
		transport_guard(s->transport, 0);
	else if (transport_backlog(s->transport) >= SEND_BACKLOG_GUARD)
		transport_guard(s->transport, call_deadline(s));
}

static rfbBool send_key(struct session *s, uint32_t keysym, int down)
{
	uint32_t code = s->use_scancodes ? keys_scancode(keysym) : 0;
	rfbBool ok;

	send_guard(s, 1);
	if (code)
		ok = SendExtendedKeyEvent(s->client, keysym, code, down ? TRUE : FALSE);
	else
		ok = SendKeyEvent(s->client, keysym, down ? TRUE : FALSE);
	send_guard(s, 0);
	return ok;
}

static rfbBool send_pointer(struct session *s, int x, int y, int mask)
{
	rfbBool ok;

	send_guard(s, 1);
	ok = SendPointerEvent(s->client, x, y, mask);
	send_guard(s, 0);
	return ok;
}

/* Ask for a region of the screen (the whole of it in full, not only what
 * changed, unless incremental). */
static rfbBool request_screen(struct session *s, int x, int y, int w, int h)
{
	rfbBool ok;

	send_guard(s, 1);
	ok = SendFramebufferUpdateRequest(s->client, x, y, w, h, FALSE);
	send_guard(s, 0);
	return ok;
}

/* A console may go silent without closing (a stalled proxy, a frozen
 * WebSocket). Silence alone proves nothing: RFB servers send only what is
 * asked for. So when nothing has come for probe_after while we read, ask
 * for one pixel, which the server must answer; when that question has had
 * no byte in answer for the rest of the read timeout, the console is gone. */
static int check_alive(struct session *s, struct vb_error *err)
{
	long idle = transport_idle_ms(s->transport);
	long long now = clock_now_ms(), last_rx = now - idle;
	long probe_after = s->o.read_timeout_ms / 3 < PROBE_AFTER_MS ?
			   s->o.read_timeout_ms / 3 : PROBE_AFTER_MS;
	int asked = s->last_probe_ms > last_rx; /* a probe with no byte since */

	if (asked && now - s->last_probe_ms >= s->o.read_timeout_ms - probe_after) {
		vb_fail(err, VB_CONNECT, "%s stopped answering: nothing received for %.1fs",
			s->shown, idle / 1000.0);
		vb_hint(err, "the console or the network to it hangs; check the machine "
			"(--read-timeout sets how long to wait)");
		s->broken = 1;
		s->broken_err = *err;
		s->silent = 1;
		return -1;
	}
	if (!asked && idle >= probe_after) {
		s->last_probe_ms = now;
		if (!request_screen(s, 0, 0, 1, 1))
			return link_error(s, err, "asking for the screen");
	}
	return 0;
}

/* Let ms pass between input events (the pace) without reading the
 * server: RFB sends only what was asked for, so what arrives meanwhile is
 * bounded and waits for the next read, which a wait's deadline or the read
 * timeout bounds. (Reading here would let a console that trickles a message
 * hold the run for as long as it likes, past the deadline of the wait that
 * follows.) An interrupt or a dead link is seen within 50 ms. */
static int pace_for(struct session *s, long ms, struct vb_error *err)
{
	long long deadline = clock_now_ms() + ms;

	for (;;) {
		long long left = deadline - clock_now_ms();
		struct timespec ts;

		if (interrupted(s))
			return vb_fail(err, VB_FAILED, "interrupted");
		if (transport_check(s->transport, NULL) < 0)
			return mark_broken(s, err, "sending keys");
		if (left <= 0)
			return 0;
		if (left > 50)
			left = 50;
		ts.tv_sec = 0;
		ts.tv_nsec = (long)left * 1000000;
		nanosleep(&ts, NULL); /* a signal ends it early */
	}
}

/* Service the link until deadline (monotonic ms; the operation's hard
 * deadline caps it) or until stop(s) is true. Returns 0 (stopped, or the
 * time passed when there is no stop condition), 1 (the time passed before
 * stop held) or -1 with err. Every blocking read is bounded (take_message),
 * and an interrupt is seen within 50 ms between messages. */
static int pump_until(struct session *s, long long deadline,
		      int (*stop)(struct session *, void *), void *arg,
		      struct vb_error *err)
{
	rfbClient *c = s->client;

	if (s->hard_deadline && s->hard_deadline < deadline)
		deadline = s->hard_deadline;
	for (;;) {
		long long left;
		int r;

		if (s->broken) {
			*err = s->broken_err;
			return -1;
		}
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
			return mark_broken(s, err, "waiting for the server");
		if (r > 0 && take_message(s, err) < 0)
			return -1;
		if (r == 0 && transport_check(s->transport, NULL) < 0)
			return mark_broken(s, err, "waiting for the server");
	}
}

static int full_frame_past(struct session *s, void *arg)
{
	return s->full_frames > *(unsigned long *)arg;
}

/* Servers known to take key events as they come: they answer a screen
 * request only after handling every key sent before it, so typing
 * synchronised with screen requests never runs ahead of them. Recognised by
 * the desktop name their defaults give: TigerVNC's Xvnc and x0vncserver
 * ("user@host", older "host:1 (user)"), x11vnc ("host:0"), libvncserver's
 * default and our practice console. */
static int known_synchronous(const char *name)
{
	static const char *const patterns[] = {
		"^LibVNCServer$",
		"^vncbot practice console$",
		"^[^ @()]+@[^ @()]+$",                   /* TigerVNC: user@host */
		"^[^ :()]+:[0-9]+(\\.[0-9]+)?( \\(.*\\))?$", /* host:1 (user), host:0 */
	};
	size_t i;
	int match = 0;

	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]) && !match; i++) {
		regex_t re;

		if (regcomp(&re, patterns[i], REG_EXTENDED | REG_NOSUB) != 0)
			continue;
		match = regexec(&re, name, 0, NULL, 0) == 0;
		regfree(&re);
	}
	return match;
}

/* The typing pace, and whether keys go as scancodes. QEMU names its desktop
 * "QEMU" or "QEMU (guest)"; it replays keys into the guest at its own pace
 * and drops what queues up beyond a few hundred, and so may any console of
 * a virtual machine behind a cloud's proxy, whatever it is named. So the
 * default is the guest pace unless the server is known to take keys as
 * they come (known_synchronous). Scancodes (QEMU's Extended Key Event,
 * which TigerVNC offers too) go by default only to QEMU: there they bypass
 * QEMU's keymap; on an X server keysyms are exact whatever the layout,
 * while scancodes would depend on it. */
static void choose_pace(struct session *s)
{
	const char *name = s->client->desktopName ? s->client->desktopName : "";
	int offers = SupportsClient2Server(s->client, rfbQemuEvent) ? 1 : 0;
	int sync_server = known_synchronous(name);
	const char *why;

	s->qemu = strncmp(name, "QEMU", 4) == 0;
	s->use_scancodes = offers && (s->o.scancodes == SCANCODES_ON ||
				      (s->o.scancodes == SCANCODES_AUTO && s->qemu));
	if (s->o.scancodes == SCANCODES_ON && !offers)
		log_msg(LOG_WARN, "--scancodes on: %s does not offer QEMU's Extended Key "
			"Event; sending keysyms", s->shown);
	switch (s->o.pace) {
	case PACE_FAST:
		s->key_delay_ms = 0;
		why = "--pace fast";
		break;
	case PACE_GUEST:
		s->key_delay_ms = SESSION_GUEST_KEY_DELAY_MS;
		why = "--pace guest";
		break;
	case PACE_MS:
		s->key_delay_ms = s->o.key_delay_ms;
		why = "the pace given";
		break;
	default:
		s->key_delay_ms = sync_server && !s->qemu ? 0 : SESSION_GUEST_KEY_DELAY_MS;
		why = s->qemu ? "a QEMU console, which drops keys sent faster" :
		      sync_server ? "a server known to take keys as they come" :
		      "a server not known to take keys as they come: it may be a virtual "
		      "machine's console, which drops keys sent faster (--pace fast if it "
		      "is an X server)";
		break;
	}
	/* Screen requests pace a server that handles keys before answering;
	 * a guest's console answers before its queue is replayed. */
	s->synced = s->o.sync_every && s->key_delay_ms == 0 ? 1 :
		    s->o.sync_every && sync_server && !s->qemu;
	log_msg(LOG_VERBOSE, "%s \"%s\"%s; typing %s: %ld ms after each key event%s (%s)",
		s->qemu ? "QEMU console" : "VNC console", name,
		s->use_scancodes ? ", keys sent as scancodes and keysyms" : "",
		s->key_delay_ms == 0 ? "fast" :
		s->key_delay_ms == SESSION_GUEST_KEY_DELAY_MS ? "at the guest pace" : "slower",
		s->key_delay_ms, s->synced ? ", synchronised with the server" : "", why);
}

int session_is_qemu(const struct session *s)
{
	return s->qemu;
}

struct session *session_open(const struct url_spec *spec,
			     const struct session_options *o,
			     struct vb_error *err)
{
	struct session *s = xcalloc(1, sizeof(*s));
	struct transport_options to = o->transport;
	/* --connect-timeout bounds the whole of it: connection, TLS and
	 * WebSocket, the VNC handshake and the first screen. */
	long long deadline = clock_now_ms() + o->connect_timeout_ms;
	rfbClient *c;
	rfbBool ok;

	s->o = *o;
	s->password = o->password;
	s->o.password = NULL;
	url_describe(spec, s->shown, sizeof(s->shown));
	s->lib = (struct liblog){ .prefix = "libvncclient", .observe = note_lib_line, .ctx = s };
	s->lib_before = liblog_attach(&s->lib);

	to.interrupt = o->interrupt;
	s->transport = transport_open(spec, &to, err);
	if (!s->transport)
		goto fail;
	log_msg(LOG_VERBOSE, "connected to %s, starting the VNC handshake", s->shown);

	c = fbguard_client_new(&s->guard, 0, transport_take_client_fd(s->transport), spec->host);
	rfbClientSetClientData(c, (void *)session_tag, s);
	c->GetPassword = get_password;
	c->GotFrameBufferUpdate = got_rect;
	c->FinishedFrameBufferUpdate = finished_update;
	c->serverPort = spec->port;
	/* The guard bounds every read (transport.h); libvncclient's own read
	 * timeout is only a backstop behind it. */
	c->connectTimeout = (unsigned)((o->connect_timeout_ms + 999) / 1000);
	c->readTimeout = c->connectTimeout + 2;
	if (o->stateless_encodings)
		c->appData.encodingsString = SESSION_STATELESS_ENCODINGS;
	/* On failure rfbInitClient frees the client and closes its socket. */
	transport_guard(s->transport, deadline);
	ok = rfbInitClient(c, NULL, NULL);
	transport_guard(s->transport, 0);
	if (!ok) {
		enum transport_cut cut = transport_cut(s->transport);
		char refusal[200];

		if (interrupted(s) || cut == CUT_INTERRUPT) {
			vb_fail(err, VB_FAILED, "interrupted");
		} else if (fbguard_refusal(&s->guard, refusal, sizeof(refusal))) {
			vb_fail(err, VB_CONNECT, "%s %s", s->shown, refusal);
			vb_hint(err, "the console is broken or hostile; check the machine");
		} else if (cut == CUT_DEADLINE) {
			vb_fail(err, VB_CONNECT, "the VNC handshake with %s did not complete "
				"within %.1fs", s->shown, o->connect_timeout_ms / 1000.0);
			vb_hint(err, "the console answers too slowly; --connect-timeout sets how "
				"long to wait");
		} else if (s->asked_password && !s->password) {
			vb_fail(err, VB_CONNECT, "%s asks for a VNC password", s->shown);
			vb_hint(err, "give it with --password-file PATH or --password-env NAME");
		} else if (strncmp(s->lib_reason, "VNC authentication failed", 25) == 0 ||
			   strstr(s->lib.last, "uthentication") || strstr(s->lib.last, "assword")) {
			const char *why = s->lib_reason[0] ? s->lib_reason : s->lib.last;

			if (strncmp(why, "VNC connection failed: ", 23) == 0)
				why += 23;
			vb_fail(err, VB_CONNECT, "VNC authentication failed at %s: %s", s->shown, why);
			vb_hint(err, "check the password given with --password-file or --password-env");
		} else if (s->lib_reason[0]) {
			vb_fail(err, VB_CONNECT, "%s refused the connection: %s", s->shown,
				s->lib_reason + (strncmp(s->lib_reason, "VNC connection failed: ", 23) ? 0 : 23));
			vb_hint(err, "the server's reason is above; a server that blocks an address "
				"after failed logins lets it in again after a while");
		} else if (transport_check(s->transport, err) < 0) {
			char reason[sizeof(err->message)];

			snprintf(reason, sizeof(reason), "%s", err->message);
			vb_fail(err, VB_CONNECT, "VNC handshake with %s failed: %s%s%s",
				s->shown, reason, s->lib.last[0] ? ": " : "",
				s->lib.last);
			if (spec->kind == URL_TCP)
				vb_hint(err, "is this a VNC server? (a WebSocket console needs a "
					"ws:// or wss:// address)");
			else
				vb_hint(err, "the WebSocket opened but what came through it is not "
					"VNC: is this the console's VNC WebSocket URL?");
		} else {
			vb_fail(err, VB_CONNECT, "VNC handshake with %s failed: %s", s->shown,
				s->lib.last[0] ? s->lib.last : "no answer");
			vb_hint(err, "is this a VNC server, and does it answer within --connect-timeout?");
		}
		goto fail;
	}
	s->client = c;
	s->password = NULL;
	c->readTimeout = (unsigned)((o->read_timeout_ms + 999) / 1000) + 2;
	/* The first screen answers the request rfbInitClient sent; it also
	 * carries QEMU's acknowledgement of the Extended Key Event. */
	{
		unsigned long none = 0;
		int rc;

		s->hard_deadline = deadline;
		rc = pump_until(s, deadline, full_frame_past, &none, err);
		s->hard_deadline = 0;
		if (rc > 0)
			vb_fail(err, VB_CONNECT, "%s sent no screen within %.1fs of connecting",
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
	transport_close_within(s->transport, BAD_CLOSE_MS);
	fbguard_free(&s->guard);
	liblog_attach(s->lib_before);
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
	if (s->synced && ++s->unsynced >= s->o.sync_every) {
		s->unsynced = 0;
		if (session_sync(s, err) < 0)
			return -1;
	}
	return pace_for(s, s->key_delay_ms, err);
}

int session_pointer(struct session *s, int x, int y, int mask, struct vb_error *err)
{
	rfbClient *c = s->client;

	if (x < 0 || y < 0 || x >= c->width || y >= c->height)
		return vb_fail(err, VB_FAILED, "%d,%d is outside the %dx%d screen", x, y,
			       c->width, c->height);
	if (!send_pointer(s, x, y, mask))
		return link_error(s, err, "moving the pointer");
	s->px = x;
	s->py = y;
	s->buttons = mask;
	return pace_for(s, s->key_delay_ms, err);
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

	if (!request_screen(s, 0, 0, s->client->width, s->client->height))
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

	if (!request_screen(s, 0, 0, 1, 1))
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
	long long deadline = clock_now_ms() + ms, outer = s->hard_deadline;
	int rc;

	/* A wait of a given time ends then, whatever the server does. */
	if (!outer || deadline + DEADLINE_GRACE_MS < outer)
		s->hard_deadline = deadline + DEADLINE_GRACE_MS;
	rc = pump_until(s, deadline, NULL, NULL, err);
	s->hard_deadline = outer;
	return rc;
}

/* Ask for the whole screen and wait until deadline for the answer. Returns
 * 0 with img, 1 if the time passed first, or -1 with err. */
static int snapshot_by(struct session *s, struct screen_image *img, long long deadline,
		       struct vb_error *err)
{
	rfbClient *c = s->client;
	unsigned long seen = s->full_frames;
	int rc;

	if (s->broken) {
		*err = s->broken_err;
		return -1;
	}
	if (!request_screen(s, 0, 0, c->width, c->height))
		return link_error(s, err, "asking for the screen");
	rc = pump_until(s, deadline, full_frame_past, &seen, err);
	if (rc != 0)
		return rc;
	img->width = c->width;
	img->height = c->height;
	img->stride = (size_t)c->width * 4;
	img->pixels = c->frameBuffer;
	return 0;
}

int session_snapshot(struct session *s, struct screen_image *img,
		     struct vb_error *err)
{
	int rc = snapshot_by(s, img, clock_now_ms() + SNAPSHOT_TIMEOUT_MS, err);

	if (rc > 0)
		return vb_fail(err, VB_CONNECT,
			       "the server sent no screen update within %ds (%s)",
			       SNAPSHOT_TIMEOUT_MS / 1000, s->shown);
	return rc;
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

	/* The screen as decoded so far: reading more here could block on a
	 * console that trickles (see pace_for). */
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

/* The wait itself: until cond holds on the screen or deadline passes.
 * After the first full screen it sleeps until an update arrives (or, for
 * settled, until the screen will have been still long enough): a still
 * screen sends nothing, as libvncclient's own requests are incremental, and
 * costs nothing. Each update is looked at only where it landed
 * (screen_cond_update). The last look may start just before the deadline,
 * so a wait ends within its timeout plus one frame's work; only a message
 * already under way at the deadline gets the grace (the hard deadline). */
static int wait_screen(struct session *s, const struct screen_cond *cond, long long deadline,
		       int *met, struct screen_watch *w, struct vb_error *err)
{
	struct screen_image img;
	const struct screen_image *before = NULL;
	long long asked = clock_now_ms();
	unsigned long frames0, looks = 1;
	unsigned long long px0;
	/* A fresh screen first, even for a wait of no time ("as it is now"):
	 * it may take the grace beyond the deadline. */
	int rc = snapshot_by(s, &img, deadline + DEADLINE_GRACE_MS, err);

	if (rc > 0) {
		vb_fail(err, VB_CONNECT, "%s sent no screen within %.1fs of being asked",
			s->shown, (clock_now_ms() - asked) / 1000.0);
		return vb_hint(err, "the console is too slow or stopped drawing; give the "
			       "wait a longer timeout, or check the machine");
	}
	if (rc < 0)
		return -1;
	/* "changed" means since the last keys were sent, when there were any. */
	if (cond->kind == COND_CHANGED && s->mark.pixels)
		before = &s->mark;
	frames0 = s->frames;
	px0 = s->damage_px;
	*met = screen_cond_update(cond, w, &img, before, NULL, 0, clock_now_ms());
	for (;;) {
		long long due = screen_cond_due(cond, w), until;
		unsigned long seen = s->frames;

		if (*met || clock_now_ms() >= deadline)
			break;
		until = due < deadline ? due : deadline;
		s->ndamage = 0;
		rc = pump_until(s, until, frames_past, &seen, err);
		if (rc < 0)
			return -1;
		img.pixels = s->client->frameBuffer; /* a resize moves it */
		img.width = s->client->width;
		img.height = s->client->height;
		img.stride = (size_t)img.width * 4;
		if (s->frames > seen || clock_now_ms() >= due) {
			looks++;
			*met = screen_cond_update(cond, w, &img, NULL, s->damage, s->ndamage,
						  clock_now_ms());
		}
	}
	log_msg(LOG_VERBOSE, "screen wait: %lu update%s (%llu pixels) arrived, looked %lu time%s",
		s->frames - frames0, s->frames - frames0 == 1 ? "" : "s", s->damage_px - px0,
		looks, looks == 1 ? "" : "s");
	return 0;
}

int session_wait_screen(struct session *s, const struct screen_cond *cond,
			long timeout_ms, int *met, struct screen_watch *w,
			struct vb_error *err)
{
	struct screen_watch local = { 0 };
	long long deadline = clock_now_ms() + timeout_ms, outer = s->hard_deadline;
	int rc;

	if (!w)
		w = &local;
	memset(w, 0, sizeof(*w));
	*met = 0;
	/* Whatever the server does, the wait ends by its deadline, plus the
	 * grace a message under way gets to end. */
	if (!outer || deadline + DEADLINE_GRACE_MS < outer)
		s->hard_deadline = deadline + DEADLINE_GRACE_MS;
	rc = wait_screen(s, cond, deadline, met, w, err);
	screen_watch_free(w);
	s->hard_deadline = outer;
	return rc;
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
		if (!send_pointer(s, s->px, s->py, 0))
			failed++;
		s->buttons = 0;
	}
	return failed;
}

/* The console's side of the link is closed (or it stopped answering). */
static int link_gone(struct session *s, void *arg)
{
	(void)arg;
	return transport_check(s->transport, NULL) < 0;
}

int session_wait_disconnect(struct session *s, long timeout_ms, struct vb_error *err)
{
	long long deadline = clock_now_ms() + timeout_ms;
	int held = s->nheld, rc;

	if (held) {
		int failed = session_release_all(s);

		log_msg(LOG_VERBOSE, "released %d held key%s before the console goes away%s",
			held, held == 1 ? "" : "s", failed ? " (some could not be sent)" : "");
	}
	if (s->broken) {
		*err = s->broken_err;
		return link_gone(s, NULL) || s->silent ? 0 : -1;
	}
	s->hard_deadline = deadline + DEADLINE_GRACE_MS;
	rc = pump_until(s, deadline, link_gone, NULL, err);
	s->hard_deadline = 0;
	if (rc < 0 && !interrupted(s) && (link_gone(s, NULL) || s->silent))
		return 0; /* the drop ended a read: what was waited for */
	return rc;
}

void session_close(struct session *s)
{
	long grace = BAD_CLOSE_MS;

	if (!s)
		return;
	if (s->client) {
		int held = s->nheld, failed = session_release_all(s);
		int was_interrupted = interrupted(s);
		struct vb_error ignored;

		if (held)
			log_msg(failed ? LOG_WARN : LOG_VERBOSE,
				"released %d held key%s%s", held, held == 1 ? "" : "s",
				failed ? " (the link was gone; some could not be sent)" : "");
		/* One round trip, so the server has handled every key before we
		 * hang up: bounded, and short after an interrupt (the signal was
		 * seen; only the key releases are still owed). A stream that can
		 * no longer be read has nothing to sync with. */
		if (!failed && !s->broken && transport_check(s->transport, NULL) == 0) {
			s->o.interrupt = NULL;
			transport_ignore_interrupt(s->transport);
			s->hard_deadline = clock_now_ms() +
					   (was_interrupted ? FINAL_SYNC_INTERRUPTED_MS : FINAL_SYNC_MS);
			if (sync_full(s, &ignored) < 0)
				log_msg(LOG_VERBOSE, "final check with the server: %s", ignored.message);
			else if (!was_interrupted)
				grace = -1;
		}
		/* Closes libvncclient's end; the bridge then forwards what is left. */
		rfbClientCleanup(s->client);
	}
	if (grace < 0)
		transport_close(s->transport);
	else
		transport_close_within(s->transport, grace);
	fbguard_free(&s->guard);
	free(s->mark.pixels);
	liblog_attach(s->lib_before);
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
