/* fbs.c: writing and reading FBS captures (format in fbs.h). The writer
 * owns one file descriptor and writes each block whole, unbuffered; for a
 * blank span it also reads back and cuts what it wrote, and holds the
 * stream in memory until it learns where the span ends. The reader owns
 * one FILE and the buffer of the last block read, and checks every length
 * against the file's size before allocating. What the bytes mean (RFB) is
 * replay.c's business, but for the one blank screen the writer makes. */
#include "record/fbs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/files.h"
#include "util/xalloc.h"

/* Blank spans (fbs_writer_blank_begin): how many recent stream blocks the
 * writer remembers the place of, to cut the file back to where a span
 * begins (the session asks for it within a few hundred kilobytes of the
 * stream's end); how much of the stream it holds in memory while it waits
 * to learn where a span ends; and the flat colour it paints instead. */
#define FBS_SPOTS 4096
#define FBS_HOLD_MAX (32u * 1024 * 1024)
#define FBS_BLANK_GREY 0x80
#define FBS_BLANK_CHUNK (256u * 1024)
#define NOT_STREAM UINT64_MAX /* a block of our own making, not the server's */

/* Where a block of the server's stream sits in the file. */
struct fbs_spot {
	uint64_t stream; /* stream offset of its first byte */
	uint64_t file;   /* file offset of its header */
	uint32_t len, ms;
};

/* Held bytes held[previous end .. end) came in one add, at ms. */
struct fbs_run {
	size_t end;
	uint32_t ms;
};

struct fbs_writer {
	int fd;
	char *path;
	int failed_errno; /* the first write error, 0 if none */
	char stopped[200]; /* why recording stopped without a write error, or "" */
	uint64_t bytes;    /* stream bytes added so far: the offset of the next */
	uint64_t file_end; /* where the next block goes */
	uint32_t last_ms;  /* time of the last block written */
	struct fbs_spot spots[FBS_SPOTS]; /* the newest stream blocks, a ring */
	size_t spot0, nspots;
	/* A blank span in progress: the stream from blank_from on is held
	 * here, not written, until fbs_writer_blank_end says where it ends. */
	int blanking;
	uint64_t blank_from;
	int blank_w, blank_h; /* the screen at blank_from */
	uint8_t *held;
	size_t held_len, held_cap;
	struct fbs_run *runs;
	size_t nruns, runs_cap;
};

struct fbs_reader {
	FILE *f;
	char *path;
	uint64_t offset; /* of the next block */
	uint64_t size;   /* of the file, as last seen */
	uint8_t *buf;
	size_t cap;
	uint32_t last_ms;
	int state;       /* 1 reading, 0 at the end, -1 failed */
	struct vb_error failure;
};

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}


/* Write all of iov (which it consumes), retrying partial writes. */
static int write_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t k = writev(fd, iov, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		while (n > 0 && (size_t)k >= iov->iov_len) {
			k -= (ssize_t)iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + k;
			iov->iov_len -= (size_t)k;
		}
	}
	return 0;
}

struct fbs_writer *fbs_writer_open(const char *path, struct vb_error *err)
{
	struct fbs_writer *w;
	struct iovec iov = { (void *)FBS_HEADER, FBS_HEADER_LEN };
	/* Read as well as written: a blank span reads back what it cuts. */
	int fd = files_create_new(path, "the capture", err);

