/* screen.h: operations on a framebuffer snapshot: PNG write/read (libpng),
 * needle search and colour share (match.c),
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

/* Write img as an 8-bit RGB PNG at path, through files_out (util/files.h):
 * a reader never sees half a file, and only a regular file is replaced.
 * Returns 0 or -1 with err (VB_FAILED) naming the path. */
int screen_write_png(const char *path, const struct screen_image *img,
		     struct vb_error *err);

/* Read a PNG (any colour type/bit depth libpng can convert) into *out as
 * R,G,B,X with stride width*4; out->pixels is malloc'ed, free with
 * screen_image_free(). Returns 0 or -1 with err (VB_USAGE) naming the file
 * and problem; what is not a regular file is refused without waiting. */
int screen_read_png(const char *path, struct screen_image *out,
		    struct vb_error *err);

/* Free the pixels of an image made by screen_read_png. */
void screen_image_free(struct screen_image *img);

/* A rectangle on the screen. w or h of 0 means "to the edge". */
struct screen_region {
	int x, y, w, h;
};

/* 64-bit FNV-1a over the R,G,B bytes of the region (clipped to the image). */
uint64_t screen_hash(const struct screen_image *img, int x, int y, int w, int h);


/* Content hashes of a region, tile by tile (SCREEN_TILE pixels a side,
 * from the region's top-left corner), so that when part of the screen
 * arrives again only the tiles it touches are hashed again: a wait then
 * costs in proportion to what changed, not to the screen's size. */
#define SCREEN_TILE 32
struct screen_tiles {
	struct screen_region region; /* clipped to the image it was made on */
	int width, height;           /* that image's size */
	int cols, rows;
	uint64_t *hash;              /* cols * rows, row by row; malloc'ed */
};

/* Hash every tile of region (clipped to img) into *t, which it owns until
 * screen_tiles_free. An empty region has no tiles. Returns 0, or -1 when
 * out of memory (*t is then empty). */
int screen_tiles_init(struct screen_tiles *t, const struct screen_image *img,
		      struct screen_region region);

/* Hash again the tiles that rect (part of img, which must have the size t
 * was made for) touches. Returns how many of them hash differently now. */
int screen_tiles_update(struct screen_tiles *t, const struct screen_image *img,
			struct screen_region rect);

/* How many tiles differ between a and b; any count above 0 when they
 * cover different regions or images of different sizes. */
int screen_tiles_differ(const struct screen_tiles *a, const struct screen_tiles *b);

/* Free the hashes; NULL or an empty *t is a no-op. */
void screen_tiles_free(struct screen_tiles *t);

/* The region clipped to the image; empty (w == 0) if it lies outside. */
struct screen_region screen_clip(const struct screen_image *img,
				 struct screen_region r);

/* Similarity of needle to the image at (x, y): 1 - mean absolute difference
 * over the R, G, B bytes / 255, in [0, 1]; 0 if the needle does not fit
 * there. */
double screen_similarity_at(const struct screen_image *img,
			    const struct screen_image *needle, int x, int y);

/* Search the needle inside region (its top-left corner may be anywhere the
 * whole needle still fits in the region). Returns a similarity (0 if the
 * needle cannot fit) and its position in *best_x, *best_y (may be NULL):
 * - when some position reaches `enough`, or enough >= 1, the most similar
 *   position, the first in row-major order among equals: exactly what
 *   comparing at every position gives;
 * - when no position reaches enough (< 1), a similarity below enough, true
 *   at the position given, no better than the best: where the needle comes
 *   nearest by an estimate on shrunk copies (for messages). Proving that no
 *   position reaches enough is far cheaper than finding the best of many
 *   poor ones, which on noise means comparing everywhere in full.
 * Block sums, sample pixels and early exits abandon positions that cannot
 * win, so a full screen takes a few milliseconds on what a console shows. */
double screen_find(const struct screen_image *img, const struct screen_image *needle,
		   struct screen_region region, double enough, int *best_x, int *best_y);

/* Share (0..1) of the region's pixels whose R, G and B are each within
 * tolerance of rgb (0xRRGGBB). 0 for an empty region. */
double screen_colour_share(const struct screen_image *img, struct screen_region region,
			   uint32_t rgb, int tolerance);

#endif
