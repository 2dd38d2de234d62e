/* walk.c: the walk over a script before it runs, following what can be known
 * of its variables then: -D, set and default with known values; not what a
 * branch or a retry decides. plan (interp.c), the check of output files
 * (interp.c) and the checks of typing (typable.c) walk this way, each with a
 * visit of its own. How each statement runs its blocks and what it sets is
 * the statement table's (stmt_impl.flow, .assigns). */
#include <stdlib.h>
#include <string.h>

#include "script/stmt.h"

static void walk_copy(struct walk *to, const struct walk *from)
{
	*to = *from;
	to->known = (struct vars){ 0 };
	to->unknown = (struct vars){ 0 };
	vars_copy(&to->known, &from->known);
	vars_copy(&to->unknown, &from->unknown);
}

static void walk_clear(struct walk *w)
{
	vars_clear(&w->known);
	vars_clear(&w->unknown);
}

static void walk_forget(struct walk *w, const char *name)
{
	vars_unset(&w->known, name);
	vars_set(&w->unknown, name, "");
}

static void walk_learn(struct walk *w, const char *name, const char *value)
{
	vars_unset(&w->unknown, name);
	vars_set(&w->known, name, value);
}

char *walk_value(const struct walk *w, const struct ast_str *s)
{
	struct strbuf t = { 0 };
	size_t i;

	strbuf_add(&t, "", 0);
	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		const char *v = part->is_var ? vars_get(&w->known, part->text) : part->text;

		if (!v) {
			free(t.p);
			return NULL;
		}
		strbuf_add(&t, v, part->is_var ? strlen(v) : part->len);
	}
	return t.p;
}

/* A statement that sets a variable, as the interpreter runs it. */
static void walk_assign(struct walk *w, const struct stmt_assign *a)
{
	char *value;

	if (a->only_if_unset && (vars_get(&w->known, a->name) || vars_get(&w->unknown, a->name)))
		return; /* unchanged if known; if unknown, either its value or this */
	value = a->value ? walk_value(w, a->value) : NULL; /* NULL: read at run time */
	if (value)
		walk_learn(w, a->name, value);
	else
		walk_forget(w, a->name);
	free(value);
}

/* Every variable a block may set, forgotten: its value at the start of a
 * retry's second try is the first try's. */
static void walk_forget_sets(struct walk *w, const struct ast_block *b)
{
	size_t i, k;

	for (i = 0; i < b->count; i++) {
		const struct ast_stmt *st = &b->items[i];
		const struct stmt_impl *impl = st->def->impl;
		struct stmt_assign a;

		if (impl->assigns && impl->assigns(st, &a))
			walk_forget(w, a.name);
		for (k = 0; k < stmt_nblocks(st); k++) {
			const struct ast_block *sub = stmt_block(st, k, NULL);

			if (sub)
				walk_forget_sets(w, sub);
		}
	}
}

/* After a branch: a variable is known if every way left it known and equal. */
static void walk_merge(struct walk *w, const struct walk *ways, size_t n)
{
	size_t k, j, i, m;

	for (k = 0; k < n; k++) {
		const struct vars *sets[2] = { &ways[k].known, &ways[k].unknown };

		for (j = 0; j < 2; j++) {
			for (i = 0; i < sets[j]->count; i++) {
				const char *name = sets[j]->items[i].name;
				const char *first = vars_get(&ways[0].known, name);
				int same = first != NULL;

				for (m = 1; m < n && same; m++) {
					const char *v = vars_get(&ways[m].known, name);

					same = v && strcmp(v, first) == 0;
				}
				if (same)
					walk_learn(w, name, first);
				else
					walk_forget(w, name);
			}
		}
	}
}

static int walk_block(struct walk *w, const struct ast_block *b);

static int walk_sub(struct walk *w, const struct ast_stmt *st, size_t k)
{
	const struct stmt_arg *arg;
	const struct ast_block *b = stmt_block(st, k, &arg);
	int rc;

	if (!b)
		return 0;
	if (w->enter)
		w->enter(w, st, arg, b);
	w->depth++;
	rc = walk_block(w, b);
	w->depth--;
	return rc;
}

#define BRANCHES_MAX 4

static int walk_stmt(struct walk *w, const struct ast_stmt *st)
{
	const struct stmt_impl *impl = st->def->impl;
	size_t n = stmt_nblocks(st), k;
	struct stmt_assign a;
	int rc = w->visit ? w->visit(w, st) : 0;

	if (rc)
		return rc;
	if (impl->assigns && impl->assigns(st, &a))
		walk_assign(w, &a);
	switch (impl->flow) {
	case FLOW_NONE:
		break;
	case FLOW_REPEAT:
	case FLOW_ONCE:
		/* A repeated block's second try starts from what its first left. */
		for (k = 0; k < n && impl->flow == FLOW_REPEAT; k++)
			if (stmt_block(st, k, NULL))
				walk_forget_sets(w, stmt_block(st, k, NULL));
		for (k = 0; k < n && rc == 0; k++)
			rc = walk_sub(w, st, k);
		break;
	case FLOW_BRANCH: {
		/* One way or another: each block from here, and none (an if
		 * without else) is the way of an empty block. */
		struct walk ways[BRANCHES_MAX];

		if (n > BRANCHES_MAX)
			abort();
		for (k = 0; k < n; k++)
			walk_copy(&ways[k], w);
		for (k = 0; k < n && rc == 0; k++)
			rc = walk_sub(&ways[k], st, k);
		if (rc == 0)
			walk_merge(w, ways, n);
		for (k = 0; k < n; k++)
			walk_clear(&ways[k]);
		break;
	}
	}
	return rc;
}

static int walk_block(struct walk *w, const struct ast_block *b)
{
	size_t i;
	int rc;

	for (i = 0; i < b->count; i++)
		if ((rc = walk_stmt(w, &b->items[i])) != 0)
			return rc;
	return 0;
}

int walk_script(struct walk *w, const struct ast_block *top, const struct vars *defines)
{
	int rc;

	vars_copy(&w->known, defines);
	rc = walk_block(w, top);
	walk_clear(w);
	return rc;
}