	if (fd < 0)
		return NULL;
	if (write_all(fd, &iov, 1) < 0) {
		vb_fail(err, VB_FAILED, "cannot write the capture %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	w = xcalloc(1, sizeof(*w));
	w->fd = fd;
	w->path = xstrdup(path);
	w->file_end = FBS_HEADER_LEN;
	return w;
}

static int failed(const struct fbs_writer *w)
{
	return w->failed_errno || w->stopped[0];
}

static struct fbs_spot *spot(struct fbs_writer *w, size_t i)
{
	return &w->spots[(w->spot0 + i) % FBS_SPOTS];
}

/* Append one block. A time earlier than the last block's is raised to it:
 * the session and the bridge thread read the clock apart. stream is where
 * the data starts in the server's stream, or NOT_STREAM. */
static int write_block(struct fbs_writer *w, const void *data, uint32_t len, uint32_t ms,
		       uint64_t stream)
{
	static const uint8_t zeros[3];
	uint8_t head[4], tail[4];
	uint32_t pad = (4 - len % 4) % 4;
	struct iovec iov[4] = {
		{ head, 4 }, { (void *)data, len }, { (void *)zeros, pad }, { tail, 4 },
	};

	if (ms < w->last_ms)
		ms = w->last_ms;
	put_be32(head, len);
	put_be32(tail, ms);
	if (write_all(w->fd, iov, 4) < 0) {
		w->failed_errno = errno ? errno : EIO;
		return -1;
	}
	if (stream != NOT_STREAM) {
		if (w->nspots == FBS_SPOTS) {
			w->spot0 = (w->spot0 + 1) % FBS_SPOTS;
			w->nspots--;
		}
		*spot(w, w->nspots++) = (struct fbs_spot){ stream, w->file_end, len, ms };
	}
	w->file_end += 4 + (uint64_t)len + pad + 4;
	w->last_ms = ms;
	return 0;
}

/* Write stream bytes from stream offset `at` in blocks of at most
 * FBS_MAX_BLOCK. */
static int write_stream(struct fbs_writer *w, const uint8_t *p, size_t len, uint32_t ms,
			uint64_t at)
{
	while (len > 0) {
		uint32_t n = len > FBS_MAX_BLOCK ? FBS_MAX_BLOCK : (uint32_t)len;

		if (write_block(w, p, n, ms, at) < 0)
			return -1;
		p += n;
		at += n;
		len -= n;
	}
	return 0;
}

/* Make room for n more held bytes. Held bytes show the screen while a
 * secret was typed: a buffer outgrown is wiped, not just freed. */
static void held_reserve(struct fbs_writer *w, size_t n)
{
	uint8_t *bigger;
	size_t cap = w->held_cap ? w->held_cap : 64 * 1024;

	if (w->held_len + n <= w->held_cap)
		return;
	while (cap < w->held_len + n)
		cap *= 2;
	bigger = xmalloc(cap);
	if (w->held) {
		memcpy(bigger, w->held, w->held_len);
		explicit_bzero(w->held, w->held_cap);
		free(w->held);
	}
	w->held = bigger;
	w->held_cap = cap;
}

/* Note that the last n held bytes came at ms. */
static void held_run(struct fbs_writer *w, uint32_t ms)
{
	if (w->nruns == w->runs_cap) {
		w->runs_cap = w->runs_cap ? w->runs_cap * 2 : 64;
		w->runs = xrealloc(w->runs, w->runs_cap * sizeof(*w->runs));
	}
	w->runs[w->nruns++] = (struct fbs_run){ w->held_len, ms };
}

static void held_drop(struct fbs_writer *w)
{
	if (w->held)
		explicit_bzero(w->held, w->held_cap);
	free(w->held);
	free(w->runs);
	w->held = NULL;
	w->runs = NULL;
	w->held_len = w->held_cap = w->nruns = w->runs_cap = 0;
}

/* One FramebufferUpdate painting the whole to_w x to_h screen FBS_BLANK_GREY
 * (Raw, 32 bits a pixel: any byte order shows the same grey), with a
 * DesktopSize rectangle first if the screen is no longer from_w x from_h:
 * whatever the left-out span did, a replay goes on from a screen of the
 * right size. */
static int write_blank(struct fbs_writer *w, int from_w, int from_h, int to_w, int to_h,
		       uint32_t ms)
{
	uint8_t head[4 + 12 + 12], *grey;
	size_t n = 0, left;
	int resize = to_w != from_w || to_h != from_h, rc = 0;

	if (to_w <= 0 || to_h <= 0 || to_w > 0xffff || to_h > 0xffff)
		return 0; /* no screen to paint (never told one) */
	head[n++] = 0; /* FramebufferUpdate */
	head[n++] = 0;
	head[n++] = 0;
	head[n++] = resize ? 2 : 1;
	for (int r = resize ? 0 : 1; r < 2; r++) {
		memset(head + n, 0, 4); /* x, y */
		head[n + 4] = (uint8_t)(to_w >> 8);
		head[n + 5] = (uint8_t)to_w;
		head[n + 6] = (uint8_t)(to_h >> 8);
		head[n + 7] = (uint8_t)to_h;
		put_be32(head + n + 8, r == 0 ? (uint32_t)-223 : 0); /* DesktopSize, Raw */
		n += 12;
	}
	if (write_block(w, head, (uint32_t)n, ms, NOT_STREAM) < 0)
		return -1;
	grey = xmalloc(FBS_BLANK_CHUNK);
	memset(grey, FBS_BLANK_GREY, FBS_BLANK_CHUNK);
	for (left = (size_t)to_w * (size_t)to_h * 4; left > 0 && rc == 0;) {
		uint32_t k = left > FBS_BLANK_CHUNK ? FBS_BLANK_CHUNK : (uint32_t)left;

		rc = write_block(w, grey, k, ms, NOT_STREAM);
		left -= k;
	}
	free(grey);
	return rc;
}

/* Stop recording for good with a reason (fbs_writer_close reports it). */
static int stop(struct fbs_writer *w, const char *why)
{
	snprintf(w->stopped, sizeof(w->stopped), "%s", why);
	held_drop(w);
	w->blanking = 0;
	return -1;
}

/* Hold n stream bytes that came at ms. Past FBS_HOLD_MAX the span will
 * never be known to end in time: the capture ends with the blank screen. */
static int hold(struct fbs_writer *w, const void *data, size_t n, uint32_t ms)
{
	if (n == 0)
		return 0;
	if (w->held_len + n > FBS_HOLD_MAX) {
		held_drop(w);
		write_blank(w, w->blank_w, w->blank_h, w->blank_w, w->blank_h, ms);
		return stop(w, "stops where a secret began to be typed: more than 32 MiB came "
			    "from the console before the span --record-blank-secrets leaves out ended");
	}
	held_reserve(w, n);
	memcpy(w->held + w->held_len, data, n);
	w->held_len += n;
	held_run(w, ms);
	return 0;
}

int fbs_writer_add(struct fbs_writer *w, const void *data, size_t len, uint32_t ms)
{
	uint64_t at = w->bytes;

	if (failed(w))
		return -1;
	w->bytes += len;
	if (w->blanking)
		return hold(w, data, len, ms);
	return write_stream(w, data, len, ms, at);
}

uint64_t fbs_writer_bytes(const struct fbs_writer *w)
{
	return w->bytes;
}

/* Move the stream from offset on out of the file into held: read back the
 * blocks from the one holding offset, cut the file before that block, and
 * write again the part of it before offset. */
static int cut_back(struct fbs_writer *w, uint64_t offset)
{
	struct fbs_spot at;
	size_t first, i, k;
	uint32_t head_len;
	uint8_t *head;
	int rc = 0;

	for (k = w->nspots; k > 0 && spot(w, k - 1)->stream > offset; k--)
		;
	if (k == 0)
		return stop(w, "stops where a secret began to be typed: the point to leave out "
			    "from was too far back to find (--record-blank-secrets)");
	first = k - 1;
	at = *spot(w, first);
	head_len = (uint32_t)(offset - at.stream);
	head = xmalloc(head_len ? head_len : 1);
	if (pread(w->fd, head, head_len, (off_t)(at.file + 4)) != (ssize_t)head_len)
		rc = -1;
	for (i = first; i < w->nspots && rc == 0; i++) {
		const struct fbs_spot *sp = spot(w, i);
		uint32_t from = i == first ? head_len : 0;

		if (from >= sp->len)
			continue;
		held_reserve(w, sp->len - from);
		if (pread(w->fd, w->held + w->held_len, sp->len - from,
			  (off_t)(sp->file + 4 + from)) != (ssize_t)(sp->len - from)) {
			rc = -1;
			break;
		}
		w->held_len += sp->len - from;
		held_run(w, sp->ms);
	}
	if (rc == 0 && (ftruncate(w->fd, (off_t)at.file) < 0 ||
			lseek(w->fd, (off_t)at.file, SEEK_SET) < 0))
		rc = -1;
	if (rc < 0) {
		w->failed_errno = errno ? errno : EIO;
		free(head);
		return -1;
	}
	w->nspots = first;
	w->file_end = at.file;
	w->last_ms = at.ms; /* no block left in the file is later */
	if (head_len)
		rc = write_block(w, head, head_len, at.ms, at.stream);
	free(head);
	return rc;
}

int fbs_writer_blank_begin(struct fbs_writer *w, uint64_t offset, int width, int height)
{
	if (failed(w))
		return -1;
	if (w->blanking)
		return 0;
	if (offset > w->bytes)
		offset = w->bytes; /* not received yet: nothing to take back */
	if (offset < w->bytes && cut_back(w, offset) < 0)
		return -1;
	w->blanking = 1;
	w->blank_from = offset;
	w->blank_w = width;
	w->blank_h = height;
	return 0;
}

int fbs_writer_blank_end(struct fbs_writer *w, uint64_t offset, int width, int height,
			 uint32_t ms)
{
	size_t skip, r, lo;
	uint32_t blank_ms = ms;
	int rc;

	if (failed(w))
		return -1;
	if (!w->blanking)
		return 0;
	w->blanking = 0;
	if (offset < w->blank_from)
		offset = w->blank_from;
	if (offset > w->bytes)
		offset = w->bytes;
	skip = (size_t)(offset - w->blank_from);
	/* The blank screen takes the time of the first byte kept after it. */
	for (r = 0; r < w->nruns; r++)
		if (w->runs[r].end > skip) {
			blank_ms = w->runs[r].ms;
			break;
		}
	rc = write_blank(w, w->blank_w, w->blank_h, width, height, blank_ms);
	for (r = 0, lo = 0; r < w->nruns && rc == 0; lo = w->runs[r++].end) {
		size_t from = lo > skip ? lo : skip;

		if (from < w->runs[r].end)
			rc = write_stream(w, w->held + from, w->runs[r].end - from, w->runs[r].ms,
					  w->blank_from + from);
	}
	held_drop(w);
	return rc;
}

int fbs_writer_close(struct fbs_writer *w, struct vb_error *err)
{
	int rc = 0;

	if (!w)
		return 0;
	if (w->blanking && !failed(w)) {
		/* The span never ended: none of it is kept, and the capture ends
		 * on the blank screen. */
		held_drop(w);
		write_blank(w, w->blank_w, w->blank_h, w->blank_w, w->blank_h, w->last_ms);
	}
	held_drop(w);
	if (w->stopped[0]) {
		rc = vb_fail(err, VB_FAILED, "the capture %s %s", w->path, w->stopped);
		close(w->fd);
	} else if (w->failed_errno) {
		rc = vb_fail(err, VB_FAILED, "writing the capture %s failed: %s; it holds only "
			     "what came before", w->path, strerror(w->failed_errno));
		close(w->fd);
	} else if (close(w->fd) < 0) {
		rc = vb_fail(err, VB_FAILED, "writing the capture %s failed: %s", w->path,
			     strerror(errno));
	}
	free(w->path);
	free(w);
	return rc;
}

/* The first bytes of a file that is not a capture, shown safely. */
static void show_start(const uint8_t *p, size_t n, char *out, size_t size)
{
	size_t i, o = 0;

	for (i = 0; i < n && o + 5 < size; i++) {
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '"' && p[i] != '\\')
			out[o++] = (char)p[i];
		else
			o += (size_t)snprintf(out + o, size - o, "\\x%02x", p[i]);
	}
	out[o] = '\0';
}

struct fbs_reader *fbs_reader_open(const char *path, struct vb_error *err)
{
	struct fbs_reader *r;
	struct stat st;
	uint8_t head[FBS_HEADER_LEN];
	size_t n;
	FILE *f = files_open_read(path, "capture", err);

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) < 0) {
		vb_fail(err, VB_FAILED, "cannot read the capture %s: %s", path, strerror(errno));
		fclose(f);
		return NULL;
	}
	n = fread(head, 1, sizeof(head), f);
	if (n < sizeof(head) || memcmp(head, FBS_HEADER, FBS_HEADER_LEN) != 0) {
		char shown[64];

		if (ferror(f))
			vb_fail(err, VB_FAILED, "cannot read the capture %s: %s", path, strerror(errno));
		else if (n == 0)
			vb_fail(err, VB_FAILED, "%s is not an FBS capture: the file is empty", path);
		else if (n < sizeof(head))
			vb_fail(err, VB_FAILED, "%s is not an FBS capture: it is only %zu byte%s long",
				path, n, n == 1 ? "" : "s");
		else if (memcmp(head, "FBS ", 4) == 0) {
			show_start(head, n, shown, sizeof(shown));
			vb_fail(err, VB_FAILED, "%s is an FBS capture of version \"%s\"; only "
				"FBS 001.000 is read", path, shown);
		} else {
			show_start(head, n, shown, sizeof(shown));
			vb_fail(err, VB_FAILED, "%s is not an FBS capture: it starts with \"%s\", "
				"not \"FBS 001.000\\n\"", path, shown);
		}
		fclose(f);
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->f = f;
	r->path = xstrdup(path);
	r->offset = FBS_HEADER_LEN;
	r->size = (uint64_t)st.st_size;
	r->state = 1;
	return r;
}

