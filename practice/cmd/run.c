/* run.c: running the tree parser.c made: sequences, && and ||, pipes (each
 * side in a child cmd.exe), redirections to files and nul, and if (errorlevel,
 * ==, defined, exist). for is for.c's; each simple command goes to commands.c.
 * */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void exec_set_errorlevel(struct exec *x, int rc)
{
	if (!x->sh->suspended)
		x->p->errorlevel = rc;
}

static bool is_device(const char *target, const char *dev)
{
	size_t n = strlen(dev);

	return !strncasecmp(target, dev, n) && (target[n] == '\0' || !strcmp(target + n, ":"));
}

struct file_redir {
	char *abs;
	struct strbuf buf;
	bool append;
};

/* Text as a redirection writes it: CRLF line ends. */
static void write_text_file(struct disk *d, const char *abs, const struct strbuf *b, bool append)
{
	struct strbuf crlf = {0};
	size_t i;

	for (i = 0; i < b->len; i++) {
		if (b->p[i] == '\n')
			strbuf_putc(&crlf, '\r');
		strbuf_putc(&crlf, b->p[i]);
	}
	disk_write(d, abs, crlf.p ? crlf.p : "", crlf.len, append);
	free(crlf.p);
}

/* A command or block with its redirections applied, in the order typed
 * (">nul 2>&1" sends both to nul; "2>&1 >nul" only standard output). */
static int run_redirected(struct exec *x, const struct node *n, struct io *io)
{
	struct io io2 = *io;
	struct source in = {SOURCE_EOF, NULL, 0, 0};
	char *in_text = NULL;
	struct file_redir files[8];
	size_t nfiles = 0, i;
	int rc = 0;
	bool failed = false;

	for (i = 0; i < n->nredirs && !failed; i++) {
		const struct redir *r = &n->redirs[i];
		struct sink *dst = r->fd == 2 ? &io2.err : &io2.out;

		if (r->input) {
			if (is_device(r->target, "nul")) {
				in.kind = SOURCE_EOF;
			} else {
				char *abs = disk_abs(x->p->cwd, r->target);
				struct disk_file *f = abs ? disk_find_file(x->sh->disk, abs) : NULL;

				free(abs);
				if (!f) {
					exec_puts(x, &io->err,
						  "The system cannot find the file specified.\n");
					failed = true;
					break;
				}
				free(in_text);
				in_text = disk_text(f);
				in = (struct source){SOURCE_TEXT, in_text, strlen(in_text), 0};
			}
			io2.in = &in;
			continue;
		}
		if (r->fd != 1 && r->fd != 2)
			continue;
		if (r->dup >= 0) {
			if (r->dup == 1 || r->dup == 2)
				*dst = r->dup == 2 ? io2.err : io2.out;
		} else if (is_device(r->target, "nul")) {
			*dst = (struct sink){SINK_NULL, NULL};
		} else if (is_device(r->target, "con")) {
			*dst = (struct sink){SINK_CONSOLE, NULL};
		} else {
			char *abs = disk_abs(x->p->cwd, r->target);
			struct strbuf none = {0};

			if (nfiles == sizeof(files) / sizeof(files[0]) || !abs ||
			    disk_write(x->sh->disk, abs, "", 0, r->append) < 0) {
				free(abs);
				exec_puts(x, &io->err,
					  "The system cannot find the path specified.\n");
				failed = true;
				break;
			}
			files[nfiles].abs = abs;
			files[nfiles].buf = none;
			files[nfiles].append = true; /* created or emptied above */
			*dst = (struct sink){SINK_BUF, &files[nfiles].buf};
			nfiles++;
		}
	}
	if (failed) {
		rc = 1;
		exec_set_errorlevel(x, 1);
	} else if (n->kind == NODE_BLOCK) {
		rc = n->a ? run_node(x, n->a, &io2) : 0;
	} else {
		rc = run_simple(x, n->text, &io2);
	}
	for (i = 0; i < nfiles; i++) {
		if (!x->sh->suspended)
			write_text_file(x->sh->disk, files[i].abs, &files[i].buf, files[i].append);
		free(files[i].abs);
		free(files[i].buf.p);
	}
	free(in_text);
	return rc;
}

/* Both sides of a pipe run in child cmd.exe processes: what they set stays
 * there. The result is the right side's. */
