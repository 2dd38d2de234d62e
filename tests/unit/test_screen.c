/* test_screen.c: PNG write/read round trips, reading every PNG flavour
 * (made here with libpng directly), refusing broken files, the region
 * hash, and matching (clip, similarity, search, colour share). Files
 * live in a fresh directory under /tmp, removed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <math.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

#include "screen/cond.h"
#include "screen/screen.h"

#define FNV_BASIS 0xcbf29ce484222325ULL

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
	snprintf(test_dir, sizeof(test_dir), "/tmp/vbscreen.XXXXXX");
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

/* A w x h gradient with a stride wider than w * 4; the X bytes and the
 * padding hold junk the writer must ignore. */
static struct screen_image gradient(int w, int h, size_t pad)
{
	struct screen_image img = { w, h, (size_t)w * 4 + pad, NULL };
	int x, y;

	img.pixels = malloc(img.stride * (size_t)h);
	assert_non_null(img.pixels);
	memset(img.pixels, 0xaa, img.stride * (size_t)h);
	for (y = 0; y < h; y++) {
		for (x = 0; x < w; x++) {
			uint8_t *p = img.pixels + (size_t)y * img.stride + x * 4;

			p[0] = (uint8_t)(x * 255 / (w - 1));
			p[1] = (uint8_t)(y * 255 / (h - 1));
			p[2] = (uint8_t)((x + y) * 7);
			p[3] = (uint8_t)(x ^ y);
		}
	}
	return img;
}

static const uint8_t *pixel(const struct screen_image *img, int x, int y)
{
	return img->pixels + (size_t)y * img->stride + (size_t)x * 4;
}

static void assert_pixel(const struct screen_image *img, int x, int y,
			 uint8_t r, uint8_t g, uint8_t b)
{
	const uint8_t *p = pixel(img, x, y);

	if (p[0] != r || p[1] != g || p[2] != b)
		fail_msg("pixel (%d,%d) is %u,%u,%u; expected %u,%u,%u", x, y,
			 p[0], p[1], p[2], r, g, b);
}

struct png_spec {
	int width, height, bit_depth, color_type, interlace;
	const png_color *palette;
	int palette_len;
	const uint8_t *trans; /* palette alpha, trans_len entries */
	int trans_len;
};

/* Write a PNG with libpng directly: rows are packed as the PNG stores them
 * (bit_depth and color_type of spec, 16-bit samples big-endian). */
