/* lexer.c: the first stage of the script pipeline. Turns bytes into tokens
 * and decodes string escapes; reports malformed text with its position.
 * It never decides what a word means: that is the parser's job. */
#include "script/lexer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"
#include "util/strbuf.h"

struct lexer {
	const struct source *src;
	size_t i;
	int line, col;
	struct token_list *out;
	size_t cap;
};

static struct src_pos here(const struct lexer *lx)
{
	return (struct src_pos){ .src = lx->src, .line = lx->line, .col = lx->col };
}

static int peek(const struct lexer *lx, size_t ahead)
{
	size_t j = lx->i + ahead;

	return j < lx->src->len ? (unsigned char)lx->src->text[j] : -1;
}

/* At the end of the text or of a line ("\n" or "\r\n")? */
static int at_eol(const struct lexer *lx)
{
	int c = peek(lx, 0);

	return c < 0 || c == '\n' || (c == '\r' && peek(lx, 1) == '\n');
}

/* At a backslash that ends its line, which continues the statement? */
static int at_continuation(const struct lexer *lx)
{
	return peek(lx, 0) == '\\' &&
	       (peek(lx, 1) == '\n' || (peek(lx, 1) == '\r' && peek(lx, 2) == '\n'));
}

static void advance(struct lexer *lx)
{
	unsigned char c = (unsigned char)lx->src->text[lx->i];

	/* Columns count characters, not bytes: UTF-8 continuation bytes do
	 * not move the column. */
	if (c == '\n') {
		lx->line++;
		lx->col = 1;
	} else if ((c & 0xC0) != 0x80) {
		lx->col++;
	}
	lx->i++;
}

static struct token *push(struct lexer *lx, enum tok_kind kind,
			  struct src_pos pos)
{
	struct token_list *l = lx->out;

	if (l->count == lx->cap) {
		lx->cap = lx->cap ? lx->cap * 2 : 64;
		l->items = xrealloc(l->items, lx->cap * sizeof(*l->items));
	}
	l->items[l->count] = (struct token){ .kind = kind, .pos = pos };
	return &l->items[l->count++];
}

static void add_part(struct token *t, int is_var, struct strbuf *b,
		     struct src_pos pos)
{
	struct str_part *p;

	t->parts = xgrow(t->parts, t->nparts, sizeof(*t->parts));
	p = &t->parts[t->nparts++];
	p->is_var = is_var;
	p->pos = pos;
	if (!b->p)
		strbuf_add(b, "", 0);
	p->text = b->p;
	p->len = b->len;
	*b = (struct strbuf){ 0 };
}

static size_t utf8_encode(unsigned long cp, char out[4])
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
	size_t len, k;
	unsigned long cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[k] & 0x3F);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Copy one UTF-8 character of string content into b, checking it. */
static int take_char(struct lexer *lx, struct strbuf *b, struct vb_error *err)
{
	const unsigned char *s = (const unsigned char *)lx->src->text + lx->i;
	size_t n = utf8_valid(s, lx->src->len - lx->i), k;

	if (n == 0)
		return source_error(err, here(lx),
				    "invalid UTF-8 byte 0x%02x in a string", s[0]);
	strbuf_add(b, (const char *)s, n);
	for (k = 0; k < n; k++)
		advance(lx);
	return 0;
}

