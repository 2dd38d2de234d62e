/* keys.c: key names <-> X11 keysyms <-> XT scancodes, chords, and text ->
 * key strokes on a US layout. Owns the three tables: X11 names (generated into
 * keysym_names.inc), the short names people type, the US scancode map. Sending
 * the strokes is the session's job; reading scripts is the script module's.
 * Everything here is const; only keys_text_to_strokes() allocates. */
#include "keys/keys.h"

#include <ctype.h>
#include <rfb/keysym.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/strdist.h"

struct keys_xname {
	const char *name;
	uint32_t keysym;
};

#include "keys/keysym_names.inc"

#define KEYS_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Longest name worth looking up: the longest X11 name is 27 characters. */
#define KEYS_NAME_MAX 64

/* Keysyms for Unicode code points are 0x01000000 + cp (X11 convention). */
#define KEYS_UNICODE_BASE 0x01000000u

enum keys_group {
	KEYS_GROUP_MODIFIER,
	KEYS_GROUP_EDITING,
	KEYS_GROUP_KEYPAD,
};

/* The short names people type, all lowercase, matched without case. One that
 * equals an X11 name but for case must be the same key, so the two lookups
 * never disagree (test_keys.c checks). The order is that of `vncbot keys`:
 * names of one key together, the usual one first. */
