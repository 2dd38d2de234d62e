/* hostile_server.c: an RFB 3.8 server that misbehaves on purpose, for the
 * integration tests of issue 10 ("Hardening"). It starts every connection as
 * a correct server would, then breaks the protocol the way --mode says: an
 * absurd screen size, a rectangle outside the screen, bytes trickled or
 * withheld, a socket closed mid-update. It logs every client message it
 * parses, one line each, so that a test can check which keys were released.
 * It is not a server for people: no security, no real desktop, one
 * connection at a time, one thread, 127.0.0.1 only. Plain sockets, because
 * libvncserver would refuse to send most of these bytes.
 *
 *   hostile_server --port N|0 [--port-file F] [--mode NAME] [--log FILE]
 *                  [--name NAME] [--trickle-ms N] [--connections N]
 *
 * The byte stream a mode sends is valid RFB up to its one misbehaviour. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define ENC_RAW 0
#define ENC_COPYRECT 1
#define ENC_DESKTOP_SIZE (-223)
#define ENC_EXT_DESKTOP_SIZE (-308)

/* Incremental requests are answered at most this often, and only when
 * something changed, as real servers do. */
#define INCREMENTAL_EVERY_MS 200
/* A request for more pixels than this (after a resize to 65535x65535) is
 * answered with its top-left DEFAULT_W x DEFAULT_H only, not 17 GB. */
#define ANSWER_MAX_PIXELS (4096L * 4096L)
#define DEFAULT_W 1024
#define DEFAULT_H 768
/* The longest client message accepted whole (a SetEncodings of 65535
 * encodings is 262144 bytes); a longer one ends the connection, loudly. */
#define CLIENT_MESSAGE_MAX (1 << 20)
/* The square at the top left that each key press recolours: the "changed
 * rect" of incremental updates. */
#define BLOCK_X 8
#define BLOCK_Y 8
#define BLOCK_SIDE 16

struct options {
	int port;
	const char *port_file;
	const char *log_path;
	const char *name;
	long trickle_ms;
	long connections; /* 0: serve until stopped */
	const struct mode *mode;
};

struct pixel_format {
	int bpp, depth, big_endian, true_colour;
	int max[3], shift[3]; /* red, green, blue */
};

/* A byte queue: appended at the end, sent from off. */
struct bytes {
	uint8_t *data;
	size_t off, len, cap;
};

struct region {
	int x, y, w, h;
};

struct conn {
	int fd;
	const struct options *opt;
	const struct mode *mode;
	enum { PHASE_VERSION, PHASE_SECURITY, PHASE_CLIENT_INIT, PHASE_MESSAGES } phase;
	struct bytes in, out;
	long pace_ms; /* > 0: one byte every pace_ms */
	long long next_byte_ms;
	int reading;   /* 0: never read the socket again */
	int answering; /* 0: answer no update request */
	int mute;      /* read the handshake, answer nothing */
	int close_when_flushed;
	struct pixel_format pf;
	int offers[3]; /* CopyRect, DesktopSize, ExtendedDesktopSize */
	int width, height;
	int want_full; /* a non-incremental request waits; full_region is their union */
	struct region full_region;
	int want_incremental;
	int dirty; /* the key block changed since the last update */
	long long last_incremental_ms;
	int first_update_queued, misbehaved;
	unsigned presses;
	const char *end_reason;
};

/* One class of misbehaviour: a row of the mode table. */
struct mode {
	const char *name;
	const char *what;
	int width, height; /* announced in ServerInit; 0: DEFAULT_W x DEFAULT_H */
	int pace_from_start; /* trickle the handshake too */
	void (*at_accept)(struct conn *c); /* NULL: accept_normally */
	/* Run once, when the first full update has gone out whole; NULL: none. */
	void (*after_first_update)(struct conn *c);
	/* For the resize behaviours: the pseudo-encoding, the new size, and the
	 * Raw rect that follows at 0,0 (0x0: the whole new screen). */
	int resize_encoding, new_w, new_h, follow_w, follow_h;
};

static FILE *log_file;
static volatile sig_atomic_t stopping;

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One line of the log, flushed at once: tests read it while we run. */
static void logf_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_line(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(log_file, fmt, ap);
	va_end(ap);
	fputc('\n', log_file);
	fflush(log_file);
}

