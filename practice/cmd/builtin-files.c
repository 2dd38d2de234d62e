/* builtin-files.c: the built-ins that read and change the disk (cmd/disk.h):
 * cd, dir, type, del and mkdir, with Windows' messages and dir's layout. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int cmd_cd(struct exec *x, const char *tail, struct io *io)
{
	char *buf = xstrdup(tail), *arg = trim(buf), *path, *abs;
	const char *dir;

	if (!strncasecmp(arg, "/d", 2) && (is_blank(arg[2]) || !arg[2]))
		arg = trim(arg + 2);
	path = args_one(arg);
	free(buf);
	if (!*path) {
		exec_printf(x, &io->out, "%s\n", x->p->cwd);
		free(path);
		return 0;
	}
	abs = disk_abs(x->p->cwd, path);
	free(path);
	dir = abs ? disk_find_dir(x->sh->disk, abs) : NULL;
	free(abs);
	if (!dir) {
		exec_puts(x, &io->err, "The system cannot find the path specified.\n");
		return 1;
	}
	free(x->p->cwd);
	x->p->cwd = xstrdup(dir);
	return 0;
}

static void thousands(char *out, size_t size, unsigned long long v)
{
	char digits[32];
	size_t n, i, o = 0;

	snprintf(digits, sizeof(digits), "%llu", v);
	n = strlen(digits);
	for (i = 0; i < n && o + 2 < size; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

/* dir: the folders and files of one folder, the layout of Windows' dir. */
static int cmd_dir(struct exec *x, const char *tail, struct io *io)
{
	struct args a;
	const char *target = NULL;
	bool bare = false;
	char *abs, *dir, *pattern;
	struct disk *m = x->sh->disk;
	unsigned long long bytes = 0;
	size_t files = 0, dirs = 0, i;
	char when[32], size[32];
	int argi;

	args_split(&a, "dir", tail);
	for (argi = 1; argi < a.argc; argi++) {
		if (a.argv[argi][0] == '/')
			bare = bare || !strcasecmp(a.argv[argi], "/b");
		else
			target = a.argv[argi];
	}
	abs = disk_abs(x->p->cwd, target ? target : ".");
	if (!abs) {
		args_free(&a);
		exec_puts(x, &io->err, "The system cannot find the path specified.\n");
		return 1;
	}
	if (disk_find_dir(m, abs)) {
		dir = xstrdup(disk_find_dir(m, abs));
		pattern = xstrdup("*");
	} else {
		dir = disk_parent(abs);
		pattern = xstrdup(disk_base(abs));
	}
	args_free(&a);
	if (!disk_find_dir(m, dir)) {
		exec_puts(x, &io->err, "The system cannot find the path specified.\n");
		free(abs);
		free(dir);
		free(pattern);
		return 1;
	}
	if (!bare)
		exec_printf(
			x, &io->out,
			" Volume in drive C has no label.\n Volume Serial Number is 9A3C-51E2\n\n"
			" Directory of %s\n\n",
			dir);
	if (strlen(dir) > 3 && !strcmp(pattern, "*") && !bare) {
		exec_puts(x, &io->out, "11/21/2016  09:12 AM    <DIR>          .\n");
		exec_puts(x, &io->out, "11/21/2016  09:12 AM    <DIR>          ..\n");
		dirs += 2;
	}
	for (i = 0; i < m->ndirs; i++) {
		char *parent = strlen(m->dirs[i]) > 3 ? disk_parent(m->dirs[i]) : NULL;

		if (parent && !strcasecmp(parent, dir) &&
		    disk_wild_match(pattern, disk_base(m->dirs[i]))) {
			if (bare)
				exec_printf(x, &io->out, "%s\n", disk_base(m->dirs[i]));
			else
				exec_printf(x, &io->out,
					    "11/21/2016  09:12 AM    <DIR>          %s\n",
					    disk_base(m->dirs[i]));
			dirs++;
		}
		free(parent);
	}
	for (i = 0; i < m->nfiles; i++) {
		const struct disk_file *f = &m->files[i];
		char *parent = disk_parent(f->path);
		struct tm tm;

		if (!strcasecmp(parent, dir) && disk_wild_match(pattern, disk_base(f->path))) {
			localtime_r(&f->mtime, &tm);
			strftime(when, sizeof(when), "%m/%d/%Y  %I:%M %p", &tm);
			thousands(size, sizeof(size), f->len);
			if (bare)
				exec_printf(x, &io->out, "%s\n", disk_base(f->path));
			else
				exec_printf(x, &io->out, "%s %17s %s\n", when, size,
					    disk_base(f->path));
			files++;
			bytes += f->len;
		}
		free(parent);
	}
	free(abs);
	free(dir);
	free(pattern);
	if (!files && !dirs) {
		exec_puts(x, &io->err, "File Not Found\n");
		return 1;
	}
	if (!bare) {
		thousands(size, sizeof(size), bytes);
		exec_printf(x, &io->out, "%16zu File(s) %14s bytes\n", files, size);
		exec_printf(x, &io->out, "%16zu Dir(s)  21,474,836,480 bytes free\n", dirs);
	}
	return 0;
}

