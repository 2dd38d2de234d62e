/* test_screen.c: PNG write/read round trips, reading every PNG flavour
 * (made here with libpng directly), refusing broken files, and the region
 * hash. Files live in a fresh directory under /tmp, removed at the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <ftw.h>
#include <png.h>
#include <sys/stat.h>
#include <unistd.h>

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
	assert_non_null(strstr(err.message, "no-such-dir/shot.png.tmp"));
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
	};

	return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