static void write_raw_png(const char *path, const struct png_spec *spec,
			  uint8_t *const *rows)
{
	FILE *fp = fopen(path, "wb");
	png_structp png;
	png_infop info;

	assert_non_null(fp);
	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
	assert_non_null(png);
	info = png_create_info_struct(png);
	assert_non_null(info);
	if (setjmp(png_jmpbuf(png)))
		fail_msg("libpng could not write test file %s", path);
	png_init_io(png, fp);
	png_set_IHDR(png, info, spec->width, spec->height, spec->bit_depth,
		     spec->color_type, spec->interlace,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	if (spec->palette)
		png_set_PLTE(png, info, spec->palette, spec->palette_len);
	if (spec->trans)
		png_set_tRNS(png, info, spec->trans, spec->trans_len, NULL);
	png_write_info(png, info);
	png_write_image(png, (png_bytepp)rows);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	assert_int_equal(fclose(fp), 0);
}

static void read_ok(const char *path, struct screen_image *img)
{
	struct vb_error err;

	vb_error_clear(&err);
	if (screen_read_png(path, img, &err) != 0)
		fail_msg("reading %s: %s", path, err.message);
	assert_int_equal(img->stride, (size_t)img->width * 4);
}

static void read_fails(const char *path, const char *part1, const char *part2)
{
	struct screen_image img;
	struct vb_error err;

	vb_error_clear(&err);
	assert_int_equal(screen_read_png(path, &img, &err), -1);
	assert_int_equal(err.status, VB_USAGE);
	assert_null(img.pixels);
	if (!strstr(err.message, path))
		fail_msg("message '%s' does not name %s", err.message, path);
	if (!strstr(err.message, part1) || !strstr(err.message, part2))
		fail_msg("message '%s' lacks '%s' or '%s'", err.message, part1,
			 part2);
	screen_image_free(&img); /* harmless on a failed read */
}

static void file_put(const char *path, const void *data, size_t len)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static void write_gradient(const char *path, int w, int h)
{
	struct screen_image img = gradient(w, h, 12);
	struct vb_error err;

	if (screen_write_png(path, &img, &err) != 0)
		fail_msg("writing %s: %s", path, err.message);
	free(img.pixels);
}

static void round_trip_keeps_every_rgb_byte(void **state)
{
	struct screen_image img = gradient(37, 23, 12), back;
	const char *path = tmp_path("round.png");
	char tmp[300];
	struct vb_error err;
	int x, y;

	(void)state;
	assert_int_equal(screen_write_png(path, &img, &err), 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(access(tmp, F_OK), -1); /* renamed away */
	read_ok(path, &back);
	assert_int_equal(back.width, 37);
	assert_int_equal(back.height, 23);
	for (y = 0; y < 23; y++)
		for (x = 0; x < 37; x++) {
			const uint8_t *p = pixel(&img, x, y);

			assert_pixel(&back, x, y, p[0], p[1], p[2]);
		}
	assert_true(screen_hash(&img, 0, 0, 37, 23) ==
		    screen_hash(&back, 0, 0, 37, 23));
	screen_image_free(&back);
	assert_null(back.pixels);
	screen_image_free(&back); /* twice is harmless */
	screen_image_free(NULL);
	free(img.pixels);
}

static void write_replaces_an_existing_file(void **state)
{
	const char *path = tmp_path("replace.png");
	struct screen_image back;

	(void)state;
	file_put(path, "old", 3);
	write_gradient(path, 5, 4);
	read_ok(path, &back);
	assert_int_equal(back.width, 5);
	screen_image_free(&back);
}

static void write_into_a_missing_directory_names_the_file(void **state)
{
	struct screen_image img = gradient(4, 4, 0);
	const char *path = tmp_path("no-such-dir/shot.png");
	struct vb_error err;

	(void)state;
	assert_int_equal(screen_write_png(path, &img, &err), -1);
	assert_non_null(strstr(err.message, "no-such-dir/shot.png'"));
	assert_non_null(strstr(err.message, "No such file or directory"));
	assert_true(err.hint[0] != '\0');
	free(img.pixels);
}

static void write_refuses_an_empty_image(void **state)
{
	struct screen_image img = { 0, 0, 0, NULL };
	const char *path = tmp_path("empty.png");
	struct vb_error err;

	(void)state;
	assert_int_equal(screen_write_png(path, &img, &err), -1);
	assert_non_null(strstr(err.message, "empty.png"));
	assert_int_equal(file_size(path), -1);
	img = gradient(4, 4, 0);
	img.stride = 15; /* less than width * 4 */
	assert_int_equal(screen_write_png(path, &img, &err), -1);
	free(img.pixels);
}

static void reads_8bit_gray_as_rgb(void **state)
{
	struct png_spec spec = { 16, 3, 8, PNG_COLOR_TYPE_GRAY, 0, NULL, 0,
				 NULL, 0 };
	uint8_t data[3][16], *rows[3];
	struct screen_image img;
	int x, y;

	(void)state;
	for (y = 0; y < 3; y++) {
		for (x = 0; x < 16; x++)
			data[y][x] = (uint8_t)(x * 16 + y);
		rows[y] = data[y];
	}
	write_raw_png(tmp_path("gray8.png"), &spec, rows);
	read_ok(tmp_path("gray8.png"), &img);
	assert_int_equal(img.width, 16);
	assert_int_equal(img.height, 3);
	for (y = 0; y < 3; y++)
		for (x = 0; x < 16; x++)
			assert_pixel(&img, x, y, data[y][x], data[y][x],
				     data[y][x]);
	screen_image_free(&img);
}

static void reads_2bit_gray_scaled_to_8_bits(void **state)
{
	struct png_spec spec = { 4, 1, 2, PNG_COLOR_TYPE_GRAY, 0, NULL, 0,
				 NULL, 0 };
	uint8_t row[1] = { 0x1b }, *rows[1] = { row }; /* 0, 1, 2, 3 */
	struct screen_image img;

	(void)state;
	write_raw_png(tmp_path("gray2.png"), &spec, rows);
	read_ok(tmp_path("gray2.png"), &img);
	assert_pixel(&img, 0, 0, 0, 0, 0);
	assert_pixel(&img, 1, 0, 85, 85, 85);
	assert_pixel(&img, 2, 0, 170, 170, 170);
	assert_pixel(&img, 3, 0, 255, 255, 255);
	screen_image_free(&img);
}

static const png_color palette4[4] = {
	{ 255, 0, 0 }, { 0, 255, 0 }, { 0, 0, 255 }, { 10, 20, 30 }
};

static void reads_a_4bit_palette_image(void **state)
{
	struct png_spec spec = { 3, 2, 4, PNG_COLOR_TYPE_PALETTE, 0, palette4,
				 4, NULL, 0 };
	uint8_t r0[2] = { 0x01, 0x20 }, r1[2] = { 0x32, 0x10 };
	uint8_t *rows[2] = { r0, r1 };
	struct screen_image img;

	(void)state;
	write_raw_png(tmp_path("pal4.png"), &spec, rows);
	read_ok(tmp_path("pal4.png"), &img);
	assert_int_equal(img.width, 3);
	assert_pixel(&img, 0, 0, 255, 0, 0);
	assert_pixel(&img, 1, 0, 0, 255, 0);
	assert_pixel(&img, 2, 0, 0, 0, 255);
	assert_pixel(&img, 0, 1, 10, 20, 30);
	assert_pixel(&img, 1, 1, 0, 0, 255);
	assert_pixel(&img, 2, 1, 0, 255, 0);
	screen_image_free(&img);
}

static void palette_transparency_is_composited_on_black(void **state)
{
	static const uint8_t trans[3] = { 0, 255, 128 };
	struct png_spec spec = { 4, 1, 8, PNG_COLOR_TYPE_PALETTE, 0, palette4,
				 4, trans, 3 };
	uint8_t row[4] = { 0, 1, 2, 3 }, *rows[1] = { row };
	struct screen_image img;

	(void)state;
	write_raw_png(tmp_path("paltrns.png"), &spec, rows);
	read_ok(tmp_path("paltrns.png"), &img);
	assert_pixel(&img, 0, 0, 0, 0, 0);     /* transparent red -> black */
	assert_pixel(&img, 1, 0, 0, 255, 0);   /* opaque */
	assert_pixel(&img, 2, 0, 0, 0, 128);   /* half of 255 */
	assert_pixel(&img, 3, 0, 10, 20, 30);  /* no tRNS entry: opaque */
	screen_image_free(&img);
}

static void reads_16bit_rgba_as_8bit_rgb(void **state)
{
	struct png_spec spec = { 2, 1, 16, PNG_COLOR_TYPE_RGB_ALPHA, 0, NULL,
				 0, NULL, 0 };
	uint8_t row[16] = {
		0x12, 0x34, 0xab, 0xcd, 0xff, 0x00, 0xff, 0xff, /* opaque */
		0xff, 0xff, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, /* clear */
	};
	uint8_t *rows[1] = { row };
	struct screen_image img;

	(void)state;
	write_raw_png(tmp_path("rgba16.png"), &spec, rows);
	read_ok(tmp_path("rgba16.png"), &img);
	assert_pixel(&img, 0, 0, 0x12, 0xab, 0xff);
	assert_pixel(&img, 1, 0, 0, 0, 0);
	screen_image_free(&img);
}

static void reads_gray_alpha(void **state)
{
	struct png_spec spec = { 2, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, 0, NULL,
				 0, NULL, 0 };
	uint8_t row[4] = { 200, 255, 200, 51 }, *rows[1] = { row };
	struct screen_image img;

	(void)state;
	write_raw_png(tmp_path("ga.png"), &spec, rows);
	read_ok(tmp_path("ga.png"), &img);
	assert_pixel(&img, 0, 0, 200, 200, 200);
	assert_pixel(&img, 1, 0, 40, 40, 40); /* 200 * 51 / 255 */
	screen_image_free(&img);
}

static void reads_an_interlaced_image(void **state)
{
	struct png_spec spec = { 9, 9, 8, PNG_COLOR_TYPE_RGB,
				 PNG_INTERLACE_ADAM7, NULL, 0, NULL, 0 };
	uint8_t data[9][27], *rows[9];
	struct screen_image img;
	int x, y;

	(void)state;
	for (y = 0; y < 9; y++) {
		for (x = 0; x < 27; x++)
			data[y][x] = (uint8_t)(y * 27 + x);
		rows[y] = data[y];
	}
	write_raw_png(tmp_path("adam7.png"), &spec, rows);
	read_ok(tmp_path("adam7.png"), &img);
	for (y = 0; y < 9; y++)
		for (x = 0; x < 9; x++)
			assert_pixel(&img, x, y, data[y][x * 3],
				     data[y][x * 3 + 1], data[y][x * 3 + 2]);
	screen_image_free(&img);
}

/* Copy the first len bytes of src into a new file dst. */
static void copy_prefix(const char *src, const char *dst, long len)
{
	FILE *fp = fopen(src, "rb");
	char *buf = malloc((size_t)len);

	assert_non_null(fp);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, fp), len);
	fclose(fp);
	file_put(dst, buf, (size_t)len);
	free(buf);
}

static void a_truncated_png_is_refused(void **state)
{
	const char *good = tmp_path("whole.png");
	long size;

	(void)state;
	write_gradient(good, 64, 64);
	size = file_size(good);
	assert_true(size > 100);
	copy_prefix(good, tmp_path("half.png"), size / 2);
	read_fails(tmp_path("half.png"), "truncated", "");
	copy_prefix(good, tmp_path("noiend.png"), size - 12);
	read_fails(tmp_path("noiend.png"), "truncated", "");
	copy_prefix(good, tmp_path("header.png"), 20); /* inside IHDR */
	read_fails(tmp_path("header.png"), "truncated", "");
	copy_prefix(good, tmp_path("sig.png"), 5); /* part of the signature */
	read_fails(tmp_path("sig.png"), "not a PNG", "");
}

