/* ocr_bench.c: what reading a screen costs and how well it reads, for
 * bench/ocr (which makes the screens and builds this). For one PNG: ms per
 * recognition of the whole screen, of a region (--region X,Y,W,H) (each
 * with nothing remembered), of the screen with a line changed and of a
 * screen that did not change; and, with a file of the text known to be on
 * it, the character error rate: each known line against the line read that
 * is closest to it (Levenshtein, runs of spaces as one). Prints; asserts
 * nothing.
 *   ocr_bench SCREEN.png [--truth FILE] [--region X,Y,W,H] [--runs N] [--show] */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ocr/ocr.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* CPU time of the process: on a shared machine, what one core spends,
 * whoever else runs (Tesseract runs on one thread: OMP is limited). */
static double cpu_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One line with runs of spaces as one and no space at either end. */
static void squeeze(const char *s, char *out, size_t size)
{
	size_t k = 0;
	int space = 0;

	for (; *s && k + 1 < size; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = k > 0;
			continue;
		}
		if (space && k + 2 < size)
			out[k++] = ' ';
		space = 0;
		out[k++] = *s;
	}
	out[k] = '\0';
}

/* Invert an 8x8 block in the middle of the region, the n-th one along: a
 * line or two of text changed (never back to a state seen before), the rest
 * as it was. */
static void touch(struct screen_image *img, struct screen_region r, int n)
{
	int x, y, cx = r.x + (r.w ? r.w : img->width - r.x) / 2 + 16 * n;
	int cy = r.y + (r.h ? r.h : img->height - r.y) / 2;

	for (y = cy; y < cy + 8 && y < img->height; y++)
		for (x = cx; x < cx + 8 && x < img->width; x++) {
			uint8_t *p = img->pixels + (size_t)y * img->stride + (size_t)x * 4;

			p[0] ^= 0xFF;
			p[1] ^= 0xFF;
			p[2] ^= 0xFF;
		}
}

/* The fastest of runs recognitions: wall and CPU ms into buf. all: of
 * everything (nothing remembered); else of the screen with a line changed. */
static const char *time_reads(struct ocr_engine *e, struct screen_image *img,
			      struct screen_region r, int runs, int all, char *buf, size_t size)
{
	const struct ocr_result *res;
	struct vb_error err;
	double t0, c0, best = 1e12, best_cpu = 1e12;
	int i;

	for (i = 0; i < runs; i++) {
		if (all)
			ocr_forget(e);
		else
			touch(img, r, i);
		t0 = now_ms();
		c0 = cpu_ms();
		if (ocr_read(e, img, r, &res, NULL, &err) < 0) {
			fprintf(stderr, "ocr_bench: %s\n", err.message);
			exit(1);
		}
		if (now_ms() - t0 < best)
			best = now_ms() - t0;
		if (cpu_ms() - c0 < best_cpu)
			best_cpu = cpu_ms() - c0;
	}
	snprintf(buf, size, "%.0f ms CPU, %.0f ms wall", best_cpu, best);
	return buf;
}

int main(int argc, char **argv)
{
	const char *png = NULL, *truth = NULL;
	struct screen_region whole = { 0, 0, 0, 0 }, region = { 0, 0, 0, 0 };
	struct screen_image img;
	struct ocr_engine *e;
	const struct ocr_result *res;
	struct vb_error err;
	int runs = 3, show = 0, i;
	double t0, unchanged;
	char took[80];

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--truth") == 0 && i + 1 < argc)
			truth = argv[++i];
		else if (strcmp(argv[i], "--region") == 0 && i + 1 < argc)
			sscanf(argv[++i], "%d,%d,%d,%d", &region.x, &region.y, &region.w, &region.h);
		else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc)
			runs = atoi(argv[++i]);
		else if (strcmp(argv[i], "--show") == 0)
			show = 1;
		else
			png = argv[i];
	}
	if (!png) {
		fprintf(stderr, "usage: ocr_bench SCREEN.png [--truth FILE] [--region X,Y,W,H] "
			"[--runs N] [--show]\n");
		return 2;
	}
	if (screen_read_png(png, &img, &err) < 0 || !(e = ocr_new(&err))) {
		fprintf(stderr, "ocr_bench: %s\n", err.message);
		return 1;
	}
	t0 = now_ms();
	ocr_read(e, &img, whole, &res, NULL, &err);
	printf("first read (engine warm-up) %.0f ms\n", now_ms() - t0);
	printf("full screen %dx%d: %s\n", img.width, img.height,
	       time_reads(e, &img, whole, runs, 1, took, sizeof(took)));
	if (region.w)
		printf("region %d,%d,%d,%d: %s\n", region.x, region.y, region.w, region.h,
		       time_reads(e, &img, region, runs, 1, took, sizeof(took)));
	printf("a line changed: %s\n", time_reads(e, &img, whole, runs, 0, took, sizeof(took)));
	time_reads(e, &img, whole, 1, 0, took, sizeof(took));
	t0 = now_ms();
	for (i = 0; i < 1000; i++)
		ocr_read(e, &img, whole, &res, NULL, &err);
	unchanged = (now_ms() - t0) / 1000;
	printf("unchanged screen: %.3f ms\n", unchanged);
	/* The text as read from the screen as it was: the measures above
	 * inverted blocks in its middle. */
	screen_image_free(&img);
	if (screen_read_png(png, &img, &err) < 0 ||
	    ocr_read(e, &img, whole, &res, NULL, &err) < 0) {
		fprintf(stderr, "ocr_bench: %s\n", err.message);
		return 1;
	}
	if (show)
		for (i = 0; i < (int)res->nlines; i++)
			printf("  read: %s\n", res->lines[i].text);
	if (truth) {
		FILE *f = fopen(truth, "r");
		char line[4096], want[4096], got[4096];
		size_t errors = 0, chars = 0, k;

		if (!f) {
			perror(truth);
			return 1;
		}
		while (fgets(line, sizeof(line), f)) {
			size_t best = (size_t)-1, bk = 0;

			squeeze(line, want, sizeof(want));
			if (!want[0])
				continue;
			for (k = 0; k < res->nlines; k++) {
				size_t d;

				squeeze(res->lines[k].text, got, sizeof(got));
				d = ocr_char_errors(want, got);
				if (d < best) {
					best = d;
					bk = k;
				}
			}
			if (best > strlen(want))
				best = strlen(want);
			errors += best;
			chars += strlen(want);
			if (best && show)
				printf("  %zu wrong: '%s'\n           '%s'\n", best, want,
				       res->nlines ? res->lines[bk].text : "");
		}
		fclose(f);
		printf("character error rate: %.2f%% (%zu of %zu characters)\n",
		       chars ? 100.0 * errors / chars : 0.0, errors, chars);
	}
	ocr_free(e);
	screen_image_free(&img);
	return 0;
}
