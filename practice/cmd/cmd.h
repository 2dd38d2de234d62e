/* cmd.h: what the files of practice/cmd/ share, and nothing outside it
 * includes: the process and its environment, the window's state (struct
 * cmdshell), output sinks and input sources, the parse tree, and the table of
 * commands. One stage per file: expand.c (%VAR%), parser.c (a line to a tree),
 * run.c and for.c (running the tree), commands.c (a simple command), and one
 * file per built-in group or program (builtin-*.c, prog-*.c). */
#ifndef PRACTICE_CMD_CMD_H
#define PRACTICE_CMD_CMD_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "cmd/disk.h"
#include "cmdshell.h"
#include "machine.h"
#include "registry.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- text ---- */

static inline bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* cmd's token delimiters. */
static inline bool is_delim(char c)
{
	return c == ' ' || c == '\t' || c == ',' || c == ';' || c == '=';
}

static inline char *trim(char *s)
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
static inline const char *strcasestr_n(const char *hay, const char *needle, size_t nlen)
{
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, nlen) == 0)
			return hay;
	return nlen == 0 ? hay : NULL;
}

/* ---- the process and the window ---- */

#define SHELL_START_DIR "C:\\Windows\\system32"
#define SHELL_VERSION "Microsoft Windows [Version 10.0.14393]"
#define SHELL_COLOR 0x07
#define SHELL_TITLE_PREFIX "Administrator: "
#define SHELL_TITLE "C:\\Windows\\system32\\cmd.exe"

struct envvar {
	char *name, *value;
};

struct env {
	struct envvar *v;
	size_t n, cap;
};

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

struct cmdshell {
	struct machine *m;
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

struct forvars {
	char letter[64];
	char *value[64];
	size_t n;
};

/* A program's arguments as the C runtime splits its command line: blanks
 * separate, double quotes group and go, \" is a quote (so a quoted path
 * ending in a backslash runs on: "HKLM\...\Lsa\" is a trap); single quotes
 * are ordinary characters. */
struct args {
	int argc;
	char **argv;
	bool *quoted; /* began with a double quote: find wants its string so */
};

/* The commands, as tmux describes its own: built-ins match as a prefix of
 * the first word ("echo." and "cd.." are echo and cd), programs by name
 * with or without .exe and a folder. A built-in's failure sets the
 * errorlevel; a program always sets it. */
struct command {
	const char *name;
	int (*builtin)(struct exec *x, const char *tail, struct io *io);
	int (*program)(struct exec *x, const char *tail, struct args *a, struct io *io);
};

/* The lines of text that match, for find and findstr. */
typedef bool (*line_match_fn)(const char *line, const void *how);

/* ---- env.c ---- */

const char *env_get(const struct env *e, const char *name);
/* value NULL or "" removes the variable, as set NAME= does. */
void env_set(struct env *e, const char *name, const char *value);
/* A new cmd.exe's environment, as the machine's user gets it. */
struct proc *proc_new(const struct machine *m);
struct proc *proc_clone(const struct proc *p);
/* A new cmd.exe started by this one: the same environment and folder, its
 * own errorlevel from 0. */
struct proc *proc_child(const struct proc *p);
void proc_free(struct proc *p);

/* ---- io.c ---- */

void console_write(struct cmdshell *sh, const char *s, size_t n);
bool exec_halted(const struct exec *x);
void exec_write(struct exec *x, const struct sink *s, const char *text, size_t n);
void exec_puts(struct exec *x, const struct sink *s, const char *text);
void exec_printf(struct exec *x, const struct sink *s, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* One line of standard input into buf: 1, 0 at its end, or -1 (and the run
 * suspended) when it is the console and no answer has been typed yet. */
int exec_read_line(struct exec *x, struct source *in, char *buf, size_t size);
/* All that is left of standard input, for find and findstr. The console
 * counts as empty (no waiting for Ctrl-Z). Caller frees. */
char *source_read_all(struct source *in);

/* ---- expand.c ---- */

/* Phase one of cmd's parser, at the interactive prompt: %NAME% and its
 * modifiers are replaced where NAME is defined; anything else stays as
 * typed, percent signs included. Caller frees. */
char *expand_percent(struct exec *x, const char *line);

/* ---- parser.c ---- */

struct node *node_new(enum node_kind kind);
void node_free(struct node *n);
/* An expanded line to a tree (NULL for an empty line), or NULL and *error
 * cmd's message (caller frees). */
struct node *parse_line(const char *text, char **error);

/* ---- run.c ---- */

/* Expand, parse and run one line in x's process. */
int run_line(struct exec *x, const char *line, struct io *io);
int run_node(struct exec *x, const struct node *n, struct io *io);
void exec_set_errorlevel(struct exec *x, int rc);

/* ---- for.c ---- */

int run_for(struct exec *x, const struct node *n, struct io *io);
struct node *node_subst(const struct node *n, const struct forvars *fv);

/* ---- args.c ---- */

void args_split(struct args *a, const char *prog, const char *s);
void args_free(struct args *a);
/* A copy of a command's argument text, trimmed and without one pair of
 * surrounding quotes. Caller frees. */
char *args_one(const char *tail);

/* ---- prog-find.c ---- */

size_t find_filter_lines(struct exec *x, const char *text, line_match_fn match, const void *how,
			 bool invert, bool count_only, bool number, const char *prefix,
			 const char *num_fmt, struct io *io);

/* ---- commands.c ---- */

int run_simple(struct exec *x, const char *text, struct io *io);

/* ---- the commands, each defined where it is implemented ---- */

extern const struct command command_echo, command_set, command_cls, command_color, command_exit,
	command_pause, command_rem, command_title, command_ver, command_cd, command_chdir,
	command_del, command_dir, command_erase, command_md, command_mkdir, command_type,
	command_cmd, command_find, command_findstr, command_hostname, command_whoami, command_reg,
	command_shutdown;

#endif
