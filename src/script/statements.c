/* statements.c: the statement table and, for each statement, how it parses
 * its arguments, how it reads in a plan or log line, and what it does.
 * Generic work (blocks, variables, the target) is in parser.c and interp.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "keys/keys.h"
#include "script/packer.h"
#include "script/stmt.h"
#include "util/xalloc.h"

/* ---- text helpers shared by plans and logs ---- */

void text_add(struct text *t, const char *s, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			abort();
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
}

void text_printf(struct text *t, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		text_add(t, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static void quote_body(struct text *t, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"': text_add(t, "\\\"", 2); break;
		case '\\': text_add(t, "\\\\", 2); break;
		case '$': text_add(t, "\\$", 2); break;
		case '\n': text_add(t, "\\n", 2); break;
		case '\t': text_add(t, "\\t", 2); break;
		default:
			if (c < 0x20 || c == 0x7f)
				text_printf(t, "\\u{%X}", c);
			else
				text_add(t, (const char *)&s[i], 1);
		}
	}
}

void text_quote(struct text *t, const char *s, size_t n)
{
	text_add(t, "\"", 1);
	quote_body(t, s, n);
	text_add(t, "\"", 1);
}

/* Can s be shown as a '...' string: literal, no quote, no control bytes,
 * and worth it (it has a backslash or a double quote to escape)? */
static int reads_better_raw(const struct ast_str *s)
{
	size_t i, k;
	int worth = 0;

	for (i = 0; i < s->nparts; i++) {
		if (s->parts[i].is_var)
			return 0;
		for (k = 0; k < s->parts[i].len; k++) {
			unsigned char c = (unsigned char)s->parts[i].text[k];

			if (c == '\'' || c < 0x20 || c == 0x7f)
				return 0;
			if (c == '\\' || c == '"')
				worth = 1;
		}
	}
	return worth;
}

void text_ast_str(struct text *t, const struct ast_str *s, const struct vars *vars)
{
	size_t i;

	if (reads_better_raw(s)) {
		text_add(t, "'", 1);
		for (i = 0; i < s->nparts; i++)
			text_add(t, s->parts[i].text, s->parts[i].len);
		text_add(t, "'", 1);
		return;
	}

	text_add(t, "\"", 1);
	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		const char *value = part->is_var ? vars_get(vars, part->text) : NULL;

		if (part->is_var && !value)
			text_printf(t, "${%s}", part->text);
		else if (part->is_var)
			quote_body(t, value, strlen(value));
		else
			quote_body(t, part->text, part->len);
	}
	text_add(t, "\"", 1);
}

/* ---- key, down, up ---- */

static int parse_key(struct parser *p, struct ast_stmt *st)
{
	if (parser_at_end(p))
		return parser_error(p, st->pos,
			"'key' needs at least one key or chord, as in: key ctrl-alt-del");
	while (!parser_at_end(p)) {
		const char *word;
		struct src_pos pos;
		struct keys_chord chord;
		char msg[256];
		size_t bad = 0;

		if (parser_word(p, &word, &pos, "a key name or chord such as enter or ctrl-alt-del") < 0)
			return -1;
		if (!keys_parse_chord(word, &chord, msg, sizeof(msg), &bad)) {
			pos.col += (int)bad;
			return parser_error(p, pos, "%s", msg);
		}
		st->chords = xgrow(st->chords, st->nchords, sizeof(*st->chords));
		st->chord_texts = xgrow(st->chord_texts, st->nchords, sizeof(*st->chord_texts));
		st->chords[st->nchords] = chord;
		st->chord_texts[st->nchords] = strdup(word);
		if (!st->chord_texts[st->nchords])
			abort();
		st->nchords++;
	}
	return 0;
}

static void describe_key(const struct ast_stmt *st, const struct vars *vars,
			 struct text *out)
{
	size_t i;

	(void)vars;
	text_add(out, "key", 3);
	for (i = 0; i < st->nchords; i++)
		text_printf(out, " %s", st->chord_texts[i]);
}

