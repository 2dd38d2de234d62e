/* options.c: the option table, and everything made from it and from the
 * command and statement tables: argv parsing, --help, the man page and the
 * statement list of docs/script.md. An option is added here and nowhere
 * else; a command in commands.c, a statement in src/script/statements.c. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "session/session.h"
#include "script/script.h"
#include "script/stmt.h"
#include "util/log.h"
#include "version.h"
#include "util/xalloc.h"

enum {
	OPT_PASSWORD_FILE = 256,
	OPT_PASSWORD_ENV,
	OPT_CONNECT_TIMEOUT,
	OPT_KEY_DELAY,
	OPT_PACE,
	OPT_SECRET,
	OPT_LOG_FORMAT,
	OPT_VERSION,
	OPT_MAN,
	OPT_CA_FILE,
	OPT_INSECURE,
	OPT_ORIGIN,
	OPT_SCANCODES,
	OPT_READ_TIMEOUT,
	OPT_CONNECT_COMMAND,
	OPT_RECORD,
	OPT_RECORD_BLANK_SECRETS,
	OPT_RESULT,
	OPT_EVERY,
	OPT_REGION,
	OPT_STATEMENTS_MD,
	OPT_TOOLS_MD,
};

struct cli_option {
	int id;           /* short option character or OPT_* */
	const char *name; /* long name */
	const char *arg;  /* argument name, NULL for a flag */
	const char *help; /* one or two sentences; NULL hides the option */
};

