/* regexe.c: reg.exe of the practice console: ADD, QUERY, DELETE, EXPORT
 * and IMPORT with the syntax, prompts and messages of Windows Server 2016's.
 * It knows nothing of consoles or disks beyond struct registry_io; the
 * .reg format is regfile.c's, the tree tree.c's. */
#include "registry.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry/tree.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#define MSG_OK "The operation completed successfully.\n"
#define MSG_CANCELED "The operation was canceled by the user.\n"
#define MSG_NOT_FOUND "ERROR: The system was unable to find the specified registry key or value.\n"

static void io_out(const struct registry_io *io, const char *s)
{
	io->out(io->ctx, s, strlen(s));
}

static void io_err(const struct registry_io *io, const char *s)
{
	io->err(io->ctx, s, strlen(s));
}

static int syntax_error(const struct registry_io *io, const char *op)
{
	struct strbuf b = {0};

	strbuf_printf(&b, "ERROR: Invalid syntax.\nType \"REG %s/?\" for usage.\n", op);
	io_err(io, b.p);
	free(b.p);
	return 1;
}

static int invalid_key(const struct registry_io *io, const char *op)
{
	struct strbuf b = {0};

	strbuf_printf(&b, "ERROR: Invalid key name.\nType \"REG %s /?\" for usage.\n", op);
	io_err(io, b.p);
	free(b.p);
	return 1;
}

/* Ask question until the answer is yes or no. 1 yes, 0 no (or no more
 * input), REGISTRY_EXE_WAITING when the console has no answer yet. */
static int ask(const struct registry_io *io, const char *question)
{
	char answer[256];

	for (;;) {
		char *s = answer;
		size_t n;
		int r;

		io_out(io, question);
		r = io->read_line(io->ctx, answer, sizeof(answer));
		if (r < 0)
			return REGISTRY_EXE_WAITING;
		if (r == 0)
			return 0;
		while (isspace((unsigned char)*s))
			s++;
		n = strlen(s);
		while (n && isspace((unsigned char)s[n - 1]))
			s[--n] = '\0';
		if (rkey_name_eq(s, "y") || rkey_name_eq(s, "yes"))
			return 1;
		if (rkey_name_eq(s, "n") || rkey_name_eq(s, "no"))
			return 0;
	}
}

/* The options every operation may take, as parsed from argv[3...]. */
struct reg_opts {
	const char *value; /* /v NAME */
	bool ve, va, force, recurse, overwrite;
	const char *type; /* /t */
	const char *sep;  /* /s (add) or /se (query) */
	const char *data; /* /d */
	const char *file; /* export's second positional */
};

static bool is_switch(const char *a)
{
	return (a[0] == '/' || a[0] == '-') && a[1];
}

/* Parse argv[first..] against the switches op accepts (a string of the
 * letters below). Returns false on anything reg.exe would call invalid. */
static bool parse_opts(int argc, char **argv, int first, const char *accepts, struct reg_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	for (i = first; i < argc; i++) {
		const char *a = argv[i];
		const char *sw = a + 1;
		const char **slot = NULL;
		bool *flag = NULL;
		char letter;

		if (!is_switch(a)) {
			if (!strchr(accepts, 'F') || o->file)
				return false;
			o->file = a; /* export's file name */
			continue;
		}
		if (rkey_name_eq(sw, "reg:32") || rkey_name_eq(sw, "reg:64"))
			continue;
		if (rkey_name_eq(sw, "v"))
			letter = 'v', slot = &o->value;
		else if (rkey_name_eq(sw, "ve"))
			letter = 'e', flag = &o->ve;
		else if (rkey_name_eq(sw, "va"))
			letter = 'a', flag = &o->va;
		else if (rkey_name_eq(sw, "t"))
			letter = 't', slot = &o->type;
		else if (rkey_name_eq(sw, "s") && strchr(accepts, 's'))
			letter = 's', slot = &o->sep;
		else if (rkey_name_eq(sw, "s"))
			letter = 'S', flag = &o->recurse;
		else if (rkey_name_eq(sw, "se"))
			letter = 'E', slot = &o->sep;
		else if (rkey_name_eq(sw, "d"))
			letter = 'd', slot = &o->data;
		else if (rkey_name_eq(sw, "f"))
			letter = 'f', flag = &o->force;
		else if (rkey_name_eq(sw, "y"))
			letter = 'y', flag = &o->overwrite;
		else
			return false;
		if (!strchr(accepts, letter))
			return false;
		if (slot) {
			if (*slot || i + 1 >= argc)
				return false;
			*slot = argv[++i];
		} else {
			if (*flag)
				return false;
			*flag = true;
		}
	}
	return true;
}

