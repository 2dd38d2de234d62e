/* main.c: the vncbot-practice program: reads the command line, opens the
 * transcript and reads the password, starts the server, announces the port,
 * and serves until SIGTERM or SIGINT. Owns the exit codes: 0 stopped by a
 * signal, 1 could not serve (listen, port file, transcript write), 2 usage. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "font.h"
#include "server.h"
#include "transcript.h"
#include "util/error.h"

#define PRACTICE_PROG "vncbot-practice"
#define PRACTICE_MAX_SIDE 4096
#define PRACTICE_PASSWORD_MAX 256 /* VNC authentication uses 8 anyway */

enum practice_opt {
	OPT_LISTEN,
	OPT_PASSWORD_FILE,
	OPT_TRANSCRIPT,
	OPT_GEOMETRY,
	OPT_PORT_FILE,
	OPT_START,
	OPT_QUIET,
	OPT_HELP,
};

/* The options, in the order --help lists them; parsing reads the same table. */
static const struct practice_option {
	enum practice_opt id;
	const char *name;  /* long form */
	char short_name;   /* 0: none */
	const char *arg;   /* NULL: takes no value */
	const char *help;
} practice_options[] = {
	{ OPT_LISTEN, "listen", 0, "HOST:PORT",
	  "IPv4 address and TCP port to serve on (required);\n"
	  "port 0 picks a free one. RFB and WebSocket clients\n"
	  "share the port." },
	{ OPT_PASSWORD_FILE, "password-file", 0, "FILE",
	  "require VNC authentication with the password on\n"
	  "the first line of FILE" },
	{ OPT_TRANSCRIPT, "transcript", 0, "FILE",
	  "append a line per key event received (and per\n"
	  "connection and disconnection) to FILE" },
	{ OPT_GEOMETRY, "geometry", 0, "WxH",
	  "framebuffer size (default 1024x768)" },
	{ OPT_PORT_FILE, "port-file", 0, "FILE",
	  "also write the port listened on to FILE" },
	{ OPT_START, "start", 0, "SCREEN",
	  "the screen shown first: echo (default, shows what\n"
	  "is typed) or cmd (an administrator's Command\n"
	  "Prompt window)" },
	{ OPT_QUIET, "quiet", 'q', NULL, "do not pass on libvncserver's log" },
	{ OPT_HELP, "help", 'h', NULL, "show this help" },
};

#define PRACTICE_NOPTIONS (sizeof(practice_options) / sizeof(practice_options[0]))

struct practice_args {
	struct in_addr addr;
	int port;
	bool have_listen;
	const char *password_file;
	const char *transcript;
	const char *port_file;
	int width, height;
	bool quiet;
	bool help;
};

/* Set by the signal handler; read by the server loop. */
static volatile sig_atomic_t practice_stop;