/* A broken assumption of ours or the client's: said on stderr and in the log. */
static void loud(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void loud(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "hostile_server: %s\n", msg);
	logf_line("# error: %s", msg);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;

	fputs("hostile_server: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---------------------------------------------------------------------------
 * Bytes out */

static void bytes_reserve(struct bytes *b, size_t more)
{
	if (b->off > 0 && b->off == b->len)
		b->off = b->len = 0;
	if (b->len + more <= b->cap)
		return;
	if (b->off > 0) {
		memmove(b->data, b->data + b->off, b->len - b->off);
		b->len -= b->off;
		b->off = 0;
	}
	if (b->len + more > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;

		while (cap < b->len + more)
			cap *= 2;
		b->data = realloc(b->data, cap);
		if (!b->data)
			die("out of memory (%zu bytes)", cap);
		b->cap = cap;
	}
}

static size_t bytes_pending(const struct bytes *b)
{
	return b->len - b->off;
}

static void put(struct conn *c, const void *p, size_t n)
{
	bytes_reserve(&c->out, n);
	memcpy(c->out.data + c->out.len, p, n);
	c->out.len += n;
}

static void put8(struct conn *c, unsigned v)
{
	uint8_t b = (uint8_t)v;

	put(c, &b, 1);
}

static void put16(struct conn *c, unsigned v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	put(c, b, 2);
}

static void put32(struct conn *c, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };

	put(c, b, 4);
}

static void put_pixel_format(struct conn *c, const struct pixel_format *pf)
{
	put8(c, (unsigned)pf->bpp);
	put8(c, (unsigned)pf->depth);
	put8(c, (unsigned)pf->big_endian);
	put8(c, (unsigned)pf->true_colour);
	put16(c, (unsigned)pf->max[0]);
	put16(c, (unsigned)pf->max[1]);
	put16(c, (unsigned)pf->max[2]);
	put8(c, (unsigned)pf->shift[0]);
	put8(c, (unsigned)pf->shift[1]);
	put8(c, (unsigned)pf->shift[2]);
	put8(c, 0);
	put16(c, 0);
}

/* ---------------------------------------------------------------------------
 * The screen: a gradient computed from x and y (so any size costs no
 * memory), with a square at the top left that each key press recolours. */

static uint32_t screen_rgb(const struct conn *c, int x, int y)
{
	static const uint32_t palette[] = { 0x202020, 0xe0e0e0, 0x00aa00, 0xaa0000 };

	if (x >= BLOCK_X && x < BLOCK_X + BLOCK_SIDE && y >= BLOCK_Y && y < BLOCK_Y + BLOCK_SIDE)
		return palette[c->presses % 4];
	return (uint32_t)((x >> 2) & 0xff) << 16 | (uint32_t)((y >> 2) & 0xff) << 8 | 0x80;
}

/* Four bytes a pixel in the client's format (SetPixelFormat made sure of 32). */
static void put_pixels(struct conn *c, struct region r)
{
	const struct pixel_format *pf = &c->pf;
	size_t n = (size_t)r.w * (size_t)r.h * 4;
	uint8_t *p;
	int x, y, i;

	bytes_reserve(&c->out, n);
	p = c->out.data + c->out.len;
	for (y = r.y; y < r.y + r.h; y++)
		for (x = r.x; x < r.x + r.w; x++) {
			uint32_t rgb = screen_rgb(c, x, y), v = 0;

			for (i = 0; i < 3; i++) {
				uint32_t comp = (rgb >> (16 - 8 * i)) & 0xff;

				v |= (comp * (uint32_t)pf->max[i] + 127) / 255 << pf->shift[i];
			}
			if (pf->big_endian) {
				p[0] = (uint8_t)(v >> 24);
				p[1] = (uint8_t)(v >> 16);
				p[2] = (uint8_t)(v >> 8);
				p[3] = (uint8_t)v;
			} else {
				p[0] = (uint8_t)v;
				p[1] = (uint8_t)(v >> 8);
				p[2] = (uint8_t)(v >> 16);
				p[3] = (uint8_t)(v >> 24);
			}
			p += 4;
		}
	c->out.len += n;
}

static void put_update_header(struct conn *c, unsigned nrects)
{
	put8(c, 0); /* FramebufferUpdate */
	put8(c, 0);
	put16(c, nrects);
}

static void put_rect_header(struct conn *c, struct region r, int32_t encoding)
{
	put16(c, (unsigned)r.x);
	put16(c, (unsigned)r.y);
	put16(c, (unsigned)r.w);
	put16(c, (unsigned)r.h);
	put32(c, (uint32_t)encoding);
}

static void put_raw_rect(struct conn *c, struct region r)
{
	put_rect_header(c, r, ENC_RAW);
	put_pixels(c, r);
}

/* A DesktopSize or ExtendedDesktopSize pseudo-rectangle announcing w x h.
 * libvncclient 0.9.14 ignores an ExtendedDesktopSize whose screen id is 0,
 * so the one screen has id 1. */
static void put_resize_rect(struct conn *c, int32_t encoding, int w, int h)
{
	put_rect_header(c, (struct region){ 0, 0, w, h }, encoding);
	if (encoding == ENC_EXT_DESKTOP_SIZE) {
		put8(c, 1); /* number of screens */
		put8(c, 0);
		put16(c, 0);
		put32(c, 1); /* id */
		put16(c, 0);
		put16(c, 0);
		put16(c, (unsigned)w);
		put16(c, (unsigned)h);
		put32(c, 0); /* flags */
	}
}

/* ---------------------------------------------------------------------------
 * Answers to update requests */

static struct region clip(struct region r, int w, int h)
{
	int x2 = r.x + r.w < w ? r.x + r.w : w, y2 = r.y + r.h < h ? r.y + r.h : h;

	if (r.x >= w || r.y >= h || x2 <= r.x || y2 <= r.y)
		return (struct region){ 0, 0, 0, 0 };
	return (struct region){ r.x, r.y, x2 - r.x, y2 - r.y };
}

static struct region unite(struct region a, struct region b)
{
	int x1 = a.x < b.x ? a.x : b.x, y1 = a.y < b.y ? a.y : b.y;
	int x2 = a.x + a.w > b.x + b.w ? a.x + a.w : b.x + b.w;
	int y2 = a.y + a.h > b.y + b.h ? a.y + a.h : b.y + b.h;

	return (struct region){ x1, y1, x2 - x1, y2 - y1 };
}

/* Answer what the client asked, once the previous answer has gone out
 * (requests that arrive meanwhile are merged, as real servers do). */
static void answer_requests(struct conn *c, long long now)
{
	if (c->want_full) {
		struct region r = clip(c->full_region, c->width, c->height);

		if ((long)r.w * r.h > ANSWER_MAX_PIXELS) {
			logf_line("# request for %dx%d answered with its top-left %dx%d at most",
				  r.w, r.h, DEFAULT_W, DEFAULT_H);
			r.w = r.w < DEFAULT_W ? r.w : DEFAULT_W;
			r.h = r.h < DEFAULT_H ? r.h : DEFAULT_H;
		}
		put_update_header(c, r.w && r.h ? 1 : 0);
		if (r.w && r.h)
			put_raw_rect(c, r);
		c->want_full = c->want_incremental = c->dirty = 0;
		c->last_incremental_ms = now;
		if (r.w == c->width && r.h == c->height)
			c->first_update_queued = 1;
		return;
	}
	if (c->want_incremental && c->dirty &&
	    now - c->last_incremental_ms >= INCREMENTAL_EVERY_MS) {
		struct region block = { BLOCK_X, BLOCK_Y, BLOCK_SIDE, BLOCK_SIDE };

		block = clip(block, c->width, c->height);
		put_update_header(c, block.w ? 1 : 0);
		if (block.w)
			put_raw_rect(c, block);
		c->want_incremental = c->dirty = 0;
		c->last_incremental_ms = now;
	}
}

/* ---------------------------------------------------------------------------
 * The behaviours: one function each, named in the mode table. */

static void accept_normally(struct conn *c)
{
	put(c, "RFB 003.008\n", 12);
}

/* silent: the version, then nothing at all, whatever the client says. */
static void accept_then_say_nothing(struct conn *c)
{
	put(c, "RFB 003.008\n", 12);
	c->mute = 1;
	logf_line("# silent from now on");
}

/* The first pixel bytes of the small Raw rect after a refused resize; the
 * rest are 0. Any 4 bytes are a valid 32-bit pixel, so the stream stays
 * valid RFB. They are bait for a client that refused the size but reads on:
 * it has lost its place after the pseudo-rect, and takes the Raw rect's
 * header for an empty update and an update of one rect, these bytes for
 * that rect, a CopyRect of 16x13 at 0,0 from 0,0, and the zeros after them
 * for empty updates, after which it is back in step. If it kept the
 * refused width as its stride, the CopyRect touches 16 bytes past the end
 * of its 1024x768 buffer, and the next full update it asks for is copied
 * far beyond (libvncclient's memcpy: AddressSanitizer reports it; without
 * it, a SIGSEGV). */
static const uint8_t desync_bait[12] = {
	0x00, 0x10, 0x00, 0x0d, /* w 16, h 13 */
	0, 0, 0, ENC_COPYRECT,
	0, 0, 0, 0, /* from 0,0 */
};

/* resize-*: a DesktopSize or ExtendedDesktopSize to the mode's size, then a
 * Raw rect at 0,0 (the whole new screen, or the mode's small rect, which
 * starts with desync_bait). */
static void announce_new_size(struct conn *c)
{
	const struct mode *m = c->mode;
	int offered = c->offers[m->resize_encoding == ENC_DESKTOP_SIZE ? 1 : 2];
	struct region follow = { 0, 0, m->follow_w ? m->follow_w : m->new_w,
				 m->follow_h ? m->follow_h : m->new_h };

	if (!offered) {
		loud("the client did not offer encoding %d in SetEncodings; not resizing",
		     m->resize_encoding);
		return;
	}
	put_update_header(c, 2);
	put_resize_rect(c, m->resize_encoding, m->new_w, m->new_h);
	c->width = m->new_w;
	c->height = m->new_h;
	put_raw_rect(c, follow);
	if (m->follow_w) {
		size_t n = (size_t)follow.w * (size_t)follow.h * 4;
		uint8_t *px = c->out.data + c->out.len - n;

		memset(px, 0, n);
		memcpy(px, desync_bait, n < sizeof(desync_bait) ? n : sizeof(desync_bait));
	}
	logf_line("# sent %s %dx%d, then Raw %dx%d at 0,0",
		  m->resize_encoding == ENC_DESKTOP_SIZE ? "DesktopSize" : "ExtendedDesktopSize",
		  m->new_w, m->new_h, follow.w, follow.h);
}

/* rect-out-of-range: a 10x10 Raw rect at 65000,65000 of a 1024x768 screen. */
static void send_rect_out_of_range(struct conn *c)
{
	struct region r = { 65000, 65000, 10, 10 };

	put_update_header(c, 1);
	put_rect_header(c, r, ENC_RAW);
	put_pixels(c, (struct region){ 0, 0, r.w, r.h });
	logf_line("# sent Raw 10x10 at 65000,65000");
}

/* copyrect-out-of-range: a CopyRect to 0,0 whose 64x64 source is at
 * 60000,60000, far outside the screen. */
static void send_copyrect_out_of_range(struct conn *c)
{
	if (!c->offers[0]) {
		loud("the client did not offer CopyRect in SetEncodings; not sending one");
		return;
	}
	put_update_header(c, 1);
	put_rect_header(c, (struct region){ 0, 0, 64, 64 }, ENC_COPYRECT);
	put16(c, 60000);
	put16(c, 60000);
	logf_line("# sent CopyRect 64x64 to 0,0 from 60000,60000");
}

/* trickle-update: every later answer goes out one byte each --trickle-ms. */
static void start_trickling(struct conn *c)
{
	c->pace_ms = c->opt->trickle_ms;
	c->next_byte_ms = now_ms() + c->pace_ms;
	logf_line("# trickling from now on: one byte every %ld ms", c->pace_ms);
}

/* stop-reading: neither read nor send again; the connection stays open. */
static void stop_reading(struct conn *c)
{
	c->reading = 0;
	c->answering = 0;
	logf_line("# no longer reading or answering");
}

/* close-mid-update: a full-screen Raw update, cut after half its pixels. */
static void close_mid_update(struct conn *c)
{
	struct region r = { 0, 0, c->width, c->height };
	size_t pixels = (size_t)r.w * (size_t)r.h * 4;

	put_update_header(c, 1);
	put_raw_rect(c, r);
	c->out.len -= pixels - pixels / 2;
	c->close_when_flushed = 1;
	logf_line("# sending a %dx%d Raw update with %zu of its %zu pixel bytes, then closing",
		  r.w, r.h, pixels / 2, pixels);
}

/* cut-text-huge: a ServerCutText that announces 4 GiB - 1 bytes of text. */
static void send_huge_cut_text(struct conn *c)
{
	put8(c, 3);
	put8(c, 0);
	put16(c, 0);
	put32(c, 0xffffffffu);
	put(c, "hostile", 7);
	logf_line("# sent ServerCutText announcing 4294967295 bytes");
}

/* unknown-message: a server message type no RFB version defines. */
static void send_unknown_message(struct conn *c)
{
	put8(c, 0x7f);
	put(c, "\0\0\0\0\0\0\0", 7);
	logf_line("# sent server message type 127");
}

#define RESIZE(enc, w, h, fw, fh)                                                                  \
	.after_first_update = announce_new_size, .resize_encoding = (enc), .new_w = (w),           \
	.new_h = (h), .follow_w = (fw), .follow_h = (fh)

/* The modes. Each misbehaves once, after the first full update has gone out
 * (unless it says otherwise); unset fields: a 1024x768 screen, a correct
 * handshake, no misbehaviour. */
static const struct mode modes[] = {
	{ .name = "normal", .what = "a well-behaved 1024x768 server (the control case)" },
	{ .name = "resize-up", .what = "DesktopSize to 1280x1024, then Raw of it",
	  RESIZE(ENC_DESKTOP_SIZE, 1280, 1024, 0, 0) },
	{ .name = "resize-down", .what = "DesktopSize to 800x600, then Raw of it",
	  RESIZE(ENC_DESKTOP_SIZE, 800, 600, 0, 0) },
	{ .name = "resize-ext-up", .what = "ExtendedDesktopSize to 1280x1024, then Raw of it",
	  RESIZE(ENC_EXT_DESKTOP_SIZE, 1280, 1024, 0, 0) },
	{ .name = "resize-ext-down", .what = "ExtendedDesktopSize to 800x600, then Raw of it",
	  RESIZE(ENC_EXT_DESKTOP_SIZE, 800, 600, 0, 0) },
	{ .name = "resize-refused-wide", .what = "DesktopSize to 16385x1, then Raw 100x1 at 0,0",
	  RESIZE(ENC_DESKTOP_SIZE, 16385, 1, 100, 1) },
	{ .name = "resize-refused-huge",
	  .what = "DesktopSize to 65535x65535, then Raw 100x1 at 0,0",
	  RESIZE(ENC_DESKTOP_SIZE, 65535, 65535, 100, 1) },
	{ .name = "resize-ext-refused-huge",
	  .what = "ExtendedDesktopSize to 65535x65535, then Raw 100x1 at 0,0",
	  RESIZE(ENC_EXT_DESKTOP_SIZE, 65535, 65535, 100, 1) },
	{ .name = "init-huge", .what = "ServerInit announces a 65535x65535 screen", .width = 65535,
	  .height = 65535 },
	{ .name = "rect-out-of-range", .what = "Raw 10x10 at 65000,65000",
	  .after_first_update = send_rect_out_of_range },
	{ .name = "copyrect-out-of-range", .what = "CopyRect 64x64 from 60000,60000",
	  .after_first_update = send_copyrect_out_of_range },
	{ .name = "trickle-update", .what = "every answer one byte per --trickle-ms",
	  .after_first_update = start_trickling },
	{ .name = "trickle-handshake", .what = "from the handshake on, one byte per --trickle-ms",
	  .pace_from_start = 1 },
	{ .name = "stop-reading", .what = "never read or send again; stay connected",
	  .after_first_update = stop_reading },
	{ .name = "silent", .what = "send the version, then nothing; stay connected",
	  .at_accept = accept_then_say_nothing },
	{ .name = "close-mid-update", .what = "half a full-screen update, then close",
	  .after_first_update = close_mid_update },
	{ .name = "cut-text-huge", .what = "ServerCutText announcing 4 GiB - 1 bytes",
	  .after_first_update = send_huge_cut_text },
	{ .name = "unknown-message", .what = "server message type 127",
	  .after_first_update = send_unknown_message },
};

static const struct mode *mode_named(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i].name, name) == 0)
			return &modes[i];
	return NULL;
}

