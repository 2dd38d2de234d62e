/* replay.c: an FBS capture played back through libvncclient into PNG frames.
 * A feeder thread writes the recorded server stream into one end of a
 * socketpair and throws away what the client answers; libvncclient runs on
 * the other end on the calling thread, as it does against a live server.
 * The feeder notes where each block starts in the stream, so the time of a
 * frame is that of the block the decoder was reading when the frame ended.
 * What the bytes are (FBS blocks) is fbs.c's; pixels to PNG is screen.c's. */
#include "record/replay.h"
#include "session/liblog.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rfb/rfbclient.h>

#include "record/fbs.h"
#include "session/fbguard.h"
#include "screen/screen.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/xalloc.h"

#define REPLAY_READ_TIMEOUT_S 3 /* libvncclient's wait for bytes that do not come */
#define REPLAY_STALL_MS 3000    /* our wait for the decoder to make progress */
#define REPLAY_POLL_MS 100

/* A block of the capture: where it ends in the stream, and when it came. */
struct mark {
	uint64_t end;
	uint32_t ms;
};

/* The feeder thread and what it shares with the replaying thread. */
struct feed {
	pthread_t thread;
	int fd; /* the feeder's end of the socketpair */
	struct fbs_reader *reader;
	atomic_int stop;
	pthread_mutex_t lock;
	/* Under lock: */
	uint64_t written;    /* stream bytes the socket has taken */
	struct mark *marks;  /* the blocks started, oldest first, from index first */
	size_t first, n, cap;
	int finished;        /* every block is written, or the reader failed */
	int read_failed;
	struct vb_error read_err;
	uint64_t total;      /* stream bytes in the capture, once finished */
	uint8_t prefix[12];  /* the stream's first bytes: its RFB version */
	size_t nprefix;
};

struct replay {
	const struct replay_options *o;
	const char *path;
	struct feed feed;
	rfbClient *client;
	struct fbguard guard; /* the framebuffer, and what a capture may not hold */
	struct liblog lib;    /* libvncclient's lines on this thread */
	char lib_refusal[256];
	char lib_problem[256]; /* a line that says the stream is bad */
	int lib_saw_eof;
	int frames;          /* PNGs written */
	int updates;         /* FinishedFrameBufferUpdate calls */
	int dirty;           /* rectangles drawn since the last PNG */
	int written_any;
	uint32_t last_png_ms;
	uint32_t now_ms;     /* capture time of the bytes being decoded */
	int png_failed;
	struct vb_error png_err;
};

static const char replay_tag[] = "vncbot-replay";


/* libvncclient says "VNC server closed connection" at the end of the
 * stream, but also when it meets junk and reads on (an unknown message
 * type makes it read 256 bytes more): these lines tell junk apart. */
static int is_problem(const char *line)
{
	return strncmp(line, "Unknown", 7) == 0 || strstr(line, "too large") ||
	       strstr(line, "too big") || strstr(line, "rror") || strstr(line, "failed") ||
	       strstr(line, "nvalid") || strstr(line, "nsupported") || strstr(line, "refused");
}

/* libvncclient's lines while we replay (liblog.h): quiet, but the last
 * line is kept for messages, and two lines tell what happened: the end of
 * the stream, and a server's refusal. */
static void note_lib_line(struct liblog *l, const char *line)
{
	struct replay *rp = l->ctx;

	if (strncmp(line, "VNC server closed connection", 28) == 0)
		rp->lib_saw_eof = 1;
	if (strncmp(line, "VNC connection failed", 21) == 0)
		snprintf(rp->lib_refusal, sizeof(rp->lib_refusal), "%s", line);
	if (!rp->lib_problem[0] && is_problem(line))
		snprintf(rp->lib_problem, sizeof(rp->lib_problem), "%s", line);
}

/* ---- the feeder ---- */

