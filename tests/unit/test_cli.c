/* test_cli.c: unit tests of the command table (src/cli/commands.c) and what
 * options.c makes of it: the parser picks commands and their operands from
 * the table, and --help, the man page and the unknown-command hint list the
 * same commands. main.c's handlers are not linked here (commands.c refers to
 * them weakly); nothing here runs a command. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

/* Parse a command line given as words after "vncbot". */
static int parse(struct cli_opts *o, struct vb_error *err, const char *const *words)
{
	char *argv[16] = { "vncbot" };
	int argc = 1;

	while (*words && argc < 15)
		argv[argc++] = (char *)*words++;
	vb_error_clear(err);
	return cli_parse(argc, argv, o, err);
}

static void commands_and_operands_come_from_the_table(void **state)
{
	static const char *const check[] = { "check", "a.vnc", "-D", "X=1", NULL };
	static const char *const replay[] = { "replay", "c.fbs", "out", NULL };
	static const char *const keys[] = { "keys", NULL };
	static const char *const inline_run[] = { "-c", "h:1", "-e", "key a", NULL };
	static const char *const help[] = { "--help", NULL };
	struct cli_opts o;
	struct vb_error err;

	(void)state;
	assert_int_equal(parse(&o, &err, check), 0);
	assert_ptr_equal(o.command, cli_command_named("check"));
	assert_string_equal(o.file, "a.vnc");
	cli_opts_free(&o);
	assert_int_equal(parse(&o, &err, replay), 0);
	assert_ptr_equal(o.command, cli_command_named("replay"));
	assert_string_equal(o.file, "c.fbs");
	assert_string_equal(o.replay_out, "out");
	cli_opts_free(&o);
	assert_int_equal(parse(&o, &err, keys), 0);
	assert_ptr_equal(o.command, cli_command_named("keys"));
	cli_opts_free(&o);
	assert_int_equal(parse(&o, &err, inline_run), 0);
	assert_ptr_equal(o.command, cli_command_named("-e"));
	assert_true(o.command->flags & CLI_CONSOLE);
	cli_opts_free(&o);
	assert_int_equal(parse(&o, &err, help), 0);
	assert_ptr_equal(o.command, cli_command_named("help"));
	cli_opts_free(&o);
}

static void usage_errors_say_what_the_table_says(void **state)
{
	static const struct {
		const char *words[8];
		const char *msg, *hint;
	} cases[] = {
		{ { "frob", NULL }, "unknown command 'frob'", "commands: run, check, capture, replay, ocr, mcp, keys" },
		{ { "version", NULL }, "unknown command 'version'", NULL },
		{ { "keys", "x", NULL }, "'keys' takes no arguments, got 'x'", NULL },
		{ { "check", NULL }, "'check' needs FILE", "usage: vncbot check FILE" },
		{ { "replay", "c.fbs", NULL }, "'replay' needs OUTDIR", "replay CAPTURE.fbs OUTDIR" },
		{ { "replay", "a", "b", "c", NULL }, "unexpected argument 'c' after 'replay a b'", NULL },
		{ { "run", "a.vnc", NULL }, "'run' needs a console", "-c 127.0.0.1:1" },
		{ { "-c", "h:1", "-e", "key a", "run", NULL }, NULL, NULL },
		{ { "-c", "h:1", "-e", "x", "run", "a.vnc" }, "give either -e STATEMENTS or run FILE", NULL },
		/* mcp: the console may come later, from the connect tool. */
		{ { "mcp", "--secret", "pw=env:PW", NULL }, NULL, NULL },
		{ { "-c", "h:1", "mcp", NULL }, NULL, NULL },
		{ { "mcp", "x", NULL }, "'mcp' takes no arguments, got 'x'", NULL },
		{ { "--connect-command", "x", "-c", "h:1", "mcp", NULL }, "not both", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cli_opts o;
		struct vb_error err;
		int rc = parse(&o, &err, cases[i].words);

		if (!cases[i].msg) {
			if (rc != 0)
				fail_msg("case %zu refused: %s", i, err.message);
		} else if (rc == 0 || err.status != VB_USAGE || !strstr(err.message, cases[i].msg)) {
			fail_msg("case %zu: got \"%s\", want \"%s\"", i, rc ? err.message : "success",
				 cases[i].msg);
		} else if (cases[i].hint && !strstr(err.hint, cases[i].hint)) {
			fail_msg("case %zu: hint \"%s\", want \"%s\"", i, err.hint, cases[i].hint);
		}
		cli_opts_free(&o);
	}
}

static char *printed(void (*print)(FILE *out))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	print(f);
	fclose(f);
	return buf;
}

/* Every listed command is in --help's list, its synopsis and the man page's
 * COMMANDS; an unlisted one in none of them. */
static void help_and_man_list_the_commands_of_the_table(void **state)
{
	char *help = printed(cli_print_help), *man = printed(cli_print_man);
	size_t i;

	(void)state;
	for (i = 0; i < cli_commands_count; i++) {
		const struct cli_command *c = &cli_commands[i];
		char want[128];

		snprintf(want, sizeof(want), "\n  %s%s%s", c->name, c->operands ? " " : "",
			 c->operands ? c->operands : "");
		if (!(c->flags & CLI_UNLISTED) != (strstr(help, want) != NULL))
			fail_msg("--help %s '%s':\n%s", c->flags & CLI_UNLISTED ? "lists" : "lacks",
				 c->name, help);
		snprintf(want, sizeof(want), "vncbot %s%s", c->flags & CLI_CONSOLE ?
			 "[CONNECTION] " : "", c->name);
		if (!(c->flags & CLI_UNLISTED) && !strstr(help, want))
			fail_msg("--help's synopsis lacks \"%s\":\n%s", want, help);
		snprintf(want, sizeof(want), ".TP\n\\fB%s%s\\fR", c->name[0] == '-' ? "\\" : "",
			 c->name);
		if (!(c->flags & CLI_UNLISTED) != (strstr(man, want) != NULL))
			fail_msg("the man page %s '%s'", c->flags & CLI_UNLISTED ? "lists" : "lacks",
				 c->name);
	}
	free(help);
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(commands_and_operands_come_from_the_table),
		cmocka_unit_test(usage_errors_say_what_the_table_says),
		cmocka_unit_test(help_and_man_list_the_commands_of_the_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
