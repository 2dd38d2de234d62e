/* regfile.c: Windows' .reg files: reading them into a registry (reg import,
 * --machine) and writing them (reg export). It reads what regedit and reg
 * export write ("Windows Registry Editor Version 5.00" in UTF-16LE with a
 * byte order mark, or REGEDIT4 / version 5 in ASCII or UTF-8, CRLF or LF),
 * names the line of what it cannot take, and writes what Windows writes.
 * The tree is tree.c's. */
#include "registry.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "registry/tree.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

/* The file's text in the registry's encoding (Latin-1: what the console
 * types): UTF-16LE after a byte order mark, UTF-8 otherwise (an invalid
 * sequence's bytes kept as they are); characters past U+00FF become '?'. */
static char *decode_text(const unsigned char *d, size_t len)
{
	struct strbuf b = {0};
	size_t i;

	if (len >= 2 && d[0] == 0xff && d[1] == 0xfe) {
		for (i = 2; i + 1 < len; i += 2) {
			unsigned u = d[i] | (unsigned)d[i + 1] << 8;

			if (u >= 0xd800 && u < 0xdc00 && i + 3 < len)
				i += 2; /* a pair: one character */
			strbuf_putc(&b, u && u < 256 ? (char)u : '?');
		}
		return strbuf_take(&b);
	}
	if (len >= 3 && d[0] == 0xef && d[1] == 0xbb && d[2] == 0xbf)
		d += 3, len -= 3;
	for (i = 0; i < len; i++) {
		unsigned char c = d[i];
		size_t n = c >= 0xc2 && c < 0xe0   ? 1
			   : c >= 0xe0 && c < 0xf0 ? 2
			   : c >= 0xf0 && c < 0xf5 ? 3
						   : 0;
		unsigned long u = c & (0x3fu >> n);
		size_t j;

		if (!n) {
			strbuf_putc(&b, c ? (char)c : '?');
			continue;
		}
		for (j = 1; j <= n && i + j < len && (d[i + j] & 0xc0) == 0x80; j++)
			u = u << 6 | (d[i + j] & 0x3fu);
		if (j <= n) {
			strbuf_putc(&b, (char)c); /* not UTF-8: the byte itself */
			continue;
		}
		strbuf_putc(&b, u < 256 ? (char)u : '?');
		i += n;
	}
	return strbuf_take(&b);
}

struct reader {
	const char *name; /* the file, for messages */
	int line;	  /* where the statement being read began */
	bool unicode;	  /* version 5.00: hex(2) and hex(7) are UTF-16LE */
	struct vb_error *err;
};