static int exec_key(struct interp *in, const struct ast_stmt *st)
{
	size_t i, k;

	for (i = 0; i < st->nchords; i++) {
		const struct keys_chord *c = &st->chords[i];

		for (k = 0; k < c->count; k++)
			if (interp_keysym(in, c->keysym[k], 1) < 0)
				return -1;
		for (k = c->count; k-- > 0;)
			if (interp_keysym(in, c->keysym[k], 0) < 0)
				return -1;
	}
	return 0;
}

static int parse_one_key(struct parser *p, struct ast_stmt *st)
{
	const char *word;
	struct src_pos pos;
	const char *near[3];
	size_t n;

	if (parser_word(p, &word, &pos, "a key name such as shift or ctrl") < 0)
		return -1;
	if (keys_from_name(word, &st->keysym)) {
		st->name = strdup(word);
		if (!st->name)
			abort();
		return 0;
	}
	n = keys_suggest(word, near, 3);
	if (n == 0)
		return parser_error(p, pos, "unknown key '%s' (vncbot keys lists them)", word);
	if (n == 1)
		return parser_error(p, pos, "unknown key '%s' (did you mean '%s'?)",
				    word, near[0]);
	return parser_error(p, pos, "unknown key '%s' (did you mean '%s' or '%s'?)",
			    word, near[0], near[1]);
}

static void describe_down(const struct ast_stmt *st, const struct vars *vars,
			  struct text *out)
{
	(void)vars;
	text_printf(out, "%s %s", st->def->name, st->name);
}

static int exec_down(struct interp *in, const struct ast_stmt *st)
{
	return interp_keysym(in, st->keysym, 1);
}

static int exec_up(struct interp *in, const struct ast_stmt *st)
{
	return interp_keysym(in, st->keysym, 0);
}

/* ---- type ---- */

/* The literal text of a string must be typable now, so that a script that
 * cannot be typed is refused before any key is sent; only a variable's value
 * is left to be checked when it is typed (interp_type). */
static int check_typable(struct parser *p, const struct ast_str *s)
{
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		struct keys_stroke *strokes;
		size_t n, bad = 0;
		char msg[256];

		if (s->parts[i].is_var)
			continue;
		if (keys_text_to_strokes(s->parts[i].text, s->parts[i].len, &strokes,
					 &n, msg, sizeof(msg), &bad) < 0)
			return parser_error(p, s->parts[i].pos,
					    "this string cannot be typed: %s", msg);
		free(strokes);
	}
	return 0;
}

static int parse_type(struct parser *p, struct ast_stmt *st)
{
	if (parser_next_is_word(p, "secret")) {
		const char *name;
		struct src_pos pos;

		parser_word(p, &name, &pos, "secret");
		if (parser_word(p, &name, &pos, "the name of a secret given with --secret") < 0)
			return -1;
		if (parser_use_secret(p, name, pos) < 0)
			return -1;
		st->name = strdup(name);
		if (!st->name)
			abort();
		return 0;
	}
	st->has_str = 1;
	if (parser_string(p, &st->str,
			  "a string to type (\"...\" or '...') or 'secret NAME'") < 0)
		return -1;
	return check_typable(p, &st->str);
}

static void describe_type(const struct ast_stmt *st, const struct vars *vars,
			  struct text *out)
{
	if (st->name)
		text_printf(out, "type <secret %s>", st->name);
	else {
		text_add(out, "type ", 5);
		text_ast_str(out, &st->str, vars);
	}
}

static int exec_type(struct interp *in, const struct ast_stmt *st)
{
	char *text;
	int rc;

	if (st->name)
		return interp_type_secret(in, st->name, st->pos);
	if (interp_check_typable(in, &st->str) < 0)
		return -1;
	text = interp_str(in, &st->str);
	rc = interp_type(in, text, strlen(text), st->str.pos);
	free(text);
	return rc;
}

/* ---- wait ---- */

static int parse_wait(struct parser *p, struct ast_stmt *st)
{
	return parser_duration(p, &st->ms);
}

static void describe_wait(const struct ast_stmt *st, const struct vars *vars,
			  struct text *out)
{
	(void)vars;
	if (st->ms % 1000)
		text_printf(out, "wait %ldms", st->ms);
	else
		text_printf(out, "wait %lds", st->ms / 1000);
}

