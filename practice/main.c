/* main.c: the vncbot-practice program: the command line (one option table
 * for getopt_long, --help and the man page), the machine (its .reg and state
 * files), the transcript, the passwords, the server, the port announced,
 * serving until SIGTERM or SIGINT. Owns the exit codes: 0 stopped by a
 * signal, 1 could not serve, 2 usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "font.h"
#include "machine.h"
#include "server.h"
#include "transcript.h"
#include "util/error.h"
#include "util/files.h"

#define PRACTICE_PROG "vncbot-practice"
#define PRACTICE_MAX_SIDE 4096
#define PRACTICE_PASSWORD_MAX 256 /* VNC authentication uses 8 anyway */

enum practice_opt {
	OPT_LISTEN = 256,
	OPT_PASSWORD_FILE,
	OPT_TRANSCRIPT,
	OPT_GEOMETRY,
	OPT_PORT_FILE,
	OPT_START,
	OPT_USER,
	OPT_WINDOWS_PASSWORD_FILE,
	OPT_LOCKOUT,
	OPT_LOCKOUT_TIME,
	OPT_SERVER_MANAGER_DELAY,
	OPT_UAC,
	OPT_CMD_SIZE,
	OPT_WINDOW_SEED,
	OPT_BOOT_TIME,
	OPT_RESTART,
	OPT_ONE_SHOT_TOKENS,
	OPT_TOKEN_FILE,
	OPT_CLOCK,
	OPT_MACHINE,
	OPT_STATE,
	OPT_MAN,
	OPT_QUIET = 'q',
	OPT_HELP = 'h',
};

/* The options, in the order --help and the man page list them; getopt_long
 * reads the same table. help: lines separated by '\n'. */
static const struct practice_option {
	int id;		  /* OPT_*; a letter for those with a short form */
	const char *name; /* long form */
	const char *arg;  /* NULL: takes no value */
	const char *help; /* NULL: not listed */
} practice_options[] = {
	{OPT_LISTEN, "listen", "HOST:PORT",
	 "IPv4 address and TCP port to serve on (required);\n"
	 "port 0 picks a free one. RFB and WebSocket clients\n"
	 "share the port."},
	{OPT_PASSWORD_FILE, "password-file", "FILE",
	 "require VNC authentication with the password on\n"
	 "the first line of FILE"},
	{OPT_TRANSCRIPT, "transcript", "FILE",
	 "append a line per key event received (and per\n"
	 "connection and disconnection) to FILE"},
	{OPT_GEOMETRY, "geometry", "WxH", "framebuffer size (default 1024x768)"},
	{OPT_PORT_FILE, "port-file", "FILE", "also write the port listened on to FILE"},
	{OPT_START, "start", "SCREEN",
	 "the screen shown first: lock (default, the Windows\n"
	 "lock screen), echo (shows what is typed) or cmd\n"
	 "(signed in, one administrator's cmd window open)"},
	{OPT_MACHINE, "machine", "FILE.reg",
	 "the machine's registry: FILE in Windows' .reg format\n"
	 "(default: the seed's broken machine)"},
	{OPT_STATE, "state", "FILE",
	 "write the registry and the files on the machine's\n"
	 "disk to FILE as JSON, at start and after each change"},
	{OPT_USER, "user", "NAME", "the user signing in (default Administrator)"},
	{OPT_WINDOWS_PASSWORD_FILE, "windows-password-file", "FILE",
	 "the Windows password, on the first line of FILE;\n"
	 "without it any password signs in"},
	{OPT_LOCKOUT, "lockout", "N",
	 "wrong passwords that lock the account (default 5;\n"
	 "0: never)"},
	{OPT_LOCKOUT_TIME, "lockout-time", "SECONDS",
	 "how long a locked account stays locked (default 30)"},
	{OPT_SERVER_MANAGER_DELAY, "server-manager-delay", "SECONDS",
	 "Server Manager opens this long after sign-in and\n"
	 "takes the focus (default 4; 0: never)"},
	{OPT_UAC, "uac", NULL,
	 "an elevated cmd (Ctrl+Shift+Enter in Run) asks for\n"
	 "consent first: Alt+Y or Yes"},
	{OPT_CMD_SIZE, "cmd-size", "COLSxROWS",
	 "a cmd window's size in characters (default 120x30)"},
	{OPT_WINDOW_SEED, "window-seed", "N",
	 "where new windows open: the same N, the same places\n"
	 "(default 1)"},
	{OPT_RESTART, "restart", "drops|stays",
	 "what a restart does to the clients: drops (default:\n"
	 "dropped, connections refused while it boots, as a\n"
	 "VNC server in the machine) or stays (they stay\n"
	 "connected and see \"Restarting\", a black screen,\n"
	 "then the lock screen, as a hypervisor's console)"},
	{OPT_BOOT_TIME, "boot-time", "SECONDS",
	 "how long a restart boots: connections are refused\n"
	 "(--restart drops) or the screen is black (stays)\n"
	 "this long (default 8)"},
	{OPT_ONE_SHOT_TOKENS, "one-shot-tokens", NULL,
	 "WebSocket clients must bring ?token=T, a token\n"
	 "issued here, each good once; plain RFB is refused"},
	{OPT_TOKEN_FILE, "token-file", "FILE",
	 "write each fresh token to FILE (at start and after\n"
	 "each use)"},
	{OPT_CLOCK, "clock", "'YYYY-MM-DD HH:MM'",
	 "show this local time, standing still, instead of\n"
	 "the real one (for screenshots that compare equal)"},
	{OPT_QUIET, "quiet", NULL, "do not pass on libvncserver's log"},
	{OPT_HELP, "help", NULL, "show this help"},
	{OPT_MAN, "man", NULL, NULL}, /* the build makes vncbot-practice.1 */
};

