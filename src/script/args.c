/* args.c: argument templates at work. Parses a statement's arguments into its
 * node from its form's template (most statements need nothing more), makes
 * usages and plan lines from the template, frees nodes, and says what a schema
 * needs of each argument. What a statement means is in its stmt_*.c; tokens,
 * blocks and includes are parser.c's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"
#include "script/stmt.h"
#include "util/xalloc.h"

/* What every argument of a kind shares. */
static const struct kind_info {
	const char *metavar;   /* in a usage */
	const char *expected;  /* in "expected ..., found ..." */
	const char *json_type; /* of one value */
	const char *format;    /* what the string holds, for schemas */
} kinds[] = {
	[ARG_CHORD] = { "CHORD", "a key name or chord such as enter or ctrl-alt-del",
			"string", "chord" },
	[ARG_KEY] = { "KEY", "a key name such as shift or ctrl", "string", "key" },
	[ARG_STRING] = { "STRING", "a string (\"...\" or '...')", "string", NULL },
	[ARG_VALUE] = { "VALUE", "a value (\"...\", '...' or a word)", "string", NULL },
	[ARG_FILE] = { "FILE", "a file name", "string", "file" },
	[ARG_SECRET] = { "NAME", "the name of a secret given with --secret", "string",
			 "secret" },
	[ARG_VARIABLE] = { "NAME", "a variable name", "string", "variable" },
	[ARG_DURATION] = { "DURATION", "a duration such as 250ms, 2s or 1m30s", "string",
			   "duration" },
	[ARG_POINT] = { "X,Y", "a point X,Y such as 512,384", "string", "point" },
	[ARG_REGION] = { "X,Y,W,H", "a region X,Y,W,H such as 0,0,200,40", "string",
			 "region" },
	[ARG_INT] = { "N", "a number", "integer", NULL },
	[ARG_CHOICE] = { NULL, NULL, "string", NULL },
	[ARG_CONDITION] = { "CONDITION", "a screen condition", "string", "condition" },
	[ARG_BLOCK] = { "{ ... }", "'{'", "string", "statements" },
};

/* ---- looking arguments up ---- */

const struct stmt_arg *stmt_arg_named(const struct stmt_form *form, const char *name,
				      size_t *index)
{
	size_t i;

	for (i = 0; i < form->nargs; i++)
		if (strcmp(form->args[i].name, name) == 0) {
			if (index)
				*index = i;
			return &form->args[i];
		}
	return NULL;
}

const void *stmt_arg_field(const struct ast_stmt *st, const char *name)
{
	const struct stmt_arg *a = st->form ? stmt_arg_named(st->form, name, NULL) : NULL;

	return a ? stmt_field(st, a) : NULL;
}

int stmt_arg_given(const struct ast_stmt *st, const char *name)
{
	size_t i;

	return st->form && stmt_arg_named(st->form, name, &i) && stmt_given(st, i);
}

const char *stmt_form_tool(const struct stmt_def *def, const struct stmt_form *form)
{
	return form->tool ? form->tool : def->name;
}

static int choice_index(const struct stmt_arg *a, const char *word)
{
	int i;

	for (i = 0; a->choices[i]; i++)
		if (strcmp(a->choices[i], word) == 0)
			return i;
	return -1;
}

/* "left, middle or right" */
static const char *choices_text(const struct stmt_arg *a, char *buf, size_t size)
{
	size_t used = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; a->choices[i] && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s",
					 i == 0 ? "" : a->choices[i + 1] ? ", " : " or ",
					 a->choices[i]);
	return buf;
}

static const char *expected_of(const struct stmt_arg *a, char *buf, size_t size)
{
	if (a->expected)
		return a->expected;
	if (a->kind == ARG_CHOICE)
		return choices_text(a, buf, size);
	return kinds[a->kind].expected;
}

/* ---- one word into a field ---- */