static bool parse_type(const char *name, enum registry_type *type)
{
	static const struct {
		const char *name;
		enum registry_type type;
	} types[] = {
		{"REG_SZ", REGISTRY_SZ},
		{"REG_EXPAND_SZ", REGISTRY_EXPAND_SZ},
		{"REG_MULTI_SZ", REGISTRY_MULTI_SZ},
		{"REG_DWORD", REGISTRY_DWORD},
	};
	size_t i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (rkey_name_eq(name, types[i].name)) {
			*type = types[i].type;
			return true;
		}
	return false;
}

/* Split data at sep (a one-character string, or "\0" spelled with a
 * backslash as reg.exe's default). A trailing separator ends the list; an
 * empty string inside it is refused, as a REG_MULTI_SZ cannot hold one. */
static bool split_multi(const char *data, const char *sep, char ***items, size_t *count)
{
	size_t seplen = sep ? strlen(sep) : 2;
	const char *s = sep ? sep : "\\0";
	char **v = NULL;
	size_t n = 0;
	const char *p = data;

	*items = NULL;
	*count = 0;
	if (!*data)
		return true;
	for (;;) {
		const char *end = strstr(p, s);
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (!end && len == 0)
			break; /* after a trailing separator */
		if (len == 0)
			goto bad;
		v = xrealloc(v, (n + 1) * sizeof(*v));
		v[n++] = xstrndup(p, len);
		if (!end)
			break;
		p = end + seplen;
	}
	*items = v;
	*count = n;
	return true;
bad:
	while (n)
		free(v[--n]);
	free(v);
	return false;
}

