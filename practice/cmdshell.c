/* cmdshell.c: the interface of a cmd.exe window (cmdshell.h): a typed line
 * is run from a snapshot so that a program's question (reg's
 * "overwrite(Yes/No)?") can suspend it anywhere: the next line typed is its
 * answer, and the line runs again from the snapshot with the answers so far,
 * its earlier output held back. What cmd does with a line is practice/cmd/'s. */
#include "cmdshell.h"

#include <stdlib.h>
#include <string.h>
#include "cmd/cmd.h"

static void drop_pending(struct cmdshell *sh)
{
	size_t i;

	machine_snapshot_free(sh->snap_m);
	proc_free(sh->snap_p);
	free(sh->snap_title);
	for (i = 0; i < sh->nanswers; i++)
		free(sh->answers[i]);
	free(sh->answers);
	free(sh->pending);
	sh->snap_m = NULL;
	sh->snap_p = NULL;
	sh->snap_title = NULL;
	sh->answers = NULL;
	sh->nanswers = 0;
	sh->pending = NULL;
	sh->waiting = false;
	sh->held = 0;
}

static void reset_window(struct cmdshell *sh)
{
	sh->color = SHELL_COLOR;
	free(sh->title);
	sh->title = xstrdup(sh->elevated ? SHELL_TITLE_PREFIX SHELL_TITLE : SHELL_TITLE);
}

struct cmdshell *cmdshell_new(struct machine *m, bool elevated)
{
	struct cmdshell *sh = xcalloc(1, sizeof(*sh));

	sh->m = m;
	sh->reg = machine_registry(m);
	sh->disk = machine_disk(m);
	sh->elevated = elevated;
	sh->p = proc_new(m);
	reset_window(sh);
	return sh;
}

void cmdshell_free(struct cmdshell *sh)
{
	if (!sh)
		return;
	drop_pending(sh);
	proc_free(sh->p);
	free(sh->title);
	free(sh);
}

static const char *prompt_text(const struct cmdshell *sh)
{
	return sh->p->cwd;
}

void cmdshell_banner(struct cmdshell *sh, cmdshell_write_fn write, void *ctx)
{
	static const char banner[] =
		SHELL_VERSION "\n(c) 2016 Microsoft Corporation. All rights reserved.\n\n";

	if (!write)
		return;
	write(ctx, banner, strlen(banner));
	write(ctx, prompt_text(sh), strlen(prompt_text(sh)));
	write(ctx, ">", 1);
}

enum cmdshell_state cmdshell_run(struct cmdshell *sh, const char *line, cmdshell_write_fn write,
				 void *ctx)
{
	struct io io = {{SINK_CONSOLE, NULL}, {SINK_CONSOLE, NULL}, NULL};
	struct source console = {SOURCE_CONSOLE, NULL, 0, 0};
	struct exec x;

	sh->write = write;
	sh->ctx = ctx;
	if (sh->waiting) {
		/* Everything back as before the line, then the line again with
		 * one more answer; what it showed already is held back. */
		machine_restore(sh->m, sh->snap_m);
		proc_free(sh->p);
		sh->p = proc_clone(sh->snap_p);
		sh->color = sh->snap_color;
		free(sh->title);
		sh->title = xstrdup(sh->snap_title);
		sh->answers = xrealloc(sh->answers, (sh->nanswers + 1) * sizeof(char *));
		sh->answers[sh->nanswers++] = xstrdup(line);
	} else {
		const char *s = line;

		if (sh->p->exited)
			return CMDSHELL_EXITED;
		while (is_blank(*s))
			s++;
		sh->blank = !*s;
		sh->last = 0;
		if (sh->blank)
			return CMDSHELL_READY;
		sh->snap_m = machine_snapshot(sh->m);
		sh->snap_color = sh->color;
		sh->snap_title = xstrdup(sh->title);
		sh->snap_p = proc_clone(sh->p);
		sh->pending = xstrdup(line);
		sh->held = 0;
	}
	sh->produced = 0;
	sh->next_answer = 0;
	sh->suspended = false;
	io.in = &console;
	x.sh = sh;
	x.p = sh->p;
	run_line(&x, sh->pending, &io);
	if (sh->suspended) {
		sh->waiting = true;
		sh->held = sh->produced;
		return CMDSHELL_WAITING;
	}
	drop_pending(sh);
	return sh->p->exited ? CMDSHELL_EXITED : CMDSHELL_READY;
}

void cmdshell_prompt(struct cmdshell *sh, cmdshell_write_fn write, void *ctx)
{
	if (!write || sh->waiting || sh->p->exited || !sh->p->echo_on)
		return;
	if (!sh->blank && sh->last != '\f')
		write(ctx, "\n", 1);
	write(ctx, prompt_text(sh), strlen(prompt_text(sh)));
	write(ctx, ">", 1);
}

bool cmdshell_waiting(const struct cmdshell *sh)
{
	return sh->waiting;
}

bool cmdshell_exited(const struct cmdshell *sh)
{
	return sh->p->exited;
}

int cmdshell_errorlevel(const struct cmdshell *sh)
{
	return sh->p->errorlevel;
}

const char *cmdshell_cwd(const struct cmdshell *sh)
{
	return sh->p->cwd;
}

const char *cmdshell_title(const struct cmdshell *sh)
{
	return sh->title;
}

unsigned cmdshell_color(const struct cmdshell *sh)
{
	return sh->color;
}

uint32_t cmdshell_palette(unsigned index)
{
	static const uint32_t legacy[16] = {
		0x000000, 0x000080, 0x008000, 0x008080, 0x800000, 0x800080, 0x808000, 0xc0c0c0,
		0x808080, 0x0000ff, 0x00ff00, 0x00ffff, 0xff0000, 0xff00ff, 0xffff00, 0xffffff,
	};

	return legacy[index & 15];
}

void cmdshell_reset(struct cmdshell *sh)
{
	drop_pending(sh);
	proc_free(sh->p);
	sh->p = proc_new(sh->m);
	reset_window(sh);
	sh->blank = false;
	sh->last = 0;
}

const char *cmdshell_getenv(const struct cmdshell *sh, const char *name)
{
	return env_get(&sh->p->env, name);
}

const unsigned char *cmdshell_file(const struct cmdshell *sh, const char *path, size_t *len)
{
	char *abs = disk_abs(sh->p->cwd, path);
	struct disk_file *f = abs ? disk_find_file(sh->disk, abs) : NULL;

	free(abs);
	if (!f)
		return NULL;
	if (len)
		*len = f->len;
	return f->data;
}