#define PRACTICE_NOPTIONS (sizeof(practice_options) / sizeof(practice_options[0]))

struct practice_args {
	struct in_addr addr;
	int port;
	bool have_listen;
	const char *password_file;
	const char *windows_password_file;
	const char *transcript;
	const char *port_file;
	const char *token_file;
	const char *machine_file;
	const char *state_file;
	int width, height;
	int boot_seconds;
	enum server_restart restart;
	bool one_shot_tokens;
	bool quiet;
	bool help, man;
	struct console_config console;
};

/* Set by the signal handler; read by the server loop. */
static volatile sig_atomic_t practice_stop;

static const char practice_synopsis[] =
	"--listen HOST:PORT [--start lock|echo|cmd] [--transcript FILE]\n"
	"       [--password-file FILE] [--windows-password-file FILE] [OPTION]...";

static const char practice_about[] =
	"The practice console: a VNC server that plays a Windows Server 2016\n"
	"console (lock screen, sign-in, desktop, Run, cmd, restart) and keeps a\n"
	"transcript of every key event. Prints \"listening HOST:PORT\" once it\n"
	"accepts connections; stops cleanly on SIGTERM or SIGINT.";

static void practice_option_head(const struct practice_option *o, char *buf, size_t size)
{
	if (o->id < 256)
		snprintf(buf, size, "-%c, --%s", o->id, o->name);
	else
		snprintf(buf, size, "    --%s%s%s", o->name, o->arg ? " " : "",
			 o->arg ? o->arg : "");
}

static void practice_usage(FILE *out, bool full)
{
	fprintf(out, "usage: " PRACTICE_PROG " %s\n", practice_synopsis);
	if (!full)
		return;
	fprintf(out, "\n%s\n\n", practice_about);
	for (size_t i = 0; i < PRACTICE_NOPTIONS; i++) {
		const struct practice_option *o = &practice_options[i];
		char head[64];
		const char *h = o->help;

		if (!h)
			continue;
		practice_option_head(o, head, sizeof(head));
		fprintf(out, "  %-32s ", head);
		/* Indent continuation lines of the help under the first. */
		for (; *h; h++) {
			fputc(*h, out);
			if (*h == '\n')
				fprintf(out, "  %-32s ", "");
		}
		fputc('\n', out);
	}
	fputs("\nSee docs/practice.md.\n", out);
}

/* Text for roff: a leading dot or quote escaped, backslashes as \e, '-'
 * as \- (options stay copyable), a line break and its indent as a space. */
static void practice_roff(FILE *out, const char *text)
{
	bool bol = true;

	for (; *text; text++) {
		if (bol && (*text == '.' || *text == '\''))
			fputs("\\&", out);
		if (*text == '\\')
			fputs("\\e", out);
		else if (*text == '-')
			fputs("\\-", out);
		else if (*text == '\n') {
			fputc(' ', out);
			while (text[1] == ' ')
				text++;
		} else
			fputc(*text, out);
		bol = false;
	}
}

