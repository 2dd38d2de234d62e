/* env.c: cmd.exe's process: its environment (names without case), folder,
 * errorlevel and echo state, and how a child cmd.exe (cmd /c, each side of a
 * pipe, for /f's command) gets a copy it cannot change for its parent. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static struct envvar *env_find(const struct env *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcasecmp(e->v[i].name, name) == 0)
			return &e->v[i];
	return NULL;
}

const char *env_get(const struct env *e, const char *name)
{
	struct envvar *v = env_find(e, name);

	return v ? v->value : NULL;
}

/* value NULL or "" removes the variable, as set NAME= does. */
void env_set(struct env *e, const char *name, const char *value)
{
	struct envvar *v = env_find(e, name);

	if (!value || !*value) {
		if (v) {
			free(v->name);
			free(v->value);
			*v = e->v[--e->n];
		}
		return;
	}
	if (v) {
		free(v->value);
		v->value = xstrdup(value);
		return;
	}
	if (e->n == e->cap) {
		e->cap = e->cap ? e->cap * 2 : 32;
		e->v = xrealloc(e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n].name = xstrdup(name);
	e->v[e->n].value = xstrdup(value);
	e->n++;
}

static void env_free(struct env *e)
{
	size_t i;

	for (i = 0; i < e->n; i++) {
		free(e->v[i].name);
		free(e->v[i].value);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

void proc_free(struct proc *p)
{
	if (!p)
		return;
	env_free(&p->env);
	free(p->cwd);
	free(p);
}

struct proc *proc_clone(const struct proc *p)
{
	struct proc *c = xmalloc(sizeof(*c));
	size_t i;

	*c = *p;
	memset(&c->env, 0, sizeof(c->env));
	for (i = 0; i < p->env.n; i++)
		env_set(&c->env, p->env.v[i].name, p->env.v[i].value);
	c->cwd = xstrdup(p->cwd);
	return c;
}

/* A new cmd.exe started by this one: the same environment and folder, its
 * own errorlevel from 0. */
struct proc *proc_child(const struct proc *p)
{
	struct proc *c = proc_clone(p);

	c->errorlevel = 0;
	c->exited = false;
	c->nested = 0;
	return c;
}

/* A new cmd.exe's environment, as the machine's user gets it. */
struct proc *proc_new(const struct machine *m)
{
	static const char *const vars[][2] = {
		{"ALLUSERSPROFILE", "C:\\ProgramData"},
		{"CommonProgramFiles", "C:\\Program Files\\Common Files"},
		{"ComSpec", "C:\\Windows\\system32\\cmd.exe"},
		{"HOMEDRIVE", "C:"},
		{"NUMBER_OF_PROCESSORS", "2"},
		{"OS", "Windows_NT"},
		{"Path", "C:\\Windows\\system32;C:\\Windows;C:\\Windows\\System32\\Wbem;"
			 "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\"},
		{"PATHEXT", ".COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC"},
		{"PROCESSOR_ARCHITECTURE", "AMD64"},
		{"ProgramData", "C:\\ProgramData"},
		{"ProgramFiles", "C:\\Program Files"},
		{"ProgramFiles(x86)", "C:\\Program Files (x86)"},
		{"PROMPT", "$P$G"},
		{"PUBLIC", "C:\\Users\\Public"},
		{"SystemDrive", "C:"},
		{"SystemRoot", "C:\\Windows"},
		{"windir", "C:\\Windows"},
	};
	/* Relative to the user's profile, C:\Users\NAME. */
	static const char *const profile_vars[][2] = {
		{"APPDATA", "\\AppData\\Roaming"},
		{"LOCALAPPDATA", "\\AppData\\Local"},
		{"TEMP", "\\AppData\\Local\\Temp"},
		{"TMP", "\\AppData\\Local\\Temp"},
		{"USERPROFILE", ""},
	};
	const char *host = machine_hostname(m), *user = machine_user(m);
	struct proc *p = xcalloc(1, sizeof(*p));
	struct strbuf b = {0};
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		env_set(&p->env, vars[i][0], vars[i][1]);
	for (i = 0; i < sizeof(profile_vars) / sizeof(profile_vars[0]); i++) {
		strbuf_printf(&b, "C:\\Users\\%s%s", user, profile_vars[i][1]);
		env_set(&p->env, profile_vars[i][0], b.p);
		strbuf_free(&b);
	}
	strbuf_printf(&b, "\\Users\\%s", user);
	env_set(&p->env, "HOMEPATH", b.p);
	strbuf_free(&b);
	strbuf_printf(&b, "\\\\%s", host);
	env_set(&p->env, "LOGONSERVER", b.p);
	strbuf_free(&b);
	env_set(&p->env, "COMPUTERNAME", host);
	env_set(&p->env, "USERDOMAIN", host);
	env_set(&p->env, "USERNAME", user);
	p->cwd = xstrdup(SHELL_START_DIR);
	p->echo_on = true;
	return p;
}