static int cmd_type(struct exec *x, const char *tail, struct io *io)
{
	char *name = args_one(tail), *abs;
	struct disk_file *f;
	int rc = 0;

	if (!*name) {
		exec_puts(x, &io->err, "The syntax of the command is incorrect.\n");
		free(name);
		return 1;
	}
	abs = disk_abs(x->p->cwd, name);
	f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
	if (f) {
		char *text = disk_text(f);

		exec_puts(x, &io->out, text);
		free(text);
	} else if (abs && disk_find_dir(x->sh->disk, abs)) {
		exec_puts(x, &io->err, "Access is denied.\n");
		rc = 1;
	} else {
		exec_puts(x, &io->err, "The system cannot find the file specified.\n");
		rc = 1;
	}
	free(abs);
	free(name);
	return rc;
}

static int cmd_del(struct exec *x, const char *tail, struct io *io)
{
	struct args a;
	int i;

	args_split(&a, "del", tail);
	for (i = 1; i < a.argc; i++) {
		char *abs;
		struct disk_file *f;

		if (a.argv[i][0] == '/')
			continue;
		abs = disk_abs(x->p->cwd, a.argv[i]);
		f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
		if (f) {
			disk_delete(x->sh->disk, f);
		} else {
			exec_printf(x, &io->err, "Could Not Find %s\n", abs ? abs : a.argv[i]);
		}
		free(abs);
	}
	args_free(&a);
	return 0;
}

static int cmd_mkdir(struct exec *x, const char *tail, struct io *io)
{
	char *name = args_one(tail), *abs = disk_abs(x->p->cwd, name);
	int rc = 0;

	if (!abs || disk_find_dir(x->sh->disk, abs) || disk_find_file(x->sh->disk, abs)) {
		exec_printf(x, &io->err, "A subdirectory or file %s already exists.\n", name);
		rc = 1;
	} else {
		/* with its missing parents, as mkdir does */
		char *p;

		for (p = abs + 3; (p = strchr(p, '\\')); p++) {
			*p = '\0';
			if (!disk_find_dir(x->sh->disk, abs))
				disk_mkdir(x->sh->disk, abs);
			*p = '\\';
		}
		disk_mkdir(x->sh->disk, abs);
	}
	free(abs);
	free(name);
	return rc;
}

const struct command command_cd = {"cd", cmd_cd, NULL};
const struct command command_chdir = {"chdir", cmd_cd, NULL};
const struct command command_del = {"del", cmd_del, NULL};
const struct command command_dir = {"dir", cmd_dir, NULL};
const struct command command_erase = {"erase", cmd_del, NULL};
const struct command command_md = {"md", cmd_mkdir, NULL};
const struct command command_mkdir = {"mkdir", cmd_mkdir, NULL};
const struct command command_type = {"type", cmd_type, NULL};
