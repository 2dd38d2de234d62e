/* prog-findstr.c: findstr.exe: literal strings and its small regular
 * expressions (. * ^ $ [class] [^class] \x), /i /v /x /b /e /n /m /l /r and
 * /c:"string". */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* findstr's regular expressions: . * ^ $ [class] [^class] and \x. */
static size_t re_elem_len(const char *re)
{
	if (re[0] == '\\' && re[1])
		return 2;
	if (re[0] == '[') {
		const char *close = strchr(re + 2, ']');

		return close ? (size_t)(close - re) + 1 : 1;
	}
	return 1;
}

static bool chars_eq(char a, char b, bool icase)
{
	return icase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

static bool re_elem_match(const char *re, char c, bool icase)
{
	if (re[0] == '\\' && re[1])
		return chars_eq(re[1], c, icase);
	if (re[0] == '.')
		return true;
	if (re[0] == '[' && re_elem_len(re) > 1) {
		size_t end = re_elem_len(re) - 1, i = 1;
		bool neg = re[1] == '^', in = false;

		if (neg)
			i++;
		for (; i < end; i++) {
			if (i + 2 < end && re[i + 1] == '-') {
				char lo = re[i], hi = re[i + 2],
				     lc = (char)tolower((unsigned char)c),
				     uc = (char)toupper((unsigned char)c);

				in = in || (c >= lo && c <= hi) ||
				     (icase && ((lc >= lo && lc <= hi) || (uc >= lo && uc <= hi)));
				i += 2;
			} else {
				in = in || chars_eq(re[i], c, icase);
			}
		}
		return in != neg;
	}
	return chars_eq(re[0], c, icase);
}

static bool re_here(const char *re, const char *t, bool icase)
{
	size_t el;

	if (!*re)
		return true;
	if (re[0] == '$' && !re[1])
		return !*t;
	el = re_elem_len(re);
	if (re[el] == '*') {
		do {
			if (re_here(re + el + 1, t, icase))
				return true;
		} while (*t && re_elem_match(re, *t++, icase));
		return false;
	}
	return *t && re_elem_match(re, *t, icase) && re_here(re + el, t + 1, icase);
}

struct findstr_how {
	char **strings;
	size_t n;
	bool regex, icase, whole, begin, end;
};

static bool findstr_one(const char *line, const char *pat, const struct findstr_how *h)
{
	size_t plen = strlen(pat), llen = strlen(line);

	if (h->regex) {
		struct strbuf re = {0};
		bool hit = false;
		const char *t = line;

		if (h->whole || h->begin)
			strbuf_putc(&re, '^');
		strbuf_puts(&re, pat);
		if ((h->whole || h->end) && (!plen || pat[plen - 1] != '$'))
			strbuf_putc(&re, '$');
		if (re.p[0] == '^') {
			hit = re_here(re.p + 1, line, h->icase);
		} else {
			do {
				hit = re_here(re.p, t, h->icase);
			} while (!hit && *t++);
		}
		free(re.p);
		return hit;
	}
	if (h->whole)
		return plen == llen && !(h->icase ? strcasecmp(line, pat) : strcmp(line, pat));
	if (h->begin && plen <= llen)
		return h->icase ? !strncasecmp(line, pat, plen) : !strncmp(line, pat, plen);
	if (h->end && plen <= llen)
		return h->icase ? !strcasecmp(line + llen - plen, pat)
				: !strcmp(line + llen - plen, pat);
	if (h->begin || h->end)
		return false;
	return h->icase ? strcasestr_n(line, pat, plen) != NULL : strstr(line, pat) != NULL;
}

static bool findstr_match(const char *line, const void *how)
{
	const struct findstr_how *h = how;
	size_t i;

	for (i = 0; i < h->n; i++)
		if (findstr_one(line, h->strings[i], h))
			return true;
	return false;
}

static int prog_findstr(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	struct findstr_how how = {NULL, 0, true, false, false, false, false};
	bool invert = false, number = false, literal_set = false, regex_set = false,
	     names_only = false, have_words = false;
	char **files = NULL;
	size_t nfiles = 0, found = 0, i;
	int argi, rc = 0;

	(void)tail;
	for (argi = 1; argi < a->argc; argi++) {
		const char *s = a->argv[argi];

		if (s[0] == '/' && !a->quoted[argi]) {
			if (!strncasecmp(s, "/c:", 3)) {
				how.strings = xrealloc(how.strings, (how.n + 1) * sizeof(char *));
				how.strings[how.n++] = xstrdup(s + 3);
				literal_set = literal_set || !regex_set;
				have_words = true;
				continue;
			}
			for (s++; *s; s++) {
				switch (tolower((unsigned char)*s)) {
				case 'i':
					how.icase = true;
					break;
				case 'v':
					invert = true;
					break;
				case 'x':
					how.whole = true;
					break;
				case 'b':
					how.begin = true;
					break;
				case 'e':
					how.end = true;
					break;
				case 'n':
					number = true;
					break;
				case 'm':
					names_only = true;
					break;
				case 'l':
					literal_set = true;
					break;
				case 'r':
					regex_set = true;
					break;
				default:
					break;
				}
			}
		} else if (!have_words) {
			char *copy = xstrdup(s), *w, *save = NULL;

			for (w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
				how.strings = xrealloc(how.strings, (how.n + 1) * sizeof(char *));
				how.strings[how.n++] = xstrdup(w);
			}
			free(copy);
			have_words = true;
		} else {
			files = xrealloc(files, (nfiles + 1) * sizeof(char *));
			files[nfiles++] = a->argv[argi];
		}
	}
	how.regex = regex_set || !literal_set;
	if (!how.n) {
		exec_puts(x, &io->err, "FINDSTR: Bad command line\n");
		rc = 2;
	} else if (!nfiles) {
		char *text = source_read_all(io->in);

		found = find_filter_lines(x, text, findstr_match, &how, invert, false, number, NULL,
					  "%zu:", io);
		free(text);
		rc = found ? 0 : 1;
	} else {
		for (i = 0; i < nfiles; i++) {
			char *abs = disk_abs(x->p->cwd, files[i]), *text, *prefix;
			struct disk_file *f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
			size_t n;

			free(abs);
			if (!f) {
				exec_printf(x, &io->err, "FINDSTR: Cannot open %s\n", files[i]);
				continue;
			}
			text = disk_text(f);
			prefix = xmalloc(strlen(files[i]) + 2);
			sprintf(prefix, "%s:", files[i]);
			n = find_filter_lines(x, text, findstr_match, &how, invert, names_only,
					      number, nfiles > 1 ? prefix : NULL, "%zu:", io);
			if (names_only && n)
				exec_printf(x, &io->out, "%s\n", files[i]);
			found += n;
			free(prefix);
			free(text);
		}
		rc = found ? 0 : 1;
	}
	for (i = 0; i < how.n; i++)
		free(how.strings[i]);
	free(how.strings);
	free(files);
	return rc;
}

const struct command command_findstr = {"findstr", NULL, prog_findstr};