/* The man page, from the same table as --help. */
static void practice_man(FILE *out)
{
	fputs(".TH VNCBOT-PRACTICE 1 \"\" \"vncbot\" \"User Commands\"\n"
	      ".SH NAME\nvncbot\\-practice \\- a VNC server playing a Windows "
	      "console, for rehearsing and testing vncbot scripts\n"
	      ".SH SYNOPSIS\n.B vncbot\\-practice\n",
	      out);
	practice_roff(out, practice_synopsis + 0);
	fputs("\n.SH DESCRIPTION\n", out);
	practice_roff(out, practice_about);
	fputs("\n.SH OPTIONS\n", out);
	for (size_t i = 0; i < PRACTICE_NOPTIONS; i++) {
		const struct practice_option *o = &practice_options[i];

		if (!o->help)
			continue;
		fputs(".TP\n", out);
		if (o->id < 256)
			fprintf(out, "\\fB\\-%c\\fR, ", o->id);
		fputs("\\fB\\-\\-", out);
		practice_roff(out, o->name);
		fputs("\\fR", out);
		if (o->arg) {
			fputs(" \\fI", out);
			practice_roff(out, o->arg);
			fputs("\\fR", out);
		}
		fputc('\n', out);
		practice_roff(out, o->help);
		fputc('\n', out);
	}
	fputs(".SH EXIT STATUS\n0 stopped by SIGTERM or SIGINT; 1 could not serve "
	      "(listen, port or token file, transcript write); 2 usage.\n"
	      ".SH SEE ALSO\n.BR vncbot (1),\ndocs/practice.md\n",
	      out);
}

