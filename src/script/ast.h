/* ast.h: the parsed form of a script. The parser builds it, `check` prints it,
 * the interpreter walks it; nobody re-reads source text after parsing. */
#ifndef VNCBOT_AST_H
#define VNCBOT_AST_H

#include <stddef.h>
#include <stdint.h>

#include "keys/keys.h"
#include "screen/cond.h"
#include "script/lexer.h"
#include "script/source.h"
#include "script/vars.h"

struct stmt_def;

/* A string value: literal parts and ${NAME} references, joined at run time. */
struct ast_str {
	size_t nparts;
	struct str_part *parts; /* owned */
	struct src_pos pos;
};

struct ast_block {
	size_t count;
	struct ast_stmt *items;
};

struct ast_stmt {
	const struct stmt_def *def; /* which statement; its table entry */
	struct src_pos pos;
	/* Arguments; which ones are used is the statement's business. */
	size_t nchords;
	struct keys_chord *chords; /* key */
	char **chord_texts;        /* key: the chords as written, for plans */
	uint32_t keysym;           /* down, up */
	char *name;                /* set/default: variable; type secret/secret: secret */
	struct ast_str str;        /* type, capture, fail, step, set value */
	int has_str;
	long ms;                   /* wait */
	struct ast_block body;     /* step { }, include, if, retry */
	int has_body;
	struct ast_block else_body; /* if ... else { } */
	int has_else;
	struct screen_cond cond;   /* expect, if: needle pixels owned here */
	int has_cond;
	char *needle_name;         /* expect/if image: the file as written */
	long timeout_ms;           /* expect, if */
	struct screen_region region; /* capture ... in REGION */
	int count;                 /* retry */
};

struct script {
	struct source *sources; /* every file read, owned; the main one first */
	struct ast_block top;
	struct vars secrets;    /* names of the secrets typed (values empty) */
};

void ast_block_free(struct ast_block *b);
void ast_str_free(struct ast_str *s);

#endif
