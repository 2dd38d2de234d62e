/* test_lexer.c: unit tests of src/script/lexer.c: words, both string kinds
 * and their escapes, ${NAME} parts with positions, statement ends, line
 * continuation, CRLF and BOM, and errors at their exact line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "script/lexer.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* One lexing: the source lives on the stack, tokens and error beside it. */
struct lexed {
	struct source src;
	struct token_list toks;
	struct vb_error err;
	int rc;
};

static void lex_n(struct lexed *lx, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src.name = "t.vb";
	lx->src.dir = ".";
	lx->src.text = (char *)text;
	lx->src.len = len;
	lx->rc = lexer_run(&lx->src, &lx->toks, &lx->err);
}

static void lex(struct lexed *lx, const char *text)
{
	lex_n(lx, text, strlen(text));
}

/* Lex text that must be valid; fail with the lexer's message if not. */
static void lex_ok(struct lexed *lx, const char *text)
{
	lex(lx, text);
	if (lx->rc != 0)
		fail_msg("lexing %s failed: %s: %s", text, lx->err.where,
			 lx->err.message);
}

/* Append printable text, escaping what would confuse a failure message. */
static void put_escaped(char *out, size_t size, const char *s, size_t n)
{
	size_t used = strlen(out), i;

	for (i = 0; i < n && used + 5 < size; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\n')
			used += (size_t)snprintf(out + used, size - used, "\\n");
		else if (c == '\t')
			used += (size_t)snprintf(out + used, size - used, "\\t");
		else if (c < 0x20 || c >= 0x7f)
			used += (size_t)snprintf(out + used, size - used, "\\x%02x", c);
		else
			out[used++] = (char)c, out[used] = '\0';
	}
}

/* The token stream as one line: words as written, strings as
 * S[part|${VAR}|part] or R[...], ';' for a statement end, EOF. */
static const char *dump(const struct token_list *l, char *out, size_t size)
{
	size_t i, k;

	out[0] = '\0';
	for (i = 0; i < l->count; i++) {
		const struct token *t = &l->items[i];
		size_t used = strlen(out);

		if (i)
			snprintf(out + used, size - used, " ");
		switch (t->kind) {
		case TOK_WORD:
			put_escaped(out, size, t->text, strlen(t->text));
			break;
		case TOK_STRING:
		case TOK_RAW:
			put_escaped(out, size, t->kind == TOK_STRING ? "S[" : "R[", 2);
			for (k = 0; k < t->nparts; k++) {
				if (k)
					put_escaped(out, size, "|", 1);
				if (t->parts[k].is_var) {
					put_escaped(out, size, "${", 2);
					put_escaped(out, size, t->parts[k].text,
						    t->parts[k].len);
					put_escaped(out, size, "}", 1);
				} else {
					put_escaped(out, size, t->parts[k].text,
						    t->parts[k].len);
				}
			}
			put_escaped(out, size, "]", 1);
			break;
		case TOK_LBRACE:
			put_escaped(out, size, "{", 1);
			break;
		case TOK_RBRACE:
			put_escaped(out, size, "}", 1);
			break;
		case TOK_END:
			put_escaped(out, size, ";", 1);
			break;
		case TOK_EOF:
			put_escaped(out, size, "EOF", 3);
			break;
		}
	}
	return out;
}

static void expect_tokens(const char *text, const char *want)
{
	struct lexed lx;
	char got[2048];

	lex_ok(&lx, text);
	dump(&lx.toks, got, sizeof(got));
	if (strcmp(got, want) != 0) {
		char shown[512] = "";

		put_escaped(shown, sizeof(shown), text, strlen(text));
		token_list_free(&lx.toks);
		fail_msg("lexing \"%s\"\n  gave  %s\n  want  %s", shown, got, want);
	}
	token_list_free(&lx.toks);
}

static void expect_at(struct src_pos pos, int line, int col, const char *what)
{
	if (pos.line != line || pos.col != col)
		fail_msg("%s is at %d:%d, want %d:%d", what, pos.line, pos.col, line,
			 col);
}

static void expect_pos(const struct token *t, int line, int col, const char *what)
{
	expect_at(t->pos, line, col, what);
}

/* Lexing must fail at where ("t.vb:L:C") with a message containing msg;
 * the token list is left empty. */