static const struct keys_short {
	const char *name;
	uint32_t keysym;
	enum keys_group group;
} keys_shorts[] = {
	{ "ctrl", XK_Control_L, KEYS_GROUP_MODIFIER },
	{ "control", XK_Control_L, KEYS_GROUP_MODIFIER },
	{ "lctrl", XK_Control_L, KEYS_GROUP_MODIFIER },
	{ "rctrl", XK_Control_R, KEYS_GROUP_MODIFIER },
	{ "shift", XK_Shift_L, KEYS_GROUP_MODIFIER },
	{ "lshift", XK_Shift_L, KEYS_GROUP_MODIFIER },
	{ "rshift", XK_Shift_R, KEYS_GROUP_MODIFIER },
	{ "alt", XK_Alt_L, KEYS_GROUP_MODIFIER },
	{ "lalt", XK_Alt_L, KEYS_GROUP_MODIFIER },
	{ "ralt", XK_Alt_R, KEYS_GROUP_MODIFIER },
	{ "altgr", XK_ISO_Level3_Shift, KEYS_GROUP_MODIFIER },
	{ "super", XK_Super_L, KEYS_GROUP_MODIFIER },
	{ "win", XK_Super_L, KEYS_GROUP_MODIFIER },
	{ "lsuper", XK_Super_L, KEYS_GROUP_MODIFIER },
	{ "lwin", XK_Super_L, KEYS_GROUP_MODIFIER },
	{ "rsuper", XK_Super_R, KEYS_GROUP_MODIFIER },
	{ "rwin", XK_Super_R, KEYS_GROUP_MODIFIER },
	{ "meta", XK_Meta_L, KEYS_GROUP_MODIFIER },
	{ "lmeta", XK_Meta_L, KEYS_GROUP_MODIFIER },
	{ "rmeta", XK_Meta_R, KEYS_GROUP_MODIFIER },
	{ "capslock", XK_Caps_Lock, KEYS_GROUP_MODIFIER },
	{ "caps", XK_Caps_Lock, KEYS_GROUP_MODIFIER },
	{ "numlock", XK_Num_Lock, KEYS_GROUP_MODIFIER },
	{ "scrolllock", XK_Scroll_Lock, KEYS_GROUP_MODIFIER },

	{ "enter", XK_Return, KEYS_GROUP_EDITING },
	{ "ret", XK_Return, KEYS_GROUP_EDITING },
	{ "esc", XK_Escape, KEYS_GROUP_EDITING },
	{ "escape", XK_Escape, KEYS_GROUP_EDITING },
	{ "tab", XK_Tab, KEYS_GROUP_EDITING },
	{ "space", XK_space, KEYS_GROUP_EDITING },
	{ "spc", XK_space, KEYS_GROUP_EDITING },
	{ "bsp", XK_BackSpace, KEYS_GROUP_EDITING },
	{ "backspace", XK_BackSpace, KEYS_GROUP_EDITING },
	{ "bs", XK_BackSpace, KEYS_GROUP_EDITING },
	{ "del", XK_Delete, KEYS_GROUP_EDITING },
	{ "delete", XK_Delete, KEYS_GROUP_EDITING },
	{ "ins", XK_Insert, KEYS_GROUP_EDITING },
	{ "insert", XK_Insert, KEYS_GROUP_EDITING },
	{ "home", XK_Home, KEYS_GROUP_EDITING },
	{ "end", XK_End, KEYS_GROUP_EDITING },
	{ "pgup", XK_Prior, KEYS_GROUP_EDITING },
	{ "pageup", XK_Prior, KEYS_GROUP_EDITING },
	{ "pgdn", XK_Next, KEYS_GROUP_EDITING },
	{ "pagedown", XK_Next, KEYS_GROUP_EDITING },
	{ "pgdown", XK_Next, KEYS_GROUP_EDITING },
	{ "up", XK_Up, KEYS_GROUP_EDITING },
	{ "down", XK_Down, KEYS_GROUP_EDITING },
	{ "left", XK_Left, KEYS_GROUP_EDITING },
	{ "right", XK_Right, KEYS_GROUP_EDITING },
	{ "menu", XK_Menu, KEYS_GROUP_EDITING },
	{ "printscreen", XK_Print, KEYS_GROUP_EDITING },
	{ "prtsc", XK_Print, KEYS_GROUP_EDITING },
	{ "print", XK_Print, KEYS_GROUP_EDITING },
	{ "sysrq", XK_Sys_Req, KEYS_GROUP_EDITING },
	{ "pause", XK_Pause, KEYS_GROUP_EDITING },
	{ "break", XK_Break, KEYS_GROUP_EDITING },

	{ "kp0", XK_KP_0, KEYS_GROUP_KEYPAD },
	{ "kp1", XK_KP_1, KEYS_GROUP_KEYPAD },
	{ "kp2", XK_KP_2, KEYS_GROUP_KEYPAD },
	{ "kp3", XK_KP_3, KEYS_GROUP_KEYPAD },
	{ "kp4", XK_KP_4, KEYS_GROUP_KEYPAD },
	{ "kp5", XK_KP_5, KEYS_GROUP_KEYPAD },
	{ "kp6", XK_KP_6, KEYS_GROUP_KEYPAD },
	{ "kp7", XK_KP_7, KEYS_GROUP_KEYPAD },
	{ "kp8", XK_KP_8, KEYS_GROUP_KEYPAD },
	{ "kp9", XK_KP_9, KEYS_GROUP_KEYPAD },
	{ "kpenter", XK_KP_Enter, KEYS_GROUP_KEYPAD },
	{ "kpplus", XK_KP_Add, KEYS_GROUP_KEYPAD },
	{ "kpadd", XK_KP_Add, KEYS_GROUP_KEYPAD },
	{ "kpminus", XK_KP_Subtract, KEYS_GROUP_KEYPAD },
	{ "kpsub", XK_KP_Subtract, KEYS_GROUP_KEYPAD },
	{ "kpmul", XK_KP_Multiply, KEYS_GROUP_KEYPAD },
	{ "kpstar", XK_KP_Multiply, KEYS_GROUP_KEYPAD },
	{ "kpasterisk", XK_KP_Multiply, KEYS_GROUP_KEYPAD },
	{ "kpdiv", XK_KP_Divide, KEYS_GROUP_KEYPAD },
	{ "kpslash", XK_KP_Divide, KEYS_GROUP_KEYPAD },
	{ "kpdot", XK_KP_Decimal, KEYS_GROUP_KEYPAD },
	{ "kpdecimal", XK_KP_Decimal, KEYS_GROUP_KEYPAD },
	{ "kpperiod", XK_KP_Decimal, KEYS_GROUP_KEYPAD },
	{ "kpequal", XK_KP_Equal, KEYS_GROUP_KEYPAD },
};

/* US layout: the characters typed with Shift, each above the character of the
 * same key typed without it. */
static const char keys_us_shifted[] = "~!@#$%^&*()_+{}|:\"<>?";
static const char keys_us_unshifted[] = "`1234567890-=[]\\;',./";

/* US layout rows of unshifted characters with the scancode of the first. */
static const struct keys_scan_row {
	const char *chars;
	uint8_t first;
} keys_scan_rows[] = {
	{ "1234567890-=", 0x02 },
	{ "qwertyuiop[]", 0x10 },
	{ "asdfghjkl;'`", 0x1e },
	{ "\\zxcvbnm,./", 0x2b },
	{ " ", 0x39 },
};

/* XT set 1 scancodes of the non-character keys, E0-prefixed ones as
 * 0x80 | code (QEMU's numbering, as in keycodemapdb's "qnum" column).
 * Meta is the Alt key here, as in X's default PC keymap (Alt_L Meta_L on one
 * key); Super is the Windows key. */
