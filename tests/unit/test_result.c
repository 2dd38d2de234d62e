/* test_result.c: the result of a run (--result): each exit status gives its
 * class and verdict, steps get their outcome, start and duration (a step
 * without a block ends where the next begins; one left open takes the run's
 * outcome), the error keeps its place when it has one, and what is written
 * reads back with jansson as one JSON object on one line, to a file or to
 * standard output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <fcntl.h>
#include <unistd.h>

#include "record/result.h"
#include "util/json.h"

static char test_dir[64];
static char result_path[128];

static int make_dir(void **state)
{
	(void)state;
	snprintf(test_dir, sizeof(test_dir), "/tmp/vbresult.XXXXXX");
	if (!mkdtemp(test_dir))
		return -1;
	snprintf(result_path, sizeof(result_path), "%s/result.json", test_dir);
	return 0;
}

static int remove_dir(void **state)
{
	(void)state;
	unlink(result_path);
	return rmdir(test_dir);
}

/* Write r to result_path and read it back; the file must be one line. */
static json_t *written(const struct result *r)
{
	struct vb_error err;
	json_error_t jerr;
	char *text = NULL;
	size_t cap = 0;
	ssize_t n;
	FILE *f;
	json_t *obj;

	assert_int_equal(result_write(r, result_path, &err), 0);
	f = fopen(result_path, "r");
	assert_non_null(f);
	n = getline(&text, &cap, f);
	assert_true(n > 1);
	assert_int_equal(text[n - 1], '\n');
	assert_int_equal(getc(f), EOF); /* one line, nothing after it */
	fclose(f);
	obj = json_loads(text, 0, &jerr);
	if (!obj)
		fail_msg("not JSON (%s at %d:%d): %s", jerr.text, jerr.line, jerr.column, text);
	free(text);
	assert_true(json_is_object(obj));
	return obj;
}

static const char *str(const json_t *obj, const char *key)
{
	const json_t *v = json_object_get(obj, key);

	if (!json_is_string(v))
		fail_msg("'%s' is not a string", key);
	return json_string_value(v);
}

static struct result *fresh(void)
{
	/* 2026-12-01T22:42:59.250Z */
	struct timespec t = { 1796164979, 250 * 1000000 };

	return result_new(&t, "1.2.3");
}

static void each_exit_status_gives_its_class_and_verdict(void **state)
{
	static const struct {
		int exit;
		const char *class, *verdict;
	} want[] = {
		{ 0, "ok", "succeeded" },     { 1, "script-failed", "failed" },
		{ 2, "usage", "error" },      { 3, "connection", "error" },
		{ 129, "signal", "error" },   { 130, "signal", "error" },
		{ 131, "signal", "error" },   { 143, "signal", "error" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct result *r = fresh();
		struct vb_error err;
		json_t *obj;

		vb_fail(&err, VB_FAILED, "something");
		result_finish(r, 1.0, want[i].exit, want[i].exit ? &err : NULL);
		obj = written(r);
		assert_string_equal(str(obj, "class"), want[i].class);
		assert_string_equal(str(obj, "verdict"), want[i].verdict);
		assert_int_equal(json_integer_value(json_object_get(obj, "exit")), want[i].exit);
		assert_string_equal(result_class_of(want[i].exit)->name, want[i].class);
		json_decref(obj);
		result_free(r);
	}
	/* No other status is made; one would not pass for a success. */
	assert_string_equal(result_class_of(7)->name, "script-failed");
	assert_string_equal(result_class_of(-1)->verdict, "failed");
}

static void a_success_has_every_field_and_no_error(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	json_t *obj;

	(void)state;
	result_target(r, "tcp 127.0.0.1:5901");
	result_script(r, "fix.vnc");
	result_evidence(r, "evidence/run-1");
	/* An error left over from before does not make a success an error. */
	vb_fail(&err, VB_FAILED, "stale");
	result_finish(r, 12.3456, 0, &err);
	obj = written(r);
	assert_string_equal(str(obj, "target"), "tcp 127.0.0.1:5901");
	assert_string_equal(str(obj, "script"), "fix.vnc");
	assert_string_equal(str(obj, "evidence"), "evidence/run-1");
	assert_string_equal(str(obj, "vncbot"), "1.2.3");
	assert_string_equal(str(obj, "started"), "2026-12-01T22:42:59.250Z");
	assert_true(json_is_null(json_object_get(obj, "error")));
	assert_true(json_is_array(json_object_get(obj, "steps")));
	assert_int_equal(json_array_size(json_object_get(obj, "steps")), 0);
	assert_float_equal(json_real_value(json_object_get(obj, "duration_s")), 12.346, 1e-9);
	assert_int_equal(json_object_size(obj), 11);
	json_decref(obj);
	result_free(r);
}

static void started_is_iso_8601_utc_to_the_millisecond(void **state)
{
	/* 2026-12-01T22:42:59.250Z is 1796164979 seconds after the epoch. */
	struct timespec t = { 1796164979, 250999999 };
	struct result *r = result_new(&t, "0.1.0");
	json_t *obj;

	(void)state;
	result_finish(r, 0.0, 0, NULL);
	obj = written(r);
	assert_string_equal(str(obj, "started"), "2026-12-01T22:42:59.250Z");
	json_decref(obj);
	result_free(r);
}

static void unknown_target_script_and_evidence_are_null(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	json_t *obj;

	(void)state;
	vb_fail(&err, VB_USAGE, "unknown option '--frobnicate'");
	result_finish(r, 0.001, 2, &err);
	obj = written(r);
	assert_true(json_is_null(json_object_get(obj, "target")));
	assert_true(json_is_null(json_object_get(obj, "script")));
	assert_true(json_is_null(json_object_get(obj, "evidence")));
	json_decref(obj);
	result_free(r);
}

static void steps_have_outcome_start_and_duration(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	json_t *obj, *steps, *s;

	(void)state;
	result_step_begin(r, "Log in", 1.0);
	result_step_end(r, "ok", 2.5);
	result_step_end(r, "ok", 2.6); /* none open: nothing changes */
	result_step_begin(r, "no block", 3.0);
	result_step_begin(r, "Fix \xe9", 4.25); /* ends "no block"; not UTF-8 */
	vb_fail(&err, VB_FAILED, "the screen did not settle");
	result_finish(r, 5.0, 1, &err);
	obj = written(r);
	steps = json_object_get(obj, "steps");
	assert_int_equal(json_array_size(steps), 3);
	s = json_array_get(steps, 0);
	assert_string_equal(str(s, "name"), "Log in");
	assert_string_equal(str(s, "outcome"), "ok");
	assert_float_equal(json_real_value(json_object_get(s, "start")), 1.0, 1e-9);
	assert_float_equal(json_real_value(json_object_get(s, "duration")), 1.5, 1e-9);
	s = json_array_get(steps, 1);
	assert_string_equal(str(s, "name"), "no block");
	assert_string_equal(str(s, "outcome"), "ok");
	assert_float_equal(json_real_value(json_object_get(s, "duration")), 1.25, 1e-9);
	s = json_array_get(steps, 2);
	assert_string_equal(str(s, "name"), "Fix \xef\xbf\xbd");
	assert_string_equal(str(s, "outcome"), "failed");
	assert_float_equal(json_real_value(json_object_get(s, "duration")), 0.75, 1e-9);
	json_decref(obj);
	result_free(r);
}

static void a_step_open_at_a_signal_or_an_error_says_so(void **state)
{
	static const struct {
		int exit;
		const char *outcome;
	} want[] = { { 0, "ok" }, { 2, "error" }, { 3, "error" }, { 143, "interrupted" } };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct result *r = fresh();
		json_t *obj;

		result_step_begin(r, "s", 0.5);
		result_finish(r, 2.0, want[i].exit, NULL);
		obj = written(r);
		assert_string_equal(str(json_array_get(json_object_get(obj, "steps"), 0), "outcome"),
				    want[i].outcome);
		json_decref(obj);
		result_free(r);
	}
}