static int exec_wait(struct interp *in, const struct ast_stmt *st)
{
	return interp_pause(in, st->ms);
}

/* ---- capture ---- */

static int parse_region(struct parser *p, struct screen_region *r);

static int parse_capture(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	if (parser_value(p, &st->str, "a file name for the PNG, as in: capture login.png") < 0)
		return -1;
	if (parser_next_is_word(p, "in")) {
		const char *w;

		parser_word(p, &w, NULL, "in");
		return parse_region(p, &st->region);
	}
	return 0;
}

static void describe_capture(const struct ast_stmt *st, const struct vars *vars,
			     struct text *out)
{
	text_add(out, "capture ", 8);
	text_ast_str(out, &st->str, vars);
	if (st->region.w || st->region.h)
		text_printf(out, " in %d,%d,%d,%d", st->region.x, st->region.y, st->region.w,
			    st->region.h);
}

static void describe_str_stmt(const struct ast_stmt *st, const struct vars *vars,
			      struct text *out)
{
	text_printf(out, "%s ", st->def->name);
	text_ast_str(out, &st->str, vars);
}

static int exec_capture(struct interp *in, const struct ast_stmt *st)
{
	char *path = interp_str(in, &st->str);
	int rc = interp_capture(in, path, &st->region);

	free(path);
	return rc;
}

/* ---- set, default ---- */

static int parse_set(struct parser *p, struct ast_stmt *st)
{
	const char *name;
	struct src_pos pos;

	if (parser_word(p, &name, &pos, "a variable name") < 0)
		return -1;
	if (!vars_valid_name(name, strlen(name)))
		return parser_error(p, pos,
			"'%s' is not a variable name (letters, digits and '_', not starting with a digit)",
			name);
	st->name = strdup(name);
	if (!st->name)
		abort();
	st->has_str = 1;
	if (parser_value(p, &st->str, "a value (\"...\", '...' or a word)") < 0)
		return -1;
	parser_define(p, name); /* after the value: `set A "${A}x"` needs A before */
	return 0;
}

static void describe_set(const struct ast_stmt *st, const struct vars *vars,
			 struct text *out)
{
	text_printf(out, "%s %s ", st->def->name, st->name);
	text_ast_str(out, &st->str, vars);
}

static int exec_set(struct interp *in, const struct ast_stmt *st)
{
	char *value = interp_str(in, &st->str);

	interp_set(in, st->name, value, strcmp(st->def->name, "default") == 0);
	free(value);
	return 0;
}

/* ---- include ---- */

static int parse_include(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	if (parser_literal(p, &st->str, "a file to include", "an include path") < 0)
		return -1;
	st->has_body = 1;
	return parser_include(p, &st->str, &st->body);
}

static int exec_body(struct interp *in, const struct ast_stmt *st)
{
	return interp_block(in, &st->body);
}

/* ---- step ---- */

static int parse_step(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	if (parser_string(p, &st->str, "the step's name in quotes, as in: step \"Log in\" { ... }") < 0)
		return -1;
	if (parser_next_is_block(p)) {
		st->has_body = 1;
		return parser_block(p, &st->body);
	}
	return 0;
}

static int exec_step(struct interp *in, const struct ast_stmt *st)
{
	char *name = interp_str(in, &st->str);
	int rc = 0;

	interp_step(in, name, 1, st->pos);
	if (st->has_body) {
		rc = interp_block(in, &st->body);
		if (rc == 0)
			interp_step(in, name, 0, st->pos);
	}
	free(name);
	return rc;
}

/* ---- fail ---- */

static int parse_fail(struct parser *p, struct ast_stmt *st)
{
	st->has_str = 1;
	return parser_string(p, &st->str, "a message saying why, as in: fail \"login screen never appeared\"");
}

static int exec_fail(struct interp *in, const struct ast_stmt *st)
{
	char *why = interp_str(in, &st->str);
	int rc = interp_fail(in, st->pos, why);

	free(why);
	return rc;
}

/* ---- boot (Packer boot_command strings) ---- */

#define BOOT_ACTIONS_MAX 4096

