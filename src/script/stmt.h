/* stmt.h: the statement table and what its entries are made of. Each
 * statement has a typed argument template (its forms, each a list of
 * arguments) from which the parser reads it, its usage is made and a schema
 * of its arguments can be; a node struct of its own that the arguments are
 * parsed into (ast_stmt.args); and handlers that check, describe and run it.
 * check, --help, the man page, the docs and (later) the MCP server all read
 * this table. Adding a statement is adding a table line (statements.c) and a
 * file of handlers (stmt_*.c); test_statements checks its template. */
#ifndef VNCBOT_STMT_H
#define VNCBOT_STMT_H

#include <stddef.h>

#include "script/ast.h"
#include "script/vars.h"
#include "util/error.h"
#include "util/strbuf.h"

struct parser;
struct interp;

/* Append s quoted as a "..." string with escapes, so it reads back the same. */
void text_quote(struct strbuf *t, const char *s, size_t n);
/* Append a string value: known variables substituted, unknown as ${NAME}. */
void text_ast_str(struct strbuf *t, const struct ast_str *s, const struct vars *vars);

/* ---- the argument template ---- */

/* What an argument is, and the type of its field in the node. */
enum arg_kind {
	ARG_CHORD,     /* a key name or chord: struct ast_chords (ARG_REPEATED adds to it) */
	ARG_KEY,       /* one key name: struct ast_key */
	ARG_STRING,    /* "..." or '...': struct ast_str */
	ARG_VALUE,     /* a string or a bare word: struct ast_str */
	ARG_FILE,      /* a path, as a string or a bare word: struct ast_str */
	ARG_SECRET,    /* the name of a secret given with --secret: char * */
	ARG_VARIABLE,  /* a variable's name: char * */
	ARG_DURATION,  /* 250ms, 2s, 1m30s: long, milliseconds */
	ARG_POINT,     /* X,Y: struct ast_point */
	ARG_REGION,    /* X,Y,W,H: struct screen_region (w 0: not given) */
	ARG_INT,       /* a whole number from min to max: int */
	ARG_CHOICE,    /* one word of choices: int, its index */
	ARG_CONDITION, /* a screen condition: struct ast_cond, read by the arg's parse */
	ARG_BLOCK,     /* { statements }: struct ast_block */
};

enum {
	ARG_OPTIONAL = 1 << 0, /* may be left out; def, if any, is its value then */
	ARG_REPEATED = 1 << 1, /* one or more, as many as are written */
	ARG_KEYWORD = 1 << 2,  /* written after its keyword (in X,Y,W,H; timeout 1m;
				* else { }), in any order among the others */
	ARG_LITERAL = 1 << 3,  /* read while parsing, so no ${NAME} (an include) */
	ARG_TYPED = 1 << 4,    /* typed as keys: a US keymap must be able to (typable.c) */
	ARG_WRITTEN = 1 << 5,  /* a file the statement writes: checked before a run */
	ARG_INTERNAL = 1 << 6, /* not written in the script: the statement's check
				* fills it (an include's statements) */
};

struct stmt_arg {
	const char *name;    /* as a tool's argument or a schema's property: "keys" */
	enum arg_kind kind;
	unsigned flags;
	size_t offset;       /* of its field in the statement's node */
	const char *keyword; /* ARG_KEYWORD: the word before it ("in") */
	const char *metavar; /* in the usage; NULL: the kind's ("DURATION") */
	const char *def;     /* ARG_OPTIONAL: its value when left out, as a script writes it */
	const char *const *choices; /* ARG_CHOICE: the words, NULL-terminated */
	long min, max;       /* ARG_INT: the range */
	const char *expected; /* in "expected ..., found ..."; NULL: the kind's */
	const char *noun;    /* ARG_LITERAL, ARG_INT: what it is, in a message ("an include path") */
	const char *missing; /* the whole message when it is left out; NULL: "expected ..." */
	const char *help;    /* what it is, for schemas and docs */
	/* ARG_CONDITION: read it into field. Returns 0, or -1 with the error set. */
	int (*parse)(struct parser *p, const struct stmt_arg *a, void *field);
	/* Words that may follow it in any order among the statement's keywords
	 * (a condition's in, similarity, tolerance): given the parser before a
	 * token that is none of the statement's keywords, take it and what goes
	 * with it and return 1, return 0 to leave it, or -1 with the error set. */
	int (*option)(struct parser *p, void *field);
};

/* One way to write a statement: `type STRING` and `type secret NAME` are the
 * two forms of type, each a tool of its own for the MCP server. */
struct stmt_form {
	const char *word;    /* the word after the statement's name that picks it, or NULL */
	const char *tool;    /* its name as a tool ("type_secret"); NULL: the statement's */
	const char *summary; /* NULL: the statement's */
	const struct stmt_arg *args;
	size_t nargs;
};

#define STMT_ARGS(a) (a), sizeof(a) / sizeof((a)[0])