/* "x,y" with integers from 0 to 65535. */
static int point_parse(const char *w, struct ast_point *pt)
{
	long x, y;
	char *end;

	if (*w < '0' || *w > '9')
		return -1;
	x = strtol(w, &end, 10);
	if (*end != ',')
		return -1;
	w = end + 1;
	if (*w < '0' || *w > '9')
		return -1;
	y = strtol(w, &end, 10);
	if (*end || x > 65535 || y > 65535)
		return -1;
	pt->x = (int)x;
	pt->y = (int)y;
	return 0;
}

/* "x,y,w,h" with integers from 0 to 65535, w and h at least 1. */
static int region_parse(const char *w, struct screen_region *r)
{
	long v[4];
	char *end;
	int i;

	for (i = 0; i < 4; i++) {
		if (*w < '0' || *w > '9')
			return -1;
		v[i] = strtol(w, &end, 10);
		if (v[i] > 65535 || (i < 3 && *end != ',') || (i == 3 && *end != '\0'))
			return -1;
		w = end + 1;
	}
	if (v[2] < 1 || v[3] < 1)
		return -1;
	*r = (struct screen_region){ (int)v[0], (int)v[1], (int)v[2], (int)v[3] };
	return 0;
}

int stmt_arg_word(const struct stmt_arg *a, const char *word, void *field)
{
	char *end;
	long v;
	int i;

	switch (a->kind) {
	case ARG_DURATION:
		return duration_parse(word, field);
	case ARG_POINT:
		return point_parse(word, field);
	case ARG_REGION:
		return region_parse(word, field);
	case ARG_INT:
		v = strtol(word, &end, 10);
		if (end == word || *end || v < a->min || v > a->max)
			return -1;
		*(int *)field = (int)v;
		return 0;
	case ARG_CHOICE:
		i = choice_index(a, word);
		if (i < 0)
			return -1;
		*(int *)field = i;
		return 0;
	default:
		return -1;
	}
}

/* ---- parsing one argument from tokens ---- */

static int parse_chord(struct parser *p, const struct stmt_arg *a, struct ast_chords *k)
{
	struct keys_chord chord;
	const char *word;
	struct src_pos pos;
	char msg[256], buf[128];
	size_t bad = 0;

	if (parser_word(p, &word, &pos, expected_of(a, buf, sizeof(buf))) < 0)
		return -1;
	if (!keys_parse_chord(word, &chord, msg, sizeof(msg), &bad)) {
		pos.col += (int)bad;
		return parser_error(p, pos, "%s", msg);
	}
	k->chords = xgrow(k->chords, k->count, sizeof(*k->chords));
	k->texts = xgrow(k->texts, k->count, sizeof(*k->texts));
	k->chords[k->count] = chord;
	k->texts[k->count] = xstrdup(word);
	k->count++;
	return 0;
}

