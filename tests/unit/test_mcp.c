/* test_mcp.c: the MCP server's JSON-RPC side and its tools on a fake
 * backend: version negotiation, the tool list and its schemas from the
 * statement table, JSON-RPC errors for whatever is not a request, tool
 * errors with a script's messages, arguments that cannot smuggle in a
 * second statement, and any bytes answered without a crash. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mcp/mcp.h"
#include "script/mask.h"
#include "util/log.h"

struct fake {
	int execs;
	char plan[4096];  /* the last script run, as check's plan shows it */
	int connects, disconnects;
	const char *read_text;
};

static int f_exec(void *ctx, const struct script *script, struct vb_error *err)
{
	struct fake *f = ctx;
	FILE *m = fmemopen(f->plan, sizeof(f->plan) - 1, "w");

	(void)err;
	f->execs++;
	memset(f->plan, 0, sizeof(f->plan));
	script_plan(script, NULL, m);
	fclose(m);
	return 0;
}

static int f_connect(void *ctx, const char *address, const char **shown, struct vb_error *err)
{
	struct fake *f = ctx;

	(void)err;
	f->connects++;
	*shown = address ? address : "the command line's";
	return 0;
}

static int f_disconnect(void *ctx)
{
	struct fake *f = ctx;

	return ++f->disconnects == 1;
}

static const char *f_variable(void *ctx, const char *name)
{
	struct fake *f = ctx;

	return strcmp(name, "mcp_read_text") == 0 ? f->read_text : NULL;
}

struct env {
	struct fake fake;
	struct vars secrets;
	struct mcp_server *m;
};

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));

	vars_set(&e->secrets, "admin", "");
	e->fake.read_text = "C:\\> dir";
	e->m = mcp_new(&(struct mcp_options){
		.backend = { .ctx = &e->fake, .exec = f_exec, .connect = f_connect,
			     .disconnect = f_disconnect, .variable = f_variable },
		.secrets = &e->secrets,
		.scratch_dir = "/nonexistent",
		.has_address = 0,
		.version = "test",
	});
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;

	mcp_free(e->m);
	vars_clear(&e->secrets);
	free(e);
	return 0;
}

/* The response to line, which must be a JSON-RPC 2.0 object. */
static json_t *ask(struct env *e, const char *line)
{
	json_t *r = mcp_handle(e->m, line, strlen(line));

	if (r) {
		assert_true(json_is_object(r));
		assert_string_equal(json_string_value(json_object_get(r, "jsonrpc")), "2.0");
	}
	return r;
}

static int error_code(const json_t *r)
{
	return (int)json_integer_value(json_object_get(json_object_get(r, "error"), "code"));
}

static json_t *call(struct env *e, const char *tool, const char *args)
{
	char line[2048];

	snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"tools/call\","
		 "\"params\":{\"name\":\"%s\",\"arguments\":%s}}", tool, args);
	return ask(e, line);
}

/* A tool result's first text, and whether it is an error. */
static const char *result_text(const json_t *r, int *is_error)
{
	const json_t *res = json_object_get(r, "result");

	assert_non_null(res);
	*is_error = json_is_true(json_object_get(res, "isError"));
	return json_string_value(json_object_get(json_array_get(json_object_get(res, "content"),
								 0), "text"));
}

