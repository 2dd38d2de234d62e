/* source.c: loading script text and pointing errors into it.
 * Owns the bytes of every script and include; lexer, parser and interpreter
 * only hold positions into them. */
#include "script/source.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/files.h"
#include "util/xalloc.h"

static struct source *source_new(const char *name, const char *dir, char *text,
				 size_t len)
{
	struct source *src = xcalloc(1, sizeof(*src));

	src->name = xstrdup(name);
	src->dir = xstrdup(dir);
	src->text = text;
	src->len = len;
	return src;
}

struct source *source_read(const char *path, struct vb_error *err)
{
	FILE *f;
	char *buf = NULL, *dircopy;
	size_t len = 0, cap = 0;
	int is_stdin = strcmp(path, "-") == 0;
	struct source *src;

	f = is_stdin ? stdin : files_open_read(path, "script", err);
	if (!f) {
		if (err && err->hint[0])
			vb_hint(err, "a script from a pipe goes on standard input: "
				"... | vncbot run -");
		return NULL;
	}
	for (;;) {
		size_t n;

		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap + 1);
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (len > SOURCE_MAX_BYTES) {
			vb_fail(err, VB_USAGE, "script '%s' is larger than %u bytes",
				path, SOURCE_MAX_BYTES);
			goto fail;
		}
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		vb_fail(err, VB_USAGE, "cannot read script '%s': %s", path,
			strerror(errno));
		goto fail;
	}
	if (!is_stdin)
		fclose(f);
	buf[len] = '\0';
	if (is_stdin)
		return source_new("<stdin>", ".", buf, len);
	dircopy = xstrdup(path);
	src = source_new(path, dirname(dircopy), buf, len);
	free(dircopy);
	return src;
fail:
	if (!is_stdin)
		fclose(f);
	free(buf);
	return NULL;
}

struct source *source_from_string(const char *name, const char *text)
{
	char *copy = xstrdup(text);

	return source_new(name, ".", copy, strlen(copy));
}

void source_free(struct source *src)
{
	while (src) {
		struct source *next = src->next;

		free(src->name);
		free(src->dir);
		free(src->text);
		free(src);
		src = next;
	}
}

const char *source_where(struct src_pos pos, char *buf, size_t size)
{
	snprintf(buf, size, "%s:%d", pos.src ? pos.src->name : "?", pos.line);
	return buf;
}

/* The context is the offending line, tabs kept so the caret lines up, and a
 * caret line of spaces/tabs mirroring the prefix. Columns count characters
 * (UTF-8 code points), so the caret stands under the right one. Long lines
 * are cut around the column so the caret stays visible. */
static void fill_context(struct vb_error *err, struct src_pos pos)
{
	const char *s = pos.src->text, *end = s + pos.src->len, *line, *eol;
	int n = 1, chars;
	size_t colb, start = 0, width, i, used;

	for (line = s; line < end && n < pos.line; line++)
		if (*line == '\n')
			n++;
	if (n != pos.line)
		return;
	for (eol = line; eol < end && *eol != '\n' && *eol != '\r'; eol++)
		;
	width = (size_t)(eol - line);
	/* The byte where the (pos.col)th character starts. */
	for (colb = 0, chars = 1; colb < width && chars < pos.col; colb++)
		if ((line[colb + 1] & 0xC0) != 0x80 || colb + 1 == width)
			chars++;
	if (colb > 200)
		start = colb - 100;
	while (start > 0 && (line[start] & 0xC0) == 0x80)
		start--;
	if (width - start > 300)
		width = start + 300;
	used = 0;
	for (i = start; i < width && used + 2 < sizeof(err->context) / 2; i++) {
		unsigned char c = (unsigned char)line[i];

		err->context[used++] = (c < 0x20 && c != '\t') ? '?' : (char)c;
	}
	err->context[used++] = '\n';
	for (i = start; i < colb && used + 2 < sizeof(err->context); i++) {
		if ((line[i] & 0xC0) == 0x80)
			continue;
		err->context[used++] = line[i] == '\t' ? '\t' : ' ';
	}
	err->context[used++] = '^';
	err->context[used] = '\0';
}

int source_error(struct vb_error *err, struct src_pos pos, const char *fmt, ...)
{
	va_list ap;
	char msg[sizeof(err->message)];

	if (!err)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vb_fail(err, VB_USAGE, "%s", msg);
	if (pos.src) {
		snprintf(err->where, sizeof(err->where), "%s:%d:%d",
			 pos.src->name, pos.line, pos.col);
		fill_context(err, pos);
	}
	return -1;
}
