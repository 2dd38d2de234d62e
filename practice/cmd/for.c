/* for.c: for: %X variables and their ~ forms, for over a set of words or
 * files, for /l's counts and for /f's lines of a command, a string or a file
 * (tokens=, delims=, skip=, eol=, usebackq). */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* s with %X and %~X replaced for each active for variable X. Caller frees. */
static char *subst(const char *s, const struct forvars *fv)
{
	struct strbuf b = {0};
	size_t i;

	if (!s)
		return NULL;
	while (*s) {
		bool tilde = s[0] == '%' && s[1] == '~';
		char letter = tilde ? s[2] : s[0] == '%' ? s[1] : 0;
		const char *val = NULL;

		for (i = 0; letter && i < fv->n; i++)
			if (fv->letter[i] == letter)
				val = fv->value[i];
		if (!val) {
			strbuf_putc(&b, *s++);
			continue;
		}
		if (tilde) {
			size_t len = strlen(val);

			if (len >= 2 && val[0] == '"' && val[len - 1] == '"')
				strbuf_add(&b, val + 1, len - 2);
			else
				strbuf_puts(&b, val[0] == '"' ? val + 1 : val);
		} else {
			strbuf_puts(&b, val);
		}
		s += tilde ? 3 : 2;
	}
	return strbuf_take(&b);
}

struct node *node_subst(const struct node *n, const struct forvars *fv)
{
	struct node *c;
	size_t i;

	if (!n)
		return NULL;
	c = node_new(n->kind);
	*c = *n;
	c->a = node_subst(n->a, fv);
	c->b = node_subst(n->b, fv);
	c->text = subst(n->text, fv);
	c->redirs = n->nredirs ? xmalloc(n->nredirs * sizeof(*c->redirs)) : NULL;
	for (i = 0; i < n->nredirs; i++) {
		c->redirs[i] = n->redirs[i];
		c->redirs[i].target = subst(n->redirs[i].target, fv);
	}
	c->lhs = subst(n->lhs, fv);
	c->op = xstrdup(n->op);
	c->rhs = subst(n->rhs, fv);
	c->opts = subst(n->opts, fv);
	c->set = subst(n->set, fv);
	return c;
}

/* for /f's options. */
struct for_opts {
	int skip;
	char eol;
	char delims[64];
	size_t ndelims;
	int tokens[32]; /* ascending */
	size_t ntokens;
	bool star;
	bool usebackq;
};

static bool for_keyword_at(const char *s)
{
	return !strncasecmp(s, "eol=", 4) || !strncasecmp(s, "skip=", 5) ||
	       !strncasecmp(s, "delims=", 7) || !strncasecmp(s, "tokens=", 7) ||
	       !strncasecmp(s, "usebackq", 8);
}

static void add_token(struct for_opts *o, int t)
{
	size_t i, j;

	for (i = 0; i < o->ntokens; i++)
		if (o->tokens[i] == t)
			return;
	if (o->ntokens == 31)
		return;
	for (i = 0; i < o->ntokens && o->tokens[i] < t; i++)
		;
	for (j = o->ntokens; j > i; j--)
		o->tokens[j] = o->tokens[j - 1];
	o->tokens[i] = t;
	o->ntokens++;
}

