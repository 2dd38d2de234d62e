/* parser.c: tokens -> AST. Owns statement boundaries, blocks, includes and
 * the checks that need the whole script (variables defined before use,
 * secrets given). A statement's arguments are read from its template in the
 * statement table (args.c, and its stmt_*.c for what a template cannot say). */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/script.h"
#include "script/stmt.h"
#include "util/strdist.h"
#include "util/xalloc.h"

#define INCLUDE_DEPTH_MAX 16
/* Blocks open at once, across includes. Keeps the parser's recursion off the
 * end of the stack and under the interpreter's own limit (interp.c), so a
 * script that parses never fails mid-run for its nesting. */
#define BLOCK_DEPTH_MAX 32

struct parse_root {
	struct script *script;
	const struct script_env *env;
	struct vars defined;  /* names defined so far (values unused) */
	struct vars secrets;  /* secrets typed, in order (values unused) */
	char *stack[INCLUDE_DEPTH_MAX + 1]; /* real paths of files being parsed */
	int depth;
	int blocks; /* blocks open, in every file being parsed */
	struct vb_error *err;
};

struct parser {
	struct parse_root *root;
	const struct source *src;
	struct token_list toks;
	size_t i;
	int block_depth;
};

static int parse_statements(struct parser *p, struct ast_block *out,
			    int in_block);

static const struct token *peek(struct parser *p)
{
	return &p->toks.items[p->i];
}

static const struct token *next(struct parser *p)
{
	const struct token *t = &p->toks.items[p->i];

	if (t->kind != TOK_EOF)
		p->i++;
	return t;
}

int parser_error(struct parser *p, struct src_pos pos, const char *fmt, ...)
{
	va_list ap;
	char msg[512];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return source_error(p->root->err, pos, "%s", msg);
}

struct vb_error *parser_error_of(struct parser *p)
{
	return p->root->err;
}

int parser_at_end(struct parser *p)
{
	enum tok_kind k = peek(p)->kind;

	return k == TOK_END || k == TOK_EOF || k == TOK_RBRACE;
}

int parser_next_is_word(struct parser *p, const char *word)
{
	const struct token *t = peek(p);

	return t->kind == TOK_WORD && strcmp(t->text, word) == 0;
}

int parser_next_is_block(struct parser *p)
{
	return peek(p)->kind == TOK_LBRACE;
}

int parser_take_word_ahead(struct parser *p, const char *word)
{
	size_t j = p->i;

	while (p->toks.items[j].kind == TOK_END)
		j++;
	if (p->toks.items[j].kind != TOK_WORD || strcmp(p->toks.items[j].text, word) != 0)
		return 0;
	p->i = j + 1;
	return 1;
}

const char *parser_peek_word(struct parser *p)
{
	const struct token *t = peek(p);

	return t->kind == TOK_WORD ? t->text : NULL;
}

const char *parser_dir(struct parser *p)
{
	return p->src->dir;
}

static int expected(struct parser *p, const char *what)
{
	char found[96];

	return parser_error(p, peek(p)->pos, "expected %s, found %s", what,
			    token_describe(peek(p), found, sizeof(found)));
}

/* Check each ${NAME} of a string against the names defined so far. */
static int check_vars(struct parser *p, const struct ast_str *s)
{
	size_t i;

	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];

		if (!part->is_var || vars_get(&p->root->defined, part->text))
			continue;
		if (vars_get(p->root->env ? p->root->env->secrets : NULL, part->text) ||
		    vars_get(&p->root->secrets, part->text)) {
			parser_error(p, part->pos,
				"'%s' is a secret and cannot be put in a string",
				part->text);
			return vb_hint(p->root->err,
				"type it on its own with: type secret %s", part->text);
		}
		parser_error(p, part->pos, "variable '%s' is not defined here",
			     part->text);
		return vb_hint(p->root->err,
			"define it before this line with 'set %s \"...\"' or "
			"'default %s \"...\"', or on the command line with -D %s=VALUE",
			part->text, part->text, part->text);
	}
	return 0;
}

