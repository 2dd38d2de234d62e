/* parser.c: cmd's parser: an expanded line to a tree of struct node (& && ||
 * |, ( ) blocks, redirections, if, for) with cmd's messages for what it cannot
 * parse. It never runs anything; run.c does. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct parser {
	const char *s;
	size_t pos;
	int depth; /* open parentheses */
	char *error;
};

struct node *node_new(enum node_kind kind)
{
	struct node *n = xmalloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	return n;
}

void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->text);
	for (i = 0; i < n->nredirs; i++)
		free(n->redirs[i].target);
	free(n->redirs);
	free(n->lhs);
	free(n->op);
	free(n->rhs);
	free(n->opts);
	free(n->set);
	free(n);
}

static void parse_error(struct parser *p, const char *fmt, const char *what)
{
	struct strbuf b = {0};

	if (p->error)
		return;
	strbuf_printf(&b, fmt, what);
	p->error = strbuf_take(&b);
}

#define SYNTAX_INCORRECT "The syntax of the command is incorrect.%s"
#define UNEXPECTED "%s was unexpected at this time."

static char peek(const struct parser *p)
{
	return p->s[p->pos];
}

static void skip_blanks(struct parser *p)
{
	while (is_blank(peek(p)))
		p->pos++;
}

/* Whether the word at the parser is kw (any case) followed by a blank, the
 * end, or one of also. */
static bool at_word(const struct parser *p, const char *kw, const char *also)
{
	size_t n = strlen(kw);
	char after;

	if (strncasecmp(p->s + p->pos, kw, n))
		return false;
	after = p->s[p->pos + n];
	return after == '\0' || is_blank(after) || (also && strchr(also, after));
}

/* Where a command ends: an operator, the end, or a closing parenthesis of
 * an open block. */
static bool at_end(const struct parser *p)
{
	char c = peek(p);

	return c == '\0' || c == '&' || c == '|' || (c == ')' && p->depth > 0);
}

static struct node *parse_seq(struct parser *p);
static struct node *parse_cmd(struct parser *p);

static void add_redir(struct node *n, struct redir r)
{
	n->redirs = xrealloc(n->redirs, (n->nredirs + 1) * sizeof(*n->redirs));
	n->redirs[n->nredirs++] = r;
}

/* A redirection at '>' or '<', fd the handle typed before it or -1. */
static void parse_redir(struct parser *p, struct node *n, int fd)
{
	struct redir r = {0};
	struct strbuf t = {0};
	bool quoted = false;
	char op = p->s[p->pos++];

	r.input = op == '<';
	r.fd = fd >= 0 ? fd : r.input ? 0 : 1;
	r.dup = -1;
	if (op == '>' && peek(p) == '>') {
		r.append = true;
		p->pos++;
	}
	if (peek(p) == '&' && isdigit((unsigned char)p->s[p->pos + 1])) {
		r.dup = p->s[p->pos + 1] - '0';
		p->pos += 2;
		add_redir(n, r);
		return;
	}
	skip_blanks(p);
	while (peek(p)) {
		char c = peek(p);

		if (!quoted && (is_blank(c) || strchr("&|<>", c) || (c == ')' && p->depth > 0)))
			break;
		p->pos++;
		if (c == '"') {
			quoted = !quoted;
		} else if (c == '^' && !quoted && peek(p)) {
			strbuf_putc(&t, p->s[p->pos++]);
		} else {
			strbuf_putc(&t, c);
		}
	}
	if (!t.len) {
		free(t.p);
		parse_error(p, SYNTAX_INCORRECT, "");
		return;
	}
	r.target = strbuf_take(&t);
	add_redir(n, r);
}

/* A simple command: its text with carets applied and redirections taken
 * out, spaces kept (echo prints them). */
static struct node *parse_simple(struct parser *p)
{
	struct node *n = node_new(NODE_CMD);
	struct strbuf t = {0};
	bool quoted = false;

	while (peek(p) && !p->error) {
		char c = peek(p);

		if (quoted) {
			strbuf_putc(&t, c);
			p->pos++;
			if (c == '"')
				quoted = false;
			continue;
		}
		if (at_end(p))
			break;
		if (c == '"') {
			quoted = true;
			strbuf_putc(&t, c);
			p->pos++;
		} else if (c == '^') {
			p->pos++;
			if (peek(p))
				strbuf_putc(&t, p->s[p->pos++]);
		} else if (c == '>' || c == '<') {
			parse_redir(p, n, -1);
		} else if (isdigit((unsigned char)c) &&
			   (p->s[p->pos + 1] == '>' || p->s[p->pos + 1] == '<') &&
			   (t.len == 0 || is_blank(t.p[t.len - 1]))) {
			p->pos++;
			parse_redir(p, n, c - '0');
		} else {
			strbuf_putc(&t, c);
			p->pos++;
		}
	}
	n->text = strbuf_take(&t);
	return n;
}