static bool parse_for_opts(const char *s, struct for_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->eol = ';';
	o->delims[0] = ' ';
	o->delims[1] = '\t';
	o->ndelims = 2;
	o->tokens[0] = 1;
	o->ntokens = 1;
	if (!s)
		return true;
	while (*s) {
		if (is_blank(*s)) {
			s++;
		} else if (!strncasecmp(s, "eol=", 4) && s[4]) {
			o->eol = s[4];
			s += 5;
		} else if (!strncasecmp(s, "skip=", 5) && isdigit((unsigned char)s[5])) {
			o->skip = (int)strtol(s + 5, (char **)&s, 10);
		} else if (!strncasecmp(s, "usebackq", 8)) {
			o->usebackq = true;
			s += 8;
		} else if (!strncasecmp(s, "delims=", 7)) {
			/* Up to the end, or a blank before another keyword. */
			o->ndelims = 0;
			for (s += 7; *s; s++) {
				const char *t = s;

				while (is_blank(*t))
					t++;
				if (t != s && for_keyword_at(t))
					break;
				if (o->ndelims < sizeof(o->delims))
					o->delims[o->ndelims++] = *s;
			}
		} else if (!strncasecmp(s, "tokens=", 7)) {
			o->ntokens = 0;
			s += 7;
			while (*s && !is_blank(*s)) {
				if (*s == '*') {
					o->star = true;
					s++;
				} else if (isdigit((unsigned char)*s)) {
					long a = strtol(s, (char **)&s, 10), b = a;

					if (*s == '-')
						b = strtol(s + 1, (char **)&s, 10);
					if (a < 1 || b < a || b > 31)
						return false;
					for (; a <= b; a++)
						add_token(o, (int)a);
				} else if (*s == ',') {
					s++;
				} else {
					return false;
				}
			}
			if (!o->ntokens && !o->star)
				return false;
		} else {
			return false;
		}
	}
	return true;
}

/* Split line into for /f's variables. false when the line yields none of
 * the tokens asked for (cmd then skips it). */
static bool for_tokens(const char *line, const struct for_opts *o, char var, struct forvars *fv)
{
	size_t start[32], len[32], n = 0, i, pos = 0, ll = strlen(line);
	bool any = false;
	int top = o->ntokens ? o->tokens[o->ntokens - 1] : 0;

	fv->n = 0;
	while (pos < ll && n < 32) {
		while (pos < ll && memchr(o->delims, line[pos], o->ndelims))
			pos++;
		if (pos >= ll)
			break;
		start[n] = pos;
		while (pos < ll && !memchr(o->delims, line[pos], o->ndelims))
			pos++;
		len[n] = pos - start[n];
		n++;
	}
	if (n && line[start[0]] == o->eol)
		return false;
	for (i = 0; i < o->ntokens; i++) {
		int t = o->tokens[i];
		bool have = (size_t)t <= n;

		fv->letter[fv->n] = (char)(var + (int)fv->n);
		fv->value[fv->n] = have ? xstrndup(line + start[t - 1], len[t - 1]) : xstrdup("");
		fv->n++;
		any = any || have;
	}
	if (o->star) {
		bool have = (size_t)top < n;

		fv->letter[fv->n] = (char)(var + (int)fv->n);
		fv->value[fv->n] = xstrdup(have ? line + start[top] : "");
		fv->n++;
		any = any || have;
	}
	return any;
}

static void forvars_free(struct forvars *fv)
{
	size_t i;

	for (i = 0; i < fv->n; i++)
		free(fv->value[i]);
	fv->n = 0;
}

static int run_body(struct exec *x, const struct node *n, const struct forvars *fv, struct io *io)
{
	struct node *body = node_subst(n->a, fv);
	int rc = run_node(x, body, io);

	node_free(body);
	return rc;
}

/* The lines for /f reads: a command's output, a string, or a file's text.
 * NULL (after saying why) when there are none to read. Caller frees. */
static char *for_f_source(struct exec *x, const struct node *n, const struct for_opts *o,
			  struct io *io)
{
	char *set = trim(n->set);
	size_t len = strlen(set);
	char cmd_q = o->usebackq ? '`' : '\'', str_q = o->usebackq ? '\'' : '"';

	if (len >= 2 && set[0] == cmd_q && set[len - 1] == cmd_q) {
		struct strbuf out = {0};
		struct exec child = {x->sh, proc_child(x->p)};
		struct io cio = *io;
		char *line = xstrndup(set + 1, len - 2);

		cio.out = (struct sink){SINK_BUF, &out};
		run_line(&child, line, &cio);
		free(line);
		proc_free(child.p);
		return strbuf_take(&out);
	}
	if (len >= 2 && set[0] == str_q && set[len - 1] == str_q)
		return xstrndup(set + 1, len - 2);

