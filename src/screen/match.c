/* match.c: finding things on a snapshot: regions clipped to the image, how
 * similar a needle image is at one position, the exhaustive search for its
 * best position, and the share of a colour in a region. Pixel work only;
 * where the snapshot comes from, what to look for and how long to wait for
 * it are the session's and the script's business. Allocates nothing. */
#include "screen/screen.h"

#include <stdint.h>
#include <stdlib.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* At each position the search first compares up to MATCH_SAMPLES needle
 * pixels, chosen among a MATCH_GRID x MATCH_GRID grid spread over the
 * needle. Their difference is part of the full one, so it is a lower bound:
 * it can only abandon positions the full comparison would abandon too. */
#define MATCH_SAMPLES 16
#define MATCH_GRID 32

struct match_sample {
	size_t off;	/* bytes from the needle's top-left corner on the image */
	uint8_t rgb[3]; /* the needle's pixel there */
};

/* What one search compares at every position. */
struct match_job {
	const struct screen_image *img;
	const struct screen_image *needle;
	struct match_sample samples[MATCH_SAMPLES];
	int nsamples;
};

static int match_image_ok(const struct screen_image *img)
{
	return img && img->pixels && img->width > 0 && img->height > 0 &&
	       img->stride >= (size_t)img->width * 4;
}

static const uint8_t *match_pixel(const struct screen_image *img, int x, int y)
{
	return img->pixels + (size_t)y * img->stride + (size_t)x * 4;
}

static unsigned match_absdiff(uint8_t a, uint8_t b)
{
	return a > b ? (unsigned)(a - b) : (unsigned)(b - a);
}

/* The similarity for a sum of absolute differences over `bytes` R,G,B
 * bytes. Strictly decreasing in sad, so comparing sums compares results. */
static double match_similarity(uint64_t sad, uint64_t bytes)
{
	return 1.0 - (double)sad / ((double)bytes * 255.0);
}

#ifdef __SSE2__
/* The R,G,B differences of the 4 pixels at a and b, in the two 64-bit
 * halves of the result. */
static __m128i match_sad4(const uint8_t *a, const uint8_t *b, __m128i rgb)
{
	__m128i va = _mm_loadu_si128((const __m128i *)(const void *)a);
	__m128i vb = _mm_loadu_si128((const __m128i *)(const void *)b);

	return _mm_sad_epu8(_mm_and_si128(va, rgb), _mm_and_si128(vb, rgb));
}
#endif

/* Sum of |a - b| over the R, G, B bytes of w pixels (X bytes skipped). */
static uint64_t match_row_sad(const uint8_t *a, const uint8_t *b, int w)
{
	uint64_t sum = 0;
	int i = 0;

#ifdef __SSE2__
	/* Four pixels per vector: clear the X bytes (the high byte of each
	 * little-endian 32-bit pixel) on both sides, then psadbw. Two vectors
	 * per turn, into two sums, to keep two psadbw in flight. */
	const __m128i rgb = _mm_set1_epi32(0x00ffffff);
	__m128i acc0 = _mm_setzero_si128(), acc1 = _mm_setzero_si128();
	uint64_t lanes[2] = { 0, 0 };

	for (; i + 8 <= w; i += 8) {
		acc0 = _mm_add_epi64(acc0, match_sad4(a + (size_t)i * 4, b + (size_t)i * 4, rgb));
		acc1 = _mm_add_epi64(acc1, match_sad4(a + (size_t)i * 4 + 16,
						      b + (size_t)i * 4 + 16, rgb));
	}
	if (i + 4 <= w) {
		acc0 = _mm_add_epi64(acc0, match_sad4(a + (size_t)i * 4, b + (size_t)i * 4, rgb));
		i += 4;
	}
	_mm_storeu_si128((__m128i *)(void *)lanes, _mm_add_epi64(acc0, acc1));
	sum = lanes[0] + lanes[1];
#endif
	for (; i < w; i++) {
		const uint8_t *p = a + (size_t)i * 4, *q = b + (size_t)i * 4;

		sum += match_absdiff(p[0], q[0]) + match_absdiff(p[1], q[1]) +
		       match_absdiff(p[2], q[2]);
	}
	return sum;
}

/* Sum of absolute differences of the needle with its top-left corner at
 * (x, y) on img (the caller has checked that it fits). Comparing stops
 * after the first row that takes the sum above limit; the value returned
 * then is above limit but not the full sum. */
