/* test_fbs.c: FBS captures written and read back (padding, timestamps,
 * damaged files refused with the byte offset), and replay of small RFB
 * streams made here byte by byte: frames written with the right pixels and
 * sizes, sampling by capture time, the last screen kept, and captures that
 * are not VNC, stop in the handshake or break off midway refused; blank
 * spans cut out of a capture that still replays, a grey screen in their
 * place. Files live in a fresh directory under /tmp, removed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/fbs.h"
#include "record/replay.h"
#include "screen/screen.h"

static char test_dir[64];

static const char *tmp_path(const char *name)
{
	static char buf[4][256];
	static int next;
	char *p = buf[next++ % 4];

	snprintf(p, sizeof(buf[0]), "%s/%s", test_dir, name);
	return p;
}

static int make_dir(void **state)
{
	(void)state;
	snprintf(test_dir, sizeof(test_dir), "/tmp/vbfbs.XXXXXX");
	return mkdtemp(test_dir) ? 0 : -1;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static int remove_dir(void **state)
{
	(void)state;
	return nftw(test_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
}

static void write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* ---- a byte buffer to build files and streams in ---- */

struct buf {
	uint8_t data[1 << 16];
	size_t len;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->len + n <= sizeof(b->data));
	memcpy(b->data + b->len, p, n);
	b->len += n;
}

static void put8(struct buf *b, unsigned v)
{
	uint8_t c = (uint8_t)v;

	put(b, &c, 1);
}

static void put16(struct buf *b, unsigned v)
{
	put8(b, v >> 8);
	put8(b, v);
}

static void put32(struct buf *b, uint32_t v)
{
	put16(b, v >> 16);
	put16(b, v & 0xffff);
}

/* One FBS block, padded. */
static void put_block(struct buf *b, const void *p, size_t n, uint32_t ms)
{
	static const uint8_t zeros[3];

	put32(b, (uint32_t)n);
	put(b, p, n);
	put(b, zeros, (4 - n % 4) % 4);
	put32(b, ms);
}

/* ---- the writer and the reader ---- */

static void round_trip_keeps_odd_lengths_and_times(void **state)
{
	const char *path = tmp_path("round.fbs");
	static const uint8_t lens[] = { 1, 2, 3, 4, 5, 7, 8, 13 };
	struct vb_error err;
	struct fbs_writer *w;
	struct fbs_reader *r;
	uint8_t data[16];
	const uint8_t *got;
	size_t i, len, expect_size = FBS_HEADER_LEN;
	uint32_t ms;

	(void)state;
	for (i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(0xa0 + i);
	w = fbs_writer_open(path, &err);
	assert_non_null(w);
	for (i = 0; i < sizeof(lens); i++) {
		assert_int_equal(fbs_writer_add(w, data, lens[i], (uint32_t)(i * 10)), 0);
		expect_size += 4 + (lens[i] + 3u) / 4 * 4 + 4;
	}
	assert_int_equal(fbs_writer_add(w, data, 0, 99), 0); /* adds nothing */
	assert_int_equal(fbs_writer_bytes(w), 1 + 2 + 3 + 4 + 5 + 7 + 8 + 13);
	assert_int_equal(fbs_writer_close(w, &err), 0);
	assert_int_equal(file_size(path), (long)expect_size);

	r = fbs_reader_open(path, &err);
	assert_non_null(r);
	for (i = 0; i < sizeof(lens); i++) {
		assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 1);
		assert_int_equal(len, lens[i]);
		assert_int_equal(ms, i * 10);
		assert_memory_equal(got, data, len);
	}
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 0);
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 0); /* stays at the end */
	assert_int_equal(fbs_reader_offset(r), expect_size);
	fbs_reader_close(r);
}

static void padding_is_zeros_and_lengths_big_endian(void **state)
{
	const char *path = tmp_path("pad.fbs");
	static const uint8_t expect[] = {
		'F', 'B', 'S', ' ', '0', '0', '1', '.', '0', '0', '0', '\n',
		0, 0, 0, 5, 'h', 'e', 'l', 'l', 'o', 0, 0, 0, 0, 0, 0x01, 0x02,
	};
	uint8_t got[64];
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(path, &err);
	FILE *f;

	(void)state;
	assert_non_null(w);
	assert_int_equal(fbs_writer_add(w, "hello", 5, 0x0102), 0);
	assert_int_equal(fbs_writer_close(w, &err), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got), f), sizeof(expect));
	fclose(f);
	assert_memory_equal(got, expect, sizeof(expect));
}

