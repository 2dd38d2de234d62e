/* test_keys.c: unit tests of src/keys: names, case rules, chords and their
 * error messages, text -> strokes on a US layout, scancodes, the listing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>

#include "keys/keys.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct name_case {
	const char *name;
	uint32_t keysym;
};

/* The characters a US keyboard types with Shift, written out independently of
 * keys.c's own table. */
static const char us_shifted[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZ~!@#$%^&*()_+{}|:\"<>?";

static void expect_names(const struct name_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t ks = 0;

		if (!keys_from_name(cases[i].name, &ks))
			fail_msg("'%s' is not a known key name", cases[i].name);
		if (ks != cases[i].keysym)
			fail_msg("'%s' gave keysym 0x%x, want 0x%x",
				 cases[i].name, ks, cases[i].keysym);
	}
}

static void expect_unknown(const char *name)
{
	uint32_t ks = 0xdeadbeef;

	if (keys_from_name(name, &ks))
		fail_msg("'%s' should be unknown, gave 0x%x", name, ks);
	assert_int_equal(ks, 0xdeadbeef);
}

static void short_names_resolve_to_their_keys(void **state)
{
	static const struct name_case cases[] = {
		{ "enter", 0xff0d },	  { "ret", 0xff0d },
		{ "esc", 0xff1b },	  { "escape", 0xff1b },
		{ "tab", 0xff09 },	  { "space", 0x20 },
		{ "bsp", 0xff08 },	  { "backspace", 0xff08 },
		{ "del", 0xffff },	  { "delete", 0xffff },
		{ "ins", 0xff63 },	  { "insert", 0xff63 },
		{ "home", 0xff50 },	  { "end", 0xff57 },
		{ "pgup", 0xff55 },	  { "pageup", 0xff55 },
		{ "pgdn", 0xff56 },	  { "pagedown", 0xff56 },
		{ "up", 0xff52 },	  { "down", 0xff54 },
		{ "left", 0xff51 },	  { "right", 0xff53 },
		{ "ctrl", 0xffe3 },	  { "control", 0xffe3 },
		{ "alt", 0xffe9 },	  { "shift", 0xffe1 },
		{ "super", 0xffeb },	  { "win", 0xffeb },
		{ "meta", 0xffe7 },	  { "menu", 0xff67 },
		{ "capslock", 0xffe5 },	  { "printscreen", 0xff61 },
		{ "prtsc", 0xff61 },	  { "pause", 0xff13 },
		{ "rctrl", 0xffe4 },	  { "ralt", 0xffea },
		{ "rshift", 0xffe2 },	  { "minus", 0x2d },
		{ "plus", 0x2b },	  { "numlock", 0xff7f },
		{ "scrolllock", 0xff14 }, { "sysrq", 0xff15 },
		{ "altgr", 0xfe03 },	  { "rsuper", 0xffec },
	};

	(void)state;
	expect_names(cases, ARRAY_SIZE(cases));
}

static void keypad_short_and_x11_names_agree(void **state)
{
	static const struct name_case cases[] = {
		{ "kpenter", 0xff8d }, { "KP_Enter", 0xff8d },
		{ "kpplus", 0xffab },  { "KP_Add", 0xffab },
		{ "kpminus", 0xffad }, { "KP_Subtract", 0xffad },
		{ "kpmul", 0xffaa },   { "KP_Multiply", 0xffaa },
		{ "kpdiv", 0xffaf },   { "KP_Divide", 0xffaf },
		{ "kpdot", 0xffae },   { "KP_Decimal", 0xffae },
		{ "kpequal", 0xffbd }, { "KP_Equal", 0xffbd },
		{ "KP_Home", 0xff95 }, { "KP_Page_Up", 0xff9a },
	};
	char name[16];
	unsigned d;

	(void)state;
	expect_names(cases, ARRAY_SIZE(cases));
	for (d = 0; d <= 9; d++) {
		struct name_case c[2] = { { name, 0xffb0 + d } };

		snprintf(name, sizeof(name), "kp%u", d);
		expect_names(c, 1);
		snprintf(name, sizeof(name), "KP_%u", d);
		expect_names(c, 1);
	}
}

static void x11_names_resolve(void **state)
{
	static const struct name_case cases[] = {
		{ "Return", 0xff0d },
		{ "BackSpace", 0xff08 },
		{ "F12", 0xffc9 },
		{ "Super_L", 0xffeb },
		{ "KP_Enter", 0xff8d },
		{ "exclam", 0x21 },
		{ "a", 0x61 },
		{ "Page_Up", 0xff55 },
		{ "Prior", 0xff55 },
		{ "Next", 0xff56 },
		{ "ISO_Left_Tab", 0xfe20 },
		{ "dead_acute", 0xfe51 },
		{ "ssharp", 0xdf },
		{ "ydiaeresis", 0xff },
		{ "nobreakspace", 0xa0 },
		{ "Hyper_R", 0xffee },
		{ "Multi_key", 0xff20 },
		{ "Sys_Req", 0xff15 },
		{ "Caps_Lock", 0xffe5 },
		{ "quotedbl", 0x22 },
		{ "asciitilde", 0x7e },
		{ "Control_R", 0xffe4 },
	};

	(void)state;
	expect_names(cases, ARRAY_SIZE(cases));
}