static const struct cli_option options[] = {
	{ 'c', "connect", "ADDRESS",
	  "The console to connect to: vnc://host[:port] (port 5900 by default), "
	  "host:N (display N, port 5900+N), host::port, a bare host, "
	  "ws://host[:port]/path?query or wss://... (VNC inside a WebSocket, as cloud "
	  "consoles serve it), or a console page URL that carries the WebSocket URL "
	  "in a query parameter (Tencent Cloud's ...?InstanceVncUrl=wss%3A%2F%2F...). "
	  "IPv6 literals go in brackets: [::1]:1. docs/consoles.md tells how to get "
	  "each cloud's address." },
	{ OPT_CONNECT_COMMAND, "connect-command", "'CMD'",
	  "Run CMD with sh -c and connect to the address it prints (its first "
	  "line), for consoles whose URLs serve one connection and expire in "
	  "seconds. Instead of -c." },
	{ OPT_PASSWORD_FILE, "password-file", "PATH",
	  "Read the VNC password from the first line of PATH, a regular file (a FIFO or "
	  "device is refused). Keep the file mode 0600." },
	{ OPT_PASSWORD_ENV, "password-env", "NAME",
	  "Read the VNC password from environment variable NAME. "
	  "The password is never accepted as an argument." },
	{ OPT_CONNECT_TIMEOUT, "connect-timeout", "DURATION",
	  "Give up connecting after DURATION (default 15s): the connection, TLS and "
	  "WebSocket, the VNC handshake and the first screen all fit in it, however "
	  "slowly the console answers." },
	{ OPT_READ_TIMEOUT, "read-timeout", "DURATION",
	  "Declare the console gone when it sends nothing for DURATION although "
	  "asked, or takes longer than that to send one message (default 15s); "
	  "vncbot then exits with status 3. A wait's own timeout also holds: a "
	  "message still arriving then is cut short, and the run ends with status 3." },
	{ OPT_PACE, "pace", "fast|guest|MS",
	  "How fast to type. fast: as fast as the server takes keys in (vncbot "
	  "checks every 64 key events that the server has caught up), right for X "
	  "servers; guest: 12 ms after each key event, for a virtual machine's "
	  "console (QEMU, and cloud consoles in front of one), which drops keys sent "
	  "faster than it replays them; MS: that many milliseconds. By default fast "
	  "when the server is known to take keys as they come (TigerVNC's Xvnc and "
	  "x0vncserver, x11vnc, libvncserver's servers, by their desktop names), "
	  "else guest; -v says which and why." },
	{ OPT_KEY_DELAY, "key-delay", "MS",
	  "The same as --pace MS." },
	{ OPT_SCANCODES, "scancodes", "auto|on|off",
	  "Send each key's PC scancode with its keysym (QEMU's Extended Key Event), "
	  "which bypasses QEMU's keymap. auto (default): on QEMU consoles that offer "
	  "it; on: on any server that offers it (TigerVNC does; its result then "
	  "depends on the X keyboard layout); off: keysyms only." },
	{ OPT_CA_FILE, "ca-file", "PATH",
	  "wss: also trust the CA certificates in PEM file PATH, a regular file (the "
	  "system store is always trusted)." },
	{ OPT_INSECURE, "insecure", NULL,
	  "wss: do not verify the server's certificate. Prints a warning; not for "
	  "production consoles." },
	{ OPT_ORIGIN, "origin", "ORIGIN",
	  "ws/wss: the Origin header to send, e.g. https://console.example.com "
	  "(default: http(s)://HOST[:PORT] of the address)." },
	{ 'H', "header", "'NAME: VALUE'",
	  "ws/wss: add a header to the WebSocket handshake, e.g. a cookie or token. "
	  "Repeatable." },
	{ 'D', "define", "NAME=VALUE",
	  "Define script variable NAME, used as ${NAME} in strings. Repeatable." },
	{ OPT_SECRET, "secret", "NAME=SOURCE",
	  "Give secret NAME, typed by 'type secret NAME' and never shown or logged. "
	  "SOURCE is env:VAR, file:PATH (its first line; a regular file) or prompt (asks "
	  "on the terminal, no echo). Repeatable." },
	{ OPT_RECORD, "record", "DIR",
	  "Keep the evidence of the run in DIR (a directory, new or empty): events.jsonl "
	  "with every statement, step and result, a PNG after each step, capture.fbs (the "
	  "console's stream, for vncbot replay), and report.html to read or play as a "
	  "slideshow. Secrets appear only by name in the text, but a console that "
	  "echoes a typed secret shows it in the PNGs, report.html and capture.fbs: "
	  "see --record-blank-secrets." },
	{ OPT_RECORD_BLANK_SECRETS, "record-blank-secrets", NULL,
	  "With --record: keep the screen out of the evidence from each 'type secret' "
	  "until the next Enter has been sent and the console has answered it (or the "
	  "step ends): no PNG is taken then (an event says the screen was hidden), and "
	  "capture.fbs shows a grey screen for that time. The console is asked for "
	  "encodings without compression (hextile, raw) for the whole run, so more "
	  "bytes travel. What the console still shows after the Enter is not hidden." },
	{ OPT_RESULT, "result", "FILE",
	  "When the run ends, whatever the outcome (a script error, a refused connection and "
	  "a signal included), write its result to FILE as one JSON object on one line: the "
	  "verdict, the exit status and its class, the error and where it is, the steps with "
	  "their outcome and duration, the console (without password or token), the script, "
	  "the --record directory, the start and the duration (docs/result.md). FILE - is "
	  "standard output, which then carries nothing else. FILE is replaced whole, only if "
	  "it is a regular file." },
	{ OPT_EVERY, "every", "DURATION",
	  "replay: write at most one frame per DURATION of capture time (and the "
	  "last screen); by default a frame for every screen update." },
	{ OPT_REGION, "region", "X,Y,W,H",
	  "ocr: read only this region of the screen (pixels from the top left); by "
	  "default the whole screen." },
	{ 'e', "execute", "STATEMENTS",
	  "Run STATEMENTS instead of a script file; statements are separated by "
	  "newlines or ';'. Repeatable: each -e adds lines." },
	{ 'v', "verbose", NULL, "Show every statement as it runs; twice also shows protocol detail." },
	{ 'q', "quiet", NULL, "Show only errors." },
	{ OPT_LOG_FORMAT, "log-format", "text|json",
	  "Progress lines on stderr as text (default) or as one JSON object a line." },
	{ 'h', "help", NULL, "Show this help and exit." },
	{ OPT_VERSION, "version", NULL, "Show the version and exit." },
	{ OPT_MAN, "man", NULL, NULL }, /* the build makes vncbot.1 with it */
	{ OPT_STATEMENTS_MD, "statements-md", NULL, NULL }, /* docs/script.md's list */
	{ OPT_TOOLS_MD, "tools-md", NULL, NULL }, /* docs/mcp.md's tool list */
};

