/* test_ocr_practice_font.c: the OCR engine (ocr/ocr.c) reads the practice
 * console's own bitmap font (practice/font.c) well: lines a console shows
 * (bench/ocr's known text), drawn in that font as the practice cmd window
 * draws them (8x16 cells, light grey on black), read back with under 2 % of
 * their characters wrong. It guards the glyphs as much as the engine: a
 * glyph that Tesseract misreads (a T with an I's foot, a dotted zero) fails
 * it. Skipped where tesseract-ocr-eng is not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ocr/ocr.h"

/* The practice console's font (practicecore), drawn as its cmd window does. */
#include "font.h"

#define SCREEN_W 1024
#define SCREEN_H 768
#define LEFT 48 /* where the cmd window's text area starts */
#define TOP 64
#define FG 0xc0c0c0 /* cmd's default colours (07) */
#define BG 0x000000

static const char *const shown[] = {
	"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa",
	"Security Packages    REG_MULTI_SZ    kerberos\\0msv1_0\\0schannel\\0wdigest",
	"SecurityProviders    REG_SZ    credssp.dll, msapsspc.dll, schannel.dll",
	"The operation completed successfully.",
	"Microsoft Windows [Version 10.0.14393]",
	"Press Ctrl+Alt+Delete to unlock.",
	"The password is incorrect. Try again.",
	"Volume in drive C has no label. Serial Number is 4E2A-91C7",
	"Directory of C:\\Windows\\System32\\drivers\\etc",
	"12/01/2026  03:14 AM    824 hosts",
	"Ethernet adapter Ethernet0: IPv4 Address. . . : 10.0.3.17",
	"Subnet Mask . . . . . . : 255.255.255.0 Default Gateway: 10.0.3.1",
	"TermService    Remote Desktop Services    Running    Automatic",
	"fDenyTSConnections    REG_DWORD    0x0",
	"The quick brown fox jumps over the lazy dog 0123456789",
	"Pack my box with five dozen liquor jugs: 42 items, 7 left.",
	"Backup saved to C:\\backup\\lsa-2026-12-02.reg (3 keys)",
	"UserAuthentication    REG_DWORD    0x1",
	"PortNumber    REG_DWORD    0xd3d (3389)",
	"ERROR: The system was unable to find the specified registry key or value.",
};
#define NSHOWN (sizeof(shown) / sizeof(shown[0]))

static void put(struct screen_image *img, int x, int y, uint32_t rgb)
{
	uint8_t *p = img->pixels + (size_t)y * img->stride + (size_t)x * 4;

	p[0] = (uint8_t)(rgb >> 16);
	p[1] = (uint8_t)(rgb >> 8);
	p[2] = (uint8_t)rgb;
	p[3] = 0;
}

/* A screen of the lines shown, one to a text row, a blank row between. */
static void draw_screen(struct screen_image *img)
{
	size_t i, k;
	int x, y, row;

	img->width = SCREEN_W;
	img->height = SCREEN_H;
	img->stride = (size_t)SCREEN_W * 4;
	img->pixels = malloc(img->stride * SCREEN_H);
	assert_non_null(img->pixels);
	for (y = 0; y < SCREEN_H; y++)
		for (x = 0; x < SCREEN_W; x++)
			put(img, x, y, BG);
	for (i = 0; i < NSHOWN; i++)
		for (k = 0; shown[i][k]; k++) {
			const uint8_t *g = font_glyph((unsigned char)shown[i][k]);

			for (row = 0; row < FONT_HEIGHT; row++)
				for (x = 0; x < FONT_WIDTH; x++)
					if (g[row] & (0x80 >> x))
						put(img, LEFT + (int)k * FONT_WIDTH + x,
						    TOP + (int)i * 2 * FONT_HEIGHT + row, FG);
		}
}

/* s with runs of spaces as one and none at either end, into out. */
static void squeeze(const char *s, char *out, size_t size)
{
	size_t k = 0;
	int space = 0;

	for (; *s && k + 2 < size; s++) {
		if (*s == ' ') {
			space = k > 0;
			continue;
		}
		if (space)
			out[k++] = ' ';
		space = 0;
		out[k++] = *s;
	}
	out[k] = '\0';
}

static void console_text_reads_with_under_2_percent_of_characters_wrong(void **state)
{
	struct screen_region whole = {0, 0, 0, 0};
	const struct ocr_result *res;
	struct screen_image img;
	struct ocr_engine *e;
	struct vb_error err;
	char want[256], got[256], report[4096] = "";
	size_t i, wrong = 0, chars = 0, used = 0;

	(void)state;
	e = ocr_new(&err);
	if (!e) {
		fprintf(stderr, "skip: %s\n", err.message);
		exit(77); /* no Tesseract data here: ctest counts a skip */
	}
	draw_screen(&img);
	assert_int_equal(ocr_read(e, &img, whole, &res, NULL, &err), 0);
	assert_int_equal(res->nlines, NSHOWN);
	for (i = 0; i < NSHOWN; i++) {
		size_t d;

		squeeze(shown[i], want, sizeof(want));
		squeeze(res->lines[i].text, got, sizeof(got));
		d = ocr_char_errors(want, got);
		wrong += d;
		chars += strlen(want);
		if (d && used < sizeof(report))
			used += (size_t)snprintf(report + used, sizeof(report) - used,
						 "\n  %zu wrong: '%s'\n      read: '%s'", d, want,
						 got);
	}
	printf("practice font: %zu of %zu characters wrong (%.2f %%)%s\n", wrong, chars,
	       100.0 * (double)wrong / (double)chars, report);
	if (wrong * 50 >= chars)
		fail_msg("%zu of %zu characters read wrong (2 %% or more):%s", wrong, chars,
			 report);
	ocr_free(e);
	free(img.pixels);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(console_text_reads_with_under_2_percent_of_characters_wrong),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
