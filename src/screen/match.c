/* match.c: finding things on a snapshot: regions clipped to the image, how
 * similar a needle image is at one position, the search for its best
 * position, and the share of a colour in a region. Pixel work only; where the
 * snapshot comes from, what to look for and how long to wait for it are the
 * session's and the script's business. The search allocates scratch of its
 * own (a ring of summed-area table rows, the needle's row order, shrunk
 * copies for an estimate) and frees it before it returns. AVX2 is used where
 * the CPU has it, SSE2 otherwise. */
#include "screen/screen.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif
/* -DMATCH_NO_AVX2 builds the SSE2 code alone (to test it on an AVX2 CPU). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(MATCH_NO_AVX2)
#include <immintrin.h>
#define MATCH_AVX2 1
#endif

/* The search abandons a position as soon as a lower bound of its difference
 * (the sum of absolute differences, SAD, over the R, G, B bytes) is above
 * what it may differ and still win. The bounds, cheapest first:
 * - block sums: for any block of the needle, |sum of the window's bytes -
 *   sum of the needle's| <= the SAD over that block, and the blocks' terms
 *   add up. Read off a summed-area table of the region in four look-ups a
 *   block: the whole needle, then 2x2, 4x4 and 8x8 blocks. They tell flat
 *   areas, windows and text apart from the needle almost everywhere on a
 *   real screen (and hardly anywhere on noise, where a level that keeps
 *   failing is switched off after MATCH_TRIAL tries);
 * - up to MATCH_SAMPLES needle pixels, chosen among a MATCH_GRID x
 *   MATCH_GRID grid spread over the needle (part of the full SAD);
 * - the SAD itself row by row, stopping after the first row over the limit.
 * A bound never exceeds the SAD, so it abandons only positions the full
 * comparison would abandon too: the result stays exact. */
#define MATCH_SAMPLES 16
#define MATCH_GRID 32
#define MATCH_LEVELS 3
#define MATCH_LEVEL_SIDE 8 /* blocks across and down at the finest level */
#define MATCH_TRIAL 4096

struct match_sample {
	size_t off;	/* bytes from the needle's top-left corner on the image */
	uint8_t rgb[3]; /* the needle's pixel there */
};

/* One level of block bounds: the needle cut into nx x ny blocks. */
struct match_level {
	int nx, ny;
	int xs[MATCH_LEVEL_SIDE + 1], ys[MATCH_LEVEL_SIDE + 1]; /* block edges */
	uint32_t nsum[MATCH_LEVEL_SIDE * MATCH_LEVEL_SIDE]; /* needle's R+G+B a block */
	unsigned long tried, pruned;
	int off; /* abandoned too few positions in its trial: skipped */
};