int parser_string(struct parser *p, struct ast_str *out, const char *what)
{
	struct token *t = &p->toks.items[p->i];

	if (t->kind != TOK_STRING && t->kind != TOK_RAW)
		return expected(p, what);
	/* The parts move from the token into the AST. */
	out->nparts = t->nparts;
	out->parts = t->parts;
	out->pos = t->pos;
	t->nparts = 0;
	t->parts = NULL;
	next(p);
	return check_vars(p, out);
}

int parser_value(struct parser *p, struct ast_str *out, const char *what)
{
	const struct token *t = peek(p);

	if (t->kind != TOK_WORD)
		return parser_string(p, out, what);
	out->parts = xcalloc(1, sizeof(*out->parts));
	out->nparts = 1;
	out->pos = t->pos;
	out->parts[0].pos = t->pos;
	out->parts[0].text = xstrdup(t->text);
	out->parts[0].len = strlen(t->text);
	next(p);
	return 0;
}

int parser_literal(struct parser *p, struct ast_str *out, const char *what,
		   const char *noun)
{
	const struct token *t = peek(p);
	size_t i;

	/* Before parser_value checks the names: whether one is defined does
	 * not matter, the path is read before any value is known. */
	for (i = 0; t->kind == TOK_STRING && i < t->nparts; i++)
		if (t->parts[i].is_var)
			return parser_error(p, t->pos, "%s cannot use variables: it is read "
					    "before the script runs", noun);
	return parser_value(p, out, what);
}

int parser_word(struct parser *p, const char **word, struct src_pos *pos,
		const char *what)
{
	const struct token *t = peek(p);

	if (t->kind != TOK_WORD)
		return expected(p, what);
	*word = t->text;
	if (pos)
		*pos = t->pos;
	next(p);
	return 0;
}

/* Units largest first, each at most once: 1h30m, 1m30s, 2s500ms, 1.5s. */
int duration_parse(const char *text, long *ms)
{
	static const struct { const char *name; double ms; } units[] = {
		{ "h", 3600000 }, { "ms", 1 }, { "m", 60000 }, { "s", 1000 },
	};
	static const int rank[] = { 0, 3, 1, 2 }; /* h, ms, m, s by size */
	const char *s = text;
	double total = 0;
	int last = -1, any = 0;

	while (*s) {
		double n = 0, scale = 1;
		int digits = 0, u;
		size_t k;

		for (; *s >= '0' && *s <= '9'; s++, digits++)
			n = n * 10 + (*s - '0');
		if (digits == 0)
			return -1; /* ".5s": write 0.5s */
		if (*s == '.') {
			int frac = 0;

			for (s++; *s >= '0' && *s <= '9'; s++, digits++, frac++)
				n += (*s - '0') * (scale /= 10);
			if (frac == 0)
				return -1; /* "1.s" */
		}
		if (digits == 0 || digits > 12)
			return -1;
		for (u = 0; u < 4; u++) {
			k = strlen(units[u].name);
			if (strncmp(s, units[u].name, k) == 0 &&
			    (k == 2 || s[1] != 's'))
				break;
		}
		if (u == 4 || rank[u] <= last)
			return -1;
		last = rank[u];
		s += strlen(units[u].name);
		total += n * units[u].ms;
		any = 1;
	}
	if (!any || total > 7.0 * 24 * 3600 * 1000)
		return -1;
	*ms = (long)(total + 0.5);
	return 0;
}

int parser_duration(struct parser *p, long *ms)
{
	const struct token *t = peek(p);

	if (t->kind != TOK_WORD || duration_parse(t->text, ms) < 0)
		return expected(p, "a duration such as 250ms, 2s or 1m30s");
	next(p);
	return 0;
}