static void header_only_file_has_no_blocks(void **state)
{
	const char *path = tmp_path("empty.fbs");
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(path, &err);
	struct fbs_reader *r;
	const uint8_t *got;
	size_t len;
	uint32_t ms;

	(void)state;
	assert_non_null(w);
	assert_int_equal(fbs_writer_close(w, &err), 0);
	r = fbs_reader_open(path, &err);
	assert_non_null(r);
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 0);
	fbs_reader_close(r);
}

static void zero_length_block_is_read_as_it_is(void **state)
{
	const char *path = tmp_path("zero.fbs");
	struct buf b = { .len = 0 };
	struct vb_error err;
	struct fbs_reader *r;
	const uint8_t *got;
	size_t len;
	uint32_t ms;

	(void)state;
	put(&b, FBS_HEADER, FBS_HEADER_LEN);
	put_block(&b, "", 0, 5);
	put_block(&b, "abc", 3, 6);
	write_file(path, b.data, b.len);
	r = fbs_reader_open(path, &err);
	assert_non_null(r);
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 1);
	assert_int_equal(len, 0);
	assert_int_equal(ms, 5);
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 1);
	assert_int_equal(len, 3);
	assert_memory_equal(got, "abc", 3);
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 0);
	fbs_reader_close(r);
}

/* Open must fail with a message of the given status that contains want. */
static void expect_open_refused_as(const char *path, const char *want, enum vb_status status)
{
	struct vb_error err;
	struct fbs_reader *r = fbs_reader_open(path, &err);

	if (r) {
		fbs_reader_close(r);
		fail_msg("%s was opened; expected a refusal mentioning \"%s\"", path, want);
	}
	assert_int_equal(err.status, status);
	if (!strstr(err.message, want) || !strstr(err.message, path))
		fail_msg("refusal of %s says \"%s\"; expected the path and \"%s\"", path,
			 err.message, want);
}

static void expect_open_refused(const char *path, const char *want)
{
	expect_open_refused_as(path, want, VB_FAILED);
}

static void empty_file_is_refused(void **state)
{
	const char *path = tmp_path("zero-bytes.fbs");

	(void)state;
	write_file(path, "", 0);
	expect_open_refused(path, "the file is empty");
}

static void bad_headers_are_refused(void **state)
{
	const char *path = tmp_path("bad.fbs");

	(void)state;
	write_file(path, "RFB 003.008\n", 12);
	expect_open_refused(path, "not an FBS capture: it starts with \"RFB 003.008\\x0a\"");
	write_file(path, "FBS 001.002\n", 12);
	expect_open_refused(path, "version \"FBS 001.002\\x0a\"");
	write_file(path, "FBS 0", 5);
	expect_open_refused(path, "not an FBS capture: it is only 5 bytes long");
	/* Not a file at all: a usage error (exit 2), never a wait on a FIFO. */
	expect_open_refused_as(tmp_path("missing.fbs"), "No such file", VB_USAGE);
	expect_open_refused_as(test_dir, "is a directory, not a regular file", VB_USAGE);
	assert_int_equal(mkfifo(tmp_path("fifo.fbs"), 0600), 0);
	expect_open_refused_as(tmp_path("fifo.fbs"), "is a FIFO, not a regular file", VB_USAGE);
}

/* The first block reads; the second fails with a message naming the file,
 * the offset and want; the failure then sticks. */
static void expect_second_block_refused(const struct buf *b, const char *want)
{
	const char *path = tmp_path("damaged.fbs");
	struct vb_error err;
	struct fbs_reader *r;
	const uint8_t *got;
	size_t len;
	uint32_t ms;
	char at[64];

	write_file(path, b->data, b->len);
	r = fbs_reader_open(path, &err);
	assert_non_null(r);
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), 1);
	snprintf(at, sizeof(at), "byte %llu", (unsigned long long)fbs_reader_offset(r));
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), -1);
	assert_int_equal(err.status, VB_FAILED);
	if (!strstr(err.message, want) || !strstr(err.message, path) || !strstr(err.message, at))
		fail_msg("damaged capture: got \"%s\"; expected the path, \"%s\" and \"%s\"",
			 err.message, at, want);
	memset(&err, 0, sizeof(err));
	assert_int_equal(fbs_reader_next(r, &got, &len, &ms, &err), -1);
	assert_non_null(strstr(err.message, want));
	fbs_reader_close(r);
}

static void truncated_blocks_are_refused_with_their_offset(void **state)
{
	struct buf b = { .len = 0 };
	size_t good;

	(void)state;
	put(&b, FBS_HEADER, FBS_HEADER_LEN);
	put_block(&b, "first", 5, 1);
	good = b.len;
	put_block(&b, "second block", 12, 2);
	b.len -= 3; /* in its timestamp */
	expect_second_block_refused(&b, "cut short");
	b.len = good + 10; /* in its data */
	expect_second_block_refused(&b, "cut short");
	b.len = good + 2; /* in its length */
	expect_second_block_refused(&b, "ends inside the block header");
}