	char *name = xstrdup(set), *abs;
	struct disk_file *f;

	if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
		name[len - 1] = '\0';
		memmove(name, name + 1, len - 1);
	}
	abs = disk_abs(x->p->cwd, name);
	f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
	free(abs);
	if (!f) {
		exec_printf(x, &io->err, "The system cannot find the file %s.\n", name);
		free(name);
		return NULL;
	}
	free(name);
	return disk_text(f);
}

static int run_for_f(struct exec *x, const struct node *n, struct io *io)
{
	struct for_opts o;
	struct forvars fv = {0};
	char *text, *line, *save = NULL;
	int skipped = 0, rc = 0;

	if (!parse_for_opts(n->opts, &o)) {
		exec_printf(x, &io->err, "\"%s\" was unexpected at this time.\n", n->opts);
		exec_set_errorlevel(x, 255);
		return 255;
	}
	text = for_f_source(x, n, &o, io);
	if (!text || x->sh->suspended) {
		free(text);
		return 1;
	}
	for (line = strtok_r(text, "\n", &save); line && !exec_halted(x);
	     line = strtok_r(NULL, "\n", &save)) {
		size_t ll = strlen(line);

		if (ll && line[ll - 1] == '\r')
			line[--ll] = '\0';
		if (!ll || skipped++ < o.skip)
			continue;
		if (for_tokens(line, &o, n->var, &fv))
			rc = run_body(x, n, &fv, io);
		forvars_free(&fv);
	}
	free(text);
	return rc;
}

int run_for(struct exec *x, const struct node *n, struct io *io)
{
	struct forvars fv = {0};
	int rc = 0;

	if (n->fork == FOR_F)
		return run_for_f(x, n, io);
	fv.n = 1;
	fv.letter[0] = n->var;
	if (n->fork == FOR_L) {
		long v[3] = {0, 0, 0};
		char *s = n->set, *end;
		int i;

		for (i = 0; i < 3; i++) {
			while (is_delim(*s))
				s++;
			v[i] = strtol(s, &end, 0);
			s = end;
		}
		for (long k = v[0]; v[1] && (v[1] > 0 ? k <= v[2] : k >= v[2]) && !exec_halted(x);
		     k += v[1]) {
			char num[32];

			snprintf(num, sizeof(num), "%ld", k);
			fv.value[0] = num;
			rc = run_body(x, n, &fv, io);
		}
		return rc;
	}
	/* The plain for: each item, files matching one with wildcards. */
	const char *s = n->set;

	while (*s && !exec_halted(x)) {
		struct strbuf item = {0};
		bool quoted = false;

		while (is_delim(*s))
			s++;
		while (*s && (quoted || !is_delim(*s))) {
			if (*s == '"')
				quoted = !quoted;
			strbuf_putc(&item, *s++);
		}
		if (!item.len)
			break;
		if (strpbrk(item.p, "*?")) {
			char *abs = disk_abs(x->p->cwd, item.p);
			char *dir = abs ? disk_parent(abs) : NULL;
			const char *slash = strrchr(item.p, '\\');
			size_t i;

			for (i = 0; abs && i < x->sh->disk->nfiles && !exec_halted(x); i++) {
				const char *fp = x->sh->disk->files[i].path;
				char *fdir = disk_parent(fp);
				struct strbuf name = {0};

				if (!strcasecmp(fdir, dir) &&
				    disk_wild_match(disk_base(abs), disk_base(fp))) {
					if (slash)
						strbuf_add(&name, item.p,
							   (size_t)(slash - item.p) + 1);
					strbuf_puts(&name, disk_base(fp));
					fv.value[0] = name.p;
					rc = run_body(x, n, &fv, io);
				}
				free(name.p);
				free(fdir);
			}
			free(dir);
			free(abs);
		} else {
			fv.value[0] = item.p;
			rc = run_body(x, n, &fv, io);
		}
		free(item.p);
	}
	return rc;
}