static uint64_t match_sad(const struct screen_image *img,
			  const struct screen_image *needle, int x, int y,
			  uint64_t limit)
{
	uint64_t sum = 0;
	int row;

	for (row = 0; row < needle->height && sum <= limit; row++)
		sum += match_row_sad(match_pixel(img, x, y + row),
				     match_pixel(needle, 0, row), needle->width);
	return sum;
}

/* The sum over the samples only, with at the needle's top-left corner on
 * the image; stops as soon as it is above limit. */
static uint64_t match_samples_sad(const struct match_job *job,
				  const uint8_t *at, uint64_t limit)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < job->nsamples && sum <= limit; i++) {
		const struct match_sample *s = &job->samples[i];
		const uint8_t *p = at + s->off;

		sum += match_absdiff(p[0], s->rgb[0]) + match_absdiff(p[1], s->rgb[1]) +
		       match_absdiff(p[2], s->rgb[2]);
	}
	return sum;
}

/* Grid coordinate i of n spread evenly over 0..side-1 (n <= side, so no
 * two coincide). */
static int match_grid(int i, int n, int side)
{
	return n > 1 ? (int)((long long)i * (side - 1) / (n - 1)) : 0;
}

/* Pick the samples: of the grid pixels, those farthest from the grid's
 * mean colour (text and edges rather than the flat background a button
 * shares with the screen around it), so that a wrong position is usually
 * told apart by the first one or two. Ties keep grid order. */
static void match_pick_samples(struct match_job *job)
{
	const struct screen_image *nd = job->needle;
	int gx = nd->width < MATCH_GRID ? nd->width : MATCH_GRID;
	int gy = nd->height < MATCH_GRID ? nd->height : MATCH_GRID;
	unsigned dist[MATCH_SAMPLES];
	uint64_t total[3] = { 0, 0, 0 };
	unsigned mean[3];
	int i, j, c, n = 0;

	for (j = 0; j < gy; j++)
		for (i = 0; i < gx; i++)
			for (c = 0; c < 3; c++)
				total[c] += match_pixel(nd, match_grid(i, gx, nd->width),
							match_grid(j, gy, nd->height))[c];
	for (c = 0; c < 3; c++)
		mean[c] = (unsigned)(total[c] / ((uint64_t)gx * gy));

	for (j = 0; j < gy; j++) {
		for (i = 0; i < gx; i++) {
			int sx = match_grid(i, gx, nd->width), sy = match_grid(j, gy, nd->height);
			const uint8_t *p = match_pixel(nd, sx, sy);
			unsigned d = 0;
			int k;

			for (c = 0; c < 3; c++)
				d += match_absdiff(p[c], (uint8_t)mean[c]);
			if (n == MATCH_SAMPLES && d <= dist[n - 1])
				continue;
			k = n < MATCH_SAMPLES ? n++ : n - 1;
			for (; k > 0 && dist[k - 1] < d; k--) {
				dist[k] = dist[k - 1];
				job->samples[k] = job->samples[k - 1];
			}
			dist[k] = d;
			job->samples[k].off = (size_t)sy * job->img->stride + (size_t)sx * 4;
			for (c = 0; c < 3; c++)
				job->samples[k].rgb[c] = p[c];
		}
	}
	job->nsamples = n;
}

/* A first candidate: the first position (row-major) with the smallest
 * sample difference. Where the needle is present this is nearly always
 * the match, and the search below then abandons almost every other
 * position after a sample or two instead of after many rows. */
static void match_seed(const struct match_job *job, struct screen_region r, int x_last,
		       int y_last, int *seed_x, int *seed_y)
{
	uint64_t least = UINT64_MAX;
	int x, y;

	*seed_x = r.x;
	*seed_y = r.y;
	for (y = r.y; y <= y_last; y++) {
		for (x = r.x; x <= x_last; x++) {
			uint64_t sum = match_samples_sad(job, match_pixel(job->img, x, y),
							 least - 1);

			if (sum < least) {
				least = sum;
				*seed_x = x;
				*seed_y = y;
				if (least == 0)
					return;
			}
		}
	}
}

struct screen_region screen_clip(const struct screen_image *img, struct screen_region r)
{
	struct screen_region out = { 0, 0, 0, 0 };
	long long x0 = r.x, y0 = r.y, x1, y1;