static void huge_length_is_refused_without_allocating_it(void **state)
{
	struct buf b = { .len = 0 };

	(void)state;
	put(&b, FBS_HEADER, FBS_HEADER_LEN);
	put_block(&b, "ok", 2, 1);
	put32(&b, 0xfffffff0u);
	put32(&b, 0);
	expect_second_block_refused(&b, "claims 4294967280 bytes");
	b.len = FBS_HEADER_LEN + 12;
	put32(&b, FBS_MAX_BLOCK); /* allowed, but the file does not hold it */
	put32(&b, 0);
	expect_second_block_refused(&b, "cut short");
}

static void backwards_timestamps_are_refused(void **state)
{
	struct buf b = { .len = 0 };

	(void)state;
	put(&b, FBS_HEADER, FBS_HEADER_LEN);
	put_block(&b, "late", 4, 5000);
	put_block(&b, "early", 5, 4999);
	expect_second_block_refused(&b, "time 4999 ms, before the 5000 ms");
}

static void writer_open_failure_names_the_path(void **state)
{
	struct vb_error err;
	const char *path = tmp_path("no/such/dir/c.fbs");

	(void)state;
	assert_null(fbs_writer_open(path, &err));
	assert_int_equal(err.status, VB_FAILED);
	assert_non_null(strstr(err.message, path));
	assert_int_equal(fbs_writer_close(NULL, &err), 0);
	fbs_reader_close(NULL);
}

static void writer_never_replaces_a_file_or_follows_a_planted_link(void **state)
{
	const char *victim = tmp_path("victim"), *link = tmp_path("planted.fbs");
	struct vb_error err;

	(void)state;
	write_file(victim, "precious", 8);
	assert_int_equal(symlink(victim, link), 0);
	assert_null(fbs_writer_open(link, &err));
	assert_non_null(strstr(err.message, "already exists"));
	assert_null(fbs_writer_open(victim, &err));
	assert_int_equal(file_size(victim), 8);
}

static void write_errors_stick_and_are_reported_at_close(void **state)
{
	const char *path = tmp_path("full.fbs");
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(path, &err);
	struct rlimit saved, small;
	char block[100] = { 0 };
	int rc;

	(void)state;
	assert_non_null(w);
	/* A file size limit makes the next write fail (EFBIG) like a full disk. */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
	small = saved;
	small.rlim_cur = 64;
	signal(SIGXFSZ, SIG_IGN);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
	rc = fbs_writer_add(w, block, sizeof(block), 0);
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
	signal(SIGXFSZ, SIG_DFL);
	assert_int_equal(rc, -1);
	assert_int_equal(fbs_writer_add(w, "y", 1, 1), -1); /* a no-op now */
	assert_int_equal(fbs_writer_close(w, &err), -1);
	assert_int_equal(err.status, VB_FAILED);
	if (!strstr(err.message, path) || !strstr(err.message, "too large"))
		fail_msg("close after a write error says \"%s\"", err.message);
}

/* ---- replay ---- */

/* The start of an RFB 3.8 stream: security (none or VNC auth), the
 * result, and ServerInit for a w x h screen. */
static void put_handshake(struct buf *s, int w, int h, int vnc_auth)
{
	static const uint8_t challenge[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };

	put(s, "RFB 003.008\n", 12);
	put8(s, 1);
	put8(s, vnc_auth ? 2 : 1);
	if (vnc_auth)
		put(s, challenge, sizeof(challenge));
	put32(s, 0); /* SecurityResult: OK */
	put16(s, (unsigned)w);
	put16(s, (unsigned)h);
	/* pixel format: 32 bpp, depth 24, little-endian, true colour, 255 each */
	put8(s, 32);
	put8(s, 24);
	put8(s, 0);
	put8(s, 1);
	put16(s, 255);
	put16(s, 255);
	put16(s, 255);
	put8(s, 16);
	put8(s, 8);
	put8(s, 0);
	put8(s, 0);
	put8(s, 0);
	put8(s, 0);
	put32(s, 4);
	put(s, "test", 4);
}

/* A FramebufferUpdate filling x,y,w,h with rgb, raw, in the client's
 * format (bytes R, G, B, X). */
static void put_fill(struct buf *s, int x, int y, int w, int h, uint32_t rgb)
{
	int i;

	put8(s, 0);
	put8(s, 0);
	put16(s, 1);
	put16(s, (unsigned)x);
	put16(s, (unsigned)y);
	put16(s, (unsigned)w);
	put16(s, (unsigned)h);
	put32(s, 0); /* raw */
	for (i = 0; i < w * h; i++) {
		put8(s, rgb >> 16);
		put8(s, rgb >> 8);
		put8(s, rgb);
		put8(s, 0);
	}
}

