/* prog-cmd.c: cmd.exe started inside cmd: /c runs a line in a child process,
 * /k and no switch open a nested prompt that needs its own exit. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* cmd inside cmd: /c runs a line in a child and ends; alone (or /k) it is a
 * nested prompt that needs its own exit. */
static int prog_cmd(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	const char *s = tail, *sw = NULL;
	int rc = 0;

	(void)a;
	while (*s) {
		while (is_blank(*s))
			s++;
		if (s[0] == '/' &&
		    (tolower((unsigned char)s[1]) == 'c' || tolower((unsigned char)s[1]) == 'k')) {
			sw = s;
			break;
		}
		while (*s && !is_blank(*s))
			s++;
	}
	if (sw) {
		char *start = xstrdup(sw + 2), *line = trim(start);
		size_t len = strlen(line);
		bool keep = tolower((unsigned char)sw[1]) == 'k';
		struct exec child = {x->sh, keep ? x->p : proc_child(x->p)};

		if (len >= 2 && line[0] == '"' && line[len - 1] == '"') {
			line[len - 1] = '\0';
			line++;
		}
		run_line(&child, line, io);
		rc = child.p->errorlevel;
		if (keep)
			x->p->nested++;
		else
			proc_free(child.p);
		free(start);
		return rc;
	}
	exec_puts(x, &io->out,
		  SHELL_VERSION "\n(c) 2016 Microsoft Corporation. All rights reserved.\n");
	x->p->nested++;
	return 0;
}

const struct command command_cmd = {"cmd", NULL, prog_cmd};