static struct node *parse_block(struct parser *p)
{
	struct node *n = node_new(NODE_BLOCK);

	p->pos++; /* ( */
	p->depth++;
	skip_blanks(p);
	if (peek(p) != ')')
		n->a = parse_seq(p);
	p->depth--;
	if (!p->error && peek(p) != ')')
		parse_error(p, SYNTAX_INCORRECT, "");
	if (p->error)
		return n;
	p->pos++;
	/* redirections of the whole block: (echo a & echo b) >nul 2>&1 */
	while (!p->error) {
		int fd = -1;

		skip_blanks(p);
		if (isdigit((unsigned char)peek(p)) && p->s[p->pos + 1] == '>')
			fd = p->s[p->pos++] - '0';
		if (peek(p) != '>' && peek(p) != '<')
			break;
		parse_redir(p, n, fd);
	}
	return n;
}

/* An if operand: up to a blank (or "==" when stop_eq) outside quotes. */
static char *if_token(struct parser *p, bool stop_eq)
{
	struct strbuf t = {0};
	bool quoted = false;

	while (peek(p)) {
		char c = peek(p);

		if (!quoted && (is_blank(c) || c == '&' || c == '|' || c == '<' || c == '>' ||
				(c == ')' && p->depth > 0) ||
				(stop_eq && c == '=' && p->s[p->pos + 1] == '=')))
			break;
		p->pos++;
		if (c == '"')
			quoted = !quoted;
		if (c == '^' && !quoted && peek(p))
			c = p->s[p->pos++];
		strbuf_putc(&t, c);
	}
	return strbuf_take(&t);
}

/* The command after if's condition, for's do or else: a block, or the rest
 * of the line, operators and all (cmd's rule). */
static struct node *parse_body(struct parser *p)
{
	skip_blanks(p);
	if (at_end(p)) {
		parse_error(p, SYNTAX_INCORRECT, "");
		return NULL;
	}
	return peek(p) == '(' ? parse_block(p) : parse_seq(p);
}

static struct node *parse_if(struct parser *p)
{
	static const char *const ops[] = {"EQU", "NEQ", "LSS", "LEQ", "GTR", "GEQ"};
	struct node *n = node_new(NODE_IF);
	size_t i;

	p->pos += 2;
	skip_blanks(p);
	if (at_word(p, "/i", NULL)) {
		n->icase = true;
		p->pos += 2;
		skip_blanks(p);
	}
	if (at_word(p, "not", NULL)) {
		n->neg = true;
		p->pos += 3;
		skip_blanks(p);
	}
	if (at_word(p, "errorlevel", NULL) || at_word(p, "defined", NULL) ||
	    at_word(p, "exist", NULL)) {
		char c = (char)tolower((unsigned char)peek(p));

		n->ifk = c == 'e' && tolower((unsigned char)p->s[p->pos + 1]) == 'r' ? IF_ERRORLEVEL
			 : c == 'd'						     ? IF_DEFINED
										     : IF_EXIST;
		while (peek(p) && !is_blank(peek(p)))
			p->pos++;
		skip_blanks(p);
		n->lhs = if_token(p, false);
	} else {
		n->ifk = IF_CMP;
		n->lhs = if_token(p, true);
		skip_blanks(p);
		if (peek(p) == '=' && p->s[p->pos + 1] == '=') {
			n->op = xstrdup("==");
			p->pos += 2;
			while (peek(p) == '=')
				p->pos++;
		} else {
			char *word = if_token(p, false);

			for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && !n->op; i++)
				if (!strcasecmp(word, ops[i]))
					n->op = xstrdup(ops[i]);
			if (!n->op)
				parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
			free(word);
		}
		skip_blanks(p);
		if (!p->error)
			n->rhs = if_token(p, false);
	}
	if (!p->error && (!*n->lhs || (n->ifk == IF_CMP && !*n->rhs)))
		parse_error(p, SYNTAX_INCORRECT, "");
	if (p->error)
		return n;
	n->a = parse_body(p);
	if (p->error || !n->a || n->a->kind != NODE_BLOCK)
		return n;
	size_t save = p->pos;

	skip_blanks(p);
	if (at_word(p, "else", "(")) {
		p->pos += 4;
		n->b = parse_body(p);
	} else {
		p->pos = save;
	}
	return n;
}

static struct node *parse_for(struct parser *p)
{
	struct node *n = node_new(NODE_FOR);
	struct strbuf set = {0};
	bool quoted = false;