#define NOPTIONS (sizeof(options) / sizeof(options[0]))

/* "NAME OPERANDS" into buf. */
static const char *command_head(const struct cli_command *c, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", c->name, c->operands ? " " : "",
		 c->operands ? c->operands : "");
	return buf;
}

/* A command's usage, after "vncbot ": connection stands for the console
 * options of one that needs a console ("[CONNECTION]", "-c ADDRESS"). */
static const char *command_usage(const struct cli_command *c, const char *connection,
				 char *buf, size_t size)
{
	char head[128];

	snprintf(buf, size, "%s%s%s%s%s", c->flags & CLI_CONSOLE ? connection : "",
		 c->flags & CLI_CONSOLE ? " " : "", command_head(c, head, sizeof(head)),
		 c->options ? " " : "", c->options ? c->options : "");
	return buf;
}

/* The synopsis: one line a listed command, then --version and --help, each
 * after indent; caller frees. */
static char *usage_lines(const char *indent)
{
	struct strbuf t = { 0 };
	char line[256];
	size_t i;

	for (i = 0; i < cli_commands_count; i++)
		if (!(cli_commands[i].flags & CLI_UNLISTED))
			strbuf_printf(&t, "%svncbot %s\n", indent,
				    command_usage(&cli_commands[i], "[CONNECTION]", line,
						  sizeof(line)));
	strbuf_printf(&t, "%svncbot --version | --help\n", indent);
	return t.p;
}

/* The name of a command's operand n, as its usage writes it ("OUTDIR"). */
static const char *operand_name(const struct cli_command *c, int n, char *buf, size_t size)
{
	const char *p = c->operands;
	size_t len;

	for (; n > 0 && strchr(p, ' '); n--)
		p = strchr(p, ' ') + 1;
	len = strcspn(p, " ");
	snprintf(buf, size, "%.*s", (int)len, p);
	return buf;
}

/* The command a word on the command line names (not one an option
 * chooses), or NULL. */
static const struct cli_command *command_of_word(const char *word)
{
	const struct cli_command *c = cli_command_named(word);

	return c && !(c->flags & CLI_BY_OPTION) ? c : NULL;
}

static int unknown_command(const char *word, struct vb_error *err)
{
	char names[256] = "";
	size_t i, used = 0;

	for (i = 0; i < cli_commands_count; i++) {
		const struct cli_command *c = &cli_commands[i];

		if (!(c->flags & (CLI_UNLISTED | CLI_BY_OPTION)) && used < sizeof(names))
			used += (size_t)snprintf(names + used, sizeof(names) - used, "%s%s",
						 used ? ", " : "", c->name);
	}
	vb_fail(err, VB_USAGE, "unknown command '%s'", word);
	return vb_hint(err, "commands: %s (see vncbot --help)", names);
}

static int parse_kv(const char *text, const char *opt, struct vars *into,
		    struct vb_error *err)
{
	const char *eq = strchr(text, '=');
	char name[128];

	if (!eq || eq == text || (size_t)(eq - text) >= sizeof(name) ||
	    !vars_valid_name(text, (size_t)(eq - text))) {
		vb_fail(err, VB_USAGE, "%s expects NAME=VALUE with NAME made of letters, "
			"digits and '_', got '%s'", opt, text);
		return -1;
	}
	memcpy(name, text, (size_t)(eq - text));
	name[eq - text] = '\0';
	vars_set(into, name, eq + 1);
	return 0;
}

static int parse_ms(const char *text, long *ms, int bare_is_ms)
{
	char *end;
	long v;

	if (bare_is_ms) {
		v = strtol(text, &end, 10);
		if (end != text && *end == '\0' && v >= 0 && v <= 60000) {
			*ms = v;
			return 0;
		}
	}
	return duration_parse(text, ms);
}