static int lex_escape(struct lexer *lx, struct strbuf *b, struct vb_error *err)
{
	struct src_pos at = here(lx);
	int c;
	char enc[4];

	advance(lx); /* the backslash */
	c = peek(lx, 0);
	switch (c) {
	case '"': strbuf_add(b, "\"", 1); break;
	case '\\': strbuf_add(b, "\\", 1); break;
	case '$': strbuf_add(b, "$", 1); break;
	case 'n': strbuf_add(b, "\n", 1); break;
	case 't': strbuf_add(b, "\t", 1); break;
	case 'u': {
		unsigned long cp = 0;
		int digits = 0;

		advance(lx);
		if (peek(lx, 0) != '{')
			return source_error(err, at,
				"'\\u' must be followed by {HEX}, as in \\u{20AC}");
		advance(lx);
		while (peek(lx, 0) != '}') {
			c = peek(lx, 0);
			if (c < 0 || !strchr("0123456789abcdefABCDEF", c) || digits >= 6)
				return source_error(err, at,
					"bad \\u{...} escape: expected 1 to 6 hex digits and '}'");
			cp = cp * 16 + (unsigned long)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
			digits++;
			advance(lx);
		}
		if (digits == 0 || cp > 0x10FFFF || cp == 0 ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return source_error(err, at,
				"\\u{%lX} is not a character that can be typed", cp);
		strbuf_add(b, enc, utf8_encode(cp, enc));
		break;
	}
	default:
		if (at_eol(lx))
			return source_error(err, at, "unterminated string");
		return source_error(err, at,
			"unknown escape '\\%c' (known: \\\" \\\\ \\$ \\n \\t \\u{HEX}); "
			"for a literal backslash write \\\\ or use a '...' string",
			c >= 0x20 && c < 0x7f ? c : '?');
	}
	advance(lx);
	return 0;
}

static int is_name_char(int c, int first)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
	       (!first && c >= '0' && c <= '9');
}

static int lex_string(struct lexer *lx, struct vb_error *err)
{
	struct src_pos start = here(lx), part_pos;
	struct token *t = push(lx, TOK_STRING, start);
	struct strbuf b = { 0 };

	advance(lx); /* opening quote */
	part_pos = here(lx);
	for (;;) {
		int c = peek(lx, 0);

		if (at_eol(lx))
			goto unterminated;
		if (c == '"')
			break;
		if (c == '\\') {
			if (lex_escape(lx, &b, err) < 0)
				goto fail;
			continue;
		}
		if (c == '$' && peek(lx, 1) == '{') {
			struct src_pos var_pos = here(lx);
			struct strbuf name = { 0 };

			if (b.len)
				add_part(t, 0, &b, part_pos);
			advance(lx);
			advance(lx);
			while (is_name_char(peek(lx, 0), name.len == 0)) {
				char ch = (char)peek(lx, 0);

				strbuf_add(&name, &ch, 1);
				advance(lx);
			}
			if (peek(lx, 0) != '}' || name.len == 0) {
				free(name.p);
				source_error(err, var_pos,
					"bad variable reference: expected ${NAME} with NAME "
					"made of letters, digits and '_' (write \\$ for a literal $)");
				goto fail;
			}
			advance(lx);
			add_part(t, 1, &name, var_pos);
			part_pos = here(lx);
			continue;
		}
		if (c < 0x20 && c != '\t') {
			source_error(err, here(lx),
				"control character 0x%02x in a string; write \\n or \\t", c);
			goto fail;
		}
		if (take_char(lx, &b, err) < 0)
			goto fail;
	}
	advance(lx); /* closing quote */
	if (b.len || t->nparts == 0)
		add_part(t, 0, &b, part_pos);
	return 0;
unterminated:
	source_error(err, start, "unterminated string: no closing '\"' on this line");
fail:
	free(b.p);
	return -1;
}

static int lex_raw(struct lexer *lx, struct vb_error *err)
{
	struct src_pos start = here(lx), part_pos;
	struct token *t = push(lx, TOK_RAW, start);
	struct strbuf b = { 0 };

	advance(lx);
	part_pos = here(lx);
	for (;;) {
		int c = peek(lx, 0);

		if (at_eol(lx)) {
			source_error(err, start,
				"unterminated string: no closing \"'\" on this line "
				"('...' strings cannot contain a single quote; use \"...\")");
			goto fail;
		}
		if (c == '\'')
			break;
		if (c < 0x20 && c != '\t') {
			source_error(err, here(lx),
				"control character 0x%02x in a string", c);
			goto fail;
		}
		if (take_char(lx, &b, err) < 0)
			goto fail;
	}
	advance(lx);
	add_part(t, 0, &b, part_pos);
	return 0;
fail:
	free(b.p);
	return -1;
}