static void expect_error_n(const char *text, size_t len, const char *where,
			   const char *msg)
{
	struct lexed lx;
	char shown[512] = "";

	put_escaped(shown, sizeof(shown), text, len);
	lex_n(&lx, text, len);
	if (lx.rc == 0) {
		char got[2048];

		dump(&lx.toks, got, sizeof(got));
		token_list_free(&lx.toks);
		fail_msg("lexing \"%s\" succeeded (%s), want an error at %s", shown,
			 got, where);
	}
	if (lx.err.status != VB_USAGE)
		fail_msg("lexing \"%s\": status %d, want VB_USAGE", shown,
			 lx.err.status);
	if (strcmp(lx.err.where, where) != 0)
		fail_msg("lexing \"%s\": error at %s, want %s (%s)", shown,
			 lx.err.where, where, lx.err.message);
	if (!strstr(lx.err.message, msg))
		fail_msg("lexing \"%s\": message \"%s\" does not say \"%s\"", shown,
			 lx.err.message, msg);
	if (lx.toks.count != 0 || lx.toks.items != NULL)
		fail_msg("lexing \"%s\" failed but left %zu tokens", shown,
			 lx.toks.count);
}

static void expect_error(const char *text, const char *where, const char *msg)
{
	expect_error_n(text, strlen(text), where, msg);
}

/* ---- words, statement ends, comments, braces ---- */

static void words_are_split_on_spaces_and_tabs(void **state)
{
	(void)state;
	expect_tokens("key  ctrl-alt-del\tenter", "key ctrl-alt-del enter ; EOF");
	expect_tokens("wait 1m30s", "wait 1m30s ; EOF");
	expect_tokens("capture shots/a.png", "capture shots/a.png ; EOF");
}

static void empty_input_is_one_statement_end_and_eof(void **state)
{
	(void)state;
	expect_tokens("", "; EOF");
	expect_tokens("   \t ", "; EOF");
}

static void newlines_and_semicolons_end_statements(void **state)
{
	(void)state;
	expect_tokens("key a; key b\nkey c\n", "key a ; key b ; key c ; ; EOF");
	expect_tokens("key a;key b", "key a ; key b ; EOF");
}

static void comments_run_to_the_end_of_the_line(void **state)
{
	(void)state;
	expect_tokens("# a comment; key x \"y\n", "; ; EOF");
	expect_tokens("key a # press a; then b\nkey b", "key a ; key b ; EOF");
}

static void hash_inside_a_word_or_string_is_not_a_comment(void **state)
{
	(void)state;
	expect_tokens("capture shot#1.png", "capture shot#1.png ; EOF");
	expect_tokens("type \"a # b\"", "type S[a # b] ; EOF");
}

static void braces_are_tokens_even_without_spaces(void **state)
{
	(void)state;
	expect_tokens("step \"x\" {key a}", "step S[x] { key a } ; EOF");
	expect_tokens("step \"x\"{\n}", "step S[x] { ; } ; EOF");
}

static void quotes_end_a_word(void **state)
{
	(void)state;
	expect_tokens("type\"a\"'b'", "type S[a] R[b] ; EOF");
}

/* ---- "..." strings ---- */

static void double_quoted_string_decodes_every_escape(void **state)
{
	struct lexed lx;
	const struct token *t;

	(void)state;
	lex_ok(&lx, "type \"q\\\"b\\\\d\\$n\\nt\\t.\"");
	t = &lx.toks.items[1];
	assert_int_equal(t->kind, TOK_STRING);
	assert_int_equal(t->nparts, 1);
	assert_int_equal(t->parts[0].is_var, 0);
	assert_string_equal(t->parts[0].text, "q\"b\\d$n\nt\t.");
	assert_int_equal(t->parts[0].len, strlen("q\"b\\d$n\nt\t."));
	token_list_free(&lx.toks);
}

