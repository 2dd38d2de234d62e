/* prog-find.c: find.exe, and the line filter it shares with findstr. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

size_t find_filter_lines(struct exec *x, const char *text, line_match_fn match, const void *how,
			 bool invert, bool count_only, bool number, const char *prefix,
			 const char *num_fmt, struct io *io)
{
	const char *s = text;
	size_t found = 0, lineno = 0;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *line = xstrndup(s, len);

		lineno++;
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (match(line, how) != invert) {
			found++;
			if (!count_only) {
				if (prefix)
					exec_puts(x, &io->out, prefix);
				if (number)
					exec_printf(x, &io->out, num_fmt, lineno);
				exec_printf(x, &io->out, "%s\n", line);
			}
		}
		free(line);
		s += len + (nl ? 1 : 0);
	}
	return found;
}

struct find_how {
	const char *needle;
	bool icase;
};

static bool find_match(const char *line, const void *how)
{
	const struct find_how *h = how;

	return h->icase ? strcasestr_n(line, h->needle, strlen(h->needle)) != NULL
			: strstr(line, h->needle) != NULL;
}

static int prog_find(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	bool invert = false, count = false, number = false;
	struct find_how how = {NULL, false};
	const char **files = NULL;
	size_t nfiles = 0, found = 0, i, k;
	int argi, rc = 0;

	(void)tail;
	for (argi = 1; argi < a->argc && rc == 0; argi++) {
		const char *s = a->argv[argi];

		if (s[0] == '/' && !a->quoted[argi] && !how.needle) {
			if (!strcasecmp(s, "/v"))
				invert = true;
			else if (!strcasecmp(s, "/c"))
				count = true;
			else if (!strcasecmp(s, "/n"))
				number = true;
			else if (!strcasecmp(s, "/i"))
				how.icase = true;
			else if (strncasecmp(s, "/off", 4))
				rc = 2;
		} else if (!how.needle) {
			if (!a->quoted[argi]) /* the string must be in double quotes */
				rc = 2;
			how.needle = s;
		} else {
			files = xrealloc(files, (nfiles + 1) * sizeof(*files));
			files[nfiles++] = s;
		}
	}
	if (rc || !how.needle) {
		exec_puts(x, &io->err, "FIND: Parameter format not correct\n");
		free(files);
		return 2;
	}
	if (!nfiles) {
		char *text = source_read_all(io->in);

		found = find_filter_lines(x, text, find_match, &how, invert, count, number, NULL,
					  "[%zu]", io);
		if (count)
			exec_printf(x, &io->out, "%zu\n", found);
		free(text);
		return found ? 0 : 1;
	}
	for (i = 0; i < nfiles; i++) {
		char *abs = disk_abs(x->p->cwd, files[i]), *text, *upper;
		struct disk_file *f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
		size_t n;

		free(abs);
		if (!f) {
			exec_printf(x, &io->err, "File not found - %s\n", files[i]);
			rc = 1;
			continue;
		}
		upper = xstrdup(files[i]);
		for (k = 0; upper[k]; k++)
			upper[k] = (char)toupper((unsigned char)upper[k]);
		text = disk_text(f);
		if (count) {
			n = find_filter_lines(x, text, find_match, &how, invert, true, false, NULL,
					      "", io);
			exec_printf(x, &io->out, "\n---------- %s: %zu\n", upper, n);
		} else {
			exec_printf(x, &io->out, "\n---------- %s\n", upper);
			n = find_filter_lines(x, text, find_match, &how, invert, false, number,
					      NULL, "[%zu]", io);
		}
		found += n;
		free(text);
		free(upper);
	}
	free(files);
	return found ? 0 : rc ? rc : 1;
}

const struct command command_find = {"find", NULL, prog_find};
