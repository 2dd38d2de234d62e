/* io.c: where a command's output goes and its input comes from: the console
 * (which holds back what an earlier run of a suspended line already showed),
 * nul or a buffer (a pipe, for /f, a redirection), and the answers typed to a
 * program's question. */
#include "cmd/cmd.h"

#include <ctype.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

void console_write(struct cmdshell *sh, const char *s, size_t n)
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

bool exec_halted(const struct exec *x)
{
	return x->sh->suspended || x->p->exited;
}

void exec_write(struct exec *x, const struct sink *s, const char *text, size_t n)
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

void exec_puts(struct exec *x, const struct sink *s, const char *text)
{
	exec_write(x, s, text, strlen(text));
}

void exec_printf(struct exec *x, const struct sink *s, const char *fmt, ...)
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
	exec_write(x, s, b.p, (size_t)n);
	free(b.p);
}

/* One line of standard input into buf: 1, 0 at its end, or -1 (and the run
 * suspended) when it is the console and no answer has been typed yet. */
int exec_read_line(struct exec *x, struct source *in, char *buf, size_t size)
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
char *source_read_all(struct source *in)
{
	if (!in || in->kind != SOURCE_TEXT || in->pos >= in->len)
		return xstrdup("");
	char *s = xstrndup(in->text + in->pos, in->len - in->pos);

	in->pos = in->len;
	return s;
}