static void unicode_escapes_become_utf8(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
		{ "\"\\u{20AC}\"", "S[\\xe2\\x82\\xac] ; EOF" },
		{ "\"\\u{20ac}x\"", "S[\\xe2\\x82\\xacx] ; EOF" },
		{ "\"\\u{41}\"", "S[A] ; EOF" },
		{ "\"\\u{e9}\"", "S[\\xc3\\xa9] ; EOF" },
		{ "\"\\u{1F600}\"", "S[\\xf0\\x9f\\x98\\x80] ; EOF" },
		{ "\"\\u{10FFFF}\"", "S[\\xf4\\x8f\\xbf\\xbf] ; EOF" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		expect_tokens(cases[i].text, cases[i].want);
}

static void utf8_text_in_strings_is_kept(void **state)
{
	(void)state;
	expect_tokens("type \"caf\xc3\xa9 \xe2\x82\xac\"",
		      "type S[caf\\xc3\\xa9 \\xe2\\x82\\xac] ; EOF");
	expect_tokens("type '\xf0\x9f\x98\x80'", "type R[\\xf0\\x9f\\x98\\x80] ; EOF");
}

static void tab_is_allowed_inside_strings(void **state)
{
	(void)state;
	expect_tokens("type \"a\tb\" 'c\td'", "type S[a\\tb] R[c\\td] ; EOF");
}

static void empty_strings_have_one_empty_part(void **state)
{
	(void)state;
	expect_tokens("type \"\" ''", "type S[] R[] ; EOF");
}

static void variable_reference_splits_a_string_into_parts_with_positions(void **state)
{
	struct lexed lx;
	const struct token *t;

	(void)state;
	/*        1234567890123456 */
	lex_ok(&lx, "type \"a${USER}b\"");
	t = &lx.toks.items[1];
	expect_pos(t, 1, 6, "the string");
	assert_int_equal(t->nparts, 3);
	assert_int_equal(t->parts[0].is_var, 0);
	assert_string_equal(t->parts[0].text, "a");
	expect_at(t->parts[0].pos, 1, 7, "the literal 'a'");
	assert_int_equal(t->parts[1].is_var, 1);
	assert_string_equal(t->parts[1].text, "USER");
	assert_int_equal(t->parts[1].len, 4);
	expect_at(t->parts[1].pos, 1, 8, "${USER}");
	assert_int_equal(t->parts[2].is_var, 0);
	assert_string_equal(t->parts[2].text, "b");
	expect_at(t->parts[2].pos, 1, 15, "the literal 'b'");
	token_list_free(&lx.toks);
}

static void variable_references_alone_or_adjacent_have_no_empty_parts(void **state)
{
	(void)state;
	expect_tokens("\"${X}\"", "S[${X}] ; EOF");
	expect_tokens("\"${A}${B_2}\"", "S[${A}|${B_2}] ; EOF");
	expect_tokens("\"${_a}-\"", "S[${_a}|-] ; EOF");
}

static void escapes_before_a_variable_stay_in_one_literal_part(void **state)
{
	(void)state;
	expect_tokens("\"a\\tb\\u{41}${X}\\n\"", "S[a\\tbA|${X}|\\n] ; EOF");
}

static void dollar_without_brace_and_escaped_dollar_are_literal(void **state)
{
	(void)state;
	expect_tokens("\"$HOME costs $5 $\"", "S[$HOME costs $5 $] ; EOF");
	expect_tokens("\"\\${X}\"", "S[${X}] ; EOF");
}

/* ---- '...' strings ---- */

static void raw_string_is_taken_to_the_letter(void **state)
{
	(void)state;
	expect_tokens("type 'C:\\new\\0\\t \\u{41} ${X} \\'",
		      "type R[C:\\new\\0\\t \\u{41} ${X} \\] ; EOF");
	expect_tokens("type 'say \"hi\"'", "type R[say \"hi\"] ; EOF");
}

static void raw_string_is_one_literal_part(void **state)
{
	struct lexed lx;
	const struct token *t;

	(void)state;
	lex_ok(&lx, "type 'reg add \"HKLM\\x\" /v ${A}'");
	t = &lx.toks.items[1];
	assert_int_equal(t->kind, TOK_RAW);
	assert_int_equal(t->nparts, 1);
	assert_int_equal(t->parts[0].is_var, 0);
	assert_string_equal(t->parts[0].text, "reg add \"HKLM\\x\" /v ${A}");
	expect_at(t->parts[0].pos, 1, 7, "the raw text");
	token_list_free(&lx.toks);
}

/* ---- lines: continuation, CRLF, BOM, positions ---- */

static void positions_count_lines_and_character_columns(void **state)
{
	struct lexed lx;

	(void)state;
	lex_ok(&lx, "key a\n\n  type \"\xe2\x82\xac\" x");
	expect_pos(&lx.toks.items[0], 1, 1, "'key'");
	expect_pos(&lx.toks.items[1], 1, 5, "'a'");
	expect_pos(&lx.toks.items[2], 1, 6, "the first newline");
	expect_pos(&lx.toks.items[4], 3, 3, "'type'");
	expect_pos(&lx.toks.items[5], 3, 8, "the string");
	/* Columns count characters: the euro sign is one, though three bytes. */
	expect_pos(&lx.toks.items[6], 3, 12, "'x'");
	token_list_free(&lx.toks);
}

static void trailing_backslash_continues_the_statement(void **state)
{
	struct lexed lx;

	(void)state;
	expect_tokens("key a \\\n  b\nkey c", "key a b ; key c ; EOF");
	lex_ok(&lx, "key a \\\n  b");
	expect_pos(&lx.toks.items[2], 2, 3, "'b' after the continuation");
	token_list_free(&lx.toks);
}

static void trailing_backslash_before_crlf_continues_the_statement(void **state)
{
	(void)state;
	expect_tokens("key a \\\r\n b\r\nkey c\r\n", "key a b ; key c ; ; EOF");
}

static void backslash_ending_a_word_at_line_end_continues_the_statement(void **state)
{
	(void)state;
	expect_tokens("key enter\\\ntab", "key enter tab ; EOF");
	expect_tokens("key enter\\\r\ntab", "key enter tab ; EOF");
	/* Elsewhere a backslash is part of the word. */
	expect_tokens("capture a\\b.png \\x", "capture a\\b.png \\x ; EOF");
}

static void crlf_line_ends_are_plain_newlines(void **state)
{
	struct lexed lx;

	(void)state;
	expect_tokens("key a\r\ntype \"x\"\r\n# c\r\n", "key a ; type S[x] ; ; ; EOF");
	lex_ok(&lx, "key a\r\nkey b");
	expect_pos(&lx.toks.items[3], 2, 1, "'key' on line 2");
	expect_pos(&lx.toks.items[4], 2, 5, "'b' on line 2");
	token_list_free(&lx.toks);
}

static void utf8_bom_is_skipped(void **state)
{
	struct lexed lx;

	(void)state;
	expect_tokens("\xEF\xBB\xBFkey a", "key a ; EOF");
	lex_ok(&lx, "\xEF\xBB\xBFkey a");
	expect_pos(&lx.toks.items[0], 1, 1, "'key' after the BOM");
	token_list_free(&lx.toks);
}

static void bom_bytes_later_in_a_string_are_kept(void **state)
{
	(void)state;
	expect_tokens("type \"\xEF\xBB\xBF\"", "type S[\\xef\\xbb\\xbf] ; EOF");
}

/* ---- errors ---- */

static void unterminated_string_points_at_its_opening_quote(void **state)
{
	(void)state;
	expect_error("key a\ntype \"abc", "t.vb:2:6", "unterminated string");
	expect_error("type \"abc\nkey a", "t.vb:1:6", "unterminated string");
	expect_error("type 'abc\nkey a", "t.vb:1:6", "unterminated string");
	expect_error("type 'it's'", "t.vb:1:11", "unterminated string");
}

static void unterminated_string_before_crlf_is_reported_as_unterminated(void **state)
{
	(void)state;
	expect_error("type \"abc\r\nkey a\r\n", "t.vb:1:6", "unterminated string");
	expect_error("type 'abc\r\nkey a\r\n", "t.vb:1:6", "unterminated string");
	expect_error("type \"abc\\\r\nx\"", "t.vb:1:10", "unterminated string");
}

static void backslash_at_the_end_of_a_string_line_is_unterminated(void **state)
{
	(void)state;
	expect_error("type \"abc\\\nx\"", "t.vb:1:10", "unterminated string");
	expect_error("type \"abc\\", "t.vb:1:10", "unterminated string");
}

static void unknown_escape_points_at_the_backslash(void **state)
{
	(void)state;
	expect_error("type \"a\\qb\"", "t.vb:1:8", "unknown escape '\\q'");
	expect_error("type \"C:\\Windows\"", "t.vb:1:9", "unknown escape '\\W'");
	expect_error("type \"\\0\"", "t.vb:1:7", "unknown escape '\\0'");
	expect_error("type \"\\'\"", "t.vb:1:7", "unknown escape");
}

static void bad_unicode_escapes_point_at_the_backslash(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "type \"x\\u20AC\"", "'\\u' must be followed by {HEX}" },
		{ "type \"x\\u{}\"", "not a character" },
		{ "type \"x\\u{12G4}\"", "hex digits" },
		{ "type \"x\\u{1234567}\"", "hex digits" },
		{ "type \"x\\u{20AC\"", "hex digits" },
		{ "type \"x\\u{110000}\"", "\\u{110000} is not a character" },
		{ "type \"x\\u{D800}\"", "\\u{D800} is not a character" },
		{ "type \"x\\u{0}\"", "not a character" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i].text, "t.vb:1:8", cases[i].msg);
}