static int parse_key(struct parser *p, const struct stmt_arg *a, struct ast_key *k)
{
	const char *word, *near[3];
	struct src_pos pos;
	char buf[128];
	size_t n;

	if (parser_word(p, &word, &pos, expected_of(a, buf, sizeof(buf))) < 0)
		return -1;
	if (keys_from_name(word, &k->keysym)) {
		k->name = xstrdup(word);
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

static int parse_name(struct parser *p, const struct stmt_arg *a, char **out)
{
	const char *word;
	struct src_pos pos;
	char buf[128];

	if (parser_word(p, &word, &pos, expected_of(a, buf, sizeof(buf))) < 0)
		return -1;
	if (a->kind == ARG_SECRET && parser_use_secret(p, word, pos) < 0)
		return -1;
	if (a->kind == ARG_VARIABLE && !vars_valid_name(word, strlen(word)))
		return parser_error(p, pos, "'%s' is not a variable name (letters, digits "
				    "and '_', not starting with a digit)", word);
	*out = xstrdup(word);
	return 0;
}

int parser_region(struct parser *p, struct screen_region *r)
{
	const char *w;
	struct src_pos pos;

	if (parser_word(p, &w, &pos, kinds[ARG_REGION].expected) < 0)
		return -1;
	if (region_parse(w, r) < 0)
		return parser_error(p, pos, "expected a region X,Y,W,H (pixels, width and "
				    "height at least 1), such as 0,0,200,40");
	return 0;
}

/* A kind that one word makes: the word, then its own message if it is not one. */
static int parse_word_kind(struct parser *p, const struct stmt_arg *a, void *field)
{
	const char *w;
	struct src_pos pos;
	char buf[128];

	if (a->kind == ARG_DURATION)
		return parser_duration(p, field);
	if (a->kind == ARG_REGION)
		return parser_region(p, field);
	if (parser_word(p, &w, &pos, expected_of(a, buf, sizeof(buf))) < 0)
		return -1;
	if (stmt_arg_word(a, w, field) == 0)
		return 0;
	switch (a->kind) {
	case ARG_POINT:
		return parser_error(p, pos, "expected a point X,Y in pixels, such as 512,384");
	case ARG_INT:
		return parser_error(p, pos, "expected %s from %ld to %ld, found '%s'",
				    a->noun ? a->noun : "a number", a->min, a->max, w);
	default:
		return parser_error(p, pos, "expected %s, found '%s'",
				    choices_text(a, buf, sizeof(buf)), w);
	}
}

static int parse_arg(struct parser *p, const struct stmt_arg *a, void *field)
{
	char buf[128];

	switch (a->kind) {
	case ARG_CHORD:
		return parse_chord(p, a, field);
	case ARG_KEY:
		return parse_key(p, a, field);
	case ARG_STRING:
		return parser_string(p, field, expected_of(a, buf, sizeof(buf)));
	case ARG_VALUE:
	case ARG_FILE:
		if (a->flags & ARG_LITERAL)
			return parser_literal(p, field, expected_of(a, buf, sizeof(buf)), a->noun);
		return parser_value(p, field, expected_of(a, buf, sizeof(buf)));
	case ARG_SECRET:
	case ARG_VARIABLE:
		return parse_name(p, a, field);
	case ARG_CONDITION:
		return a->parse(p, a, field);
	case ARG_BLOCK:
		return parser_block(p, field);
	case ARG_DURATION:
	case ARG_POINT:
	case ARG_REGION:
	case ARG_INT:
	case ARG_CHOICE:
		break;
	}
	return parse_word_kind(p, a, field);
}

/* ---- parsing a statement from its template ---- */

static int is_positional(const struct stmt_arg *a)
{
	return !(a->flags & (ARG_KEYWORD | ARG_INTERNAL)) && a->kind != ARG_BLOCK;
}

static int has_blocks(const struct stmt_form *f)
{
	size_t i;

	for (i = 0; i < f->nargs; i++)
		if (f->args[i].kind == ARG_BLOCK && !(f->args[i].flags & ARG_INTERNAL))
			return 1;
	return 0;
}

/* The keyword argument (not a block) that word introduces, or -1. */
static long keyword_arg(const struct stmt_form *f, const char *word)
{
	size_t i;

	for (i = 0; i < f->nargs; i++)
		if ((f->args[i].flags & ARG_KEYWORD) && f->args[i].kind != ARG_BLOCK &&
		    strcmp(f->args[i].keyword, word) == 0)
			return (long)i;
	return -1;
}

/* May the next token be (one more of) positional argument i, left out or
 * ended if not? Not at the end of the statement, not at its block, not at
 * one of its keywords, nor at a word a later choice takes (click right). */
static int next_fits(struct parser *p, const struct stmt_form *f, size_t i)
{
	const char *w = parser_peek_word(p);
	size_t j;

	if (parser_at_end(p) || (parser_next_is_block(p) && has_blocks(f)))
		return 0;
	if (!w)
		return 1;
	if (keyword_arg(f, w) >= 0)
		return 0;
	for (j = i + 1; j < f->nargs; j++)
		if (f->args[j].kind == ARG_CHOICE && is_positional(&f->args[j]) &&
		    choice_index(&f->args[j], w) >= 0)
			return 0;
	return 1;
}

/* The form whose word follows the name, else the one without a word. */
static const struct stmt_form *pick_form(struct parser *p, const struct stmt_impl *impl)
{
	const struct stmt_form *plain = NULL;
	size_t i;

	for (i = 0; i < impl->nforms; i++) {
		const struct stmt_form *f = &impl->forms[i];

		if (f->word && parser_next_is_word(p, f->word)) {
			const char *w;

			parser_word(p, &w, NULL, f->word);
			return f;
		}
		if (!f->word && !plain)
			plain = f;
	}
	return plain;
}

static int parse_positional(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_form *f = st->form;
	size_t i;

	for (i = 0; i < f->nargs; i++) {
		const struct stmt_arg *a = &f->args[i];

		if (!is_positional(a) || ((a->flags & ARG_OPTIONAL) && !next_fits(p, f, i)))
			continue;
		if (a->missing && parser_at_end(p))
			return parser_error(p, st->pos, "%s", a->missing);
		do {
			if (parse_arg(p, a, stmt_field(st, a)) < 0)
				return -1;
			st->given |= 1u << i;
		} while ((a->flags & ARG_REPEATED) && next_fits(p, f, i));
	}
	return 0;
}

/* Keyword arguments and the options of those given, in any order, up to the
 * end of the statement or its block. */
static int parse_keywords(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_form *f = st->form;

	while (!parser_at_end(p) && !parser_next_is_block(p)) {
		const char *w = parser_peek_word(p);
		long k = w ? keyword_arg(f, w) : -1;
		size_t i;
		int rc = 0;

		if (k >= 0) {
			const struct stmt_arg *a = &f->args[k];
			struct src_pos pos;

			parser_word(p, &w, &pos, a->keyword);
			if (stmt_given(st, (size_t)k)) {
				parser_error(p, pos, "'%s' is given twice", a->keyword);
				return vb_hint(parser_error_of(p), "usage: %s", st->def->usage);
			}
			if (parse_arg(p, a, stmt_field(st, a)) < 0)
				return -1;
			st->given |= 1u << k;
			continue;
		}
		for (i = 0; i < f->nargs && rc == 0; i++)
			if (f->args[i].option && stmt_given(st, i))
				rc = f->args[i].option(p, stmt_field(st, &f->args[i]));
		if (rc < 0)
			return -1;
		if (rc == 0)
			break; /* the caller says what is unexpected */
	}
	return 0;
}

static int parse_blocks(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_form *f = st->form;
	size_t i;

	for (i = 0; i < f->nargs; i++) {
		const struct stmt_arg *a = &f->args[i];

		if (a->kind != ARG_BLOCK || (a->flags & ARG_INTERNAL))
			continue;
		if ((a->flags & ARG_KEYWORD) && !parser_take_word_ahead(p, a->keyword))
			continue;
		if ((a->flags & ARG_OPTIONAL) && !(a->flags & ARG_KEYWORD) &&
		    !parser_next_is_block(p))
			continue;
		if (parser_block(p, stmt_field(st, a)) < 0)
			return -1;
		st->given |= 1u << i;
	}
	return 0;
}

int stmt_parse_args(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_impl *impl = st->def->impl;
	const struct stmt_form *f = pick_form(p, impl);
	size_t i;

	st->form = f;
	st->args = xcalloc(1, impl->size);
	for (i = 0; i < f->nargs; i++) {
		const struct stmt_arg *a = &f->args[i];

		/* test_statements checks that every default parses. */
		if (a->def && stmt_arg_word(a, a->def, stmt_field(st, a)) < 0)
			abort();
	}
	if (parse_positional(p, st) < 0 || parse_keywords(p, st) < 0 ||
	    parse_blocks(p, st) < 0)
		return -1;
	return impl->check ? impl->check(p, st) : 0;
}

/* ---- usage ---- */

static void arg_usage(const struct stmt_arg *a, struct strbuf *out)
{
	int optional = (a->flags & ARG_OPTIONAL) != 0;

	if (optional)
		strbuf_add(out, "[", 1);
	if (a->flags & ARG_KEYWORD)
		strbuf_printf(out, "%s ", a->keyword);
	if (a->metavar) {
		strbuf_add(out, a->metavar, strlen(a->metavar));
	} else if (a->kind == ARG_CHOICE) {
		int i;

		for (i = 0; a->choices[i]; i++)
			strbuf_printf(out, "%s%s", i ? "|" : "", a->choices[i]);
	} else {
		strbuf_add(out, kinds[a->kind].metavar, strlen(kinds[a->kind].metavar));
	}
	if (a->flags & ARG_REPEATED)
		strbuf_add(out, "...", 3);
	if (optional)
		strbuf_add(out, "]", 1);
}

void stmt_form_usage(const struct stmt_def *def, const struct stmt_form *form,
		     struct strbuf *out)
{
	size_t i;

	strbuf_add(out, def->name, strlen(def->name));
	if (form->word)
		strbuf_printf(out, " %s", form->word);
	for (i = 0; i < form->nargs; i++) {
		if (form->args[i].flags & ARG_INTERNAL)
			continue;
		strbuf_add(out, " ", 1);
		arg_usage(&form->args[i], out);
	}
}

void stmt_usage(const struct stmt_def *def, struct strbuf *out)
{
	size_t i;

	for (i = 0; i < def->impl->nforms; i++) {
		if (i)
			strbuf_add(out, " | ", 3);
		stmt_form_usage(def, &def->impl->forms[i], out);
	}
}

/* ---- plan lines ---- */

static void describe_arg(const struct stmt_arg *a, const void *field,
			 const struct vars *vars, struct strbuf *out)
{
	const struct ast_chords *k = field;
	const struct ast_point *pt = field;
	const struct screen_region *r = field;
	size_t i;
	long ms;

	switch (a->kind) {
	case ARG_CHORD:
		for (i = 0; i < k->count; i++)
			strbuf_printf(out, "%s%s", i ? " " : "", k->texts[i]);
		break;
	case ARG_KEY:
		strbuf_printf(out, "%s", ((const struct ast_key *)field)->name);
		break;
	case ARG_STRING:
	case ARG_VALUE:
	case ARG_FILE:
		text_ast_str(out, field, vars);
		break;
	case ARG_SECRET:
		strbuf_printf(out, "<secret %s>", *(char *const *)field);
		break;
	case ARG_VARIABLE:
		strbuf_printf(out, "%s", *(char *const *)field);
		break;
	case ARG_DURATION:
		ms = *(const long *)field;
		if (ms % 1000)
			strbuf_printf(out, "%ldms", ms);
		else
			strbuf_printf(out, "%lds", ms / 1000);
		break;
	case ARG_POINT:
		strbuf_printf(out, "%d,%d", pt->x, pt->y);
		break;
	case ARG_REGION:
		strbuf_printf(out, "%d,%d,%d,%d", r->x, r->y, r->w, r->h);
		break;
	case ARG_INT:
		strbuf_printf(out, "%d", *(const int *)field);
		break;
	case ARG_CHOICE:
		strbuf_printf(out, "%s", a->choices[*(const int *)field]);
		break;
	case ARG_CONDITION: /* a statement with one describes itself */
	case ARG_BLOCK:     /* plans show blocks on lines of their own */
		break;
	}
}

void stmt_describe(const struct ast_stmt *st, const struct vars *vars, struct strbuf *out)
{
	const struct stmt_form *f = st->form;
	size_t i;

	if (st->def->impl->describe) {
		st->def->impl->describe(st, vars, out);
		return;
	}
	strbuf_add(out, st->def->name, strlen(st->def->name));
	if (f->word)
		strbuf_printf(out, " %s", f->word);
	for (i = 0; i < f->nargs; i++) {
		const struct stmt_arg *a = &f->args[i];

		if (a->kind == ARG_BLOCK || a->kind == ARG_CONDITION ||
		    (a->flags & ARG_INTERNAL) || !(stmt_given(st, i) || a->def))
			continue;
		strbuf_add(out, " ", 1);
		if (a->flags & ARG_KEYWORD)
			strbuf_printf(out, "%s ", a->keyword);
		describe_arg(a, stmt_field(st, a), vars, out);
	}
}

/* ---- freeing ---- */

static void free_arg(const struct stmt_arg *a, void *field)
{
	struct ast_chords *k = field;
	struct ast_cond *c = field;
	size_t i;

	switch (a->kind) {
	case ARG_CHORD:
		for (i = 0; i < k->count; i++)
			free(k->texts[i]);
		free(k->texts);
		free(k->chords);
		break;
	case ARG_KEY:
		free(((struct ast_key *)field)->name);
		break;
	case ARG_STRING:
	case ARG_VALUE:
	case ARG_FILE:
		ast_str_free(field);
		break;
	case ARG_SECRET:
	case ARG_VARIABLE:
		free(*(char **)field);
		break;
	case ARG_CONDITION:
		screen_image_free(&c->cond.needle);
		free(c->needle_name);
		ast_str_free(&c->text);
		break;
	case ARG_BLOCK:
		ast_block_free(field);
		break;
	case ARG_DURATION:
	case ARG_POINT:
	case ARG_REGION:
	case ARG_INT:
	case ARG_CHOICE:
		break;
	}
}

void stmt_free_args(struct ast_stmt *st)
{
	size_t i;

	if (!st->args)
		return;
	for (i = 0; i < st->form->nargs; i++)
		free_arg(&st->form->args[i], stmt_field(st, &st->form->args[i]));
	free(st->args);
	st->args = NULL;
}

/* ---- blocks ---- */

size_t stmt_nblocks(const struct ast_stmt *st)
{
	size_t i, n = 0;

	for (i = 0; i < st->form->nargs; i++)
		n += st->form->args[i].kind == ARG_BLOCK;
	return n;
}

const struct ast_block *stmt_block(const struct ast_stmt *st, size_t i,
				   const struct stmt_arg **arg)
{
	size_t k;

	for (k = 0; k < st->form->nargs; k++) {
		const struct stmt_arg *a = &st->form->args[k];

		if (a->kind != ARG_BLOCK || i-- > 0)
			continue;
		if (arg)
			*arg = a;
		return stmt_given(st, k) ? stmt_field(st, a) : NULL;
	}
	return NULL;
}

/* ---- schemas ---- */

void stmt_args_describe(const struct stmt_form *form,
			void (*fn)(const struct stmt_arg_desc *d, void *ctx), void *ctx)
{
	size_t i;

	for (i = 0; i < form->nargs; i++) {
		const struct stmt_arg *a = &form->args[i];
		struct stmt_arg_desc d = {
			.arg = a,
			.name = a->name,
			.json_type = kinds[a->kind].json_type,
			.format = kinds[a->kind].format,
			.required = !(a->flags & ARG_OPTIONAL),
			.repeated = (a->flags & ARG_REPEATED) != 0,
			.def = a->def,
			.choices = a->kind == ARG_CHOICE ? a->choices : NULL,
			.min = a->min,
			.max = a->max,
			.help = a->help,
		};

		if (a->flags & ARG_INTERNAL)
			continue;
		if (d.repeated)
			d.json_type = "array";
		fn(&d, ctx);
	}
}
