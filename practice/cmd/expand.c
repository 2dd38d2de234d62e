/* expand.c: phase one of cmd's parser at the interactive prompt: %NAME%, cmd's
 * dynamic variables (%CD%, %ERRORLEVEL%, %DATE%...) and the ~ and : modifiers.
 * It works on text only; parsing is parser.c's. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

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
char *expand_percent(struct exec *x, const char *line)
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