static int run_pipe(struct exec *x, const struct node *n, struct io *io)
{
	struct strbuf buf = {0};
	struct exec left = {x->sh, proc_child(x->p)};
	struct exec right = {x->sh, proc_child(x->p)};
	struct io lio = *io, rio = *io;
	struct source src;
	int rc = 0;

	lio.out = (struct sink){SINK_BUF, &buf};
	run_node(&left, n->a, &lio);
	if (!x->sh->suspended) {
		src = (struct source){SOURCE_TEXT, buf.p ? buf.p : "", buf.len, 0};
		rio.in = &src;
		rc = run_node(&right, n->b, &rio);
		exec_set_errorlevel(x, rc);
	}
	proc_free(left.p);
	proc_free(right.p);
	free(buf.p);
	return rc;
}

static bool parse_int(const char *s, long *v)
{
	char *end;

	if (!*s)
		return false;
	*v = strtol(s, &end, 0);
	return *end == '\0';
}

static bool path_exists(struct exec *x, const char *typed)
{
	char *raw = xstrdup(typed), *path = raw;
	size_t len = strlen(path);
	bool found = false;
	char *abs;

	if (len >= 2 && path[0] == '"' && path[len - 1] == '"') {
		path[len - 1] = '\0';
		path++;
	}
	abs = disk_abs(x->p->cwd, path);
	if (abs) {
		char *parent = disk_parent(abs);
		size_t i;

		found = disk_find_dir(x->sh->disk, abs) || disk_find_file(x->sh->disk, abs);
		for (i = 0; !found && i < x->sh->disk->nfiles; i++) {
			char *fp = disk_parent(x->sh->disk->files[i].path);

			found = !strcasecmp(fp, parent) &&
				disk_wild_match(disk_base(abs),
						disk_base(x->sh->disk->files[i].path));
			free(fp);
		}
		free(parent);
	}
	free(abs);
	free(raw);
	return found;
}

static int run_if(struct exec *x, const struct node *n, struct io *io)
{
	bool yes = false;
	long a, b;

	switch (n->ifk) {
	case IF_ERRORLEVEL:
		yes = parse_int(n->lhs, &a) && x->p->errorlevel >= a;
		break;
	case IF_DEFINED:
		yes = env_get(&x->p->env, n->lhs) != NULL;
		break;
	case IF_EXIST:
		yes = path_exists(x, n->lhs);
		break;
	case IF_CMP: {
		int c;

		if (strcmp(n->op, "==") && parse_int(n->lhs, &a) && parse_int(n->rhs, &b))
			c = a < b ? -1 : a > b;
		else
			c = n->icase ? strcasecmp(n->lhs, n->rhs) : strcmp(n->lhs, n->rhs);
		if (!strcmp(n->op, "==") || !strcmp(n->op, "EQU"))
			yes = c == 0;
		else if (!strcmp(n->op, "NEQ"))
			yes = c != 0;
		else if (!strcmp(n->op, "LSS"))
			yes = c < 0;
		else if (!strcmp(n->op, "LEQ"))
			yes = c <= 0;
		else if (!strcmp(n->op, "GTR"))
			yes = c > 0;
		else
			yes = c >= 0;
		break;
	}
	}
	if (n->neg)
		yes = !yes;
	if (yes)
		return run_node(x, n->a, io);
	return n->b ? run_node(x, n->b, io) : 0;
}

int run_node(struct exec *x, const struct node *n, struct io *io)
{
	int rc;

	if (!n || exec_halted(x))
		return 0;
	switch (n->kind) {
	case NODE_SEQ:
		run_node(x, n->a, io);
		return run_node(x, n->b, io);
	case NODE_AND:
		rc = run_node(x, n->a, io);
		return rc || exec_halted(x) ? rc : run_node(x, n->b, io);
	case NODE_OR:
		rc = run_node(x, n->a, io);
		return !rc || exec_halted(x) ? rc : run_node(x, n->b, io);
	case NODE_PIPE:
		return run_pipe(x, n, io);
	case NODE_IF:
		return run_if(x, n, io);
	case NODE_FOR:
		return run_for(x, n, io);
	case NODE_CMD:
	case NODE_BLOCK:
		return run_redirected(x, n, io);
	}
	return 0;
}

/* Expand, parse and run one line in x's process. */
int run_line(struct exec *x, const char *line, struct io *io)
{
	char *text = expand_percent(x, line), *error = NULL;
	struct node *tree = parse_line(text, &error);
	int rc = 0;

	if (error) {
		exec_printf(x, &io->err, "%s\n", error);
		exec_set_errorlevel(x, 255);
		rc = 255;
	} else {
		rc = run_node(x, tree, io);
	}
	node_free(tree);
	free(error);
	free(text);
	return rc;
}