/* ---------------------------------------------------------------------------
 * Client messages in */

static unsigned get16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The size of the client message at p (n bytes there): 0 if more bytes are
 * needed to tell, -1 for a type we do not know. */
static long message_size(const uint8_t *p, size_t n)
{
	switch (p[0]) {
	case 0: /* SetPixelFormat */
		return 20;
	case 2: /* SetEncodings */
		return n < 4 ? 0 : 4 + 4 * (long)get16(p + 2);
	case 3: /* FramebufferUpdateRequest */
		return 10;
	case 4: /* KeyEvent */
		return 8;
	case 5: /* PointerEvent */
		return 6;
	case 6: /* ClientCutText */
		return n < 8 ? 0 : 8 + (long)get32(p + 4);
	case 150: /* EnableContinuousUpdates */
		return 10;
	case 251: /* SetDesktopSize */
		return n < 8 ? 0 : 8 + 16 * (long)p[6];
	default:
		return -1;
	}
}

/* SetPixelFormat: honoured when it is 32 bits a pixel, true colour. */
static int set_pixel_format(struct conn *c, const uint8_t *p)
{
	struct pixel_format pf = { p[4], p[5], p[6] != 0, p[7] != 0,
				   { (int)get16(p + 8), (int)get16(p + 10), (int)get16(p + 12) },
				   { p[14], p[15], p[16] } };
	int i;

	logf_line("set-pixel-format %dbpp depth %d %s-endian %s red %d<<%d green %d<<%d "
		  "blue %d<<%d",
		  pf.bpp, pf.depth, pf.big_endian ? "big" : "little",
		  pf.true_colour ? "true-colour" : "colour-map", pf.max[0], pf.shift[0], pf.max[1],
		  pf.shift[1], pf.max[2], pf.shift[2]);
	if (pf.bpp != 32 || !pf.true_colour) {
		loud("SetPixelFormat asks for %d bits a pixel%s; this server sends only 32-bit "
		     "true colour",
		     pf.bpp, pf.true_colour ? "" : " with a colour map");
		return -1;
	}
	for (i = 0; i < 3; i++)
		if (pf.max[i] == 0 || pf.max[i] > 255 || pf.shift[i] > 24) {
			loud("SetPixelFormat colour %d: max %d shift %d is not 8-bit in 32", i,
			     pf.max[i], pf.shift[i]);
			return -1;
		}
	c->pf = pf;
	return 0;
}