static void feed_mark(struct feed *f, uint64_t end, uint32_t ms)
{
	if (f->first > 0 && f->first + f->n == f->cap) {
		memmove(f->marks, f->marks + f->first, f->n * sizeof(*f->marks));
		f->first = 0;
	}
	if (f->first + f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		f->marks = xrealloc(f->marks, f->cap * sizeof(*f->marks));
	}
	f->marks[f->first + f->n++] = (struct mark){ end, ms };
}

/* Write the capture's blocks into the socket as fast as the client takes
 * them, reading and dropping whatever the client sends. At the end, shut
 * our sending side (the client reads the end of the stream) but keep
 * reading until the client closes, so its writes never meet a closed
 * socket. */
static void *feed_main(void *arg)
{
	struct feed *f = arg;
	const uint8_t *data = NULL;
	size_t len = 0, off = 0;
	uint64_t planned = 0;
	char sink[4096];

	while (!atomic_load(&f->stop)) {
		struct pollfd p = { .fd = f->fd, .events = POLLIN };
		int finished;

		pthread_mutex_lock(&f->lock);
		finished = f->finished;
		pthread_mutex_unlock(&f->lock);
		while (off == len && !finished) {
			struct vb_error err;
			uint32_t ms;
			int rc = fbs_reader_next(f->reader, &data, &len, &ms, &err);

			off = 0;
			pthread_mutex_lock(&f->lock);
			if (rc == 1 && len > 0) {
				size_t k = len < sizeof(f->prefix) - f->nprefix ?
					   len : sizeof(f->prefix) - f->nprefix;

				memcpy(f->prefix + f->nprefix, data, k);
				f->nprefix += k;
				planned += len;
				feed_mark(f, planned, ms);
			} else if (rc <= 0) {
				len = 0;
				finished = f->finished = 1;
				f->total = planned;
				if (rc < 0) {
					f->read_failed = 1;
					f->read_err = err;
				}
			}
			pthread_mutex_unlock(&f->lock);
			if (finished)
				shutdown(f->fd, SHUT_WR);
		}
		if (off < len)
			p.events |= POLLOUT;
		if (poll(&p, 1, REPLAY_POLL_MS) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n = recv(f->fd, sink, sizeof(sink), MSG_DONTWAIT);

			if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR))
				break; /* the client is gone */
		}
		if (off < len && (p.revents & POLLOUT)) {
			ssize_t n;

			/* The count and the socket change together under the lock:
			 * feed_position reads both. */
			pthread_mutex_lock(&f->lock);
			n = send(f->fd, data + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
			if (n > 0)
				f->written += (uint64_t)n;
			pthread_mutex_unlock(&f->lock);
			if (n > 0)
				off += (size_t)n;
			else if (n < 0 && errno != EAGAIN && errno != EINTR)
				break;
		}
	}
	return NULL;
}

/* How far the decoder has read into the stream: what the socket took,
 * less what waits unread in it and in libvncclient's buffer. Forgets the
 * blocks wholly behind that point and sets rp->now_ms to the time of the
 * block the last byte read belongs to. */
static uint64_t feed_position(struct replay *rp)
{
	struct feed *f = &rp->feed;
	int unread = 0;
	uint64_t pos;

	pthread_mutex_lock(&f->lock);
	if (ioctl(rp->client->sock, FIONREAD, &unread) < 0 || unread < 0)
		unread = 0;
	pos = f->written - (uint64_t)unread;
	pos = pos > (uint64_t)rp->client->buffered ? pos - (uint64_t)rp->client->buffered : 0;
	while (f->n > 1 && f->marks[f->first].end < pos) {
		f->first++;
		f->n--;
	}
	if (f->n > 0)
		rp->now_ms = f->marks[f->first].ms;
	pthread_mutex_unlock(&f->lock);
	return pos;
}