int parser_block(struct parser *p, struct ast_block *out)
{
	struct src_pos open = peek(p)->pos;

	if (peek(p)->kind != TOK_LBRACE)
		return expected(p, "'{'");
	if (p->root->blocks >= BLOCK_DEPTH_MAX)
		return parser_error(p, open, "blocks nested more than %d deep",
				    BLOCK_DEPTH_MAX);
	out->pos = open;
	next(p);
	p->block_depth++;
	p->root->blocks++;
	if (parse_statements(p, out, 1) < 0)
		return -1;
	p->root->blocks--;
	p->block_depth--;
	if (peek(p)->kind != TOK_RBRACE)
		return parser_error(p, open, "this '{' is never closed");
	next(p);
	return 0;
}

void parser_define(struct parser *p, const char *name)
{
	vars_set(&p->root->defined, name, "");
}

int parser_use_secret(struct parser *p, const char *name, struct src_pos pos)
{
	const struct script_env *env = p->root->env;

	if (!vars_valid_name(name, strlen(name)))
		return parser_error(p, pos, "'%s' is not a valid secret name", name);
	if (env && env->secrets_required && !vars_get(env->secrets, name)) {
		parser_error(p, pos, "secret '%s' is typed here but was not given",
			     name);
		return vb_hint(p->root->err,
			"give it with --secret %s=env:VAR, --secret %s=file:PATH "
			"or --secret %s=prompt", name, name, name);
	}
	vars_set(&p->root->secrets, name, "");
	return 0;
}

static int parse_source(struct parse_root *root, const struct source *src,
			struct ast_block *out);

int parser_include(struct parser *p, const struct ast_str *path,
		   struct ast_block *out)
{
	struct parse_root *root = p->root;
	char joined[PATH_MAX + 1], *real;
	struct source *src;
	struct vb_error sub;
	size_t i, len = 0;
	int k, rc;

	joined[0] = '\0';
	for (i = 0; i < path->nparts; i++) {
		if (path->parts[i].is_var)
			return parser_error(p, path->pos,
				"an include path cannot use variables: it is read before the script runs");
		len += path->parts[i].len;
	}
	if (len == 0)
		return parser_error(p, path->pos, "empty include path");
	if (path->parts[0].text[0] == '/')
		snprintf(joined, sizeof(joined), "%s", path->parts[0].text);
	else
		snprintf(joined, sizeof(joined), "%s/%s", p->src->dir,
			 path->parts[0].text);
	real = realpath(joined, NULL);
	if (!real)
		return parser_error(p, path->pos, "cannot include '%s': %s",
				    joined, strerror(errno));
	for (k = 0; k < root->depth; k++) {
		if (root->stack[k] && strcmp(root->stack[k], real) == 0) {
			free(real);
			return parser_error(p, path->pos,
				"'%s' includes itself (through %d level%s)", joined,
				root->depth - k, root->depth - k == 1 ? "" : "s");
		}
	}
	if (root->depth >= INCLUDE_DEPTH_MAX) {
		free(real);
		return parser_error(p, path->pos,
				    "includes nested more than %d deep", INCLUDE_DEPTH_MAX);
	}
	src = source_read(joined, &sub);
	if (!src) {
		free(real);
		return parser_error(p, path->pos, "%s", sub.message);
	}
	/* The script owns every source, so positions stay valid until the end. */
	src->next = root->script->sources->next;
	root->script->sources->next = src;
	root->stack[root->depth++] = real;
	rc = parse_source(root, src, out);
	root->depth--;
	free(real);
	root->stack[root->depth] = NULL;
	return rc;
}

static int unknown_statement(struct parser *p, const struct token *t)
{
	const char *best = NULL;
	size_t best_d = 99, i;
	struct strbuf names = { 0 };

	parser_error(p, t->pos, "unknown statement '%.60s'", t->text);
	for (i = 0; i < stmt_table_count; i++) {
		size_t d = strdist(t->text, stmt_table[i].name);

		if (d < best_d) {
			best_d = d;
			best = stmt_table[i].name;
		}
	}
	if (best && strdist_plausible(t->text, best, best_d))
		return vb_hint(p->root->err, "did you mean '%s'? (vncbot --help "
			       "lists the statements)", best);
	for (i = 0; i < stmt_table_count; i++)
		strbuf_printf(&names, "%s%s", i ? ", " : "", stmt_table[i].name);
	vb_hint(p->root->err, "statements: %s (see docs/script.md)", names.p);
	free(names.p);
	return -1;
}