static const struct keys_scan {
	uint32_t keysym;
	uint8_t code;
} keys_scans[] = {
	{ XK_Escape, 0x01 },
	{ XK_BackSpace, 0x0e },
	{ XK_Tab, 0x0f },
	{ XK_ISO_Left_Tab, 0x0f },
	{ XK_Return, 0x1c },
	{ XK_Control_L, 0x1d },
	{ XK_Shift_L, 0x2a },
	{ XK_Shift_R, 0x36 },
	{ XK_Alt_L, 0x38 },
	{ XK_Meta_L, 0x38 },
	{ XK_Caps_Lock, 0x3a },
	{ XK_F1, 0x3b },
	{ XK_F2, 0x3c },
	{ XK_F3, 0x3d },
	{ XK_F4, 0x3e },
	{ XK_F5, 0x3f },
	{ XK_F6, 0x40 },
	{ XK_F7, 0x41 },
	{ XK_F8, 0x42 },
	{ XK_F9, 0x43 },
	{ XK_F10, 0x44 },
	{ XK_F11, 0x57 },
	{ XK_F12, 0x58 },
	{ XK_F13, 0x5d },
	{ XK_F14, 0x5e },
	{ XK_F15, 0x5f },
	{ XK_F16, 0x55 },
	{ XK_F17, 0x83 },
	{ XK_F18, 0xf7 },
	{ XK_F19, 0x84 },
	{ XK_F20, 0x5a },
	{ XK_F21, 0x74 },
	{ XK_F22, 0xf9 },
	{ XK_F23, 0x6d },
	{ XK_F24, 0x6f },
	{ XK_Num_Lock, 0x45 },
	{ XK_Scroll_Lock, 0x46 },
	{ XK_Sys_Req, 0x54 },
	{ XK_KP_Multiply, 0x37 },
	{ XK_KP_7, 0x47 },
	{ XK_KP_Home, 0x47 },
	{ XK_KP_8, 0x48 },
	{ XK_KP_Up, 0x48 },
	{ XK_KP_9, 0x49 },
	{ XK_KP_Prior, 0x49 },
	{ XK_KP_Subtract, 0x4a },
	{ XK_KP_4, 0x4b },
	{ XK_KP_Left, 0x4b },
	{ XK_KP_5, 0x4c },
	{ XK_KP_Begin, 0x4c },
	{ XK_KP_6, 0x4d },
	{ XK_KP_Right, 0x4d },
	{ XK_KP_Add, 0x4e },
	{ XK_KP_1, 0x4f },
	{ XK_KP_End, 0x4f },
	{ XK_KP_2, 0x50 },
	{ XK_KP_Down, 0x50 },
	{ XK_KP_3, 0x51 },
	{ XK_KP_Next, 0x51 },
	{ XK_KP_0, 0x52 },
	{ XK_KP_Insert, 0x52 },
	{ XK_KP_Decimal, 0x53 },
	{ XK_KP_Delete, 0x53 },
	{ XK_KP_Equal, 0x59 },
	{ XK_KP_Enter, 0x9c },
	{ XK_Control_R, 0x9d },
	{ XK_KP_Divide, 0xb5 },
	{ XK_Print, 0xb7 },
	{ XK_Alt_R, 0xb8 },
	{ XK_Meta_R, 0xb8 },
	{ XK_ISO_Level3_Shift, 0xb8 },
	{ XK_Pause, 0xc6 },
	{ XK_Break, 0xc6 },
	{ XK_Home, 0xc7 },
	{ XK_Up, 0xc8 },
	{ XK_Prior, 0xc9 },
	{ XK_Left, 0xcb },
	{ XK_Right, 0xcd },
	{ XK_End, 0xcf },
	{ XK_Down, 0xd0 },
	{ XK_Next, 0xd1 },
	{ XK_Insert, 0xd2 },
	{ XK_Delete, 0xd3 },
	{ XK_Super_L, 0xdb },
	{ XK_Super_R, 0xdc },
	{ XK_Menu, 0xdd },
};

static bool keys_is_printable_ascii(uint32_t c)
{
	return c >= 0x20 && c <= 0x7e;
}

/* Index of the first X11 name equal to name but for case, or
 * KEYS_ARRAY_SIZE(keys_xnames) if there is none. */