static int parse_boot(struct parser *p, struct ast_stmt *st)
{
	struct packer_action *acts;
	char msg[256];
	size_t bad = 0, i;
	long n;

	st->has_str = 1;
	if (parser_string(p, &st->str, "a Packer boot_command string, as in: boot \"<esc><wait>linux<enter>\"") < 0)
		return -1;
	for (i = 0; i < st->str.nparts; i++)
		if (st->str.parts[i].is_var)
			return 0; /* checked when it runs, with the values */
	acts = malloc(BOOT_ACTIONS_MAX * sizeof(*acts));
	if (!acts)
		abort();
	for (i = 0; i < st->str.nparts; i++) {
		const struct str_part *part = &st->str.parts[i];
		long k;

		n = packer_parse(part->text, part->len, acts, BOOT_ACTIONS_MAX, msg,
				 sizeof(msg), &bad);
		for (k = 0; n >= 0 && k < n; k++) {
			struct keys_stroke *strokes;
			size_t count, at = 0;

			if (acts[k].kind != PACKER_TEXT)
				continue;
			if (keys_text_to_strokes(acts[k].text, acts[k].len, &strokes, &count,
						 msg, sizeof(msg), &at) < 0) {
				n = -1;
				bad = acts[k].offset + at;
				break;
			}
			free(strokes);
		}
		if (n < 0) {
			struct src_pos pos = part->pos;

			free(acts);
			pos.col += (int)bad; /* close enough in one-line strings */
			return parser_error(p, pos, "%s", msg);
		}
	}
	free(acts);
	return 0;
}

static int exec_boot(struct interp *in, const struct ast_stmt *st)
{
	char *text = interp_str(in, &st->str), msg[256];
	struct packer_action *acts = malloc(BOOT_ACTIONS_MAX * sizeof(*acts));
	size_t bad = 0;
	long n, k;
	int rc = 0;

	if (!acts)
		abort();
	if (interp_check_typable(in, &st->str) < 0) {
		free(acts);
		free(text);
		return -1;
	}
	n = packer_parse(text, strlen(text), acts, BOOT_ACTIONS_MAX, msg, sizeof(msg), &bad);
	if (n < 0)
		rc = interp_fail(in, st->pos, msg);
	for (k = 0; rc == 0 && k < n; k++) {
		const struct packer_action *a = &acts[k];

		switch (a->kind) {
		case PACKER_TAP:
			rc = interp_keysym(in, a->keysym, 1);
			if (rc == 0)
				rc = interp_keysym(in, a->keysym, 0);
			break;
		case PACKER_DOWN:
			rc = interp_keysym(in, a->keysym, 1);
			break;
		case PACKER_UP:
			rc = interp_keysym(in, a->keysym, 0);
			break;
		case PACKER_TEXT:
			rc = interp_type(in, a->text, a->len, st->str.pos);
			break;
		case PACKER_WAIT:
			rc = interp_pause(in, a->ms);
			break;
		}
	}
	free(acts);
	free(text);
	return rc;
}

/* ---- move, click ---- */

/* "x,y" into st->region.x/.y. */
static int parse_point(struct parser *p, struct ast_stmt *st)
{
	const char *w;
	struct src_pos pos;
	long x, y;
	char *end;

	if (parser_word(p, &w, &pos, "a point X,Y such as 512,384") < 0)
		return -1;
	x = strtol(w, &end, 10);
	if (end == w || *end != ',' || *w < '0' || *w > '9')
		goto bad;
	w = end + 1;
	y = strtol(w, &end, 10);
	if (end == w || *end || *w < '0' || *w > '9' || x > 65535 || y > 65535)
		goto bad;
	st->region.x = (int)x;
	st->region.y = (int)y;
	st->has_str = 0;
	st->keysym = 1; /* a point was given */
	return 0;
bad:
	return parser_error(p, pos, "expected a point X,Y in pixels, such as 512,384");
}

static int parse_move(struct parser *p, struct ast_stmt *st)
{
	return parse_point(p, st);
}