static void set_encodings(struct conn *c, const uint8_t *p)
{
	char line[4096];
	unsigned n = get16(p + 2), i;
	size_t len = (size_t)snprintf(line, sizeof(line), "set-encodings");

	c->offers[0] = c->offers[1] = c->offers[2] = 0;
	for (i = 0; i < n; i++) {
		int32_t e = (int32_t)get32(p + 4 + 4 * i);

		c->offers[0] |= e == ENC_COPYRECT;
		c->offers[1] |= e == ENC_DESKTOP_SIZE;
		c->offers[2] |= e == ENC_EXT_DESKTOP_SIZE;
		if (len < sizeof(line) - 16)
			len += (size_t)snprintf(line + len, sizeof(line) - len, " %d", (int)e);
	}
	logf_line("%s", line);
}

static void update_request(struct conn *c, const uint8_t *p)
{
	struct region r = { (int)get16(p + 2), (int)get16(p + 4), (int)get16(p + 6),
			    (int)get16(p + 8) };

	logf_line("update-request %s %d %d %d %d", p[1] ? "incremental" : "full", r.x, r.y, r.w,
		  r.h);
	if (p[1]) {
		c->want_incremental = 1;
	} else {
		c->full_region = c->want_full ? unite(c->full_region, r) : r;
		c->want_full = 1;
	}
}