static void an_error_keeps_its_place_and_hint(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	json_t *obj, *e;

	(void)state;
	vb_fail(&err, VB_USAGE, "expected a duration such as 250ms, found 'soon'");
	snprintf(err.where, sizeof(err.where), "deploy.vnc:3:6");
	snprintf(err.context, sizeof(err.context), "wait soon\n     ^");
	vb_hint(&err, "durations are 250ms, 2s, 1m30s");
	result_finish(r, 0.01, 2, &err);
	obj = written(r);
	e = json_object_get(obj, "error");
	assert_string_equal(str(e, "message"), "expected a duration such as 250ms, found 'soon'");
	assert_string_equal(str(e, "where"), "deploy.vnc:3:6");
	assert_string_equal(str(e, "hint"), "durations are 250ms, 2s, 1m30s");
	json_decref(obj);
	result_free(r);
}

static void an_error_without_a_place_has_where_null(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	json_t *obj, *e;

	(void)state;
	vb_fail(&err, VB_CONNECT, "cannot connect to 127.0.0.1:5901: Connection refused");
	result_finish(r, 0.01, 3, &err);
	obj = written(r);
	e = json_object_get(obj, "error");
	assert_string_equal(str(e, "message"), "cannot connect to 127.0.0.1:5901: Connection refused");
	assert_true(json_is_null(json_object_get(e, "where")));
	assert_true(json_is_null(json_object_get(e, "hint")));
	json_decref(obj);
	result_free(r);
	/* A failure without a message still says something. */
	r = fresh();
	result_finish(r, 0.01, 1, NULL);
	obj = written(r);
	assert_string_equal(str(json_object_get(obj, "error"), "message"), "exit status 1");
	json_decref(obj);
	result_free(r);
}

static void dash_writes_one_line_to_standard_output(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	json_error_t jerr;
	json_t *obj;
	int saved, fd;

	(void)state;
	result_finish(r, 0.5, 0, NULL);
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	fd = open(result_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	assert_int_equal(result_write(r, "-", &err), 0);
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	obj = json_load_file(result_path, 0, &jerr);
	assert_non_null(obj);
	assert_string_equal(str(obj, "verdict"), "succeeded");
	json_decref(obj);
	result_free(r);
}

static void a_file_that_cannot_be_written_is_an_error_naming_it(void **state)
{
	struct result *r = fresh();
	struct vb_error err;
	char path[200];

	(void)state;
	result_finish(r, 0.5, 0, NULL);
	snprintf(path, sizeof(path), "%s/missing/result.json", test_dir);
	assert_int_equal(result_write(r, path, &err), -1);
	assert_non_null(strstr(err.message, path));
	result_free(r);
	result_free(NULL);
	result_step_begin(NULL, "x", 0); /* a NULL result is a no-op */
	result_finish(NULL, 0, 0, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(each_exit_status_gives_its_class_and_verdict,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(a_success_has_every_field_and_no_error, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(started_is_iso_8601_utc_to_the_millisecond,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(unknown_target_script_and_evidence_are_null,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(steps_have_outcome_start_and_duration, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(a_step_open_at_a_signal_or_an_error_says_so,
						make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(an_error_keeps_its_place_and_hint, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(an_error_without_a_place_has_where_null, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(dash_writes_one_line_to_standard_output, make_dir,
						remove_dir),
		cmocka_unit_test_setup_teardown(a_file_that_cannot_be_written_is_an_error_naming_it,
						make_dir, remove_dir),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