static int word_char(int c)
{
	return c > ' ' && c != 0x7f && c != '"' && c != '\'' && c != '{' &&
	       c != '}' && c != ';';
}

int lexer_run(const struct source *src, struct token_list *out,
	      struct vb_error *err)
{
	struct lexer lx = { .src = src, .line = 1, .col = 1, .out = out };

	memset(out, 0, sizeof(*out));
	if (memchr(src->text, '\0', src->len)) {
		size_t at = (size_t)((const char *)memchr(src->text, '\0', src->len) - src->text);

		while (lx.i < at)
			advance(&lx);
		source_error(err, here(&lx), "NUL byte in script: is this a text file?");
		goto fail;
	}
	/* A UTF-8 byte order mark is skipped, as editors on Windows write one. */
	if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0)
		lx.i = 3;
	while (lx.i < src->len) {
		int c = peek(&lx, 0);
		struct src_pos pos = here(&lx);

		if (c == '\n' || c == ';') {
			push(&lx, TOK_END, pos);
			advance(&lx);
		} else if (c == ' ' || c == '\t' || c == '\r') {
			advance(&lx);
		} else if (at_continuation(&lx)) {
			/* A backslash at the end of a line continues the statement. */
			advance(&lx);
			while (peek(&lx, 0) != '\n')
				advance(&lx);
			advance(&lx);
		} else if (c == '#') {
			while (lx.i < src->len && peek(&lx, 0) != '\n')
				advance(&lx);
		} else if (c == '"') {
			if (lex_string(&lx, err) < 0)
				goto fail;
		} else if (c == '\'') {
			if (lex_raw(&lx, err) < 0)
				goto fail;
		} else if (c == '{') {
			push(&lx, TOK_LBRACE, pos);
			advance(&lx);
		} else if (c == '}') {
			push(&lx, TOK_RBRACE, pos);
			advance(&lx);
		} else if (word_char(c)) {
			size_t start = lx.i;
			struct token *t;

			/* A word ends before a backslash that ends the line. */
			while (lx.i < src->len && word_char(peek(&lx, 0)) &&
			       !at_continuation(&lx))
				advance(&lx);
			if (peek(&lx, 0) == '{' && lx.i > start && src->text[lx.i - 1] == '$') {
				source_error(err, pos, "a variable outside a string: ${NAME} "
					     "is replaced only inside \"...\"");
				vb_hint(err, "quote the whole word, as in: capture \"${DIR}/shot.png\"");
				goto fail;
			}
			t = push(&lx, TOK_WORD, pos);
			t->text = xstrndup(src->text + start, lx.i - start);
		} else {
			source_error(err, pos, "unexpected character 0x%02x", c);
			goto fail;
		}
	}
	push(&lx, TOK_END, here(&lx));
	push(&lx, TOK_EOF, here(&lx));
	return 0;
fail:
	token_list_free(out);
	return -1;
}

void token_list_free(struct token_list *list)
{
	size_t i, k;

	if (!list)
		return;
	for (i = 0; i < list->count; i++) {
		struct token *t = &list->items[i];

		free(t->text);
		for (k = 0; k < t->nparts; k++)
			free(t->parts[k].text);
		free(t->parts);
	}
	free(list->items);
	memset(list, 0, sizeof(*list));
}

const char *token_describe(const struct token *tok, char *buf, size_t size)
{
	switch (tok->kind) {
	case TOK_WORD:
		snprintf(buf, size, "'%.60s'", tok->text);
		break;
	case TOK_STRING:
	case TOK_RAW:
		snprintf(buf, size, "a string");
		break;
	case TOK_LBRACE:
		snprintf(buf, size, "'{'");
		break;
	case TOK_RBRACE:
		snprintf(buf, size, "'}'");
		break;
	case TOK_END:
		snprintf(buf, size, "end of statement");
		break;
	case TOK_EOF:
		snprintf(buf, size, "end of file");
		break;
	}
	return buf;
}