static void names_are_case_insensitive(void **state)
{
	static const struct name_case cases[] = {
		{ "RETURN", 0xff0d },	 { "return", 0xff0d },
		{ "backspace", 0xff08 }, { "BACKSPACE", 0xff08 },
		{ "kp_enter", 0xff8d },	 { "SUPER_L", 0xffeb },
		{ "Ctrl", 0xffe3 },	 { "CTRL", 0xffe3 },
		{ "EnTeR", 0xff0d },	 { "PgUp", 0xff55 },
		{ "page_down", 0xff56 }, { "EXCLAM", 0x21 },
		{ "Win", 0xffeb },	 { "Kp5", 0xffb5 },
	};

	(void)state;
	expect_names(cases, ARRAY_SIZE(cases));
}

/* Names equal but for case: a name matching with its case wins, otherwise the
 * lowercase (unshifted) key. */
static void case_collisions_prefer_exact_then_lowercase(void **state)
{
	static const struct name_case cases[] = {
		{ "A", 0x41 },	      { "a", 0x61 },
		{ "Ooblique", 0xd8 }, { "ooblique", 0xf8 },
		{ "OOBLIQUE", 0xf8 }, { "ETH", 0xd0 },
		{ "Eth", 0xd0 },      { "eth", 0xf0 },
		{ "eTH", 0xf0 },      { "AGRAVE", 0xe0 },
		{ "Agrave", 0xc0 },   { "THORN", 0xde },
		{ "tHoRn", 0xfe },    { "CH", 0xfea2 },
		{ "cH", 0xfea0 },     { "dead_A", 0xfe81 },
		{ "DEAD_a", 0xfe80 },
	};

	(void)state;
	expect_names(cases, ARRAY_SIZE(cases));
}

/* Short names that are also X11 names but for case must name the same key
 * whichever table answers. */
static void short_names_agree_with_x11_names(void **state)
{
	static const char *const names[] = {
		"Delete", "Escape",    "Tab",	"Home",	 "End",	  "Up",
		"Down",	  "Left",      "Right", "Menu",	 "Pause", "Break",
		"Insert", "BackSpace", "Print", "space",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char lower[32];
		uint32_t a = 0, b = 0;
		size_t j;

		for (j = 0; names[i][j] && j + 1 < sizeof(lower); j++)
			lower[j] = (char)(names[i][j] | 0x20);
		lower[j] = '\0';
		assert_true(keys_from_name(names[i], &a));
		assert_true(keys_from_name(lower, &b));
		if (a != b)
			fail_msg("'%s' is 0x%x but '%s' is 0x%x", names[i], a,
				 lower, b);
	}
}

static void every_printable_character_names_itself(void **state)
{
	unsigned c;

	(void)state;
	for (c = 0x20; c <= 0x7e; c++) {
		char name[2] = { (char)c, '\0' };
		uint32_t ks = 0;

		if (!keys_from_name(name, &ks) || ks != c)
			fail_msg("'%s' gave 0x%x, want 0x%x", name, ks, c);
	}
}

static void function_keys_f1_to_f35(void **state)
{
	char name[8];
	unsigned n;

	(void)state;
	for (n = 1; n <= 35; n++) {
		struct name_case c[1] = { { name, 0xffbe + n - 1 } };

		snprintf(name, sizeof(name), "f%u", n);
		expect_names(c, 1);
		snprintf(name, sizeof(name), "F%u", n);
		expect_names(c, 1);
	}
	expect_unknown("f36");
	expect_unknown("f0");
}

static void unicode_and_numeric_names(void **state)
{
	static const struct name_case cases[] = {
		{ "U+20AC", 0x010020ac },   { "u+20ac", 0x010020ac },
		{ "U20AC", 0x010020ac },    { "U+00E9", 0xe9 },
		{ "U+0041", 0x41 },	    { "U+1F600", 0x0101f600 },
		{ "U+10FFFF", 0x0110ffff }, { "0x1008ff13", 0x1008ff13 },
		{ "0xff0d", 0xff0d },	    { "0XFF0D", 0xff0d },
	};

	(void)state;
	expect_names(cases, ARRAY_SIZE(cases));
	expect_unknown("U+D800");   /* surrogate */
	expect_unknown("U+110000"); /* beyond Unicode */
	expect_unknown("U+41");	    /* too few digits */
	expect_unknown("U+0007");   /* control: cannot be typed */
	expect_unknown("U+20ACX");
	expect_unknown("0x0");
	expect_unknown("0x20000000");
	expect_unknown("0xzz");
	expect_unknown("0x");
}

static void unknown_names_are_rejected(void **state)
{
	char longname[200];

	(void)state;
	expect_unknown("");
	expect_unknown("entr");
	expect_unknown("ctrl alt");
	expect_unknown("Return ");
	expect_unknown("\x01");
	expect_unknown("\x7f");
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	expect_unknown(longname);
	assert_false(keys_from_name(NULL, NULL));
	assert_true(keys_from_name("enter", NULL));
}

