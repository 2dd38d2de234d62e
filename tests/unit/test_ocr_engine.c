/* test_ocr_engine.c: the OCR engine (ocr/ocr.c) on a screenshot of xterm in
 * DejaVu Sans Mono 10 pt (tests/data/ocr/xterm-dejavu-10pt.png, 600x136, the
 * first eight lines of bench/ocr's text): it reads the lines it shows, in
 * screen coordinates, in a region too; a screen read again unchanged comes
 * from memory; a screen scrolled by a line reads the same lines (remembered,
 * not read again) one line higher; past a wait's deadline no new line is
 * read, though the wait's first reading is whole; without English data it
 * says which package to install. Skipped where tesseract-ocr-eng is not
 * installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ocr/ocr.h"

#define SHOT TEST_DATA_DIR "/ocr/xterm-dejavu-10pt.png"
#define LINE_HEIGHT 17 /* xterm's, DejaVu Sans Mono 10 pt at 96 dpi */

static const char *const shown[] = {
	"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa",
	"Security Packages    REG_MULTI_SZ    kerberos\\0msv1_0\\0schannel\\0wdigest",
	"SecurityProviders    REG_SZ    credssp.dll, msapsspc.dll, schannel.dll",
	"The operation completed successfully.",
	"Microsoft Windows [Version 10.0.14393]",
	"Press Ctrl+Alt+Delete to unlock.",
	"The password is incorrect. Try again.",
};

struct fixture {
	struct ocr_engine *e;
	struct screen_image img;
};

