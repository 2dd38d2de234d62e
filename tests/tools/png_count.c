/* png_count.c: a test tool that counts the pixels of one colour in a region
 * of PNG files (screenshots, replayed frames), through screen.c's PNG
 * reader, for tests that must tell what a picture shows:
 *
 *   png_count RRGGBB X,Y,W,H FILE.png...
 *
 * prints "COUNT FILE" per file on stdout (the region clipped to the
 * picture); errors on stderr, exit 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen/screen.h"

int main(int argc, char **argv)
{
	unsigned long rgb;
	int x, y, w, h, i;
	char *end;

	if (argc < 4 || sscanf(argv[2], "%d,%d,%d,%d", &x, &y, &w, &h) != 4) {
		fprintf(stderr, "usage: png_count RRGGBB X,Y,W,H FILE.png...\n");
		return 1;
	}
	rgb = strtoul(argv[1], &end, 16);
	if (*end || end == argv[1]) {
		fprintf(stderr, "png_count: '%s' is not a colour RRGGBB\n", argv[1]);
		return 1;
	}
	for (i = 3; i < argc; i++) {
		struct screen_region r = { x, y, w, h };
		struct screen_image img;
		struct vb_error err;
		long count = 0;

		if (screen_read_png(argv[i], &img, &err) < 0) {
			fprintf(stderr, "png_count: %s\n", err.message);
			return 1;
		}
		r = screen_clip(&img, r);
		for (int row = r.y; row < r.y + r.h; row++) {
			const uint8_t *p = img.pixels + (size_t)row * img.stride + (size_t)r.x * 4;

			for (int col = 0; col < r.w; col++, p += 4)
				count += ((unsigned long)p[0] << 16 | (unsigned long)p[1] << 8 | p[2]) == rgb;
		}
		printf("%ld %s\n", count, argv[i]);
		screen_image_free(&img);
	}
	return 0;
}