	p->pos += 3;
	skip_blanks(p);
	n->fork = FOR_PLAIN;
	if (peek(p) == '/') {
		char k = (char)tolower((unsigned char)p->s[p->pos + 1]);

		if (k != 'f' && k != 'l') {
			parse_error(p, SYNTAX_INCORRECT, "");
			return n;
		}
		n->fork = k == 'f' ? FOR_F : FOR_L;
		p->pos += 2;
		skip_blanks(p);
		if (n->fork == FOR_F && peek(p) == '"') {
			const char *end = strchr(p->s + p->pos + 1, '"');

			if (!end) {
				parse_error(p, SYNTAX_INCORRECT, "");
				return n;
			}
			n->opts = xstrndup(p->s + p->pos + 1, (size_t)(end - p->s - p->pos - 1));
			p->pos = (size_t)(end - p->s) + 1;
			skip_blanks(p);
		}
	}
	if (peek(p) != '%' || !isalpha((unsigned char)p->s[p->pos + 1])) {
		/* %%a is a batch file's spelling; typed at the prompt it is an
		 * error, the trap of copying a script line into the console. */
		char *word = if_token(p, false);

		parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
		free(word);
		return n;
	}
	n->var = p->s[p->pos + 1];
	p->pos += 2;
	skip_blanks(p);
	if (!at_word(p, "in", "(")) {
		char *word = if_token(p, false);

		parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
		free(word);
		return n;
	}
	p->pos += 2;
	skip_blanks(p);
	if (peek(p) != '(') {
		parse_error(p, SYNTAX_INCORRECT, "");
		return n;
	}
	p->pos++;
	while (peek(p) && (quoted || peek(p) != ')')) {
		char c = p->s[p->pos++];

		if (c == '"')
			quoted = !quoted;
		if (c == '^' && !quoted && peek(p))
			c = p->s[p->pos++];
		strbuf_putc(&set, c);
	}
	n->set = strbuf_take(&set);
	if (peek(p) != ')') {
		parse_error(p, SYNTAX_INCORRECT, "");
		return n;
	}
	p->pos++;
	skip_blanks(p);
	if (!at_word(p, "do", "(")) {
		char *word = if_token(p, false);

		parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
		free(word);
		return n;
	}
	p->pos += 2;
	n->a = parse_body(p);
	return n;
}

static struct node *parse_cmd(struct parser *p)
{
	while (is_delim(peek(p)) || peek(p) == '@')
		p->pos++;
	if (peek(p) == '&' || peek(p) == '|') {
		char op[3] = {peek(p), 0, 0};

		if (p->s[p->pos + 1] == op[0])
			op[1] = op[0];
		parse_error(p, UNEXPECTED, op);
		return NULL;
	}
	if (peek(p) == '\0' || (peek(p) == ')' && p->depth > 0)) {
		parse_error(p, SYNTAX_INCORRECT, "");
		return NULL;
	}
	if (peek(p) == '(')
		return parse_block(p);
	if (at_word(p, "if", NULL))
		return parse_if(p);
	if (at_word(p, "for", NULL))
		return parse_for(p);
	if (at_word(p, "rem", "/")) { /* the rest of the line is the remark */
		struct node *n = node_new(NODE_CMD);

		n->text = xstrdup("rem");
		p->pos += strlen(p->s + p->pos);
		return n;
	}
	return parse_simple(p);
}

static struct node *binary(enum node_kind kind, struct node *a, struct node *b)
{
	struct node *n = node_new(kind);

	n->a = a;
	n->b = b;
	return n;
}

/* Precedence, loosest first: &, then && and || (left to right), then |. */
static struct node *parse_pipe(struct parser *p)
{
	struct node *left = parse_cmd(p);

	while (!p->error && peek(p) == '|' && p->s[p->pos + 1] != '|') {
		p->pos++;
		skip_blanks(p);
		left = binary(NODE_PIPE, left, parse_cmd(p));
	}
	return left;
}

static struct node *parse_cond(struct parser *p)
{
	struct node *left = parse_pipe(p);

	while (!p->error && (peek(p) == '&' || peek(p) == '|') && p->s[p->pos + 1] == peek(p)) {
		enum node_kind kind = peek(p) == '&' ? NODE_AND : NODE_OR;

		p->pos += 2;
		skip_blanks(p);
		left = binary(kind, left, parse_pipe(p));
	}
	return left;
}

static struct node *parse_seq(struct parser *p)
{
	struct node *left = parse_cond(p);

	while (!p->error && peek(p) == '&') {
		p->pos++;
		skip_blanks(p);
		if (peek(p) == '\0' || (peek(p) == ')' && p->depth > 0))
			break; /* a trailing & is allowed */
		left = binary(NODE_SEQ, left, parse_cond(p));
	}
	return left;
}

struct node *parse_line(const char *text, char **error)
{
	struct parser ps = {text, 0, 0, NULL};
	struct node *tree = NULL;

	skip_blanks(&ps);
	if (peek(&ps)) {
		tree = parse_seq(&ps);
		if (!ps.error && peek(&ps))
			parse_error(&ps, UNEXPECTED, ")");
	}
	if (ps.error) {
		node_free(tree);
		tree = NULL;
	}
	*error = ps.error;
	return tree;
}