static int feed_start(struct feed *f, int fd, struct fbs_reader *reader)
{
	sigset_t all, old;
	int rc;

	f->fd = fd;
	f->reader = reader;
	pthread_mutex_init(&f->lock, NULL);
	/* Signals belong to the caller's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&f->thread, NULL, feed_main, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		abort();
	return 0;
}

static void feed_stop(struct feed *f)
{
	atomic_store(&f->stop, 1);
	pthread_join(f->thread, NULL);
	close(f->fd);
	pthread_mutex_destroy(&f->lock);
	free(f->marks);
}

/* ---- libvncclient's callbacks ---- */

static struct replay *of(rfbClient *client)
{
	return rfbClientGetClientData(client, (void *)replay_tag);
}

static char *dummy_password(rfbClient *client)
{
	(void)client;
	/* The recorded server checked the real answer; this one is never
	 * checked, and libvncclient wipes and frees it. */
	return strdup("replay");
}

static void got_rect(rfbClient *client, int x, int y, int w, int h)
{
	(void)x;
	(void)y;
	(void)w;
	(void)h;
	of(client)->dirty = 1;
}

/* Write the screen as the next frame. Returns 0 or -1 (rp->png_err). */
static int write_frame(struct replay *rp, uint32_t ms)
{
	const struct replay_options *o = rp->o;
	rfbClient *c = rp->client;
	char path[4096];
	struct screen_image img = {
		.width = c->width, .height = c->height,
		.stride = (size_t)c->width * 4, .pixels = c->frameBuffer,
	};

	if (o->outdir) {
		if (snprintf(path, sizeof(path), "%s/frame-%05d.png", o->outdir, rp->frames + 1) >=
		    (int)sizeof(path)) {
			rp->png_failed = 1;
			return vb_fail(&rp->png_err, VB_FAILED, "frame directory name too long: %s",
				       o->outdir);
		}
		if (screen_write_png(path, &img, &rp->png_err) < 0) {
			rp->png_failed = 1;
			return -1;
		}
	}
	rp->frames++;
	rp->written_any = 1;
	rp->last_png_ms = ms;
	rp->dirty = 0;
	if (o->on_frame)
		o->on_frame(o->on_frame_arg, rp->frames, o->outdir ? path : NULL, ms);
	return 0;
}

static int frames_full(const struct replay *rp)
{
	return rp->o->max_frames > 0 && rp->frames >= rp->o->max_frames;
}

static void finished_update(rfbClient *client)
{
	struct replay *rp = of(client);

	rp->updates++;
	if (rp->png_failed || frames_full(rp))
		return;
	feed_position(rp);
	if (rp->o->every_ms <= 0 || !rp->written_any ||
	    (long long)rp->now_ms - rp->last_png_ms >= rp->o->every_ms)
		write_frame(rp, rp->now_ms);
}

/* ---- replaying ---- */

/* mkdir -p. Returns 0 or -1 with err. */
static int make_dirs(const char *dir, struct vb_error *err)
{
	char path[4096];
	size_t i, n = strlen(dir);
	struct stat st;

	if (n == 0 || n >= sizeof(path))
		return vb_fail(err, VB_FAILED, "bad frame directory name \"%.200s\"", dir);
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST)
			return vb_fail(err, VB_FAILED, "cannot create the frame directory %s: %s",
				       path, strerror(errno));
		path[i] = i < n ? '/' : '\0';
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return vb_fail(err, VB_FAILED, "cannot write frames into %s: not a directory", dir);
	return 0;
}

/* Does the stream start like "RFB 003.008\n", as far as it goes? */
static int looks_like_rfb(const uint8_t *p, size_t n)
{
	static const char pattern[] = "RFB ddd.ddd\n";
	size_t i;

	for (i = 0; i < n && i < 12; i++) {
		if (pattern[i] == 'd' ? (p[i] < '0' || p[i] > '9') : p[i] != (uint8_t)pattern[i])
			return 0;
	}
	return 1;
}

