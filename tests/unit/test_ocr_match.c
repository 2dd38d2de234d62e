/* test_ocr_match.c: the forgiving matcher (ocr/match.c) on text Tesseract
 * really read: lines captured with `vncbot ocr` from the practice console's
 * cmd window (its 8x16 bitmap font) and from xterm in DejaVu Sans Mono 10
 * and 14 pt on Xvnc, with the errors Tesseract made in them. What OCR gets
 * wrong in the usual ways must still match; what differs must not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ocr/ocr.h"

/* Lines as Tesseract read them, with what the screen really said. */
/* practice: "Microsoft Windows [Version 10.0.14393]" */
#define READ_BANNER "Nicrosoft Windows [Version 18.8.14393]"
/* practice: "C:\Windows\system32>set A=ZEBRA& set B=42" */
#define READ_SET "C:Windouws\\system32>set A=ZEBRA& set B=42"
/* practice: "C:\Windows\system32>echo %A%%B%" */
#define READ_ECHO "C:\\Windows\\system32>echo ~A%~Bz"
/* practice: "Security Packages    REG_MULTI_SZ    kerberos\0msv1_0\0schannel\0wdigest\0pku2u" */
#define READ_PACKAGES "Security Packages REG_NULTI_SZ kerberos\\@msv1_@\\@schamme 1 \\@ud igest \\@pku2u"
/* practice: "The password is incorrect. Try again." */
#define READ_PASSWORD "The password is incorrect. Iry again."
/* xterm 14 pt: "Security Packages    REG_MULTI_SZ    kerberos\0msv1_0\0schannel\0wdigest" */
#define READ_PACKAGES_14 "Secu rity Packages REG MULTI_SZ kerberos\\Omsv1_0\\@schannel\\Owdigest"
/* xterm 14 pt: "SecurityProviders    REG_SZ    credssp.dll, msapsspc.dll, schannel.dll" */
#define READ_PROVIDERS_14 "SecurityProviders REG SZ _—scredssp.dll, msapsspc.dl1l, schannel.dll"
/* xterm 14 pt: "UserAuthentication    REG_DWORD    0x1" */
#define READ_USERAUTH_14 "UserAuthentication REG DWORD @x1"
/* xterm 10 pt: "Ethernet adapter Ethernet0: IPv4 Address. . . : 10.0.3.17" */
#define READ_ETHERNET_10 "Ethernet adapter Ethernet®: IPv4 Address. . . : 10.0.3.17"
/* practice: echo The quick brown fox ... "quoted" */
#define READ_QUOTED "C:Windows\\system32>echo The quick brown fox jumps over the lazy dog 8123456789 “quoted” 111/08"

static double score(const char *text, const char *needle)
{
	struct ocr_match m;

	return ocr_match_text(text, needle, &m);
}

static void assert_found(const char *text, const char *needle, double at_least)
{
	double s = score(text, needle);

	if (s < at_least)
		fail_msg("'%s' in '%s': %.0f%%, want at least %.0f%%", needle, text, s * 100,
			 at_least * 100);
}

static void assert_not_found(const char *text, const char *needle)
{
	double s = score(text, needle);

	if (s >= OCR_DEFAULT_SIMILARITY)
		fail_msg("'%s' in '%s': %.0f%%, want below %.0f%%", needle, text, s * 100,
			 OCR_DEFAULT_SIMILARITY * 100);
}

static void what_ocr_read_exactly_scores_100(void **state)
{
	(void)state;
	assert_found(READ_PROVIDERS_14, "credssp.dll", 1.0);
	assert_found(READ_PASSWORD, "The password is incorrect", 1.0);
	assert_found(READ_SET, "set B=42", 1.0);
}

static void case_and_spaces_do_not_count(void **state)
{
	(void)state;
	assert_found(READ_PASSWORD, "THE PASSWORD IS INCORRECT", 1.0);
	/* Tesseract cut the word in two, and lost the spaces between columns. */
	assert_found(READ_PACKAGES_14, "Security Packages", 1.0);
	assert_found(READ_PACKAGES_14, "SecurityPackages", 1.0);
}

static void underscores_read_as_spaces_still_match(void **state)
{
	(void)state;
	assert_found(READ_USERAUTH_14, "REG_DWORD", 1.0);
	assert_found(READ_PACKAGES_14, "REG_MULTI_SZ", 1.0);
}

static void zero_read_as_o_at_or_registered_matches(void **state)
{
	(void)state;
	assert_found(READ_USERAUTH_14, "0x1", 1.0);
	assert_found(READ_ETHERNET_10, "Ethernet0:", 1.0);
	assert_found(READ_PACKAGES_14, "kerberos\\0msv1_0", 1.0);
}

static void strokes_l_1_I_and_pipe_are_one(void **state)
{
	(void)state;
	/* dl1l is dll with a stroke too many: one edit in eleven. */
	assert_found(READ_PROVIDERS_14, "msapsspc.dll", 0.9);
	assert_found("l1I|", "IIII", 1.0);
	assert_found("Listener policy", "listener", 1.0);
}

static void curly_and_straight_quotes_are_alike(void **state)
{
	(void)state;
	assert_found(READ_QUOTED, "\"quoted\"", 1.0);
	assert_found("it’s done", "it's done", 1.0);
}