static int parse_click(struct parser *p, struct ast_stmt *st)
{
	const char *w;
	struct src_pos pos;

	st->count = 1; /* left */
	if (!parser_at_end(p) && !parser_next_is_word(p, "left") &&
	    !parser_next_is_word(p, "middle") && !parser_next_is_word(p, "right") &&
	    parse_point(p, st) < 0)
		return -1;
	if (parser_at_end(p))
		return 0;
	if (parser_word(p, &w, &pos, "left, middle or right") < 0)
		return -1;
	if (strcmp(w, "left") == 0)
		st->count = 1;
	else if (strcmp(w, "middle") == 0)
		st->count = 2;
	else if (strcmp(w, "right") == 0)
		st->count = 4;
	else
		return parser_error(p, pos, "expected left, middle or right, found '%s'", w);
	return 0;
}

static void describe_pointer(const struct ast_stmt *st, const struct vars *vars,
			     struct text *out)
{
	(void)vars;
	text_add(out, st->def->name, strlen(st->def->name));
	if (st->keysym)
		text_printf(out, " %d,%d", st->region.x, st->region.y);
	if (strcmp(st->def->name, "click") == 0)
		text_printf(out, " %s", st->count == 4 ? "right" : st->count == 2 ? "middle" : "left");
}

static int exec_move(struct interp *in, const struct ast_stmt *st)
{
	return interp_pointer(in, st->region.x, st->region.y, 0);
}

/* A point given: move there first; none: click where the pointer is. */
static int exec_click(struct interp *in, const struct ast_stmt *st)
{
	int x = st->region.x, y = st->region.y;

	if (!st->keysym)
		interp_pointer_position(in, &x, &y);
	if (st->keysym && interp_pointer(in, x, y, 0) < 0)
		return -1;
	if (interp_pointer(in, x, y, st->count) < 0)
		return -1;
	return interp_pointer(in, x, y, 0);
}

/* ---- screen conditions: expect, if, retry ---- */

#define EXPECT_TIMEOUT_MS 30000

/* "x,y,w,h" with non-negative integers, w and h at least 1. */
static int parse_region(struct parser *p, struct screen_region *r)
{
	const char *w;
	struct src_pos pos;
	long v[4];
	char *end;
	int i;

	if (parser_word(p, &w, &pos, "a region X,Y,W,H such as 0,0,200,40") < 0)
		return -1;
	for (i = 0; i < 4; i++) {
		if (*w < '0' || *w > '9')
			break;
		v[i] = strtol(w, &end, 10);
		if (v[i] > 65535 || (i < 3 && *end != ',') || (i == 3 && *end != '\0'))
			break;
		w = end + 1;
	}
	if (i < 4 || v[2] < 1 || v[3] < 1)
		return parser_error(p, pos, "expected a region X,Y,W,H (pixels, width and "
				    "height at least 1), such as 0,0,200,40");
	*r = (struct screen_region){ (int)v[0], (int)v[1], (int)v[2], (int)v[3] };
	return 0;
}

/* 0.95, 95% -> 0.95; within [0, 1]. */
static int parse_fraction(struct parser *p, double *out, const char *what)
{
	const char *w;
	struct src_pos pos;
	char *end;
	double v;

	if (parser_word(p, &w, &pos, what) < 0)
		return -1;
	v = strtod(w, &end);
	if (end != w && *end == '%' && end[1] == '\0')
		v /= 100;
	else if (end == w || *end != '\0')
		v = -1;
	if (!(v >= 0 && v <= 1))
		return parser_error(p, pos, "expected %s: a fraction such as 0.95 or a share "
				    "such as 95%%, found '%s'", what, w);
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	uint32_t rgb;
} colour_names[] = {
	{ "black", 0x000000 }, { "white", 0xFFFFFF }, { "red", 0xFF0000 },
	{ "green", 0x00FF00 }, { "blue", 0x0000FF }, { "yellow", 0xFFFF00 },
	{ "cyan", 0x00FFFF }, { "magenta", 0xFF00FF }, { "grey", 0x808080 },
	{ "gray", 0x808080 },
};