int cli_parse(int argc, char **argv, struct cli_opts *o, struct vb_error *err)
{
	struct option longopts[NOPTIONS + 1];
	char shortopts[64];
	size_t i, ns = 0, inline_len = 0, inline_cap = 0;
	int c;
	const struct cli_command *cmd;
	char line[256];
	int nops;

	memset(o, 0, sizeof(*o));
	o->connect_timeout_ms = 15000;
	o->read_timeout_ms = 15000;
	o->pace = PACE_AUTO;
	shortopts[ns++] = ':'; /* report a missing argument as ':' */
	for (i = 0; i < NOPTIONS; i++) {
		longopts[i] = (struct option){ options[i].name,
					       options[i].arg ? required_argument : no_argument,
					       NULL, options[i].id };
		if (options[i].id < 256) {
			shortopts[ns++] = (char)options[i].id;
			if (options[i].arg)
				shortopts[ns++] = ':';
		}
	}
	memset(&longopts[NOPTIONS], 0, sizeof(longopts[0]));
	shortopts[ns] = '\0';
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (c) {
		case 'c': o->connect = optarg; break;
		case OPT_CONNECT_COMMAND: o->connect_command = optarg; break;
		case OPT_RECORD: o->record_dir = optarg; break;
		case OPT_RECORD_BLANK_SECRETS: o->record_blank_secrets = 1; break;
		case OPT_RESULT: o->result_path = optarg; break;
		case OPT_EVERY:
			if (parse_ms(optarg, &o->replay_every_ms, 0) < 0)
				return vb_fail(err, VB_USAGE, "--every expects a duration such as "
					       "1s, got '%s'", optarg);
			break;
		case OPT_REGION: {
			int x, y, w, h, n = -1;

			if (sscanf(optarg, "%d,%d,%d,%d%n", &x, &y, &w, &h, &n) != 4 ||
			    optarg[n] || x < 0 || y < 0 || w < 1 || h < 1)
				return vb_fail(err, VB_USAGE, "--region expects X,Y,W,H (whole "
					       "pixels, W and H at least 1), got '%.40s'", optarg);
			o->region_x = x;
			o->region_y = y;
			o->region_w = w;
			o->region_h = h;
			break;
		}
		case OPT_CA_FILE: o->ca_file = optarg; break;
		case OPT_SCANCODES:
			if (strcmp(optarg, "auto") == 0)
				o->scancodes = SCANCODES_AUTO;
			else if (strcmp(optarg, "on") == 0)
				o->scancodes = SCANCODES_ON;
			else if (strcmp(optarg, "off") == 0)
				o->scancodes = SCANCODES_OFF;
			else
				return vb_fail(err, VB_USAGE, "--scancodes is auto, on or off, got '%.20s'",
					       optarg);
			break;
		case OPT_INSECURE: o->insecure = 1; break;
		case OPT_ORIGIN: o->origin = optarg; break;
		case 'H': {
			const char *colon = strchr(optarg, ':');
			size_t k;

			if (!colon || colon == optarg)
				return vb_fail(err, VB_USAGE, "-H expects 'Name: value', got '%.40s'",
					       optarg);
			for (k = 0; optarg[k]; k++)
				if ((unsigned char)optarg[k] < 0x20 && optarg[k] != '\t')
					return vb_fail(err, VB_USAGE,
						       "-H: control characters are not allowed in a header");
			if (o->nheaders == CLI_HEADERS_MAX)
				return vb_fail(err, VB_USAGE, "at most %d -H headers", CLI_HEADERS_MAX);
			o->headers[o->nheaders++] = optarg;
			break;
		}
		case OPT_PASSWORD_FILE: o->password_file = optarg; break;
		case OPT_PASSWORD_ENV: o->password_env = optarg; break;
		case OPT_CONNECT_TIMEOUT:
			if (parse_ms(optarg, &o->connect_timeout_ms, 0) < 0 ||
			    o->connect_timeout_ms < 100)
				return vb_fail(err, VB_USAGE, "--connect-timeout expects a "
					       "duration of at least 100ms, such as 10s, got '%s'", optarg);
			break;
		case OPT_READ_TIMEOUT:
			if (parse_ms(optarg, &o->read_timeout_ms, 0) < 0 ||
			    o->read_timeout_ms < 1000)
				return vb_fail(err, VB_USAGE, "--read-timeout expects a "
					       "duration of at least 1s, such as 30s, got '%s'", optarg);
			break;
		case OPT_PACE:
		case OPT_KEY_DELAY:
			if (c == OPT_PACE && strcmp(optarg, "fast") == 0) {
				o->pace = PACE_FAST;
			} else if (c == OPT_PACE && strcmp(optarg, "guest") == 0) {
				o->pace = PACE_GUEST;
			} else if (parse_ms(optarg, &o->key_delay_ms, 1) < 0 ||
				   o->key_delay_ms > 60000) {
				vb_fail(err, VB_USAGE, "--%s expects %smilliseconds from 0 to "
					"60000, got '%.20s'", c == OPT_PACE ? "pace" : "key-delay",
					c == OPT_PACE ? "fast, guest or " : "", optarg);
				return -1;
			} else {
				o->pace = PACE_MS;
			}
			break;
		case 'D':
			if (parse_kv(optarg, "-D", &o->defines, err) < 0)
				return -1;
			break;
		case OPT_SECRET:
			if (parse_kv(optarg, "--secret", &o->secret_sources, err) < 0)
				return -1;
			break;
		case 'e': {
			size_t n = strlen(optarg);

			if (inline_len + n + 2 > inline_cap) {
				/* Doubling: many -e options cost linear time. */
				inline_cap = 2 * (inline_len + n + 2);
				o->inline_buf = xrealloc(o->inline_buf, inline_cap);
			}
			memcpy(o->inline_buf + inline_len, optarg, n);
			inline_len += n;
			o->inline_buf[inline_len++] = '\n';
			o->inline_buf[inline_len] = '\0';
			o->inline_script = o->inline_buf;
			break;
		}
		case 'v': o->verbosity = o->verbosity < 0 ? 1 : o->verbosity + 1; break;
		case 'q': o->verbosity = -1; break;
		case OPT_LOG_FORMAT:
			if (strcmp(optarg, "text") && strcmp(optarg, "json"))
				return vb_fail(err, VB_USAGE, "--log-format is text or json, got '%s'", optarg);
			o->json_log = strcmp(optarg, "json") == 0;
			break;
		case 'h': o->command = cli_command_named("help"); return 0;
		case OPT_VERSION: o->command = cli_command_named("version"); return 0;
		case OPT_MAN: o->command = cli_command_named("man"); return 0;
		case OPT_STATEMENTS_MD: o->command = cli_command_named("statements-md"); return 0;
		case OPT_TOOLS_MD: o->command = cli_command_named("tools-md"); return 0;
		case ':':
			vb_fail(err, VB_USAGE, "option '%s' needs an argument", argv[optind - 1]);
			return vb_hint(err, "see vncbot --help");
		default:
			if (optopt && optopt < 256)
				vb_fail(err, VB_USAGE, "unknown option '-%c'", optopt);
			else
				vb_fail(err, VB_USAGE, "unknown option '%s'", argv[optind - 1]);
			return vb_hint(err, "see vncbot --help");
		}
	}
	if (o->record_blank_secrets && !o->record_dir) {
		vb_fail(err, VB_USAGE, "--record-blank-secrets needs --record DIR");
		return vb_hint(err, "it hides the screen in the evidence --record keeps; give "
			       "both, e.g. --record evidence --record-blank-secrets");
	}
	for (i = 0; i < o->secret_sources.count; i++)
		if (vars_get(&o->defines, o->secret_sources.items[i].name))
			return vb_fail(err, VB_USAGE, "'%s' is given both as -D and as --secret; "
				       "a name is a variable or a secret, not both",
				       o->secret_sources.items[i].name);
	if (optind >= argc) {
		if (o->inline_script) {
			o->command = cli_command_named("-e");
			goto need_connect;
		}
		vb_fail(err, VB_USAGE, "no command given");
		return vb_hint(err, "usage: vncbot -c ADDRESS run FILE; see vncbot --help");
	}
	cmd = command_of_word(argv[optind]);
	if (!cmd)
		return unknown_command(argv[optind], err);
	o->command = cmd;
	optind++;
	nops = argc - optind;
	if ((cmd->flags & CLI_INLINE) && o->inline_script) {
		if (nops)
			return vb_fail(err, VB_USAGE, "give either -e STATEMENTS or %s, not both",
				       command_head(cmd, line, sizeof(line)));
		goto need_connect;
	}
	if ((cmd->flags & CLI_FILE_OR_CONSOLE) && nops <= 1) {
		/* A file instead of the console (ocr FILE.png). */
		o->file = nops ? argv[optind] : NULL;
		if (o->file)
			return 0;
		goto need_connect;
	}
	if (cmd->noperands == 0 && nops)
		return vb_fail(err, VB_USAGE, "'%s' takes no arguments, got '%s'",
			       cmd->name, argv[optind]);
	if (nops < cmd->noperands) {
		vb_fail(err, VB_USAGE, "'%s' needs %s", cmd->name,
			operand_name(cmd, nops, line, sizeof(line)));
		return vb_hint(err, "usage: vncbot %s", command_usage(cmd, "-c ADDRESS", line,
			       sizeof(line)));
	}
	if (nops > cmd->noperands) {
		char given[256];
		size_t used = (size_t)snprintf(given, sizeof(given), "%s", cmd->name);

		for (c = 0; c < cmd->noperands && used < sizeof(given); c++)
			used += (size_t)snprintf(given + used, sizeof(given) - used, " %s",
						 argv[optind + c]);
		vb_fail(err, VB_USAGE, "unexpected argument '%s' after '%s'",
			argv[optind + cmd->noperands], given);
		return vb_hint(err, "usage: vncbot %s", command_usage(cmd, "-c ADDRESS", line,
			       sizeof(line)));
	}
	o->file = cmd->noperands >= 1 ? argv[optind] : NULL;
	o->replay_out = cmd->noperands >= 2 ? argv[optind + 1] : NULL;
	if (!(cmd->flags & CLI_CONSOLE))
		return 0;