	if (!img || img->width <= 0 || img->height <= 0 || r.w < 0 || r.h < 0)
		return out;
	x1 = r.w == 0 ? img->width : x0 + r.w;
	y1 = r.h == 0 ? img->height : y0 + r.h;
	if (x0 < 0)
		x0 = 0;
	if (y0 < 0)
		y0 = 0;
	if (x1 > img->width)
		x1 = img->width;
	if (y1 > img->height)
		y1 = img->height;
	if (x0 >= x1 || y0 >= y1)
		return out;
	out.x = (int)x0;
	out.y = (int)y0;
	out.w = (int)(x1 - x0);
	out.h = (int)(y1 - y0);
	return out;
}

double screen_similarity_at(const struct screen_image *img,
			    const struct screen_image *needle, int x, int y)
{
	if (!match_image_ok(img) || !match_image_ok(needle) || x < 0 || y < 0 ||
	    (long long)x + needle->width > img->width ||
	    (long long)y + needle->height > img->height)
		return 0;
	return match_similarity(match_sad(img, needle, x, y, UINT64_MAX),
				(uint64_t)needle->width * needle->height * 3);
}

/* Exact: the result is the one a plain comparison at every position gives.
 * A position is abandoned only once part of its difference (samples, then
 * whole rows) already exceeds the best so far, or equals it and the best
 * comes earlier in row-major order; as every byte adds >= 0, such a
 * position could not have won. The seed only makes the first bound good.
 * With enough < 1 the search returns the first position it evaluates that
 * reaches enough: the seed if that does, else the first in row-major. */
double screen_find(const struct screen_image *img, const struct screen_image *needle,
		   struct screen_region region, double enough, int *best_x, int *best_y)
{
	struct match_job job = { img, needle, { { 0, { 0, 0, 0 } } }, 0 };
	struct screen_region r;
	uint64_t bytes, best;
	int x, y, x_last, y_last, bx, by;
	double sim;

	if (best_x)
		*best_x = -1;
	if (best_y)
		*best_y = -1;
	if (!match_image_ok(img) || !match_image_ok(needle))
		return 0;
	r = screen_clip(img, region);
	if (r.w < needle->width || r.h < needle->height)
		return 0;
	x_last = r.x + (r.w - needle->width);
	y_last = r.y + (r.h - needle->height);
	bytes = (uint64_t)needle->width * needle->height * 3;

	match_pick_samples(&job);
	match_seed(&job, r, x_last, y_last, &bx, &by);
	best = match_sad(img, needle, bx, by, UINT64_MAX);
	sim = match_similarity(best, bytes);

	for (y = r.y; y <= y_last && !(sim >= enough); y++) {
		for (x = r.x; x <= x_last; x++) {
			int before = y < by || (y == by && x < bx);
			uint64_t limit, sum;

			if (!before && best == 0)
				goto done; /* nothing from here on can win */
			if (x == bx && y == by)
				continue;
			/* The most this position may differ and still win. */
			limit = before ? best : best - 1;
			if (match_samples_sad(&job, match_pixel(img, x, y), limit) > limit)
				continue;
			sum = match_sad(img, needle, x, y, limit);
			if (sum > limit)
				continue;
			best = sum;
			bx = x;
			by = y;
			sim = match_similarity(best, bytes);
			if (sim >= enough)
				goto done;
		}
	}
done:
	if (best_x)
		*best_x = bx;
	if (best_y)
		*best_y = by;
	return sim;
}

double screen_colour_share(const struct screen_image *img, struct screen_region region,
			   uint32_t rgb, int tolerance)
{
	struct screen_region r = screen_clip(img, region);
	int want[3] = { (int)(rgb >> 16 & 0xff), (int)(rgb >> 8 & 0xff), (int)(rgb & 0xff) };
	uint64_t count = 0;
	int lo[3], hi[3], c, x, y;

	if (!match_image_ok(img) || r.w == 0)
		return 0;
	for (c = 0; c < 3; c++) {
		/* long long: want +- tolerance must not overflow for any int. */
		long long l = (long long)want[c] - tolerance, h = (long long)want[c] + tolerance;

		lo[c] = l < 0 ? 0 : l > 256 ? 256 : (int)l;
		hi[c] = h > 255 ? 255 : h < -1 ? -1 : (int)h;
	}
	for (y = r.y; y < r.y + r.h; y++) {
		const uint8_t *p = match_pixel(img, r.x, y);

		for (x = 0; x < r.w; x++, p += 4)
			count += p[0] >= lo[0] && p[0] <= hi[0] && p[1] >= lo[1] &&
				 p[1] <= hi[1] && p[2] >= lo[2] && p[2] <= hi[2];
	}
	return (double)count / ((double)r.w * r.h);
}