static void rn_reads_as_m_and_vv_as_w(void **state)
{
	(void)state;
	assert_found("C:\\Windows\\systern32>", "system32", 1.0);
	assert_found("Wi ndovvs", "Windows", 1.0);
}

static void one_wrong_letter_in_a_long_needle_is_within_90(void **state)
{
	(void)state;
	/* Nicrosoft: one edit in sixteen letters. */
	assert_found(READ_BANNER, "Microsoft Windows", 0.9);
	/* Windouws: two in seventeen. */
	assert_found(READ_SET, "C:\\Windows\\system32>", 0.85);
}

static void a_short_needle_with_one_error_needs_a_lower_similar(void **state)
{
	(void)state;
	/* "Iry again": one edit in eight is 87.5 %: not at 90 %, at 85 %. */
	assert_not_found(READ_PASSWORD, "Try again");
	assert_found(READ_PASSWORD, "Try again", 0.85);
}

static void the_typed_command_is_not_what_echo_printed(void **state)
{
	(void)state;
	/* The screen shows the command typed, never the word it composes. */
	assert_not_found(READ_SET "\n" READ_ECHO, "ZEBRA42");
	assert_found(READ_SET "\n" READ_ECHO "\nZEBRA42", "ZEBRA42", 1.0);
}

static void a_missing_entry_is_not_found_in_a_list_that_lacks_it(void **state)
{
	(void)state;
	/* The NLA check: tspkg is not among the packages read. */
	assert_not_found(READ_PACKAGES, "tspkg");
	assert_not_found(READ_PACKAGES_14, "tspkg");
	assert_not_found(READ_PACKAGES_14, "credssp.dll");
}

static void a_needle_may_run_onto_the_next_line(void **state)
{
	(void)state;
	assert_found("The system cannot find the file\nspecified.", "the file specified", 1.0);
}

static void the_closest_text_is_what_was_read_there(void **state)
{
	struct ocr_match m;

	(void)state;
	ocr_match_text(READ_PASSWORD, "Try again", &m);
	assert_string_equal(m.seen, "Iry again");
	ocr_match_text("ZEBRA42", "ZEBRA43", &m);
	assert_string_equal(m.seen, "ZEBRA42");
	assert_int_equal((int)(m.score * 1000 + 0.5), 857);
	ocr_match_text("", "anything", &m);
	assert_true(m.score == 0 && m.seen[0] == '\0');
}

/* Two lines of words with their boxes, as ocr_read gives them. */
static void the_match_has_the_box_of_its_words(void **state)
{
	struct ocr_word words[] = {
		{ "Press", { 120, 340, 50, 16 } }, { "Ctrl+Alt+Delete", { 178, 340, 150, 16 } },
		{ "to", { 336, 340, 20, 16 } },    { "unlock", { 364, 340, 60, 16 } },
		{ "OK", { 500, 400, 20, 16 } },
	};
	struct ocr_line lines[] = {
		{ "Press Ctrl+Alt+Delete to unlock", { 120, 340, 304, 16 }, 0, 4 },
		{ "OK", { 500, 400, 20, 16 }, 4, 1 },
	};
	struct ocr_result r = { lines, 2, words, 5 };
	struct ocr_match m;

	(void)state;
	assert_true(ocr_match(&r, "ctrl+alt+delete to", &m) == 1.0);
	assert_int_equal(m.box.x, 178);
	assert_int_equal(m.box.y, 340);
	assert_int_equal(m.box.w, 356 - 178);
	assert_int_equal(m.box.h, 16);
	assert_string_equal(m.seen, "Ctrl+Alt+Delete to");
	assert_true(ocr_match(&r, "unlock OK", &m) == 1.0);
	assert_int_equal(m.box.x, 364);
	assert_int_equal(m.box.w, 520 - 364);
	assert_int_equal(m.box.h, 416 - 340);
}

static void a_needle_of_spaces_folds_to_nothing(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(ocr_fold("  \t ", buf, sizeof(buf)), 0);
	assert_int_equal(ocr_fold("Pass Word", buf, sizeof(buf)), 8);
	assert_string_equal(buf, "password");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(what_ocr_read_exactly_scores_100),
		cmocka_unit_test(case_and_spaces_do_not_count),
		cmocka_unit_test(underscores_read_as_spaces_still_match),
		cmocka_unit_test(zero_read_as_o_at_or_registered_matches),
		cmocka_unit_test(strokes_l_1_I_and_pipe_are_one),
		cmocka_unit_test(curly_and_straight_quotes_are_alike),
		cmocka_unit_test(rn_reads_as_m_and_vv_as_w),
		cmocka_unit_test(one_wrong_letter_in_a_long_needle_is_within_90),
		cmocka_unit_test(a_short_needle_with_one_error_needs_a_lower_similar),
		cmocka_unit_test(the_typed_command_is_not_what_echo_printed),
		cmocka_unit_test(a_missing_entry_is_not_found_in_a_list_that_lacks_it),
		cmocka_unit_test(a_needle_may_run_onto_the_next_line),
		cmocka_unit_test(the_closest_text_is_what_was_read_there),
		cmocka_unit_test(the_match_has_the_box_of_its_words),
		cmocka_unit_test(a_needle_of_spaces_folds_to_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
