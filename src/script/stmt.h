/* stmt.h: the statement table. One entry per statement: its name, usage,
 * one-line summary, and the functions that parse, describe and run it.
 * check, --help, docs, error messages (and later the MCP server) all read
 * this table; adding a statement is adding a table line and its functions. */
#ifndef VNCBOT_STMT_H
#define VNCBOT_STMT_H

#include <stddef.h>

#include "script/ast.h"
#include "script/vars.h"
#include "util/error.h"

struct parser;
struct interp;

/* A growing text buffer for plans and log lines. */
struct text {
	char *p;
	size_t len, cap;
};
void text_add(struct text *t, const char *s, size_t n);
void text_printf(struct text *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append s quoted as a "..." string with escapes, so it reads back the same. */
void text_quote(struct text *t, const char *s, size_t n);
/* Append a string value: known variables substituted, unknown as ${NAME}. */
void text_ast_str(struct text *t, const struct ast_str *s, const struct vars *vars);

struct stmt_def {
	const char *name;
	const char *usage;   /* "key CHORD..." */
	const char *summary; /* one line */
	int (*parse)(struct parser *p, struct ast_stmt *st);
	/* One line for plans and logs; vars substitute what is known. */
	void (*describe)(const struct ast_stmt *st, const struct vars *vars,
			 struct text *out);
	int (*exec)(struct interp *in, const struct ast_stmt *st);
	/* Sends keys: the screen is marked before it runs, for expect changed. */
	int sends_input;
	/* Types its string (or secret) as text, which a console with a US
	 * keymap may not be able to type (typable.c checks it). */
	int types_text;
};

extern const struct stmt_def stmt_table[];
extern const size_t stmt_table_count;

const struct stmt_def *stmt_find(const char *name);

/* Parser services for statements (parser.c). Each returns 0, or -1 with the
 * parser's error set at the offending token. */
int parser_string(struct parser *p, struct ast_str *out, const char *what);
/* A string, or a bare word taken as a literal (file names: capture a.png). */
int parser_value(struct parser *p, struct ast_str *out, const char *what);
/* A value whose text is known at parse time: a ${NAME} in it is refused as
 * "NOUN cannot use variables" (a file read while parsing: a needle, an
 * include). On -1, out may hold parts the caller frees (ast_str_free). */
int parser_literal(struct parser *p, struct ast_str *out, const char *what,
		   const char *noun);
int parser_word(struct parser *p, const char **word, struct src_pos *pos,
		const char *what);
int parser_duration(struct parser *p, long *ms);
int parser_at_end(struct parser *p);  /* next token ends the statement? */
int parser_next_is_word(struct parser *p, const char *word);
int parser_block(struct parser *p, struct ast_block *out);
int parser_next_is_block(struct parser *p);
/* If 'else' follows (on this line or the next), take it and return 1. */
int parser_take_else(struct parser *p);
/* The directory of the file being parsed (needles are found from it). */
const char *parser_dir(struct parser *p);
int parser_include(struct parser *p, const struct ast_str *path,
		   struct ast_block *out);
void parser_define(struct parser *p, const char *name);
int parser_use_secret(struct parser *p, const char *name, struct src_pos pos);
int parser_error(struct parser *p, struct src_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The error the parser fills, to add a hint after parser_error. */
struct vb_error *parser_error_of(struct parser *p);

/* Interpreter services for statements (interp.c). */
int interp_keysym(struct interp *in, uint32_t keysym, int down);
int interp_type(struct interp *in, const char *text, size_t len,
		struct src_pos pos);
int interp_type_secret(struct interp *in, const char *name, struct src_pos pos);
int interp_pause(struct interp *in, long ms);
int interp_pointer(struct interp *in, int x, int y, int buttons);
/* Where the pointer was last sent (0,0 before any move). */
void interp_pointer_position(struct interp *in, int *x, int *y);
int interp_capture(struct interp *in, const char *path, const struct screen_region *region);
/* Wait for a screen condition; returns 0 with *met, or -1. */
int interp_wait_screen(struct interp *in, const struct ast_stmt *st, long timeout_ms, int *met,
		       struct screen_watch *w);
/* Run a block as one try of a retry: returns 0, 1 if it failed in a way a
 * retry may fix (VB_FAILED: fail, an expect that timed out), or -1. */
int interp_try_block(struct interp *in, const struct ast_block *b);
int interp_block(struct interp *in, const struct ast_block *b);
/* Join a string value with the current variables; caller frees. */
char *interp_str(struct interp *in, const struct ast_str *s);
void interp_set(struct interp *in, const char *name, const char *value,
		int only_if_unset);
int interp_fail(struct interp *in, struct src_pos pos, const char *why);
void interp_step(struct interp *in, const char *name, int begin, struct src_pos pos);
/* Log that try `done` of `total` failed and the block runs again. */
void interp_note_retry(struct interp *in, struct src_pos pos, int done, int total);

/* Text a console that turns keysyms into keys through a US keymap (QEMU)
 * cannot type (typable.c). Each returns 0, or -1 with err (VB_USAGE, at the
 * place in the script, with a hint). */
/* The parts of s whose value vars knows (literal text always; a variable that
 * vars lacks is skipped): the first character such a console cannot type is
 * named, with U+XXXX. */
int typable_check_str(const struct ast_str *s, const struct vars *vars, struct vb_error *err);
/* A secret's value, typed at pos: the message says which secret and the
 * position of the character, never the character. */
int typable_check_secret(const char *name, const char *value, struct src_pos pos,
			 struct vb_error *err);
/* Before a string is typed: if the target types through a US keymap, check
 * it with the current variables, so that nothing of it is sent if it fails. */
int interp_check_typable(struct interp *in, const struct ast_str *s);

/* Parse a duration such as 250ms, 2s, 1m30s, 1.5s into milliseconds.
 * Returns 0, or -1 if text is not one. */
int duration_parse(const char *text, long *ms);

#endif
