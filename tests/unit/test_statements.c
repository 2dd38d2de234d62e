/* test_statements.c: unit tests of the statement table (statements.c) and the
 * argument templates at work (args.c): every statement has a template that
 * holds together, its usage is what the template makes, the tool arguments
 * a schema generator reads from it, and the defaults it gives. A statement
 * added to the table is checked here without a line of this file changing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "script/script.h"
#include "script/stmt.h"

/* The C type of each kind's field, by size: the field must fit in the node. */
static size_t kind_size(enum arg_kind kind)
{
	switch (kind) {
	case ARG_CHORD: return sizeof(struct ast_chords);
	case ARG_KEY: return sizeof(struct ast_key);
	case ARG_STRING:
	case ARG_VALUE:
	case ARG_FILE: return sizeof(struct ast_str);
	case ARG_SECRET:
	case ARG_VARIABLE: return sizeof(char *);
	case ARG_DURATION: return sizeof(long);
	case ARG_POINT: return sizeof(struct ast_point);
	case ARG_REGION: return sizeof(struct screen_region);
	case ARG_INT:
	case ARG_CHOICE: return sizeof(int);
	case ARG_CONDITION: return sizeof(struct ast_cond);
	case ARG_BLOCK: return sizeof(struct ast_block);
	}
	fail_msg("unknown argument kind %d", (int)kind);
	return 0;
}

static void check_arg(const struct stmt_def *def, const struct stmt_form *form, size_t i)
{
	const struct stmt_arg *a = &form->args[i];
	union {
		long ms;
		int n;
		struct ast_point pt;
		struct screen_region r;
	} scratch;
	size_t k;

	if (!a->name || !a->name[0])
		fail_msg("'%s': argument %zu has no name", def->name, i);
	if (!a->help || !a->help[0])
		fail_msg("'%s': argument '%s' has no help (schemas and docs show it)",
			 def->name, a->name);
	for (k = 0; k < i; k++)
		if (strcmp(form->args[k].name, a->name) == 0)
			fail_msg("'%s': two arguments named '%s'", def->name, a->name);
	if (a->offset + kind_size(a->kind) > def->impl->size)
		fail_msg("'%s': argument '%s' lies outside the node (offset %zu, node %zu bytes)",
			 def->name, a->name, a->offset, def->impl->size);
	if ((a->flags & ARG_KEYWORD) && (!a->keyword || !a->keyword[0]))
		fail_msg("'%s': keyword argument '%s' has no keyword", def->name, a->name);
	if (a->kind == ARG_CHOICE && (!a->choices || !a->choices[0]))
		fail_msg("'%s': choice '%s' has no choices", def->name, a->name);
	if (a->kind == ARG_INT && a->min > a->max)
		fail_msg("'%s': '%s' ranges from %ld to %ld", def->name, a->name, a->min, a->max);
	if (a->kind == ARG_CONDITION && !a->parse)
		fail_msg("'%s': condition '%s' has no parse function", def->name, a->name);
	if (a->kind == ARG_CONDITION && !def->impl->describe)
		fail_msg("'%s': a statement with a condition describes itself", def->name);
	if ((a->flags & ARG_INTERNAL) && a->kind != ARG_BLOCK)
		fail_msg("'%s': only a block is filled in by a check ('%s')", def->name, a->name);
	if ((a->flags & ARG_LITERAL) && !a->noun)
		fail_msg("'%s': literal '%s' needs a noun for its message", def->name, a->name);
	if (a->def && !(a->flags & ARG_OPTIONAL))
		fail_msg("'%s': '%s' has a default but cannot be left out", def->name, a->name);
	if (a->def && stmt_arg_word(a, a->def, &scratch) < 0)
		fail_msg("'%s': the default of '%s', '%s', does not parse", def->name, a->name,
			 a->def);
	if ((a->flags & ARG_TYPED) && a->kind != ARG_STRING && a->kind != ARG_SECRET)
		fail_msg("'%s': only strings and secrets are typed ('%s')", def->name, a->name);
	/* Blocks close a statement: the parser reads them last. */
	for (k = i + 1; a->kind == ARG_BLOCK && k < form->nargs; k++)
		if (form->args[k].kind != ARG_BLOCK)
			fail_msg("'%s': block '%s' comes before '%s'", def->name, a->name,
				 form->args[k].name);
}