/* A colour: 0xRRGGBB, "#RRGGBB" (quoted: # starts a comment), or a name. */
static int parse_colour(struct parser *p, uint32_t *rgb)
{
	struct ast_str str = { 0 };
	const char *w;
	char *end;
	size_t i;
	int rc = 0;

	if (parser_value(p, &str, "a colour: 0xRRGGBB, \"#RRGGBB\" or a name such as green") < 0)
		return -1;
	w = str.nparts == 1 && !str.parts[0].is_var ? str.parts[0].text : "";
	for (i = 0; i < sizeof(colour_names) / sizeof(colour_names[0]); i++)
		if (strcasecmp(w, colour_names[i].name) == 0) {
			*rgb = colour_names[i].rgb;
			goto out;
		}
	if (w[0] == '#')
		w++;
	else if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
		w += 2;
	if (strlen(w) == 6 && strspn(w, "0123456789abcdefABCDEF") == 6)
		*rgb = (uint32_t)strtoul(w, &end, 16);
	else
		rc = parser_error(p, str.pos, "expected a colour: 0xRRGGBB, \"#RRGGBB\" "
				  "(in quotes: # starts a comment) or one of black, white, red, "
				  "green, blue, yellow, cyan, magenta, grey");
out:
	ast_str_free(&str);
	return rc;
}

static int load_needle(struct parser *p, struct ast_stmt *st)
{
	struct ast_str str = { 0 };
	struct vb_error sub;
	char path[4096];
	int rc = 0;

	if (parser_literal(p, &str, "a needle PNG, as in: expect image \"login.png\"",
			   "a needle path") < 0) {
		rc = -1;
		goto out;
	}
	if (str.parts[0].text[0] == '/')
		snprintf(path, sizeof(path), "%s", str.parts[0].text);
	else
		snprintf(path, sizeof(path), "%s/%s", parser_dir(p), str.parts[0].text);
	if (screen_read_png(path, &st->cond.needle, &sub) < 0) {
		rc = parser_error(p, str.pos, "%s", sub.message);
		vb_hint(parser_error_of(p), "a needle is a PNG cut from a screenshot: "
			"capture \"needle.png\" in X,Y,W,H makes one");
		goto out;
	}
	st->needle_name = strdup(str.parts[0].text);
	if (!st->needle_name)
		abort();
out:
	ast_str_free(&str);
	return rc;
}

/* CONDITION [in X,Y,W,H] [similarity N] [tolerance N] [timeout DURATION] */
static int parse_cond(struct parser *p, struct ast_stmt *st, long default_timeout)
{
	struct screen_cond *c = &st->cond;
	const char *w;
	struct src_pos pos;

	st->has_cond = 1;
	st->timeout_ms = default_timeout;
	if (parser_word(p, &w, &pos, "a screen condition: settled, changed, image or colour") < 0)
		return -1;
	if (strcmp(w, "settled") == 0) {
		c->kind = COND_SETTLED;
		c->quiet_ms = 1000;
		if (!parser_at_end(p) && !parser_next_is_block(p) && !parser_next_is_word(p, "in") &&
		    !parser_next_is_word(p, "timeout") && parser_duration(p, &c->quiet_ms) < 0)
			return -1;
	} else if (strcmp(w, "changed") == 0) {
		c->kind = COND_CHANGED;
	} else if (strcmp(w, "image") == 0) {
		c->kind = COND_IMAGE;
		c->similarity = 0.95;
		if (load_needle(p, st) < 0)
			return -1;
	} else if (strcmp(w, "colour") == 0 || strcmp(w, "color") == 0) {
		c->kind = COND_COLOUR;
		c->tolerance = 24;
		if (parse_colour(p, &c->rgb) < 0 ||
		    parse_fraction(p, &c->share, "the share of the region it must cover") < 0)
			return -1;
	} else {
		return parser_error(p, pos, "unknown screen condition '%s': settled, changed, "
				    "image or colour", w);
	}
	while (!parser_at_end(p) && !parser_next_is_block(p)) {
		if (parser_word(p, &w, &pos, "in, similarity, tolerance or timeout") < 0)
			return -1;
		if (strcmp(w, "in") == 0) {
			if (parse_region(p, &c->region) < 0)
				return -1;
		} else if (strcmp(w, "timeout") == 0) {
			if (parser_duration(p, &st->timeout_ms) < 0)
				return -1;
		} else if (strcmp(w, "similarity") == 0 && c->kind == COND_IMAGE) {
			if (parse_fraction(p, &c->similarity, "the similarity") < 0)
				return -1;
		} else if (strcmp(w, "tolerance") == 0 && c->kind == COND_COLOUR) {
			const char *t;
			char *end;
			long v;

			if (parser_word(p, &t, &pos, "a tolerance from 0 to 255") < 0)
				return -1;
			v = strtol(t, &end, 10);
			if (end == t || *end || v < 0 || v > 255)
				return parser_error(p, pos, "expected a tolerance from 0 to 255, found '%s'", t);
			c->tolerance = (int)v;
		} else {
			return parser_error(p, pos, "unexpected '%s' in a screen condition; "
					    "options: in X,Y,W,H, timeout DURATION%s", w,
					    c->kind == COND_IMAGE ? ", similarity N" :
					    c->kind == COND_COLOUR ? ", tolerance N" : "");
		}
	}
	return 0;
}