static void initialize_answers_the_version_asked_if_served_else_the_latest(void **state)
{
	struct env *e = *state;
	const char *asks[][2] = {
		{ "\"2025-06-18\"", "2025-06-18" },
		{ "\"2025-11-25\"", "2025-11-25" },
		{ "\"1999-01-01\"", MCP_PROTOCOL_LATEST },
		{ "42", MCP_PROTOCOL_LATEST },
	};
	char line[512];
	size_t i;

	for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
		json_t *r, *res;

		snprintf(line, sizeof(line), "{\"jsonrpc\":\"2.0\",\"id\":\"a\",\"method\":"
			 "\"initialize\",\"params\":{\"protocolVersion\":%s,\"capabilities\":{},"
			 "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}", asks[i][0]);
		r = ask(e, line);
		res = json_object_get(r, "result");
		assert_string_equal(json_string_value(json_object_get(res, "protocolVersion")),
				    asks[i][1]);
		assert_non_null(json_object_get(json_object_get(res, "capabilities"), "tools"));
		assert_string_equal(json_string_value(json_object_get(r, "id")), "a");
		json_decref(r);
	}
	assert_null(ask(e, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
	json_decref(ask(e, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}"));
}

static void tools_are_the_console_statements_with_schemas_from_the_table(void **state)
{
	struct env *e = *state;
	json_t *r = ask(e, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\"}");
	json_t *tools = json_object_get(json_object_get(r, "result"), "tools");
	const char *want[] = { "connect", "key", "down", "up", "type", "type_secret", "wait",
			       "capture", "expect", "read", "move", "click", "disconnect",
			       "run_script" };
	size_t i, k;

	assert_int_equal(json_array_size(tools), sizeof(want) / sizeof(want[0]));
	for (k = 0; k < sizeof(want) / sizeof(want[0]); k++) {
		json_t *t = NULL;

		for (i = 0; i < json_array_size(tools); i++)
			if (strcmp(json_string_value(json_object_get(json_array_get(tools, i),
								     "name")), want[k]) == 0)
				t = json_array_get(tools, i);
		if (!t)
			fail_msg("tools/list has no tool %s", want[k]);
		assert_string_equal(json_string_value(json_object_get(
			json_object_get(t, "inputSchema"), "type")), "object");
		assert_non_null(json_string_value(json_object_get(t, "description")));
		if (strcmp(want[k], "key") == 0) {
			json_t *s = json_object_get(t, "inputSchema");

			assert_non_null(json_object_get(json_object_get(s, "properties"), "keys"));
			assert_string_equal(json_string_value(json_array_get(
				json_object_get(s, "required"), 0)), "keys");
		}
		if (strcmp(want[k], "read") == 0 || strcmp(want[k], "capture") == 0) {
			json_t *p = json_object_get(json_object_get(t, "inputSchema"), "properties");

			/* What the server fills (the variable, the file) is what it returns. */
			assert_int_equal(json_object_size(p), 1);
			assert_non_null(json_object_get(p, "region"));
		}
		if (strcmp(want[k], "expect") == 0) {
			json_t *p = json_object_get(json_object_get(t, "inputSchema"), "properties");

			assert_non_null(json_object_get(p, "condition"));
			assert_non_null(json_object_get(p, "timeout"));
		}
	}
	json_decref(r);
}

static void what_is_not_a_request_gets_a_json_rpc_error(void **state)
{
	struct env *e = *state;
	const struct {
		const char *line;
		int code;
	} cases[] = {
		{ "{bad", -32700 },
		{ "", -32700 },
		{ "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]", -32600 },
		{ "42", -32600 },
		{ "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"ping\"}", -32600 },
		{ "{\"id\":1,\"method\":\"ping\"}", -32600 },
		{ "{\"jsonrpc\":\"2.0\",\"id\":true,\"method\":\"ping\"}", -32600 },
		{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":7}", -32600 },
		{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"resources/list\"}", -32601 },
		{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":[1]}", -32602 },
		{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\"}", -32602 },
		{ "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
		  "\"key\",\"arguments\":[\"enter\"]}}", -32602 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *r = ask(e, cases[i].line);

		if (!r)
			fail_msg("no response to %s", cases[i].line);
		if (error_code(r) != cases[i].code)
			fail_msg("%s: error %d, not %d", cases[i].line, error_code(r), cases[i].code);
		json_decref(r);
	}
	/* Notifications and responses get no answer. */
	assert_null(ask(e, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\"}"));
	assert_null(ask(e, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":{}}"));
	assert_int_equal(e->fake.execs, 0);
}

static void bad_tool_calls_are_refused_before_anything_runs(void **state)
{
	struct env *e = *state;
	const struct {
		const char *tool, *args;
		int code; /* 0: a tool error */
		const char *says;
	} cases[] = {
		{ "nosuch", "{}", -32602, "unknown tool 'nosuch'" },
		{ "key", "{}", -32602, "needs the argument 'keys'" },
		{ "key", "{\"keys\":\"enter\",\"x\":1}", -32602, "no argument 'x'" },
		{ "key", "{\"keys\":\"enter; type secret admin\"}", -32602, "without spaces" },
		{ "key", "{\"keys\":\"enter\\ntype \\\"x\\\"\"}", -32602, "without spaces" },
		{ "key", "{\"keys\":3}", -32602, "must be a string" },
		{ "key", "{\"keys\":[]}", -32602, "must not be empty" },
		{ "wait", "{\"duration\":\"2s 3s\"}", -32602, "one word" },
		{ "expect", "{\"condition\":\"settled; key enter\"}", -32602, "one condition" },
		{ "expect", "{\"condition\":\"settled } key x {\"}", -32602, "one condition" },
		{ "key", "{\"keys\":\"nosuchkey\"}", 0, "unknown key 'nosuchkey'" },
		{ "wait", "{\"duration\":\"soon\"}", 0, "error:" },
		{ "type_secret", "{\"name\":\"nope\"}", 0, "nope" },
		{ "read", "{\"name\":\"x\"}", -32602, "no argument 'name'" },
		{ "capture", "{\"file\":\"/etc/passwd\"}", -32602, "no argument 'file'" },
		{ "connect", "{}", 0, "no console to connect to" },
		{ "connect", "{\"address\":5}", -32602, "address" },
		{ "run_script", "{}", -32602, "needs the argument 'file'" },
		{ "run_script", "{\"file\":\"/nonexistent/x.vnc\"}", 0, "/nonexistent/x.vnc" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *r = call(e, cases[i].tool, cases[i].args);
		const char *text;
		int is_error;

		if (cases[i].code) {
			text = json_string_value(json_object_get(json_object_get(r, "error"),
								 "message"));
			if (error_code(r) != cases[i].code || !text || !strstr(text, cases[i].says))
				fail_msg("%s %s: error %d '%s', not %d '%s'", cases[i].tool,
					 cases[i].args, error_code(r), text ? text : "",
					 cases[i].code, cases[i].says);
		} else {
			text = result_text(r, &is_error);
			if (!is_error || !text || !strstr(text, cases[i].says))
				fail_msg("%s %s: result '%s' (isError %d), not an error saying '%s'",
					 cases[i].tool, cases[i].args, text ? text : "", is_error,
					 cases[i].says);
		}
		json_decref(r);
	}
	assert_int_equal(e->fake.execs, 0);
	assert_int_equal(e->fake.connects, 0);
}

static void a_call_runs_its_statement_as_a_script_writes_it(void **state)
{
	struct env *e = *state;
	json_t *r;
	int is_error;
	const char *text;

	/* Quotes, a backslash and ${...} are typed as they are. */
	r = call(e, "type", "{\"text\":\"say \\\"hi\\\" ${HOME} \\\\ \\n\"}");
	text = result_text(r, &is_error);
	assert_false(is_error);
	assert_int_equal(e->fake.execs, 1);
	assert_non_null(strstr(e->fake.plan, "type \"say \\\"hi\\\" \\${HOME} \\\\ \\n\""));
	assert_non_null(strstr(text, "done: type"));
	json_decref(r);

	r = call(e, "key", "{\"keys\":[\"ctrl-alt-del\", \"enter\"]}");
	assert_false((result_text(r, &is_error), is_error));
	assert_non_null(strstr(e->fake.plan, "key ctrl-alt-del enter"));
	json_decref(r);

	r = call(e, "type_secret", "{\"name\":\"admin\"}");
	assert_false((result_text(r, &is_error), is_error));
	assert_non_null(strstr(e->fake.plan, "type secret admin"));
	json_decref(r);

	r = call(e, "expect", "{\"condition\":\"text \\\"Pass;word\\\" in 0,0,100,20\","
		 "\"timeout\":\"5s\"}");
	assert_false((result_text(r, &is_error), is_error));
	assert_non_null(strstr(e->fake.plan, "timeout 5s"));
	json_decref(r);

	r = call(e, "read", "{}");
	text = result_text(r, &is_error);
	assert_false(is_error);
	assert_string_equal(text, "C:\\> dir");
	json_decref(r);

	r = call(e, "click", "{\"point\":\"10,20\",\"button\":\"right\"}");
	assert_false((result_text(r, &is_error), is_error));
	assert_non_null(strstr(e->fake.plan, "click 10,20 right"));
	json_decref(r);

	r = call(e, "disconnect", "{}");
	assert_false((result_text(r, &is_error), is_error));
	assert_int_equal(e->fake.disconnects, 1);
	json_decref(r);

	r = call(e, "connect", "{\"address\":\"127.0.0.1::5999\"}");
	text = result_text(r, &is_error);
	assert_false(is_error);
	assert_non_null(strstr(text, "127.0.0.1::5999"));
	json_decref(r);
	assert_int_equal(e->fake.execs, 6);
}

/* A tiny generator, so that a failure can be run again. */
static uint32_t next(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void any_bytes_get_an_answer_or_none_and_never_a_crash(void **state)
{
	struct env *e = *state;
	const char *seeds[] = {
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
		"\"type\",\"arguments\":{\"text\":\"abc\"}}}",
		"{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"tools/call\",\"params\":{\"name\":"
		"\"expect\",\"arguments\":{\"condition\":\"text \\\"a\\\" similar 90%\"}}}",
		"{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"initialize\",\"params\":{}}",
		"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}",
	};
	uint32_t s = 12345;
	char buf[512];
	int i;

	log_set_level(LOG_ERROR);
	for (i = 0; i < 20000; i++) {
		const char *seed = seeds[i % 4];
		size_t n = strlen(seed), k, flips = 1 + next(&s) % 4;
		json_t *r;

		memcpy(buf, seed, n);
		if (next(&s) % 3 == 0)
			n = next(&s) % n; /* cut short */
		for (k = 0; k < flips && n; k++)
			buf[next(&s) % n] = (char)(next(&s) & 0xff);
		r = mcp_handle(e->m, buf, n);
		if (r) {
			assert_true(json_is_object(r));
			assert_true(json_object_get(r, "result") || json_object_get(r, "error"));
		}
		json_decref(r);
	}
}

static void serve_answers_line_by_line_until_the_input_ends(void **state)
{
	struct env *e = *state;
	char in_text[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\r\n\n"
			 "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"
			 "nonsense\n"
			 "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}";
	char *out_text = NULL;
	size_t out_len = 0, lines = 0, i;
	FILE *in = fmemopen(in_text, strlen(in_text), "r");
	FILE *out = open_memstream(&out_text, &out_len);

	assert_int_equal(mcp_serve(e->m, in, out, NULL), 0);
	fclose(in);
	fclose(out);
	for (i = 0; i < out_len; i++)
		lines += out_text[i] == '\n';
	assert_int_equal(lines, 3); /* two pings and the parse error */
	assert_non_null(strstr(out_text, "\"id\":2"));
	assert_non_null(strstr(out_text, "-32700"));
	free(out_text);
}

static void read_masks_a_secret_also_where_ocr_split_or_recased_it(void **state)
{
	struct vars values = { 0 };
	const struct {
		const char *text, *want;
	} cases[] = {
		{ "C:\\> s3cr3t!_", "C:\\> <secret pw>_" },
		{ "C:\\> s3cr3t !_", "C:\\> <secret pw>_" },
		{ "C:\\> S3CR 3T!", "C:\\> <secret pw>" },
		{ "s3cr3t!s3cr3t!", "<secret pw>" },
		{ "xyz s3c t", "xyz s3c t" }, /* not near the whole value */
		{ "C:\\> Iul ip42zebra_", "C:\\> <secret t>_" }, /* OCR: T read as I */
		{ "Tulip42", "Tulip42" },
		{ "key ab here: ab", "key <secret k> here: <secret k>" },
		{ "", "" },
	};
	size_t i;

	(void)state;
	vars_set(&values, "pw", "s3cr3t!");
	vars_set(&values, "k", "ab"); /* short: only as written */
	vars_set(&values, "t", "Tulip42zebra");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = secrets_mask(cases[i].text, &values);

		if (strcmp(got, cases[i].want) != 0)
			fail_msg("'%s' masked as '%s', want '%s'", cases[i].text, got, cases[i].want);
		free(got);
	}
	vars_clear(&values);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			initialize_answers_the_version_asked_if_served_else_the_latest, setup, teardown),
		cmocka_unit_test_setup_teardown(
			tools_are_the_console_statements_with_schemas_from_the_table, setup, teardown),
		cmocka_unit_test_setup_teardown(what_is_not_a_request_gets_a_json_rpc_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(bad_tool_calls_are_refused_before_anything_runs,
						setup, teardown),
		cmocka_unit_test_setup_teardown(a_call_runs_its_statement_as_a_script_writes_it,
						setup, teardown),
		cmocka_unit_test_setup_teardown(any_bytes_get_an_answer_or_none_and_never_a_crash,
						setup, teardown),
		cmocka_unit_test_setup_teardown(serve_answers_line_by_line_until_the_input_ends,
						setup, teardown),
		cmocka_unit_test(read_masks_a_secret_also_where_ocr_split_or_recased_it),
	};

	log_start();
	log_set_level(LOG_ERROR);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
