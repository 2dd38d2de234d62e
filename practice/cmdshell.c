/* cmdshell.c: cmd.exe for the practice console. A typed line is expanded
 * (%VAR%, at the interactive prompt's rules), parsed (& && || | ( ) and
 * redirections, if, for) and run: built-in commands here, reg.exe in
 * registry.c, find, findstr and shutdown here as the programs they are. The
 * machine's disk is in memory. A question a program asks (reg's
 * "overwrite(Yes/No)?") suspends the line: the next line typed is its answer,
 * and the line is run again from a snapshot of everything taken before it
 * began, with the answers so far and its earlier output held back, so a
 * question can stop any command form, anywhere, as on Windows. Drawing is
 * the screens' job. Running out of memory aborts (see xmalloc()). */
#include "cmdshell.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "cmd/disk.h"
#include "machine.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- memory and text buffers ------------------------------------------ */

/* The shell allocates at every word it parses; a failure path for each would
 * outweigh it. The practice console is a test fixture, so an allocation that
 * fails ends it, loudly. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* cmd's token delimiters. */
static bool is_delim(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '=';
}

static char *trim(char *s)
{
	size_t n;

	while (is_blank(*s))
		s++;
	n = strlen(s);
	while (n && is_blank(s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Case-insensitive search, as cmd's %VAR:old=new% and find /i do. */
static const char *strcasestr_n(const char *hay, const char *needle, size_t nlen)
{
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, nlen) == 0)
			return hay;
	return nlen == 0 ? hay : NULL;
}

/* ---- the process, the machine ------------------------------------------ */

struct envvar {
	char *name, *value;
};

struct env {
	struct envvar *v;
	size_t n, cap;
};

static struct envvar *env_find(const struct env *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (strcasecmp(e->v[i].name, name) == 0)
			return &e->v[i];
	return NULL;
}

static const char *env_get(const struct env *e, const char *name)
{
	struct envvar *v = env_find(e, name);

	return v ? v->value : NULL;
}

/* value NULL or "" removes the variable, as set NAME= does. */
static void env_set(struct env *e, const char *name, const char *value)
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

/* One cmd.exe: what a child (cmd /c, a pipe's side, for /f's command) gets a
 * copy of and cannot change for its parent. */
struct proc {
	struct env env;
	char *cwd;
	int errorlevel;
	bool echo_on;
	bool exited;
	int nested; /* cmd typed inside cmd: exits before the window closes */
};

static void proc_free(struct proc *p)
{
	if (!p)
		return;
	env_free(&p->env);
	free(p->cwd);
	free(p);
}

static struct proc *proc_clone(const struct proc *p)
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
static struct proc *proc_child(const struct proc *p)
{
	struct proc *c = proc_clone(p);

	c->errorlevel = 0;
	c->exited = false;
	c->nested = 0;
	return c;
}

#define SHELL_START_DIR "C:\\Windows\\system32"
#define SHELL_VERSION "Microsoft Windows [Version 10.0.14393]"
#define SHELL_COLOR 0x07
#define SHELL_TITLE_PREFIX "Administrator: "
#define SHELL_TITLE "C:\\Windows\\system32\\cmd.exe"

/* A new cmd.exe's environment, as the machine's user gets it. */
static struct proc *proc_new(const struct machine *m)
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

/* ---- the shell and its console ------------------------------------------ */

struct cmdshell {
	struct machine *m;
	struct machine *own_m; /* COMPAT: the machine cmdshell_new(reg) made */
	struct registry *reg;  /* the machine's */
	struct disk *disk;     /* the machine's */
	struct proc *p;
	bool elevated;
	unsigned color;
	char *title;

	/* A line suspended on a question: everything as it was before the line
	 * ran, the line, and the answers typed since. */
	bool waiting;
	char *pending;
	struct machine_snapshot *snap_m;
	struct proc *snap_p;
	unsigned snap_color;
	char *snap_title;
	char **answers;
	size_t nanswers;
	size_t held; /* console bytes the earlier runs of the line showed */

	/* The run under way. */
	cmdshell_write_fn write;
	void *ctx;
	size_t produced;    /* console bytes this run produced */
	size_t next_answer; /* answers this run has read */
	bool suspended;	    /* a read found no answer: unwind */
	char last;	    /* the last console character of the line */
	bool blank;	    /* the line run was empty */
};

static void console_write(struct cmdshell *sh, const char *s, size_t n)
{
	size_t skip = 0;

	if (!n)
		return;
	if (sh->produced < sh->held)
		skip = sh->held - sh->produced < n ? sh->held - sh->produced : n;
	sh->produced += n;
	sh->last = s[n - 1];
	if (n > skip && sh->write)
		sh->write(sh->ctx, s + skip, n - skip);
}

enum sink_kind { SINK_CONSOLE, SINK_NULL, SINK_BUF };

struct sink {
	enum sink_kind kind;
	struct strbuf *buf;
};

enum source_kind { SOURCE_CONSOLE, SOURCE_TEXT, SOURCE_EOF };

struct source {
	enum source_kind kind;
	const char *text;
	size_t len, pos;
};

struct io {
	struct sink out, err;
	struct source *in;
};

/* Where one command runs: the shell, and the cmd.exe process it runs in. */
struct exec {
	struct cmdshell *sh;
	struct proc *p;
};

static bool halted(const struct exec *x)
{
	return x->sh->suspended || x->p->exited;
}

static void emit(struct exec *x, const struct sink *s, const char *text, size_t n)
{
	switch (s->kind) {
	case SINK_CONSOLE:
		console_write(x->sh, text, n);
		break;
	case SINK_NULL:
		break;
	case SINK_BUF:
		strbuf_add(s->buf, text, n);
		break;
	}
}

static void emits(struct exec *x, const struct sink *s, const char *text)
{
	emit(x, s, text, strlen(text));
}

static void emitf(struct exec *x, const struct sink *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emitf(struct exec *x, const struct sink *s, const char *fmt, ...)
{
	struct strbuf b = {0};
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	b.p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b.p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	emit(x, s, b.p, (size_t)n);
	free(b.p);
}

/* One line of standard input into buf: 1, 0 at its end, or -1 (and the run
 * suspended) when it is the console and no answer has been typed yet. */
static int read_input(struct exec *x, struct source *in, char *buf, size_t size)
{
	struct cmdshell *sh = x->sh;
	const char *line;
	size_t len;

	switch (in ? in->kind : SOURCE_EOF) {
	case SOURCE_EOF:
		return 0;
	case SOURCE_TEXT: {
		const char *start = in->text + in->pos, *nl;

		if (in->pos >= in->len)
			return 0;
		nl = memchr(start, '\n', in->len - in->pos);
		len = nl ? (size_t)(nl - start) : in->len - in->pos;
		in->pos += len + (nl ? 1 : 0);
		if (len && start[len - 1] == '\r')
			len--;
		line = start;
		break;
	}
	case SOURCE_CONSOLE:
	default:
		if (sh->next_answer >= sh->nanswers) {
			sh->suspended = true;
			return -1;
		}
		line = sh->answers[sh->next_answer++];
		len = strlen(line);
		break;
	}
	if (len >= size)
		len = size - 1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	return 1;
}

/* All that is left of standard input, for find and findstr. The console
 * counts as empty (no waiting for Ctrl-Z). Caller frees. */
static char *read_all(struct source *in)
{
	if (!in || in->kind != SOURCE_TEXT || in->pos >= in->len)
		return xstrdup("");
	char *s = xstrndup(in->text + in->pos, in->len - in->pos);

	in->pos = in->len;
	return s;
}

/* ---- %VAR% expansion -------------------------------------------------- */

/* A variable's value: the environment first, then cmd's dynamic ones. tmp
 * holds a dynamic value. NULL when undefined. */
static const char *var_value(struct exec *x, const char *name, char *tmp, size_t size)
{
	const char *v = env_get(&x->p->env, name);
	time_t now;
	struct tm tm;

	if (v)
		return v;
	if (!strcasecmp(name, "CD"))
		return x->p->cwd;
	if (!strcasecmp(name, "ERRORLEVEL")) {
		snprintf(tmp, size, "%d", x->p->errorlevel);
		return tmp;
	}
	if (!strcasecmp(name, "CMDEXTVERSION"))
		return "2";
	if (!strcasecmp(name, "DATE") || !strcasecmp(name, "TIME")) {
		now = time(NULL);
		localtime_r(&now, &tm);
		if (!strcasecmp(name, "DATE"))
			strftime(tmp, size, "%a %m/%d/%Y", &tm);
		else
			snprintf(tmp, size, "%2d:%02d:%02d.%02d", tm.tm_hour, tm.tm_min, tm.tm_sec,
				 0);
		return tmp;
	}
	return NULL;
}

/* %VAR:~start,length% and %VAR:old=new% (old may begin with '*': up to and
 * including its first match). false when mod is neither. */
static bool apply_modifier(const char *val, const char *mod, struct strbuf *out)
{
	long vlen = (long)strlen(val);

	if (mod[0] == '~') {
		char *end;
		long start = strtol(mod + 1, &end, 10), stop = vlen;

		if (*end == ',') {
			long n = strtol(end + 1, &end, 10);

			if (start < 0)
				start = vlen + start < 0 ? 0 : vlen + start;
			stop = n < 0 ? vlen + n : start + n;
		} else if (start < 0) {
			start = vlen + start < 0 ? 0 : vlen + start;
		}
		if (*end)
			return false;
		if (start > vlen)
			start = vlen;
		if (stop > vlen)
			stop = vlen;
		if (stop > start)
			strbuf_add(out, val + start, (size_t)(stop - start));
		return true;
	}
	const char *eq = strchr(mod, '=');

	if (!eq)
		return false;
	const char *old = mod, *repl = eq + 1;
	size_t oldlen = (size_t)(eq - mod);
	bool head = false;

	if (*old == '*') {
		head = true;
		old++;
		oldlen--;
	}
	if (!oldlen) {
		strbuf_puts(out, val);
		return true;
	}
	const char *p = val, *hit;

	while ((hit = strcasestr_n(p, old, oldlen))) {
		if (!head)
			strbuf_add(out, p, (size_t)(hit - p));
		strbuf_puts(out, repl);
		p = hit + oldlen;
		if (head)
			break;
	}
	strbuf_puts(out, p);
	return true;
}

/* Phase one of cmd's parser, at the interactive prompt: %NAME% and its
 * modifiers are replaced where NAME is defined; anything else stays as
 * typed, percent signs included. Caller frees. */
static char *expand_percent(struct exec *x, const char *line)
{
	struct strbuf out = {0};
	const char *s = line;

	while (*s) {
		const char *close;

		if (*s != '%' || !(close = strchr(s + 1, '%')) || close == s + 1) {
			strbuf_putc(&out, *s++);
			continue;
		}
		char *name = xstrndup(s + 1, (size_t)(close - s - 1));
		char *colon = strchr(name, ':');
		char tmp[64];
		const char *val;
		bool done = false;

		if (colon)
			*colon = '\0';
		val = var_value(x, name, tmp, sizeof(tmp));
		if (val && !colon) {
			strbuf_puts(&out, val);
			done = true;
		} else if (val) {
			struct strbuf mod = {0};

			if (apply_modifier(val, colon + 1, &mod)) {
				strbuf_add(&out, mod.p ? mod.p : "", mod.len);
				done = true;
			}
			free(mod.p);
		}
		free(name);
		if (done) {
			s = close + 1;
		} else {
			strbuf_putc(&out, '%');
			s++;
		}
	}
	return strbuf_take(&out);
}

/* ---- the parser: a line to a tree --------------------------------------- */

enum node_kind {
	NODE_CMD,   /* text and redirections */
	NODE_BLOCK, /* ( a ) and redirections */
	NODE_SEQ,   /* a & b */
	NODE_AND,   /* a && b */
	NODE_OR,    /* a || b */
	NODE_PIPE,  /* a | b */
	NODE_IF,    /* if cond a [else b] */
	NODE_FOR,   /* for ... do a */
};

struct redir {
	int fd;	    /* 0, 1 or 2 */
	bool input; /* < */
	bool append;
	int dup;      /* >&N, else -1 */
	char *target; /* without quotes */
};

enum if_kind { IF_CMP, IF_ERRORLEVEL, IF_DEFINED, IF_EXIST };
enum for_kind { FOR_PLAIN, FOR_F, FOR_L };

struct node {
	enum node_kind kind;
	struct node *a, *b;
	char *text; /* NODE_CMD: the command as cmd passes it on */
	struct redir *redirs;
	size_t nredirs;
	enum if_kind ifk;
	bool neg, icase;
	char *lhs, *op, *rhs; /* if operands, quotes kept as cmd compares them */
	enum for_kind fork;
	char *opts; /* for /f "options" */
	char var;
	char *set; /* the text between the parentheses of in (...) */
};

struct parser {
	const char *s;
	size_t pos;
	int depth; /* open parentheses */
	char *error;
};

static struct node *node_new(enum node_kind kind)
{
	struct node *n = xmalloc(sizeof(*n));

	memset(n, 0, sizeof(*n));
	n->kind = kind;
	return n;
}

static void node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	node_free(n->a);
	node_free(n->b);
	free(n->text);
	for (i = 0; i < n->nredirs; i++)
		free(n->redirs[i].target);
	free(n->redirs);
	free(n->lhs);
	free(n->op);
	free(n->rhs);
	free(n->opts);
	free(n->set);
	free(n);
}

static void parse_error(struct parser *p, const char *fmt, const char *what)
{
	struct strbuf b = {0};

	if (p->error)
		return;
	strbuf_printf(&b, fmt, what);
	p->error = strbuf_take(&b);
}

#define SYNTAX_INCORRECT "The syntax of the command is incorrect.%s"
#define UNEXPECTED "%s was unexpected at this time."

static char peek(const struct parser *p)
{
	return p->s[p->pos];
}

static void skip_blanks(struct parser *p)
{
	while (is_blank(peek(p)))
		p->pos++;
}

/* Whether the word at the parser is kw (any case) followed by a blank, the
 * end, or one of also. */
static bool at_word(const struct parser *p, const char *kw, const char *also)
{
	size_t n = strlen(kw);
	char after;

	if (strncasecmp(p->s + p->pos, kw, n))
		return false;
	after = p->s[p->pos + n];
	return after == '\0' || is_blank(after) || (also && strchr(also, after));
}

/* Where a command ends: an operator, the end, or a closing parenthesis of
 * an open block. */
static bool at_end(const struct parser *p)
{
	char c = peek(p);

	return c == '\0' || c == '&' || c == '|' || (c == ')' && p->depth > 0);
}

static struct node *parse_seq(struct parser *p);
static struct node *parse_cmd(struct parser *p);

static void add_redir(struct node *n, struct redir r)
{
	n->redirs = xrealloc(n->redirs, (n->nredirs + 1) * sizeof(*n->redirs));
	n->redirs[n->nredirs++] = r;
}

/* A redirection at '>' or '<', fd the handle typed before it or -1. */
static void parse_redir(struct parser *p, struct node *n, int fd)
{
	struct redir r = {0};
	struct strbuf t = {0};
	bool quoted = false;
	char op = p->s[p->pos++];

	r.input = op == '<';
	r.fd = fd >= 0 ? fd : r.input ? 0 : 1;
	r.dup = -1;
	if (op == '>' && peek(p) == '>') {
		r.append = true;
		p->pos++;
	}
	if (peek(p) == '&' && isdigit((unsigned char)p->s[p->pos + 1])) {
		r.dup = p->s[p->pos + 1] - '0';
		p->pos += 2;
		add_redir(n, r);
		return;
	}
	skip_blanks(p);
	while (peek(p)) {
		char c = peek(p);

		if (!quoted && (is_blank(c) || strchr("&|<>", c) || (c == ')' && p->depth > 0)))
			break;
		p->pos++;
		if (c == '"') {
			quoted = !quoted;
		} else if (c == '^' && !quoted && peek(p)) {
			strbuf_putc(&t, p->s[p->pos++]);
		} else {
			strbuf_putc(&t, c);
		}
	}
	if (!t.len) {
		free(t.p);
		parse_error(p, SYNTAX_INCORRECT, "");
		return;
	}
	r.target = strbuf_take(&t);
	add_redir(n, r);
}

/* A simple command: its text with carets applied and redirections taken
 * out, spaces kept (echo prints them). */
static struct node *parse_simple(struct parser *p)
{
	struct node *n = node_new(NODE_CMD);
	struct strbuf t = {0};
	bool quoted = false;

	while (peek(p) && !p->error) {
		char c = peek(p);

		if (quoted) {
			strbuf_putc(&t, c);
			p->pos++;
			if (c == '"')
				quoted = false;
			continue;
		}
		if (at_end(p))
			break;
		if (c == '"') {
			quoted = true;
			strbuf_putc(&t, c);
			p->pos++;
		} else if (c == '^') {
			p->pos++;
			if (peek(p))
				strbuf_putc(&t, p->s[p->pos++]);
		} else if (c == '>' || c == '<') {
			parse_redir(p, n, -1);
		} else if (isdigit((unsigned char)c) &&
			   (p->s[p->pos + 1] == '>' || p->s[p->pos + 1] == '<') &&
			   (t.len == 0 || is_blank(t.p[t.len - 1]))) {
			p->pos++;
			parse_redir(p, n, c - '0');
		} else {
			strbuf_putc(&t, c);
			p->pos++;
		}
	}
	n->text = strbuf_take(&t);
	return n;
}

static struct node *parse_block(struct parser *p)
{
	struct node *n = node_new(NODE_BLOCK);

	p->pos++; /* ( */
	p->depth++;
	skip_blanks(p);
	if (peek(p) != ')')
		n->a = parse_seq(p);
	p->depth--;
	if (!p->error && peek(p) != ')')
		parse_error(p, SYNTAX_INCORRECT, "");
	if (p->error)
		return n;
	p->pos++;
	/* redirections of the whole block: (echo a & echo b) >nul 2>&1 */
	while (!p->error) {
		int fd = -1;

		skip_blanks(p);
		if (isdigit((unsigned char)peek(p)) && p->s[p->pos + 1] == '>')
			fd = p->s[p->pos++] - '0';
		if (peek(p) != '>' && peek(p) != '<')
			break;
		parse_redir(p, n, fd);
	}
	return n;
}

/* An if operand: up to a blank (or "==" when stop_eq) outside quotes. */
static char *if_token(struct parser *p, bool stop_eq)
{
	struct strbuf t = {0};
	bool quoted = false;

	while (peek(p)) {
		char c = peek(p);

		if (!quoted && (is_blank(c) || c == '&' || c == '|' || c == '<' || c == '>' ||
				(c == ')' && p->depth > 0) ||
				(stop_eq && c == '=' && p->s[p->pos + 1] == '=')))
			break;
		p->pos++;
		if (c == '"')
			quoted = !quoted;
		if (c == '^' && !quoted && peek(p))
			c = p->s[p->pos++];
		strbuf_putc(&t, c);
	}
	return strbuf_take(&t);
}

/* The command after if's condition, for's do or else: a block, or the rest
 * of the line, operators and all (cmd's rule). */
static struct node *parse_body(struct parser *p)
{
	skip_blanks(p);
	if (at_end(p)) {
		parse_error(p, SYNTAX_INCORRECT, "");
		return NULL;
	}
	return peek(p) == '(' ? parse_block(p) : parse_seq(p);
}

static struct node *parse_if(struct parser *p)
{
	static const char *const ops[] = {"EQU", "NEQ", "LSS", "LEQ", "GTR", "GEQ"};
	struct node *n = node_new(NODE_IF);
	size_t i;

	p->pos += 2;
	skip_blanks(p);
	if (at_word(p, "/i", NULL)) {
		n->icase = true;
		p->pos += 2;
		skip_blanks(p);
	}
	if (at_word(p, "not", NULL)) {
		n->neg = true;
		p->pos += 3;
		skip_blanks(p);
	}
	if (at_word(p, "errorlevel", NULL) || at_word(p, "defined", NULL) ||
	    at_word(p, "exist", NULL)) {
		char c = (char)tolower((unsigned char)peek(p));

		n->ifk = c == 'e' && tolower((unsigned char)p->s[p->pos + 1]) == 'r' ? IF_ERRORLEVEL
			 : c == 'd'						     ? IF_DEFINED
										     : IF_EXIST;
		while (peek(p) && !is_blank(peek(p)))
			p->pos++;
		skip_blanks(p);
		n->lhs = if_token(p, false);
	} else {
		n->ifk = IF_CMP;
		n->lhs = if_token(p, true);
		skip_blanks(p);
		if (peek(p) == '=' && p->s[p->pos + 1] == '=') {
			n->op = xstrdup("==");
			p->pos += 2;
			while (peek(p) == '=')
				p->pos++;
		} else {
			char *word = if_token(p, false);

			for (i = 0; i < sizeof(ops) / sizeof(ops[0]) && !n->op; i++)
				if (!strcasecmp(word, ops[i]))
					n->op = xstrdup(ops[i]);
			if (!n->op)
				parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
			free(word);
		}
		skip_blanks(p);
		if (!p->error)
			n->rhs = if_token(p, false);
	}
	if (!p->error && (!*n->lhs || (n->ifk == IF_CMP && !*n->rhs)))
		parse_error(p, SYNTAX_INCORRECT, "");
	if (p->error)
		return n;
	n->a = parse_body(p);
	if (p->error || !n->a || n->a->kind != NODE_BLOCK)
		return n;
	size_t save = p->pos;

	skip_blanks(p);
	if (at_word(p, "else", "(")) {
		p->pos += 4;
		n->b = parse_body(p);
	} else {
		p->pos = save;
	}
	return n;
}

static struct node *parse_for(struct parser *p)
{
	struct node *n = node_new(NODE_FOR);
	struct strbuf set = {0};
	bool quoted = false;

	p->pos += 3;
	skip_blanks(p);
	n->fork = FOR_PLAIN;
	if (peek(p) == '/') {
		char k = (char)tolower((unsigned char)p->s[p->pos + 1]);

		if (k != 'f' && k != 'l') {
			parse_error(p, SYNTAX_INCORRECT, "");
			return n;
		}
		n->fork = k == 'f' ? FOR_F : FOR_L;
		p->pos += 2;
		skip_blanks(p);
		if (n->fork == FOR_F && peek(p) == '"') {
			const char *end = strchr(p->s + p->pos + 1, '"');

			if (!end) {
				parse_error(p, SYNTAX_INCORRECT, "");
				return n;
			}
			n->opts = xstrndup(p->s + p->pos + 1, (size_t)(end - p->s - p->pos - 1));
			p->pos = (size_t)(end - p->s) + 1;
			skip_blanks(p);
		}
	}
	if (peek(p) != '%' || !isalpha((unsigned char)p->s[p->pos + 1])) {
		/* %%a is a batch file's spelling; typed at the prompt it is an
		 * error, the trap of copying a script line into the console. */
		char *word = if_token(p, false);

		parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
		free(word);
		return n;
	}
	n->var = p->s[p->pos + 1];
	p->pos += 2;
	skip_blanks(p);
	if (!at_word(p, "in", "(")) {
		char *word = if_token(p, false);

		parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
		free(word);
		return n;
	}
	p->pos += 2;
	skip_blanks(p);
	if (peek(p) != '(') {
		parse_error(p, SYNTAX_INCORRECT, "");
		return n;
	}
	p->pos++;
	while (peek(p) && (quoted || peek(p) != ')')) {
		char c = p->s[p->pos++];

		if (c == '"')
			quoted = !quoted;
		if (c == '^' && !quoted && peek(p))
			c = p->s[p->pos++];
		strbuf_putc(&set, c);
	}
	n->set = strbuf_take(&set);
	if (peek(p) != ')') {
		parse_error(p, SYNTAX_INCORRECT, "");
		return n;
	}
	p->pos++;
	skip_blanks(p);
	if (!at_word(p, "do", "(")) {
		char *word = if_token(p, false);

		parse_error(p, *word ? UNEXPECTED : SYNTAX_INCORRECT, word);
		free(word);
		return n;
	}
	p->pos += 2;
	n->a = parse_body(p);
	return n;
}

static struct node *parse_cmd(struct parser *p)
{
	while (is_delim(peek(p)) || peek(p) == '@')
		p->pos++;
	if (peek(p) == '&' || peek(p) == '|') {
		char op[3] = {peek(p), 0, 0};

		if (p->s[p->pos + 1] == op[0])
			op[1] = op[0];
		parse_error(p, UNEXPECTED, op);
		return NULL;
	}
	if (peek(p) == '\0' || (peek(p) == ')' && p->depth > 0)) {
		parse_error(p, SYNTAX_INCORRECT, "");
		return NULL;
	}
	if (peek(p) == '(')
		return parse_block(p);
	if (at_word(p, "if", NULL))
		return parse_if(p);
	if (at_word(p, "for", NULL))
		return parse_for(p);
	if (at_word(p, "rem", "/")) { /* the rest of the line is the remark */
		struct node *n = node_new(NODE_CMD);

		n->text = xstrdup("rem");
		p->pos += strlen(p->s + p->pos);
		return n;
	}
	return parse_simple(p);
}

static struct node *binary(enum node_kind kind, struct node *a, struct node *b)
{
	struct node *n = node_new(kind);

	n->a = a;
	n->b = b;
	return n;
}

/* Precedence, loosest first: &, then && and || (left to right), then |. */
static struct node *parse_pipe(struct parser *p)
{
	struct node *left = parse_cmd(p);

	while (!p->error && peek(p) == '|' && p->s[p->pos + 1] != '|') {
		p->pos++;
		skip_blanks(p);
		left = binary(NODE_PIPE, left, parse_cmd(p));
	}
	return left;
}

static struct node *parse_cond(struct parser *p)
{
	struct node *left = parse_pipe(p);

	while (!p->error && (peek(p) == '&' || peek(p) == '|') && p->s[p->pos + 1] == peek(p)) {
		enum node_kind kind = peek(p) == '&' ? NODE_AND : NODE_OR;

		p->pos += 2;
		skip_blanks(p);
		left = binary(kind, left, parse_pipe(p));
	}
	return left;
}

static struct node *parse_seq(struct parser *p)
{
	struct node *left = parse_cond(p);

	while (!p->error && peek(p) == '&') {
		p->pos++;
		skip_blanks(p);
		if (peek(p) == '\0' || (peek(p) == ')' && p->depth > 0))
			break; /* a trailing & is allowed */
		left = binary(NODE_SEQ, left, parse_cond(p));
	}
	return left;
}

/* ---- for variables ------------------------------------------------------ */

struct forvars {
	char letter[64];
	char *value[64];
	size_t n;
};

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

static struct node *node_subst(const struct node *n, const struct forvars *fv)
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

/* ---- running the tree ----------------------------------------------------- */

static int run_node(struct exec *x, const struct node *n, struct io *io);
static int run_line(struct exec *x, const char *line, struct io *io);

static void set_errorlevel(struct exec *x, int rc)
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

static int run_simple(struct exec *x, const char *text, struct io *io);

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
					emits(x, &io->err,
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
				emits(x, &io->err, "The system cannot find the path specified.\n");
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
		set_errorlevel(x, 1);
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
		set_errorlevel(x, rc);
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
				disk_wild_match(disk_base(abs), disk_base(x->sh->disk->files[i].path));
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
		emitf(x, &io->err, "The system cannot find the file %s.\n", name);
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
		emitf(x, &io->err, "\"%s\" was unexpected at this time.\n", n->opts);
		set_errorlevel(x, 255);
		return 255;
	}
	text = for_f_source(x, n, &o, io);
	if (!text || x->sh->suspended) {
		free(text);
		return 1;
	}
	for (line = strtok_r(text, "\n", &save); line && !halted(x);
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

static int run_for(struct exec *x, const struct node *n, struct io *io)
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
		for (long k = v[0]; v[1] && (v[1] > 0 ? k <= v[2] : k >= v[2]) && !halted(x);
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

	while (*s && !halted(x)) {
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

			for (i = 0; abs && i < x->sh->disk->nfiles && !halted(x); i++) {
				const char *fp = x->sh->disk->files[i].path;
				char *fdir = disk_parent(fp);
				struct strbuf name = {0};

				if (!strcasecmp(fdir, dir) &&
				    disk_wild_match(disk_base(abs), disk_base(fp))) {
					if (slash)
						strbuf_add(&name, item.p, (size_t)(slash - item.p) + 1);
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

static int run_node(struct exec *x, const struct node *n, struct io *io)
{
	int rc;

	if (!n || halted(x))
		return 0;
	switch (n->kind) {
	case NODE_SEQ:
		run_node(x, n->a, io);
		return run_node(x, n->b, io);
	case NODE_AND:
		rc = run_node(x, n->a, io);
		return rc || halted(x) ? rc : run_node(x, n->b, io);
	case NODE_OR:
		rc = run_node(x, n->a, io);
		return !rc || halted(x) ? rc : run_node(x, n->b, io);
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
static int run_line(struct exec *x, const char *line, struct io *io)
{
	char *text = expand_percent(x, line);
	struct parser ps = {text, 0, 0, NULL};
	struct node *tree = NULL;
	int rc = 0;

	skip_blanks(&ps);
	if (peek(&ps)) {
		tree = parse_seq(&ps);
		if (!ps.error && peek(&ps))
			parse_error(&ps, UNEXPECTED, ")");
		if (ps.error) {
			emitf(x, &io->err, "%s\n", ps.error);
			set_errorlevel(x, 255);
			rc = 255;
		} else {
			rc = run_node(x, tree, io);
		}
	}
	node_free(tree);
	free(ps.error);
	free(text);
	return rc;
}

/* ---- commands -------------------------------------------------------------- */

/* A program's arguments as the C runtime splits its command line: blanks
 * separate, double quotes group and go, \" is a quote (so a quoted path
 * ending in a backslash runs on: "HKLM\...\Lsa\" is a trap); single quotes
 * are ordinary characters. */
struct args {
	int argc;
	char **argv;
	bool *quoted; /* began with a double quote: find wants its string so */
};

static void args_split(struct args *a, const char *prog, const char *s)
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

static void args_free(struct args *a)
{
	int i;

	for (i = 0; i < a->argc; i++)
		free(a->argv[i]);
	free(a->argv);
	free(a->quoted);
}

/* A copy of a command's argument text, trimmed and without one pair of
 * surrounding quotes. Caller frees. */
static char *one_arg(const char *tail)
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

static int cmd_echo(struct exec *x, const char *tail, struct io *io)
{
	char *buf, *word;

	if (*tail && !is_blank(*tail)) { /* echo. echo/ echo( ...: the rest as it is */
		emits(x, &io->out, tail + 1);
		emits(x, &io->out, "\n");
		return 0;
	}
	buf = xstrdup(tail);
	word = trim(buf);
	if (!*word) {
		emitf(x, &io->out, "ECHO is %s.\n", x->p->echo_on ? "on" : "off");
	} else if (!strcasecmp(word, "on") || !strcasecmp(word, "off")) {
		x->p->echo_on = !strcasecmp(word, "on");
	} else {
		emits(x, &io->out, tail + 1);
		emits(x, &io->out, "\n");
	}
	free(buf);
	return 0;
}

/* set /a: integers with + - * / % ( ), unary -, variables, and the
 * assignments = += -= *= /= %=, separated by commas. */
struct calc {
	struct exec *x;
	const char *s;
	const char *error;
};

static long calc_assign(struct calc *c);

static void calc_blank(struct calc *c)
{
	while (is_blank(*c->s))
		c->s++;
}

static long calc_var(struct calc *c, const char *name)
{
	const char *v = env_get(&c->x->p->env, name);

	return v ? strtol(v, NULL, 0) : 0;
}

static long calc_primary(struct calc *c)
{
	calc_blank(c);
	if (*c->s == '(') {
		long v;

		c->s++;
		v = calc_assign(c);
		calc_blank(c);
		if (*c->s != ')')
			c->error = "Missing closing parenthesis.";
		else
			c->s++;
		return v;
	}
	if (*c->s == '-' || *c->s == '+') {
		char sign = *c->s++;
		long v = calc_primary(c);

		return sign == '-' ? -v : v;
	}
	if (isdigit((unsigned char)*c->s)) {
		char *end;
		long v = strtol(c->s, &end, 0);

		c->s = end;
		return v;
	}
	if (isalpha((unsigned char)*c->s) || *c->s == '_') {
		const char *start = c->s;

		while (isalnum((unsigned char)*c->s) || *c->s == '_')
			c->s++;
		char *name = xstrndup(start, (size_t)(c->s - start));
		long v = calc_var(c, name);

		free(name);
		return v;
	}
	c->error = "Missing operand.";
	return 0;
}

static long calc_mul(struct calc *c)
{
	long v = calc_primary(c);

	for (;;) {
		calc_blank(c);
		char op = *c->s;

		if ((op != '*' && op != '/' && op != '%') || c->s[1] == '=')
			return v;
		c->s++;
		long r = calc_primary(c);

		if (op != '*' && r == 0) {
			c->error = "Divide by zero error.";
			return 0;
		}
		v = op == '*' ? v * r : op == '/' ? v / r : v % r;
	}
}

static long calc_add(struct calc *c)
{
	long v = calc_mul(c);

	for (;;) {
		calc_blank(c);
		char op = *c->s;

		if ((op != '+' && op != '-') || c->s[1] == '=')
			return v;
		c->s++;
		long r = calc_mul(c);

		v = op == '+' ? v + r : v - r;
	}
}

static long calc_assign(struct calc *c)
{
	const char *save = c->s;

	calc_blank(c);
	if (isalpha((unsigned char)*c->s) || *c->s == '_') {
		const char *start = c->s;

		while (isalnum((unsigned char)*c->s) || *c->s == '_')
			c->s++;
		size_t nlen = (size_t)(c->s - start);

		calc_blank(c);
		char op = *c->s;
		bool compound = op && strchr("+-*/%", op) && c->s[1] == '=';

		if ((op == '=' && c->s[1] != '=') || compound) {
			char *name = xstrndup(start, nlen);
			long old = calc_var(c, name), v;
			char num[32];

			c->s += compound ? 2 : 1;
			v = calc_assign(c);
			if (compound) {
				if ((op == '/' || op == '%') && v == 0)
					c->error = "Divide by zero error.";
				else
					v = op == '+'	? old + v
					    : op == '-' ? old - v
					    : op == '*' ? old * v
					    : op == '/' ? old / v
							: old % v;
			}
			v = (long)(int)v; /* cmd's arithmetic is 32-bit */
			snprintf(num, sizeof(num), "%ld", v);
			if (!c->error)
				env_set(&c->x->p->env, name, num);
			free(name);
			return v;
		}
	}
	c->s = save;
	return calc_add(c);
}

static int set_arith(struct exec *x, const char *expr, struct io *io)
{
	struct strbuf clean = {0};
	struct calc c = {x, NULL, NULL};
	long v = 0;

	for (; *expr; expr++)
		if (*expr != '"')
			strbuf_putc(&clean, *expr);
	c.s = clean.p ? clean.p : "";
	do {
		if (*c.s == ',')
			c.s++;
		v = calc_assign(&c);
		calc_blank(&c);
	} while (!c.error && *c.s == ',');
	if (!c.error && *c.s)
		c.error = "Missing operator.";
	free(clean.p);
	if (c.error) {
		emitf(x, &io->err, "%s\n", c.error);
		return 1;
	}
	emitf(x, &io->out, "%d", (int)v); /* at the prompt only, without a newline */
	return 0;
}

static int env_cmp(const void *a, const void *b)
{
	return strcasecmp(((const struct envvar *)a)->name, ((const struct envvar *)b)->name);
}

static int cmd_set(struct exec *x, const char *tail, struct io *io)
{
	char *buf = xstrdup(tail), *s = buf, *eq;
	int rc = 0;

	while (is_blank(*s))
		s++;
	if (!strncasecmp(s, "/a", 2) && (is_blank(s[2]) || !s[2])) {
		rc = set_arith(x, s + 2, io);
		free(buf);
		return rc;
	}
	if (!strncasecmp(s, "/p", 2) && is_blank(s[2])) {
		char line[1024];
		int r;

		s += 3;
		while (is_blank(*s))
			s++;
		if (*s == '"' && strrchr(s, '"') > s) {
			*strrchr(s, '"') = '\0';
			s++;
		}
		eq = strchr(s, '=');
		if (!eq || eq == s) {
			emits(x, &io->err, "The syntax of the command is incorrect.\n");
			free(buf);
			return 1;
		}
		*eq = '\0';
		emits(x, &io->out, eq + 1);
		r = read_input(x, io->in, line, sizeof(line));
		if (r > 0 && *line)
			env_set(&x->p->env, s, line);
		free(buf);
		return r > 0 && *line ? 0 : 1;
	}
	if (*s == '"') { /* set "NAME=value": the value ends at the last quote */
		char *close = strrchr(s + 1, '"');

		s++;
		if (close)
			*close = '\0';
	}
	eq = strchr(s, '=');
	if (!eq) {
		struct envvar *sorted = xmalloc((x->p->env.n ? x->p->env.n : 1) * sizeof(*sorted));
		size_t i, shown = 0, plen;

		trim(s);
		plen = strlen(s);
		memcpy(sorted, x->p->env.v, x->p->env.n * sizeof(*sorted));
		qsort(sorted, x->p->env.n, sizeof(*sorted), env_cmp);
		for (i = 0; i < x->p->env.n; i++)
			if (!strncasecmp(sorted[i].name, s, plen)) {
				emitf(x, &io->out, "%s=%s\n", sorted[i].name, sorted[i].value);
				shown++;
			}
		free(sorted);
		if (!shown) {
			emitf(x, &io->err, "Environment variable %s not defined\n", s);
			rc = 1;
		}
	} else if (eq == s) {
		emits(x, &io->err, "The syntax of the command is incorrect.\n");
		rc = 1;
	} else {
		*eq = '\0';
		env_set(&x->p->env, s, eq + 1);
	}
	free(buf);
	return rc;
}

static int cmd_color(struct exec *x, const char *tail, struct io *io)
{
	char *start = xstrdup(tail), *arg = trim(start);
	size_t len = strlen(arg);
	unsigned attr;
	int rc = 0;

	(void)io;
	if (!len) {
		x->sh->color = SHELL_COLOR;
	} else if (len <= 2 && isxdigit((unsigned char)arg[0]) &&
		   (len == 1 || isxdigit((unsigned char)arg[1]))) {
		attr = (unsigned)strtoul(arg, NULL, 16);
		if ((attr >> 4) == (attr & 15))
			rc = 1; /* the same colour twice: refused, as cmd does */
		else
			x->sh->color = attr;
	} else {
		rc = 1;
	}
	free(start);
	return rc;
}

static int cmd_cls(struct exec *x, const char *tail, struct io *io)
{
	(void)tail;
	emits(x, &io->out, "\f");
	return 0;
}

static int cmd_exit(struct exec *x, const char *tail, struct io *io)
{
	char *start = xstrdup(tail), *arg = trim(start);
	int code = x->p->errorlevel;

	(void)io;
	if (!strncasecmp(arg, "/b", 2) && (is_blank(arg[2]) || !arg[2]))
		arg = trim(arg + 2);
	if (*arg)
		code = atoi(arg);
	free(start);
	x->p->errorlevel = code;
	if (x->p->nested > 0)
		x->p->nested--;
	else
		x->p->exited = true;
	return code;
}

static int cmd_cd(struct exec *x, const char *tail, struct io *io)
{
	char *buf = xstrdup(tail), *arg = trim(buf), *path, *abs;
	const char *dir;

	if (!strncasecmp(arg, "/d", 2) && (is_blank(arg[2]) || !arg[2]))
		arg = trim(arg + 2);
	path = one_arg(arg);
	free(buf);
	if (!*path) {
		emitf(x, &io->out, "%s\n", x->p->cwd);
		free(path);
		return 0;
	}
	abs = disk_abs(x->p->cwd, path);
	free(path);
	dir = abs ? disk_find_dir(x->sh->disk, abs) : NULL;
	free(abs);
	if (!dir) {
		emits(x, &io->err, "The system cannot find the path specified.\n");
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
		emits(x, &io->err, "The system cannot find the path specified.\n");
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
		emits(x, &io->err, "The system cannot find the path specified.\n");
		free(abs);
		free(dir);
		free(pattern);
		return 1;
	}
	if (!bare)
		emitf(x, &io->out,
		      " Volume in drive C has no label.\n Volume Serial Number is 9A3C-51E2\n\n"
		      " Directory of %s\n\n",
		      dir);
	if (strlen(dir) > 3 && !strcmp(pattern, "*") && !bare) {
		emits(x, &io->out, "11/21/2016  09:12 AM    <DIR>          .\n");
		emits(x, &io->out, "11/21/2016  09:12 AM    <DIR>          ..\n");
		dirs += 2;
	}
	for (i = 0; i < m->ndirs; i++) {
		char *parent = strlen(m->dirs[i]) > 3 ? disk_parent(m->dirs[i]) : NULL;

		if (parent && !strcasecmp(parent, dir) &&
		    disk_wild_match(pattern, disk_base(m->dirs[i]))) {
			if (bare)
				emitf(x, &io->out, "%s\n", disk_base(m->dirs[i]));
			else
				emitf(x, &io->out, "11/21/2016  09:12 AM    <DIR>          %s\n",
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
				emitf(x, &io->out, "%s\n", disk_base(f->path));
			else
				emitf(x, &io->out, "%s %17s %s\n", when, size, disk_base(f->path));
			files++;
			bytes += f->len;
		}
		free(parent);
	}
	free(abs);
	free(dir);
	free(pattern);
	if (!files && !dirs) {
		emits(x, &io->err, "File Not Found\n");
		return 1;
	}
	if (!bare) {
		thousands(size, sizeof(size), bytes);
		emitf(x, &io->out, "%16zu File(s) %14s bytes\n", files, size);
		emitf(x, &io->out, "%16zu Dir(s)  21,474,836,480 bytes free\n", dirs);
	}
	return 0;
}

static int cmd_type(struct exec *x, const char *tail, struct io *io)
{
	char *name = one_arg(tail), *abs;
	struct disk_file *f;
	int rc = 0;

	if (!*name) {
		emits(x, &io->err, "The syntax of the command is incorrect.\n");
		free(name);
		return 1;
	}
	abs = disk_abs(x->p->cwd, name);
	f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
	if (f) {
		char *text = disk_text(f);

		emits(x, &io->out, text);
		free(text);
	} else if (abs && disk_find_dir(x->sh->disk, abs)) {
		emits(x, &io->err, "Access is denied.\n");
		rc = 1;
	} else {
		emits(x, &io->err, "The system cannot find the file specified.\n");
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
			emitf(x, &io->err, "Could Not Find %s\n", abs ? abs : a.argv[i]);
		}
		free(abs);
	}
	args_free(&a);
	return 0;
}

static int cmd_mkdir(struct exec *x, const char *tail, struct io *io)
{
	char *name = one_arg(tail), *abs = disk_abs(x->p->cwd, name);
	int rc = 0;

	if (!abs || disk_find_dir(x->sh->disk, abs) || disk_find_file(x->sh->disk, abs)) {
		emitf(x, &io->err, "A subdirectory or file %s already exists.\n", name);
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

static int cmd_ver(struct exec *x, const char *tail, struct io *io)
{
	(void)tail;
	emits(x, &io->out, "\n" SHELL_VERSION "\n");
	return 0;
}

static int cmd_title(struct exec *x, const char *tail, struct io *io)
{
	char *start = xstrdup(tail), *t = trim(start);

	(void)io;
	free(x->sh->title);
	x->sh->title = xmalloc(strlen(SHELL_TITLE_PREFIX) + strlen(t) + 1);
	strcpy(x->sh->title, x->sh->elevated ? SHELL_TITLE_PREFIX : "");
	strcat(x->sh->title, t);
	free(start);
	return 0;
}

static int cmd_pause(struct exec *x, const char *tail, struct io *io)
{
	char line[64];

	(void)tail;
	emits(x, &io->out, "Press any key to continue . . . ");
	if (read_input(x, io->in, line, sizeof(line)) < 0)
		return 0;
	emits(x, &io->out, "\n");
	return 0;
}

static int cmd_rem(struct exec *x, const char *tail, struct io *io)
{
	(void)x, (void)tail, (void)io;
	return 0;
}

/* ---- programs ------------------------------------------------------------ */

struct reg_glue {
	struct exec *x;
	struct io *io;
};

static void glue_out(void *ctx, const char *s, size_t n)
{
	struct reg_glue *g = ctx;

	emit(g->x, &g->io->out, s, n);
}

static void glue_err(void *ctx, const char *s, size_t n)
{
	struct reg_glue *g = ctx;

	emit(g->x, &g->io->err, s, n);
}

static int glue_read(void *ctx, char *buf, size_t size)
{
	struct reg_glue *g = ctx;

	return read_input(g->x, g->io->in, buf, size);
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

static int prog_reg(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	struct reg_glue g = {x, io};
	struct registry_io rio = {&g, glue_out, glue_err, glue_read, glue_exists, glue_write};
	int rc;

	(void)tail;
	rc = registry_exe(x->sh->reg, a->argc, a->argv, &rio);
	return rc == REGISTRY_EXE_WAITING ? 0 : rc;
}

/* The lines of text that match, for find and findstr. */
typedef bool (*line_match_fn)(const char *line, const void *how);

static size_t filter_lines(struct exec *x, const char *text, line_match_fn match, const void *how,
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
					emits(x, &io->out, prefix);
				if (number)
					emitf(x, &io->out, num_fmt, lineno);
				emitf(x, &io->out, "%s\n", line);
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
		emits(x, &io->err, "FIND: Parameter format not correct\n");
		free(files);
		return 2;
	}
	if (!nfiles) {
		char *text = read_all(io->in);

		found = filter_lines(x, text, find_match, &how, invert, count, number, NULL,
				     "[%zu]", io);
		if (count)
			emitf(x, &io->out, "%zu\n", found);
		free(text);
		return found ? 0 : 1;
	}
	for (i = 0; i < nfiles; i++) {
		char *abs = disk_abs(x->p->cwd, files[i]), *text, *upper;
		struct disk_file *f = abs ? disk_find_file(x->sh->disk, abs) : NULL;
		size_t n;

		free(abs);
		if (!f) {
			emitf(x, &io->err, "File not found - %s\n", files[i]);
			rc = 1;
			continue;
		}
		upper = xstrdup(files[i]);
		for (k = 0; upper[k]; k++)
			upper[k] = (char)toupper((unsigned char)upper[k]);
		text = disk_text(f);
		if (count) {
			n = filter_lines(x, text, find_match, &how, invert, true, false, NULL, "",
					 io);
			emitf(x, &io->out, "\n---------- %s: %zu\n", upper, n);
		} else {
			emitf(x, &io->out, "\n---------- %s\n", upper);
			n = filter_lines(x, text, find_match, &how, invert, false, number, NULL,
					 "[%zu]", io);
		}
		found += n;
		free(text);
		free(upper);
	}
	free(files);
	return found ? 0 : rc ? rc : 1;
}

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
		emits(x, &io->err, "FINDSTR: Bad command line\n");
		rc = 2;
	} else if (!nfiles) {
		char *text = read_all(io->in);

		found = filter_lines(x, text, findstr_match, &how, invert, false, number, NULL,
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
				emitf(x, &io->err, "FINDSTR: Cannot open %s\n", files[i]);
				continue;
			}
			text = disk_text(f);
			prefix = xmalloc(strlen(files[i]) + 2);
			sprintf(prefix, "%s:", files[i]);
			n = filter_lines(x, text, findstr_match, &how, invert, names_only, number,
					 nfiles > 1 ? prefix : NULL, "%zu:", io);
			if (names_only && n)
				emitf(x, &io->out, "%s\n", files[i]);
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

static const char shutdown_usage[] =
	"Usage: shutdown [/i | /l | /s | /r | /g | /a | /p | /h | /e | /o] [/hybrid] [/soft] [/f]\n"
	"    [/m \\\\computer][/t xxx][/d [p|u:]xx:yy [/c \"comment\"]]\n"
	"\n"
	"    No args    Display help. This is the same as typing /?.\n";

/* shutdown: /r and /s schedule (in /t seconds, 30 by default), /a aborts.
 * The practice console acts on what cmdshell_shutdown_pending() says. */
static int prog_shutdown(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	char action = 0;
	int rc;
	long seconds = 30;
	int i;

	(void)tail;
	for (i = 1; i < a->argc; i++) {
		const char *s = a->argv[i];
		char *end;

		if (s[0] != '/' && s[0] != '-')
			goto usage;
		s++;
		if (!strcasecmp(s, "r") || !strcasecmp(s, "g"))
			action = 'r';
		else if (!strcasecmp(s, "s") || !strcasecmp(s, "p"))
			action = 's';
		else if (!strcasecmp(s, "a"))
			action = 'a';
		else if (!strcasecmp(s, "f") || !strcasecmp(s, "soft") || !strcasecmp(s, "hybrid"))
			continue;
		else if ((!strcasecmp(s, "c") || !strcasecmp(s, "d") || !strcasecmp(s, "m")) &&
			 i + 1 < a->argc)
			i++;
		else if (!strcasecmp(s, "t") && i + 1 < a->argc) {
			seconds = strtol(a->argv[++i], &end, 10);
			if (*end || seconds < 0 || seconds > 315360000)
				goto usage;
		} else if (!strcmp(s, "?")) {
			emits(x, &io->out, shutdown_usage);
			return 0;
		} else {
			goto usage;
		}
	}
	if (!action)
		goto usage;
	if (action == 'a') {
		rc = machine_abort_shutdown(x->sh->m);
		if (rc)
			emits(x, &io->err,
			      "Unable to abort the system shutdown because no shutdown "
			      "was in progress.(1116)\n");
		return rc;
	}
	rc = machine_schedule_shutdown(x->sh->m, action == 'r', (int)seconds);
	if (rc)
		emits(x, &io->err, "A system shutdown has already been scheduled.(1190)\n");
	return rc;
usage:
	emits(x, &io->out, shutdown_usage);
	return a->argc > 1 ? 87 : 0;
}

static int prog_hostname(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	(void)tail, (void)a;
	emitf(x, &io->out, "%s\n", machine_hostname(x->sh->m));
	return 0;
}

static int prog_whoami(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	struct strbuf b = {0};
	size_t i;

	(void)tail, (void)a;
	strbuf_printf(&b, "%s\\%s\n", machine_hostname(x->sh->m), machine_user(x->sh->m));
	for (i = 0; i < b.len; i++)
		b.p[i] = (char)tolower((unsigned char)b.p[i]);
	emit(x, &io->out, b.p, b.len);
	strbuf_free(&b);
	return 0;
}

/* cmd inside cmd: /c runs a line in a child and ends; alone (or /k) it is a
 * nested prompt that needs its own exit. */
static int prog_cmd(struct exec *x, const char *tail, struct args *a, struct io *io)
{
	const char *s = tail, *sw = NULL;
	int rc = 0;

	(void)a;
	while (*s) {
		while (is_blank(*s))
			s++;
		if (s[0] == '/' &&
		    (tolower((unsigned char)s[1]) == 'c' || tolower((unsigned char)s[1]) == 'k')) {
			sw = s;
			break;
		}
		while (*s && !is_blank(*s))
			s++;
	}
	if (sw) {
		char *start = xstrdup(sw + 2), *line = trim(start);
		size_t len = strlen(line);
		bool keep = tolower((unsigned char)sw[1]) == 'k';
		struct exec child = {x->sh, keep ? x->p : proc_child(x->p)};

		if (len >= 2 && line[0] == '"' && line[len - 1] == '"') {
			line[len - 1] = '\0';
			line++;
		}
		run_line(&child, line, io);
		rc = child.p->errorlevel;
		if (keep)
			x->p->nested++;
		else
			proc_free(child.p);
		free(start);
		return rc;
	}
	emits(x, &io->out,
	      SHELL_VERSION "\n(c) 2016 Microsoft Corporation. All rights reserved.\n");
	x->p->nested++;
	return 0;
}

/* The commands, as tmux describes its own: built-ins match as a prefix of
 * the first word ("echo." and "cd.." are echo and cd), programs by name
 * with or without .exe and a folder. A built-in's failure sets the
 * errorlevel; a program always sets it. */
struct command {
	const char *name;
	int (*builtin)(struct exec *x, const char *tail, struct io *io);
	int (*program)(struct exec *x, const char *tail, struct args *a, struct io *io);
};

static const struct command commands[] = {
	{"cd", cmd_cd, NULL},
	{"chdir", cmd_cd, NULL},
	{"cls", cmd_cls, NULL},
	{"color", cmd_color, NULL},
	{"del", cmd_del, NULL},
	{"dir", cmd_dir, NULL},
	{"echo", cmd_echo, NULL},
	{"erase", cmd_del, NULL},
	{"exit", cmd_exit, NULL},
	{"md", cmd_mkdir, NULL},
	{"mkdir", cmd_mkdir, NULL},
	{"pause", cmd_pause, NULL},
	{"rem", cmd_rem, NULL},
	{"set", cmd_set, NULL},
	{"title", cmd_title, NULL},
	{"type", cmd_type, NULL},
	{"ver", cmd_ver, NULL},
	{"cmd", NULL, prog_cmd},
	{"find", NULL, prog_find},
	{"findstr", NULL, prog_findstr},
	{"hostname", NULL, prog_hostname},
	{"reg", NULL, prog_reg},
	{"shutdown", NULL, prog_shutdown},
	{"whoami", NULL, prog_whoami},
};

/* What may follow a built-in's name in the same word. */
static bool ends_builtin_name(char c)
{
	return c == '\0' || is_delim(c) || strchr("./\\:+([]", c);
}

static int run_simple(struct exec *x, const char *text, struct io *io)
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
		size_t n = strlen(commands[i].name);

		if (commands[i].builtin && !strncasecmp(s, commands[i].name, n) &&
		    ends_builtin_name(s[n])) {
			rc = commands[i].builtin(x, s + n, io);
			if (rc && !x->sh->suspended)
				set_errorlevel(x, rc);
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
			emits(x, &io->err, "The system cannot find the drive specified.\n");
		free(name);
		free(typed);
		return rc;
	}
	size_t blen = strlen(base);

	if (blen > 4 && !strcasecmp(base + blen - 4, ".exe"))
		base[blen - 4] = '\0';
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].program && !strcasecmp(base, commands[i].name)) {
			struct args a;

			args_split(&a, commands[i].name, end);
			rc = commands[i].program(x, end, &a, io);
			args_free(&a);
			free(name);
			free(typed);
			set_errorlevel(x, rc);
			return rc;
		}
	}
	emitf(x, &io->err,
	      "'%s' is not recognized as an internal or external command,\n"
	      "operable program or batch file.\n",
	      typed);
	free(name);
	free(typed);
	set_errorlevel(x, 9009);
	return 9009;
}

/* ---- the shell's interface ----------------------------------------------- */

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

struct cmdshell *cmdshell_new_for_machine(struct machine *m, bool elevated)
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

struct cmdshell *cmdshell_new_for_registry(struct registry *reg)
{
	struct machine *m = machine_new_borrowing(reg);
	struct cmdshell *sh = cmdshell_new_for_machine(m, true);

	sh->own_m = m;
	return sh;
}

void cmdshell_free(struct cmdshell *sh)
{
	if (!sh)
		return;
	drop_pending(sh);
	proc_free(sh->p);
	free(sh->title);
	machine_free(sh->own_m);
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