/* Parse a decimal integer in [min, max] that fills the whole of text. */
static bool practice_int(const char *text, int min, int max, int *out)
{
	char *end;
	long v;

	if (*text < '0' || *text > '9')
		return false;
	errno = 0;
	v = strtol(text, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (int)v;
	return true;
}

static int practice_parse_listen(const char *value, struct practice_args *a, struct vb_error *err)
{
	const char *colon = strrchr(value, ':');
	char host[64];

	if (!colon || colon == value)
		return vb_fail(err, VB_USAGE,
			       "--listen '%s': expected HOST:PORT, e.g. 127.0.0.1:5900", value);
	if ((size_t)(colon - value) >= sizeof(host))
		return vb_fail(err, VB_USAGE, "--listen '%s': host too long", value);
	memcpy(host, value, colon - value);
	host[colon - value] = '\0';
	if (inet_pton(AF_INET, host, &a->addr) != 1)
		return vb_fail(err, VB_USAGE,
			       "--listen '%s': host '%s' is not an IPv4 address such as 127.0.0.1",
			       value, host);
	if (!practice_int(colon + 1, 0, 65535, &a->port))
		return vb_fail(err, VB_USAGE,
			       "--listen '%s': port '%s' is not a number from 0 to 65535", value,
			       colon + 1);
	a->have_listen = true;
	return 0;
}

static int practice_parse_geometry(const char *value, struct practice_args *a, struct vb_error *err)
{
	const char *x = strchr(value, 'x');
	char w[16];

	if (!x || (size_t)(x - value) >= sizeof(w))
		return vb_fail(err, VB_USAGE,
			       "--geometry '%s': expected WIDTHxHEIGHT, e.g. 1024x768", value);
	memcpy(w, value, x - value);
	w[x - value] = '\0';
	if (!practice_int(w, CONSOLE_MIN_WIDTH, PRACTICE_MAX_SIDE, &a->width) ||
	    !practice_int(x + 1, CONSOLE_MIN_HEIGHT, PRACTICE_MAX_SIDE, &a->height))
		return vb_fail(err, VB_USAGE,
			       "--geometry '%s': width must be %d to %d and height %d to %d", value,
			       CONSOLE_MIN_WIDTH, PRACTICE_MAX_SIDE, CONSOLE_MIN_HEIGHT,
			       PRACTICE_MAX_SIDE);
	/* libvncserver warns about other widths: some viewers draw them wrong. */
	if (a->width % 4)
		return vb_fail(err, VB_USAGE, "--geometry '%s': width must be a multiple of 4",
			       value);
	return 0;
}

static int practice_parse_cmd_size(const char *value, struct practice_args *a, struct vb_error *err)
{
	const char *x = strchr(value, 'x');
	char cols[16];

	if (!x || (size_t)(x - value) >= sizeof(cols))
		return vb_fail(err, VB_USAGE, "--cmd-size '%s': expected COLSxROWS, e.g. 120x30",
			       value);
	memcpy(cols, value, x - value);
	cols[x - value] = '\0';
	if (!practice_int(cols, 20, 500, &a->console.cmd_cols) ||
	    !practice_int(x + 1, 5, 250, &a->console.cmd_rows))
		return vb_fail(err, VB_USAGE,
			       "--cmd-size '%s': columns must be 20 to 500 and rows 5 to 250",
			       value);
	return 0;
}

static int practice_parse_clock(const char *value, struct practice_args *a, struct vb_error *err)
{
	struct tm tm;
	const char *end;

	memset(&tm, 0, sizeof(tm));
	end = strptime(value, "%Y-%m-%d %H:%M", &tm);
	if (!end || *end)
		return vb_fail(err, VB_USAGE,
			       "--clock '%s': expected 'YYYY-MM-DD HH:MM', e.g. '2026-12-02 09:41'",
			       value);
	tm.tm_isdst = -1;
	a->console.clock = mktime(&tm);
	if (a->console.clock == (time_t)-1 || a->console.clock == 0)
		return vb_fail(err, VB_USAGE, "--clock '%s': not a time", value);
	return 0;
}

/* A whole number of seconds (or a count) for option name, 0 to max. */
static int practice_count(const char *name, const char *value, int max, int *out,
			  struct vb_error *err)
{
	if (!practice_int(value, 0, max, out))
		return vb_fail(err, VB_USAGE, "--%s '%s': expected a whole number from 0 to %d",
			       name, value, max);
	return 0;
}

static int practice_parse(int argc, char **argv, struct practice_args *a, struct vb_error *err)
{
	struct option longs[PRACTICE_NOPTIONS + 1];
	char shorts[2 * PRACTICE_NOPTIONS + 2];
	size_t ns = 0;
	int id, seed;

	memset(a, 0, sizeof(*a));
	a->width = 1024;
	a->height = 768;
	a->boot_seconds = 8;
	a->restart = SERVER_RESTART_DROPS;
	console_config_init(&a->console);
	shorts[ns++] = ':'; /* a missing value comes back as ':' */
	for (size_t i = 0; i < PRACTICE_NOPTIONS; i++) {
		const struct practice_option *o = &practice_options[i];

		longs[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
					   o->id};
		if (o->id < 256) {
			shorts[ns++] = (char)o->id;
			if (o->arg)
				shorts[ns++] = ':';
		}
	}
	longs[PRACTICE_NOPTIONS] = (struct option){0};
	shorts[ns] = '\0';
	opterr = 0;
	optind = 1;
	while ((id = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		const char *v = optarg;
		const char *opt = argv[optind - 1];

		switch (id) {
		case '?':
			if (optopt && optopt < 256)
				return vb_fail(err, VB_USAGE, "unknown option '-%c'", optopt);
			if (strncmp(opt, "--", 2) == 0 && strchr(opt, '='))
				for (size_t i = 0; i < PRACTICE_NOPTIONS; i++)
					if (!practice_options[i].arg &&
					    strncmp(opt + 2, practice_options[i].name,
						    strlen(practice_options[i].name)) == 0 &&
					    opt[2 + strlen(practice_options[i].name)] == '=')
						return vb_fail(err, VB_USAGE,
							       "option --%s takes no value",
							       practice_options[i].name);
			return vb_fail(err, VB_USAGE, "unknown option '%s'", opt);
		case ':':
			return vb_fail(err, VB_USAGE, "option %s needs a value", opt);
		case OPT_LISTEN:
			if (practice_parse_listen(v, a, err) < 0)
				return -1;
			break;
		case OPT_PASSWORD_FILE:
			a->password_file = v;
			break;
		case OPT_TRANSCRIPT:
			a->transcript = v;
			break;
		case OPT_GEOMETRY:
			if (practice_parse_geometry(v, a, err) < 0)
				return -1;
			break;
		case OPT_PORT_FILE:
			a->port_file = v;
			break;
		case OPT_START:
			if (!console_start_valid(v))
				return vb_fail(err, VB_USAGE,
					       "--start '%s': expected lock, echo or cmd", v);
			a->console.start = v;
			break;
		case OPT_USER:
			if (!*v || strlen(v) > 64)
				return vb_fail(err, VB_USAGE,
					       "--user '%s': expected a name of 1 to 64 characters",
					       v);
			a->console.user = v;
			break;
		case OPT_WINDOWS_PASSWORD_FILE:
			a->windows_password_file = v;
			break;
		case OPT_LOCKOUT:
			if (practice_count("lockout", v, 999, &a->console.lockout, err) < 0)
				return -1;
			break;
		case OPT_LOCKOUT_TIME:
			if (practice_count("lockout-time", v, 86400, &a->console.lockout_seconds,
					   err) < 0)
				return -1;
			break;
		case OPT_SERVER_MANAGER_DELAY:
			if (practice_count("server-manager-delay", v, 3600,
					   &a->console.server_manager_delay, err) < 0)
				return -1;
			break;
		case OPT_UAC:
			a->console.uac = true;
			break;
		case OPT_CMD_SIZE:
			if (practice_parse_cmd_size(v, a, err) < 0)
				return -1;
			break;
		case OPT_WINDOW_SEED:
			if (practice_count("window-seed", v, 2147483647, &seed, err) < 0)
				return -1;
			a->console.window_seed = (unsigned)seed;
			break;
		case OPT_BOOT_TIME:
			if (practice_count("boot-time", v, 3600, &a->boot_seconds, err) < 0)
				return -1;
			break;
		case OPT_RESTART:
			if (strcmp(v, "drops") == 0)
				a->restart = SERVER_RESTART_DROPS;
			else if (strcmp(v, "stays") == 0)
				a->restart = SERVER_RESTART_STAYS;
			else
				return vb_fail(err, VB_USAGE,
					       "--restart '%s': expected drops or stays", v);
			break;
		case OPT_ONE_SHOT_TOKENS:
			a->one_shot_tokens = true;
			break;
		case OPT_TOKEN_FILE:
			a->token_file = v;
			break;
		case OPT_CLOCK:
			if (practice_parse_clock(v, a, err) < 0)
				return -1;
			break;
		case OPT_MACHINE:
			a->machine_file = v;
			break;
		case OPT_STATE:
			a->state_file = v;
			break;
		case OPT_QUIET:
			a->quiet = true;
			break;
		case OPT_HELP:
			a->help = true;
			break;
		case OPT_MAN:
			a->man = true;
			break;
		}
	}
	if (optind < argc)
		return vb_fail(err, VB_USAGE, "unexpected argument '%s'", argv[optind]);
	if (a->help || a->man)
		return 0;
	if (!a->have_listen)
		return vb_fail(err, VB_USAGE, "--listen HOST:PORT is required");
	if (a->token_file && !a->one_shot_tokens)
		return vb_fail(err, VB_USAGE, "--token-file needs --one-shot-tokens");
	return 0;
}

/*
 * Read a password: the first line of path, without its line ending, into
 * buf (size PRACTICE_PASSWORD_MAX). The caller wipes buf when done. The
 * password itself never appears in a message.
 */
static int practice_read_password(const char *path, const char *what, char *buf,
				  struct vb_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t have = 0;
	char *eol;

	if (fd < 0)
		return vb_fail(err, VB_USAGE, "cannot read %s '%s': %s", what, path,
			       strerror(errno));
	while (have < PRACTICE_PASSWORD_MAX - 1) {
		ssize_t n = read(fd, buf + have, PRACTICE_PASSWORD_MAX - 1 - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return vb_fail(err, VB_USAGE, "cannot read %s '%s': %s", what, path,
				       strerror(e));
		}
		if (n == 0)
			break;
		have += (size_t)n;
		if (memchr(buf, '\n', have))
			break;
	}
	close(fd);
	buf[have] = '\0';
	eol = strchr(buf, '\n');
	if (eol)
		*eol = '\0';
	eol = buf + strlen(buf);
	if (eol > buf && eol[-1] == '\r')
		eol[-1] = '\0';
	if (buf[0] == '\0')
		return vb_fail(err, VB_USAGE, "%s '%s': the first line is empty", what, path);
	return 0;
}

/* Write the port to path as "PORT\n", through a temporary file renamed into
 * place, so a reader never sees a half-written number. */
static int practice_write_port_file(const char *path, int port, struct vb_error *err)
{
	struct files_out out;

	if (files_out_begin(&out, path, "port file", err) < 0)
		return -1;
	fprintf(out.f, "%d\n", port);
	return files_out_commit(&out, err);
}

static void practice_on_signal(int sig)
{
	(void)sig;
	practice_stop = 1;
}

/* No SA_RESTART: the signal must cut the server's select() short. */
static void practice_catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = practice_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

/* The error once, as vncbot prints its own: where (a .reg file's
 * "FILE:LINE") first when there is a place. */
static void practice_report(const struct vb_error *err)
{
	if (err->where[0])
		fprintf(stderr, PRACTICE_PROG ": %s: %s\n", err->where, err->message);
	else
		fprintf(stderr, PRACTICE_PROG ": %s\n", err->message);
	if (err->hint[0])
		fprintf(stderr, "hint: %s\n", err->hint);
}

int main(int argc, char **argv)
{
	struct practice_args args;
	struct vb_error err, late;
	struct transcript *transcript = NULL;
	struct server *server = NULL;
	struct machine *machine = NULL;
	struct server_config cfg;
	char password[PRACTICE_PASSWORD_MAX];
	char windows_password[PRACTICE_PASSWORD_MAX];
	char host[INET_ADDRSTRLEN];
	char msg[160];
	int status = VB_OK;

	vb_error_clear(&err);
	if (practice_parse(argc, argv, &args, &err) < 0) {
		practice_report(&err);
		practice_usage(stderr, false);
		return VB_USAGE;
	}
	if (args.help) {
		practice_usage(stdout, true);
		return VB_OK;
	}
	if (args.man) {
		practice_man(stdout);
		return VB_OK;
	}
	if (font_check(msg, sizeof(msg)) < 0) {
		fprintf(stderr, PRACTICE_PROG ": internal error: %s\n", msg);
		return VB_FAILED;
	}
	server_log_setup(args.quiet);

	memset(password, 0, sizeof(password));
	memset(windows_password, 0, sizeof(windows_password));
	if (args.password_file &&
	    practice_read_password(args.password_file, "password file", password, &err) < 0)
		goto out;
	if (strlen(password) > 8)
		fprintf(stderr, PRACTICE_PROG ": warning: VNC authentication "
					      "uses only the first 8 characters of the password\n");
	if (args.windows_password_file) {
		if (practice_read_password(args.windows_password_file, "Windows password file",
					   windows_password, &err) < 0)
			goto out;
		args.console.windows_password = windows_password;
	}
	machine = machine_new();
	if (!machine) {
		vb_fail(&err, VB_FAILED, "out of memory");
		goto out;
	}
	if (args.machine_file && machine_load(machine, args.machine_file, &err) < 0)
		goto out;
	machine_set_user(machine, args.console.user);
	args.console.machine = machine;
	if (args.state_file && machine_set_state_file(machine, args.state_file, &err) < 0)
		goto out;
	if (args.transcript) {
		transcript = transcript_open(args.transcript, &err);
		if (!transcript)
			goto out;
	}

	/* Before listening, so a signal sent as soon as the port is known
	 * already stops the server cleanly. */
	practice_catch_signals();
	cfg = (struct server_config){
		.addr = args.addr,
		.port = args.port,
		.width = args.width,
		.height = args.height,
		.password = args.password_file ? password : NULL,
		.console = &args.console,
		.boot_seconds = args.boot_seconds,
		.restart = args.restart,
		.one_shot_tokens = args.one_shot_tokens,
		.token_file = args.token_file,
	};
	server = server_new(&cfg, transcript, &err);
	if (!server)
		goto out;
	if (args.port_file &&
	    practice_write_port_file(args.port_file, server_port(server), &err) < 0)
		goto out;
	inet_ntop(AF_INET, &args.addr, host, sizeof(host));
	printf("listening %s:%d\n", host, server_port(server));
	fflush(stdout);

	server_run(server, &practice_stop, &err);

out:
	/* Keep the first error: it is the cause; later ones are fallout. */
	vb_error_clear(&late);
	if (server_free(server, &late) < 0 && err.status == VB_OK)
		err = late;
	if (transcript_close(transcript, &late) < 0 && err.status == VB_OK)
		err = late;
	machine_free(machine);
	explicit_bzero(password, sizeof(password));
	explicit_bzero(windows_password, sizeof(windows_password));
	if (err.status != VB_OK) {
		practice_report(&err);
		status = err.status;
	}
	return status;
}
