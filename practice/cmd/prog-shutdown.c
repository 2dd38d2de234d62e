/* prog-shutdown.c: shutdown.exe: /r and /s schedule the machine's restart or
 * shutdown (machine.h), /a aborts it; the console acts on machine_power(). */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char shutdown_usage[] =
	"Usage: shutdown [/i | /l | /s | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/f]\n"
	"    [/m \\\\computer][/t xxx][/d [p|u:]xx:yy [/c \"comment\"]]\n"
	"\n"
	"    No args    Display help. This is the same as typing /?.\n";

/* shutdown: /r and /s schedule (in /t seconds, 30 by default), /a aborts.
 * The practice console acts on what machine_power() says. */
static int prog_shutdown(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	char action = 0;
	int rc;
	long seconds = 30;
	int i;

	(void)tail;
	for (i = 1; i < a->argc; i++) {
		const char *s = a->argv[i];
		char *end;

		if (s[0] != '/' && s[0] != '-')
			goto usage;
		s++;
		if (!strcasecmp(s, "r") || !strcasecmp(s, "g"))
			action = 'r';
		else if (!strcasecmp(s, "s") || !strcasecmp(s, "p"))
			action = 's';
		else if (!strcasecmp(s, "a"))
			action = 'a';
		else if (!strcasecmp(s, "f") || !strcasecmp(s, "soft") || !strcasecmp(s, "hybrid"))
			continue;
		else if ((!strcasecmp(s, "c") || !strcasecmp(s, "d") || !strcasecmp(s, "m")) &&
			 i + 1 < a->argc)
			i++;
		else if (!strcasecmp(s, "t") && i + 1 < a->argc) {
			seconds = strtol(a->argv[++i], &end, 10);
			if (*end || seconds < 0 || seconds > 315360000)
				goto usage;
		} else if (!strcmp(s, "?")) {
			exec_puts(x, &io->out, shutdown_usage);
			return 0;
		} else {
			goto usage;
		}
	}
	if (!action)
		goto usage;
	if (action == 'a') {
		rc = machine_abort_shutdown(x->sh->m);
		if (rc)
			exec_puts(x, &io->err,
				  "Unable to abort the system shutdown because no shutdown "
				  "was in progress.(1116)\n");
		return rc;
	}
	rc = machine_schedule_shutdown(x->sh->m, action == 'r', (int)seconds);
	if (rc)
		exec_puts(x, &io->err, "A system shutdown has already been scheduled.(1190)\n");
	return rc;
usage:
	exec_puts(x, &io->out, shutdown_usage);
	return a->argc > 1 ? 87 : 0;
}

const struct command command_shutdown = {"shutdown", NULL, prog_shutdown};
