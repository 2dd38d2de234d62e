/* typable.c: text a console with a US keymap (QEMU) cannot type, found before
 * anything is sent: walks the AST (walk.c) following the variables it can know
 * (-D, set, default; not those a branch decides), checks the strings and
 * secrets statements type (ARG_TYPED), and lists layout-dependent strings for
 * `check`. What a US keyboard types is keys.c's; values known only when typed
 * are interp.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"
#include "script/script.h"
#include "script/stmt.h"

/* The consoles known to type through a US keymap, as the messages name them. */
#define US_KEYMAP_CONSOLE "a QEMU console"

/* ---- messages ---- */

/* "'é' (U+00E9)" into buf; an invisible or invalid character by its code only. */
static const char *char_shown(const char *text, size_t nbytes, uint32_t cp, char *buf,
			      size_t size)
{
	if (cp == KEYS_BAD_UTF8)
		snprintf(buf, size, "a byte that is not UTF-8 (0x%02X)",
			 (unsigned)(unsigned char)text[0]);
	else if (cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad)
		snprintf(buf, size, "U+%04X", (unsigned)cp);
	else
		snprintf(buf, size, "'%.*s' (U+%04X)", (int)nbytes, text, (unsigned)cp);
	return buf;
}

/* The way to type the character at text (nbytes long, code point cp) anyway,
 * for the hint. */
static void other_way_hint(struct vb_error *err, const char *text, size_t nbytes, uint32_t cp)
{
	int alt = cp == KEYS_BAD_UTF8 ? -1 : keys_windows_alt_code(cp);

	if (alt >= 0)
		vb_hint(err, "type it another way, e.g. as a Windows alt code (Alt+0%03d types "
			"'%.*s'): down alt; key kp0 kp%d kp%d kp%d; up alt; or use a different "
			"string", alt, (int)nbytes, text, alt / 100, alt / 10 % 10, alt % 10);
	else
		vb_hint(err, "type it another way (an input method or a character map in the "
			"guest), or use a different string");
}

/* English ordinals for "the 5th character". */
static const char *ordinal_suffix(size_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	switch (n % 10) {
	case 1: return "st";
	case 2: return "nd";
	case 3: return "rd";
	default: return "th";
	}
}

/* ---- positions ---- */

/* Where in the source the character at byte off of a literal part starts:
 * exact while the text before it reads in the source as it is (no escape
 * before it); else the start of the part. */
static struct src_pos char_pos(const struct str_part *part, size_t off)
{
	struct src_pos pos = part->pos;
	const char *s, *end;
	int line = 1, col = 1;
	size_t i, chars = 0;

	if (!pos.src)
		return pos;
	s = pos.src->text;
	end = s + pos.src->len;
	while (s < end && line < pos.line)
		if (*s++ == '\n')
			line++;
	while (s < end && col < pos.col) {
		s++;
		if (s == end || (*s & 0xC0) != 0x80)
			col++;
	}
	if ((size_t)(end - s) < off || memcmp(s, part->text, off) != 0)
		return pos;
	for (i = 0; i < off; i++)
		if ((part->text[i] & 0xC0) != 0x80)
			chars++;
	pos.col += (int)chars;
	return pos;
}

/* ---- checks ---- */

int typable_check_str(const struct ast_str *s, const struct vars *vars, struct vb_error *err)
{
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		const char *text = part->is_var ? vars_get(vars, part->text) : part->text;
		size_t len = part->is_var ? (text ? strlen(text) : 0) : part->len;
		size_t nbytes = 0, off;
		uint32_t cp = 0;
		char shown[64];

		if (!text)
			continue; /* not known here */
		off = keys_us_untypable(text, len, 0, &cp, &nbytes);
		if (off == len)
			continue;
		char_shown(text + off, nbytes, cp, shown, sizeof(shown));
		if (part->is_var)
			source_error(err, part->pos, "%s in the value of ${%s} cannot be typed on "
				     "%s: it turns keysyms into keys with a US keymap and "
				     "drops the characters it has no key for", shown, part->text,
				     US_KEYMAP_CONSOLE);
		else
			source_error(err, char_pos(part, off), "%s cannot be typed on %s: it "
				     "turns keysyms into keys with a US keymap and drops the "
				     "characters it has no key for", shown, US_KEYMAP_CONSOLE);
		other_way_hint(err, text + off, nbytes, cp);
		return -1;
	}
	return 0;
}

int typable_check_secret(const char *name, const char *value, struct src_pos pos,
			 struct vb_error *err)
{
	size_t len = strlen(value), off = keys_us_untypable(value, len, 0, NULL, NULL);
	size_t i, nth = 1;

	if (off == len)
		return 0;
	/* Which character, counted as a person counts them; never which one. */
	for (i = 0; i < off; i++)
		if ((value[i] & 0xC0) != 0x80)
			nth++;
	source_error(err, pos, "secret '%s' has a character (the %zu%s) that %s cannot type: "
		     "it turns keysyms into keys with a US keymap and drops the characters "
		     "it has no key for", name, nth, ordinal_suffix(nth), US_KEYMAP_CONSOLE);
	return vb_hint(err, "give a secret made of characters a US keyboard types, or type "
		       "that character another way (on Windows, Alt and its code on the "
		       "keypad)");
}