static size_t keys_xname_group(const char *name)
{
	size_t lo = 0, hi = KEYS_ARRAY_SIZE(keys_xnames);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcasecmp(keys_xnames[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < KEYS_ARRAY_SIZE(keys_xnames) &&
	    strcasecmp(keys_xnames[lo].name, name) == 0)
		return lo;
	return KEYS_ARRAY_SIZE(keys_xnames);
}

/* X11 name lookup. A name that matches with its case wins ("A" is 0x41);
 * otherwise the first of the group, which the generator put there because it
 * has the fewest capitals: the unshifted key ("AGRAVE" is agrave, 0xe0). */
static uint32_t keys_xname_lookup(const char *name, bool exact_only)
{
	size_t first = keys_xname_group(name), i;

	for (i = first; i < KEYS_ARRAY_SIZE(keys_xnames); i++) {
		if (strcasecmp(keys_xnames[i].name, name) != 0)
			break;
		if (strcmp(keys_xnames[i].name, name) == 0)
			return keys_xnames[i].keysym;
	}
	if (exact_only || first == KEYS_ARRAY_SIZE(keys_xnames))
		return 0;
	return keys_xnames[first].keysym;
}

static uint32_t keys_short_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < KEYS_ARRAY_SIZE(keys_shorts); i++) {
		if (strcasecmp(keys_shorts[i].name, name) == 0)
			return keys_shorts[i].keysym;
	}
	return 0;
}

/* Parse exactly min..max hex digits making up all of s; -1 if not. */
static int64_t keys_parse_hex(const char *s, size_t min, size_t max)
{
	size_t len = strlen(s), i;
	int64_t v = 0;

	if (len < min || len > max)
		return -1;
	for (i = 0; i < len; i++) {
		char c = s[i];
		int d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* "U+20AC" or "U20AC": 4 to 6 hex digits, as Unicode writes code points and
 * XStringToKeysym() reads them. Four at least, so that in a chord "u+a" stays
 * the keys u and a. */
static uint32_t keys_unicode_lookup(const char *name)
{
	int64_t cp;

	if (name[0] != 'U' && name[0] != 'u')
		return 0;
	cp = keys_parse_hex(name + (name[1] == '+' ? 2 : 1), 4, 6);
	if (cp < 0 || cp > 0x10ffff)
		return 0;
	return keys_from_codepoint((uint32_t)cp);
}

/* "0x1008ff13": any keysym by number, for keys no name covers (media keys).
 * Keysyms are 29-bit values. */
static uint32_t keys_number_lookup(const char *name)
{
	int64_t v;

	if (name[0] != '0' || (name[1] != 'x' && name[1] != 'X'))
		return 0;
	v = keys_parse_hex(name + 2, 1, 8);
	if (v <= 0 || v > 0x1fffffff)
		return 0;
	return (uint32_t)v;
}

/* Length of a "U+XXXX" part at the start of s, or 0 if s does not start with
 * one that ends at a separator or at the end of s. */
static size_t keys_unicode_len(const char *s)
{
	size_t digits;

	if ((s[0] != 'U' && s[0] != 'u') || s[1] != '+')
		return 0;
	digits = strspn(s + 2, "0123456789abcdefABCDEF");
	if (digits < 4 || digits > 6 ||
	    (s[2 + digits] && !strchr("-+", s[2 + digits])))
		return 0;
	return 2 + digits;
}

/* The order settles overlaps: a character is itself; an X11 name written
 * with its case beats a short name ("A" is 0x41); short names beat X11 names
 * matched only without case (they are all lowercase and name the same key
 * where they overlap); "U+" and "0x" forms come last, as no name looks so. */
bool keys_from_name(const char *name, uint32_t *keysym)
{
	uint32_t ks;

	if (!name || !name[0])
		return false;
	if (!name[1] && keys_is_printable_ascii((unsigned char)name[0]))
		ks = (unsigned char)name[0];
	else if (strlen(name) >= KEYS_NAME_MAX)
		return false;
	else if (!(ks = keys_xname_lookup(name, true)) &&
		 !(ks = keys_short_lookup(name)) &&
		 !(ks = keys_xname_lookup(name, false)) &&
		 !(ks = keys_unicode_lookup(name)) &&
		 !(ks = keys_number_lookup(name)))
		return false;
	if (keysym)
		*keysym = ks;
	return true;
}

static const char *keys_xsym_name(uint32_t keysym)
{
	size_t lo = 0, hi = KEYS_ARRAY_SIZE(keys_xsyms);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keys_xsyms[mid].keysym < keysym)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < KEYS_ARRAY_SIZE(keys_xsyms) && keys_xsyms[lo].keysym == keysym)
		return keys_xsyms[lo].name;
	return NULL;
}

