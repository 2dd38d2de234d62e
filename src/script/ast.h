/* ast.h: the parsed form of a script. The parser builds it, `check` prints it,
 * the interpreter walks it; nobody re-reads source text after parsing. Each
 * statement's arguments sit in a node of its own (struct stmt_NAME, in its
 * handler file); the values a node is made of are the types below, one per
 * kind of argument (stmt.h's enum arg_kind says which is which). */
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
struct stmt_form;

/* A string value: literal parts and ${NAME} references, joined at run time. */
struct ast_str {
	size_t nparts;
	struct str_part *parts; /* owned */
	struct src_pos pos;
};

/* Statements in braces (or an included file's). */
struct ast_block {
	size_t count;
	struct ast_stmt *items;
	struct src_pos pos; /* its '{' */
};

/* Key names or chords, each as written (for plans) and as keysyms. */
struct ast_chords {
	size_t count;
	struct keys_chord *chords;
	char **texts;
};

/* One key: its keysym and its name as written. */
struct ast_key {
	uint32_t keysym;
	char *name;
};

/* A point on the screen, in pixels from the top left. */
struct ast_point {
	int x, y;
};

/* A screen condition, with the needle it reads while parsing (image). */
struct ast_cond {
	struct screen_cond cond; /* the needle's pixels owned here */
	char *needle_name;       /* image: the file as written */
	struct ast_str text;     /* text: what to find, ${NAME} made at run time */
};

struct ast_stmt {
	const struct stmt_def *def;   /* which statement: its table entry */
	const struct stmt_form *form; /* which of its forms (type STRING, type secret NAME) */
	struct src_pos pos;
	unsigned given; /* bit i: the form's argument i was written (or filled in) */
	void *args;     /* its node, struct stmt_NAME: the arguments, typed; owned */
};

struct script {
	struct source *sources; /* every file read, owned; the main one first */
	struct ast_block top;
	struct vars secrets;    /* names of the secrets typed (values empty) */
};

void ast_block_free(struct ast_block *b);
void ast_str_free(struct ast_str *s);

#endif