/* One whole client message in the messages phase; -1 ends the connection. */
static int client_message(struct conn *c, const uint8_t *p, size_t n)
{
	switch (p[0]) {
	case 0:
		return set_pixel_format(c, p);
	case 2:
		set_encodings(c, p);
		return 0;
	case 3:
		update_request(c, p);
		return 0;
	case 4:
		logf_line("key %s 0x%04x", p[1] ? "down" : "up", (unsigned)get32(p + 4));
		if (p[1]) {
			c->presses++;
			c->dirty = 1;
		}
		return 0;
	case 5:
		logf_line("pointer %u %u buttons 0x%02x", get16(p + 2), get16(p + 4), p[1]);
		return 0;
	case 6:
		logf_line("client-cut-text %zu bytes", n - 8);
		return 0;
	case 150:
		logf_line("enable-continuous-updates %u", p[1]);
		return 0;
	case 251:
		logf_line("set-desktop-size %ux%u", get16(p + 2), get16(p + 4));
		return 0;
	}
	return -1;
}

static void send_server_init(struct conn *c)
{
	static const struct pixel_format ours = { 32, 24, 0, 1, { 255, 255, 255 }, { 16, 8, 0 } };
	size_t name_len = strlen(c->opt->name);

	c->pf = ours;
	put16(c, (unsigned)c->width);
	put16(c, (unsigned)c->height);
	put_pixel_format(c, &ours);
	put32(c, (uint32_t)name_len);
	put(c, c->opt->name, name_len);
}

