/* test_error.c: struct vb_error keeps its promise of one-line messages and
 * hints, whatever a server or a file put into them: control bytes become
 * escapes, printable text and UTF-8 pass unchanged, long text is cut
 * without breaking an escape. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/error.h"

static void a_server_newline_is_escaped_not_printed(void **state)
{
	struct vb_error err;

	(void)state;
	/* What libvncclient reports for a server that sent "HTTP/1.1\n4\x01\x7f". */
	assert_int_equal(vb_fail(&err, VB_CONNECT, "handshake failed: %s",
				 "Not a valid VNC server (HTTP/1.1\n4\x01\x7f)"),
			 -1);
	assert_int_equal(err.status, VB_CONNECT);
	assert_string_equal(err.message,
			    "handshake failed: Not a valid VNC server (HTTP/1.1\\n4\\x01\\x7f)");
	vb_hint(&err, "a tab\there, a return\r");
	assert_string_equal(err.hint, "a tab\\there, a return\\r");
}

static void printable_text_and_utf8_are_kept(void **state)
{
	struct vb_error err;

	(void)state;
	vb_fail(&err, VB_USAGE, "cannot open script '%s': %s", "r\xc3\xa9sum\xc3\xa9 \\ \"x\".vnc",
		"No such file or directory");
	assert_string_equal(err.message, "cannot open script 'r\xc3\xa9sum\xc3\xa9 \\ \"x\".vnc': "
					 "No such file or directory");
}

static void a_long_message_is_cut_between_escapes(void **state)
{
	struct vb_error err;
	char text[2000];
	size_t n;

	(void)state;
	memset(text, '\n', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	vb_fail(&err, VB_FAILED, "%s", text);
	n = strlen(err.message);
	assert_true(n < sizeof(err.message));
	assert_int_equal(n % 2, 0); /* whole "\n" pairs only */
	assert_null(strchr(err.message, '\n'));
	assert_int_equal(vb_fail(NULL, VB_FAILED, "dropped"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(a_server_newline_is_escaped_not_printed),
		cmocka_unit_test(printable_text_and_utf8_are_kept),
		cmocka_unit_test(a_long_message_is_cut_between_escapes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
