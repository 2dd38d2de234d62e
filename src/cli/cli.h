/* cli.h: the command line: one option table from which parsing, --help
 * and the man page all come, and the parsed result. */
#ifndef VNCBOT_CLI_H
#define VNCBOT_CLI_H

#include <stdio.h>

#include "script/vars.h"
#include "util/error.h"

enum cli_command {
	CMD_NONE,
	CMD_RUN,     /* run FILE, or -e */
	CMD_CHECK,   /* check FILE */
	CMD_KEYS,    /* keys */
	CMD_CAPTURE, /* capture FILE.png */
	CMD_REPLAY,  /* replay CAPTURE.fbs OUTDIR */
	CMD_HELP,
	CMD_VERSION,
	CMD_MAN,     /* hidden: print the man page (the build makes vncbot.1) */
};

#define CLI_HEADERS_MAX 16

struct cli_opts {
	enum cli_command command;
	const char *connect;       /* -c */
	const char *connect_command; /* --connect-command */
	const char *record_dir;      /* --record */
	int record_blank_secrets;    /* --record-blank-secrets */
	const char *result_path;     /* --result: a file, or "-" for stdout */
	const char *replay_out;      /* replay: the directory for frames */
	long replay_every_ms;        /* replay --every */
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