static void describe_cond(const struct ast_stmt *st, struct text *out)
{
	const struct screen_cond *c = &st->cond;

	switch (c->kind) {
	case COND_SETTLED:
		text_printf(out, "settled %.3gs", c->quiet_ms / 1000.0);
		break;
	case COND_CHANGED:
		text_add(out, "changed", 7);
		break;
	case COND_IMAGE:
		text_add(out, "image ", 6);
		text_quote(out, st->needle_name, strlen(st->needle_name));
		text_printf(out, " similarity %.2f", c->similarity);
		break;
	case COND_COLOUR:
		text_printf(out, "colour 0x%06X %.0f%% tolerance %d", c->rgb, c->share * 100,
			    c->tolerance);
		break;
	}
	if (c->region.w)
		text_printf(out, " in %d,%d,%d,%d", c->region.x, c->region.y, c->region.w,
			    c->region.h);
	text_printf(out, " timeout %.3gs", st->timeout_ms / 1000.0);
}

static int parse_expect(struct parser *p, struct ast_stmt *st)
{
	return parse_cond(p, st, EXPECT_TIMEOUT_MS);
}

static void describe_expect(const struct ast_stmt *st, const struct vars *vars,
			    struct text *out)
{
	(void)vars;
	text_printf(out, "%s ", st->def->name);
	describe_cond(st, out);
}

static int exec_expect(struct interp *in, const struct ast_stmt *st)
{
	struct screen_watch w;
	char what[512], why[700];
	int met;

	if (interp_wait_screen(in, st, st->timeout_ms, &met, &w) < 0)
		return -1;
	if (met)
		return 0;
	screen_cond_describe(&st->cond, &w, st->needle_name, what, sizeof(what));
	snprintf(why, sizeof(why), "expect timed out after %.3gs waiting for %s",
		 st->timeout_ms / 1000.0, what);
	return interp_fail(in, st->pos, why);
}

static int parse_if(struct parser *p, struct ast_stmt *st)
{
	if (parse_cond(p, st, 0) < 0)
		return -1;
	st->has_body = 1;
	if (parser_block(p, &st->body) < 0)
		return -1;
	if (parser_take_else(p)) {
		st->has_else = 1;
		return parser_block(p, &st->else_body);
	}
	return 0;
}

static int exec_if(struct interp *in, const struct ast_stmt *st)
{
	int met;

	if (interp_wait_screen(in, st, st->timeout_ms, &met, NULL) < 0)
		return -1;
	if (met)
		return interp_block(in, &st->body);
	return st->has_else ? interp_block(in, &st->else_body) : 0;
}

static int parse_retry(struct parser *p, struct ast_stmt *st)
{
	const char *w;
	struct src_pos pos;
	char *end;
	long n;

	if (parser_word(p, &w, &pos, "how many tries, as in: retry 3 { ... }") < 0)
		return -1;
	n = strtol(w, &end, 10);
	if (end == w || *end || n < 1 || n > 100)
		return parser_error(p, pos, "expected a number of tries from 1 to 100, found '%s'", w);
	st->count = (int)n;
	st->has_body = 1;
	return parser_block(p, &st->body);
}

