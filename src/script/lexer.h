/* lexer.h: script text -> tokens with positions. Knows nothing of statements:
 * words, the two string kinds (escapes decoded, ${NAME} split out), braces,
 * statement ends. */
#ifndef VNCBOT_LEXER_H
#define VNCBOT_LEXER_H

#include <stddef.h>

#include "script/source.h"

enum tok_kind {
	TOK_WORD,    /* a run of non-space characters: key, ctrl-alt-del, 250ms */
	TOK_STRING,  /* "..." : parts, escapes decoded */
	TOK_RAW,     /* '...' : one literal part */
	TOK_LBRACE,  /* { */
	TOK_RBRACE,  /* } */
	TOK_END,     /* end of a statement: newline or ';' */
	TOK_EOF,
};

/* A piece of a string: literal bytes, or a ${NAME} reference (text = NAME). */
struct str_part {
	int is_var;
	char *text; /* malloc'ed, NUL-terminated; len excludes the NUL */
	size_t len;
	struct src_pos pos;
};

struct token {
	enum tok_kind kind;
	struct src_pos pos;
	char *text; /* TOK_WORD: the word; NULL otherwise */
	size_t nparts;
	struct str_part *parts; /* TOK_STRING / TOK_RAW */
};

struct token_list {
	size_t count;
	struct token *items;
};

/* Tokenize src. Returns 0 and fills out (free with token_list_free), or -1
 * with err at the offending position (unterminated string, bad escape,
 * NUL byte, invalid UTF-8 in a string). */
int lexer_run(const struct source *src, struct token_list *out,
	      struct vb_error *err);

void token_list_free(struct token_list *list);

/* Human name of a token for messages: "'word'", "a string", "end of line". */
const char *token_describe(const struct token *tok, char *buf, size_t size);

#endif