__attribute__((format(printf, 2, 3))) static int bad(struct reader *r, const char *fmt, ...)
{
	char msg[sizeof(r->err->message)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vb_fail(r->err, VB_USAGE, "%s", msg);
	if (r->err)
		snprintf(r->err->where, sizeof(r->err->where), "%s:%d", r->name, r->line);
	return -1;
}

/* A quoted string at *s ("..." with \\ and \" escapes): its text (caller
 * frees), *s past the closing quote; NULL when it does not close. */
static char *read_quoted(const char **s)
{
	struct strbuf b = {0};
	const char *p = *s + 1;

	for (; *p && *p != '"'; p++) {
		if (*p == '\\' && (p[1] == '\\' || p[1] == '"'))
			p++;
		strbuf_putc(&b, *p);
	}
	if (*p != '"') {
		strbuf_free(&b);
		return NULL;
	}
	*s = p + 1;
	return strbuf_take(&b);
}

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* hex bytes "aa,bb,..." (blanks allowed around them). */
static int read_hex(struct reader *r, const char *s, struct strbuf *bytes)
{
	s = skip_blanks(s);
	if (!*s)
		return 0;
	for (;;) {
		unsigned v = 0;
		int n = 0;

		s = skip_blanks(s);
		while (isxdigit((unsigned char)*s) && n < 3) {
			v = v * 16 + (unsigned)(isdigit((unsigned char)*s)
							? *s - '0'
							: tolower((unsigned char)*s) - 'a' + 10);
			s++, n++;
		}
		if (n == 0 || n > 2)
			return bad(r, "expected hex bytes such as 6b,00,65 but found '%.20s'", s);
		strbuf_putc(bytes, (char)v);
		s = skip_blanks(s);
		if (!*s)
			return 0;
		if (*s != ',')
			return bad(r, "expected ',' between hex bytes but found '%.20s'", s);
		s++;
	}
}

/* The strings in a hex(2)/hex(7) value's bytes: UTF-16LE in version 5
 * files, single bytes in REGEDIT4 ones; each ends at a NUL. */
static void split_strings(const struct reader *r, const struct strbuf *bytes, char ***items,
			  size_t *count)
{
	struct strbuf cur = {0};
	size_t step = r->unicode ? 2 : 1, i;
	bool open = false;

	*items = NULL;
	*count = 0;
	for (i = 0; i + step <= bytes->len; i += step) {
		unsigned u = (unsigned char)bytes->p[i];

		if (step == 2)
			u |= (unsigned)(unsigned char)bytes->p[i + 1] << 8;
		if (u == 0) {
			*items = xgrow(*items, *count, sizeof(**items));
			(*items)[(*count)++] = strbuf_take(&cur);
			open = false;
			continue;
		}
		strbuf_putc(&cur, u < 256 ? (char)u : '?');
		open = true;
	}
	if (open) { /* no final NUL: take what is there */
		*items = xgrow(*items, *count, sizeof(**items));
		(*items)[(*count)++] = strbuf_take(&cur);
	}
	strbuf_free(&cur);
}

static void free_strings(char **items, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

static int read_value(struct reader *r, struct registry *reg, const char *key, const char *s)
{
	char *name, *text;
	int rc = 0;

	if (*s == '@') {
		name = xstrdup("");
		s++;
	} else if (!(name = read_quoted(&s))) {
		return bad(r, "the value name's quote does not close");
	}
	s = skip_blanks(s);
	if (*s != '=') {
		free(name);
		return bad(r, "expected '=' after the value name but found '%.20s'", s);
	}
	s = skip_blanks(s + 1);
	if (!strcmp(s, "-")) {
		registry_delete_value(reg, key, name); /* absent: nothing to do */
	} else if (*s == '"') {
		if (!(text = read_quoted(&s))) {
			rc = bad(r, "the string's quote does not close");
		} else if (*skip_blanks(s)) {
			rc = bad(r, "unexpected '%.20s' after the string", skip_blanks(s));
		} else {
			registry_set_string(reg, key, name, REGISTRY_SZ, text);
		}
		free(text);
	} else if (!strncasecmp(s, "dword:", 6)) {
		const char *h = s + 6;
		size_t n = strspn(h, "0123456789abcdefABCDEF");

		if (n == 0 || n > 8 || *skip_blanks(h + n))
			rc = bad(r, "a dword is 1 to 8 hex digits, as dword:0000000a, not '%.20s'",
				 h);
		else
			registry_set_dword(reg, key, name, (uint32_t)strtoul(h, NULL, 16));
	} else if (!strncasecmp(s, "hex", 3)) {
		const char *p = s + 3;
		unsigned long type = 3; /* hex: is REG_BINARY */
		struct strbuf bytes = {0};
		char **items;
		size_t count;

		if (*p == '(') {
			char *end;

			type = strtoul(p + 1, &end, 16);
			if (end == p + 1 || *end != ')') {
				free(name);
				return bad(r, "expected hex(TYPE): as in hex(7): but found '%.20s'",
					   s);
			}
			p = end + 1;
		}
		if (*p != ':') {
			free(name);
			return bad(r, "expected ':' after '%.*s'", (int)(p - s), s);
		}
		rc = read_hex(r, p + 1, &bytes);
		if (rc == 0) {
			switch (type) {
			case 1: /* REG_SZ */
			case 2: /* REG_EXPAND_SZ */
				split_strings(r, &bytes, &items, &count);
				registry_set_string(reg, key, name,
						    type == 1 ? REGISTRY_SZ : REGISTRY_EXPAND_SZ,
						    count ? items[0] : "");
				free_strings(items, count);
				break;
			case 7: /* REG_MULTI_SZ: the list ends with an empty string */
				split_strings(r, &bytes, &items, &count);
				if (count && !items[count - 1][0])
					count--, free(items[count]);
				registry_set_multi(reg, key, name, (const char *const *)items,
						   count);
				free_strings(items, count);
				break;
			case 4: /* REG_DWORD, little-endian */
				if (bytes.len != 4) {
					rc = bad(r, "hex(4): (a dword) needs 4 bytes, not %zu",
						 bytes.len);
					break;
				}
				registry_set_dword(
					reg, key, name,
					(uint32_t)(unsigned char)bytes.p[0] |
						(uint32_t)(unsigned char)bytes.p[1] << 8 |
						(uint32_t)(unsigned char)bytes.p[2] << 16 |
						(uint32_t)(unsigned char)bytes.p[3] << 24);
				break;
			default:
				rc = bad(r,
					 "value type hex(%lx): (%s) is not one the practice "
					 "registry holds: it holds REG_SZ, REG_EXPAND_SZ "
					 "(hex(2):), REG_MULTI_SZ (hex(7):) and REG_DWORD",
					 type,
					 type == 3     ? "REG_BINARY"
					 : type == 0xb ? "REG_QWORD"
						       : "other");
				break;
			}
		}
		strbuf_free(&bytes);
	} else {
		rc = bad(r,
			 "expected a value's data (\"text\", dword:, hex:, or - to delete) "
			 "but found '%.20s'",
			 s);
	}
	free(name);
	return rc;
}

/* A [KEY] or [-KEY] line; *key becomes the key values go to (NULL after a
 * deletion). */
static int read_key(struct reader *r, struct registry *reg, const char *s, char **key)
{
	size_t len = strlen(s);
	bool del = s[1] == '-';
	const char *rest;
	char *path;

	free(*key);
	*key = NULL;
	if (s[len - 1] != ']')
		return bad(r, "a key line ends with ']': '%.40s'", s);
	path = xstrndup(s + 1 + del, len - 2 - del);
	if (!*path) {
		free(path);
		return bad(r, "a key line names no key");
	}
	if (rkey_path_root(path, &rest) < 0) {
		bad(r, "'%s' does not start with a root key such as HKEY_LOCAL_MACHINE", path);
		free(path);
		return -1;
	}
	if (del) {
		registry_delete_key(reg, path); /* deleting what is not there is no error */
		free(path);
		return 0;
	}
	registry_create_key(reg, path);
	*key = path;
	return 0;
}

int registry_import(struct registry *reg, const unsigned char *data, size_t len, const char *name,
		    struct vb_error *err)
{
	struct reader r = {name, 0, true, err};
	struct registry *work = registry_clone(reg);
	char *text = decode_text(data, len), *next = text, *key = NULL;
	bool header = false, key_deleted = false;
	struct strbuf stmt = {0};
	int line = 0, rc = 0;

	while (rc == 0 && next) {
		char *s = next, *nl = strchr(s, '\n');
		size_t n;

		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		line++;
		n = strlen(s);
		if (n && s[n - 1] == '\r')
			s[--n] = '\0';
		if (!stmt.len)
			r.line = line;
		/* A line ending in a backslash goes on on the next one (hex data). */
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
			s[--n] = '\0';
		if (n && s[n - 1] == '\\' && next) {
			strbuf_add(&stmt, stmt.len ? skip_blanks(s) : s,
				   strlen(stmt.len ? skip_blanks(s) : s) - 1);
			continue;
		}
		if (stmt.len) {
			strbuf_puts(&stmt, skip_blanks(s));
			s = stmt.p;
		} else {
			s = (char *)skip_blanks(s);
		}
		if (!header) {
			if (!*s)
				goto next;
			if (!strcmp(s, "Windows Registry Editor Version 5.00")) {
				r.unicode = true;
			} else if (!strcmp(s, "REGEDIT4")) {
				r.unicode = false;
			} else {
				rc = bad(&r,
					 "not a registry file: the first line must be 'Windows "
					 "Registry Editor Version 5.00' or 'REGEDIT4', not '%.40s'",
					 s);
				break;
			}
			header = true;
		} else if (!*s || *s == ';') {
			/* blank or a comment */
		} else if (*s == '[') {
			rc = read_key(&r, work, s, &key);
			key_deleted = !key;
		} else if (*s == '"' || *s == '@') {
			if (!key)
				rc = bad(&r, key_deleted
						     ? "a value under a key being deleted ([-KEY])"
						     : "a value before any [KEY] line");
			else
				rc = read_value(&r, work, key, s);
		} else {
			rc = bad(&r,
				 "expected [KEY], \"name\"=data, @=data or a ; comment but "
				 "found '%.20s'",
				 s);
		}
	next:
		stmt.len = 0;
		if (stmt.p)
			stmt.p[0] = '\0';
	}
	if (rc == 0 && !header) {
		r.line = line ? line : 1;
		rc = bad(&r, "empty: a registry file starts with 'Windows Registry Editor Version "
			     "5.00'");
	}
	if (rc == 0)
		registry_swap(reg, work);
	registry_free(work);
	strbuf_free(&stmt);
	free(key);
	free(text);
	return rc;
}

/* ---- writing: what reg export writes ---- */

/* regedit's rule: a hex line is broken after the byte whose comma reaches
 * column 77, continued by a backslash and two spaces. */
#define EXPORT_HEX_COLUMNS 77

static void export_quoted(struct strbuf *b, const char *s)
{
	strbuf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '\\' || *s == '"')
			strbuf_puts(b, "\\");
		strbuf_add(b, s, 1);
	}
	strbuf_puts(b, "\"");
}