static void every_statement_has_a_template_and_handlers(void **state)
{
	size_t i, f, a;

	(void)state;
	assert_true(stmt_table_count > 0);
	for (i = 0; i < stmt_table_count; i++) {
		const struct stmt_def *def = &stmt_table[i];
		const struct stmt_impl *impl = def->impl;
		size_t plain = 0;

		if (!def->name || !def->usage || !def->summary || !impl)
			fail_msg("table line %zu lacks its name, usage, summary or handlers", i);
		if (stmt_find(def->name) != def)
			fail_msg("stmt_find(\"%s\") does not find its own line", def->name);
		if (!impl->forms || impl->nforms == 0)
			fail_msg("'%s' has no template", def->name);
		if (!impl->exec || impl->size == 0)
			fail_msg("'%s' has no exec handler or no node", def->name);
		for (f = 0; f < impl->nforms; f++) {
			const struct stmt_form *form = &impl->forms[f];
			size_t blocks = 0;

			plain += form->word == NULL;
			if (!form->args || form->nargs == 0)
				fail_msg("'%s': form %zu has no arguments", def->name, f);
			if (form->nargs > 32)
				fail_msg("'%s': more arguments than ast_stmt.given has bits", def->name);
			for (a = 0; a < form->nargs; a++) {
				check_arg(def, form, a);
				blocks += form->args[a].kind == ARG_BLOCK;
			}
			if ((blocks > 0) != (impl->flow != FLOW_NONE))
				fail_msg("'%s': %zu blocks but flow %d", def->name, blocks,
					 (int)impl->flow);
		}
		if (plain != 1)
			fail_msg("'%s' has %zu forms without a word, want 1", def->name, plain);
	}
}

static void usage_is_what_the_template_makes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < stmt_table_count; i++) {
		struct strbuf t = { 0 };

		stmt_usage(&stmt_table[i], &t);
		if (strcmp(t.p, stmt_table[i].usage) != 0)
			fail_msg("the usage of '%s' is \"%s\" in the table, \"%s\" by its template",
				 stmt_table[i].name, stmt_table[i].usage, t.p);
		free(t.p);
	}
}

/* "capture {file, region?}": a form's tool as the schema walk sees it. */
static void add_arg(const struct stmt_arg_desc *d, void *ctx)
{
	struct strbuf *t = ctx;

	if (!d->json_type || !d->help)
		fail_msg("argument '%s' has no JSON type or help", d->name);
	if (strcmp(d->json_type, "integer") == 0 && d->min > d->max)
		fail_msg("integer '%s' has no range", d->name);
	strbuf_printf(t, "%s%s%s", t->p[t->len - 1] == '{' ? "" : ", ", d->name,
		    d->required ? "" : "?");
}

static char *tool_signature(const struct stmt_def *def, const struct stmt_form *form)
{
	struct strbuf t = { 0 };

	strbuf_printf(&t, "%s {", stmt_form_tool(def, form));
	stmt_args_describe(form, add_arg, &t);
	strbuf_add(&t, "}", 1);
	return t.p;
}

static void tools_take_the_arguments_their_statements_name(void **state)
{
	static const char *const want[] = {
		"key {keys}",	   "down {key}",	     "up {key}",
		"type {text}",	   "type_secret {name}",     "wait {duration}",
		"capture {file, region?}", "expect {condition, timeout?}",
		"set {name, value}", "include {file}",	     "step {name, body?}",
		"fail {message}",  "retry {tries, body}",
		"if {condition, timeout?, then, else?}", "move {point}",
		"click {point?, button?}", "boot {command}",
	};
	struct strbuf all = { 0 };
	size_t i, f, k;

	(void)state;
	strbuf_add(&all, "\n", 1);
	for (i = 0; i < stmt_table_count; i++)
		for (f = 0; f < stmt_table[i].impl->nforms; f++) {
			char *sig = tool_signature(&stmt_table[i], &stmt_table[i].impl->forms[f]);

			strbuf_printf(&all, "%s\n", sig);
			free(sig);
		}
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		char line[128];

		snprintf(line, sizeof(line), "\n%s\n", want[k]);
		if (!strstr(all.p, line))
			fail_msg("no tool \"%s\" among:%s", want[k], all.p);
	}
	free(all.p);
}

/* The schema walk says what each argument holds. */
struct kinds_seen {
	int array, integer, enumerated, with_default;
};

static void note_kind(const struct stmt_arg_desc *d, void *ctx)
{
	struct kinds_seen *k = ctx;

	if (strcmp(d->name, "keys") == 0) {
		assert_string_equal(d->json_type, "array");
		assert_string_equal(d->format, "chord");
		k->array = 1;
	}
	if (strcmp(d->name, "tries") == 0) {
		assert_string_equal(d->json_type, "integer");
		assert_int_equal(d->min, 1);
		assert_int_equal(d->max, 100);
		k->integer = 1;
	}
	if (strcmp(d->name, "button") == 0) {
		assert_string_equal(d->choices[2], "right");
		assert_string_equal(d->def, "left");
		k->enumerated = 1;
	}
	if (strcmp(d->name, "timeout") == 0) {
		assert_string_equal(d->format, "duration");
		k->with_default = d->def != NULL;
	}
}