static void a_corrupt_png_is_refused(void **state)
{
	const char *good = tmp_path("good.png");
	const char *bad = tmp_path("corrupt.png");
	long size, i;
	FILE *fp;
	uint8_t *buf;

	(void)state;
	write_gradient(good, 32, 32);
	size = file_size(good);
	assert_true(size > 100);
	buf = malloc(size > 0 ? (size_t)size : 1);
	assert_non_null(buf);
	fp = fopen(good, "rb");
	assert_non_null(fp);
	assert_int_equal(fread(buf, 1, (size_t)size, fp), size);
	fclose(fp);
	for (i = 50; i < size - 20; i++) /* garble the IDAT data */
		buf[i] ^= 0x5a;
	file_put(bad, buf, (size_t)size);
	read_fails(bad, "cannot read PNG", "");
	free(buf);
}

static void a_text_file_is_not_a_png(void **state)
{
	const char *path = tmp_path("notes.txt");

	(void)state;
	file_put(path, "this is not an image\n", 21);
	read_fails(path, "not a PNG file", "signature");
	file_put(tmp_path("zero.png"), "", 0);
	read_fails(tmp_path("zero.png"), "not a PNG file", "empty");
}

static void a_missing_file_is_reported(void **state)
{
	(void)state;
	read_fails(tmp_path("nothing-here.png"), "cannot open",
		   "No such file or directory");
	read_fails(test_dir, "", ""); /* a directory: fread fails */
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	int k;

	while (n--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

static size_t put_chunk(uint8_t *out, const char *type, const uint8_t *data,
			uint32_t len)
{
	uint32_t crc;

	out[0] = (uint8_t)(len >> 24);
	out[1] = (uint8_t)(len >> 16);
	out[2] = (uint8_t)(len >> 8);
	out[3] = (uint8_t)len;
	memcpy(out + 4, type, 4);
	if (len)
		memcpy(out + 8, data, len);
	crc = crc32_of(out + 4, len + 4);
	out[8 + len] = (uint8_t)(crc >> 24);
	out[9 + len] = (uint8_t)(crc >> 16);
	out[10 + len] = (uint8_t)(crc >> 8);
	out[11 + len] = (uint8_t)crc;
	return 12 + len;
}

/* A PNG whose IHDR declares width x height, with a token IDAT and IEND. */
static void write_declared_size(const char *path, uint32_t width,
				uint32_t height)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a,
					'\n' };
	static const uint8_t idat[] = { 0x78, 0x9c, 0x03, 0x00, 0x00, 0x00,
					0x00, 0x01 };
	uint8_t ihdr[13] = { 0 }, buf[128];
	size_t n = 0;

	ihdr[0] = (uint8_t)(width >> 24);
	ihdr[1] = (uint8_t)(width >> 16);
	ihdr[2] = (uint8_t)(width >> 8);
	ihdr[3] = (uint8_t)width;
	ihdr[4] = (uint8_t)(height >> 24);
	ihdr[5] = (uint8_t)(height >> 16);
	ihdr[6] = (uint8_t)(height >> 8);
	ihdr[7] = (uint8_t)height;
	ihdr[8] = 8; /* bit depth */
	ihdr[9] = 2; /* RGB */
	memcpy(buf, sig, 8);
	n = 8;
	n += put_chunk(buf + n, "IHDR", ihdr, 13);
	n += put_chunk(buf + n, "IDAT", idat, sizeof(idat));
	n += put_chunk(buf + n, "IEND", NULL, 0);
	file_put(path, buf, n);
}

static void a_huge_declared_size_is_refused(void **state)
{
	(void)state;
	write_declared_size(tmp_path("huge.png"), 20000, 20000);
	read_fails(tmp_path("huge.png"), "20000x20000", "largest accepted");
	write_declared_size(tmp_path("wide.png"), 16385, 1);
	read_fails(tmp_path("wide.png"), "16385x1", "largest accepted");
	write_declared_size(tmp_path("giant.png"), 0x7fffffff, 0x7fffffff);
	read_fails(tmp_path("giant.png"), "cannot read PNG", "");
	/* the cap itself is no error: this one fails on its token IDAT */
	write_declared_size(tmp_path("small.png"), 2, 2);
	read_fails(tmp_path("small.png"), "cannot read PNG", "");
}

static void hash_of_rgb_bytes_is_fnv1a(void **state)
{
	uint8_t px[4] = { 'a', 'b', 'c', 'X' };
	struct screen_image img = { 1, 1, 4, px };

	(void)state;
	/* FNV-1a 64 of "abc" */
	assert_true(screen_hash(&img, 0, 0, 1, 1) == 0xe71fa2190541574bULL);
	px[3] = 'Y'; /* X is not hashed */
	assert_true(screen_hash(&img, 0, 0, 1, 1) == 0xe71fa2190541574bULL);
}

static void hash_sees_changes_inside_the_region_only(void **state)
{
	struct screen_image img = gradient(20, 10, 8);
	uint64_t before = screen_hash(&img, 5, 2, 6, 4);
	uint8_t *p;

	(void)state;
	p = img.pixels + 3 * img.stride + 7 * 4; /* (7,3): inside */
	p[1] ^= 1;
	assert_true(screen_hash(&img, 5, 2, 6, 4) != before);
	p[1] ^= 1;
	assert_true(screen_hash(&img, 5, 2, 6, 4) == before);

	p = img.pixels + 3 * img.stride + 11 * 4; /* (11,3): just right */
	p[0] ^= 0xff;
	p = img.pixels + 6 * img.stride + 5 * 4; /* (5,6): just below */
	p[2] ^= 0xff;
	p = img.pixels + 2 * img.stride + 4 * 4; /* (4,2): just left */
	p[0] ^= 0xff;
	p = img.pixels + 2 * img.stride + 20 * 4; /* stride padding */
	p[0] ^= 0xff;
	p = img.pixels + 2 * img.stride + 5 * 4 + 3; /* X byte inside */
	p[0] ^= 0xff;
	assert_true(screen_hash(&img, 5, 2, 6, 4) == before);
	free(img.pixels);
}

static void hash_clips_the_region_to_the_image(void **state)
{
	struct screen_image img = gradient(20, 10, 0);
	uint64_t whole = screen_hash(&img, 0, 0, 20, 10);

	(void)state;
	assert_true(whole != FNV_BASIS);
	assert_true(screen_hash(&img, -5, -7, 40, 30) == whole);
	assert_true(screen_hash(&img, -1000000, -1000000, 2147483647,
				2147483647) == whole);
	/* no int overflow at the extremes: INT_MIN + INT_MAX is -1 */
	assert_true(screen_hash(&img, -2147483647 - 1, -2147483647 - 1,
				2147483647, 2147483647) == FNV_BASIS);
	assert_true(screen_hash(&img, 10, 5, 2147483647, 2147483647) ==
		    screen_hash(&img, 10, 5, 10, 5));
	assert_true(screen_hash(&img, 15, 0, 100, 10) ==
		    screen_hash(&img, 15, 0, 5, 10));
	/* empty regions hash to the FNV offset basis */
	assert_true(screen_hash(&img, 0, 0, 0, 10) == FNV_BASIS);
	assert_true(screen_hash(&img, 0, 0, 20, -3) == FNV_BASIS);
	assert_true(screen_hash(&img, 20, 0, 5, 5) == FNV_BASIS);
	assert_true(screen_hash(&img, 0, 10, 5, 5) == FNV_BASIS);
	assert_true(screen_hash(&img, -10, -10, 10, 10) == FNV_BASIS);
	assert_true(screen_hash(NULL, 0, 0, 1, 1) == FNV_BASIS);
	free(img.pixels);
}