static void keys_name_gives_canonical_names(void **state)
{
	char buf[16];

	(void)state;
	assert_string_equal(keys_name(0xffe3, buf, sizeof(buf)), "Control_L");
	assert_string_equal(keys_name('a', buf, sizeof(buf)), "a");
	assert_string_equal(keys_name('A', buf, sizeof(buf)), "A");
	assert_string_equal(keys_name('!', buf, sizeof(buf)), "exclam");
	assert_string_equal(keys_name(0xff55, buf, sizeof(buf)), "Prior");
	assert_string_equal(keys_name(0xd8, buf, sizeof(buf)), "Oslash");
	assert_string_equal(keys_name(0xd0, buf, sizeof(buf)), "ETH");
	assert_string_equal(keys_name(0x010020ac, buf, sizeof(buf)), "U+20AC");
	assert_string_equal(keys_name(0x0101f600, buf, sizeof(buf)), "U+1F600");
	assert_string_equal(keys_name(0x1008ff13, buf, sizeof(buf)),
			    "0x1008ff13");
	assert_non_null(keys_name(0x1008ff13, NULL, 0));
}

/* keys_from_name(keys_name(k)) == k over the ranges names cover, and for
 * keysyms shown by number or as U+XXXX. */
static void keys_name_round_trips(void **state)
{
	static const uint32_t ranges[][2] = {
		{ 0x20, 0xff },
		{ 0xfe00, 0xffff },
		{ 0x01000000, 0x01000200 },
		{ 0x0101f5f0, 0x0101f610 },
		{ 0x1008ff00, 0x1008ff20 },
	};
	size_t r;

	(void)state;
	for (r = 0; r < ARRAY_SIZE(ranges); r++) {
		uint32_t k;

		for (k = ranges[r][0]; k <= ranges[r][1]; k++) {
			char buf[16];
			const char *name = keys_name(k, buf, sizeof(buf));
			uint32_t back = 0;

			if (!keys_from_name(name, &back) || back != k)
				fail_msg("0x%x is named '%s' which gives 0x%x",
					 k, name, back);
		}
	}
}

static void expect_chord(const char *text, const uint32_t *want, size_t n)
{
	struct keys_chord chord;
	char msg[256] = "";
	size_t i, off = 0;

	if (!keys_parse_chord(text, &chord, msg, sizeof(msg), &off))
		fail_msg("chord '%s' failed at %zu: %s", text, off, msg);
	if (chord.count != n)
		fail_msg("chord '%s' has %zu keys, want %zu", text, chord.count,
			 n);
	for (i = 0; i < n; i++) {
		if (chord.keysym[i] != want[i])
			fail_msg("chord '%s' key %zu is 0x%x, want 0x%x", text,
				 i, chord.keysym[i], want[i]);
	}
}

/* EXPECT_CHORD("ctrl-c", 0xffe3, 'c'): the chord parses to exactly these. */
#define EXPECT_CHORD(text, ...)                               \
	expect_chord(text, (const uint32_t[]){ __VA_ARGS__ }, \
		     sizeof((const uint32_t[]){ __VA_ARGS__ }) / sizeof(uint32_t))

/* Parses text expecting an error at offset; returns the message. */
static const char *expect_chord_error(const char *text, size_t offset)
{
	static char msg[256];
	struct keys_chord chord = { 0 };
	size_t off = 12345;

	msg[0] = '\0';
	if (keys_parse_chord(text, &chord, msg, sizeof(msg), &off))
		fail_msg("chord '%s' should fail", text);
	if (off != offset)
		fail_msg("chord '%s': error at %zu, want %zu (%s)", text, off,
			 offset, msg);
	assert_true(msg[0] != '\0');
	return msg;
}

static void chords_with_dash_and_plus(void **state)
{
	(void)state;
	EXPECT_CHORD("ctrl-alt-del", 0xffe3, 0xffe9, 0xffff);
	EXPECT_CHORD("ctrl+shift+esc", 0xffe3, 0xffe1, 0xff1b);
	EXPECT_CHORD("super-r", 0xffeb, 'r');
	EXPECT_CHORD("CTRL-Alt-Delete", 0xffe3, 0xffe9, 0xffff);
	EXPECT_CHORD("ctrl-alt+f2", 0xffe3, 0xffe9, 0xffbf);
	EXPECT_CHORD("enter", 0xff0d);
	EXPECT_CHORD("ctrl-A", 0xffe3, 'A');
	EXPECT_CHORD("KP_Enter", 0xff8d);
}

static void chords_where_minus_or_plus_is_the_key(void **state)
{
	(void)state;
	EXPECT_CHORD("-", '-');
	EXPECT_CHORD("+", '+');
	EXPECT_CHORD("ctrl--", 0xffe3, '-');
	EXPECT_CHORD("ctrl-+", 0xffe3, '+');
	EXPECT_CHORD("ctrl++", 0xffe3, '+');
	EXPECT_CHORD("ctrl+-", 0xffe3, '-');
	EXPECT_CHORD("shift-+", 0xffe1, '+');
	EXPECT_CHORD("--a", '-', 'a');
	EXPECT_CHORD("ctrl-minus", 0xffe3, '-');
	EXPECT_CHORD("ctrl-/", 0xffe3, '/');
}