const char *keys_name(uint32_t keysym, char *buf, size_t bufsize)
{
	const char *name = keys_xsym_name(keysym);

	if (name)
		return name;
	if (!buf || bufsize == 0)
		return "?";
	/* "U+XXXX" only where keys_from_name() reads it back as this keysym:
	 * below U+0100 it would give the Latin-1 keysym instead. */
	if (keysym >= KEYS_UNICODE_BASE + 0x100 &&
	    keysym <= KEYS_UNICODE_BASE + 0x10ffff)
		snprintf(buf, bufsize, "U+%04X",
			 (unsigned)(keysym - KEYS_UNICODE_BASE));
	else
		snprintf(buf, bufsize, "0x%04x", (unsigned)keysym);
	return buf;
}

/* The unshifted US character on the key that types c ('!' -> '1',
 * 'A' -> 'a'); c itself if c needs no Shift. */
static uint32_t keys_us_base(uint32_t c)
{
	const char *p;

	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if (c > 0 && c < 0x80 && (p = strchr(keys_us_shifted, (int)c)))
		return (unsigned char)keys_us_unshifted[p - keys_us_shifted];
	return c;
}

bool keys_is_enter(uint32_t keysym)
{
	return keysym == XK_Return || keysym == XK_KP_Enter;
}

bool keys_needs_shift(uint32_t keysym)
{
	return keys_us_base(keysym) != keysym;
}

uint32_t keys_scancode(uint32_t keysym)
{
	size_t i;

	if (keys_is_printable_ascii(keysym)) {
		uint32_t base = keys_us_base(keysym);

		for (i = 0; i < KEYS_ARRAY_SIZE(keys_scan_rows); i++) {
			const char *p =
				strchr(keys_scan_rows[i].chars, (int)base);

			if (p)
				return keys_scan_rows[i].first +
				       (uint32_t)(p - keys_scan_rows[i].chars);
		}
		return 0;
	}
	for (i = 0; i < KEYS_ARRAY_SIZE(keys_scans); i++) {
		if (keys_scans[i].keysym == keysym)
			return keys_scans[i].code;
	}
	return 0;
}

uint32_t keys_from_codepoint(uint32_t cp)
{
	switch (cp) {
	case '\n':
		return XK_Return;
	case '\t':
		return XK_Tab;
	case '\b':
		return XK_BackSpace;
	case 0x1b:
		return XK_Escape;
	}
	if (keys_is_printable_ascii(cp) || (cp >= 0xa0 && cp <= 0xff))
		return cp;
	if (cp < 0x100)
		return 0; /* C0, DEL, C1 controls */
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 0;
	return KEYS_UNICODE_BASE | cp;
}

/* Candidates in the order suggestions prefer on equal distance: the short
 * names first (what people type), then X11 names. */
static const char *keys_candidate(size_t i)
{
	if (i < KEYS_ARRAY_SIZE(keys_shorts))
		return keys_shorts[i].name;
	i -= KEYS_ARRAY_SIZE(keys_shorts);
	if (i < KEYS_ARRAY_SIZE(keys_xnames))
		return keys_xnames[i].name;
	return NULL;
}

#define KEYS_SUGGEST_CAP 32

size_t keys_suggest(const char *name, const char **out, size_t max)
{
	size_t dist[KEYS_SUGGEST_CAP];
	size_t n = 0, i, j;
	const char *cand;

	if (!name || !name[0] || !out || max == 0)
		return 0;
	if (max > KEYS_SUGGEST_CAP)
		max = KEYS_SUGGEST_CAP;
	for (i = 0; (cand = keys_candidate(i)); i++) {
		size_t d = strdist(name, cand);
		bool dup = false;

		if (!strdist_plausible(name, cand, d))
			continue;
		/* "eth", "Eth", "ETH": one suggestion, the first seen. */
		for (j = 0; j < n && !dup; j++)
			dup = strcasecmp(out[j], cand) == 0;
		if (dup)
			continue;
		/* Insert after every entry at least as close: stable, best
		 * first. */
		for (j = n; j > 0 && dist[j - 1] > d; j--)
			;
		if (j == max)
			continue;
		if (n < max)
			n++;
		memmove(&out[j + 1], &out[j], (n - 1 - j) * sizeof(*out));
		memmove(&dist[j + 1], &dist[j], (n - 1 - j) * sizeof(*dist));
		out[j] = cand;
		dist[j] = d;
	}
	return n;
}

/* Append to buf[size] holding *used bytes, truncating safely; *used keeps
 * counting past size so callers can tell the text was cut. */
static void keys_append(char *buf, size_t size, size_t *used, const char *fmt,
			...) __attribute__((format(printf, 4, 5)));