static int parse_one(struct parser *p, struct ast_block *out)
{
	const struct token *t = next(p);
	const struct stmt_def *def;
	struct ast_stmt *st;
	char found[96];

	if (t->kind != TOK_WORD) {
		return parser_error(p, t->pos, "expected a statement, found %s",
				    token_describe(t, found, sizeof(found)));
	}
	def = stmt_find(t->text);
	if (!def)
		return unknown_statement(p, t);
	out->items = xgrow(out->items, out->count, sizeof(*out->items));
	st = &out->items[out->count++];
	memset(st, 0, sizeof(*st));
	st->def = def;
	st->pos = t->pos;
	if (stmt_parse_args(p, st) < 0)
		return -1;
	if (!parser_at_end(p)) {
		parser_error(p, peek(p)->pos, "unexpected %s after '%s'",
			     token_describe(peek(p), found, sizeof(found)), def->name);
		return vb_hint(p->root->err, "usage: %s", def->usage);
	}
	return 0;
}

static int parse_statements(struct parser *p, struct ast_block *out,
			    int in_block)
{
	for (;;) {
		enum tok_kind k = peek(p)->kind;

		if (k == TOK_END) {
			next(p);
		} else if (k == TOK_EOF) {
			return 0;
		} else if (k == TOK_RBRACE) {
			if (in_block)
				return 0;
			return parser_error(p, peek(p)->pos, "'}' without a matching '{'");
		} else if (parse_one(p, out) < 0) {
			return -1;
		}
	}
}

static int parse_source(struct parse_root *root, const struct source *src,
			struct ast_block *out)
{
	struct parser p = { .root = root, .src = src };
	int rc;

	if (lexer_run(src, &p.toks, root->err) < 0)
		return -1;
	rc = parse_statements(&p, out, 0);
	token_list_free(&p.toks);
	return rc;
}

int script_parse(struct source *src, const struct script_env *env,
		 struct script **out, struct vb_error *err)
{
	struct parse_root root = { .env = env, .err = err };
	struct script *script = calloc(1, sizeof(*script));
	int rc;

	if (!script)
		abort();
	script->sources = src;
	root.script = script;
	if (env)
		vars_copy(&root.defined, env->defines);
	if (strcmp(src->name, "<stdin>") && strcmp(src->name, "<-e>"))
		root.stack[root.depth++] = realpath(src->name, NULL);
	rc = parse_source(&root, src, &script->top);
	while (root.depth > 0)
		free(root.stack[--root.depth]);
	vars_clear(&root.defined);
	if (rc < 0) {
		vars_clear(&root.secrets);
		script_free(script);
		*out = NULL;
		return -1;
	}
	script->secrets = root.secrets;
	*out = script;
	return 0;
}

size_t script_secrets(const struct script *script, const char **names,
		      size_t max)
{
	size_t i;

	for (i = 0; i < script->secrets.count && i < max; i++)
		names[i] = script->secrets.items[i].name;
	return script->secrets.count;
}

void ast_str_free(struct ast_str *s)
{
	size_t i;

	for (i = 0; i < s->nparts; i++)
		free(s->parts[i].text);
	free(s->parts);
	memset(s, 0, sizeof(*s));
}

void ast_block_free(struct ast_block *b)
{
	size_t i;

	for (i = 0; i < b->count; i++)
		stmt_free_args(&b->items[i]);
	free(b->items);
	memset(b, 0, sizeof(*b));
}

void script_free(struct script *script)
{
	if (!script)
		return;
	ast_block_free(&script->top);
	vars_clear(&script->secrets);
	source_free(script->sources);
	free(script);
}