/* A FramebufferUpdate with only a DesktopSize rectangle. */
static void put_resize(struct buf *s, int w, int h)
{
	put8(s, 0);
	put8(s, 0);
	put16(s, 1);
	put16(s, 0);
	put16(s, 0);
	put16(s, (unsigned)w);
	put16(s, (unsigned)h);
	put32(s, (uint32_t)-223);
}

/* Write stream pieces as FBS blocks: piece i is stream[cuts[i-1]..cuts[i])
 * at times[i]. The writer makes only new files: an earlier capture of the
 * same name goes first. */
static void write_capture(const char *path, const struct buf *stream, const size_t *cuts,
			  const uint32_t *times, size_t n)
{
	struct vb_error err;
	struct fbs_writer *w;
	size_t i, from = 0;

	unlink(path);
	w = fbs_writer_open(path, &err);
	if (!w)
		fail_msg("%s", err.message);
	for (i = 0; i < n; i++) {
		assert_int_equal(fbs_writer_add(w, stream->data + from, cuts[i] - from, times[i]), 0);
		from = cuts[i];
	}
	assert_int_equal(fbs_writer_close(w, &err), 0);
}

static uint32_t pixel_at(const char *png, int x, int y, int *w, int *h)
{
	struct screen_image img;
	struct vb_error err;
	const uint8_t *p;
	uint32_t rgb;

	if (screen_read_png(png, &img, &err) < 0)
		fail_msg("%s", err.message);
	*w = img.width;
	*h = img.height;
	p = img.pixels + (size_t)y * img.stride + (size_t)x * 4;
	rgb = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	screen_image_free(&img);
	return rgb;
}

static void expect_frame(const char *dir, int n, int x, int y, int w, int h, uint32_t rgb)
{
	char png[512];
	int gw, gh;
	uint32_t got;

	snprintf(png, sizeof(png), "%s/frame-%05d.png", dir, n);
	got = pixel_at(png, x, y, &gw, &gh);
	if (gw != w || gh != h || got != rgb)
		fail_msg("%s: %dx%d with %06x at %d,%d; expected %dx%d with %06x", png, gw, gh,
			 (unsigned)got, x, y, w, h, (unsigned)rgb);
}

static int frame_exists(const char *dir, int n)
{
	char png[512];

	snprintf(png, sizeof(png), "%s/frame-%05d.png", dir, n);
	return file_size(png) > 0;
}

struct seen {
	int n;
	uint32_t ms[16];
};

static void note_frame(void *arg, int index, const char *path, uint32_t ms)
{
	struct seen *s = arg;

	assert_int_equal(index, s->n + 1);
	assert_non_null(path);
	if (s->n < 16)
		s->ms[s->n] = ms;
	s->n++;
}

/* Three updates: red at 100 ms, green at 200 ms, a blue corner at 900 ms,
 * each in a block of its own after the handshake at 0 ms. */
static void three_updates(const char *path, int vnc_auth)
{
	struct buf s = { .len = 0 };
	size_t cuts[4];
	const uint32_t times[4] = { 0, 100, 200, 900 };

	put_handshake(&s, 16, 8, vnc_auth);
	cuts[0] = s.len;
	put_fill(&s, 0, 0, 16, 8, 0xff0000);
	cuts[1] = s.len;
	put_fill(&s, 0, 0, 16, 8, 0x00ff00);
	cuts[2] = s.len;
	put_fill(&s, 0, 0, 2, 2, 0x0000ff);
	cuts[3] = s.len;
	write_capture(path, &s, cuts, times, 4);
}

static void replay_writes_every_update_with_its_pixels_and_time(void **state)
{
	const char *cap = tmp_path("three.fbs");
	const char *dir = tmp_path("frames-all/sub");
	struct seen seen = { 0 };
	struct replay_options o = { .outdir = dir, .on_frame = note_frame, .on_frame_arg = &seen };
	struct vb_error err;
	int frames = -1;

	(void)state;
	three_updates(cap, 0);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	assert_int_equal(frames, 3);
	expect_frame(dir, 1, 5, 5, 16, 8, 0xff0000);
	expect_frame(dir, 2, 5, 5, 16, 8, 0x00ff00);
	expect_frame(dir, 3, 0, 0, 16, 8, 0x0000ff);
	expect_frame(dir, 3, 5, 5, 16, 8, 0x00ff00);
	assert_false(frame_exists(dir, 4));
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.ms[0], 100);
	assert_int_equal(seen.ms[1], 200);
	assert_int_equal(seen.ms[2], 900);
}

