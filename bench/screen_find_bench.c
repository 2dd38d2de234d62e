/* screen_find_bench.c: how long screen_find and screen_colour_share take on
 * generated screens: random noise (the worst case for abandoning positions
 * early) and a flat desktop with windows, buttons and text-like marks (what
 * a console looks like). Prints a table; asserts nothing. Build and run:
 *   cc -O2 -I src bench/screen_find_bench.c build/libvbcore.a -lpng -lm \
 *      -o /tmp/screen-find-bench && /tmp/screen-find-bench */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "screen/screen.h"

static uint32_t rng_state = 1;

static uint32_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 17;
	rng_state ^= rng_state << 5;
	return rng_state;
}

static struct screen_image image_new(int w, int h)
{
	struct screen_image img = { w, h, (size_t)w * 4, NULL };

	img.pixels = malloc(img.stride * (size_t)h);
	if (!img.pixels) {
		perror("malloc");
		exit(1);
	}
	return img;
}

static void fill(struct screen_image *img, int x, int y, int w, int h, uint32_t rgb)
{
	int row, col;

	for (row = y; row < y + h && row < img->height; row++)
		for (col = x; col < x + w && col < img->width; col++) {
			uint8_t *p = img->pixels + (size_t)row * img->stride + (size_t)col * 4;

			p[0] = (uint8_t)(rgb >> 16);
			p[1] = (uint8_t)(rgb >> 8);
			p[2] = (uint8_t)rgb;
			p[3] = 0;
		}
}

static struct screen_image noise(int w, int h)
{
	struct screen_image img = image_new(w, h);
	size_t i;

	for (i = 0; i < img.stride * (size_t)h; i++)
		img.pixels[i] = (uint8_t)rng_next();
	return img;
}

/* Text-like marks: short dark strokes on a light area. */
static void text(struct screen_image *img, int x, int y, int w, int h)
{
	int i;

	for (i = 0; i < w * h / 12; i++)
		fill(img, x + (int)(rng_next() % (unsigned)w), y + (int)(rng_next() % (unsigned)h),
		     1 + (int)(rng_next() % 2), 1 + (int)(rng_next() % 3), 0x202020);
}

/* A desktop: flat background, a few windows of flat colour with text, and
 * buttons (a border, a face, a label) here and there. */
static struct screen_image desktop(int w, int h)
{
	struct screen_image img = image_new(w, h);
	int i;

	fill(&img, 0, 0, w, h, 0x3a6ea5);
	for (i = 0; i < 6; i++) {
		int wx = (int)(rng_next() % (unsigned)(w - 300)), wy = (int)(rng_next() % (unsigned)(h - 200));

		fill(&img, wx, wy, 300, 200, 0xececec);
		fill(&img, wx, wy, 300, 20, 0x0a246a);
		text(&img, wx + 10, wy + 30, 280, 120);
	}
	for (i = 0; i < 12; i++) {
		int bx = (int)(rng_next() % (unsigned)(w - 120)), by = (int)(rng_next() % (unsigned)(h - 40));

		fill(&img, bx, by, 120, 40, 0x404040);
		fill(&img, bx + 1, by + 1, 118, 38, 0xd4d0c8);
		text(&img, bx + 30, by + 12, 60, 16);
	}
	return img;
}

static struct screen_image cut(const struct screen_image *img, int x, int y, int w, int h)
{
	struct screen_image out = image_new(w, h);
	int row;