/* What one search compares at every position. */
struct match_job {
	const struct screen_image *img;
	const struct screen_image *needle;
	struct match_sample samples[MATCH_SAMPLES];
	int nsamples;
	/* The summed-area table of R+G+B over the region r: row v, entry u
	 * sums the region's rows above v and columns left of u. Only the
	 * needle's height + 1 rows a row of positions needs are kept, in a
	 * ring (sat_rows rows of sat_stride entries), made as the scan goes
	 * down (sat_next: the next row to make), so the scratch grows with the
	 * needle, not the screen. NULL without one (no memory, or a needle too
	 * big for it). Entries wrap modulo 2^32, but four of them still give a
	 * rectangle's sum exactly while that sum is below 2^32; a needle under
	 * 2.8 Mpx keeps it below 2^31, which signed vector lanes need. */
	uint32_t *sat;
	size_t sat_stride, sat_rows, sat_next;
	struct screen_region r;
	uint32_t ntotal; /* the needle's R+G+B sum */
	struct match_level level[MATCH_LEVELS];
	int nlevels;
	/* The needle's rows, most telling first (those that differ most from
	 * the needle's mean colour: text, edges), so that a wrong position
	 * passes the limit in fewer rows; NULL: top to bottom. The full sum is
	 * the same in any order. */
	int *order;
	/* The needle with its X bytes cleared, rows packed (NULL: none), so
	 * that the vector code masks only the image's side; and whether the
	 * CPU has AVX2, asked once a search rather than once a position. */
	uint8_t *clear;
	int avx2;
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

#ifdef MATCH_AVX2
/* match_row_sad_base with 8 pixels a vector, on CPUs that have AVX2. */
__attribute__((target("avx2"))) static uint64_t match_row_sad_avx2(const uint8_t *a,
								    const uint8_t *b, int w)
{
	const __m256i rgb = _mm256_set1_epi32(0x00ffffff);
	__m256i acc = _mm256_setzero_si256();
	uint64_t lanes[4], sum;
	int i = 0;

	for (; i + 8 <= w; i += 8) {
		__m256i va = _mm256_loadu_si256((const __m256i *)(const void *)(a + (size_t)i * 4));
		__m256i vb = _mm256_loadu_si256((const __m256i *)(const void *)(b + (size_t)i * 4));

		acc = _mm256_add_epi64(acc, _mm256_sad_epu8(_mm256_and_si256(va, rgb),
							    _mm256_and_si256(vb, rgb)));
	}
	_mm256_storeu_si256((__m256i *)(void *)lanes, acc);
	sum = lanes[0] + lanes[1] + lanes[2] + lanes[3];
	for (; i < w; i++) {
		const uint8_t *p = a + (size_t)i * 4, *q = b + (size_t)i * 4;

		sum += match_absdiff(p[0], q[0]) + match_absdiff(p[1], q[1]) +
		       match_absdiff(p[2], q[2]);
	}
	return sum;
}
#endif

/* Sum of |a - b| over the R, G, B bytes of w pixels (X bytes skipped). */
static uint64_t match_row_sad_base(const uint8_t *a, const uint8_t *b, int w)
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

#ifdef MATCH_AVX2
/* match_sad's rows with AVX2, the row function inlined. */
__attribute__((target("avx2"))) static uint64_t match_sad_avx2(const struct screen_image *img,
							       const struct screen_image *needle,
							       int x, int y, uint64_t limit,
							       const int *order)
{
	uint64_t sum = 0;
	int i;

	for (i = 0; i < needle->height && sum <= limit; i++) {
		int row = order ? order[i] : i;

		sum += match_row_sad_avx2(match_pixel(img, x, y + row), match_pixel(needle, 0, row),
					  needle->width);
	}
	return sum;
}
#endif

#ifdef MATCH_AVX2
/* match_job_sad with AVX2: the needle's side already masked (job->clear),
 * from the i-th row of the job's order on, sum the rows before it. */
__attribute__((target("avx2"))) static uint64_t
match_job_sad_avx2(const struct match_job *job, int x, int y, uint64_t limit, int i, uint64_t sum)
{
	const __m256i rgb = _mm256_set1_epi32(0x00ffffff);
	const int w = job->needle->width, h = job->needle->height;
	const size_t nstride = (size_t)w * 4;

	for (; i < h && sum <= limit; i++) {
		int row = job->order ? job->order[i] : i, k = 0;
		const uint8_t *a = match_pixel(job->img, x, y + row);
		const uint8_t *b = job->clear + (size_t)row * nstride;
		__m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
		__m128i s2;

		for (; k + 16 <= w; k += 16) {
			__m256i va0 = _mm256_loadu_si256(
				(const __m256i *)(const void *)(a + (size_t)k * 4));
			__m256i vb0 = _mm256_loadu_si256(
				(const __m256i *)(const void *)(b + (size_t)k * 4));
			__m256i va1 = _mm256_loadu_si256(
				(const __m256i *)(const void *)(a + (size_t)k * 4 + 32));
			__m256i vb1 = _mm256_loadu_si256(
				(const __m256i *)(const void *)(b + (size_t)k * 4 + 32));

			acc0 = _mm256_add_epi64(acc0,
						_mm256_sad_epu8(_mm256_and_si256(va0, rgb), vb0));
			acc1 = _mm256_add_epi64(acc1,
						_mm256_sad_epu8(_mm256_and_si256(va1, rgb), vb1));
		}
		if (k + 8 <= w) {
			__m256i va = _mm256_loadu_si256(
				(const __m256i *)(const void *)(a + (size_t)k * 4));
			__m256i vb = _mm256_loadu_si256(
				(const __m256i *)(const void *)(b + (size_t)k * 4));

			acc0 = _mm256_add_epi64(acc0,
						_mm256_sad_epu8(_mm256_and_si256(va, rgb), vb));
			k += 8;
		}
		acc0 = _mm256_add_epi64(acc0, acc1);
		s2 = _mm_add_epi64(_mm256_castsi256_si128(acc0), _mm256_extracti128_si256(acc0, 1));
		sum += (uint64_t)_mm_cvtsi128_si64(s2) + (uint64_t)_mm_extract_epi64(s2, 1);
		for (; k < w; k++) {
			const uint8_t *p = a + (size_t)k * 4, *q = b + (size_t)k * 4;

			sum += match_absdiff(p[0], q[0]) + match_absdiff(p[1], q[1]) +
			       match_absdiff(p[2], q[2]);
		}
	}
	return sum;
}

/* match_job_sad at (x, y) and (x + 1, y) in one pass: each needle row is
 * loaded once for both, and the two sums are two chains in flight. Rows
 * are added to both while both are within their limits, then to the one
 * that still is; each sum stops as match_job_sad's would. */
__attribute__((target("avx2"))) static void match_job_sad2_avx2(const struct match_job *job, int x,
								int y, uint64_t limit0,
								uint64_t limit1, uint64_t *sum0,
								uint64_t *sum1)
{
	const __m256i rgb = _mm256_set1_epi32(0x00ffffff);
	const int w = job->needle->width, h = job->needle->height;
	const size_t nstride = (size_t)w * 4;
	uint64_t s0 = 0, s1 = 0;
	int i;

	for (i = 0; i < h && s0 <= limit0 && s1 <= limit1; i++) {
		int row = job->order ? job->order[i] : i, k = 0;
		const uint8_t *a = match_pixel(job->img, x, y + row);
		const uint8_t *b = job->clear + (size_t)row * nstride;
		__m256i acc0 = _mm256_setzero_si256(), acc1 = _mm256_setzero_si256();
		__m128i t0, t1;

		for (; k + 8 <= w; k += 8) {
			__m256i vb = _mm256_loadu_si256(
				(const __m256i *)(const void *)(b + (size_t)k * 4));
			__m256i va0 = _mm256_loadu_si256(
				(const __m256i *)(const void *)(a + (size_t)k * 4));
			__m256i va1 = _mm256_loadu_si256(
				(const __m256i *)(const void *)(a + (size_t)k * 4 + 4));

			acc0 = _mm256_add_epi64(acc0,
						_mm256_sad_epu8(_mm256_and_si256(va0, rgb), vb));
			acc1 = _mm256_add_epi64(acc1,
						_mm256_sad_epu8(_mm256_and_si256(va1, rgb), vb));
		}
		t0 = _mm_add_epi64(_mm256_castsi256_si128(acc0), _mm256_extracti128_si256(acc0, 1));
		t1 = _mm_add_epi64(_mm256_castsi256_si128(acc1), _mm256_extracti128_si256(acc1, 1));
		s0 += (uint64_t)_mm_cvtsi128_si64(t0) + (uint64_t)_mm_extract_epi64(t0, 1);
		s1 += (uint64_t)_mm_cvtsi128_si64(t1) + (uint64_t)_mm_extract_epi64(t1, 1);
		for (; k < w; k++) {
			const uint8_t *p = a + (size_t)k * 4, *q = b + (size_t)k * 4;

			s0 += match_absdiff(p[0], q[0]) + match_absdiff(p[1], q[1]) +
			      match_absdiff(p[2], q[2]);
			s1 += match_absdiff(p[4], q[0]) + match_absdiff(p[5], q[1]) +
			      match_absdiff(p[6], q[2]);
		}
	}
	*sum0 = s0 <= limit0 ? match_job_sad_avx2(job, x, y, limit0, i, s0) : s0;
	*sum1 = s1 <= limit1 ? match_job_sad_avx2(job, x + 1, y, limit1, i, s1) : s1;
}
#endif

/* Sum of absolute differences of the needle with its top-left corner at
 * (x, y) on img (the caller has checked that it fits), the needle's rows
 * taken in order (NULL: top to bottom). Comparing stops after the first
 * row that takes the sum above limit; the value returned then is above
 * limit but not the full sum. */
static uint64_t match_sad_in(const struct screen_image *img, const struct screen_image *needle,
			     int x, int y, uint64_t limit, const int *order)
{
	uint64_t sum = 0;
	int i;

#ifdef MATCH_AVX2
	if (__builtin_cpu_supports("avx2"))
		return match_sad_avx2(img, needle, x, y, limit, order);
#endif
	for (i = 0; i < needle->height && sum <= limit; i++) {
		int row = order ? order[i] : i;

		sum += match_row_sad_base(match_pixel(img, x, y + row),
					  match_pixel(needle, 0, row), needle->width);
	}
	return sum;
}

static uint64_t match_sad(const struct screen_image *img, const struct screen_image *needle,
			  int x, int y, uint64_t limit)
{
	return match_sad_in(img, needle, x, y, limit, NULL);
}

/* match_sad_in for the job's image and needle, its rows in the job's
 * order: the same sum, the same stopping rule. */
static uint64_t match_job_sad(const struct match_job *job, int x, int y, uint64_t limit)
{
#ifdef MATCH_AVX2
	if (job->avx2)
		return match_job_sad_avx2(job, x, y, limit, 0, 0);
#endif
	return match_sad_in(job->img, job->needle, x, y, limit, job->order);
}

#ifdef MATCH_AVX2
#define match_job_sad2 match_job_sad2_avx2
#else
/* Only called where job->avx2 is set, which it never is without AVX2. */
static void match_job_sad2(const struct match_job *job, int x, int y, uint64_t limit0,
			   uint64_t limit1, uint64_t *sum0, uint64_t *sum1)
{
	*sum0 = match_job_sad(job, x, y, limit0);
	*sum1 = match_job_sad(job, x + 1, y, limit1);
}
#endif

/* job->clear and job->avx2 (clear stays NULL, and avx2 0, without AVX2 or
 * memory: the plain code then runs). */
static void match_clear_needle(struct match_job *job)
{
	const struct screen_image *nd = job->needle;
	int y, x;

	job->clear = NULL;
	job->avx2 = 0;
#ifdef MATCH_AVX2
	if (!__builtin_cpu_supports("avx2"))
		return;
	job->clear = malloc((size_t)nd->width * 4 * (size_t)nd->height);
	if (!job->clear)
		return;
	for (y = 0; y < nd->height; y++) {
		const uint8_t *p = match_pixel(nd, 0, y);
		uint8_t *q = job->clear + (size_t)y * nd->width * 4;

		for (x = 0; x < nd->width * 4; x++)
			q[x] = (x & 3) == 3 ? 0 : p[x];
	}
	job->avx2 = 1;
#else
	(void)nd;
	(void)y;
	(void)x;
#endif
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

/* Row v of the summed-area table (made already: match_sat_make). */
static const uint32_t *match_sat_row(const struct match_job *job, size_t v)
{
	return job->sat + (v % job->sat_rows) * job->sat_stride;
}

/* Make the table's rows up to v; the ring then holds v - sat_rows + 1 to v.
 * A scan that starts again from the top sets sat_next to 0 first. */
static void match_sat_make(struct match_job *job, size_t v)
{
	size_t w = (size_t)job->r.w, u;

	for (; job->sat_next <= v; job->sat_next++) {
		size_t t = job->sat_next;
		uint32_t *row = job->sat + (t % job->sat_rows) * job->sat_stride, run = 0;
		const uint32_t *above;
		const uint8_t *p;

		if (t == 0) {
			memset(row, 0, job->sat_stride * sizeof(*row));
			continue;
		}
		above = match_sat_row(job, t - 1);
		p = match_pixel(job->img, job->r.x, job->r.y + (int)t - 1);
		row[0] = 0;
		for (u = 0; u < w; u++, p += 4) {
			run += (uint32_t)p[0] + p[1] + p[2];
			row[u + 1] = above[u + 1] + run;
		}
	}
}

/* The ring for the summed-area table of the job's region, and the
 * needle's block sums for each level. Without memory, or for a needle so
 * big that its sum could reach 2^31, there is none and the search goes on
 * without block bounds. */
static void match_sat_build(struct match_job *job)
{
	const struct screen_image *nd = job->needle;
	size_t u, v;
	int k, prev_nx = 1, prev_ny = 1;

	job->sat = NULL;
	if ((uint64_t)nd->width * (uint64_t)nd->height * 765 >= INT32_MAX)
		return;
	job->sat_stride = (size_t)job->r.w + 1;
	job->sat_rows = (size_t)nd->height + 1;
	job->sat_next = 0;
	job->sat = malloc(job->sat_stride * job->sat_rows * sizeof(*job->sat));
	if (!job->sat)
		return;
	job->ntotal = 0;
	job->nlevels = 0;
	for (v = 0; v < (size_t)nd->height; v++) {
		const uint8_t *p = match_pixel(nd, 0, (int)v);

		for (u = 0; u < (size_t)nd->width; u++, p += 4)
			job->ntotal += (uint32_t)p[0] + p[1] + p[2];
	}
	for (k = 1; k <= MATCH_LEVELS; k++) {
		struct match_level *l = &job->level[job->nlevels];
		int side = 1 << k, i, j;

		l->nx = nd->width < side ? nd->width : side;
		l->ny = nd->height < side ? nd->height : side;
		if (l->nx == prev_nx && l->ny == prev_ny)
			continue; /* the needle is too small for finer blocks */
		prev_nx = l->nx;
		prev_ny = l->ny;
		l->tried = l->pruned = 0;
		l->off = 0;
		for (i = 0; i <= l->nx; i++)
			l->xs[i] = (int)((long long)i * nd->width / l->nx);
		for (j = 0; j <= l->ny; j++)
			l->ys[j] = (int)((long long)j * nd->height / l->ny);
		for (j = 0; j < l->ny; j++)
			for (i = 0; i < l->nx; i++) {
				uint32_t sum = 0;
				int x, y;

				for (y = l->ys[j]; y < l->ys[j + 1]; y++) {
					const uint8_t *p = match_pixel(nd, l->xs[i], y);

					for (x = l->xs[i]; x < l->xs[i + 1]; x++, p += 4)
						sum += (uint32_t)p[0] + p[1] + p[2];
				}
				l->nsum[j * l->nx + i] = sum;
			}
		job->nlevels++;
	}
}

static uint32_t match_absdiff32(uint32_t a, uint32_t b)
{
	return a > b ? a - b : b - a;
}

/* The whole needle's block bound at region offsets (0..n-1, v) into out:
 * one row of positions at a time, which the compiler turns into vector
 * code. Returns the row's least, so that a row where no position can pass
 * is skipped whole. */
static uint32_t match_bound0_row(struct match_job *job, size_t v, uint32_t *out, size_t n)
{
	const uint32_t *top, *bottom;
	size_t w = (size_t)job->needle->width, u = 0;
	/* Sums stay below 2^31 (match_sat_build), so signed lanes hold them. */
	int32_t total = (int32_t)job->ntotal, least = INT32_MAX;

	match_sat_make(job, v + (size_t)job->needle->height);
	top = match_sat_row(job, v);
	bottom = match_sat_row(job, v + (size_t)job->needle->height);
#ifdef __SSE2__
	{
		const __m128i t = _mm_set1_epi32(total);
		__m128i lo = _mm_set1_epi32(INT32_MAX);
		int32_t lanes[4];
		int i;

		for (; u + 4 <= n; u += 4) {
			__m128i a = _mm_loadu_si128((const __m128i *)(const void *)(bottom + u + w));
			__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(bottom + u));
			__m128i c = _mm_loadu_si128((const __m128i *)(const void *)(top + u + w));
			__m128i d = _mm_loadu_si128((const __m128i *)(const void *)(top + u));
			__m128i diff = _mm_sub_epi32(_mm_add_epi32(_mm_sub_epi32(_mm_sub_epi32(a, b), c), d), t);
			__m128i sign = _mm_srai_epi32(diff, 31);
			__m128i abs = _mm_sub_epi32(_mm_xor_si128(diff, sign), sign);
			__m128i less = _mm_cmplt_epi32(abs, lo);

			_mm_storeu_si128((__m128i *)(void *)(out + u), abs);
			lo = _mm_or_si128(_mm_and_si128(less, abs), _mm_andnot_si128(less, lo));
		}
		_mm_storeu_si128((__m128i *)(void *)lanes, lo);
		for (i = 0; i < 4; i++)
			least = lanes[i] < least ? lanes[i] : least;
	}
#endif
	for (; u < n; u++) {
		uint32_t sum = bottom[u + w] - bottom[u] - top[u + w] + top[u];

		out[u] = sum > (uint32_t)total ? sum - (uint32_t)total : (uint32_t)total - sum;
		least = (int32_t)out[u] < least ? (int32_t)out[u] : least;
	}
	return (uint32_t)least;
}

/* A level's block bound at region offset (u, v), a row of blocks at a
 * time; stops once above limit. */
static uint64_t match_level_bound(const struct match_job *job, const struct match_level *l,
				  size_t u, size_t v, uint64_t limit)
{
	uint32_t edge[2][MATCH_LEVEL_SIDE + 1];
	const uint32_t *row = match_sat_row(job, v) + u;
	uint64_t sum = 0;
	int i, j;

	for (i = 0; i <= l->nx; i++)
		edge[0][i] = row[l->xs[i]];
	for (j = 0; j < l->ny; j++) {
		const uint32_t *up = edge[j & 1];
		uint32_t *down = edge[(j + 1) & 1];
		const uint32_t *nsum = &l->nsum[j * l->nx];

		row = match_sat_row(job, v + (size_t)l->ys[j + 1]) + u;
		down[0] = row[0];
		for (i = 0; i < l->nx; i++) {
			uint32_t w;

			down[i + 1] = row[l->xs[i + 1]];
			w = down[i + 1] - up[i + 1] - down[i] + up[i];
			sum += match_absdiff32(w, nsum[i]);
		}
		if (sum > limit)
			break;
	}
	return sum;
}

/* Can the position at (x, y), whose whole-needle bound the caller has
 * checked, still differ by no more than limit, by the finer block bounds
 * and the samples? (0: it cannot; the SAD itself is the caller's.) A level
 * that abandons fewer than one in eight of the positions it is tried on is
 * switched off after MATCH_TRIAL of them: on noise it costs more than it
 * saves. */
__attribute__((always_inline)) static inline int match_passes(struct match_job *job, int x, int y,
							      uint64_t limit)
{
	size_t u = (size_t)(x - job->r.x), v = (size_t)(y - job->r.y);
	int k;

	if (job->sat) {
		for (k = 0; k < job->nlevels; k++) {
			struct match_level *l = &job->level[k];

			if (l->off)
				continue;
			l->tried++;
			if (match_level_bound(job, l, u, v, limit) > limit) {
				l->pruned++;
				return 0;
			}
			if (l->tried == MATCH_TRIAL && l->pruned * 8 < l->tried)
				l->off = 1;
		}
	}
	/* The samples cannot add up to more than 765 each. */
	return limit >= (uint64_t)job->nsamples * 765 ||
	       match_samples_sad(job, match_pixel(job->img, x, y), limit) <= limit;
}

/* job->order: the needle's rows by how far their pixels are from the
 * needle's mean colour, farthest first (ties top to bottom); left NULL
 * without memory. */
static void match_order_rows(struct match_job *job)
{
	const struct screen_image *nd = job->needle;
	uint64_t total[3] = { 0, 0, 0 }, *score;
	int mean[3], c, x, y, i;

	job->order = malloc((size_t)nd->height * sizeof(*job->order));
	score = malloc((size_t)nd->height * sizeof(*score));
	if (!job->order || !score) {
		free(job->order);
		free(score);
		job->order = NULL;
		return;
	}
	for (y = 0; y < nd->height; y++)
		for (x = 0; x < nd->width; x++)
			for (c = 0; c < 3; c++)
				total[c] += match_pixel(nd, x, y)[c];
	for (c = 0; c < 3; c++)
		mean[c] = (int)(total[c] / ((uint64_t)nd->width * (uint64_t)nd->height));
	for (y = 0; y < nd->height; y++) {
		uint64_t d = 0;

		for (x = 0; x < nd->width; x++)
			for (c = 0; c < 3; c++)
				d += match_absdiff(match_pixel(nd, x, y)[c], (uint8_t)mean[c]);
		/* insertion by score, stable */
		for (i = y; i > 0 && score[i - 1] < d; i--) {
			score[i] = score[i - 1];
			job->order[i] = job->order[i - 1];
		}
		score[i] = d;
		job->order[i] = y;
	}
	free(score);
}

/* A first candidate, to make the first bound good: of the positions where
 * the whole-needle bound reaches a new least (or is 0) and then the sample
 * difference does too (or is 0), the one that differs least in full. Where the needle is present this is nearly
 * always the match. Without a table, the positions where the sample
 * difference reaches a new least are the candidates. row: room for a row of
 * bounds. Returns the candidate's SAD; *floor: the least whole-needle bound
 * of all positions (no position differs less), 0 without a table, and
 * meaningless when a candidate differs by 0 (the scan stops there). */
static uint64_t match_guess(struct match_job *job, int x_last, int y_last, uint32_t *row,
			    int *gx, int *gy, uint32_t *floor)
{
	uint64_t least = UINT64_MAX, guess = UINT64_MAX, least_s = UINT64_MAX;
	size_t n = (size_t)(x_last - job->r.x + 1);
	int x, y;
	uint32_t lowest = job->sat ? UINT32_MAX : 0;

	*gx = job->r.x;
	*gy = job->r.y;
	*floor = lowest;
	for (y = job->r.y; y <= y_last; y++) {
		if (job->sat) {
			uint32_t b = match_bound0_row(job, (size_t)(y - job->r.y), row, n);

			lowest = b < lowest ? b : lowest;
			*floor = lowest;
			if ((b >= least && b != 0) || b >= guess)
				continue; /* no candidate in this row */
		}
		for (x = job->r.x; x <= x_last; x++) {
			uint64_t sum;

			if (job->sat) {
				uint32_t b = row[x - job->r.x];

				if ((b >= least && b != 0) || b >= guess)
					continue;
				if (b < least)
					least = b;
				/* Of these, only where the samples differ least
				 * so far (or not at all) is it worth comparing in
				 * full: a position that differs by 0 always is. */
				sum = match_samples_sad(job, match_pixel(job->img, x, y),
							least_s ? least_s - 1 : 0);
				if (sum > (least_s ? least_s - 1 : 0))
					continue;
				least_s = sum;
			} else {
				sum = match_samples_sad(job, match_pixel(job->img, x, y), least - 1);
				if (sum >= least)
					continue;
				least = sum;
			}
			sum = match_job_sad(job, x, y, guess == UINT64_MAX ? guess : guess - 1);
			if (sum < guess) {
				guess = sum;
				*gx = x;
				*gy = y;
				if (guess == 0)
					return 0;
			}
		}
	}
	return guess;
}

/* out (its size set, its pixels allocated): the part of img from (x0, y0)
 * shrunk by f, each pixel the mean of an f x f block. */
static void match_shrink(const struct screen_image *img, int x0, int y0, int f,
			 struct screen_image *out)
{
	int u, v, i, j;