need_connect:
	if (o->connect && o->connect_command)
		return vb_fail(err, VB_USAGE, "give -c ADDRESS or --connect-command CMD, not both");
	if (!o->connect && !o->connect_command && (o->command->flags & CLI_CONSOLE_LATER))
		goto password;
	if (!o->connect && !o->connect_command) {
		vb_fail(err, VB_USAGE, "'%s' needs a console: give -c ADDRESS",
			o->command->name);
		if (o->command->flags & CLI_FILE_OR_CONSOLE)
			return vb_hint(err, "or a screenshot: vncbot %s FILE.png", o->command->name);
		return vb_hint(err, "for example -c 127.0.0.1:1 or -c vnc://host:5900; "
			       "'vncbot check FILE' checks a script without one");
	}
password:
	if (o->password_file && o->password_env)
		return vb_fail(err, VB_USAGE, "give --password-file or --password-env, not both");
	return 0;
}

void cli_opts_free(struct cli_opts *o)
{
	vars_clear(&o->defines);
	vars_clear(&o->secret_sources);
	free(o->inline_buf);
	o->inline_buf = NULL;
}

/* Wrap text to width columns, each line after an indent; the first line
 * goes on from column indent, where the caller left it. */
static void wrap_rest(FILE *out, const char *text, int indent, int width)
{
	const char *p = text;
	int col = indent;

	while (*p) {
		const char *w = p;
		int len;

		while (*w && *w != ' ')
			w++;
		len = (int)(w - p);
		if (col > indent && col + 1 + len > width) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, (size_t)len, out);
		col += len;
		p = *w ? w + 1 : w;
	}
	fputc('\n', out);
}