static void describe_retry(const struct ast_stmt *st, const struct vars *vars,
			   struct text *out)
{
	(void)vars;
	text_printf(out, "retry %d", st->count);
}

static int exec_retry(struct interp *in, const struct ast_stmt *st)
{
	int i, rc;

	for (i = 1; i <= st->count; i++) {
		rc = interp_try_block(in, &st->body);
		if (rc <= 0)
			return rc;
		if (i < st->count)
			interp_note_retry(in, st->pos, i, st->count);
	}
	return -1;
}

const struct stmt_def stmt_table[] = {
	{ "key", "key CHORD...",
	  "press and release each key or chord in turn (key enter; key ctrl-alt-del; key tab tab)",
	  parse_key, describe_key, exec_key, 1, 0 },
	{ "down", "down KEY", "press KEY and keep it held (released by 'up' or at exit)",
	  parse_one_key, describe_down, exec_down, 1, 0 },
	{ "up", "up KEY", "release a key held with 'down'",
	  parse_one_key, describe_down, exec_up, 1, 0 },
	{ "type", "type STRING | type secret NAME",
	  "type text exactly, Shift where a US keyboard needs it; a secret is typed but never shown",
	  parse_type, describe_type, exec_type, 1, 1 },
	{ "wait", "wait DURATION", "pause, e.g. wait 500ms, wait 2s, wait 1m30s",
	  parse_wait, describe_wait, exec_wait, 0, 0 },
	{ "capture", "capture FILE [in X,Y,W,H]",
	  "save a screenshot of the console (or of a region: a needle for expect image) as PNG",
	  parse_capture, describe_capture, exec_capture, 0, 0 },
	{ "set", "set NAME VALUE", "set a variable, used as ${NAME} in \"...\" strings",
	  parse_set, describe_set, exec_set, 0, 0 },
	{ "default", "default NAME VALUE", "set a variable unless -D or an earlier set gave it",
	  parse_set, describe_set, exec_set, 0, 0 },
	{ "include", "include FILE", "run another script file here (path relative to this file)",
	  parse_include, describe_str_stmt, exec_body, 0, 0 },
	{ "step", "step NAME [{ ... }]", "name the statements that follow, or the block, in logs",
	  parse_step, describe_str_stmt, exec_step, 0, 0 },
	{ "fail", "fail MESSAGE", "stop the script with exit status 1 and MESSAGE",
	  parse_fail, describe_str_stmt, exec_fail, 0, 0 },
	{ "expect", "expect CONDITION [in X,Y,W,H] [timeout DURATION]",
	  "wait for the screen: settled [DURATION], changed, image FILE [similarity N], "
	  "colour C SHARE [tolerance N]; fails (exit 1) after the timeout, 30s by default",
	  parse_expect, describe_expect, exec_expect, 0, 0 },
	{ "if", "if CONDITION { ... } [else { ... }]",
	  "run a block if the screen shows the condition now (or within timeout DURATION)",
	  parse_if, describe_expect, exec_if, 0, 0 },
	{ "retry", "retry N { ... }",
	  "run a block up to N times until it does not fail (fail, an expect timing out)",
	  parse_retry, describe_retry, exec_retry, 0, 0 },
	{ "move", "move X,Y", "move the pointer to X,Y (pixels from the top left)",
	  parse_move, describe_pointer, exec_move, 1, 0 },
	{ "click", "click [X,Y] [left|middle|right]",
	  "click a pointer button, at X,Y if given (left by default)",
	  parse_click, describe_pointer, exec_click, 1, 0 },
	{ "boot", "boot STRING",
	  "keys in Packer's boot_command form: \"<esc><wait5>linux<enter><leftCtrlOn>c<leftCtrlOff>\"",
	  parse_boot, describe_str_stmt, exec_boot, 1, 1 },
};

const size_t stmt_table_count = sizeof(stmt_table) / sizeof(stmt_table[0]);

const struct stmt_def *stmt_find(const char *name)
{
	size_t i;

	for (i = 0; i < stmt_table_count; i++)
		if (strcmp(stmt_table[i].name, name) == 0)
			return &stmt_table[i];
	return NULL;
}