/* Matching. Images are made here from a fixed-seed generator; every image
 * has stride padding and junk X bytes, which matching must ignore. */

static uint32_t rng_state;

static uint32_t rng_next(void)
{
	/* xorshift32: fixed seeds make every run see the same images */
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

/* A w x h image of random R,G,B bytes drawn from `colours` values per
 * channel (256: noise; 2: flat stretches and many equal matches). */
static struct screen_image noise(int w, int h, uint32_t seed, int colours)
{
	struct screen_image img = { w, h, (size_t)w * 4 + 12, NULL };
	int x, y;

	rng_state = seed;
	img.pixels = malloc(img.stride * (size_t)h);
	assert_non_null(img.pixels);
	for (y = 0; y < h; y++) {
		uint8_t *p = img.pixels + (size_t)y * img.stride;

		for (x = 0; x < w * 4 + 12; x++)
			p[x] = (x % 4 == 3 || x >= w * 4) ? (uint8_t)rng_next()
							  : (uint8_t)(rng_next() % colours * 255 /
								      (colours - 1));
	}
	return img;
}

/* The w x h part of img at (x, y), as an image of its own; its X bytes
 * and padding differ from img's. */
static struct screen_image cut(const struct screen_image *img, int x, int y, int w, int h)
{
	struct screen_image out = { w, h, (size_t)w * 4 + 4, NULL };
	int row, col;

	out.pixels = malloc(out.stride * (size_t)h);
	assert_non_null(out.pixels);
	memset(out.pixels, 0x5a, out.stride * (size_t)h);
	for (row = 0; row < h; row++)
		for (col = 0; col < w; col++)
			memcpy(out.pixels + (size_t)row * out.stride + (size_t)col * 4,
			       pixel(img, x + col, y + row), 3);
	return out;
}

static void put_rgb(struct screen_image *img, int x, int y, uint32_t rgb)
{
	uint8_t *p = img->pixels + (size_t)y * img->stride + (size_t)x * 4;

	p[0] = (uint8_t)(rgb >> 16);
	p[1] = (uint8_t)(rgb >> 8);
	p[2] = (uint8_t)rgb;
}

static struct screen_region region(int x, int y, int w, int h)
{
	struct screen_region r = { x, y, w, h };

	return r;
}

static void assert_region(struct screen_region got, int x, int y, int w, int h)
{
	if (got.x != x || got.y != y || got.w != w || got.h != h)
		fail_msg("region is (%d,%d %dx%d); expected (%d,%d %dx%d)", got.x, got.y,
			 got.w, got.h, x, y, w, h);
}

/* What screen_find must return, by comparing at every position. */
static double find_by_brute_force(const struct screen_image *img,
				  const struct screen_image *needle, struct screen_region r,
				  int *bx, int *by)
{
	struct screen_region c = screen_clip(img, r);
	double best = -1;
	int x, y;

	*bx = *by = -1;
	for (y = c.y; y + needle->height <= c.y + c.h; y++) {
		for (x = c.x; x + needle->width <= c.x + c.w; x++) {
			double s = screen_similarity_at(img, needle, x, y);

			if (s > best) {
				best = s;
				*bx = x;
				*by = y;
			}
		}
	}
	return best < 0 ? 0 : best;
}

static void clip_keeps_a_region_inside_the_image(void **state)
{
	struct screen_image img = { 100, 50, 400, NULL };

	(void)state;
	assert_region(screen_clip(&img, region(10, 5, 20, 30)), 10, 5, 20, 30);
	assert_region(screen_clip(&img, region(0, 0, 100, 50)), 0, 0, 100, 50);
	assert_region(screen_clip(&img, region(99, 49, 1, 1)), 99, 49, 1, 1);
}

static void clip_size_0_reaches_to_the_edge(void **state)
{
	struct screen_image img = { 100, 50, 400, NULL };

	(void)state;
	assert_region(screen_clip(&img, region(0, 0, 0, 0)), 0, 0, 100, 50);
	assert_region(screen_clip(&img, region(30, 20, 0, 10)), 30, 20, 70, 10);
	assert_region(screen_clip(&img, region(30, 20, 10, 0)), 30, 20, 10, 30);
	assert_region(screen_clip(&img, region(-5, -5, 0, 0)), 0, 0, 100, 50);
}

static void clip_cuts_what_hangs_over_the_edges(void **state)
{
	struct screen_image img = { 100, 50, 400, NULL };

	(void)state;
	assert_region(screen_clip(&img, region(-10, -20, 30, 40)), 0, 0, 20, 20);
	assert_region(screen_clip(&img, region(90, 45, 30, 40)), 90, 45, 10, 5);
	assert_region(screen_clip(&img, region(-10, -10, 500, 500)), 0, 0, 100, 50);
}

static void clip_of_an_outside_or_negative_region_is_empty(void **state)
{
	struct screen_image img = { 100, 50, 400, NULL };

	(void)state;
	assert_region(screen_clip(&img, region(100, 0, 5, 5)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(0, 50, 5, 5)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(100, 0, 0, 0)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(-10, 0, 10, 5)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(0, -10, 5, 10)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(10, 10, -5, 5)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(10, 10, 5, -5)), 0, 0, 0, 0);
	assert_region(screen_clip(NULL, region(0, 0, 0, 0)), 0, 0, 0, 0);
}

static void clip_does_not_overflow_at_the_int_extremes(void **state)
{
	struct screen_image img = { 100, 50, 400, NULL };
	const int max = 2147483647, min = -2147483647 - 1;

	(void)state;
	assert_region(screen_clip(&img, region(10, 5, max, max)), 10, 5, 90, 45);
	assert_region(screen_clip(&img, region(-1000, -1000, max, max)), 0, 0, 100, 50);
	/* INT_MIN + INT_MAX is -1: left of and above the image */
	assert_region(screen_clip(&img, region(min, min, max, max)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(max, max, max, max)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(max, max, 0, 0)), 0, 0, 0, 0);
	assert_region(screen_clip(&img, region(min, min, 0, 0)), 0, 0, 100, 50);
}

static void similarity_is_1_for_equal_pixels_whatever_the_x_bytes(void **state)
{
	struct screen_image img = noise(40, 30, 1, 256);
	struct screen_image needle = cut(&img, 7, 9, 12, 5);

	(void)state;
	assert_true(screen_similarity_at(&img, &needle, 7, 9) == 1.0);
	assert_true(screen_similarity_at(&img, &needle, 8, 9) < 1.0);
	free(needle.pixels);
	free(img.pixels);
}

static void similarity_is_1_minus_the_mean_difference(void **state)
{
	uint8_t a[2 * 4 * 2] = { 0 }, b[2 * 4 * 2] = { 0 };
	struct screen_image img = { 2, 2, 8, a }, needle = { 2, 2, 8, b };

	(void)state;
	b[0] = 255; /* one byte of 12 fully off */
	assert_true(screen_similarity_at(&img, &needle, 0, 0) == 1.0 - 1.0 / 12);
	b[5] = 51; /* and a fifth of another */
	assert_true(screen_similarity_at(&img, &needle, 0, 0) == 1.0 - 1.2 / 12);
	memset(b, 255, sizeof(b));
	assert_true(screen_similarity_at(&img, &needle, 0, 0) == 0.0);
}

static void similarity_is_0_where_the_needle_does_not_fit(void **state)
{
	struct screen_image img = noise(40, 30, 2, 256);
	struct screen_image needle = cut(&img, 0, 0, 10, 10);
	struct screen_image empty = { 0, 0, 0, img.pixels };

	(void)state;
	assert_true(screen_similarity_at(&img, &needle, 0, 0) == 1.0);
	assert_true(screen_similarity_at(&img, &needle, 30, 20) > 0.0);
	assert_true(screen_similarity_at(&img, &needle, 31, 0) == 0.0);
	assert_true(screen_similarity_at(&img, &needle, 0, 21) == 0.0);
	assert_true(screen_similarity_at(&img, &needle, -1, 0) == 0.0);
	assert_true(screen_similarity_at(&img, &needle, 2147483647, 0) == 0.0);
	assert_true(screen_similarity_at(&img, &empty, 0, 0) == 0.0);
	assert_true(screen_similarity_at(&needle, &img, 0, 0) == 0.0);
	free(needle.pixels);
	free(img.pixels);
}

static void find_locates_a_cut_out_needle_exactly(void **state)
{
	struct screen_image img = noise(400, 300, 3, 256);
	struct screen_image needle = cut(&img, 213, 147, 120, 40);
	int x, y;

	(void)state;
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y) == 1.0);
	if (x != 213 || y != 147)
		fail_msg("found at (%d,%d); expected (213,147)", x, y);
	free(needle.pixels);
	free(img.pixels);
}