	for (v = 0; v < out->height; v++)
		for (u = 0; u < out->width; u++) {
			uint8_t *o = out->pixels + (size_t)v * out->stride + (size_t)u * 4;
			unsigned sum[3] = { 0, 0, 0 };

			for (j = 0; j < f; j++) {
				const uint8_t *p = match_pixel(img, x0 + u * f, y0 + v * f + j);

				for (i = 0; i < f; i++, p += 4) {
					sum[0] += p[0];
					sum[1] += p[1];
					sum[2] += p[2];
				}
			}
			for (i = 0; i < 3; i++)
				o[i] = (uint8_t)(sum[i] / (unsigned)(f * f));
			o[3] = 0;
		}
}

/* For the message of a needle that is not there: where it comes nearest,
 * found on copies of the region and needle shrunk by f (block averages),
 * then compared in full around that place. Not the best of all positions
 * (that costs a full comparison everywhere), but a true similarity at a
 * true position, and near the best on a real screen. Returns the SAD at
 * *bx, *by, which it may improve on (they hold a candidate on entry). */
static uint64_t match_nearest(const struct match_job *job, int x_last, int y_last, int *bx,
			      int *by, uint64_t best)
{
	const struct screen_image *nd = job->needle;
	struct screen_image small_img, small_nd;
	struct screen_region r = job->r;
	int f = 8, u, v, su = 0, sv = 0, x, y;
	uint64_t least = UINT64_MAX;

	while (f > 1 && (nd->width / f < 4 || nd->height / f < 4))
		f /= 2;
	if (f == 1)
		return best; /* a needle this small is no clue shrunk */
	small_img.width = r.w / f;
	small_img.height = r.h / f;
	small_img.stride = (size_t)small_img.width * 4;
	small_nd.width = nd->width / f;
	small_nd.height = nd->height / f;
	small_nd.stride = (size_t)small_nd.width * 4;
	small_img.pixels = malloc(small_img.stride * (size_t)small_img.height);
	small_nd.pixels = malloc(small_nd.stride * (size_t)small_nd.height);
	if (!small_img.pixels || !small_nd.pixels || small_img.width < small_nd.width ||
	    small_img.height < small_nd.height) {
		free(small_img.pixels);
		free(small_nd.pixels);
		return best;
	}
	match_shrink(job->img, r.x, r.y, f, &small_img);
	match_shrink(nd, 0, 0, f, &small_nd);
	for (v = 0; v + small_nd.height <= small_img.height; v++)
		for (u = 0; u + small_nd.width <= small_img.width; u++) {
			uint64_t sum = match_sad(&small_img, &small_nd, u, v, least);

			if (sum < least) {
				least = sum;
				su = u;
				sv = v;
			}
		}
	free(small_img.pixels);
	free(small_nd.pixels);
	for (y = r.y + sv * f - f; y <= r.y + sv * f + f; y++) {
		for (x = r.x + su * f - f; x <= r.x + su * f + f; x++) {
			uint64_t sum;

			if (x < r.x || y < r.y || x > x_last || y > y_last)
				continue;
			sum = match_sad(job->img, nd, x, y, best);
			if (sum < best || (sum == best && (y < *by || (y == *by && x < *bx)))) {
				best = sum;
				*bx = x;
				*by = y;
			}
		}
	}
	return best;
}

/* The largest SAD whose similarity still reaches enough (enough < 1). */
static uint64_t match_cap(double enough, uint64_t bytes)
{
	double d = (1.0 - enough) * (double)bytes * 255.0;
	uint64_t cap = d >= (double)bytes * 255.0 ? bytes * 255 : (uint64_t)d;

	while (cap > 0 && match_similarity(cap, bytes) < enough)
		cap--;
	while (cap < bytes * 255 && match_similarity(cap + 1, bytes) >= enough)
		cap++;
	return cap;
}

/* Exact: where some position reaches enough, or enough is 1 or more, the
 * result is what comparing at every position gives: the most similar
 * position, the first in row-major order among equals. A position is
 * abandoned only once a lower bound of its difference exceeds the best so
 * far (or equals it and the best comes earlier), or exceeds the most that
 * still reaches enough; such a position could not have won. The first guess
 * only makes the first bound good. Where nothing reaches enough (< 1), all
 * that is certain is that: the result is then below enough, the similarity
 * where the needle comes nearest by match_nearest's estimate. */
double screen_find(const struct screen_image *img, const struct screen_image *needle,
		   struct screen_region region, double enough, int *best_x, int *best_y)
{
	struct match_job job;
	uint64_t bytes, best = 0, cap, sum;
	uint32_t *row, floor;
	int x, y, x_last, y_last, bx, by, have = 0, skip = -1;

