/* builtin-echo-set.c: the built-ins echo and set, with set /a's integer
 * arithmetic and set /p's question. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int cmd_echo(struct exec *x, const char *tail, struct io *io)
{
	char *buf, *word;

	if (*tail && !is_blank(*tail)) { /* echo. echo/ echo( ...: the rest as it is */
		exec_puts(x, &io->out, tail + 1);
		exec_puts(x, &io->out, "\n");
		return 0;
	}
	buf = xstrdup(tail);
	word = trim(buf);
	if (!*word) {
		exec_printf(x, &io->out, "ECHO is %s.\n", x->p->echo_on ? "on" : "off");
	} else if (!strcasecmp(word, "on") || !strcasecmp(word, "off")) {
		x->p->echo_on = !strcasecmp(word, "on");
	} else {
		exec_puts(x, &io->out, tail + 1);
		exec_puts(x, &io->out, "\n");
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
		exec_printf(x, &io->err, "%s\n", c.error);
		return 1;
	}
	exec_printf(x, &io->out, "%d", (int)v); /* at the prompt only, without a newline */
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
			exec_puts(x, &io->err, "The syntax of the command is incorrect.\n");
			free(buf);
			return 1;
		}
		*eq = '\0';
		exec_puts(x, &io->out, eq + 1);
		r = exec_read_line(x, io->in, line, sizeof(line));
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
				exec_printf(x, &io->out, "%s=%s\n", sorted[i].name,
					    sorted[i].value);
				shown++;
			}
		free(sorted);
		if (!shown) {
			exec_printf(x, &io->err, "Environment variable %s not defined\n", s);
			rc = 1;
		}
	} else if (eq == s) {
		exec_puts(x, &io->err, "The syntax of the command is incorrect.\n");
		rc = 1;
	} else {
		*eq = '\0';
		env_set(&x->p->env, s, eq + 1);
	}
	free(buf);
	return rc;
}

const struct command command_echo = {"echo", cmd_echo, NULL};
const struct command command_set = {"set", cmd_set, NULL};