/* Wrap text to width columns after an indent. */
static void wrap(FILE *out, const char *text, int indent, int width)
{
	fprintf(out, "%*s", indent, "");
	wrap_rest(out, text, indent, width);
}

/* "  head  text...", text wrapped in a column of its own from col; a head
 * too wide for it stands on a line of its own. */
static void help_item(FILE *out, const char *head, const char *text, int col)
{
	if ((int)strlen(head) + 3 > col) {
		fprintf(out, "  %s\n", head);
		wrap(out, text, col, 78);
		return;
	}
	fprintf(out, "  %-*s", col - 2, head);
	wrap_rest(out, text, col, 78);
}

static void option_head(const struct cli_option *op, char *buf, size_t size)
{
	if (op->id < 256)
		snprintf(buf, size, "-%c, --%s%s%s", op->id, op->name,
			 op->arg ? " " : "", op->arg ? op->arg : "");
	else
		snprintf(buf, size, "    --%s%s%s", op->name, op->arg ? " " : "",
			 op->arg ? op->arg : "");
}

void cli_print_help(FILE *out)
{
	size_t i;
	char head[96];

	char *synopsis = usage_lines("  ");

	fputs("vncbot: types exact keystrokes into a VNC console, from a script.\n\n"
	      "Usage:\n", out);
	fputs(synopsis, out);
	free(synopsis);
	fputs("\nCommands:\n", out);
	for (i = 0; i < cli_commands_count; i++)
		if (!(cli_commands[i].flags & CLI_UNLISTED))
			help_item(out, command_head(&cli_commands[i], head, sizeof(head)),
				  cli_commands[i].summary, 19);
	fputs("\nOptions:\n", out);
	for (i = 0; i < NOPTIONS; i++) {
		if (!options[i].help)
			continue;
		option_head(&options[i], head, sizeof(head));
		fprintf(out, "  %s\n", head);
		wrap(out, options[i].help, 8, 78);
	}
	fputs("\nScript statements (docs/script.md has the whole language):\n", out);
	for (i = 0; i < stmt_table_count; i++) {
		fprintf(out, "  %s\n", stmt_table[i].usage);
		wrap(out, stmt_table[i].summary, 8, 78);
	}
	fputs("\nExit status:\n"
	      "  0  success\n"
	      "  1  the script failed (fail, a wait timed out)\n"
	      "  2  usage or script error, found before anything was sent\n"
	      "  3  connection or authentication error\n"
	      "  128+N  stopped by SIGINT, SIGTERM, SIGHUP or SIGQUIT (130 Ctrl-C, 131 Ctrl-\\,\n"
	      "         143 SIGTERM), held keys released first\n"
	      "\nExamples:\n"
	      "  vncbot check scripts/demo.vnc\n"
	      "  vncbot -c 127.0.0.1:1 -e 'key ctrl-alt-del; wait 2s; type \"hello\\n\"'\n"
	      "  vncbot -c vnc://10.0.0.5 --password-file ~/.vncpw run fix.vnc \\\n"
	      "      --secret admin=prompt -D USER=Administrator\n", out);
}