uint64_t fbs_reader_offset(const struct fbs_reader *r)
{
	return r->offset;
}

static int reader_fail(struct fbs_reader *r, struct vb_error *err)
{
	r->state = -1;
	if (err)
		*err = r->failure;
	return -1;
}

/* Refresh the size (a capture may still be growing) and tell whether the
 * file holds `need` bytes from the current offset. */
static int holds(struct fbs_reader *r, uint64_t need)
{
	struct stat st;

	if (r->offset + need <= r->size)
		return 1;
	if (fstat(fileno(r->f), &st) == 0)
		r->size = (uint64_t)st.st_size;
	return r->offset + need <= r->size;
}

int fbs_reader_next(struct fbs_reader *r, const uint8_t **data, size_t *len,
		    uint32_t *ms, struct vb_error *err)
{
	uint8_t head[4], tail[4];
	uint32_t n, stamp;
	uint64_t padded;
	size_t got;

	if (r->state == 0)
		return 0;
	if (r->state < 0)
		return reader_fail(r, err);
	got = fread(head, 1, 4, r->f);
	if (got == 0 && !ferror(r->f)) {
		r->state = 0;
		return 0;
	}
	if (got < 4) {
		if (ferror(r->f))
			vb_fail(&r->failure, VB_FAILED, "cannot read the capture %s at byte %llu: %s",
				r->path, (unsigned long long)r->offset, strerror(errno));
		else
			vb_fail(&r->failure, VB_FAILED, "capture %s is cut short: it ends inside "
				"the block header at byte %llu", r->path,
				(unsigned long long)r->offset);
		return reader_fail(r, err);
	}
	n = get_be32(head);
	if (n > FBS_MAX_BLOCK) {
		vb_fail(&r->failure, VB_FAILED, "capture %s is damaged: the block at byte %llu "
			"claims %lu bytes, more than the %u MiB a block may hold", r->path,
			(unsigned long long)r->offset, (unsigned long)n, FBS_MAX_BLOCK >> 20);
		return reader_fail(r, err);
	}
	padded = ((uint64_t)n + 3) & ~(uint64_t)3;
	if (!holds(r, 4 + padded + 4)) {
		vb_fail(&r->failure, VB_FAILED, "capture %s is cut short: the block at byte %llu "
			"needs %llu bytes, the file ends %llu bytes after its start", r->path,
			(unsigned long long)r->offset, (unsigned long long)(4 + padded + 4),
			(unsigned long long)(r->size - r->offset));
		return reader_fail(r, err);
	}
	if (padded > r->cap) {
		free(r->buf);
		r->buf = xmalloc(padded);
		r->cap = padded;
	}
	if ((padded && fread(r->buf, 1, padded, r->f) != padded) || fread(tail, 1, 4, r->f) != 4) {
		if (ferror(r->f))
			vb_fail(&r->failure, VB_FAILED, "cannot read the capture %s at byte %llu: %s",
				r->path, (unsigned long long)r->offset, strerror(errno));
		else
			vb_fail(&r->failure, VB_FAILED, "capture %s is cut short: the block at "
				"byte %llu ends early", r->path, (unsigned long long)r->offset);
		return reader_fail(r, err);
	}
	stamp = get_be32(tail);
	if (stamp < r->last_ms) {
		vb_fail(&r->failure, VB_FAILED, "capture %s is damaged: the block at byte %llu "
			"has time %lu ms, before the %lu ms of the block before it", r->path,
			(unsigned long long)r->offset, (unsigned long)stamp,
			(unsigned long)r->last_ms);
		return reader_fail(r, err);
	}
	r->last_ms = stamp;
	r->offset += 4 + padded + 4;
	*data = r->buf;
	*len = n;
	*ms = stamp;
	return 1;
}

void fbs_reader_close(struct fbs_reader *r)
{
	if (!r)
		return;
	fclose(r->f);
	free(r->buf);
	free(r->path);
	free(r);
}
