/* fbs.c: writing and reading FBS captures (format in fbs.h). The writer
 * owns one file descriptor and writes each block whole, unbuffered; the
 * reader owns one FILE and the buffer of the last block read, and checks
 * every length against the file's size before allocating. What the bytes
 * mean (RFB) is replay.c's business. */
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

struct fbs_writer {
	int fd;
	char *path;
	int failed_errno; /* the first write error, 0 if none */
	uint64_t bytes;
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

static char *dup_or_abort(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
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
	int fd = files_create_new(path, "the capture", err);

	if (fd < 0)
		return NULL;
	if (write_all(fd, &iov, 1) < 0) {
		vb_fail(err, VB_FAILED, "cannot write the capture %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		abort();
	w->fd = fd;
	w->path = dup_or_abort(path);
	return w;
}

static int add_block(struct fbs_writer *w, const void *data, uint32_t len, uint32_t ms)
{
	static const uint8_t zeros[3];
	uint8_t head[4], tail[4];
	struct iovec iov[4] = {
		{ head, 4 }, { (void *)data, len }, { (void *)zeros, (4 - len % 4) % 4 }, { tail, 4 },
	};

	put_be32(head, len);
	put_be32(tail, ms);
	if (write_all(w->fd, iov, 4) < 0) {
		w->failed_errno = errno ? errno : EIO;
		return -1;
	}
	w->bytes += len;
	return 0;
}

int fbs_writer_add(struct fbs_writer *w, const void *data, size_t len, uint32_t ms)
{
	const uint8_t *p = data;

	if (w->failed_errno)
		return -1;
	while (len > 0) {
		uint32_t n = len > FBS_MAX_BLOCK ? FBS_MAX_BLOCK : (uint32_t)len;

		if (add_block(w, p, n, ms) < 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

uint64_t fbs_writer_bytes(const struct fbs_writer *w)
{
	return w->bytes;
}

int fbs_writer_close(struct fbs_writer *w, struct vb_error *err)
{
	int rc = 0;

	if (!w)
		return 0;
	if (w->failed_errno) {
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
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->f = f;
	r->path = dup_or_abort(path);
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
		r->buf = malloc(padded);
		if (!r->buf)
			abort();
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
