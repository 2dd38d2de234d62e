/* screen.h: operations on a framebuffer snapshot: PNG write/read (libpng),
 * a content hash for "did the screen change". No knowledge of RFB or sessions. */
#ifndef VNCBOT_SCREEN_H
#define VNCBOT_SCREEN_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

/* A snapshot: 4 bytes per pixel in memory order R, G, B, X (X ignored). */
struct screen_image {
	int width;
	int height;
	size_t stride; /* bytes per row, >= width * 4 */
	uint8_t *pixels;
};

/* Write img as an 8-bit RGB PNG at path (written to path.tmp, then renamed,
 * so a reader never sees half a file). Returns 0 or -1 with err. */
int screen_write_png(const char *path, const struct screen_image *img,
		     struct vb_error *err);

/* Read a PNG (any colour type/bit depth libpng can convert) into *out as
 * R,G,B,X with stride width*4; out->pixels is malloc'ed, free with
 * screen_image_free(). Returns 0 or -1 with err naming the file and problem. */
int screen_read_png(const char *path, struct screen_image *out,
		    struct vb_error *err);

/* Free the pixels of an image made by screen_read_png. */
void screen_image_free(struct screen_image *img);

/* 64-bit FNV-1a over the R,G,B bytes of the region (clipped to the image). */
uint64_t screen_hash(const struct screen_image *img, int x, int y, int w, int h);

#endif