/* Why rfbInitClient failed, as an error about the capture. */
static int handshake_error(struct replay *rp, struct vb_error *err)
{
	struct feed *f = &rp->feed;
	int rc;

	pthread_mutex_lock(&f->lock);
	if (f->read_failed) {
		*err = f->read_err;
		rc = -1;
	} else if (f->finished && f->total == 0) {
		rc = vb_fail(err, VB_FAILED, "capture %s holds no data from the server", rp->path);
	} else if (!looks_like_rfb(f->prefix, f->nprefix)) {
		char shown[64];
		size_t i, o = 0;

		for (i = 0; i < f->nprefix && i < 11; i++)
			o += (size_t)snprintf(shown + o, sizeof(shown) - o,
					      f->prefix[i] >= 0x20 && f->prefix[i] < 0x7f ?
					      "%c" : "\\x%02x", f->prefix[i]);
		rc = vb_fail(err, VB_FAILED, "capture %s is not a VNC capture: its stream starts "
			     "with \"%s\", not an RFB version (\"RFB 003.008\")", rp->path, shown);
	} else if (rp->lib_refusal[0]) {
		rc = vb_fail(err, VB_FAILED, "capture %s records a connection the server refused "
			     "(%s): it holds no screen", rp->path,
			     rp->lib_refusal + (strncmp(rp->lib_refusal, "VNC connection failed: ", 23) ?
					    0 : 23));
	} else if (rp->lib_saw_eof && f->finished) {
		rc = vb_fail(err, VB_FAILED, "capture %s is truncated in the handshake: its %llu "
			     "bytes end before the RFB handshake completed", rp->path,
			     (unsigned long long)f->total);
	} else {
		rc = vb_fail(err, VB_FAILED, "the RFB handshake recorded in %s cannot be "
			     "replayed: %s", rp->path,
			     rp->lib.last[0] ? rp->lib.last : "protocol error");
	}
	pthread_mutex_unlock(&f->lock);
	return rc;
}

/* Decode messages until the stream ends. Returns 0 at its end (or when
 * max_frames is reached), -1 with err. */
