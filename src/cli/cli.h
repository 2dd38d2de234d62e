/* cli.h: the command line: one option table and one command table from
 * which parsing, --help and the man page all come, and the parsed result. */
#ifndef VNCBOT_CLI_H
#define VNCBOT_CLI_H

#include <stdio.h>

#include "script/vars.h"
#include "util/error.h"

struct cli_opts;

/* A command: how it is written, what it does, what it needs, and the
 * function that runs it. The table (commands.c) makes the parser's commands,
 * --help's list and synopsis and the man page's; main() runs o->command. */
struct cli_command {
	const char *name;     /* the word: "run"; for one reached by an option, its name */
	const char *operands; /* in the usage: "FILE", "CAPTURE.fbs OUTDIR"; or NULL */
	const char *options;  /* options of its own, for the synopsis; or NULL */
	const char *summary;  /* one or two lines, for --help and the man page */
	int noperands;        /* how many operands it takes: the first is o->file,
			       * the second o->replay_out */
	unsigned flags;       /* CLI_* */
	/* Returns 0, or -1 with err. */
	int (*run)(const struct cli_opts *o, struct vb_error *err);
};

enum {
	CLI_CONSOLE = 1 << 0,   /* connects to a console: needs -c or --connect-command */
	CLI_INLINE = 1 << 1,    /* -e STATEMENTS may stand for its FILE (run) */
	CLI_BY_OPTION = 1 << 2, /* chosen by an option (-e, --version), not by a word */
	CLI_UNLISTED = 1 << 3,  /* not in --help's lists or the man page's */
	CLI_CONSOLE_LATER = 1 << 5, /* the console may be given later instead (mcp's
				     * connect tool) */
	CLI_FILE_OR_CONSOLE = 1 << 4, /* its one operand may be left out, and a
				       * console is needed only then (ocr [FILE.png]) */
};

extern const struct cli_command cli_commands[];
extern const size_t cli_commands_count;

/* The command named name (any, also one an option chooses), or NULL. */
const struct cli_command *cli_command_named(const char *name);

/* main.c's handlers, which cli_commands names. */
int cmd_run(const struct cli_opts *o, struct vb_error *err);
int cmd_check(const struct cli_opts *o, struct vb_error *err);
int cmd_capture(const struct cli_opts *o, struct vb_error *err);
int cmd_replay(const struct cli_opts *o, struct vb_error *err);
int cmd_ocr(const struct cli_opts *o, struct vb_error *err);
int cmd_mcp(const struct cli_opts *o, struct vb_error *err);

#define CLI_HEADERS_MAX 16

struct cli_opts {
	const struct cli_command *command;
	const char *connect;       /* -c */
	const char *connect_command; /* --connect-command */
	const char *record_dir;      /* --record */
	int record_blank_secrets;    /* --record-blank-secrets */
	const char *result_path;     /* --result: a file, or "-" for stdout */
	const char *replay_out;      /* replay: the directory for frames */
	long replay_every_ms;        /* replay --every */
	int region_x, region_y, region_w, region_h; /* ocr --region (w 0: none) */
	const char *ca_file;
	int insecure;
	const char *origin;
	const char *headers[CLI_HEADERS_MAX]; /* -H */
	size_t nheaders;
	const char *password_file;
	const char *password_env;
	long connect_timeout_ms;
	long read_timeout_ms;
	int pace;                  /* enum session_pace */
	long key_delay_ms;         /* with PACE_MS */
	int scancodes;             /* enum session_scancodes */
	const char *file;          /* run/check FILE, capture FILE.png */
	const char *inline_script; /* -e, joined with newlines */
	struct vars defines;       /* -D */
	struct vars secret_sources;/* --secret NAME=SOURCE (the sources, not values) */
	int verbosity;             /* -1 quiet, 0 normal, 1.. verbose */
	int json_log;
	char *inline_buf;          /* owns the joined -e text */
};

/* Parse argv into o. Returns 0, or -1 with err (VB_USAGE). */
int cli_parse(int argc, char **argv, struct cli_opts *o, struct vb_error *err);
void cli_opts_free(struct cli_opts *o);

void cli_print_help(FILE *out);
void cli_print_man(FILE *out);
/* The statement list of docs/script.md, a Markdown table made from the
 * statement table: one row per form, its usage and summary. */
void cli_print_statements_md(FILE *out);


/* Print err the way every vncbot error looks (to stderr): FILE:LINE:COL or
 * vncbot, the message, the line and caret, the hint; with --log-format json
 * one JSON line instead (log_error_json). */
void cli_print_error(const struct vb_error *err);

/* Read the VNC password from --password-file / --password-env into a
 * string in secmem (free it with secmem_free; NULL if neither was given).
 * Returns 0 or -1 with err. */
int cli_read_password(const struct cli_opts *o, char **password,
		      struct vb_error *err);

/* Resolve every --secret source into values (env:, file:, prompt), an
 * empty map that this makes a secret one (values in secmem, vars.h).
 * Returns 0 or -1 with err. */
int cli_read_secrets(const struct cli_opts *o, struct vars *values,
		     struct vb_error *err);

#endif