static bool parse_dword(const char *s, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s || *s == '-' || *s == '+' || isspace((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end || v > 0xffffffffull)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int reg_add(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	struct reg_opts o;
	enum registry_type type = REGISTRY_SZ;
	const char *name, *key;
	bool bad_root;
	struct rkey *k;
	char **items = NULL;
	size_t count = 0, i;
	uint32_t dword = 0;

	if (argc < 3 || is_switch(argv[2]) || !parse_opts(argc, argv, 3, "vetsdf", &o) ||
	    (o.value && o.ve) || (o.type && !parse_type(o.type, &type)) ||
	    (o.sep && strlen(o.sep) != 1))
		return syntax_error(io, "ADD ");
	key = argv[2];
	rkey_walk(reg, key, false, &bad_root);
	if (bad_root)
		return invalid_key(io, "ADD");
	name = o.value ? o.value : ""; /* no /v: the default value, as /ve */
	if (type == REGISTRY_DWORD && o.data && !parse_dword(o.data, &dword))
		return syntax_error(io, "ADD ");
	if (type == REGISTRY_MULTI_SZ && !split_multi(o.data ? o.data : "", o.sep, &items, &count))
		return syntax_error(io, "ADD ");

	k = rkey_walk(reg, key, false, NULL);
	if (k && rkey_value(k, name) && !o.force) {
		struct strbuf q = {0};
		int yes;

		/* the default value's name is empty: "Value  exists, ..." */
		strbuf_printf(&q, "Value %s exists, overwrite(Yes/No)? ", name);
		yes = ask(io, q.p);
		free(q.p);
		if (yes != 1) {
			for (i = 0; i < count; i++)
				free(items[i]);
			free(items);
			if (yes == REGISTRY_EXE_WAITING)
				return REGISTRY_EXE_WAITING;
			io_out(io, MSG_CANCELED);
			return 0;
		}
	}
	switch (type) {
	case REGISTRY_SZ:
	case REGISTRY_EXPAND_SZ:
		registry_set_string(reg, key, name, type, o.data ? o.data : "");
		break;
	case REGISTRY_DWORD:
		registry_set_dword(reg, key, name, dword);
		break;
	case REGISTRY_MULTI_SZ:
		registry_set_multi(reg, key, name, (const char *const *)items, count);
		break;
	}
	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
	io_out(io, MSG_OK);
	return 0;
}

static void query_line(struct strbuf *b, const struct registry_value *v, const char *sep)
{
	size_t i;

	strbuf_printf(b, "    %s    %s    ", v->name[0] ? v->name : "(Default)",
		      registry_type_name(v->type));
	switch (v->type) {
	case REGISTRY_SZ:
	case REGISTRY_EXPAND_SZ:
		strbuf_puts(b, v->text);
		break;
	case REGISTRY_DWORD:
		strbuf_printf(b, "0x%x", (unsigned)v->dword);
		break;
	case REGISTRY_MULTI_SZ:
		for (i = 0; i < v->count; i++) {
			if (i)
				strbuf_puts(b, sep ? sep : "\\0");
			strbuf_puts(b, v->items[i]);
		}
		break;
	}
	strbuf_puts(b, "\n");
}

/* A key's header only when it has values or is reached by /s; subkeys as
 * paths, or walked into with /s. (Windows' layout, as Wine's tests pin it.) */
static void query_all(struct strbuf *b, const struct rkey *k, const char *path, bool recurse,
		      bool recursing, const char *sep)
{
	size_t i;

	if (k->nvalues || recursing)
		strbuf_printf(b, "%s\n", path);
	for (i = 0; i < k->nvalues; i++)
		query_line(b, &k->values[i], sep);
	if (k->nvalues || recursing)
		strbuf_puts(b, "\n");
	for (i = 0; i < k->nsubs; i++) {
		struct strbuf sub = {0};

		strbuf_printf(&sub, "%s\\%s", path, k->subs[i]->name);
		if (recurse)
			query_all(b, k->subs[i], sub.p, true, true, sep);
		else
			strbuf_printf(b, "%s\n", sub.p);
		free(sub.p);
	}
}

static size_t query_named(struct strbuf *b, const struct rkey *k, const char *path,
			  const char *name, bool recurse, const char *sep)
{
	const struct registry_value *v = rkey_value(k, name);
	size_t found = 0, i;

	if (v) {
		strbuf_printf(b, "%s\n", path);
		query_line(b, v, sep);
		strbuf_puts(b, "\n");
		found++;
	}
	if (!recurse)
		return found;
	for (i = 0; i < k->nsubs; i++) {
		struct strbuf sub = {0};

		strbuf_printf(&sub, "%s\\%s", path, k->subs[i]->name);
		found += query_named(b, k->subs[i], sub.p, name, true, sep);
		free(sub.p);
	}
	return found;
}

static int reg_query(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	struct reg_opts o;
	struct strbuf b = {0};
	bool bad_root;
	struct rkey *k;
	char *path;

	if (argc < 3 || is_switch(argv[2]) || !parse_opts(argc, argv, 3, "veSE", &o) ||
	    (o.value && o.ve) || (o.sep && strlen(o.sep) != 1))
		return syntax_error(io, "QUERY ");
	k = rkey_walk(reg, argv[2], false, &bad_root);
	if (bad_root)
		return invalid_key(io, "QUERY");
	if (!k) {
		io_err(io, MSG_NOT_FOUND);
		return 1;
	}
	path = rkey_display_name(argv[2]);
	strbuf_puts(&b, "\n");
	if (o.value || o.ve) {
		const char *name = o.value ? o.value : "";
		size_t found = query_named(&b, k, path, name, o.recurse, o.sep);

		if (!found && o.ve && !o.recurse) {
			strbuf_printf(&b, "%s\n    (Default)    REG_SZ    (value not set)\n\n",
				      path);
			found = 1;
		}
		if (!found) {
			free(b.p);
			free(path);
			io_err(io, MSG_NOT_FOUND);
			return 1;
		}
		if (o.recurse)
			strbuf_printf(&b, "End of search: %zu match(es) found.\n", found);
	} else {
		query_all(&b, k, path, o.recurse, false, o.sep);
	}
	io->out(io->ctx, b.p, b.len);
	free(b.p);
	free(path);
	return 0;
}

static int reg_delete(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	struct reg_opts o;
	struct strbuf q = {0};
	bool bad_root;
	struct rkey *k;
	char *path;
	int yes = 1;

	if (argc < 3 || is_switch(argv[2]) || !parse_opts(argc, argv, 3, "veaf", &o) ||
	    (!!o.value + o.ve + o.va) > 1)
		return syntax_error(io, "DELETE ");
	k = rkey_walk(reg, argv[2], false, &bad_root);
	if (bad_root)
		return invalid_key(io, "DELETE");
	if (!k || ((o.value || o.ve) && !rkey_value(k, o.value ? o.value : ""))) {
		io_err(io, MSG_NOT_FOUND);
		return 1;
	}
	path = rkey_display_name(argv[2]);
	if (!strchr(path, '\\') && !o.value && !o.ve && !o.va) {
		free(path);
		io_err(io, "ERROR: Access is denied.\n");
		return 1;
	}
	if (!o.force) {
		if (o.value || o.ve)
			strbuf_printf(&q, "Delete the registry value %s (Yes/No)? ",
				      o.value ? o.value : "");
		else if (o.va)
			strbuf_printf(&q, "Delete all values under the registry key %s (Yes/No)? ",
				      path);
		else
			strbuf_printf(&q, "Permanently delete the registry key %s (Yes/No)? ",
				      path);
		yes = ask(io, q.p);
		free(q.p);
	}
	free(path);
	if (yes == REGISTRY_EXE_WAITING)
		return REGISTRY_EXE_WAITING;
	if (!yes) {
		io_out(io, MSG_CANCELED);
		return 0;
	}
	if (o.value || o.ve) {
		registry_delete_value(reg, argv[2], o.value ? o.value : "");
	} else if (o.va) {
		while (k->nvalues)
			registry_delete_value(reg, argv[2], k->values[0].name);
	} else {
		registry_delete_key(reg, argv[2]);
	}
	io_out(io, MSG_OK);
	return 0;
}

/* The bytes reg.exe writes: UTF-16LE with a byte order mark. */
static unsigned char *utf16_file(const char *text, size_t len, size_t *out_len)
{
	unsigned char *d = xmalloc(2 + 2 * len);
	size_t i;

	d[0] = 0xff;
	d[1] = 0xfe;
	for (i = 0; i < len; i++) {
		d[2 + 2 * i] = (unsigned char)text[i];
		d[3 + 2 * i] = 0;
	}
	*out_len = 2 + 2 * len;
	return d;
}

static int reg_export(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	struct reg_opts o;
	bool bad_root;
	char *text;
	unsigned char *bytes;
	size_t len, blen;
	int r;

	if (argc < 4 || is_switch(argv[2]) || !parse_opts(argc, argv, 3, "Fy", &o) || !o.file)
		return syntax_error(io, "EXPORT ");
	rkey_walk(reg, argv[2], false, &bad_root);
	if (bad_root)
		return invalid_key(io, "EXPORT");
	text = registry_export(reg, argv[2], &len);
	if (!text) {
		io_err(io, MSG_NOT_FOUND);
		return 1;
	}
	if (!o.overwrite && io->file_exists(io->ctx, o.file)) {
		struct strbuf q = {0};
		int yes;

		strbuf_printf(&q, "File %s already exists. Overwrite (Yes/No)? ", o.file);
		yes = ask(io, q.p);
		free(q.p);
		if (yes != 1) {
			free(text);
			if (yes == REGISTRY_EXE_WAITING)
				return REGISTRY_EXE_WAITING;
			io_out(io, MSG_CANCELED);
			return 0;
		}
	}
	bytes = utf16_file(text, len, &blen);
	free(text);
	r = io->file_write(io->ctx, o.file, bytes, blen);
	free(bytes);
	if (r < 0) {
		io_err(io, "ERROR: The system cannot find the path specified.\n");
		return 1;
	}
	io_out(io, MSG_OK);
	return 0;
}

/* reg import FILE: the file is applied whole or not at all. reg.exe writes
 * its success message to standard error, as Windows' does. */
static int reg_import(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	unsigned char *data;
	size_t len = 0;
	int rc;

	if (argc != 3 || is_switch(argv[2]))
		return syntax_error(io, "IMPORT ");
	data = io->file_read(io->ctx, argv[2], &len);
	if (!data) {
		io_err(io, "ERROR: Error opening the file. There may be a disk or file system "
			   "error.\n");
		return 1;
	}
	rc = registry_import(reg, data, len, argv[2], NULL);
	free(data);
	if (rc < 0) {
		io_err(io, "ERROR: Error accessing the registry.\n");
		return 1;
	}
	io_err(io, MSG_OK);
	return 0;
}

static const char reg_usage[] = "\n"
				"REG Operation [Parameter List]\n"
				"\n"
				"  Operation  [ QUERY   | ADD    | DELETE  | COPY    |\n"
				"               SAVE    | LOAD   | UNLOAD  | RESTORE |\n"
				"               COMPARE | EXPORT | IMPORT  | FLAGS ]\n"
				"\n"
				"Return Code: (Except for REG COMPARE)\n"
				"\n"
				"  0 - Successful\n"
				"  1 - Failed\n"
				"\n"
				"For help on a specific operation type:\n"
				"\n"
				"  REG Operation /?\n";

static const struct {
	const char *name;
	int (*run)(struct registry *reg, int argc, char **argv, const struct registry_io *io);
	const char *usage;
} reg_ops[] = {
	{"ADD", reg_add,
	 "\nREG ADD KeyName [{/v ValueName | /ve}] [/t Type] [/s Separator] [/d Data] [/f]\n"
	 "        [/reg:32 | /reg:64]\n"},
	{"QUERY", reg_query,
	 "\nREG QUERY KeyName [/v [ValueName] | /ve] [/s]\n"
	 "          [/f Data [/k] [/d] [/c] [/e]] [/t Type] [/z] [/se Separator]\n"
	 "          [/reg:32 | /reg:64]\n"},
	{"DELETE", reg_delete,
	 "\nREG DELETE KeyName [{/v ValueName | /ve | /va}] [/f] [/reg:32 | /reg:64]\n"},
	{"EXPORT", reg_export, "\nREG EXPORT KeyName FileName [/y] [/reg:32 | /reg:64]\n"},
	{"IMPORT", reg_import, "\nREG IMPORT FileName [/reg:32 | /reg:64]\n"},
};

int registry_exe(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	size_t i;

	if (argc >= 2 && (!strcmp(argv[1], "/?") || !strcmp(argv[1], "-?"))) {
		io_out(io, reg_usage);
		return 0;
	}
	for (i = 0; argc >= 2 && i < sizeof(reg_ops) / sizeof(reg_ops[0]); i++) {
		if (!rkey_name_eq(argv[1], reg_ops[i].name))
			continue;
		if (argc == 3 && (!strcmp(argv[2], "/?") || !strcmp(argv[2], "-?"))) {
			io_out(io, reg_ops[i].usage);
			return 0;
		}
		return reg_ops[i].run(reg, argc, argv, io);
	}
	return syntax_error(io, "");
}