static void keys_append(char *buf, size_t size, size_t *used, const char *fmt,
			...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*used < size ? buf + *used : NULL,
		      *used < size ? size - *used : 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		*used += (size_t)n;
}

/* Error text for an unknown part: "unknown key 'entr' in 'ctrl-entr' (did
 * you mean 'enter'?)". Only the closest suggestions are named: one obvious
 * fix reads better than a list. */
static void keys_unknown_msg(char *msg, size_t msgsize, const char *part,
			     const char *text)
{
	const char *sugg[3];
	size_t n = keys_suggest(part, sugg, KEYS_ARRAY_SIZE(sugg));
	size_t used = 0, k = 0, i;

	while (k < n && strdist(part, sugg[k]) == strdist(part, sugg[0]))
		k++;
	keys_append(msg, msgsize, &used, "unknown key '%s'", part);
	if (strcmp(part, text) != 0)
		keys_append(msg, msgsize, &used, " in '%s'", text);
	for (i = 0; i < k; i++) {
		const char *sep = ", ";

		if (i == 0)
			sep = " (did you mean ";
		else if (i + 1 == k)
			sep = " or ";
		keys_append(msg, msgsize, &used, "%s'%s'", sep, sugg[i]);
	}
	if (k > 0)
		keys_append(msg, msgsize, &used, "?)");
	if (k == 0)
		keys_append(msg, msgsize, &used,
			    " (`vncbot keys` lists the names)");
}

static bool keys_chord_fail(size_t *bad_offset, size_t offset)
{
	if (bad_offset)
		*bad_offset = offset;
	return false;
}

bool keys_parse_chord(const char *text, struct keys_chord *out, char *msg,
		      size_t msgsize, size_t *bad_offset)
{
	struct keys_chord chord = { 0 };
	char part[KEYS_NAME_MAX];
	size_t i = 0;

	if (!msg)
		msgsize = 0;
	if (!text || !text[0]) {
		snprintf(msg, msgsize,
			 "empty key chord (e.g. 'enter', 'ctrl-c')");
		return keys_chord_fail(bad_offset, 0);
	}
	for (;;) {
		size_t start = i, len, k;
		uint32_t ks;

		/* A separator where a key should start is the key itself;
		 * the '+' of "U+20AC" separates nothing. */
		if (text[i] == '-' || text[i] == '+')
			len = 1;
		else
			len = keys_unicode_len(text + i);
		if (len == 0)
			len = strcspn(text + i, "-+");
		if (len == 0) {
			snprintf(msg, msgsize,
				 "missing key after '%c' at the end of '%s'",
				 text[i - 1], text);
			return keys_chord_fail(bad_offset, i);
		}
		if (len >= sizeof(part)) {
			snprintf(msg, msgsize,
				 "unknown key '%.*s...' in '%.*s...'", 20,
				 text + start, 40, text);
			return keys_chord_fail(bad_offset, start);
		}
		memcpy(part, text + start, len);
		part[len] = '\0';
		if (!keys_from_name(part, &ks)) {
			keys_unknown_msg(msg, msgsize, part, text);
			return keys_chord_fail(bad_offset, start);
		}
		for (k = 0; k < chord.count; k++) {
			if (chord.keysym[k] == ks) {
				snprintf(msg, msgsize,
					 "key '%s' appears twice in '%s'", part,
					 text);
				return keys_chord_fail(bad_offset, start);
			}
		}
		if (chord.count == KEYS_CHORD_MAX) {
			snprintf(msg, msgsize, "too many keys in '%s' (at most %d)",
				 text, KEYS_CHORD_MAX);
			return keys_chord_fail(bad_offset, start);
		}
		chord.keysym[chord.count++] = ks;
		i += len;
		if (!text[i])
			break;
		if (text[i] != '-' && text[i] != '+') {
			snprintf(msg, msgsize,
				 "expected '-' or '+' after '%s' in '%s', found '%c'",
				 part, text, text[i]);
			return keys_chord_fail(bad_offset, i);
		}
		i++;
	}
	if (out)
		*out = chord;
	return true;
}

/* Decode one UTF-8 sequence at s[0..len); returns its length, or 0 if it is
 * not valid UTF-8 (truncated, overlong, a surrogate, above U+10FFFF). */
static size_t keys_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t n, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Writes the strokes that type keysym ks: Shift_L around it if a US
 * keyboard needs Shift for it. Returns how many (2 or 4); strokes may be NULL
 * to count only. */