/* How a statement runs its blocks (BLOCK arguments), as walks before a run
 * follow it. */
enum stmt_flow {
	FLOW_NONE,   /* it has none */
	FLOW_ONCE,   /* each once, in order (step, include) */
	FLOW_BRANCH, /* one of them, or none (if) */
	FLOW_REPEAT, /* its block once or more (retry) */
};

/* A variable a statement sets. */
struct stmt_assign {
	const char *name;
	const struct ast_str *value; /* NULL: known only at run time (read) */
	int only_if_unset; /* default */
};

/* Everything about a statement but what a reader of --help sees first. */
struct stmt_impl {
	const struct stmt_form *forms;
	size_t nforms;
	size_t size;     /* of its node, struct stmt_NAME */
	int sends_input; /* sends keys or the pointer: the screen is marked before
			  * it runs, for expect changed */
	enum stmt_flow flow;
	/* After the arguments are parsed: what the template cannot say (text a
	 * keyboard types, an include read). Returns 0, or -1 with the error set.
	 * May be NULL. */
	int (*check)(struct parser *p, struct ast_stmt *st);
	/* One line for plans and logs, vars substituting what is known. NULL:
	 * made from the template (stmt_describe). */
	void (*describe)(const struct ast_stmt *st, const struct vars *vars, struct strbuf *out);
	int (*exec)(struct interp *in, const struct ast_stmt *st);
	/* Does it set a variable? 1 with *out filled, or 0. May be NULL (no). */
	int (*assigns)(const struct ast_stmt *st, struct stmt_assign *out);
};

struct stmt_def {
	const char *name;
	const char *usage;   /* "key CHORD...", as the template makes it (stmt_usage) */
	const char *summary; /* one line */
	const struct stmt_impl *impl;
};

extern const struct stmt_def stmt_table[];
extern const size_t stmt_table_count;

const struct stmt_def *stmt_find(const char *name);

/* ---- the template at work (args.c) ---- */

/* Is argument i of st's form given (written, or filled in by the check)? */
static inline int stmt_given(const struct ast_stmt *st, size_t i)
{
	return (st->given >> i) & 1;
}

/* The field of argument a in st's node. */
static inline void *stmt_field(const struct ast_stmt *st, const struct stmt_arg *a)
{
	return (char *)st->args + a->offset;
}

/* The argument of form named name (*index its place), or NULL. */
const struct stmt_arg *stmt_arg_named(const struct stmt_form *form, const char *name,
				      size_t *index);
/* The field of st's argument named name (NULL if its form has none), and
 * whether it is given: for code that knows arguments by name (tests, front
 * ends), not by node. */
const void *stmt_arg_field(const struct ast_stmt *st, const char *name);
int stmt_arg_given(const struct ast_stmt *st, const char *name);

/* Parse st's arguments (st->def and pos set) from the tokens after its name:
 * picks the form, fills st->form, st->args and st->given, runs the check.
 * Returns 0, or -1 with the parser's error set (st may hold a part of its
 * node, which ast_block_free frees). */
int stmt_parse_args(struct parser *p, struct ast_stmt *st);

/* One word (a default, or an argument a front end passes as text) into a's
 * field: the kinds a single word makes (duration, point, region, int,
 * choice). Returns 0, or -1 if it is not one. */
int stmt_arg_word(const struct stmt_arg *a, const char *word, void *field);

/* The usage of one form ("type secret NAME") or of every form, joined with
 * " | " (what stmt_def.usage must be). */
void stmt_form_usage(const struct stmt_def *def, const struct stmt_form *form,
		     struct strbuf *out);
void stmt_usage(const struct stmt_def *def, struct strbuf *out);

/* st's line for plans and logs: its describe handler's, or made from the
 * template: the name, then each argument given or defaulted, as written. */
void stmt_describe(const struct ast_stmt *st, const struct vars *vars, struct strbuf *out);

/* Free what st's node holds, and the node. */
void stmt_free_args(struct ast_stmt *st);

/* The blocks of st (BLOCK arguments, in template order): how many, and the
 * i-th (NULL if not given) with its argument. */
size_t stmt_nblocks(const struct ast_stmt *st);
const struct ast_block *stmt_block(const struct ast_stmt *st, size_t i,
				   const struct stmt_arg **arg);

/* What a schema says of one argument a caller gives (stmt_args_describe). */
struct stmt_arg_desc {
	const struct stmt_arg *arg;
	const char *name;
	const char *json_type;  /* "string", "integer" or "array" (of strings) */
	const char *format;     /* what the string holds: "duration", "point" (X,Y),
				 * "region" (X,Y,W,H), "key", "chord", "secret",
				 * "variable", "file", "condition", "statements", or NULL */
	int required;
	int repeated;           /* an array: one or more */
	const char *def;        /* its default as a script writes it, or NULL */
	const char *const *choices; /* an enum, or NULL */
	long min, max;          /* integer: the range */
	const char *help;
};