static void practice_usage(FILE *out, bool full)
{
	fprintf(out,
		"usage: " PRACTICE_PROG " --listen HOST:PORT [--password-file FILE]\n"
		"       [--transcript FILE] [--geometry WxH] [--port-file FILE]\n"
		"       [--start echo|cmd] [-q]\n");
	if (!full)
		return;
	fputs("\nThe practice console: a VNC server that shows what is typed "
	      "into it\nand keeps a transcript of every key event. Prints "
	      "\"listening HOST:PORT\"\nonce it accepts connections; stops "
	      "cleanly on SIGTERM or SIGINT.\n\n", out);
	for (size_t i = 0; i < PRACTICE_NOPTIONS; i++) {
		const struct practice_option *o = &practice_options[i];
		char head[64];
		const char *h = o->help;

		if (o->short_name)
			snprintf(head, sizeof(head), "-%c, --%s", o->short_name,
				 o->name);
		else
			snprintf(head, sizeof(head), "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		fprintf(out, "  %-24s ", head);
		/* Indent continuation lines of the help under the first. */
		for (; *h; h++) {
			fputc(*h, out);
			if (*h == '\n')
				fprintf(out, "  %-24s ", "");
		}
		fputc('\n', out);
	}
	fputs("\nSee docs/practice.md.\n", out);
}

static const struct practice_option *practice_find(const char *arg,
						   const char **value)
{
	*value = NULL;
	for (size_t i = 0; i < PRACTICE_NOPTIONS; i++) {
		const struct practice_option *o = &practice_options[i];
		size_t n = strlen(o->name);

		if (arg[0] == '-' && arg[1] == o->short_name && o->short_name &&
		    arg[2] == '\0')
			return o;
		if (strncmp(arg, "--", 2) != 0 || strncmp(arg + 2, o->name, n))
			continue;
		if (arg[2 + n] == '\0')
			return o;
		if (arg[2 + n] == '=') {
			*value = arg + 3 + n;
			return o;
		}
	}
	return NULL;
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

static int practice_parse_listen(const char *value, struct practice_args *a,
				 struct vb_error *err)
{
	const char *colon = strrchr(value, ':');
	char host[64];

	if (!colon || colon == value)
		return vb_fail(err, VB_USAGE,
			       "--listen '%s': expected HOST:PORT, e.g. 127.0.0.1:5900",
			       value);
	if ((size_t)(colon - value) >= sizeof(host))
		return vb_fail(err, VB_USAGE, "--listen '%s': host too long",
			       value);
	memcpy(host, value, colon - value);
	host[colon - value] = '\0';
	if (inet_pton(AF_INET, host, &a->addr) != 1)
		return vb_fail(err, VB_USAGE,
			       "--listen '%s': host '%s' is not an IPv4 address such as 127.0.0.1",
			       value, host);
	if (!practice_int(colon + 1, 0, 65535, &a->port))
		return vb_fail(err, VB_USAGE,
			       "--listen '%s': port '%s' is not a number from 0 to 65535",
			       value, colon + 1);
	a->have_listen = true;
	return 0;
}

static int practice_parse_geometry(const char *value, struct practice_args *a,
				   struct vb_error *err)
{
	const char *x = strchr(value, 'x');
	char w[16];

	if (!x || (size_t)(x - value) >= sizeof(w))
		return vb_fail(err, VB_USAGE,
			       "--geometry '%s': expected WIDTHxHEIGHT, e.g. 1024x768",
			       value);
	memcpy(w, value, x - value);
	w[x - value] = '\0';
	if (!practice_int(w, CONSOLE_MIN_WIDTH, PRACTICE_MAX_SIDE, &a->width) ||
	    !practice_int(x + 1, CONSOLE_MIN_HEIGHT, PRACTICE_MAX_SIDE,
			  &a->height))
		return vb_fail(err, VB_USAGE,
			       "--geometry '%s': width must be %d to %d and height %d to %d",
			       value, CONSOLE_MIN_WIDTH, PRACTICE_MAX_SIDE,
			       CONSOLE_MIN_HEIGHT, PRACTICE_MAX_SIDE);
	/* libvncserver warns about other widths: some viewers draw them wrong. */
	if (a->width % 4)
		return vb_fail(err, VB_USAGE,
			       "--geometry '%s': width must be a multiple of 4",
			       value);
	return 0;
}

static int practice_parse(int argc, char **argv, struct practice_args *a,
			  struct vb_error *err)
{
	memset(a, 0, sizeof(*a));
	a->width = 1024;
	a->height = 768;
	for (int i = 1; i < argc; i++) {
		const char *value;
		const struct practice_option *o = practice_find(argv[i], &value);

		if (!o)
			return vb_fail(err, VB_USAGE, argv[i][0] == '-' ?
				       "unknown option '%s'" :
				       "unexpected argument '%s'", argv[i]);
		if (!o->arg && value)
			return vb_fail(err, VB_USAGE,
				       "option --%s takes no value", o->name);
		if (o->arg && !value) {
			if (i + 1 >= argc)
				return vb_fail(err, VB_USAGE,
					       "option --%s needs a value (%s)",
					       o->name, o->arg);
			value = argv[++i];
		}
		switch (o->id) {
		case OPT_LISTEN:
			if (practice_parse_listen(value, a, err) < 0)
				return -1;
			break;
		case OPT_PASSWORD_FILE:
			a->password_file = value;
			break;
		case OPT_TRANSCRIPT:
			a->transcript = value;
			break;
		case OPT_GEOMETRY:
			if (practice_parse_geometry(value, a, err) < 0)
				return -1;
			break;
		case OPT_PORT_FILE:
			a->port_file = value;
			break;
		case OPT_START:
			if (console_set_first_screen(value) < 0)
				return vb_fail(err, VB_USAGE,
					       "--start '%s': expected echo or cmd",
					       value);
			break;
		case OPT_QUIET:
			a->quiet = true;
			break;
		case OPT_HELP:
			a->help = true;
			break;
		}
	}
	if (!a->help && !a->have_listen)
		return vb_fail(err, VB_USAGE, "--listen HOST:PORT is required");
	return 0;
}

/*
 * Read the password: the first line of path, without its line ending, into
 * buf (size PRACTICE_PASSWORD_MAX). The caller wipes buf when done. The
 * password itself never appears in a message.
 */
static int practice_read_password(const char *path, char *buf,
				  struct vb_error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t have = 0;
	char *eol;

	if (fd < 0)
		return vb_fail(err, VB_USAGE, "cannot read password file '%s': %s",
			       path, strerror(errno));
	while (have < PRACTICE_PASSWORD_MAX - 1) {
		ssize_t n = read(fd, buf + have, PRACTICE_PASSWORD_MAX - 1 - have);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			return vb_fail(err, VB_USAGE,
				       "cannot read password file '%s': %s",
				       path, strerror(e));
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
		return vb_fail(err, VB_USAGE,
			       "password file '%s': the first line is empty",
			       path);
	return 0;
}

/* Write the port to path as "PORT\n", through a temporary file renamed into
 * place, so a reader never sees a half-written number. */
static int practice_write_port_file(const char *path, int port,
				    struct vb_error *err)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >=
	    (int)sizeof(tmp))
		return vb_fail(err, VB_FAILED, "port file path too long");
	f = fopen(tmp, "w");
	if (!f)
		return vb_fail(err, VB_FAILED, "cannot write port file '%s': %s",
			       path, strerror(errno));
	fprintf(f, "%d\n", port);
	if (ferror(f) | fclose(f)) {
		int e = errno;

		unlink(tmp);
		return vb_fail(err, VB_FAILED, "cannot write port file '%s': %s",
			       path, strerror(e));
	}
	if (rename(tmp, path) < 0) {
		int e = errno;

		unlink(tmp);
		return vb_fail(err, VB_FAILED, "cannot write port file '%s': %s",
			       path, strerror(e));
	}
	return 0;
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

static void practice_report(const struct vb_error *err)
{
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
	struct server_config cfg;
	char password[PRACTICE_PASSWORD_MAX];
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
	if (font_check(msg, sizeof(msg)) < 0) {
		fprintf(stderr, PRACTICE_PROG ": internal error: %s\n", msg);
		return VB_FAILED;
	}
	server_log_setup(args.quiet);

	memset(password, 0, sizeof(password));
	if (args.password_file &&
	    practice_read_password(args.password_file, password, &err) < 0)
		goto out;
	if (strlen(password) > 8)
		fprintf(stderr, PRACTICE_PROG ": warning: VNC authentication "
			"uses only the first 8 characters of the password\n");
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
	};
	server = server_new(&cfg, transcript, &err);
	if (!server)
		goto out;
	if (args.port_file &&
	    practice_write_port_file(args.port_file, server_port(server),
				     &err) < 0)
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
	explicit_bzero(password, sizeof(password));
	if (err.status != VB_OK) {
		practice_report(&err);
		status = err.status;
	}
	return status;
}