static void bad_variable_reference_points_at_the_dollar(void **state)
{
	(void)state;
	expect_error("type \"a${1X}\"", "t.vb:1:8", "bad variable reference");
	expect_error("type \"a${}\"", "t.vb:1:8", "bad variable reference");
	expect_error("type \"a${X\"", "t.vb:1:8", "bad variable reference");
	expect_error("type \"a${X-Y}\"", "t.vb:1:8", "bad variable reference");
}

static void nul_byte_is_refused_at_its_position(void **state)
{
	static const char text[] = "key a\nke\0y b";

	(void)state;
	expect_error_n(text, sizeof(text) - 1, "t.vb:2:3", "NUL byte");
	expect_error_n("\0", 1, "t.vb:1:1", "NUL byte");
}

static void invalid_utf8_in_a_string_is_refused_at_its_byte(void **state)
{
	static const char *const cases[] = {
		"type \"a\xff\"",	  /* never valid */
		"type \"a\x80\"",	  /* lone continuation byte */
		"type \"a\xc0\x80\"",	  /* overlong NUL */
		"type \"a\xe2\x82\"",	  /* cut short */
		"type \"a\xed\xa0\x80\"", /* surrogate */
		"type \"a\xf4\x90\x80\x80\"", /* above U+10FFFF */
		"type 'a\xff'",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		expect_error(cases[i], "t.vb:1:8", "invalid UTF-8 byte");
	expect_error("type \"a\xff\"", "t.vb:1:8", "0xff");
}

static void control_character_in_a_string_is_refused(void **state)
{
	(void)state;
	expect_error("type \"ab\x01\"", "t.vb:1:9", "control character 0x01");
	expect_error("type 'ab\x1b'", "t.vb:1:9", "control character 0x1b");
	expect_error("type \"a\rb\"", "t.vb:1:8", "control character 0x0d");
}

static void control_character_outside_strings_is_unexpected(void **state)
{
	(void)state;
	expect_error("key a\nkey \x01", "t.vb:2:5", "unexpected character 0x01");
	expect_error("key \x7f", "t.vb:1:5", "unexpected character 0x7f");
}

static void error_context_shows_the_line_and_a_caret(void **state)
{
	struct lexed lx;

	(void)state;
	lex(&lx, "key a\n\ttype \"a\\qb\"\nkey b");
	assert_int_equal(lx.rc, -1);
	assert_string_equal(lx.err.where, "t.vb:2:9");
	/* The tab is kept in both lines so the caret lines up. */
	assert_string_equal(lx.err.context, "\ttype \"a\\qb\"\n\t       ^");
}

static void error_context_stops_at_crlf(void **state)
{
	struct lexed lx;

	(void)state;
	lex(&lx, "type \"a\\q\"\r\nkey b\r\n");
	assert_int_equal(lx.rc, -1);
	assert_string_equal(lx.err.context, "type \"a\\q\"\n       ^");
}

/* ---- token_describe ---- */

static void token_describe_names_each_kind(void **state)
{
	struct lexed lx;
	char buf[96];
	static const char *const want[] = {
		"'key'", "a string", "a string", "'{'", "'}'", "end of statement",
		"end of file",
	};
	size_t i;

	(void)state;
	lex_ok(&lx, "key \"s\" 'r' { }");
	assert_int_equal(lx.toks.count, ARRAY_SIZE(want));
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		const char *got = token_describe(&lx.toks.items[i], buf, sizeof(buf));

		if (strcmp(got, want[i]) != 0)
			fail_msg("token %zu described as \"%s\", want \"%s\"", i, got,
				 want[i]);
	}
	token_list_free(&lx.toks);
}