static void chords_with_unicode_parts(void **state)
{
	(void)state;
	EXPECT_CHORD("U+20AC", 0x010020ac);
	EXPECT_CHORD("ctrl-U+20ac-a", 0xffe3, 0x010020ac, 'a');
	/* Too few digits for a code point: the keys u and a. */
	EXPECT_CHORD("u+a", 'u', 'a');
}

static void chord_of_eight_keys_but_not_nine(void **state)
{
	const char *msg;

	(void)state;
	assert_int_equal(KEYS_CHORD_MAX, 8);
	EXPECT_CHORD("a-b-c-d-e-f-g-h", 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h');
	msg = expect_chord_error("a-b-c-d-e-f-g-h-i", 16);
	assert_non_null(strstr(msg, "too many keys"));
}

static void empty_and_unfinished_chords_are_errors(void **state)
{
	const char *msg;

	(void)state;
	msg = expect_chord_error("", 0);
	assert_non_null(strstr(msg, "empty"));
	expect_chord_error(NULL, 0);
	msg = expect_chord_error("ctrl-", 5);
	assert_non_null(strstr(msg, "missing key"));
	expect_chord_error("ctrl-alt+", 9);
	expect_chord_error("++", 2);
	msg = expect_chord_error("-a", 1);
	assert_non_null(strstr(msg, "expected '-' or '+'"));
}

static void repeated_key_in_chord_is_an_error(void **state)
{
	const char *msg;

	(void)state;
	msg = expect_chord_error("ctrl-control", 5);
	assert_string_equal(msg,
			    "key 'control' appears twice in 'ctrl-control'");
	expect_chord_error("a-b-a", 4);
	expect_chord_error("ctrl-alt-CTRL", 9);
	/* Different keys that look alike are fine. */
	EXPECT_CHORD("ctrl-rctrl", 0xffe3, 0xffe4);
	EXPECT_CHORD("a-A", 'a', 'A');
}

static void unknown_key_in_chord_names_part_and_suggests(void **state)
{
	const char *msg;

	(void)state;
	msg = expect_chord_error("ctrl-entr", 5);
	assert_string_equal(msg, "unknown key 'entr' in 'ctrl-entr' "
				 "(did you mean 'enter'?)");
	msg = expect_chord_error("ctrl-alt-dle", 9);
	assert_string_equal(msg, "unknown key 'dle' in 'ctrl-alt-dle' "
				 "(did you mean 'del'?)");
	msg = expect_chord_error("entr", 0);
	assert_string_equal(msg, "unknown key 'entr' (did you mean 'enter'?)");
	msg = expect_chord_error("ctrl-zqxjwv", 5);
	assert_non_null(strstr(msg, "unknown key 'zqxjwv'"));
	assert_null(strstr(msg, "did you mean"));
	assert_non_null(strstr(msg, "vncbot keys"));
	msg = expect_chord_error("pgdwn", 0);
	assert_non_null(strstr(msg, "'pgdn'"));
}

static void chord_messages_fit_small_buffers(void **state)
{
	struct keys_chord chord;
	char msg[8];
	size_t off = 99;

	(void)state;
	memset(msg, 'x', sizeof(msg));
	assert_false(keys_parse_chord("ctrl-alt-dle", &chord, msg, sizeof(msg),
				      &off));
	assert_int_equal(off, 9);
	assert_int_equal(strlen(msg), sizeof(msg) - 1);
	assert_false(keys_parse_chord("ctrl-entr", &chord, NULL, 0, NULL));
	assert_true(keys_parse_chord("ctrl-c", NULL, NULL, 0, NULL));
}

static void suggestions_are_best_first_and_plausible(void **state)
{
	const char *out[5];
	size_t n, i;

	(void)state;
	n = keys_suggest("entr", out, ARRAY_SIZE(out));
	assert_true(n >= 1);
	assert_string_equal(out[0], "enter");
	n = keys_suggest("backspase", out, ARRAY_SIZE(out));
	assert_true(n >= 1);
	assert_string_equal(out[0], "backspace");
	n = keys_suggest("kp_entr", out, ARRAY_SIZE(out));
	assert_true(n >= 1);
	assert_string_equal(out[0], "KP_Enter");
	assert_int_equal(keys_suggest("qqqqqqqqqq", out, ARRAY_SIZE(out)), 0);
	assert_int_equal(keys_suggest("entr", out, 1), 1);
	assert_int_equal(keys_suggest("entr", out, 0), 0);
	/* "eth", "Eth" and "ETH" are one suggestion. */
	n = keys_suggest("Eht", out, ARRAY_SIZE(out));
	for (i = 0; i < n; i++)
		assert_true(i == 0 || strcasecmp(out[i], out[0]) != 0);
}

static void needs_shift_exactly_for_us_shifted_characters(void **state)
{
	unsigned c;

	(void)state;
	for (c = 0x20; c <= 0x7e; c++) {
		bool want = strchr(us_shifted, (int)c) != NULL;

		if (keys_needs_shift(c) != want)
			fail_msg("'%c' (0x%02x): needs_shift %d, want %d", c, c,
				 keys_needs_shift(c), want);
	}
	assert_false(keys_needs_shift(0xc9)); /* Eacute: Latin-1, no Shift */
	assert_false(keys_needs_shift(0xff0d));
	assert_false(keys_needs_shift(0x010020ac));
}

static void expect_strokes(const char *text, size_t len,
			   const struct keys_stroke *want, size_t n)
{
	struct keys_stroke *got = NULL;
	size_t count = 0, i, off = 0;
	char msg[128] = "";

	if (keys_text_to_strokes(text, len, &got, &count, msg, sizeof(msg),
				 &off) != 0)
		fail_msg("typing \"%.*s\" failed at %zu: %s", (int)len, text,
			 off, msg);
	assert_non_null(got);
	if (count != n) {
		free(got);
		fail_msg("typing \"%.*s\" gave %zu strokes, want %zu", (int)len,
			 text, count, n);
	}
	for (i = 0; i < n; i++) {
		if (got[i].keysym != want[i].keysym ||
		    got[i].down != want[i].down) {
			struct keys_stroke g = got[i];

			free(got);
			fail_msg("typing \"%.*s\": stroke %zu is 0x%x %s, "
				 "want 0x%x %s",
				 (int)len, text, i, g.keysym,
				 g.down ? "down" : "up", want[i].keysym,
				 want[i].down ? "down" : "up");
		}
	}
	free(got);
}

#define SHIFT 0xffe1 /* Shift_L */
#define DOWN(k) { (k), true }
#define UP(k) { (k), false }

/* EXPECT_STROKES("!", DOWN(SHIFT), ...): typing the string gives exactly
 * these strokes. */
#define EXPECT_STROKES(text, ...)                                          \
	expect_strokes(text, strlen(text),                                 \
		       (const struct keys_stroke[]){ __VA_ARGS__ },        \
		       sizeof((const struct keys_stroke[]){ __VA_ARGS__ }) / \
			       sizeof(struct keys_stroke))

static void exclam_is_shift_around_its_own_keysym(void **state)
{
	(void)state;
	EXPECT_STROKES("!", DOWN(SHIFT), DOWN('!'), UP('!'), UP(SHIFT));
	EXPECT_STROKES("aB", DOWN('a'), UP('a'), DOWN(SHIFT), DOWN('B'),
		       UP('B'), UP(SHIFT));
}

/* All 95 printable characters, one call each and then all in one text. */
static void every_printable_ascii_character_types_exactly(void **state)
{
	struct keys_stroke all[95 * 4];
	size_t n = 0;
	char text[96];
	unsigned c;

	(void)state;
	for (c = 0x20; c <= 0x7e; c++) {
		struct keys_stroke one[4];
		size_t k = 0;
		bool shift = strchr(us_shifted, (int)c) != NULL;
		char ch = (char)c;

		if (shift)
			one[k++] = (struct keys_stroke)DOWN(SHIFT);
		one[k++] = (struct keys_stroke)DOWN(c);
		one[k++] = (struct keys_stroke)UP(c);
		if (shift)
			one[k++] = (struct keys_stroke)UP(SHIFT);
		expect_strokes(&ch, 1, one, k);
		memcpy(all + n, one, k * sizeof(*one));
		n += k;
		text[c - 0x20] = ch;
	}
	text[95] = '\0';
	expect_strokes(text, 95, all, n);
}

static void newline_tab_backspace_escape_are_keys(void **state)
{
	(void)state;
	EXPECT_STROKES("a\n\tb", DOWN('a'), UP('a'), DOWN(0xff0d), UP(0xff0d),
		       DOWN(0xff09), UP(0xff09), DOWN('b'), UP('b'));
	EXPECT_STROKES("\b\x1b", DOWN(0xff08), UP(0xff08), DOWN(0xff1b),
		       UP(0xff1b));
}

static void latin1_and_unicode_text_without_shift(void **state)
{
	(void)state;
	/* e-acute, E-acute, euro sign, grinning face */
	EXPECT_STROKES("\xc3\xa9\xc3\x89\xe2\x82\xac\xf0\x9f\x98\x80",
		       DOWN(0xe9), UP(0xe9), DOWN(0xc9), UP(0xc9),
		       DOWN(0x010020ac), UP(0x010020ac), DOWN(0x0101f600),
		       UP(0x0101f600));
}

static void expect_text_error(const char *text, size_t len, size_t offset,
			      const char *want_in_msg)
{
	static struct keys_stroke untouched;
	struct keys_stroke *got = &untouched;
	size_t count = 777, off = 12345;
	char msg[128] = "";

	if (keys_text_to_strokes(text, len, &got, &count, msg, sizeof(msg),
				 &off) != -1)
		fail_msg("text should fail at byte %zu", offset);
	if (off != offset)
		fail_msg("error at byte %zu, want %zu (%s)", off, offset, msg);
	if (!strstr(msg, want_in_msg))
		fail_msg("message '%s' lacks '%s'", msg, want_in_msg);
	/* Nothing handed out on failure. */
	assert_ptr_equal(got, &untouched);
	assert_int_equal(count, 777);
}

static void invalid_utf8_reports_byte_offset(void **state)
{
	(void)state;
	expect_text_error("ab\xff"
			  "cd",
			  5, 2, "invalid UTF-8 at byte 2");
	expect_text_error("a\xe2\x82", 3, 1, "invalid UTF-8"); /* truncated */
	expect_text_error("\xc0\xaf", 2, 0, "invalid UTF-8"); /* overlong '/' */
	expect_text_error("xy\xed\xa0\x80", 5, 2,
			  "invalid UTF-8"); /* surrogate */
	expect_text_error("\xf4\x90\x80\x80", 4, 0,
			  "invalid UTF-8"); /* > U+10FFFF */
	expect_text_error("ok\x80", 3, 2,
			  "invalid UTF-8"); /* lone continuation */
	expect_text_error("\xe2\x28\xa1", 3, 0, "invalid UTF-8");
}

static void control_characters_report_byte_offset(void **state)
{
	(void)state;
	expect_text_error("ab\x07", 3, 2, "U+0007");
	expect_text_error("line\r\n", 6, 4, "U+000D");
	expect_text_error("\xc3\xa9\x7f", 3, 2, "U+007F");
	expect_text_error("a\0b", 3, 1, "U+0000");
	expect_text_error("\xc2\x85", 2, 0, "U+0085"); /* C1 NEL */
}

static void empty_text_gives_no_strokes(void **state)
{
	struct keys_stroke *got = NULL;
	size_t count = 5;
	char msg[64];

	(void)state;
	assert_int_equal(keys_text_to_strokes("", 0, &got, &count, msg,
					      sizeof(msg), NULL),
			 0);
	assert_int_equal(count, 0);
	free(got);
}

/* ---- what a console with a US keymap (QEMU) can type ---- */

static void us_typable_is_printable_ascii_and_four_keys(void **state)
{
	uint32_t cp;

	(void)state;
	for (cp = 0; cp < 0x3000; cp++) {
		bool want = (cp >= 0x20 && cp <= 0x7e) || cp == '\n' ||
			    cp == '\t' || cp == '\b' || cp == 0x1b;

		if (keys_us_typable(cp) != want)
			fail_msg("keys_us_typable(U+%04X) is %d, want %d",
				 (unsigned)cp, keys_us_typable(cp), want);
	}
	/* e-acute, euro, broken bar (in QEMU's en-us keymap only behind
	 * AltGr on the 102nd key, which nothing presses), an emoji */
	assert_false(keys_us_typable(0xe9));
	assert_false(keys_us_typable(0x20ac));
	assert_false(keys_us_typable(0xa6));
	assert_false(keys_us_typable(0x1f600));
}

/* What a US keyboard types, a US keymap has a key for: every typable
 * character's keysym has a scancode. */
static void every_us_typable_character_has_a_scancode(void **state)
{
	uint32_t cp;

	(void)state;
	for (cp = 0; cp < 0x80; cp++) {
		uint32_t ks = keys_from_codepoint(cp);

		if (keys_us_typable(cp) && (!ks || !keys_scancode(ks)))
			fail_msg("U+%04X is typable but keysym 0x%x has no scancode",
				 (unsigned)cp, (unsigned)ks);
	}
}

static void expect_untypable(const char *text, size_t from, size_t want_off,
			     uint32_t want_cp, size_t want_bytes)
{
	uint32_t cp = 0;
	size_t nbytes = 0;
	size_t off = keys_us_untypable(text, strlen(text), from, &cp, &nbytes);

	if (off != want_off)
		fail_msg("in \"%s\" from byte %zu: untypable at %zu, want %zu",
			 text, from, off, want_off);
	if (want_off < strlen(text) && (cp != want_cp || nbytes != want_bytes))
		fail_msg("in \"%s\" at %zu: U+%04X (%zu bytes), want U+%04X (%zu)",
			 text, off, (unsigned)cp, nbytes, (unsigned)want_cp,
			 want_bytes);
}

static void untypable_finds_each_character_in_turn(void **state)
{
	const char *text = "caf\xc3\xa9 \xe2\x82\xac" "5\n";

	(void)state;
	expect_untypable(text, 0, 3, 0xe9, 2);
	expect_untypable(text, 5, 6, 0x20ac, 3);
	expect_untypable(text, 9, strlen(text), 0, 0);
	expect_untypable("", 0, 0, 0, 0);
	expect_untypable("ASCII ~!@#\t\x1b\b", 0, 13, 0, 0);
	/* An invalid byte is untypable too, one byte long. */
	expect_untypable("ab\xff", 0, 2, KEYS_BAD_UTF8, 1);
	expect_untypable("a\xe2\x82", 0, 1, KEYS_BAD_UTF8, 1);
	/* NULs for cp and nbytes are allowed. */
	assert_int_equal(keys_us_untypable("x\xc3\xa9", 3, 0, NULL, NULL), 1);
}

static void windows_alt_codes_follow_windows_1252(void **state)
{
	(void)state;
	assert_int_equal(keys_windows_alt_code(0xe9), 233);  /* e-acute */
	assert_int_equal(keys_windows_alt_code(0xa0), 160);  /* no-break space */
	assert_int_equal(keys_windows_alt_code(0x20ac), 128); /* euro */
	assert_int_equal(keys_windows_alt_code(0x2122), 153); /* trade mark */
	assert_int_equal(keys_windows_alt_code(0x178), 159);  /* Y diaeresis */
	assert_int_equal(keys_windows_alt_code('A'), 'A');
	assert_int_equal(keys_windows_alt_code(0x100), -1);   /* A macron */
	assert_int_equal(keys_windows_alt_code(0x81), -1);    /* unused in 1252 */
	assert_int_equal(keys_windows_alt_code(0x1f600), -1);
}

static void codepoints_map_to_keysyms(void **state)
{
	static const uint32_t cases[][2] = {
		{ 'a', 'a' },
		{ ' ', ' ' },
		{ '~', '~' },
		{ '\n', 0xff0d },
		{ '\t', 0xff09 },
		{ '\b', 0xff08 },
		{ 0x1b, 0xff1b },
		{ 0xa0, 0xa0 },
		{ 0xff, 0xff },
		{ 0x100, 0x01000100 },
		{ 0x20ac, 0x010020ac },
		{ 0x10ffff, 0x0110ffff },
		{ 0, 0 },
		{ '\r', 0 },
		{ 0x7f, 0 },
		{ 0x9f, 0 },
		{ 0xd800, 0 },
		{ 0xdfff, 0 },
		{ 0x110000, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t ks = keys_from_codepoint(cases[i][0]);

		if (ks != cases[i][1])
			fail_msg("U+%04X gave 0x%x, want 0x%x", cases[i][0], ks,
				 cases[i][1]);
	}
}

static void scancodes_of_characters_use_the_base_key(void **state)
{
	static const uint32_t cases[][2] = {
		{ 'a', 0x1e }, { 'A', 0x1e }, { 'q', 0x10 },  { 'p', 0x19 },
		{ 'z', 0x2c }, { 'm', 0x32 }, { 'l', 0x26 },  { '1', 0x02 },
		{ '9', 0x0a }, { '0', 0x0b }, { '!', 0x02 },  { ')', 0x0b },
		{ '-', 0x0c }, { '_', 0x0c }, { '=', 0x0d },  { '+', 0x0d },
		{ '[', 0x1a }, { '}', 0x1b }, { ';', 0x27 },  { '"', 0x28 },
		{ '`', 0x29 }, { '~', 0x29 }, { '\\', 0x2b }, { '|', 0x2b },
		{ ',', 0x33 }, { '>', 0x34 }, { '/', 0x35 },  { '?', 0x35 },
		{ ' ', 0x39 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t sc = keys_scancode(cases[i][0]);

		if (sc != cases[i][1])
			fail_msg("'%c': scancode 0x%02x, want 0x%02x",
				 cases[i][0], sc, cases[i][1]);
	}
}

/* Every printable character is on a US key; a shifted one on the key of its
 * unshifted partner, and no two unshifted characters share a key. */
static void every_printable_character_has_a_scancode(void **state)
{
	static const char unshifted[] = "`1234567890-=[]\\;',./";
	static const char shifted[] = "~!@#$%^&*()_+{}|:\"<>?";
	uint32_t owner[256] = { 0 };
	unsigned c;
	size_t i;

	(void)state;
	for (c = 0x20; c <= 0x7e; c++) {
		uint32_t sc = keys_scancode(c);

		if (sc == 0 || sc > 0xff)
			fail_msg("'%c' has scancode 0x%x", c, sc);
		if (strchr(us_shifted, (int)c))
			continue;
		if (owner[sc])
			fail_msg("'%c' and '%c' share scancode 0x%02x", c,
				 owner[sc], sc);
		owner[sc] = c;
	}
	for (i = 0; i < sizeof(shifted) - 1; i++)
		assert_int_equal(keys_scancode((unsigned char)shifted[i]),
				 keys_scancode((unsigned char)unshifted[i]));
	for (c = 'a'; c <= 'z'; c++)
		assert_int_equal(keys_scancode(c),
				 keys_scancode(c - 'a' + 'A'));
}

static void scancodes_of_e0_and_other_keys(void **state)
{
	static const uint32_t cases[][2] = {
		{ 0xffe4, 0x9d }, /* Control_R */
		{ 0xff52, 0xc8 }, /* Up */
		{ 0xff54, 0xd0 }, /* Down */
		{ 0xff51, 0xcb }, /* Left */
		{ 0xff53, 0xcd }, /* Right */
		{ 0xffeb, 0xdb }, /* Super_L */
		{ 0xffec, 0xdc }, /* Super_R */
		{ 0xff8d, 0x9c }, /* KP_Enter */
		{ 0xffff, 0xd3 }, /* Delete */
		{ 0xffea, 0xb8 }, /* Alt_R */
		{ 0xffaf, 0xb5 }, /* KP_Divide */
		{ 0xff50, 0xc7 }, /* Home */
		{ 0xff55, 0xc9 }, /* Prior */
		{ 0xff56, 0xd1 }, /* Next */
		{ 0xff63, 0xd2 }, /* Insert */
		{ 0xff67, 0xdd }, /* Menu */
		{ 0xff61, 0xb7 }, /* Print */
		{ 0xffe3, 0x1d }, /* Control_L */
		{ 0xffe1, 0x2a }, /* Shift_L */
		{ 0xffe2, 0x36 }, /* Shift_R */
		{ 0xffe9, 0x38 }, /* Alt_L */
		{ 0xff0d, 0x1c }, /* Return */
		{ 0xff1b, 0x01 }, /* Escape */
		{ 0xff08, 0x0e }, /* BackSpace */
		{ 0xff09, 0x0f }, /* Tab */
		{ 0xffe5, 0x3a }, /* Caps_Lock */
		{ 0xffbe, 0x3b }, /* F1 */
		{ 0xffc7, 0x44 }, /* F10 */
		{ 0xffc8, 0x57 }, /* F11 */
		{ 0xffc9, 0x58 }, /* F12 */
		{ 0xffb0, 0x52 }, /* KP_0 */
		{ 0xffb7, 0x47 }, /* KP_7 */
		{ 0xffab, 0x4e }, /* KP_Add */
		{ 0xffad, 0x4a }, /* KP_Subtract */
		{ 0xffaa, 0x37 }, /* KP_Multiply */
		{ 0xffae, 0x53 }, /* KP_Decimal */
		{ 0xff7f, 0x45 }, /* Num_Lock */
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		uint32_t sc = keys_scancode(cases[i][0]);

		if (sc != cases[i][1])
			fail_msg("keysym 0x%x: scancode 0x%02x, want 0x%02x",
				 cases[i][0], sc, cases[i][1]);
	}
	assert_int_equal(keys_scancode(0xe9), 0); /* not on a US keyboard */
	assert_int_equal(keys_scancode(0x010020ac), 0);
	assert_int_equal(keys_scancode(0xffd6), 0); /* F25 */
	assert_int_equal(keys_scancode(0), 0);
}

static void listing_is_grouped_and_complete(void **state)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	static const char *const want[] = {
		"Modifiers",	 "Editing and navigation",
		"Function keys", "Keypad",
		"Characters",	 "Every X11 keysym name",
		"ctrl control",	 "Control_L",
		"0xffe3",	 "pgup pageup",
		"also Page_Up",	 "kpenter",
		"KP_Enter",	 "f24",
		"exclam",	 "U+20AC",
		"ooblique",	 "Hyper_R",
		"ISO_Left_Tab",	 "ctrl--",
	};
	size_t i;

	(void)state;
	assert_non_null(f);
	keys_list(f);
	fclose(f);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (!strstr(buf, want[i])) {
			free(buf);
			fail_msg("listing lacks '%s'", want[i]);
		}
	}
	/* Fits a terminal. */
	for (i = 0; buf[i];) {
		size_t len = strcspn(buf + i, "\n");

		if (len > 80) {
			free(buf);
			fail_msg("listing line of %zu characters", len);
		}
		i += len + (buf[i + len] ? 1 : 0);
	}
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(short_names_resolve_to_their_keys),
		cmocka_unit_test(keypad_short_and_x11_names_agree),
		cmocka_unit_test(x11_names_resolve),
		cmocka_unit_test(names_are_case_insensitive),
		cmocka_unit_test(case_collisions_prefer_exact_then_lowercase),
		cmocka_unit_test(short_names_agree_with_x11_names),
		cmocka_unit_test(every_printable_character_names_itself),
		cmocka_unit_test(function_keys_f1_to_f35),
		cmocka_unit_test(unicode_and_numeric_names),
		cmocka_unit_test(unknown_names_are_rejected),
		cmocka_unit_test(keys_name_gives_canonical_names),
		cmocka_unit_test(keys_name_round_trips),
		cmocka_unit_test(chords_with_dash_and_plus),
		cmocka_unit_test(chords_where_minus_or_plus_is_the_key),
		cmocka_unit_test(chords_with_unicode_parts),
		cmocka_unit_test(chord_of_eight_keys_but_not_nine),
		cmocka_unit_test(empty_and_unfinished_chords_are_errors),
		cmocka_unit_test(repeated_key_in_chord_is_an_error),
		cmocka_unit_test(unknown_key_in_chord_names_part_and_suggests),
		cmocka_unit_test(chord_messages_fit_small_buffers),
		cmocka_unit_test(suggestions_are_best_first_and_plausible),
		cmocka_unit_test(needs_shift_exactly_for_us_shifted_characters),
		cmocka_unit_test(exclam_is_shift_around_its_own_keysym),
		cmocka_unit_test(every_printable_ascii_character_types_exactly),
		cmocka_unit_test(newline_tab_backspace_escape_are_keys),
		cmocka_unit_test(latin1_and_unicode_text_without_shift),
		cmocka_unit_test(invalid_utf8_reports_byte_offset),
		cmocka_unit_test(control_characters_report_byte_offset),
		cmocka_unit_test(empty_text_gives_no_strokes),
		cmocka_unit_test(us_typable_is_printable_ascii_and_four_keys),
		cmocka_unit_test(every_us_typable_character_has_a_scancode),
		cmocka_unit_test(untypable_finds_each_character_in_turn),
		cmocka_unit_test(windows_alt_codes_follow_windows_1252),
		cmocka_unit_test(codepoints_map_to_keysyms),
		cmocka_unit_test(scancodes_of_characters_use_the_base_key),
		cmocka_unit_test(every_printable_character_has_a_scancode),
		cmocka_unit_test(scancodes_of_e0_and_other_keys),
		cmocka_unit_test(listing_is_grouped_and_complete),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