static int setup(void **state)
{
	static struct fixture f;
	struct vb_error err;

	if (screen_read_png(SHOT, &f.img, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return -1;
	}
	f.e = ocr_new(&err);
	if (!f.e) {
		fprintf(stderr, "skip: %s\n", err.message);
		screen_image_free(&f.img);
		exit(77); /* no Tesseract data here: ctest counts a skip */
	}
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ocr_free(f->e);
	screen_image_free(&f->img);
	return 0;
}

/* The line of res that reads text best: its index, or fail. */
static size_t line_of(const struct ocr_result *res, const char *text)
{
	size_t i, best = 0;
	double best_score = -1;

	for (i = 0; i < res->nlines; i++) {
		struct ocr_match m;
		double s = ocr_match_text(res->lines[i].text, text, &m);

		if (s > best_score) {
			best_score = s;
			best = i;
		}
	}
	if (best_score < OCR_DEFAULT_SIMILARITY)
		fail_msg("no line reads '%s' (best %.0f%%: '%s')", text, best_score * 100,
			 res->nlines ? res->lines[best].text : "");
	return best;
}

static void it_reads_each_line_shown_top_to_bottom(void **state)
{
	struct fixture *f = *state;
	struct screen_region whole = { 0, 0, 0, 0 };
	const struct ocr_result *res;
	struct vb_error err;
	size_t i, at, last = 0;

	assert_int_equal(ocr_read(f->e, &f->img, whole, &res, NULL, &err), 0);
	for (i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		const struct screen_region *b;

		at = line_of(res, shown[i]);
		if (i && at <= last)
			fail_msg("'%s' read before the line above it", shown[i]);
		last = at;
		b = &res->lines[at].box;
		/* Line i of the screen, from the left edge. */
		if (b->x > 8 || b->y + b->h / 2 < (int)i * LINE_HEIGHT ||
		    b->y + b->h / 2 > (int)(i + 1) * LINE_HEIGHT)
			fail_msg("'%s' is at %d,%d %dx%d, not on line %zu", res->lines[at].text, b->x,
				 b->y, b->w, b->h, i);
	}
}

static void a_region_is_read_alone_in_screen_coordinates(void **state)
{
	struct fixture *f = *state;
	struct screen_region third = { 0, 2 * LINE_HEIGHT, 600, 2 * LINE_HEIGHT };
	const struct ocr_result *res;
	struct vb_error err;
	size_t at;

	assert_int_equal(ocr_read(f->e, &f->img, third, &res, NULL, &err), 0);
	assert_int_equal(res->nlines, 2);
	at = line_of(res, shown[2]);
	assert_in_range(res->lines[at].box.y, 2 * LINE_HEIGHT - 3, 2 * LINE_HEIGHT + 4);
	line_of(res, shown[3]);
}

static void an_unchanged_screen_comes_from_memory(void **state)
{
	struct fixture *f = *state;
	struct screen_region whole = { 0, 0, 0, 0 };
	const struct ocr_result *first, *again;
	struct vb_error err;
	int cached;

	assert_int_equal(ocr_read(f->e, &f->img, whole, &first, &cached, &err), 0);
	assert_int_equal(ocr_read(f->e, &f->img, whole, &again, &cached, &err), 0);
	assert_int_equal(cached, 1);
	assert_ptr_equal(first, again);
}

static void a_scrolled_screen_reads_the_same_lines_one_higher(void **state)
{
	struct fixture *f = *state;
	struct screen_region whole = { 0, 0, 0, 0 };
	struct screen_image up = f->img;
	const struct ocr_result *res;
	struct vb_error err;
	size_t i, rows = (size_t)(f->img.height - LINE_HEIGHT);
	char *before[sizeof(shown) / sizeof(shown[0])];
	int y_before[sizeof(shown) / sizeof(shown[0])];

	assert_int_equal(ocr_read(f->e, &f->img, whole, &res, NULL, &err), 0);
	for (i = 1; i < sizeof(shown) / sizeof(shown[0]); i++) {
		size_t at = line_of(res, shown[i]);

		before[i] = strdup(res->lines[at].text);
		y_before[i] = res->lines[at].box.y;
	}
	/* The console scrolls by a line: white comes in at the bottom. */
	up.pixels = malloc(f->img.stride * (size_t)f->img.height);
	assert_non_null(up.pixels);
	memcpy(up.pixels, f->img.pixels + f->img.stride * LINE_HEIGHT, f->img.stride * rows);
	memset(up.pixels + f->img.stride * rows, 0xFF, f->img.stride * LINE_HEIGHT);
	assert_int_equal(ocr_read(f->e, &up, whole, &res, NULL, &err), 0);
	/* Line 1 is now at the top edge, with less ground above it: read anew. */
	free(before[1]);
	for (i = 2; i < sizeof(shown) / sizeof(shown[0]); i++) {
		size_t at = line_of(res, shown[i]);

		assert_string_equal(res->lines[at].text, before[i]);
		assert_int_equal(res->lines[at].box.y, y_before[i] - LINE_HEIGHT);
		free(before[i]);
	}
	free(up.pixels);
}

/* The screen scrolled by a line: white comes in at the bottom. Caller frees
 * the pixels. */
static struct screen_image scrolled(const struct screen_image *img)
{
	struct screen_image up = *img;
	size_t rows = (size_t)(img->height - LINE_HEIGHT);

	up.pixels = malloc(img->stride * (size_t)img->height);
	assert_non_null(up.pixels);
	memcpy(up.pixels, img->pixels + img->stride * LINE_HEIGHT, img->stride * rows);
	memset(up.pixels + img->stride * rows, 0xFF, img->stride * LINE_HEIGHT);
	return up;
}

static int reads(const struct ocr_result *res, const char *text)
{
	size_t i;
	struct ocr_match m;

	for (i = 0; i < res->nlines; i++)
		if (ocr_match_text(res->lines[i].text, text, &m) >= OCR_DEFAULT_SIMILARITY)
			return 1;
	return 0;
}

static void past_the_deadline_a_wait_reads_no_new_line_but_its_first_reading_is_whole(void **state)
{
	struct fixture *f = *state;
	struct screen_region whole = { 0, 0, 0, 0 };
	struct screen_image up = scrolled(&f->img);
	const struct ocr_result *res;
	struct vb_error err;
	int cached;

	ocr_forget(f->e);
	ocr_set_deadline(f->e, 1); /* long past */
	assert_int_equal(ocr_read(f->e, &f->img, whole, &res, NULL, &err), 0);
	assert_true(reads(res, shown[0]) && reads(res, shown[6]));
	/* Scrolled, line 1 is at the top edge, new to the engine: not read now. */
	assert_int_equal(ocr_read(f->e, &up, whole, &res, &cached, &err), 0);
	assert_false(reads(res, shown[1]));
	assert_true(reads(res, shown[6]));
	/* The next wait reads it, the result cut short not being reused. */
	ocr_set_deadline(f->e, 0);
	assert_int_equal(ocr_read(f->e, &up, whole, &res, &cached, &err), 0);
	assert_int_equal(cached, 0);
	assert_true(reads(res, shown[1]));
	free(up.pixels);
}

static void without_english_data_it_names_the_package(void **state)
{
	const char *old = getenv("TESSDATA_PREFIX");
	char *saved = old ? strdup(old) : NULL;
	struct vb_error err;

	(void)state;
	setenv("TESSDATA_PREFIX", "/nonexistent/tessdata", 1);
	assert_null(ocr_new(&err));
	assert_int_equal(err.status, VB_USAGE);
	assert_non_null(strstr(err.message, "no eng.traineddata in /nonexistent/tessdata"));
	assert_non_null(strstr(err.hint, "apt-get install tesseract-ocr-eng"));
	if (saved)
		setenv("TESSDATA_PREFIX", saved, 1);
	else
		unsetenv("TESSDATA_PREFIX");
	free(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(it_reads_each_line_shown_top_to_bottom),
		cmocka_unit_test(a_region_is_read_alone_in_screen_coordinates),
		cmocka_unit_test(an_unchanged_screen_comes_from_memory),
		cmocka_unit_test(a_scrolled_screen_reads_the_same_lines_one_higher),
		cmocka_unit_test(past_the_deadline_a_wait_reads_no_new_line_but_its_first_reading_is_whole),
		cmocka_unit_test(without_english_data_it_names_the_package),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