static void schema_walk_gives_types_ranges_choices_and_defaults(void **state)
{
	struct kinds_seen k = { 0 };
	const char *names[] = { "key", "retry", "click", "expect" };
	size_t i;

	(void)state;
	for (i = 0; i < 4; i++)
		stmt_args_describe(&stmt_find(names[i])->impl->forms[0], note_kind, &k);
	assert_true(k.array && k.integer && k.enumerated && k.with_default);
}

/* ---- defaults and given arguments in parsed statements ---- */

static struct script *parse_ok(const char *text)
{
	struct script *s = NULL;
	struct vb_error err = { 0 };

	if (script_parse(source_from_string("main.vnc", text), NULL, &s, &err) < 0)
		fail_msg("parsing \"%s\" failed: %s: %s", text, err.where, err.message);
	return s;
}

static void left_out_arguments_take_their_defaults(void **state)
{
	struct script *s = parse_ok("expect changed\nif changed { key a }\nclick\nclick 5,6 right");
	const struct ast_stmt *st = s->top.items;

	(void)state;
	assert_int_equal(*(const long *)stmt_arg_field(&st[0], "timeout"), 30000);
	assert_false(stmt_arg_given(&st[0], "timeout"));
	assert_int_equal(*(const long *)stmt_arg_field(&st[1], "timeout"), 0);
	assert_true(stmt_arg_given(&st[1], "then"));
	assert_false(stmt_arg_given(&st[1], "else"));
	assert_int_equal(*(const int *)stmt_arg_field(&st[2], "button"), 0);
	assert_false(stmt_arg_given(&st[2], "point"));
	assert_int_equal(*(const int *)stmt_arg_field(&st[3], "button"), 2);
	assert_true(stmt_arg_given(&st[3], "point"));
	assert_int_equal(((const struct ast_point *)stmt_arg_field(&st[3], "point"))->y, 6);
	assert_null(stmt_arg_field(&st[3], "timeout"));
	script_free(s);
}

static void keyword_arguments_come_in_any_order(void **state)
{
	struct script *s = parse_ok("expect changed timeout 2s in 1,2,3,4\n"
				    "expect changed in 1,2,3,4 timeout 2s\n"
				    "capture a.png in 1,2,3,4");
	const struct ast_stmt *st = s->top.items;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		const struct ast_cond *c = stmt_arg_field(&st[i], "condition");

		assert_int_equal(*(const long *)stmt_arg_field(&st[i], "timeout"), 2000);
		assert_int_equal(c->cond.region.w, 3);
	}
	assert_int_equal(((const struct screen_region *)stmt_arg_field(&st[2], "region"))->h, 4);
	script_free(s);
}

static void a_keyword_argument_given_twice_is_an_error(void **state)
{
	static const char *const twice[] = {
		"capture a.png in 1,2,3,4 in 1,2,3,4", "expect changed timeout 1s timeout 2s",
		"if changed timeout 1s timeout 1s { key a }",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(twice) / sizeof(twice[0]); i++) {
		struct script *s = NULL;
		struct vb_error err = { 0 };

		if (script_parse(source_from_string("main.vnc", twice[i]), NULL, &s, &err) == 0)
			fail_msg("\"%s\" was accepted", twice[i]);
		if (!strstr(err.message, "is given twice") || !strstr(err.hint, "usage: "))
			fail_msg("\"%s\": %s (hint: %s)", twice[i], err.message, err.hint);
	}
}

static void the_forms_of_type_are_picked_by_their_word(void **state)
{
	struct script *s = parse_ok("type \"secret\"\ntype secret pw");
	const struct ast_stmt *st = s->top.items;

	(void)state;
	assert_string_equal(stmt_form_tool(st[0].def, st[0].form), "type");
	assert_string_equal(stmt_form_tool(st[1].def, st[1].form), "type_secret");
	assert_true(stmt_arg_given(&st[0], "text"));
	assert_true(stmt_arg_given(&st[1], "name"));
	script_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_statement_has_a_template_and_handlers),
		cmocka_unit_test(usage_is_what_the_template_makes),
		cmocka_unit_test(tools_take_the_arguments_their_statements_name),
		cmocka_unit_test(schema_walk_gives_types_ranges_choices_and_defaults),
		cmocka_unit_test(left_out_arguments_take_their_defaults),
		cmocka_unit_test(keyword_arguments_come_in_any_order),
		cmocka_unit_test(a_keyword_argument_given_twice_is_an_error),
		cmocka_unit_test(the_forms_of_type_are_picked_by_their_word),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