static size_t keys_put_char(struct keys_stroke *strokes, uint32_t ks)
{
	bool shift = keys_needs_shift(ks);
	size_t n = 0;

	if (!strokes)
		return shift ? 4 : 2;
	if (shift)
		strokes[n++] = (struct keys_stroke){ XK_Shift_L, true };
	strokes[n++] = (struct keys_stroke){ ks, true };
	strokes[n++] = (struct keys_stroke){ ks, false };
	if (shift)
		strokes[n++] = (struct keys_stroke){ XK_Shift_L, false };
	return n;
}

/* One pass over text: checks it and counts the strokes, or, with strokes
 * non-NULL, also writes them. Returns the count, or -1 with msg and
 * *bad_offset set. */
static int64_t keys_text_pass(const unsigned char *text, size_t len,
			      struct keys_stroke *strokes, char *msg,
			      size_t msgsize, size_t *bad_offset)
{
	size_t i = 0, n = 0;

	while (i < len) {
		uint32_t cp = 0, ks = 0;
		size_t step = keys_utf8_decode(text + i, len - i, &cp);

		if (step == 0)
			snprintf(msg, msgsize, "invalid UTF-8 at byte %zu (0x%02x)",
				 i, text[i]);
		else if (!(ks = keys_from_codepoint(cp)))
			snprintf(msg, msgsize, "cannot type control character U+%04X at byte %zu",
				 (unsigned)cp, i);
		if (!ks) {
			if (bad_offset)
				*bad_offset = i;
			return -1;
		}
		n += keys_put_char(strokes ? strokes + n : NULL, ks);
		i += step;
	}
	return (int64_t)n;
}

int64_t keys_text_strokes(const char *text, size_t len, struct keys_stroke *out,
			  char *msg, size_t msgsize, size_t *bad_offset)
{
	if (!msg)
		msgsize = 0;
	if (!text && len) {
		snprintf(msg, msgsize, "no text");
		return -1;
	}
	return keys_text_pass((const unsigned char *)text, len, out, msg, msgsize, bad_offset);
}

int keys_text_to_strokes(const char *text, size_t len, struct keys_stroke **out,
			 size_t *count, char *msg, size_t msgsize,
			 size_t *bad_offset)
{
	struct keys_stroke *strokes;
	int64_t n;

	if (!msg)
		msgsize = 0;
	n = keys_text_strokes(text, len, NULL, msg, msgsize, bad_offset);
	if (n < 0)
		return -1;
	/* At least one element, so success always hands back a pointer. */
	strokes = calloc(n ? (size_t)n : 1, sizeof(*strokes));
	if (!strokes) {
		snprintf(msg, msgsize, "out of memory for %lld key strokes",
			 (long long)n);
		return -1;
	}
	keys_text_strokes(text, len, strokes, msg, msgsize, bad_offset);
	*out = strokes;
	*count = (size_t)n;
	return 0;
}

bool keys_us_typable(uint32_t cp)
{
	return keys_is_printable_ascii(cp) || cp == '\n' || cp == '\t' ||
	       cp == '\b' || cp == 0x1b;
}

size_t keys_us_untypable(const char *text, size_t len, size_t from,
			 uint32_t *cp, size_t *nbytes)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = from;

	while (i < len) {
		uint32_t c = 0;
		size_t step = keys_utf8_decode(s + i, len - i, &c);

		if (step == 0 || !keys_us_typable(c)) {
			if (cp)
				*cp = step ? c : KEYS_BAD_UTF8;
			if (nbytes)
				*nbytes = step ? step : 1;
			return i;
		}
		i += step;
	}
	return len;
}

/* Windows-1252 0x80..0x9f, where it differs from Latin-1 (0 where unused). */
static const uint16_t keys_cp1252_high[32] = {
	0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
	0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
};

int keys_windows_alt_code(uint32_t cp)
{
	size_t i;

	if (keys_is_printable_ascii(cp) || (cp >= 0xa0 && cp <= 0xff))
		return (int)cp;
	for (i = 0; i < KEYS_ARRAY_SIZE(keys_cp1252_high); i++)
		if (keys_cp1252_high[i] && keys_cp1252_high[i] == cp)
			return (int)(0x80 + i);
	return -1;
}

/* One row of `vncbot keys`: what to type, the X11 name keys_name() prints,
 * the keysym, the scancode if the key has one, and the other X11 names. */