static void replay_answers_a_vnc_password_challenge_with_anything(void **state)
{
	const char *cap = tmp_path("auth.fbs");
	const char *dir = tmp_path("frames-auth");
	struct replay_options o = { .outdir = dir };
	struct vb_error err;
	int frames = 0;

	(void)state;
	three_updates(cap, 1);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	assert_int_equal(frames, 3);
	expect_frame(dir, 3, 0, 0, 16, 8, 0x0000ff);
}

static void replay_samples_by_capture_time_and_keeps_the_last(void **state)
{
	const char *cap = tmp_path("sample.fbs");
	const char *dir = tmp_path("frames-sample");
	struct seen seen = { 0 };
	struct replay_options o = { .outdir = dir, .every_ms = 500, .on_frame = note_frame,
				    .on_frame_arg = &seen };
	struct vb_error err;
	int frames = 0;

	(void)state;
	three_updates(cap, 0);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	/* 100 ms: the first; 200 ms: too soon; 900 ms: 800 ms later. */
	assert_int_equal(frames, 2);
	assert_int_equal(seen.ms[0], 100);
	assert_int_equal(seen.ms[1], 900);
	expect_frame(dir, 2, 0, 0, 16, 8, 0x0000ff);

	/* 2 s apart at most: the first, then the last screen at the end. */
	seen.n = 0;
	o.every_ms = 2000;
	o.outdir = tmp_path("frames-sample2");
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	assert_int_equal(frames, 2);
	assert_int_equal(seen.ms[0], 100);
	assert_int_equal(seen.ms[1], 900);
	expect_frame(o.outdir, 1, 5, 5, 16, 8, 0xff0000);
	expect_frame(o.outdir, 2, 0, 0, 16, 8, 0x0000ff);
}

static void replay_stops_at_max_frames(void **state)
{
	const char *cap = tmp_path("max.fbs");
	const char *dir = tmp_path("frames-max");
	struct replay_options o = { .outdir = dir, .max_frames = 2 };
	struct vb_error err;
	int frames = 0;

	(void)state;
	three_updates(cap, 0);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	assert_int_equal(frames, 2);
	assert_false(frame_exists(dir, 3));
}

static void replay_follows_a_resize(void **state)
{
	const char *cap = tmp_path("resize.fbs");
	const char *dir = tmp_path("frames-resize");
	struct replay_options o = { .outdir = dir };
	struct buf s = { .len = 0 };
	size_t cuts[1];
	const uint32_t times[1] = { 7 };
	struct vb_error err;
	int frames = 0;

	(void)state;
	put_handshake(&s, 16, 8, 0);
	put_fill(&s, 0, 0, 16, 8, 0x123456);
	put_resize(&s, 4, 20);
	put_fill(&s, 0, 19, 4, 1, 0xabcdef);
	cuts[0] = s.len;
	write_capture(cap, &s, cuts, times, 1);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	assert_int_equal(frames, 3);
	expect_frame(dir, 1, 15, 7, 16, 8, 0x123456);
	expect_frame(dir, 3, 3, 19, 4, 20, 0xabcdef);
}

static void replay_keeps_the_screen_of_a_capture_cut_inside_an_update(void **state)
{
	const char *cap = tmp_path("cut.fbs");
	const char *dir = tmp_path("frames-cut");
	struct replay_options o = { .outdir = dir };
	struct buf s = { .len = 0 };
	size_t cuts[1];
	const uint32_t times[1] = { 0 };
	struct vb_error err;
	int frames = 0;

	(void)state;
	put_handshake(&s, 16, 8, 0);
	put_fill(&s, 0, 0, 16, 8, 0x111111);
	/* Two rectangles announced; the first arrives, the second is cut. */
	put8(&s, 0);
	put8(&s, 0);
	put16(&s, 2);
	put16(&s, 0);
	put16(&s, 0);
	put16(&s, 1);
	put16(&s, 1);
	put32(&s, 0);
	put(&s, "\x22\x22\x22\x00", 4);
	put16(&s, 0);
	cuts[0] = s.len;
	write_capture(cap, &s, cuts, times, 1);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("a capture cut inside an update must play to its end: %s", err.message);
	assert_int_equal(frames, 2);
	expect_frame(dir, 2, 0, 0, 16, 8, 0x222222);
	expect_frame(dir, 2, 1, 0, 16, 8, 0x111111);
}