	for (row = 0; row < h; row++)
		memcpy(out.pixels + (size_t)row * out.stride,
		       img->pixels + (size_t)(y + row) * img->stride + (size_t)x * 4,
		       (size_t)w * 4);
	return out;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#define RUNS 9

static const char *only; /* argv[1]: run only the lines whose name holds it */

static void bench(const char *what, const struct screen_image *img,
		  const struct screen_image *needle, struct screen_region r, double enough)
{
	double t[RUNS], sim = 0;
	int i, x = -1, y = -1;

	if (only && !strstr(what, only))
		return;
	for (i = 0; i < RUNS; i++) {
		double t0 = now();

		sim = screen_find(img, needle, r, enough, &x, &y);
		t[i] = (now() - t0) * 1000;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("%-44s %5.2f %9.2f %9.2f   %.4f at (%d,%d)\n", what, enough, t[0], t[RUNS / 2],
	       sim, x, y);
}

int main(int argc, char **argv)
{
	struct screen_region all = { 0, 0, 0, 0 }, r400 = { 100, 100, 400, 300 };
	struct screen_image scr = noise(1024, 768), other = noise(200, 100);
	struct screen_image here = cut(&scr, 300, 250, 120, 40);
	struct screen_image low = cut(&scr, 880, 700, 120, 40);
	struct screen_image absent = cut(&other, 10, 10, 120, 40);
	struct screen_image desk, button, missing;
	double t[RUNS], share = 0;
	int i;

	only = argc > 1 ? argv[1] : NULL;
	printf("%-44s %5s %9s %9s   %s\n", "search (120x40 needle)", "enough", "min ms", "median ms",
	       "result");
	bench("noise, 400x300 region, present", &scr, &here, r400, 1.0);
	bench("noise, 400x300 region, absent", &scr, &absent, r400, 1.0);
	bench("noise, 1024x768, present at (880,700)", &scr, &low, all, 1.0);
	bench("noise, 1024x768, present at (880,700)", &scr, &low, all, 0.95);
	bench("noise, 1024x768, absent", &scr, &absent, all, 0.95);

	/* A desktop, and one more button at a known place on top of it. The
	 * missing one has the same face and border but another label. */
	desk = desktop(1024, 768);
	fill(&desk, 870, 690, 120, 40, 0x404040);
	fill(&desk, 871, 691, 118, 38, 0xd4d0c8);
	text(&desk, 900, 702, 60, 16);
	button = cut(&desk, 870, 690, 120, 40);
	missing = cut(&desk, 870, 690, 120, 40);
	fill(&missing, 1, 1, 118, 38, 0xd4d0c8);
	text(&missing, 30, 12, 60, 16);
	bench("desktop, 400x300 region, button absent", &desk, &missing, r400, 1.0);
	bench("desktop, 1024x768, button at (870,690)", &desk, &button, all, 1.0);
	bench("desktop, 1024x768, button at (870,690)", &desk, &button, all, 0.95);
	bench("desktop, 1024x768, other label", &desk, &missing, all, 0.95);

	/* A terminal's screen, full HD: dark text-like marks on white. */
	{
		struct screen_image term = image_new(1920, 1080), word, noisy;

		fill(&term, 0, 0, 1920, 1080, 0xffffff);
		text(&term, 0, 0, 1920, 1080);
		word = cut(&term, 1500, 900, 120, 40);
		noisy = noise(120, 40);
		bench("terminal, 1920x1080, text at (1500,900)", &term, &word, all, 0.95);
		bench("terminal, 1920x1080, noise absent", &term, &noisy, all, 0.95);
		free(term.pixels);
		free(word.pixels);
		free(noisy.pixels);
	}

	for (i = 0; i < RUNS; i++) {
		double t0 = now();

		share = screen_colour_share(&desk, all, 0x3a6ea5, 8);
		t[i] = (now() - t0) * 1000;
	}
	qsort(t, RUNS, sizeof(t[0]), cmp_double);
	printf("%-44s %5s %9.2f %9.2f   %.4f\n", "colour share, desktop, 1024x768", "", t[0],
	       t[RUNS / 2], share);

	free(scr.pixels);
	free(other.pixels);
	free(here.pixels);
	free(low.pixels);
	free(absent.pixels);
	free(desk.pixels);
	free(button.pixels);
	free(missing.pixels);
	return 0;
}