static void find_locates_a_slightly_changed_needle(void **state)
{
	struct screen_image img = noise(300, 200, 4, 256);
	struct screen_image needle = cut(&img, 101, 57, 40, 20);
	double s;
	int x, y;

	(void)state;
	put_rgb(&needle, 0, 0, 0xffffff);
	put_rgb(&needle, 39, 19, 0x000000);
	put_rgb(&needle, 20, 10, 0x808080);
	s = screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y);
	if (x != 101 || y != 57)
		fail_msg("found at (%d,%d) with %f; expected (101,57)", x, y, s);
	assert_true(s < 1.0);
	assert_true(s > 0.99);
	assert_true(s == screen_similarity_at(&img, &needle, 101, 57));
	free(needle.pixels);
	free(img.pixels);
}

static void find_of_an_absent_needle_is_low(void **state)
{
	struct screen_image img = noise(200, 150, 5, 256);
	struct screen_image other = noise(60, 40, 6, 256);
	struct screen_image needle = cut(&other, 10, 10, 30, 20);
	double s;
	int x, y, bx, by;

	(void)state;
	s = screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y);
	if (s > 0.8)
		fail_msg("an absent needle scored %f at (%d,%d)", s, x, y);
	/* and that is still the best there is */
	assert_true(s == find_by_brute_force(&img, &needle, region(0, 0, 0, 0), &bx, &by));
	assert_int_equal(x, bx);
	assert_int_equal(y, by);
	free(needle.pixels);
	free(other.pixels);
	free(img.pixels);
}

static void find_looks_only_inside_the_region(void **state)
{
	struct screen_image img = noise(200, 150, 7, 256);
	struct screen_image needle = cut(&img, 150, 100, 30, 20);
	int x, y;

	(void)state;
	/* outside, or only partly inside: not found */
	assert_true(screen_find(&img, &needle, region(0, 0, 150, 150), 1.0, &x, &y) < 0.8);
	assert_true(screen_find(&img, &needle, region(0, 0, 179, 119), 1.0, &x, &y) < 0.8);
	assert_true(screen_find(&img, &needle, region(151, 0, 0, 0), 1.0, &x, &y) < 0.8);
	/* inside, down to a region the needle's own size */
	assert_true(screen_find(&img, &needle, region(100, 50, 0, 0), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 150);
	assert_int_equal(y, 100);
	assert_true(screen_find(&img, &needle, region(150, 100, 30, 20), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 150);
	assert_int_equal(y, 100);
	/* a region partly off the image is clipped first */
	assert_true(screen_find(&img, &needle, region(140, 90, 500, 500), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 150);
	assert_int_equal(y, 100);
	free(needle.pixels);
	free(img.pixels);
}

static void find_is_0_when_the_needle_cannot_fit(void **state)
{
	struct screen_image img = noise(100, 80, 8, 256);
	struct screen_image needle = cut(&img, 10, 10, 30, 20);
	struct screen_image empty = { 0, 0, 0, img.pixels };
	int x = 5, y = 5;

	(void)state;
	assert_true(screen_find(&img, &needle, region(10, 10, 29, 20), 1.0, &x, &y) == 0.0);
	assert_int_equal(x, -1);
	assert_int_equal(y, -1);
	assert_true(screen_find(&img, &needle, region(10, 10, 30, 19), 1.0, NULL, NULL) == 0.0);
	assert_true(screen_find(&img, &needle, region(100, 0, 0, 0), 1.0, &x, &y) == 0.0);
	assert_true(screen_find(&img, &needle, region(0, 0, -1, -1), 1.0, &x, &y) == 0.0);
	assert_true(screen_find(&needle, &img, region(0, 0, 0, 0), 1.0, &x, &y) == 0.0);
	assert_true(screen_find(&img, &empty, region(0, 0, 0, 0), 1.0, &x, &y) == 0.0);
	free(needle.pixels);
	free(img.pixels);
}

static void find_prefers_the_first_of_equal_matches(void **state)
{
	struct screen_image img = noise(120, 90, 9, 256);
	struct screen_image needle = cut(&img, 5, 5, 12, 8);
	int x, y, i;

	(void)state;
	/* copies later on the same row and further down */
	for (i = 0; i < 8; i++) {
		memcpy(img.pixels + (size_t)(60 + i) * img.stride + 90 * 4,
		       needle.pixels + (size_t)i * needle.stride, 12 * 4);
		memcpy(img.pixels + (size_t)(5 + i) * img.stride + 50 * 4,
		       needle.pixels + (size_t)i * needle.stride, 12 * 4);
	}
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 5);
	assert_int_equal(y, 5);
	assert_true(screen_find(&img, &needle, region(6, 0, 0, 0), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 50);
	assert_int_equal(y, 5);
	assert_true(screen_find(&img, &needle, region(0, 6, 0, 0), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 90);
	assert_int_equal(y, 60);
	free(needle.pixels);
	free(img.pixels);
}

static void find_prefers_the_first_of_equal_near_matches(void **state)
{
	struct screen_image img = noise(200, 150, 14, 256);
	struct screen_image needle = { 40, 40, 40 * 4, NULL };
	int x, y, row, col;

	(void)state;
	/* A flat needle with one white pixel. Two copies, each off by the
	 * same 3 x 127: the earlier one in its white pixel (the most telling
	 * one), the later one in a flat pixel. However the search orders its
	 * work, the earlier copy must win. */
	needle.pixels = malloc(needle.stride * 40);
	assert_non_null(needle.pixels);
	memset(needle.pixels, 0x80, needle.stride * 40);
	put_rgb(&needle, 0, 0, 0xffffff);
	for (row = 0; row < 40; row++)
		for (col = 0; col < 40; col++) {
			put_rgb(&img, 10 + col, 10 + row, 0x808080);
			put_rgb(&img, 100 + col, 60 + row, 0x808080);
		}
	put_rgb(&img, 104, 64, 0xffffff); /* later copy: white at (4,4) */
	put_rgb(&img, 100, 60, 0xffffff);
	assert_true(screen_similarity_at(&img, &needle, 10, 10) ==
		    screen_similarity_at(&img, &needle, 100, 60));
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y) ==
		    screen_similarity_at(&img, &needle, 10, 10));
	if (x != 10 || y != 10)
		fail_msg("found at (%d,%d); expected the first of two equal matches, (10,10)",
			 x, y);
	free(needle.pixels);
	free(img.pixels);
}

static void find_with_enough_gives_the_best_of_the_positions_that_reach_it(void **state)
{
	struct screen_image img = noise(300, 200, 10, 256);
	struct screen_image needle = cut(&img, 200, 150, 40, 30);
	double s;
	int x, y, i;

	(void)state;
	/* a damaged copy (about 0.99) before the exact one */
	for (i = 0; i < 30; i++)
		memcpy(img.pixels + (size_t)(20 + i) * img.stride + 30 * 4,
		       needle.pixels + (size_t)i * needle.stride, 40 * 4);
	for (i = 0; i < 40; i++)
		put_rgb(&img, 30 + i, 35, 0x000000);
	s = screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y);
	if (s != 1.0 || x != 200 || y != 150)
		fail_msg("found (%d,%d) with %f; expected the exact copy at (200,150)", x, y, s);
	/* the later copy, slightly damaged, is still the better one */
	put_rgb(&img, 200, 150, 0x000000);
	put_rgb(&img, 201, 150, 0xffffff);
	s = screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y);
	if (s < 0.99 || x != 200 || y != 150)
		fail_msg("found (%d,%d) with %f; expected the better copy at (200,150)", x, y, s);
	assert_true(s == screen_similarity_at(&img, &needle, 200, 150));
	/* without it, the damaged one is enough */
	for (i = 0; i < 30 * 40; i++)
		put_rgb(&img, 200 + i % 40, 150 + i / 40, 0x000000);
	s = screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y);
	if (s < 0.95 || s > 0.99 || x != 30 || y != 20)
		fail_msg("found (%d,%d) with %f; expected (30,20)", x, y, s);
	assert_true(s == screen_similarity_at(&img, &needle, 30, 20));
	/* nothing can reach the threshold: the best of all */
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 1.5, &x, &y) == s);
	assert_int_equal(x, 30);
	assert_int_equal(y, 20);
	/* a threshold of 0 or below (or not a number): every position reaches
	 * it; the best */
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 0.0, &x, &y) == s);
	assert_int_equal(x, 30);
	assert_int_equal(y, 20);
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), NAN, &x, &y) == s);
	assert_int_equal(x, 30);
	assert_int_equal(y, 20);
	free(needle.pixels);
	free(img.pixels);
}

