/* prog-reg.c: reg.exe in a cmd window: the glue between registry_exe()
 * (registry.h) and the window's output, input and the machine's disk. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct reg_glue {
	struct exec *x;
	struct io *io;
};

static void glue_out(void *ctx, const char *s, size_t n)
{
	struct reg_glue *g = ctx;

	exec_write(g->x, &g->io->out, s, n);
}

static void glue_err(void *ctx, const char *s, size_t n)
{
	struct reg_glue *g = ctx;

	exec_write(g->x, &g->io->err, s, n);
}

static int glue_read(void *ctx, char *buf, size_t size)
{
	struct reg_glue *g = ctx;

	return exec_read_line(g->x, g->io->in, buf, size);
}

static bool glue_exists(void *ctx, const char *path)
{
	struct reg_glue *g = ctx;
	char *abs = disk_abs(g->x->p->cwd, path);
	bool yes = abs && disk_find_file(g->x->sh->disk, abs);

	free(abs);
	return yes;
}

static int glue_write(void *ctx, const char *path, const unsigned char *data, size_t len)
{
	struct reg_glue *g = ctx;
	char *abs = disk_abs(g->x->p->cwd, path);
	int r = abs ? disk_write(g->x->sh->disk, abs, data, len, false) : -1;

	free(abs);
	return r;
}

static unsigned char *glue_file(void *ctx, const char *path, size_t *len)
{
	struct reg_glue *g = ctx;
	char *abs = disk_abs(g->x->p->cwd, path);
	struct disk_file *f = abs ? disk_find_file(g->x->sh->disk, abs) : NULL;
	unsigned char *copy = NULL;

	free(abs);
	if (f) {
		copy = xmalloc(f->len);
		memcpy(copy, f->data, f->len);
		*len = f->len;
	}
	return copy;
}

static int prog_reg(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	struct reg_glue g = {x, io};
	struct registry_io rio = {&g,	       glue_out,   glue_err, glue_read,
				  glue_exists, glue_write, glue_file};
	int rc;

	(void)tail;
	rc = registry_exe(x->sh->reg, a->argc, a->argv, &rio);
	return rc == REGISTRY_EXE_WAITING ? 0 : rc;
}

const struct command command_reg = {"reg", NULL, prog_reg};