/* Replaying the stream must fail with a message containing want. */
static void expect_replay_refused(const struct buf *s, const char *want, int frames_expected)
{
	const char *cap = tmp_path("refused.fbs");
	struct replay_options o = { .outdir = tmp_path("frames-refused"), .timeout_ms = 20000 };
	size_t cuts[1] = { s->len };
	const uint32_t times[1] = { 0 };
	struct vb_error err;
	int frames = -1;

	write_capture(cap, s, cuts, times, s->len ? 1 : 0);
	if (replay_capture(cap, &o, &frames, &err) == 0)
		fail_msg("replay of a bad capture succeeded; expected \"%s\"", want);
	assert_int_equal(err.status, VB_FAILED);
	if (!strstr(err.message, want) || !strstr(err.message, cap))
		fail_msg("replay refused with \"%s\"; expected the path and \"%s\"", err.message,
			 want);
	assert_int_equal(frames, frames_expected);
}

static void replay_refuses_what_is_not_a_vnc_stream(void **state)
{
	struct buf s = { .len = 0 };

	(void)state;
	put(&s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n", 27);
	expect_replay_refused(&s, "not a VNC capture", 0);
	s.len = 0;
	expect_replay_refused(&s, "holds no data", 0);
}

static void replay_refuses_a_capture_truncated_in_the_handshake(void **state)
{
	struct buf s = { .len = 0 };

	(void)state;
	put_handshake(&s, 16, 8, 0);
	s.len -= 10; /* inside ServerInit */
	expect_replay_refused(&s, "truncated in the handshake", 0);
	s.len = 12; /* only the version */
	expect_replay_refused(&s, "truncated in the handshake", 0);
}

static void replay_refuses_a_recorded_refusal(void **state)
{
	struct buf s = { .len = 0 };

	(void)state;
	put(&s, "RFB 003.008\n", 12);
	put8(&s, 0); /* no security types: a reason follows */
	put32(&s, 17);
	put(&s, "too many failures", 17);
	expect_replay_refused(&s, "too many failures", 0);
}

static void replay_refuses_a_stream_that_breaks_the_protocol(void **state)
{
	struct buf s = { .len = 0 };

	(void)state;
	put_handshake(&s, 16, 8, 0);
	put_fill(&s, 0, 0, 16, 8, 0x333333);
	put8(&s, 0x77); /* no such message */
	put(&s, "junk after it", 13);
	expect_replay_refused(&s, "breaks off at byte", 1);
}

static void replay_refuses_an_absurd_screen_size(void **state)
{
	struct buf s = { .len = 0 };

	(void)state;
	put_handshake(&s, 60000, 60000, 0);
	put_fill(&s, 0, 0, 1, 1, 0);
	expect_replay_refused(&s, "60000x60000 refused", 0);
}

static void replay_keeps_frames_before_a_damaged_block(void **state)
{
	const char *cap = tmp_path("damaged-replay.fbs");
	const char *dir = tmp_path("frames-damaged");
	struct replay_options o = { .outdir = dir };
	struct buf s = { .len = 0 }, f = { .len = 0 };
	struct vb_error err;
	int frames = -1;

	(void)state;
	put_handshake(&s, 16, 8, 0);
	put_fill(&s, 0, 0, 16, 8, 0x444444);
	put(&f, FBS_HEADER, FBS_HEADER_LEN);
	put_block(&f, s.data, s.len, 10);
	put32(&f, 100); /* a block cut short */
	put(&f, "abc", 3);
	write_file(cap, f.data, f.len);
	assert_int_equal(replay_capture(cap, &o, &frames, &err), -1);
	if (!strstr(err.message, "cut short"))
		fail_msg("expected the reader's error, got \"%s\"", err.message);
	assert_int_equal(frames, 1);
	expect_frame(dir, 1, 0, 0, 16, 8, 0x444444);
}

static void replay_without_outdir_only_counts(void **state)
{
	const char *cap = tmp_path("count.fbs");
	struct replay_options o = { 0 };
	struct vb_error err;
	int frames = 0;

	(void)state;
	three_updates(cap, 0);
	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("replay failed: %s", err.message);
	assert_int_equal(frames, 3);
}

/* ---- blank spans (--record-blank-secrets) ---- */

#define GREY 0x808080u

/* The stream of the blank span tests: a 16x8 screen painted red, then green
 * (what the span must leave out: the screen while a secret is typed), blue
 * and yellow. at[] gets the offsets after the handshake, red, green, blue
 * and yellow. */
static void red_green_blue_yellow(struct buf *s, size_t at[5])
{
	put_handshake(s, 16, 8, 0);
	at[0] = s->len;
	put_fill(s, 0, 0, 16, 8, 0xff0000);
	at[1] = s->len;
	put_fill(s, 0, 0, 16, 8, 0x00ff00);
	at[2] = s->len;
	put_fill(s, 0, 0, 16, 8, 0x0000ff);
	at[3] = s->len;
	put_fill(s, 0, 0, 16, 8, 0xffff00);
	at[4] = s->len;
}

static void add(struct fbs_writer *w, const struct buf *s, size_t from, size_t to, uint32_t ms)
{
	assert_int_equal(fbs_writer_add(w, s->data + from, to - from, ms), 0);
}

/* Replay cap into dir; it must play to its end. Returns the frames. */
static int replay_ok(const char *cap, const char *dir, struct seen *seen)
{
	struct replay_options o = { .outdir = dir, .on_frame = seen ? note_frame : NULL,
				    .on_frame_arg = seen, .timeout_ms = 20000 };
	struct vb_error err;
	int frames = 0;

	if (replay_capture(cap, &o, &frames, &err) < 0)
		fail_msg("the capture with a blank span must replay: %s", err.message);
	return frames;
}

static void blank_span_is_cut_out_and_a_grey_screen_put_in_its_place(void **state)
{
	const char *cap = tmp_path("blank.fbs");
	const char *dir = tmp_path("frames-blank");
	struct buf s = { .len = 0 };
	struct seen seen = { 0 };
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(cap, &err);
	size_t at[5];

	(void)state;
	assert_non_null(w);
	red_green_blue_yellow(&s, at);
	/* The span begins after red, when the file already holds a block that
	 * goes on into green: the writer must cut back into it. */
	add(w, &s, 0, at[1] + 10, 0);
	assert_int_equal(fbs_writer_blank_begin(w, at[1], 16, 8), 0);
	add(w, &s, at[1] + 10, at[2], 100);
	add(w, &s, at[2], at[3] - 5, 200); /* blue, less its end: held */
	assert_int_equal(fbs_writer_blank_end(w, at[2], 16, 8, 300), 0);
	add(w, &s, at[3] - 5, at[4], 400);
	assert_int_equal(fbs_writer_bytes(w), at[4]);
	assert_int_equal(fbs_writer_close(w, &err), 0);

	/* Red, the grey screen where green was, blue, yellow: no green. */
	assert_int_equal(replay_ok(cap, dir, &seen), 4);
	expect_frame(dir, 1, 3, 3, 16, 8, 0xff0000);
	expect_frame(dir, 2, 3, 3, 16, 8, GREY);
	expect_frame(dir, 2, 15, 7, 16, 8, GREY);
	expect_frame(dir, 3, 3, 3, 16, 8, 0x0000ff);
	expect_frame(dir, 4, 3, 3, 16, 8, 0xffff00);
	/* The grey screen has the time of the first byte kept after it. */
	assert_int_equal(seen.ms[0], 0);
	assert_int_equal(seen.ms[1], 200);
	assert_int_equal(seen.ms[3], 400);
}

static void the_same_capture_without_the_span_shows_green(void **state)
{
	const char *cap = tmp_path("unblanked.fbs");
	const char *dir = tmp_path("frames-unblanked");
	struct buf s = { .len = 0 };
	size_t at[5], cuts[1];
	const uint32_t times[1] = { 0 };

	(void)state;
	/* The check above can fail: without a span, frame 2 is green. */
	red_green_blue_yellow(&s, at);
	cuts[0] = at[4];
	write_capture(cap, &s, cuts, times, 1);
	assert_int_equal(replay_ok(cap, dir, NULL), 4);
	expect_frame(dir, 2, 3, 3, 16, 8, 0x00ff00);
}

static void span_still_open_at_close_ends_the_capture_on_the_grey_screen(void **state)
{
	const char *cap = tmp_path("open.fbs");
	const char *dir = tmp_path("frames-open");
	struct buf s = { .len = 0 };
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(cap, &err);
	size_t at[5];

	(void)state;
	assert_non_null(w);
	red_green_blue_yellow(&s, at);
	add(w, &s, 0, at[1], 0);
	assert_int_equal(fbs_writer_blank_begin(w, at[1], 16, 8), 0);
	assert_int_equal(fbs_writer_blank_begin(w, at[2], 16, 8), 0); /* already in one */
	add(w, &s, at[1], at[4], 100);
	assert_int_equal(fbs_writer_close(w, &err), 0);
	assert_int_equal(replay_ok(cap, dir, NULL), 2);
	expect_frame(dir, 1, 3, 3, 16, 8, 0xff0000);
	expect_frame(dir, 2, 3, 3, 16, 8, GREY);
}

static void span_over_a_resize_paints_the_new_size(void **state)
{
	const char *cap = tmp_path("resized.fbs");
	const char *dir = tmp_path("frames-resized");
	struct buf s = { .len = 0 };
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(cap, &err);
	size_t red, secret;

	(void)state;
	assert_non_null(w);
	put_handshake(&s, 16, 8, 0);
	put_fill(&s, 0, 0, 16, 8, 0xff0000);
	red = s.len;
	put_resize(&s, 8, 4);
	put_fill(&s, 0, 0, 8, 4, 0x00ff00);
	secret = s.len;
	put_fill(&s, 0, 0, 2, 2, 0x0000ff);
	add(w, &s, 0, red, 0);
	assert_int_equal(fbs_writer_blank_begin(w, red, 16, 8), 0);
	add(w, &s, red, s.len, 10);
	assert_int_equal(fbs_writer_blank_end(w, secret, 8, 4, 20), 0);
	assert_int_equal(fbs_writer_close(w, &err), 0);
	/* Red 16x8; grey 8x4 (the resize was in the span); a blue corner. */
	assert_int_equal(replay_ok(cap, dir, NULL), 3);
	expect_frame(dir, 2, 7, 3, 8, 4, GREY);
	expect_frame(dir, 3, 0, 0, 8, 4, 0x0000ff);
	expect_frame(dir, 3, 7, 3, 8, 4, GREY);
}

static void more_than_32_mib_in_a_span_stops_the_capture_there(void **state)
{
	const char *cap = tmp_path("flood.fbs");
	const char *dir = tmp_path("frames-flood");
	struct buf s = { .len = 0 };
	struct vb_error err;
	struct fbs_writer *w = fbs_writer_open(cap, &err);
	size_t at[5], mib = 1024 * 1024;
	uint8_t *junk = calloc(1, mib);
	int i, rc = 0;

	(void)state;
	assert_non_null(w);
	assert_non_null(junk);
	red_green_blue_yellow(&s, at);
	add(w, &s, 0, at[1], 0);
	assert_int_equal(fbs_writer_blank_begin(w, at[1], 16, 8), 0);
	for (i = 0; i < 40 && rc == 0; i++)
		rc = fbs_writer_add(w, junk, mib, 10);
	free(junk);
	assert_int_equal(rc, -1);
	assert_int_equal(i, 33); /* the add that went past 32 MiB */
	assert_int_equal(fbs_writer_blank_end(w, at[4], 16, 8, 20), -1);
	assert_int_equal(fbs_writer_close(w, &err), -1);
	if (!strstr(err.message, cap) || !strstr(err.message, "32 MiB"))
		fail_msg("close after a flood in a span says \"%s\"", err.message);
	/* What came before the span, then the grey screen. */
	assert_int_equal(replay_ok(cap, dir, NULL), 2);
	expect_frame(dir, 2, 3, 3, 16, 8, GREY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_keeps_odd_lengths_and_times),
		cmocka_unit_test(padding_is_zeros_and_lengths_big_endian),
		cmocka_unit_test(header_only_file_has_no_blocks),
		cmocka_unit_test(zero_length_block_is_read_as_it_is),
		cmocka_unit_test(empty_file_is_refused),
		cmocka_unit_test(bad_headers_are_refused),
		cmocka_unit_test(truncated_blocks_are_refused_with_their_offset),
		cmocka_unit_test(huge_length_is_refused_without_allocating_it),
		cmocka_unit_test(backwards_timestamps_are_refused),
		cmocka_unit_test(writer_open_failure_names_the_path),
		cmocka_unit_test(writer_never_replaces_a_file_or_follows_a_planted_link),
		cmocka_unit_test(write_errors_stick_and_are_reported_at_close),
		cmocka_unit_test(replay_writes_every_update_with_its_pixels_and_time),
		cmocka_unit_test(replay_answers_a_vnc_password_challenge_with_anything),
		cmocka_unit_test(replay_samples_by_capture_time_and_keeps_the_last),
		cmocka_unit_test(replay_stops_at_max_frames),
		cmocka_unit_test(replay_follows_a_resize),
		cmocka_unit_test(replay_keeps_the_screen_of_a_capture_cut_inside_an_update),
		cmocka_unit_test(replay_refuses_what_is_not_a_vnc_stream),
		cmocka_unit_test(replay_refuses_a_capture_truncated_in_the_handshake),
		cmocka_unit_test(replay_refuses_a_recorded_refusal),
		cmocka_unit_test(replay_refuses_a_stream_that_breaks_the_protocol),
		cmocka_unit_test(replay_refuses_an_absurd_screen_size),
		cmocka_unit_test(replay_keeps_frames_before_a_damaged_block),
		cmocka_unit_test(replay_without_outdir_only_counts),
		cmocka_unit_test(blank_span_is_cut_out_and_a_grey_screen_put_in_its_place),
		cmocka_unit_test(the_same_capture_without_the_span_shows_green),
		cmocka_unit_test(span_still_open_at_close_ends_the_capture_on_the_grey_screen),
		cmocka_unit_test(span_over_a_resize_paints_the_new_size),
		cmocka_unit_test(more_than_32_mib_in_a_span_stops_the_capture_there),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