/* Escape text for roff: backslashes and leading dots/quotes. */
static void roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

/* text as a sentence on a line of its own: a capital first, a full stop last. */
static void roff_sentence(FILE *out, const char *text)
{
	size_t n = strlen(text);

	fputc(text[0] >= 'a' && text[0] <= 'z' ? text[0] - 'a' + 'A' : text[0], out);
	roff(out, text + 1);
	fputs(n && text[n - 1] == '.' ? "\n" : ".\n", out);
}

void cli_print_man(FILE *out)
{
	size_t i;
	char head[96];
	char *synopsis;

	fprintf(out, ".TH VNCBOT 1 \"\" \"vncbot %s\" \"User Commands\"\n", VNCBOT_VERSION);
	fputs(".SH NAME\nvncbot \\- type exact keystrokes into a VNC console from a script\n"
	      ".SH SYNOPSIS\n.nf\n", out);
	synopsis = usage_lines("");
	roff(out, synopsis);
	free(synopsis);
	fputs(".fi\n.SH DESCRIPTION\n"
	      "vncbot joins a VNC console, presses keys and types exact text from a small "
	      "script language, and waits as the script says. It is made for the console of a "
	      "machine whose remote desktop is broken: every printable ASCII character arrives "
	      "exactly, keys still held are released on every exit, and secrets are typed by "
	      "name and never shown.\n"
	      ".SH COMMANDS\n", out);
	for (i = 0; i < cli_commands_count; i++) {
		const struct cli_command *c = &cli_commands[i];

		if (c->flags & CLI_UNLISTED)
			continue;
		fputs(".TP\n\\fB", out);
		roff(out, c->name);
		fputs("\\fR", out);
		if (c->operands) {
			fputs(" \\fI", out);
			roff(out, c->operands);
			fputs("\\fR", out);
		}
		fputc('\n', out);
		roff_sentence(out, c->summary);
	}
	fputs(".SH OPTIONS\n", out);
	for (i = 0; i < NOPTIONS; i++) {
		if (!options[i].help)
			continue;
		option_head(&options[i], head, sizeof(head));
		fputs(".TP\n\\fB", out);
		roff(out, head[0] == ' ' ? head + 4 : head);
		fputs("\\fR\n", out);
		roff(out, options[i].help);
		fputc('\n', out);
	}
	fputs(".SH SCRIPT STATEMENTS\n", out);
	for (i = 0; i < stmt_table_count; i++) {
		fputs(".TP\n\\fB", out);
		roff(out, stmt_table[i].usage);
		fputs("\\fR\n", out);
		roff(out, stmt_table[i].summary);
		fputc('\n', out);
	}
	fputs(".SH EXIT STATUS\n"
	      ".TP\n0\nSuccess.\n"
	      ".TP\n1\nThe script failed (\\fBfail\\fR, a wait timed out).\n"
	      ".TP\n2\nUsage or script error, found before anything was sent.\n"
	      ".TP\n3\nConnection or authentication error.\n"
	      ".TP\n128+N\nStopped by signal N (129 SIGHUP, 130 SIGINT, 131 SIGQUIT, 143 SIGTERM); on SIGINT, "
	      "SIGTERM, SIGHUP and SIGQUIT held keys are released first.\n"
	      ".SH SEE ALSO\ndocs/script.md in the vncbot sources: the script language.\n", out);
}