/* Strings become UTF-16LE with their terminating NUL; bytes are Latin-1. */
static void utf16_append(struct strbuf *bytes, const char *s)
{
	for (;; s++) {
		char unit[2] = {*s, 0};

		strbuf_add(bytes, unit, 2);
		if (!*s)
			break;
	}
}

static void export_hex(struct strbuf *b, size_t line_len, int type, const struct strbuf *bytes)
{
	size_t i;
	char head[16];

	snprintf(head, sizeof(head), "hex(%x):", type);
	strbuf_puts(b, head);
	line_len += strlen(head);
	for (i = 0; i < bytes->len; i++) {
		strbuf_printf(b, "%02x", (unsigned char)bytes->p[i]);
		if (i + 1 == bytes->len)
			break;
		strbuf_puts(b, ",");
		line_len += 3;
		if (line_len >= EXPORT_HEX_COLUMNS) {
			strbuf_puts(b, "\\\r\n  ");
			line_len = 2;
		}
	}
}

static void export_value(struct strbuf *b, const struct registry_value *v)
{
	size_t start = b->len;
	struct strbuf bytes = {0};
	size_t i;

	if (v->name[0])
		export_quoted(b, v->name);
	else
		strbuf_puts(b, "@");
	strbuf_puts(b, "=");
	switch (v->type) {
	case REGISTRY_SZ:
		export_quoted(b, v->text);
		break;
	case REGISTRY_DWORD:
		strbuf_printf(b, "dword:%08x", (unsigned)v->dword);
		break;
	case REGISTRY_EXPAND_SZ:
		utf16_append(&bytes, v->text);
		export_hex(b, b->len - start, v->type, &bytes);
		break;
	case REGISTRY_MULTI_SZ:
		for (i = 0; i < v->count; i++)
			utf16_append(&bytes, v->items[i]);
		utf16_append(&bytes, "");
		export_hex(b, b->len - start, v->type, &bytes);
		break;
	}
	free(bytes.p);
	strbuf_puts(b, "\r\n");
}

static void export_key(struct strbuf *b, const struct rkey *k, const char *name)
{
	size_t i;

	strbuf_printf(b, "\r\n[%s]\r\n", name);
	for (i = 0; i < k->nvalues; i++)
		export_value(b, &k->values[i]);
	for (i = 0; i < k->nsubs; i++) {
		struct strbuf sub = {0};

		strbuf_printf(&sub, "%s\\%s", name, k->subs[i]->name);
		export_key(b, k->subs[i], sub.p);
		free(sub.p);
	}
}

char *registry_export(const struct registry *reg, const char *path, size_t *len)
{
	struct rkey *k = rkey_walk(reg, path, false, NULL);
	struct strbuf b = {0};
	char *name;

	if (!k)
		return NULL;
	name = rkey_display_name(path);
	strbuf_puts(&b, "Windows Registry Editor Version 5.00\r\n");
	export_key(&b, k, name);
	strbuf_puts(&b, "\r\n");
	free(name);
	*len = b.len;
	return b.p;
}