static void keys_list_row(FILE *out, const char *names, uint32_t keysym)
{
	const char *canon = keys_name(keysym, NULL, 0);
	char aliases[96] = "";
	size_t i, used = 0;
	uint32_t sc = keys_scancode(keysym);

	for (i = 0; i < KEYS_ARRAY_SIZE(keys_xnames); i++) {
		if (keys_xnames[i].keysym == keysym &&
		    strcmp(keys_xnames[i].name, canon) != 0)
			keys_append(aliases, sizeof(aliases), &used, " %s",
				    keys_xnames[i].name);
	}
	fprintf(out, "  %-22s %-16s 0x%04x", names, canon, (unsigned)keysym);
	if (sc)
		fprintf(out, "  0x%02x", (unsigned)sc);
	else if (aliases[0])
		fprintf(out, "  %4s", "-");
	if (aliases[0])
		fprintf(out, "      also%s", aliases);
	fputc('\n', out);
}

static void keys_list_group(FILE *out, enum keys_group group)
{
	size_t i, j;

	for (i = 0; i < KEYS_ARRAY_SIZE(keys_shorts); i++) {
		char names[80];
		size_t used = 0;
		bool seen = false;

		if (keys_shorts[i].group != group)
			continue;
		/* One row per key: its first short name gathers the others. */
		for (j = 0; j < i && !seen; j++)
			seen = keys_shorts[j].keysym == keys_shorts[i].keysym;
		if (seen)
			continue;
		names[0] = '\0';
		for (j = i; j < KEYS_ARRAY_SIZE(keys_shorts); j++) {
			if (keys_shorts[j].keysym == keys_shorts[i].keysym)
				keys_append(names, sizeof(names), &used, "%s%s",
					    used ? " " : "",
					    keys_shorts[j].name);
		}
		keys_list_row(out, names, keys_shorts[i].keysym);
	}
}

static void keys_list_heading(FILE *out, const char *title)
{
	fprintf(out, "\n%s\n  %-22s %-16s %-6s  %s\n", title, "you type",
		"X11 name", "keysym", "scancode");
}

void keys_list(FILE *out)
{
	uint32_t c;
	size_t i, col;

	fputs("Key names are case-insensitive. A chord joins keys with '-' or '+',\n"
	      "pressed in order and released in reverse: ctrl-alt-del,\n"
	      "ctrl+shift+esc, super-r, ctrl-- (ctrl and minus), shift-+.\n"
	      "Scancodes are XT set 1 (QEMU numbering: 0x80 | code after E0).\n",
	      out);

	keys_list_heading(out, "Modifiers and locks");
	keys_list_group(out, KEYS_GROUP_MODIFIER);

	keys_list_heading(out, "Editing and navigation");
	keys_list_group(out, KEYS_GROUP_EDITING);

	keys_list_heading(out, "Function keys");
	for (c = XK_F1; c <= XK_F24; c++) {
		char low[8];

		snprintf(low, sizeof(low), "f%u", (unsigned)(c - XK_F1 + 1));
		keys_list_row(out, low, c);
	}
	fprintf(out, "  %-22s %-16s 0x%04x..0x%04x\n", "f25 .. f35",
		"F25 .. F35", (unsigned)XK_F25, (unsigned)XK_F35);

	keys_list_heading(out, "Keypad (also KP_0, KP_Enter, ...)");
	keys_list_group(out, KEYS_GROUP_KEYPAD);

	fputs("\nCharacters: a single printable character is its own name (key a,\n"
	      "key /, key -); so are a-z, A-Z and 0-9. * = typed with Shift.\n"
	      "  char X11 name     scancode\n", out);
	for (c = 0x20, col = 0; c <= 0x7e; c++) {
		bool eol;

		if (isalnum((int)c))
			continue;
		eol = ++col % 3 == 0 || c == 0x7e;
		fprintf(out, "  %c%c  %-13s 0x%02x%s", (int)c,
			keys_needs_shift(c) ? '*' : ' ', keys_name(c, NULL, 0),
			(unsigned)keys_scancode(c), eol ? "\n" : "  ");
	}

	fputs("\nAny Unicode character: U+20AC or U20AC (keysym 0x01000000 + code\n"
	      "point; Latin-1 uses its own keysyms). Any keysym by number: 0x1008ff13.\n",
	      out);

	fprintf(out, "\nEvery X11 keysym name known (%zu, case-insensitive):\n",
		KEYS_ARRAY_SIZE(keys_xnames));
	for (i = 0, col = 0; i < KEYS_ARRAY_SIZE(keys_xnames); i++) {
		bool eol = ++col % 2 == 0 || i + 1 == KEYS_ARRAY_SIZE(keys_xnames);

		fprintf(out, "  %-27s 0x%04x%s", keys_xnames[i].name,
			(unsigned)keys_xnames[i].keysym, eol ? "\n" : "   ");
	}
}
