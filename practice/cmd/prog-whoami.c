/* prog-whoami.c: hostname.exe and whoami.exe: the machine's name and user as
 * Windows prints them. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int prog_hostname(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	(void)tail, (void)a;
	exec_printf(x, &io->out, "%s\n", machine_hostname(x->sh->m));
	return 0;
}

static int prog_whoami(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	struct strbuf b = {0};
	size_t i;

	(void)tail, (void)a;
	strbuf_printf(&b, "%s\\%s\n", machine_hostname(x->sh->m), machine_user(x->sh->m));
	for (i = 0; i < b.len; i++)
		b.p[i] = (char)tolower((unsigned char)b.p[i]);
	exec_write(x, &io->out, b.p, b.len);
	strbuf_free(&b);
	return 0;
}

const struct command command_hostname = {"hostname", NULL, prog_hostname};
const struct command command_whoami = {"whoami", NULL, prog_whoami};