static void find_gives_what_comparing_everywhere_gives(void **state)
{
	static const int colours[] = { 2, 3, 256 };
	int trial;

	(void)state;
	for (trial = 0; trial < 60; trial++) {
		int c = colours[trial % 3];
		struct screen_image img = noise(37 + trial % 7, 23 + trial % 5, 100 + trial, c);
		int nw = 1 + (int)(rng_next() % 9), nh = 1 + (int)(rng_next() % 6);
		int ox = (int)(rng_next() % (img.width - nw + 1));
		int oy = (int)(rng_next() % (img.height - nh + 1));
		struct screen_image needle = cut(&img, ox, oy, nw, nh);
		struct screen_region r = region((int)(rng_next() % 12) - 3, (int)(rng_next() % 8) - 3,
						(int)(rng_next() % 40), (int)(rng_next() % 30));
		double want, got;
		int wx, wy, x, y;

		if (trial % 2) /* half of them damaged, so not a clean 1.0 */
			put_rgb(&needle, nw / 2, nh / 2, rng_next());
		want = find_by_brute_force(&img, &needle, r, &wx, &wy);
		got = screen_find(&img, &needle, r, 1.0, &x, &y);
		if (got != want || x != wx || y != wy)
			fail_msg("trial %d: %dx%d needle in (%d,%d %dx%d) of %dx%d: found %.9f "
				 "at (%d,%d); every position gives %.9f at (%d,%d)",
				 trial, nw, nh, r.x, r.y, r.w, r.h, img.width, img.height, got, x,
				 y, want, wx, wy);
		/* Where the best reaches enough it is the answer; where nothing
		 * does, the answer says so: below enough, a true similarity at
		 * the position given, and no better than the best. */
		got = screen_find(&img, &needle, r, 0.9, &x, &y);
		if (want >= 0.9 ? (got != want || x != wx || y != wy) : (got >= 0.9 || got > want))
			fail_msg("trial %d, enough 0.9: found %.9f at (%d,%d); best %.9f at (%d,%d)",
				 trial, got, x, y, want, wx, wy);
		if (want > 0)
			assert_true(got == screen_similarity_at(&img, &needle, x, y));
		free(needle.pixels);
		free(img.pixels);
	}
}

/* A pixel of img, to write. */
static uint8_t *wpixel(struct screen_image *img, int x, int y)
{
	return img->pixels + (size_t)y * img->stride + (size_t)x * 4;
}

/* A screen-sized noise image, where every wrong position differs about
 * equally and no bound can tell them apart early: the needle is found at
 * each corner and edge, exactly, with enough 1 and 0.95. */
static void find_on_noise_finds_the_needle_at_every_edge(void **state)
{
	static const int at[][2] = { { 0, 0 },     { 904, 0 },  { 0, 728 },  { 904, 728 },
				     { 452, 0 },   { 0, 364 },  { 904, 364 }, { 452, 728 } };
	struct screen_image img = noise(1024, 768, 21, 256);
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
		struct screen_image needle = cut(&img, at[i][0], at[i][1], 120, 40);
		double s;
		int x, y;

		s = screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y);
		if (s != 1.0 || x != at[i][0] || y != at[i][1])
			fail_msg("enough 1: found %f at (%d,%d); expected (%d,%d)", s, x, y,
				 at[i][0], at[i][1]);
		s = screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y);
		if (s != 1.0 || x != at[i][0] || y != at[i][1])
			fail_msg("enough 0.95: found %f at (%d,%d); expected (%d,%d)", s, x, y,
				 at[i][0], at[i][1]);
		free(needle.pixels);
	}
	free(img.pixels);
}

/* A pattern repeated all over (a tiled background, a row of identical
 * icons): every period is an exact match; the first in the region wins. */
