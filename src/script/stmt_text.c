/* stmt_text.c: text on the screen in scripts: the text condition of expect
 * and if (its needle, its similarity, its words in plans and messages) and
 * the read statement, which puts what the screen says into a variable and
 * the evidence. Reading is the target's (the run lends its OCR engine);
 * matching is ocr/match.c's. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/ocr.h"
#include "script/stmt.h"

/* ---- the text condition ---- */

int text_cond_parse(struct parser *p, struct ast_cond *ac)
{
	size_t i;
	int literal = 1;
	char folded[8];

	ac->cond.kind = COND_TEXT;
	ac->cond.similarity = OCR_DEFAULT_SIMILARITY;
	if (parser_string(p, &ac->text, "the text to find, in quotes: expect text \"Password\"") < 0)
		return -1;
	for (i = 0; i < ac->text.nparts; i++)
		if (ac->text.parts[i].is_var)
			literal = 0;
	if (literal) {
		struct strbuf t = { 0 };
		size_t n;

		strbuf_add(&t, "", 0);
		for (i = 0; i < ac->text.nparts; i++)
			strbuf_add(&t, ac->text.parts[i].text, ac->text.parts[i].len);
		n = ocr_fold(t.p, folded, sizeof(folded));
		strbuf_free(&t);
		if (n == 0)
			return parser_error(p, ac->text.pos, "expected text to find, found only "
					    "spaces: OCR cannot tell them apart");
	}
	return 0;
}

void text_cond_describe(const struct ast_cond *ac, const struct vars *vars, struct strbuf *out)
{
	strbuf_add(out, "text ", 5);
	text_ast_str(out, &ac->text, vars);
	strbuf_printf(out, " similar %.0f%%", ac->cond.similarity * 100);
}

int text_cond_wait(struct interp *in, const struct ast_cond *ac, long timeout_ms, int *met,
		   char *what, size_t size)
{
	struct screen_cond cond = ac->cond;
	struct screen_watch w;
	char *text = NULL;
	int rc;

	if (cond.kind == COND_TEXT)
		cond.text = text = interp_str(in, &ac->text);
	rc = interp_wait_screen(in, &cond, timeout_ms, met, &w);
	if (rc == 0) {
		/* The evidence says which check held and on what it was seen. */
		char seen[600], line[640];

		screen_cond_describe(&cond, &w, ac->needle_name, seen, sizeof(seen));
		snprintf(line, sizeof(line), "%s: %s", *met ? "held" : "did not hold", seen);
		interp_note_check(in, line);
		if (!*met && what)
			snprintf(what, size, "%s", seen);
	}
	free(text);
	return rc;
}

/* ---- read NAME [in X,Y,W,H] ---- */

struct stmt_read {
	char *name;
	struct screen_region region;
};

static const struct stmt_arg read_args[] = {
	{ .name = "name", .kind = ARG_VARIABLE, .offset = offsetof(struct stmt_read, name),
	  .help = "the variable that gets the text: letters, digits and '_', not "
		  "starting with a digit" },
	{ .name = "region", .kind = ARG_REGION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "in", .offset = offsetof(struct stmt_read, region),
	  .help = "the part of the screen to read, X,Y,W,H in pixels; the whole "
		  "screen by default" },
};

static const struct stmt_form read_forms[] = { { .args = STMT_ARGS(read_args) } };

/* Defined from here on, its value known only when the run reads it. */
static int check_read(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_read *n = st->args;

	parser_define(p, n->name);
	return 0;
}

static int assigns_read(const struct ast_stmt *st, struct stmt_assign *out)
{
	const struct stmt_read *n = st->args;

	*out = (struct stmt_assign){ n->name, NULL, 0 };
	return 1;
}

static int exec_read(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_read *n = st->args;
	char *text;

	if (interp_read_text(in, stmt_given(st, 1) ? &n->region : NULL, st->pos, &text) < 0)
		return -1;
	interp_set(in, n->name, text, 0);
	free(text);
	return 0;
}

const struct stmt_impl stmt_read_impl = {
	.forms = read_forms, .nforms = 1, .size = sizeof(struct stmt_read),
	.check = check_read, .exec = exec_read, .assigns = assigns_read,
};