static int play(struct replay *rp, struct vb_error *err)
{
	rfbClient *c = rp->client;
	const struct replay_options *o = rp->o;
	long long start = clock_now_ms(), last_progress = start;
	uint64_t pos = 0;

	for (;;) {
		long long now = clock_now_ms();
		int r;

		if (rp->png_failed) {
			*err = rp->png_err;
			return -1;
		}
		if (frames_full(rp))
			return 0;
		if (o->timeout_ms > 0 && now - start >= o->timeout_ms)
			return vb_fail(err, VB_FAILED, "replaying %s took longer than %.1fs: stopped "
				       "at byte %llu of its stream", rp->path, o->timeout_ms / 1000.0,
				       (unsigned long long)pos);
		/* 0.9.14's WaitForMessage ignores bytes it already buffered. */
		r = c->buffered ? 1 : WaitForMessage(c, REPLAY_POLL_MS * 1000);
		if (r < 0 && errno != EINTR)
			return vb_fail(err, VB_FAILED, "replaying %s: waiting for the stream: %s",
				       rp->path, strerror(errno));
		if (r > 0) {
			int ok;

			rp->lib_problem[0] = '\0'; /* what matters is the last message's */
			ok = HandleRFBServerMessage(c) ? 1 : 0;
			uint64_t at = feed_position(rp);

			if (at != pos) {
				pos = at;
				last_progress = clock_now_ms();
			}
			if (!ok || rp->guard.bad[0])
				break;
		} else if (clock_now_ms() - last_progress >= REPLAY_STALL_MS) {
			return vb_fail(err, VB_FAILED, "replaying %s stalled at byte %llu of its "
				       "stream for %.1fs", rp->path, (unsigned long long)pos,
				       REPLAY_STALL_MS / 1000.0);
		}
	}
	/* The decoder stopped: the normal end if it read the whole stream and
	 * then met its end. */
	{
		struct feed *f = &rp->feed;
		int rc = 0;

		char refusal[200];

		pthread_mutex_lock(&f->lock);
		if (fbguard_refusal(&rp->guard, refusal, sizeof(refusal))) {
			rc = vb_fail(err, VB_FAILED, "capture %s breaks off at byte %llu of its "
				     "stream (%lu ms): the server %s", rp->path,
				     (unsigned long long)pos, (unsigned long)rp->now_ms, refusal);
		} else if (f->read_failed) {
			*err = f->read_err;
			rc = -1;
		} else if (!(f->finished && rp->lib_saw_eof && pos == f->total && !rp->lib_problem[0])) {
			rc = vb_fail(err, VB_FAILED, "capture %s breaks off at byte %llu of its "
				     "stream (%lu ms): %s", rp->path, (unsigned long long)pos,
				     (unsigned long)rp->now_ms, rp->lib_problem[0] ? rp->lib_problem :
				     rp->lib.last[0] ? rp->lib.last : "protocol error");
		}
		pthread_mutex_unlock(&f->lock);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int replay_capture(const char *fbs_path, const struct replay_options *o,
		   int *frames_written, struct vb_error *err)
{
	struct replay rp;
	struct fbs_reader *reader;
	struct liblog *lib_before;
	rfbClient *c;
	int sv[2], rc = -1, damaged;

	if (frames_written)
		*frames_written = 0;
	memset(&rp, 0, sizeof(rp));
	rp.o = o;
	rp.path = fbs_path;
	reader = fbs_reader_open(fbs_path, err);
	if (!reader)
		return -1;
	if (o->outdir && make_dirs(o->outdir, err) < 0) {
		fbs_reader_close(reader);
		return -1;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, sv) < 0) {
		vb_fail(err, VB_FAILED, "cannot replay %s: socketpair: %s", fbs_path,
			strerror(errno));
		fbs_reader_close(reader);
		return -1;
	}
	feed_start(&rp.feed, sv[0], reader);

	rp.lib = (struct liblog){ .prefix = "replay: libvncclient", .observe = note_lib_line,
				  .ctx = &rp };
	lib_before = liblog_attach(&rp.lib);

	c = fbguard_client_new(&rp.guard, o->max_pixels > 0 ? (unsigned long long)o->max_pixels :
			       REPLAY_MAX_PIXELS, sv[1], "replay");
	rfbClientSetClientData(c, (void *)replay_tag, &rp);
	c->GetPassword = dummy_password;
	c->GotFrameBufferUpdate = got_rect;
	c->FinishedFrameBufferUpdate = finished_update;
	c->connectTimeout = REPLAY_READ_TIMEOUT_S;
	c->readTimeout = REPLAY_READ_TIMEOUT_S;
	/* On failure rfbInitClient frees the client and closes sv[1]. */
	if (!rfbInitClient(c, NULL, NULL)) {
		handshake_error(&rp, err);
	} else {
		rp.client = c;
		rc = play(&rp, err);
		/* The screen as the capture leaves it, unless a frame shows it;
		 * also before a damaged part of the file (what came before it is
		 * good), but not after a protocol error (the screen may be junk). */
		pthread_mutex_lock(&rp.feed.lock);
		damaged = rp.feed.read_failed;
		pthread_mutex_unlock(&rp.feed.lock);
		if ((rc == 0 || damaged) && rp.dirty && !rp.png_failed && !frames_full(&rp)) {
			feed_position(&rp);
			if (write_frame(&rp, rp.now_ms) < 0 && rc == 0) {
				*err = rp.png_err;
				rc = -1;
			}
		}
		rfbClientCleanup(c); /* closes sv[1]: the feeder ends */
	}
	feed_stop(&rp.feed);
	fbs_reader_close(reader);
	fbguard_free(&rp.guard);
	liblog_attach(lib_before);
	if (frames_written)
		*frames_written = rp.frames;
	if (rc == 0)
		log_msg(LOG_VERBOSE, "replayed %s: %d frame update%s, %d PNG%s", fbs_path,
			rp.updates, rp.updates == 1 ? "" : "s", rp.frames, rp.frames == 1 ? "" : "s");
	return rc;
}
