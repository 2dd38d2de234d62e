/* keys.h: key names <-> X11 keysyms <-> PC (XT) scancodes, chord parsing, and
 * text -> key strokes on a US keyboard layout. Pure functions over static
 * tables: no I/O except keys_list(), no allocation except keys_text_to_strokes(). */
#ifndef VNCBOT_KEYS_H
#define VNCBOT_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define KEYS_CHORD_MAX 8 /* keys in one chord, modifiers included */

/* A chord: keys pressed in order, released in reverse order. */
struct keys_chord {
	size_t count;
	uint32_t keysym[KEYS_CHORD_MAX];
};

/* One key event to send. */
struct keys_stroke {
	uint32_t keysym;
	bool down;
};

/* Look up a key name, case-insensitively: X11 keysym names ("Return",
 * "BackSpace", "F12", "Super_L", "KP_Enter", "a", "exclam"), the short names
 * people type ("enter", "esc", "bsp", "pgup", "win", "f1".."f24", ...), the
 * names "minus" and "plus", single printable characters ("a", "-", "+", "/"),
 * and Unicode forms "U+20AC" / "U20AC". Returns true and sets *keysym if known. */
bool keys_from_name(const char *name, uint32_t *keysym);

/* Canonical display name of a keysym ("Control_L", "a", "U+20AC");
 * never NULL. Returns a pointer to static storage or to buf (size >= 16). */
const char *keys_name(uint32_t keysym, char *buf, size_t bufsize);

/* XT scancode for QEMU's Extended Key Event on a US keyboard, with E0-prefixed
 * codes as 0x80 | code (QEMU's convention); 0 if the key has none. For a
 * shifted character (e.g. '!') it is the code of the key that carries it ('1'). */
uint32_t keys_scancode(uint32_t keysym);

/* Parse a chord such as "ctrl-alt-del", "ctrl+shift+esc", "super-r", "-",
 * "ctrl--" (Control + minus). Parts are separated by '-' or '+'; a '-' or '+'
 * where a part should start is itself the part. On error returns false and
 * writes a one-line message into msg (e.g. "unknown key 'entr' in 'ctrl-entr'
 * (did you mean 'enter'?)"), and the byte offset of the bad part in text into
 * *bad_offset (may be NULL). */
bool keys_parse_chord(const char *text, struct keys_chord *out, char *msg,
		      size_t msgsize, size_t *bad_offset);

/* Up to max known names nearest to name (edit distance, case-insensitive),
 * best first, only those close enough to be a plausible typo. Returns count. */
size_t keys_suggest(const char *name, const char **out, size_t max);

/* Is this keysym an Enter key (Return or keypad Enter)? */
bool keys_is_enter(uint32_t keysym);

/* Does typing this keysym on a US keyboard need Shift held? ('A', '!', '~': yes) */
bool keys_needs_shift(uint32_t keysym);

/* Keysym that types this Unicode code point: ASCII and Latin-1 map to
 * themselves, '\n' -> Return, '\t' -> Tab, '\b' -> BackSpace, '\x1b' -> Escape,
 * other code points >= 0x100 -> 0x01000000 | cp. Returns 0 for code points that
 * cannot be typed (other control characters, surrogates, > 0x10FFFF). */
uint32_t keys_from_codepoint(uint32_t cp);

/* Can a US keyboard type this Unicode code point as text, so that a console
 * that turns keysyms into keys through a US keymap (QEMU's default en-us) has
 * a key for it? Printable ASCII, and '\n', '\t', '\b', ESC (Return, Tab,
 * BackSpace, Escape). Anything else depends on the console's keyboard layout:
 * QEMU drops it ("no scancode found for keysym"). */
bool keys_us_typable(uint32_t cp);

/* keys_us_untypable() reports a byte that is not valid UTF-8 as this. */
#define KEYS_BAD_UTF8 0xffffffffu

/* The first character of the UTF-8 text[from..len) that keys_us_typable()
 * refuses: returns its byte offset, or len if every character is typable, and
 * sets *cp (KEYS_BAD_UTF8 for an invalid byte) and *nbytes (its length; 1 for
 * an invalid byte). cp and nbytes may be NULL. */
size_t keys_us_untypable(const char *text, size_t len, size_t from,
			 uint32_t *cp, size_t *nbytes);

/* The Windows Alt code that types cp in the Western code page (Windows-1252:
 * hold Alt, type 0 and this number on the keypad), or -1 if it has none.
 * Printable ASCII gives its own code; the point is the others. */
int keys_windows_alt_code(uint32_t cp);

/* Turn UTF-8 text into key strokes: each character down then up, with
 * Shift_L down/up around the characters that need it on a US layout.
 * On success returns 0 and sets *out (malloc'ed, caller frees) and *count.
 * On invalid UTF-8 or an untypable character returns -1, writes a message
 * into msg and the byte offset into *bad_offset (may be NULL). */
int keys_text_to_strokes(const char *text, size_t len, struct keys_stroke **out,
			 size_t *count, char *msg, size_t msgsize,
			 size_t *bad_offset);

/* keys_text_to_strokes into memory of the caller's choosing (a secret's
 * strokes go to secmem): with out NULL, checks text and returns how many
 * strokes it makes; else also writes them to out, which must have room for
 * that many. Returns the count, or -1 with msg and *bad_offset (may be NULL)
 * set as keys_text_to_strokes does. */
int64_t keys_text_strokes(const char *text, size_t len, struct keys_stroke *out,
			  char *msg, size_t msgsize, size_t *bad_offset);

/* Print every known name, grouped, with its keysym, for `vncbot keys`. */
void keys_list(FILE *out);

#endif
