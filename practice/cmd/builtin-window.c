/* builtin-window.c: the built-ins that act on the window and the session: cls,
 * color, title, ver, pause, rem and exit. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int cmd_color(struct exec *x, const char *tail, struct io *io)
{
	char *start = xstrdup(tail), *arg = trim(start);
	size_t len = strlen(arg);
	unsigned attr;
	int rc = 0;

	(void)io;
	if (!len) {
		x->sh->color = SHELL_COLOR;
	} else if (len <= 2 && isxdigit((unsigned char)arg[0]) &&
		   (len == 1 || isxdigit((unsigned char)arg[1]))) {
		attr = (unsigned)strtoul(arg, NULL, 16);
		if ((attr >> 4) == (attr & 15))
			rc = 1; /* the same colour twice: refused, as cmd does */
		else
			x->sh->color = attr;
	} else {
		rc = 1;
	}
	free(start);
	return rc;
}

static int cmd_cls(struct exec *x, const char *tail, struct io *io)
{
	(void)tail;
	exec_puts(x, &io->out, "\f");
	return 0;
}

static int cmd_exit(struct exec *x, const char *tail, struct io *io)
{
	char *start = xstrdup(tail), *arg = trim(start);
	int code = x->p->errorlevel;

	(void)io;
	if (!strncasecmp(arg, "/b", 2) && (is_blank(arg[2]) || !arg[2]))
		arg = trim(arg + 2);
	if (*arg)
		code = atoi(arg);
	free(start);
	x->p->errorlevel = code;
	if (x->p->nested > 0)
		x->p->nested--;
	else
		x->p->exited = true;
	return code;
}

static int cmd_ver(struct exec *x, const char *tail, struct io *io)
{
	(void)tail;
	exec_puts(x, &io->out, "\n" SHELL_VERSION "\n");
	return 0;
}

static int cmd_title(struct exec *x, const char *tail, struct io *io)
{
	char *start = xstrdup(tail), *t = trim(start);

	(void)io;
	free(x->sh->title);
	x->sh->title = xmalloc(strlen(SHELL_TITLE_PREFIX) + strlen(t) + 1);
	strcpy(x->sh->title, x->sh->elevated ? SHELL_TITLE_PREFIX : "");
	strcat(x->sh->title, t);
	free(start);
	return 0;
}

static int cmd_pause(struct exec *x, const char *tail, struct io *io)
{
	char line[64];

	(void)tail;
	exec_puts(x, &io->out, "Press any key to continue . . . ");
	if (exec_read_line(x, io->in, line, sizeof(line)) < 0)
		return 0;
	exec_puts(x, &io->out, "\n");
	return 0;
}

static int cmd_rem(struct exec *x, const char *tail, struct io *io)
{
	(void)x, (void)tail, (void)io;
	return 0;
}

const struct command command_cls = {"cls", cmd_cls, NULL};
const struct command command_color = {"color", cmd_color, NULL};
const struct command command_exit = {"exit", cmd_exit, NULL};
const struct command command_pause = {"pause", cmd_pause, NULL};
const struct command command_rem = {"rem", cmd_rem, NULL};
const struct command command_title = {"title", cmd_title, NULL};
const struct command command_ver = {"ver", cmd_ver, NULL};
