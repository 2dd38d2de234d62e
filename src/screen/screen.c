/* screen.c: framebuffer snapshots as PNG files (libpng) and their content
 * hash. Owns the conversion between R,G,B,X memory and every PNG flavour;
 * knows nothing of RFB, sessions or where the files go (record/ decides).
 * libpng reports through screen_png_error into a vb_error, never stderr. */
#include "screen/screen.h"

#include <errno.h>
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/files.h"

/* Largest image read: a 16384x16384 R,G,B,X buffer is already 1 GiB, and
 * no console is that big; a larger IHDR is a broken or hostile file. */
#define SCREEN_MAX_SIDE 16384

/* What the libpng callbacks need: the file, and room for the reason of
 * the first error (copied out before longjmp unwinds libpng). */
struct screen_png_io {
	FILE *fp;
	char reason[256];
};

static void screen_png_error(png_structp png, png_const_charp msg)
{
	struct screen_png_io *io = png_get_error_ptr(png);

	if (io->reason[0] == '\0')
		snprintf(io->reason, sizeof(io->reason), "%s", msg);
	png_longjmp(png, 1);
}

/* Warnings (a slightly off sRGB profile, a bad ancillary chunk CRC) do not
 * stop us from using the pixels: dropped, as nothing below the cli prints. */
static void screen_png_warning(png_structp png, png_const_charp msg)
{
	(void)png;
	(void)msg;
}

/* Own read/write callbacks, so a short file or a full disk is reported as
 * such instead of libpng's "Read Error" / "Write Error". */
static void screen_png_read(png_structp png, png_bytep data, size_t len)
{
	struct screen_png_io *io = png_get_io_ptr(png);

	if (fread(data, 1, len, io->fp) == len)
		return;
	if (ferror(io->fp))
		snprintf(io->reason, sizeof(io->reason), "read error: %s",
			 strerror(errno));
	else
		snprintf(io->reason, sizeof(io->reason),
			 "the file ends early (truncated PNG)");
	png_error(png, io->reason);
}

static void screen_png_write(png_structp png, png_bytep data, size_t len)
{
	struct screen_png_io *io = png_get_io_ptr(png);

	if (fwrite(data, 1, len, io->fp) != len) {
		snprintf(io->reason, sizeof(io->reason), "%s", strerror(errno));
		png_error(png, io->reason);
	}
}

static void screen_png_flush(png_structp png)
{
	struct screen_png_io *io = png_get_io_ptr(png);

	if (fflush(io->fp) != 0) {
		snprintf(io->reason, sizeof(io->reason), "%s", strerror(errno));
		png_error(png, io->reason);
	}
}

