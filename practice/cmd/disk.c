/* disk.c: the in-memory C: drive (disk.h): path resolution as cmd does it, the
 * folders and files, and reading a file back as text. It knows nothing of
 * shells or windows; the commands that use it live beside it. */
#include "cmd/disk.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "util/strbuf.h"
#include "util/xalloc.h"

#define DISK_HOME "C:\\Users\\Administrator"

struct disk *disk_new(void)
{
	static const char *const dirs[] = {
		"C:\\",
		"C:\\PerfLogs",
		"C:\\Program Files",
		"C:\\Program Files\\Common Files",
		"C:\\Program Files (x86)",
		"C:\\ProgramData",
		"C:\\Users",
		DISK_HOME,
		DISK_HOME "\\AppData",
		DISK_HOME "\\AppData\\Local",
		DISK_HOME "\\AppData\\Local\\Temp",
		DISK_HOME "\\AppData\\Roaming",
		DISK_HOME "\\Desktop",
		DISK_HOME "\\Documents",
		DISK_HOME "\\Downloads",
		"C:\\Users\\Public",
		"C:\\Windows",
		"C:\\Windows\\system32",
		"C:\\Windows\\system32\\config",
		"C:\\Windows\\system32\\drivers",
		"C:\\Windows\\system32\\drivers\\etc",
		"C:\\Windows\\Temp",
	};
	struct disk *d = xcalloc(1, sizeof(*d));
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		disk_mkdir(d, dirs[i]);
	return d;
}

void disk_free(struct disk *d)
{
	size_t i;

	if (!d)
		return;
	for (i = 0; i < d->nfiles; i++) {
		free(d->files[i].path);
		free(d->files[i].data);
	}
	free(d->files);
	for (i = 0; i < d->ndirs; i++)
		free(d->dirs[i]);
	free(d->dirs);
	free(d);
}

struct disk *disk_clone(const struct disk *d)
{
	struct disk *c = xcalloc(1, sizeof(*c));
	size_t i;

	for (i = 0; i < d->nfiles; i++) {
		struct disk_file *f;

		c->files = xgrow(c->files, c->nfiles, sizeof(*c->files));
		f = &c->files[c->nfiles++];
		*f = d->files[i];
		f->path = xstrdup(d->files[i].path);
		f->data = xmalloc(d->files[i].len);
		memcpy(f->data, d->files[i].data, d->files[i].len);
	}
	for (i = 0; i < d->ndirs; i++) {
		c->dirs = xgrow(c->dirs, c->ndirs, sizeof(*c->dirs));
		c->dirs[c->ndirs++] = xstrdup(d->dirs[i]);
	}
	return c;
}

void disk_swap(struct disk *a, struct disk *b)
{
	struct disk t = *a;

	*a = *b;
	*b = t;
}

char *disk_abs(const char *cwd, const char *path)
{
	struct strbuf full = {0}, out = {0};
	char *s, *part, *save = NULL;
	size_t *marks = NULL, nmarks = 0;

	if (!*path)
		return NULL;
	if (isalpha((unsigned char)path[0]) && path[1] == ':') {
		if (toupper((unsigned char)path[0]) != 'C')
			return NULL;
		path += 2;
		if (*path == '\\' || *path == '/') {
			strbuf_puts(&full, path);
		} else {
			strbuf_puts(&full, cwd + 2);
			strbuf_puts(&full, "\\");
			strbuf_puts(&full, path);
		}
	} else if (*path == '\\' || *path == '/') {
		strbuf_puts(&full, path);
	} else {
		strbuf_puts(&full, cwd + 2);
		strbuf_puts(&full, "\\");
		strbuf_puts(&full, path);
	}
	for (s = full.p; *s; s++)
		if (*s == '/')
			*s = '\\';
	strbuf_puts(&out, "C:");
	for (part = strtok_r(full.p, "\\", &save); part; part = strtok_r(NULL, "\\", &save)) {
		if (!strcmp(part, "."))
			continue;
		if (!strcmp(part, "..")) {
			if (nmarks)
				out.len = marks[--nmarks], out.p[out.len] = '\0';
			continue;
		}
		marks = xrealloc(marks, (nmarks + 1) * sizeof(*marks));
		marks[nmarks++] = out.len;
		strbuf_puts(&out, "\\");
		strbuf_puts(&out, part);
	}
	if (out.len == 2)
		strbuf_puts(&out, "\\");
	free(marks);
	free(full.p);
	return strbuf_take(&out);
}

char *disk_parent(const char *abs)
{
	const char *slash = strrchr(abs, '\\');
	size_t len = (size_t)(slash - abs);

	return len <= 2 ? xstrdup("C:\\") : xstrndup(abs, len);
}

const char *disk_base(const char *abs)
{
	return strrchr(abs, '\\') + 1;
}

const char *disk_find_dir(const struct disk *d, const char *abs)
{
	size_t i;

	for (i = 0; i < d->ndirs; i++)
		if (strcasecmp(d->dirs[i], abs) == 0)
			return d->dirs[i];
	return NULL;
}

struct disk_file *disk_find_file(const struct disk *d, const char *abs)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++)
		if (strcasecmp(d->files[i].path, abs) == 0)
			return &d->files[i];
	return NULL;
}

int disk_write(struct disk *d, const char *abs, const void *data, size_t len, bool append)
{
	char *parent = disk_parent(abs);
	bool ok = disk_find_dir(d, parent) && !disk_find_dir(d, abs);
	struct disk_file *f;

	free(parent);
	if (!ok)
		return -1;
	f = disk_find_file(d, abs);
	if (!f) {
		d->files = xgrow(d->files, d->nfiles, sizeof(*d->files));
		f = &d->files[d->nfiles++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(abs);
	}
	if (!append)
		f->len = 0;
	f->data = xrealloc(f->data, f->len + len);
	memcpy(f->data + f->len, data, len);
	f->len += len;
	f->mtime = time(NULL);
	return 0;
}

void disk_mkdir(struct disk *d, const char *abs)
{
	d->dirs = xgrow(d->dirs, d->ndirs, sizeof(*d->dirs));
	d->dirs[d->ndirs++] = xstrdup(abs);
}

void disk_delete(struct disk *d, struct disk_file *f)
{
	size_t at = (size_t)(f - d->files);

	free(f->path);
	free(f->data);
	d->files[at] = d->files[--d->nfiles];
}

char *disk_text(const struct disk_file *f)
{
	struct strbuf b = {0};
	size_t i;

	if (f->len >= 2 && f->data[0] == 0xff && f->data[1] == 0xfe) {
		for (i = 2; i + 1 < f->len; i += 2) {
			unsigned u = f->data[i] | (unsigned)f->data[i + 1] << 8;

			if (u == '\r')
				continue;
			strbuf_putc(&b, u < 256 ? (char)u : '?');
		}
	} else {
		for (i = 0; i < f->len; i++)
			if (f->data[i] != '\r')
				strbuf_putc(&b, (char)f->data[i]);
	}
	return strbuf_take(&b);
}

bool disk_wild_match(const char *pat, const char *s)
{
	if (!*pat)
		return !*s;
	if (*pat == '*')
		return disk_wild_match(pat + 1, s) || (*s && disk_wild_match(pat, s + 1));
	if (!*s)
		return false;
	if (*pat != '?' && toupper((unsigned char)*pat) != toupper((unsigned char)*s))
		return false;
	return disk_wild_match(pat + 1, s + 1);
}