static void find_in_a_repeated_pattern_gives_the_first_copy_in_the_region(void **state)
{
	struct screen_image tile = noise(16, 8, 22, 256);
	struct screen_image img = noise(400, 240, 23, 256);
	struct screen_image needle;
	int x, y;

	(void)state;
	for (y = 0; y < img.height; y++)
		for (x = 0; x < img.width; x++)
			memcpy(wpixel(&img, x, y), pixel(&tile, x % 16, y % 8), 3);
	needle = cut(&img, 48, 24, 40, 20);
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 1.0, &x, &y) == 1.0);
	assert_int_equal(x, 0);
	assert_int_equal(y, 0);
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y) == 1.0);
	assert_int_equal(x, 0);
	assert_int_equal(y, 0);
	assert_true(screen_find(&img, &needle, region(101, 50, 0, 0), 0.95, &x, &y) == 1.0);
	assert_int_equal(x, 112);
	assert_int_equal(y, 56);
	free(needle.pixels);
	free(tile.pixels);
	free(img.pixels);
}

/* A needle that is not there, on something like a desktop (flat areas, a
 * window, a near copy of the needle at 0.9 or so): no position reaches
 * 0.95, and the answer says so with a true similarity at the near copy,
 * which is what a person reading "best seen" wants to know. */
static void find_of_a_missing_needle_says_where_it_comes_nearest(void **state)
{
	struct screen_image img = noise(640, 480, 24, 2);
	struct screen_image needle, copy;
	double s;
	int x, y, row, col, bx, by;

	(void)state;
	for (row = 0; row < 480; row++)
		for (col = 0; col < 640; col++)
			put_rgb(&img, col, row, row > 100 && row < 300 && col > 50 && col < 400 ?
							0xececec : 0x3a6ea5);
	needle = noise(96, 40, 25, 4);
	for (row = 0; row < 40; row++)
		for (col = 0; col < 96; col++)
			memcpy(wpixel(&img, 333 + col, 377 + row), pixel(&needle, col, row), 3);
	for (row = 10; row < 20; row++) /* damage a tenth of the copy */
		for (col = 0; col < 40; col++)
			put_rgb(&img, 333 + col, 377 + row, 0x000000);
	copy = cut(&img, 333, 377, 96, 40);
	s = screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y);
	if (s >= 0.95 || x != 333 || y != 377)
		fail_msg("found %f at (%d,%d); expected below 0.95 at the near copy (333,377)", s,
			 x, y);
	assert_true(s == screen_similarity_at(&img, &needle, x, y));
	assert_true(s == find_by_brute_force(&img, &needle, region(0, 0, 0, 0), &bx, &by));
	/* and with the copy whole again, it is the match */
	for (row = 0; row < 40; row++)
		for (col = 0; col < 96; col++)
			memcpy(wpixel(&img, 333 + col, 377 + row), pixel(&needle, col, row), 3);
	assert_true(screen_find(&img, &needle, region(0, 0, 0, 0), 0.95, &x, &y) == 1.0);
	assert_int_equal(x, 333);
	assert_int_equal(y, 377);
	free(copy.pixels);
	free(needle.pixels);
	free(img.pixels);
}

/* Tile hashes see a change in one pixel of one channel, only in the tiles
 * the damage touches, and nothing outside the region. */
static void tiles_tell_which_part_changed(void **state)
{
	struct screen_image img = noise(100, 70, 26, 256);
	struct screen_tiles t, before;
	struct screen_region r = { 10, 5, 80, 60 }, hit = { 45, 40, 1, 1 };

	(void)state;
	assert_int_equal(screen_tiles_init(&t, &img, r), 0);
	assert_int_equal(screen_tiles_init(&before, &img, r), 0);
	assert_int_equal(t.cols, 3);
	assert_int_equal(t.rows, 2);
	assert_int_equal(screen_tiles_differ(&t, &before), 0);
	wpixel(&img, 45, 40)[3] ^= 0xff; /* the X byte is not part of the screen */
	assert_int_equal(screen_tiles_update(&t, &img, hit), 0);
	wpixel(&img, 45, 40)[1] ^= 0x01;
	/* damage reported elsewhere does not look at it */
	assert_int_equal(screen_tiles_update(&t, &img, region(0, 0, 10, 70)), 0);
	assert_int_equal(screen_tiles_differ(&t, &before), 0);
	assert_int_equal(screen_tiles_update(&t, &img, hit), 1);
	assert_int_equal(screen_tiles_differ(&t, &before), 1);
	wpixel(&img, 45, 40)[1] ^= 0x01; /* back as it was */
	assert_int_equal(screen_tiles_update(&t, &img, region(0, 0, 100, 70)), 1);
	assert_int_equal(screen_tiles_differ(&t, &before), 0);
	/* outside the region nothing counts */
	wpixel(&img, 95, 2)[0] ^= 0x80;
	assert_int_equal(screen_tiles_update(&t, &img, region(0, 0, 100, 70)), 0);
	screen_tiles_free(&t);
	screen_tiles_free(&before);
	free(img.pixels);
}

/* What a wait sees (screen_cond_update): settled holds once nothing in the
 * region changed for the quiet time, whatever arrived that left the pixels
 * as they were; a change elsewhere does not count. */
static void cond_settled_counts_only_pixels_that_changed_in_the_region(void **state)
{
	struct screen_image img = noise(200, 100, 30, 256);
	struct screen_cond c = { .kind = COND_SETTLED, .region = { 0, 0, 100, 100 }, .quiet_ms = 500 };
	struct screen_watch w;
	struct screen_region hit = { 50, 50, 1, 1 }, away = { 150, 50, 1, 1 };

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, NULL, 0, 1000), 0);
	assert_true(screen_cond_due(&c, &w) == 1500);
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &hit, 1, 1200), 0); /* same pixels */
	wpixel(&img, 150, 50)[0] ^= 1;
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &away, 1, 1300), 0);
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, NULL, 0, 1500), 1);
	wpixel(&img, 50, 50)[2] ^= 1;
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &hit, 1, 1600), 0);
	assert_true(screen_cond_due(&c, &w) == 2100);
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &hit, 0, 2099), 0);
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &hit, 0, 2100), 1);
	screen_watch_free(&w);
	free(img.pixels);
}

/* changed compares with the screen before the keys (or the first one seen),
 * and a pixel changed back is no change. */
static void cond_changed_compares_with_the_screen_before(void **state)
{
	struct screen_image img = noise(120, 80, 31, 256);
	struct screen_image before = cut(&img, 0, 0, 120, 80);
	struct screen_cond c = { .kind = COND_CHANGED, .region = { 10, 10, 60, 40 } };
	struct screen_watch w;
	struct screen_region hit = { 40, 30, 2, 2 };

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_int_equal(screen_cond_update(&c, &w, &img, &before, NULL, 0, 0), 0);
	wpixel(&img, 41, 31)[1] ^= 0x10;
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &hit, 1, 10), 1);
	wpixel(&img, 41, 31)[1] ^= 0x10;
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &hit, 1, 20), 0);
	screen_watch_free(&w);
	/* the keys had already changed the region when the wait began */
	memset(&w, 0, sizeof(w));
	wpixel(&before, 12, 12)[0] ^= 0x01;
	assert_int_equal(screen_cond_update(&c, &w, &img, &before, NULL, 0, 0), 1);
	screen_watch_free(&w);
	free(before.pixels);
	free(img.pixels);
}

