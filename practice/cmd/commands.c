/* commands.c: the table of commands (one struct command per built-in or
 * program, defined in the file that implements it, as tmux keeps its cmd-*.c)
 * and running one simple command: built-ins by prefix, programs by name, the
 * rest "is not recognized". */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const struct command *const commands[] = {
	&command_cd,	   &command_chdir, &command_cls,      &command_color,  &command_del,
	&command_dir,	   &command_echo,  &command_erase,    &command_exit,   &command_md,
	&command_mkdir,	   &command_pause, &command_rem,      &command_set,    &command_title,
	&command_type,	   &command_ver,   &command_cmd,      &command_find,   &command_findstr,
	&command_hostname, &command_reg,   &command_shutdown, &command_whoami,
};

/* What may follow a built-in's name in the same word. */
static bool ends_builtin_name(char c)
{
	return c == '\0' || is_delim(c) || strchr("./\\:+([]", c);
}

int run_simple(struct exec *x, const char *text, struct io *io)
{
	const char *s = text, *end;
	struct strbuf word = {0};
	bool quoted = false;
	size_t i;
	int rc;

	while (is_delim(*s) || *s == '@')
		s++;
	if (!*s)
		return 0;
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		size_t n = strlen(commands[i]->name);

		if (commands[i]->builtin && !strncasecmp(s, commands[i]->name, n) &&
		    ends_builtin_name(s[n])) {
			rc = commands[i]->builtin(x, s + n, io);
			if (rc && !x->sh->suspended)
				exec_set_errorlevel(x, rc);
			return rc;
		}
	}
	/* A program: the first word, quotes removed, up to a blank or '/'. */
	for (end = s; *end && (quoted || (!is_delim(*end) && *end != '/')); end++) {
		if (*end == '"')
			quoted = !quoted;
		else
			strbuf_putc(&word, *end);
	}
	char *name = strbuf_take(&word), *base = strrchr(name, '\\');
	char *typed = xstrndup(s, (size_t)(end - s)); /* quotes kept, for messages */

	base = base ? base + 1 : name;
	if (strlen(base) == 2 && isalpha((unsigned char)base[0]) && base[1] == ':' &&
	    base == name) {
		rc = toupper((unsigned char)base[0]) == 'C' ? 0 : 1; /* switching drives */
		if (rc)
			exec_puts(x, &io->err, "The system cannot find the drive specified.\n");
		free(name);
		free(typed);
		return rc;
	}
	size_t blen = strlen(base);

	if (blen > 4 && !strcasecmp(base + blen - 4, ".exe"))
		base[blen - 4] = '\0';
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i]->program && !strcasecmp(base, commands[i]->name)) {
			struct args a;

			args_split(&a, commands[i]->name, end);
			rc = commands[i]->program(x, end, &a, io);
			args_free(&a);
			free(name);
			free(typed);
			exec_set_errorlevel(x, rc);
			return rc;
		}
	}
	exec_printf(x, &io->err,
		    "'%s' is not recognized as an internal or external command,\n"
		    "operable program or batch file.\n",
		    typed);
	free(name);
	free(typed);
	exec_set_errorlevel(x, 9009);
	return 9009;
}
