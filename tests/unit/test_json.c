/* test_json.c: the shared JSON helpers over jansson: any bytes make a valid
 * JSON string (what is not UTF-8 becomes U+FFFD, the rest is kept), control
 * bytes and quotes are escaped by jansson, times are rounded to the
 * millisecond and written as such, and a line is one line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/json.h"

/* obj dumped as json_write_line writes it, into a malloc'ed string. */
static char *dump_line(const json_t *obj)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(json_write_line(f, obj), 0);
	fclose(f);
	return buf;
}

static void utf8_text_is_kept_and_quotes_and_controls_are_escaped(void **state)
{
	json_t *s = json_text("r\xc3\xa9sum\xc3\xa9 \"x\" \\ \n\x01 \xe2\x82\xac");
	json_t *o;
	char *line;

	(void)state;
	assert_non_null(s);
	assert_string_equal(json_string_value(s),
			    "r\xc3\xa9sum\xc3\xa9 \"x\" \\ \n\x01 \xe2\x82\xac");
	o = json_pack("{s:O}", "s", s);
	line = dump_line(o);
	assert_string_equal(line,
			    "{\"s\":\"r\xc3\xa9sum\xc3\xa9 \\\"x\\\" \\\\ \\n\\u0001 \xe2\x82\xac\"}\n");
	free(line);
	json_decref(o);
	json_decref(s);
}

static void bytes_that_are_not_utf8_become_replacement_characters(void **state)
{
	/* A Latin-1 name, a cut sequence, an overlong '/', a surrogate. */
	json_t *s = json_text("caf\xe9 \xe2\x82 \xc0\xaf \xed\xa0\x80 ok");

	(void)state;
	assert_non_null(s);
	assert_string_equal(json_string_value(s),
			    "caf\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd "
			    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd ok");
	json_decref(s);
	s = json_text(NULL);
	assert_true(json_is_null(s));
	json_decref(s);
}

static void seconds_are_written_to_the_millisecond(void **state)
{
	json_t *o = json_pack("{s:o,s:o,s:o}", "a", json_seconds(1.2344999), "b",
			      json_seconds(0.0), "c", json_seconds(3600.1235));
	char *line;

	(void)state;
	line = dump_line(o);
	assert_string_equal(line, "{\"a\":1.234,\"b\":0.0,\"c\":3600.124}\n");
	free(line);
	json_decref(o);
}

static void a_line_reads_back_as_the_same_object(void **state)
{
	json_t *o = json_pack("{s:s,s:i,s:[s,s]}", "event", "step", "n", 3, "names", "a\nb", "c");
	json_error_t jerr;
	json_t *back;
	char *line;

	(void)state;
	line = dump_line(o);
	assert_int_equal(strchr(line, '\n') - line, (long)strlen(line) - 1);
	back = json_loads(line, 0, &jerr);
	assert_non_null(back);
	assert_true(json_equal(o, back));
	free(line);
	json_decref(back);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(utf8_text_is_kept_and_quotes_and_controls_are_escaped),
		cmocka_unit_test(bytes_that_are_not_utf8_become_replacement_characters),
		cmocka_unit_test(seconds_are_written_to_the_millisecond),
		cmocka_unit_test(a_line_reads_back_as_the_same_object),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