/* An image that appears where an update lands is found by looking only
 * around the update, at the place and similarity a whole search gives; the
 * best seen so far stays for the message when the damage is elsewhere. */
static void cond_image_found_where_the_update_landed(void **state)
{
	struct screen_image img = noise(400, 300, 32, 256);
	struct screen_image needle = noise(40, 20, 33, 256);
	struct screen_cond c = { .kind = COND_IMAGE, .region = { 0, 0, 0, 0 }, .similarity = 0.95 };
	struct screen_watch w;
	struct screen_region far = { 0, 0, 8, 8 }, landed = { 250, 180, 40, 20 };
	int row, x, y;
	double best;

	(void)state;
	c.needle = needle;
	memset(&w, 0, sizeof(w));
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, NULL, 0, 0), 0);
	best = w.score;
	assert_true(best < 0.95 && w.at_x >= 0);
	wpixel(&img, 3, 3)[0] ^= 0xff;
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &far, 1, 10), 0);
	assert_true(w.score >= best);
	for (row = 0; row < 20; row++)
		memcpy(wpixel(&img, 250, 180 + row), wpixel(&needle, 0, row), 40 * 4);
	assert_int_equal(screen_cond_update(&c, &w, &img, NULL, &landed, 1, 20), 1);
	assert_true(w.score == screen_find(&img, &needle, c.region, 0.95, &x, &y));
	assert_int_equal(w.at_x, x);
	assert_int_equal(w.at_y, y);
	assert_int_equal(x, 250);
	assert_int_equal(y, 180);
	screen_watch_free(&w);
	free(needle.pixels);
	free(img.pixels);
}

static void colour_share_of_half_red_half_blue_is_a_half(void **state)
{
	struct screen_image img = noise(40, 20, 11, 256);
	int x, y;

	(void)state;
	for (y = 0; y < 20; y++)
		for (x = 0; x < 40; x++)
			put_rgb(&img, x, y, x < 20 ? 0xff0000 : 0x0000ff);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0xff0000, 0) == 0.5);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x0000ff, 0) == 0.5);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x00ff00, 0) == 0.0);
	assert_true(screen_colour_share(&img, region(0, 0, 20, 0), 0xff0000, 0) == 1.0);
	assert_true(screen_colour_share(&img, region(10, 5, 40, 10), 0xff0000, 0) == 1.0 / 3);
	/* the bits above 0xffffff are not part of the colour */
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0xabff0000, 0) == 0.5);
	free(img.pixels);
}

static void colour_share_counts_up_to_the_tolerance_exactly(void **state)
{
	struct screen_image img = noise(4, 1, 12, 256);

	(void)state;
	put_rgb(&img, 0, 0, 0x806040); /* the colour itself */
	put_rgb(&img, 1, 0, 0x8a6a4a); /* +10 on every channel */
	put_rgb(&img, 2, 0, 0x806036); /* -10 on blue only */
	put_rgb(&img, 3, 0, 0x80614b); /* +11 on blue */
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x806040, 9) == 0.25);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x806040, 10) == 0.75);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x806040, 11) == 1.0);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x000000, 255) == 1.0);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x806040, 2147483647) == 1.0);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x806040, -1) == 0.0);
	assert_true(screen_colour_share(&img, region(0, 0, 0, 0), 0x806040,
					-2147483647 - 1) == 0.0);
	free(img.pixels);
}

static void colour_share_of_an_empty_region_is_0(void **state)
{
	struct screen_image img = noise(10, 10, 13, 256);

	(void)state;
	assert_true(screen_colour_share(&img, region(10, 0, 5, 5), 0x000000, 255) == 0.0);
	assert_true(screen_colour_share(&img, region(0, 0, -1, 5), 0x000000, 255) == 0.0);
	assert_true(screen_colour_share(NULL, region(0, 0, 0, 0), 0x000000, 255) == 0.0);
	free(img.pixels);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip_keeps_every_rgb_byte),
		cmocka_unit_test(write_replaces_an_existing_file),
		cmocka_unit_test(write_into_a_missing_directory_names_the_file),
		cmocka_unit_test(write_refuses_an_empty_image),
		cmocka_unit_test(reads_8bit_gray_as_rgb),
		cmocka_unit_test(reads_2bit_gray_scaled_to_8_bits),
		cmocka_unit_test(reads_a_4bit_palette_image),
		cmocka_unit_test(palette_transparency_is_composited_on_black),
		cmocka_unit_test(reads_16bit_rgba_as_8bit_rgb),
		cmocka_unit_test(reads_gray_alpha),
		cmocka_unit_test(reads_an_interlaced_image),
		cmocka_unit_test(a_truncated_png_is_refused),
		cmocka_unit_test(a_corrupt_png_is_refused),
		cmocka_unit_test(a_text_file_is_not_a_png),
		cmocka_unit_test(a_missing_file_is_reported),
		cmocka_unit_test(a_huge_declared_size_is_refused),
		cmocka_unit_test(hash_of_rgb_bytes_is_fnv1a),
		cmocka_unit_test(hash_sees_changes_inside_the_region_only),
		cmocka_unit_test(hash_clips_the_region_to_the_image),
		cmocka_unit_test(clip_keeps_a_region_inside_the_image),
		cmocka_unit_test(clip_size_0_reaches_to_the_edge),
		cmocka_unit_test(clip_cuts_what_hangs_over_the_edges),
		cmocka_unit_test(clip_of_an_outside_or_negative_region_is_empty),
		cmocka_unit_test(clip_does_not_overflow_at_the_int_extremes),
		cmocka_unit_test(similarity_is_1_for_equal_pixels_whatever_the_x_bytes),
		cmocka_unit_test(similarity_is_1_minus_the_mean_difference),
		cmocka_unit_test(similarity_is_0_where_the_needle_does_not_fit),
		cmocka_unit_test(find_locates_a_cut_out_needle_exactly),
		cmocka_unit_test(find_locates_a_slightly_changed_needle),
		cmocka_unit_test(find_of_an_absent_needle_is_low),
		cmocka_unit_test(find_looks_only_inside_the_region),
		cmocka_unit_test(find_is_0_when_the_needle_cannot_fit),
		cmocka_unit_test(find_prefers_the_first_of_equal_matches),
		cmocka_unit_test(find_prefers_the_first_of_equal_near_matches),
		cmocka_unit_test(find_with_enough_gives_the_best_of_the_positions_that_reach_it),
		cmocka_unit_test(find_gives_what_comparing_everywhere_gives),
		cmocka_unit_test(find_on_noise_finds_the_needle_at_every_edge),
		cmocka_unit_test(find_in_a_repeated_pattern_gives_the_first_copy_in_the_region),
		cmocka_unit_test(find_of_a_missing_needle_says_where_it_comes_nearest),
		cmocka_unit_test(tiles_tell_which_part_changed),
		cmocka_unit_test(cond_settled_counts_only_pixels_that_changed_in_the_region),
		cmocka_unit_test(cond_changed_compares_with_the_screen_before),
		cmocka_unit_test(cond_image_found_where_the_update_landed),
		cmocka_unit_test(colour_share_of_half_red_half_blue_is_a_half),
		cmocka_unit_test(colour_share_counts_up_to_the_tolerance_exactly),
		cmocka_unit_test(colour_share_of_an_empty_region_is_0),
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