/* Encode img into io->fp. Returns 0, or -1 with io->reason filled. */
static int screen_png_encode(struct screen_png_io *io,
			     const struct screen_image *img)
{
	png_structp png;
	png_infop info = NULL;
	int y;

	png = png_create_write_struct(PNG_LIBPNG_VER_STRING, io,
				      screen_png_error, screen_png_warning);
	if (!png || !(info = png_create_info_struct(png))) {
		snprintf(io->reason, sizeof(io->reason), "out of memory");
		png_destroy_write_struct(&png, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return -1;
	}
	png_set_write_fn(png, io, screen_png_write, screen_png_flush);
	png_set_IHDR(png, info, (png_uint_32)img->width,
		     (png_uint_32)img->height, 8, PNG_COLOR_TYPE_RGB,
		     PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		     PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	png_set_filler(png, 0, PNG_FILLER_AFTER); /* drop X on the way out */
	for (y = 0; y < img->height; y++)
		png_write_row(png, img->pixels + (size_t)y * img->stride);
	png_write_end(png, info);
	png_destroy_write_struct(&png, &info);
	return 0;
}

int screen_write_png(const char *path, const struct screen_image *img,
		     struct vb_error *err)
{
	struct screen_png_io io = { 0 };
	struct files_out out;

	if (!img || !img->pixels || img->width <= 0 || img->height <= 0 ||
	    img->stride < (size_t)img->width * 4)
		return vb_fail(err, VB_FAILED,
			       "cannot write PNG '%s': no image to write "
			       "(%dx%d pixels, stride %zu)",
			       path, img ? img->width : 0,
			       img ? img->height : 0, img ? img->stride : 0);
	if (files_out_begin(&out, path, "PNG", err) < 0)
		return -1;
	io.fp = out.f;
	if (screen_png_encode(&io, img) < 0) {
		files_out_abort(&out);
		return vb_fail(err, VB_FAILED, "cannot write PNG '%s': %s", path,
			       io.reason);
	}
	return files_out_commit(&out, err);
}

/* Decode from io->fp (signature already checked and consumed) into *out.
 * Returns 0, or -1 with io->reason filled. */
static int screen_png_decode(struct screen_png_io *io, struct screen_image *out)
{
	png_structp png;
	png_infop info = NULL;
	uint8_t *volatile pixels = NULL;
	png_bytep *volatile rows = NULL;
	png_uint_32 width, height, y;
	int color, alpha;

	png = png_create_read_struct(PNG_LIBPNG_VER_STRING, io,
				     screen_png_error, screen_png_warning);
	if (!png || !(info = png_create_info_struct(png))) {
		snprintf(io->reason, sizeof(io->reason), "out of memory");
		png_destroy_read_struct(&png, NULL, NULL);
		return -1;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_read_struct(&png, &info, NULL);
		free(rows);
		free(pixels);
		return -1;
	}
	png_set_read_fn(png, io, screen_png_read);
	png_set_sig_bytes(png, 8);
	png_read_info(png, info);
	width = png_get_image_width(png, info);
	height = png_get_image_height(png, info);
	if (width > SCREEN_MAX_SIDE || height > SCREEN_MAX_SIDE) {
		snprintf(io->reason, sizeof(io->reason),
			 "the image is %lux%lu pixels; the largest accepted is "
			 "%dx%d",
			 (unsigned long)width, (unsigned long)height,
			 SCREEN_MAX_SIDE, SCREEN_MAX_SIDE);
		png_error(png, io->reason);
	}
	color = png_get_color_type(png, info);
	alpha = (color & PNG_COLOR_MASK_ALPHA) ||
		png_get_valid(png, info, PNG_INFO_tRNS);

	/* To 8-bit R,G,B + a fourth byte: palette -> RGB, gray below 8 bits
	 * -> 8 bits, tRNS -> an alpha channel (png_set_expand); 16 -> 8 bits
	 * by dropping the low byte; gray -> RGB. Without alpha the fourth
	 * byte is a 0xff filler; with alpha it is composited below. */
	png_set_expand(png);
	png_set_strip_16(png);
	png_set_gray_to_rgb(png);
	if (!alpha)
		png_set_filler(png, 0xff, PNG_FILLER_AFTER);
	png_set_interlace_handling(png);
	png_read_update_info(png, info);
	if (png_get_rowbytes(png, info) != (size_t)width * 4) {
		snprintf(io->reason, sizeof(io->reason),
			 "unexpected row layout after conversion (%zu bytes "
			 "for %lu pixels)",
			 (size_t)png_get_rowbytes(png, info),
			 (unsigned long)width);
		png_error(png, io->reason);
	}

	pixels = malloc((size_t)width * 4 * height);
	rows = malloc(sizeof(*rows) * height);
	if (!pixels || !rows) {
		snprintf(io->reason, sizeof(io->reason), "out of memory");
		png_error(png, io->reason);
	}
	for (y = 0; y < height; y++)
		rows[y] = pixels + (size_t)y * width * 4;
	png_read_image(png, rows);
	png_read_end(png, NULL); /* checks the rest, up to IEND */

	if (alpha) {
		/* Alpha is composited on black (what a viewer shows on a black
		 * page), not stripped: the colour hidden under a transparent
		 * pixel is arbitrary, black keeps hashes and compares stable. */
		uint8_t *p = pixels, *end = pixels + (size_t)width * height * 4;

		for (; p < end; p += 4) {
			unsigned a = p[3];

			p[0] = (uint8_t)((p[0] * a + 127) / 255);
			p[1] = (uint8_t)((p[1] * a + 127) / 255);
			p[2] = (uint8_t)((p[2] * a + 127) / 255);
			p[3] = 0xff;
		}
	}
	png_destroy_read_struct(&png, &info, NULL);
	free(rows);
	out->width = (int)width;
	out->height = (int)height;
	out->stride = (size_t)width * 4;
	out->pixels = pixels;
	return 0;
}

int screen_read_png(const char *path, struct screen_image *out,
		    struct vb_error *err)
{
	static const char hint[] = "give a PNG file, e.g. one made by "
				   "'vncbot capture FILE.png'";
	struct screen_png_io io = { 0 };
	unsigned char sig[8];
	size_t n;
	int rc;

	memset(out, 0, sizeof(*out));
	io.fp = files_open_read(path, "image", err);
	if (!io.fp)
		return -1;
	n = fread(sig, 1, sizeof(sig), io.fp);
	if (n < sizeof(sig) && ferror(io.fp)) {
		vb_fail(err, VB_USAGE, "cannot read image '%s': %s", path,
			strerror(errno));
		fclose(io.fp);
		return -1;
	}
	if (n < sizeof(sig) || png_sig_cmp(sig, 0, sizeof(sig)) != 0) {
		vb_fail(err, VB_USAGE,
			"'%s' is not a PNG file (%s)", path,
			n == 0 ? "it is empty" :
				 "it does not start with the PNG signature");
		fclose(io.fp);
		return vb_hint(err, "%s", hint);
	}
	rc = screen_png_decode(&io, out);
	fclose(io.fp);
	if (rc)
		return vb_fail(err, VB_USAGE, "cannot read PNG '%s': %s", path,
			       io.reason);
	return 0;
}

void screen_image_free(struct screen_image *img)
{
	if (!img)
		return;
	free(img->pixels);
	memset(img, 0, sizeof(*img));
}

uint64_t screen_hash(const struct screen_image *img, int x, int y, int w, int h)
{
	uint64_t hash = 0xcbf29ce484222325ULL; /* FNV-1a 64 offset basis */
	long long x0 = x, y0 = y, x1 = (long long)x + w, y1 = (long long)y + h;
	long long row, col;

	if (!img || !img->pixels)
		return hash;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > img->width)
		x1 = img->width;
	if (y1 > img->height)
		y1 = img->height;
	for (row = y0; row < y1; row++) {
		const uint8_t *p = img->pixels + (size_t)row * img->stride +
				   (size_t)x0 * 4;

		for (col = x0; col < x1; col++, p += 4) {
			hash = (hash ^ p[0]) * 0x100000001b3ULL;
			hash = (hash ^ p[1]) * 0x100000001b3ULL;
			hash = (hash ^ p[2]) * 0x100000001b3ULL;
		}
	}
	return hash;
}

/* One tile's hash: its pixels two at a time as 64-bit words, the X bytes
 * masked off, each mixed in by a multiply and a shift (the shift carries
 * high bits down, which a multiply alone never does), into four lanes that
 * take turns so that the multiplies overlap, folded together at the end.
 * Several times faster than byte-wise FNV-1a; what it must tell apart is a
 * tile before and after a change, which a 64-bit hash does but for a
 * 2^-64 chance. */
static uint64_t screen_mix(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

static uint64_t screen_tile_hash(const struct screen_image *img, int x, int y, int w, int h)
{
	const uint64_t mask = 0x00ffffff00ffffffULL;
	uint64_t lane[4] = { (uint64_t)w << 32 | (uint64_t)h, 1, 2, 3 };
	int row, col;

	for (row = y; row < y + h; row++) {
		const uint8_t *p = img->pixels + (size_t)row * img->stride + (size_t)x * 4;
		uint64_t v[4];
		int i;

		for (col = 0; col + 8 <= w; col += 8, p += 32) {
			memcpy(v, p, sizeof(v));
			for (i = 0; i < 4; i++)
				lane[i] = screen_mix(lane[i], v[i] & mask);
		}
		for (i = 0; col + 2 <= w; col += 2, p += 8, i++) {
			memcpy(v, p, sizeof(v[0]));
			lane[i] = screen_mix(lane[i], v[0] & mask);
		}
		if (col < w) {
			uint32_t last;

			memcpy(&last, p, sizeof(last));
			lane[3] = screen_mix(lane[3], (uint64_t)(last & 0x00ffffffu) | 1ULL << 32);
		}
	}
	return screen_mix(screen_mix(screen_mix(lane[0], lane[1]), lane[2]), lane[3]);
}

/* Hash tile (col, row) of t on img into t->hash; 1 if it changed. */
static int screen_tile_rehash(struct screen_tiles *t, const struct screen_image *img, int col,
			      int row)
{
	int x = t->region.x + col * SCREEN_TILE, y = t->region.y + row * SCREEN_TILE;
	int w = t->region.x + t->region.w - x, h = t->region.y + t->region.h - y;
	uint64_t *slot = &t->hash[(size_t)row * (size_t)t->cols + (size_t)col];
	uint64_t hash = screen_tile_hash(img, x, y, w < SCREEN_TILE ? w : SCREEN_TILE,
					 h < SCREEN_TILE ? h : SCREEN_TILE);

	if (hash == *slot)
		return 0;
	*slot = hash;
	return 1;
}

int screen_tiles_init(struct screen_tiles *t, const struct screen_image *img,
		      struct screen_region region)
{
	int col, row;

	memset(t, 0, sizeof(*t));
	if (!img || !img->pixels)
		return 0;
	t->region = screen_clip(img, region);
	t->width = img->width;
	t->height = img->height;
	if (t->region.w == 0)
		return 0;
	t->cols = (t->region.w + SCREEN_TILE - 1) / SCREEN_TILE;
	t->rows = (t->region.h + SCREEN_TILE - 1) / SCREEN_TILE;
	t->hash = calloc((size_t)t->cols * (size_t)t->rows, sizeof(*t->hash));
	if (!t->hash) {
		memset(t, 0, sizeof(*t));
		return -1;
	}
	for (row = 0; row < t->rows; row++)
		for (col = 0; col < t->cols; col++)
			screen_tile_rehash(t, img, col, row);
	return 0;
}

int screen_tiles_update(struct screen_tiles *t, const struct screen_image *img,
			struct screen_region rect)
{
	long long x0, y0, x1, y1;
	int col, row, changed = 0;

	if (!t->hash || !img || !img->pixels || img->width != t->width ||
	    img->height != t->height || rect.w <= 0 || rect.h <= 0)
		return 0;
	/* The part of rect inside the region, in tiles. */
	x0 = rect.x > t->region.x ? rect.x : t->region.x;
	y0 = rect.y > t->region.y ? rect.y : t->region.y;
	x1 = (long long)rect.x + rect.w;
	y1 = (long long)rect.y + rect.h;
	if (x1 > (long long)t->region.x + t->region.w)
		x1 = (long long)t->region.x + t->region.w;
	if (y1 > (long long)t->region.y + t->region.h)
		y1 = (long long)t->region.y + t->region.h;
	if (x0 >= x1 || y0 >= y1)
		return 0;
	for (row = (int)((y0 - t->region.y) / SCREEN_TILE);
	     row <= (int)((y1 - 1 - t->region.y) / SCREEN_TILE); row++)
		for (col = (int)((x0 - t->region.x) / SCREEN_TILE);
		     col <= (int)((x1 - 1 - t->region.x) / SCREEN_TILE); col++)
			changed += screen_tile_rehash(t, img, col, row);
	return changed;
}

int screen_tiles_differ(const struct screen_tiles *a, const struct screen_tiles *b)
{
	size_t i, n;
	int count = 0;

	if (a->width != b->width || a->height != b->height || a->region.x != b->region.x ||
	    a->region.y != b->region.y || a->region.w != b->region.w ||
	    a->region.h != b->region.h)
		return 1;
	n = (size_t)a->cols * (size_t)a->rows;
	for (i = 0; i < n; i++)
		count += a->hash[i] != b->hash[i];
	return count;
}

void screen_tiles_free(struct screen_tiles *t)
{
	if (!t)
		return;
	free(t->hash);
	memset(t, 0, sizeof(*t));
}