static void token_describe_cuts_long_words_and_fits_small_buffers(void **state)
{
	struct lexed lx;
	char buf[96], tiny[6];
	char word[101];

	(void)state;
	memset(word, 'w', 100);
	word[100] = '\0';
	lex_ok(&lx, word);
	token_describe(&lx.toks.items[0], buf, sizeof(buf));
	assert_int_equal(strlen(buf), 62); /* 60 characters and two quotes */
	assert_int_equal(buf[0], '\'');
	assert_int_equal(buf[61], '\'');
	token_describe(&lx.toks.items[0], tiny, sizeof(tiny));
	assert_string_equal(tiny, "'wwww");
	token_list_free(&lx.toks);
}

static void token_list_free_empties_the_list(void **state)
{
	struct lexed lx;

	(void)state;
	lex_ok(&lx, "key a \"${X}\"");
	token_list_free(&lx.toks);
	assert_int_equal(lx.toks.count, 0);
	assert_null(lx.toks.items);
	token_list_free(&lx.toks); /* twice is harmless */
	token_list_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(words_are_split_on_spaces_and_tabs),
		cmocka_unit_test(empty_input_is_one_statement_end_and_eof),
		cmocka_unit_test(newlines_and_semicolons_end_statements),
		cmocka_unit_test(comments_run_to_the_end_of_the_line),
		cmocka_unit_test(hash_inside_a_word_or_string_is_not_a_comment),
		cmocka_unit_test(braces_are_tokens_even_without_spaces),
		cmocka_unit_test(quotes_end_a_word),
		cmocka_unit_test(double_quoted_string_decodes_every_escape),
		cmocka_unit_test(unicode_escapes_become_utf8),
		cmocka_unit_test(utf8_text_in_strings_is_kept),
		cmocka_unit_test(tab_is_allowed_inside_strings),
		cmocka_unit_test(empty_strings_have_one_empty_part),
		cmocka_unit_test(variable_reference_splits_a_string_into_parts_with_positions),
		cmocka_unit_test(variable_references_alone_or_adjacent_have_no_empty_parts),
		cmocka_unit_test(escapes_before_a_variable_stay_in_one_literal_part),
		cmocka_unit_test(dollar_without_brace_and_escaped_dollar_are_literal),
		cmocka_unit_test(raw_string_is_taken_to_the_letter),
		cmocka_unit_test(raw_string_is_one_literal_part),
		cmocka_unit_test(positions_count_lines_and_character_columns),
		cmocka_unit_test(trailing_backslash_continues_the_statement),
		cmocka_unit_test(trailing_backslash_before_crlf_continues_the_statement),
		cmocka_unit_test(backslash_ending_a_word_at_line_end_continues_the_statement),
		cmocka_unit_test(crlf_line_ends_are_plain_newlines),
		cmocka_unit_test(utf8_bom_is_skipped),
		cmocka_unit_test(bom_bytes_later_in_a_string_are_kept),
		cmocka_unit_test(unterminated_string_points_at_its_opening_quote),
		cmocka_unit_test(unterminated_string_before_crlf_is_reported_as_unterminated),
		cmocka_unit_test(backslash_at_the_end_of_a_string_line_is_unterminated),
		cmocka_unit_test(unknown_escape_points_at_the_backslash),
		cmocka_unit_test(bad_unicode_escapes_point_at_the_backslash),
		cmocka_unit_test(bad_variable_reference_points_at_the_dollar),
		cmocka_unit_test(nul_byte_is_refused_at_its_position),
		cmocka_unit_test(invalid_utf8_in_a_string_is_refused_at_its_byte),
		cmocka_unit_test(control_character_in_a_string_is_refused),
		cmocka_unit_test(control_character_outside_strings_is_unexpected),
		cmocka_unit_test(error_context_shows_the_line_and_a_caret),
		cmocka_unit_test(error_context_stops_at_crlf),
		cmocka_unit_test(token_describe_names_each_kind),
		cmocka_unit_test(token_describe_cuts_long_words_and_fits_small_buffers),
		cmocka_unit_test(token_list_free_empties_the_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
