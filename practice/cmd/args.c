/* args.c: a program's arguments as the C runtime splits its command line, and
 * the single argument built-ins such as cd and type take. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void args_split(struct args *a, const char *prog, const char *s)
{
	a->argc = 1;
	a->argv = xmalloc(sizeof(char *));
	a->quoted = xmalloc(sizeof(bool));
	a->argv[0] = xstrdup(prog);
	a->quoted[0] = false;
	for (;;) {
		struct strbuf t = {0};
		bool quoted = false, opens_quoted;

		while (is_blank(*s))
			s++;
		if (!*s)
			break;
		opens_quoted = *s == '"';
		while (*s && (quoted || !is_blank(*s))) {
			size_t slashes = 0;

			while (s[slashes] == '\\')
				slashes++;
			if (s[slashes] != '"') { /* backslashes are literal... */
				strbuf_add(&t, s, slashes ? slashes : 1);
				s += slashes ? slashes : 1;
				continue;
			}
			/* ...except before a quote: two make one, and an odd one
			 * out makes the quote a literal character. */
			for (size_t k = 0; k < slashes / 2; k++)
				strbuf_putc(&t, '\\');
			if (slashes % 2)
				strbuf_putc(&t, '"');
			else
				quoted = !quoted;
			s += slashes + 1;
		}
		a->argv = xrealloc(a->argv, (size_t)(a->argc + 1) * sizeof(char *));
		a->quoted = xrealloc(a->quoted, (size_t)(a->argc + 1) * sizeof(bool));
		a->argv[a->argc] = strbuf_take(&t);
		a->quoted[a->argc] = opens_quoted;
		a->argc++;
	}
}

void args_free(struct args *a)
{
	int i;

	for (i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a->argv);
	free(a->quoted);
}

/* A copy of a command's argument text, trimmed and without one pair of
 * surrounding quotes. Caller frees. */
char *args_one(const char *tail)
{
	char *buf = xstrdup(tail), *s = trim(buf), *copy;
	size_t len = strlen(s);

	if (len >= 2 && s[0] == '"' && s[len - 1] == '"') {
		s[len - 1] = '\0';
		s++;
	}
	copy = xstrdup(s);
	free(buf);
	return copy;
}