/* Take what the client sent so far, phase by phase; -1 ends the connection. */
static int take_input(struct conn *c)
{
	struct bytes *in = &c->in;

	for (;;) {
		const uint8_t *p = in->data + in->off;
		size_t n = bytes_pending(in);
		long need;

		if (c->mute) {
			if (n)
				logf_line("# ignored %zu bytes", n);
			in->off = in->len;
			return 0;
		}
		switch (c->phase) {
		case PHASE_VERSION:
			if (n < 12)
				return 0;
			logf_line("version %.11s", (const char *)p);
			if (memcmp(p, "RFB 003.008\n", 12) != 0) {
				loud("the client answered version '%.11s'; this server speaks 3.8 "
				     "only",
				     (const char *)p);
				return -1;
			}
			in->off += 12;
			put8(c, 1); /* one security type: None */
			put8(c, 1);
			c->phase = PHASE_SECURITY;
			continue;
		case PHASE_SECURITY:
			if (n < 1)
				return 0;
			logf_line("security-type %u", p[0]);
			if (p[0] != 1) {
				loud("the client chose security type %u; only None (1) was offered",
				     p[0]);
				return -1;
			}
			in->off += 1;
			put32(c, 0); /* SecurityResult OK */
			c->phase = PHASE_CLIENT_INIT;
			continue;
		case PHASE_CLIENT_INIT:
			if (n < 1)
				return 0;
			logf_line("client-init shared %u", p[0]);
			in->off += 1;
			send_server_init(c);
			c->phase = PHASE_MESSAGES;
			continue;
		case PHASE_MESSAGES:
			if (n < 1)
				return 0;
			need = message_size(p, n);
			if (need < 0) {
				loud("unknown client message type %u", p[0]);
				return -1;
			}
			if (need > CLIENT_MESSAGE_MAX) {
				loud("client message type %u of %ld bytes is too long", p[0], need);
				return -1;
			}
			if (need == 0 || n < (size_t)need)
				return 0;
			if (client_message(c, p, (size_t)need) < 0)
				return -1;
			in->off += (size_t)need;
			continue;
		}
	}
}