/* Call fn for each argument of form a caller writes (not ARG_INTERNAL ones),
 * in template order; blocks too (format "statements": script text). */
void stmt_args_describe(const struct stmt_form *form,
			void (*fn)(const struct stmt_arg_desc *d, void *ctx), void *ctx);

/* The name of form as a tool: "type_secret". */
const char *stmt_form_tool(const struct stmt_def *def, const struct stmt_form *form);

/* ---- walks before a run (walk.c) ---- */

/* A walk over the statements as a run would meet them, following the
 * variables it can know: known holds the values certain at a point; unknown
 * the names whose value depends on what ran before (a branch, a retry). A
 * name in neither was never set. plan, the check of output files and the
 * checks of text a console cannot type all walk so. */
struct walk {
	struct vars known;
	struct vars unknown;
	int depth; /* blocks around the statement */
	/* Each statement, before what it sets is known. Nonzero stops the walk. */
	int (*visit)(struct walk *w, const struct ast_stmt *st);
	/* Before each block of a statement that is given. May be NULL. */
	void (*enter)(struct walk *w, const struct ast_stmt *st, const struct stmt_arg *arg,
		      const struct ast_block *b);
	void *ctx;
};

/* Walk top from the variables in defines; clears w's variables after.
 * Returns 0, or the first nonzero visit's result. */
int walk_script(struct walk *w, const struct ast_block *top, const struct vars *defines);

/* The value of s if every part of it is known here; caller frees. NULL
 * otherwise. */
char *walk_value(const struct walk *w, const struct ast_str *s);

/* ---- parser services for statements (parser.c) ---- */

/* Each returns 0, or -1 with the parser's error set at the offending token. */
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
/* The next token's text if it is a word, else NULL; nothing is taken. */
const char *parser_peek_word(struct parser *p);
int parser_duration(struct parser *p, long *ms);
int parser_at_end(struct parser *p);  /* next token ends the statement? */
int parser_next_is_word(struct parser *p, const char *word);
int parser_block(struct parser *p, struct ast_block *out);
int parser_next_is_block(struct parser *p);
/* If word follows (on this line or a later one, only line ends between:
 * `} else {`), take it and return 1. */
int parser_take_word_ahead(struct parser *p, const char *word);
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
/* "x,y,w,h" with non-negative integers, w and h at least 1 (args.c). */
int parser_region(struct parser *p, struct screen_region *r);

/* ---- interpreter services for statements (interp.c) ---- */

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
int interp_wait_screen(struct interp *in, const struct screen_cond *cond, long timeout_ms,
		       int *met, struct screen_watch *w);
/* Read the text in region (NULL or w 0: the whole screen) by OCR: its lines,
 * trimmed, joined by newlines, each secret's value in it shown as <secret
 * NAME>; noted for the evidence as a "read" at pos. *text: caller frees.
 * Returns 0, or -1 with the error set. */
int interp_read_text(struct interp *in, const struct screen_region *region,
		     struct src_pos pos, char **text);
/* The console going away on purpose, and coming back (stmt_link.c):
 * returns 0 with *gone, or -1. */
int interp_wait_disconnect(struct interp *in, long timeout_ms, int *gone);
int interp_reconnect(struct interp *in, long timeout_ms);
/* expect disconnect: the statement's run, for expect's template. */
int stmt_expect_disconnect(struct interp *in, const struct ast_stmt *st, long timeout_ms);
/* if disconnect: wait up to timeout_ms for the console to go, as expect
 * disconnect does; returns 0 with *gone (which block runs), or -1. */
int stmt_if_disconnect(struct interp *in, long timeout_ms, int *gone);
/* For the evidence: what a screen wait of the statement running saw, and
 * whether its condition held ("check" events; secrets masked). */
void interp_note_check(struct interp *in, const char *text);
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

/* ---- text conditions (stmt_text.c), for the screen condition's parser ---- */

/* After the word "text": the string to find (variables allowed), refused
 * if it has nothing OCR could tell apart. Sets the cond's kind and default
 * similarity. Returns 0, or -1 with the parser's error set. */
int text_cond_parse(struct parser *p, struct ast_cond *ac);

/* "text "Password" similar 90%" for plans and logs. */
void text_cond_describe(const struct ast_cond *ac, const struct vars *vars,
			struct strbuf *out);

/* Wait for ac's condition as interp_wait_screen does, a text condition's
 * needle made from the variables as they are now. If it did not hold and
 * what is not NULL, what gets what it waited for and what it saw. */
int text_cond_wait(struct interp *in, const struct ast_cond *ac, long timeout_ms, int *met,
		   char *what, size_t size);

/* Parse a duration such as 250ms, 2s, 1m30s, 1.5s into milliseconds.
 * Returns 0, or -1 if text is not one. */
int duration_parse(const char *text, long *ms);

#endif