void cli_print_error(const struct vb_error *err)
{
	if (log_is_json()) {
		log_error_json(err); /* --log-format json: every line on stderr is JSON */
		return;
	}
	if (err->where[0])
		fprintf(stderr, "%s: error: %s\n", err->where, err->message);
	else
		fprintf(stderr, "vncbot: error: %s\n", err->message);
	if (err->context[0]) {
		const char *nl = strchr(err->context, '\n');

		if (nl) {
			fprintf(stderr, "  %.*s\n  %s\n", (int)(nl - err->context),
				err->context, nl + 1);
		}
	}
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
}

/* A Markdown table cell: '|' escaped; outside a code span, '<' too (so
 * that "<enter>" reads as text, not as a tag). */
static void md_cell(FILE *out, const char *s, int code)
{
	for (; *s; s++) {
		if (*s == '<' && !code) {
			fputs("&lt;", out);
			continue;
		}
		if (*s == '|')
			fputc('\\', out);
		fputc(*s, out);
	}
}

void cli_print_statements_md(FILE *out)
{
	size_t i, f;

	fputs("| statement | what it does |\n|---|---|\n", out);
	for (i = 0; i < stmt_table_count; i++) {
		const struct stmt_def *def = &stmt_table[i];

		for (f = 0; f < def->impl->nforms; f++) {
			const struct stmt_form *form = &def->impl->forms[f];
			struct strbuf usage = { 0 };

			stmt_form_usage(def, form, &usage);
			fputs("| `", out);
			md_cell(out, usage.p, 1);
			fputs("` | ", out);
			md_cell(out, form->summary ? form->summary : def->summary, 0);
			fputs(" |\n", out);
			free(usage.p);
		}
	}
}
