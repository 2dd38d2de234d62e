/* commands.c: the command table, one line a command: its word, operands,
 * summary, whether it needs a console, and the function that runs it. The
 * parser, --help's list and synopsis and the man page are made from it
 * (options.c); main() runs the one parsed. A command is added here and with
 * its handler, nowhere else. The handlers that drive a console or read a
 * script are main.c's; those that only print are here. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "keys/keys.h"
#include "mcp/mcp.h"
#include "version.h"

/* main.c's handlers are weak references here: the unit tests link this
 * table (through --help) without main.c, and see them as NULL; nothing
 * there runs a command. In vncbot, main.c defines them. */
#pragma weak cmd_run
#pragma weak cmd_check
#pragma weak cmd_capture
#pragma weak cmd_replay
#pragma weak cmd_ocr
#pragma weak cmd_mcp

static int cmd_keys(const struct cli_opts *o, struct vb_error *err)
{
	(void)o;
	(void)err;
	keys_list(stdout);
	return 0;
}

static int cmd_help(const struct cli_opts *o, struct vb_error *err)
{
	(void)o;
	(void)err;
	cli_print_help(stdout);
	return 0;
}

static int cmd_version(const struct cli_opts *o, struct vb_error *err)
{
	(void)o;
	(void)err;
	printf("vncbot %s\n", VNCBOT_VERSION);
	return 0;
}

/* Hidden: the build makes vncbot.1 with it. */
static int cmd_man(const struct cli_opts *o, struct vb_error *err)
{
	(void)o;
	(void)err;
	cli_print_man(stdout);
	return 0;
}

/* Hidden: the statement list of docs/script.md (a test compares them). */
static int cmd_statements_md(const struct cli_opts *o, struct vb_error *err)
{
	(void)o;
	(void)err;
	cli_print_statements_md(stdout);
	return 0;
}

/* Hidden: the tool list of docs/mcp.md (a test compares them). */
static int cmd_tools_md(const struct cli_opts *o, struct vb_error *err)
{
	(void)o;
	(void)err;
	mcp_print_tools_md(stdout);
	return 0;
}

const struct cli_command cli_commands[] = {
	{ "run", "FILE", "[-D NAME=VALUE]... [--secret NAME=SOURCE]...",
	  "run a script, a regular file (FILE may be - for stdin)",
	  1, CLI_CONSOLE | CLI_INLINE, cmd_run },
	{ "-e", "'STATEMENTS'", NULL, "run statements given inline, like sed -e",
	  0, CLI_CONSOLE | CLI_BY_OPTION, cmd_run },
	{ "check", "FILE", "[-D NAME=VALUE]...",
	  "parse a script and print its plan, both branches of every if, secrets by "
	  "name; connects to nothing",
	  1, 0, cmd_check },
	{ "capture", "FILE.png", NULL,
	  "save one screenshot of the console (FILE.png is checked before connecting; "
	  "only a regular file is replaced)",
	  1, CLI_CONSOLE, cmd_capture },
	{ "replay", "CAPTURE.fbs OUTDIR", "[--every DURATION]",
	  "play a capture made by --record back to PNG frames in OUTDIR",
	  2, 0, cmd_replay },
	{ "ocr", "[FILE.png]", "[--region X,Y,W,H]",
	  "print the text OCR reads on the console's screen (or in FILE.png, with no "
	  "console), one line per line of text with its box: X,Y WxH  TEXT",
	  1, CLI_CONSOLE | CLI_FILE_OR_CONSOLE, cmd_ocr },
	{ "mcp", NULL, "[--secret NAME=SOURCE]... [--record DIR]",
	  "serve an AI agent as an MCP server on stdin and stdout (docs/mcp.md): the script's "
	  "statements as tools on one live console, secrets typed by name only, held keys "
	  "released when it ends; the console may be left out and given to the connect tool",
	  0, CLI_CONSOLE | CLI_CONSOLE_LATER, cmd_mcp },
	{ "keys", NULL, NULL, "list the key names vncbot knows", 0, 0, cmd_keys },
	{ "help", NULL, NULL, "show the help", 0, CLI_UNLISTED, cmd_help },
	{ "version", NULL, NULL, "show the version", 0, CLI_BY_OPTION | CLI_UNLISTED,
	  cmd_version },
	{ "man", NULL, NULL, "print the man page", 0, CLI_BY_OPTION | CLI_UNLISTED, cmd_man },
	{ "statements-md", NULL, NULL, "print docs/script.md's statement list", 0,
	  CLI_BY_OPTION | CLI_UNLISTED, cmd_statements_md },
	{ "tools-md", NULL, NULL, "print docs/mcp.md's tool list", 0,
	  CLI_BY_OPTION | CLI_UNLISTED, cmd_tools_md },
};

const size_t cli_commands_count = sizeof(cli_commands) / sizeof(cli_commands[0]);

const struct cli_command *cli_command_named(const char *name)
{
	size_t i;

	for (i = 0; i < cli_commands_count; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return &cli_commands[i];
	return NULL;
}