/* Read what is there; -1 when the connection has ended (end_reason set). */
static int read_input(struct conn *c)
{
	for (;;) {
		ssize_t got;

		bytes_reserve(&c->in, 65536);
		got = recv(c->fd, c->in.data + c->in.len, c->in.cap - c->in.len, MSG_DONTWAIT);
		if (got > 0) {
			c->in.len += (size_t)got;
			continue;
		}
		if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			break;
		c->end_reason = got == 0 ? "the client closed the connection" : strerror(errno);
		take_input(c);
		return -1;
	}
	if (take_input(c) < 0) {
		c->end_reason = "the server gave up on the client (see the error above)";
		return -1;
	}
	return 0;
}

/* Send what is queued, or one byte when paced; -1 when the link is gone. */
static int write_output(struct conn *c, long long now)
{
	size_t n = bytes_pending(&c->out);
	ssize_t sent;

	if (c->pace_ms > 0) {
		if (now < c->next_byte_ms)
			return 0;
		n = n ? 1 : 0;
		c->next_byte_ms = now + c->pace_ms;
	}
	if (n == 0)
		return 0;
	sent = send(c->fd, c->out.data + c->out.off, n, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (sent < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
			return 0;
		c->end_reason =
			errno == EPIPE ? "the client closed the connection" : strerror(errno);
		return -1;
	}
	c->out.off += (size_t)sent;
	return 0;
}

/* How long poll may sleep: until the next paced byte or the next
 * incremental answer, or for ever (-1). */
static int poll_timeout(const struct conn *c, long long now)
{
	long long until = -1;

	if (bytes_pending(&c->out) && c->pace_ms > 0)
		until = c->next_byte_ms;
	else if (!bytes_pending(&c->out) && c->answering && c->want_incremental && c->dirty)
		until = c->last_incremental_ms + INCREMENTAL_EVERY_MS;
	if (until < 0)
		return -1;
	return until <= now ? 0 : (int)(until - now);
}

/* Serve one accepted connection until it ends or we are stopped. */
static void serve(int fd, const struct options *opt)
{
	struct conn c = { 0 };
	int one = 1;

	c.fd = fd;
	c.opt = opt;
	c.mode = opt->mode;
	c.reading = c.answering = 1;
	c.width = c.mode->width ? c.mode->width : DEFAULT_W;
	c.height = c.mode->height ? c.mode->height : DEFAULT_H;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (c.mode->pace_from_start) {
		c.pace_ms = opt->trickle_ms;
		logf_line("# trickling from the start: one byte every %ld ms", c.pace_ms);
	}
	(c.mode->at_accept ? c.mode->at_accept : accept_normally)(&c);
	while (!stopping) {
		long long now = now_ms();
		struct pollfd pfd = { fd, POLLRDHUP, 0 };

		if (!bytes_pending(&c.out)) {
			if (c.close_when_flushed) {
				c.end_reason = "closed by the server, as its mode says";
				break;
			}
			if (c.first_update_queued && !c.misbehaved) {
				c.misbehaved = 1;
				if (c.mode->after_first_update)
					c.mode->after_first_update(&c);
				continue;
			}
			if (c.answering && c.phase == PHASE_MESSAGES)
				answer_requests(&c, now);
		}
		if (c.reading)
			pfd.events |= POLLIN;
		if (bytes_pending(&c.out) && (c.pace_ms <= 0 || now >= c.next_byte_ms))
			pfd.events |= POLLOUT;
		if (poll(&pfd, 1, poll_timeout(&c, now)) < 0) {
			if (errno == EINTR)
				continue;
			die("poll: %s", strerror(errno));
		}
		/* Read before writing: what the client sent before it went away
		 * (its key releases) must reach the log. */
		if ((pfd.revents & (POLLIN | POLLHUP | POLLERR | POLLRDHUP)) && c.reading &&
		    read_input(&c) < 0)
			break;
		if (!c.reading && (pfd.revents & (POLLHUP | POLLERR | POLLRDHUP))) {
			c.end_reason = "the client went away (unread bytes left unread)";
			break;
		}
		if ((pfd.revents & POLLOUT) && write_output(&c, now_ms()) < 0) {
			if (c.reading)
				read_input(&c);
			break;
		}
	}
	if (stopping && !c.end_reason)
		c.end_reason = "the server was stopped";
	logf_line("# disconnect: %s", c.end_reason);
	close(fd);
	free(c.in.data);
	free(c.out.data);
}

/* ---------------------------------------------------------------------------
 * Listening */

static void on_stop(int sig)
{
	(void)sig;
	stopping = 1;
}

static int listen_on(int port, int *chosen)
{
	struct sockaddr_in a = { 0 };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

	if (fd < 0)
		die("socket: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("cannot listen on 127.0.0.1:%d: %s", port, strerror(errno));
	if (listen(fd, 8) < 0 || getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		die("listen: %s", strerror(errno));
	*chosen = ntohs(a.sin_port);
	return fd;
}

/* Written whole under a temporary name, then renamed: a test that sees the
 * file sees the port. */
static void write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f || fprintf(f, "%d\n", port) < 0 || fclose(f) != 0 || rename(tmp, path) != 0)
		die("cannot write the port to %s: %s", path, strerror(errno));
}

static void usage(FILE *to)
{
	size_t i;

	fprintf(to, "usage: hostile_server --port N|0 [--port-file F] [--mode NAME] [--log FILE]\n"
		    "                      [--name NAME] [--trickle-ms N] [--connections N]\n"
		    "An RFB 3.8 server on 127.0.0.1 that misbehaves on purpose: once the first\n"
		    "full update has gone out, unless the mode says otherwise. Modes:\n");
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		fprintf(to, "  %-24s %s\n", modes[i].name, modes[i].what);
}

static long number(const char *s, const char *what, long min, long max)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		die("%s: '%s' is not a number from %ld to %ld", what, s, min, max);
	return v;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "port-file", required_argument, NULL, 'P' },
		{ "mode", required_argument, NULL, 'm' },
		{ "log", required_argument, NULL, 'l' },
		{ "name", required_argument, NULL, 'n' },
		{ "trickle-ms", required_argument, NULL, 't' },
		{ "connections", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct options opt = { -1, NULL, NULL, "hostile", 1000, 0, &modes[0] };
	struct sigaction sa = { .sa_handler = on_stop };
	long served = 0;
	int lfd, port, ch;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'p':
			opt.port = (int)number(optarg, "--port", 0, 65535);
			break;
		case 'P':
			opt.port_file = optarg;
			break;
		case 'm':
			opt.mode = mode_named(optarg);
			if (!opt.mode) {
				usage(stderr);
				die("no mode named '%s'", optarg);
			}
			break;
		case 'l':
			opt.log_path = optarg;
			break;
		case 'n':
			opt.name = optarg;
			break;
		case 't':
			opt.trickle_ms = number(optarg, "--trickle-ms", 1, 3600000);
			break;
		case 'c':
			opt.connections = number(optarg, "--connections", 0, 1000000);
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		die("unexpected argument '%s'", argv[optind]);
	}
	if (opt.port < 0) {
		usage(stderr);
		die("--port is required");
	}
	log_file = stdout;
	if (opt.log_path && strcmp(opt.log_path, "-") != 0) {
		log_file = fopen(opt.log_path, "w");
		if (!log_file)
			die("cannot open the log %s: %s", opt.log_path, strerror(errno));
	}
	/* No SA_RESTART: a stop interrupts poll and accept. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	lfd = listen_on(opt.port, &port);
	logf_line("# listening 127.0.0.1:%d mode %s", port, opt.mode->name);
	if (opt.port_file)
		write_port_file(opt.port_file, port);
	while (!stopping && (opt.connections == 0 || served < opt.connections)) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC | SOCK_NONBLOCK);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept: %s", strerror(errno));
		}
		served++;
		logf_line("# connect %s:%u", inet_ntoa(peer.sin_addr), ntohs(peer.sin_port));
		serve(fd, &opt);
	}
	close(lfd);
	logf_line("# stopped after %ld connection%s", served, served == 1 ? "" : "s");
	if (log_file != stdout)
		fclose(log_file);
	return 0;
}