	if (best_x)
		*best_x = -1;
	if (best_y)
		*best_y = -1;
	if (!match_image_ok(img) || !match_image_ok(needle))
		return 0;
	memset(&job, 0, sizeof(job));
	job.img = img;
	job.needle = needle;
	job.r = screen_clip(img, region);
	if (job.r.w < needle->width || job.r.h < needle->height)
		return 0;
	x_last = job.r.x + (job.r.w - needle->width);
	y_last = job.r.y + (job.r.h - needle->height);
	bytes = (uint64_t)needle->width * needle->height * 3;
	/* enough 1 or more: the best of all; 0 or less (or NaN): every
	 * position reaches it, so again the best of all, within any SAD. */
	cap = enough >= 1.0 ? UINT64_MAX : enough > 0.0 ? match_cap(enough, bytes) : bytes * 255;

	match_pick_samples(&job);
	match_order_rows(&job);
	match_clear_needle(&job);
	match_sat_build(&job);
	row = malloc((size_t)(x_last - job.r.x + 1) * sizeof(*row));
	if (!row) {
		free(job.sat);
		job.sat = NULL;
	}
	sum = match_guess(&job, x_last, y_last, row, &bx, &by, &floor);
	if (sum <= cap) {
		best = sum;
		have = 1;
	}
	/* With the table, a guess that differs by 0 is the first position that
	 * does (every such position is a candidate there, and the guess stops
	 * at the first), so nothing can beat it. Where no position can come
	 * within cap, there is nothing to scan either. */
	if (job.sat && have && best == 0)
		goto done;
	job.sat_next = 0; /* the table again from the top */
	for (y = have || floor <= cap ? job.r.y : y_last + 1; y <= y_last; y++) {
		skip = -1; /* a column ruled out is this row's */
		if (job.sat &&
		    match_bound0_row(&job, (size_t)(y - job.r.y), row, (size_t)(x_last - job.r.x + 1)) >
			    (have ? best : cap))
			continue; /* no position in this row can win */
		for (x = job.r.x; x <= x_last; x++) {
			int before;
			uint64_t limit = cap;

			if (job.sat) {
				/* Over the positions no limit lets through, in a
				 * tight loop (the most a limit can be is best). */
				uint64_t most = have ? best : cap;

				while (x <= x_last && row[x - job.r.x] > most)
					x++;
				if (x > x_last)
					break;
			}
			before = y < by || (y == by && x < bx);
			if (have) {
				if (!before && best == 0)
					goto done; /* nothing from here on can win */
				if (x == bx && y == by)
					continue;
				/* The most this position may differ and still win. */
				limit = before ? best : best - 1;
			}
			if (job.sat && row[x - job.r.x] > limit)
				continue;
			if (x == skip || !match_passes(&job, x, y, limit))
				continue;
			/* With its right neighbour, if that is to be compared too: its
			 * limit now is at least what it will be once x is decided
			 * (limits only fall), so a bound over it now rules it out
			 * for good (skip), and a sum within it is its full sum. */
			if (job.avx2 && x < x_last &&
			    !(have && (best == 0 || (x + 1 == bx && y == by)))) {
				int x1 = x + 1;
				uint64_t limit1 = cap, sum1;

				if (have)
					limit1 = y < by || (y == by && x1 < bx) ? best : best - 1;
				if ((job.sat && row[x1 - job.r.x] > limit1) ||
				    !match_passes(&job, x1, y, limit1)) {
					skip = x1;
				} else {
					match_job_sad2(&job, x, y, limit, limit1, &sum, &sum1);
					if (sum <= limit) {
						best = sum;
						bx = x;
						by = y;
						have = 1;
					}
					x = x1;
					if (sum1 > limit1 || (have && best == 0 &&
							      !(y < by || (y == by && x1 < bx))))
						continue;
					if (have)
						limit1 = y < by || (y == by && x1 < bx) ? best
											: best - 1;
					if (sum1 <= limit1) {
						best = sum1;
						bx = x1;
						by = y;
						have = 1;
					}
					continue;
				}
			}
			sum = match_job_sad(&job, x, y, limit);
			if (sum > limit)
				continue;
			best = sum;
			bx = x;
			by = y;
			have = 1;
		}
	}
done:
	if (!have)
		best = match_nearest(&job, x_last, y_last, &bx, &by,
				     match_sad(img, needle, bx, by, UINT64_MAX));
	free(job.sat);
	free(job.order);
	free(job.clear);
	free(row);
	if (best_x)
		*best_x = bx;
	if (best_y)
		*best_y = by;
	return match_similarity(best, bytes);
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