/* ---- what a statement types ---- */

/* Call on_str for each string st types (ARG_TYPED: type's text, boot's
 * command) and on_secret for each secret it types, with w as it is there.
 * Returns 0 or the first nonzero result. */
static int visit_typed(struct walk *w, const struct ast_stmt *st,
		       int (*on_str)(struct walk *w, const struct ast_str *s),
		       int (*on_secret)(struct walk *w, const char *name, struct src_pos pos))
{
	size_t i;
	int rc = 0;

	for (i = 0; i < st->form->nargs && rc == 0; i++) {
		const struct stmt_arg *a = &st->form->args[i];

		if (!(a->flags & ARG_TYPED) || !stmt_given(st, i))
			continue;
		if (a->kind == ARG_SECRET)
			rc = on_secret ? on_secret(w, *(char *const *)stmt_field(st, a), st->pos) : 0;
		else
			rc = on_str(w, stmt_field(st, a));
	}
	return rc;
}

/* ---- before the run: refuse what the console cannot type ---- */

struct check_ctx {
	const struct vars *secrets;
	struct vars checked; /* secrets checked already */
	struct vb_error *err;
};

static int check_str(struct walk *w, const struct ast_str *s)
{
	struct check_ctx *c = w->ctx;

	return typable_check_str(s, &w->known, c->err);
}

static int check_secret(struct walk *w, const char *name, struct src_pos pos)
{
	struct check_ctx *c = w->ctx;
	const char *value = vars_get(c->secrets, name);

	if (!value || vars_get(&c->checked, name))
		return 0; /* missing: the run says so where it is typed */
	vars_set(&c->checked, name, "");
	return typable_check_secret(name, value, pos, c->err);
}

static int check_visit(struct walk *w, const struct ast_stmt *st)
{
	return visit_typed(w, st, check_str, check_secret);
}

int script_check_typing(const struct script *script, const struct vars *defines,
			const struct vars *secrets, const struct interp_target *target,
			struct vb_error *err)
{
	struct check_ctx c = { .secrets = secrets, .err = err };
	struct walk w = { .visit = check_visit, .ctx = &c };
	int rc;

	if (!target->us_keymap || !target->us_keymap(target->ctx))
		return 0;
	rc = walk_script(&w, &script->top, defines);
	vars_clear(&c.checked);
	return rc < 0 ? -1 : 0;
}

/* ---- check: the strings that depend on the layout ---- */

#define REPORT_CHARS_MAX 8

struct report_ctx {
	FILE *out;
	size_t lines;
};

static int report_str(struct walk *w, const struct ast_str *s)
{
	struct report_ctx *r = w->ctx;
	uint32_t seen[REPORT_CHARS_MAX];
	char shown[REPORT_CHARS_MAX][64];
	struct strbuf line = { 0 };
	size_t nseen = 0, more = 0, i, k;
	char where[300];

	strbuf_add(&line, "", 0);
	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		const char *text = part->is_var ? vars_get(&w->known, part->text) : part->text;
		size_t len = part->is_var ? (text ? strlen(text) : 0) : part->len;
		size_t off = 0, nbytes = 0;
		uint32_t cp = 0;

		while (text && (off = keys_us_untypable(text, len, off, &cp, &nbytes)) < len) {
			int dup = 0;

			for (k = 0; k < nseen && !dup; k++)
				dup = seen[k] == cp;
			if (!dup && nseen == REPORT_CHARS_MAX) {
				more++;
			} else if (!dup) {
				char_shown(text + off, nbytes, cp, shown[nseen], sizeof(shown[0]));
				seen[nseen++] = cp;
			}
			off += nbytes;
		}
	}
	/* "'a' (U+..), 'b' (U+..) and 'c' (U+..)", or "... and 2 more". */
	for (k = 0; k < nseen; k++)
		strbuf_printf(&line, "%s%s", k == 0 ? "" : k + 1 == nseen && !more ? " and " : ", ",
			    shown[k]);
	if (more)
		strbuf_printf(&line, " and %zu more", more);
	if (nseen) {
		fprintf(r->out, "%s: %s %s on the console's keyboard layout; %s cannot type %s\n",
			source_where(s->pos, where, sizeof(where)), line.p,
			nseen + more > 1 ? "depend" : "depends", US_KEYMAP_CONSOLE,
			nseen + more > 1 ? "them" : "it");
		r->lines++;
	}
	free(line.p);
	return 0;
}

/* Secrets: no values here; the run checks them. */
static int report_visit(struct walk *w, const struct ast_stmt *st)
{
	return visit_typed(w, st, report_str, NULL);
}

size_t script_layout_report(const struct script *script, const struct vars *defines, FILE *out)
{
	struct report_ctx r = { .out = out };
	struct walk w = { .visit = report_visit, .ctx = &r };

	walk_script(&w, &script->top, defines);
	return r.lines;
}
