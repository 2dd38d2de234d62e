/* registry.c: the practice console's registry and its reg.exe. Keys form a
 * tree under five roots; subkeys are kept in the order Windows enumerates
 * them (sorted, upper-cased), values in the order they were first set.
 * reg.exe prints what Windows Server 2016's prints and asks what it asks;
 * it knows nothing of consoles or disks beyond struct registry_io.
 * Running out of memory aborts the program (see xmalloc()). */
#include "registry.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util/strbuf.h"
#include "util/xalloc.h"

/* ---- memory and text buffers ------------------------------------------ */

/* The registry allocates at every name and value; a failure path for each
 * would outweigh the module. The practice console is a test fixture, so an
 * allocation that fails ends it, loudly. */
/* ---- the tree ---------------------------------------------------------- */

struct rkey {
	char *name;
	struct registry_value *values;
	size_t nvalues, capvalues;
	struct rkey **subs; /* sorted by name_cmp() */
	size_t nsubs, capsubs;
};

#define REGISTRY_ROOTS 5

static const struct {
	const char *abbrev;
	const char *name;
} root_names[REGISTRY_ROOTS] = {
	{"HKLM", "HKEY_LOCAL_MACHINE"},	 {"HKCU", "HKEY_CURRENT_USER"},
	{"HKCR", "HKEY_CLASSES_ROOT"},	 {"HKU", "HKEY_USERS"},
	{"HKCC", "HKEY_CURRENT_CONFIG"},
};

struct registry {
	struct rkey *roots[REGISTRY_ROOTS];
};

/* Windows orders and matches names by their upper-case forms. */
static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < alen && i < blen; i++) {
		int ca = toupper((unsigned char)a[i]), cb = toupper((unsigned char)b[i]);

		if (ca != cb)
			return ca - cb;
	}
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

static bool name_eq(const char *a, const char *b)
{
	return name_cmp(a, strlen(a), b, strlen(b)) == 0;
}

static struct rkey *rkey_new(const char *name, size_t len)
{
	struct rkey *k = xmalloc(sizeof(*k));

	memset(k, 0, sizeof(*k));
	k->name = xstrndup(name, len);
	return k;
}

static void value_clear(struct registry_value *v)
{
	size_t i;

	free(v->text);
	for (i = 0; i < v->count; i++)
		free(v->items[i]);
	free(v->items);
	v->text = NULL;
	v->items = NULL;
	v->count = 0;
	v->dword = 0;
}

static void value_copy_data(struct registry_value *dst, const struct registry_value *src)
{
	size_t i;

	dst->type = src->type;
	dst->text = src->text ? xstrdup(src->text) : NULL;
	dst->count = src->count;
	dst->items = src->count ? xmalloc(src->count * sizeof(char *)) : NULL;
	for (i = 0; i < src->count; i++)
		dst->items[i] = xstrdup(src->items[i]);
	dst->dword = src->dword;
}

static void rkey_free(struct rkey *k)
{
	size_t i;

	if (!k)
		return;
	for (i = 0; i < k->nvalues; i++) {
		value_clear(&k->values[i]);
		free(k->values[i].name);
	}
	free(k->values);
	for (i = 0; i < k->nsubs; i++)
		rkey_free(k->subs[i]);
	free(k->subs);
	free(k->name);
	free(k);
}

static struct rkey *rkey_clone(const struct rkey *k)
{
	struct rkey *c = rkey_new(k->name, strlen(k->name));
	size_t i;

	c->capvalues = c->nvalues = k->nvalues;
	c->values = xmalloc(k->nvalues * sizeof(*c->values));
	for (i = 0; i < k->nvalues; i++) {
		c->values[i].name = xstrdup(k->values[i].name);
		value_copy_data(&c->values[i], &k->values[i]);
	}
	c->capsubs = c->nsubs = k->nsubs;
	c->subs = xmalloc(k->nsubs * sizeof(*c->subs));
	for (i = 0; i < k->nsubs; i++)
		c->subs[i] = rkey_clone(k->subs[i]);
	return c;
}

/* Binary search among the sorted subkeys: the index of name, or where it
 * would go (with *found false). */
static size_t rkey_find_sub(const struct rkey *k, const char *name, size_t len, bool *found)
{
	size_t lo = 0, hi = k->nsubs;

	*found = false;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *m = k->subs[mid]->name;
		int c = name_cmp(name, len, m, strlen(m));

		if (c == 0) {
			*found = true;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static struct rkey *rkey_sub(const struct rkey *k, const char *name, size_t len, bool create)
{
	bool found;
	size_t at = rkey_find_sub(k, name, len, &found);
	struct rkey *mk = (struct rkey *)k;

	if (found)
		return k->subs[at];
	if (!create)
		return NULL;
	if (mk->nsubs == mk->capsubs) {
		mk->capsubs = mk->capsubs ? mk->capsubs * 2 : 4;
		mk->subs = xrealloc(mk->subs, mk->capsubs * sizeof(*mk->subs));
	}
	memmove(mk->subs + at + 1, mk->subs + at, (mk->nsubs - at) * sizeof(*mk->subs));
	mk->subs[at] = rkey_new(name, len);
	mk->nsubs++;
	return mk->subs[at];
}

static struct registry_value *rkey_value(const struct rkey *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->nvalues; i++)
		if (name_eq(k->values[i].name, name))
			return &k->values[i];
	return NULL;
}

/* The value name of k, created empty (REG_SZ "") if missing. */
static struct registry_value *rkey_value_slot(struct rkey *k, const char *name)
{
	struct registry_value *v = rkey_value(k, name);

	if (v) {
		value_clear(v);
		return v;
	}
	if (k->nvalues == k->capvalues) {
		k->capvalues = k->capvalues ? k->capvalues * 2 : 4;
		k->values = xrealloc(k->values, k->capvalues * sizeof(*k->values));
	}
	v = &k->values[k->nvalues++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(name);
	v->type = REGISTRY_SZ;
	return v;
}

/* Which root a path starts with, and where the rest begins (after the
 * backslash). -1 when it starts with none. */
static int path_root(const char *path, const char **rest)
{
	int i;

	for (i = 0; i < REGISTRY_ROOTS; i++) {
		const char *names[2] = {root_names[i].abbrev, root_names[i].name};
		int j;

		for (j = 0; j < 2; j++) {
			size_t n = strlen(names[j]);

			if (name_cmp(path, strlen(path) < n ? strlen(path) : n, names[j], n) == 0 &&
			    (path[n] == '\0' || path[n] == '\\')) {
				*rest = path[n] ? path + n + 1 : path + n;
				return i;
			}
		}
	}
	return -1;
}

/* The key at path, created with its parents when create is set. NULL when
 * it does not exist or the root is not valid (*bad_root says which). */
static struct rkey *walk(const struct registry *reg, const char *path, bool create, bool *bad_root)
{
	const char *rest;
	int root = path_root(path, &rest);
	struct rkey *k;

	if (bad_root)
		*bad_root = root < 0;
	if (root < 0)
		return NULL;
	k = reg->roots[root];
	while (*rest) {
		const char *end = strchr(rest, '\\');
		size_t len = end ? (size_t)(end - rest) : strlen(rest);

		if (len) {
			k = rkey_sub(k, rest, len, create);
			if (!k)
				return NULL;
		}
		rest += len;
		if (*rest == '\\')
			rest++;
	}
	return k;
}

struct registry *registry_new(void)
{
	struct registry *reg = xmalloc(sizeof(*reg));
	int i;

	for (i = 0; i < REGISTRY_ROOTS; i++)
		reg->roots[i] = rkey_new(root_names[i].name, strlen(root_names[i].name));
	return reg;
}

struct registry *registry_clone(const struct registry *reg)
{
	struct registry *c = xmalloc(sizeof(*c));
	int i;

	for (i = 0; i < REGISTRY_ROOTS; i++)
		c->roots[i] = rkey_clone(reg->roots[i]);
	return c;
}

void registry_swap(struct registry *a, struct registry *b)
{
	struct registry t = *a;

	*a = *b;
	*b = t;
}

void registry_free(struct registry *reg)
{
	int i;

	if (!reg)
		return;
	for (i = 0; i < REGISTRY_ROOTS; i++)
		rkey_free(reg->roots[i]);
	free(reg);
}

bool registry_key_exists(const struct registry *reg, const char *path)
{
	return walk(reg, path, false, NULL) != NULL;
}

const struct registry_value *registry_get(const struct registry *reg, const char *path,
					  const char *name)
{
	struct rkey *k = walk(reg, path, false, NULL);

	return k ? rkey_value(k, name) : NULL;
}

int registry_create_key(struct registry *reg, const char *path)
{
	return walk(reg, path, true, NULL) ? 0 : -1;
}

int registry_set_string(struct registry *reg, const char *path, const char *name,
			enum registry_type type, const char *text)
{
	struct rkey *k = walk(reg, path, true, NULL);
	struct registry_value *v;

	if (!k)
		return -1;
	v = rkey_value_slot(k, name);
	v->type = type == REGISTRY_EXPAND_SZ ? REGISTRY_EXPAND_SZ : REGISTRY_SZ;
	v->text = xstrdup(text);
	return 0;
}

int registry_set_dword(struct registry *reg, const char *path, const char *name, uint32_t val)
{
	struct rkey *k = walk(reg, path, true, NULL);
	struct registry_value *v;

	if (!k)
		return -1;
	v = rkey_value_slot(k, name);
	v->type = REGISTRY_DWORD;
	v->dword = val;
	return 0;
}

int registry_set_multi(struct registry *reg, const char *path, const char *name,
		       const char *const *items, size_t count)
{
	struct rkey *k = walk(reg, path, true, NULL);
	struct registry_value *v;
	size_t i;

	if (!k)
		return -1;
	v = rkey_value_slot(k, name);
	v->type = REGISTRY_MULTI_SZ;
	v->count = count;
	v->items = count ? xmalloc(count * sizeof(char *)) : NULL;
	for (i = 0; i < count; i++)
		v->items[i] = xstrdup(items[i]);
	return 0;
}

int registry_delete_value(struct registry *reg, const char *path, const char *name)
{
	struct rkey *k = walk(reg, path, false, NULL);
	struct registry_value *v;
	size_t at;

	if (!k || !(v = rkey_value(k, name)))
		return -1;
	at = (size_t)(v - k->values);
	value_clear(v);
	free(v->name);
	memmove(k->values + at, k->values + at + 1, (k->nvalues - at - 1) * sizeof(*k->values));
	k->nvalues--;
	return 0;
}

int registry_delete_key(struct registry *reg, const char *path)
{
	char *parent = xstrdup(path);
	size_t len = strlen(parent);
	struct rkey *p, *k;
	const char *leaf;
	bool found;
	size_t at;

	while (len && parent[len - 1] == '\\')
		parent[--len] = '\0';
	k = walk(reg, parent, false, NULL);
	leaf = strrchr(parent, '\\');
	if (!k || !leaf) { /* no such key, or a root */
		free(parent);
		return -1;
	}
	parent[leaf - parent] = '\0';
	p = walk(reg, parent, false, NULL);
	at = rkey_find_sub(p, k->name, strlen(k->name), &found);
	free(parent);
	rkey_free(p->subs[at]);
	memmove(p->subs + at, p->subs + at + 1, (p->nsubs - at - 1) * sizeof(*p->subs));
	p->nsubs--;
	return 0;
}

static void visit_key(const struct rkey *k, struct strbuf *path, registry_visit_fn fn,
		      void *ctx)
{
	size_t len = path->len, i;

	fn(ctx, path->p, k->values, k->nvalues);
	for (i = 0; i < k->nsubs; i++) {
		strbuf_putc(path, '\\');
		strbuf_puts(path, k->subs[i]->name);
		visit_key(k->subs[i], path, fn, ctx);
		path->len = len;
		path->p[len] = '\0';
	}
}

void registry_visit(const struct registry *reg, registry_visit_fn fn, void *ctx)
{
	struct strbuf path = {0};
	int i;

	for (i = 0; i < REGISTRY_ROOTS; i++) {
		strbuf_puts(&path, root_names[i].abbrev);
		visit_key(reg->roots[i], &path, fn, ctx);
		strbuf_free(&path);
	}
}

/* ---- the seeded machine ------------------------------------------------- */

#define LSA "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
#define SECPROV "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
#define TS "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server"

struct registry *registry_new_seeded(void)
{
	static const char *const packages[] = {"kerberos", "msv1_0", "schannel", "wdigest",
					       "pku2u"};
	static const char *const auth[] = {"msv1_0"};
	static const char *const notify[] = {"scecli"};
	static const char *const no_items[] = {""};
	struct registry *reg = registry_new();

	registry_set_dword(reg, LSA, "auditbasedirectories", 0);
	registry_set_dword(reg, LSA, "auditbaseobjects", 0);
	registry_set_multi(reg, LSA, "Authentication Packages", auth, 1);
	registry_set_dword(reg, LSA, "crashonauditfail", 0);
	registry_set_dword(reg, LSA, "disabledomaincreds", 0);
	registry_set_dword(reg, LSA, "everyoneincludesanonymous", 0);
	registry_set_dword(reg, LSA, "forceguest", 0);
	registry_set_dword(reg, LSA, "LimitBlankPasswordUse", 1);
	registry_set_dword(reg, LSA, "NoLmHash", 1);
	registry_set_multi(reg, LSA, "Notification Packages", notify, 1);
	registry_set_dword(reg, LSA, "restrictanonymous", 0);
	registry_set_dword(reg, LSA, "restrictanonymoussam", 1);
	registry_set_multi(reg, LSA, "Security Packages", packages, 5);
	registry_set_dword(reg, LSA, "SecureBoot", 1);
	registry_set_dword(reg, LSA, "LsaPid", 0x26c);
	registry_create_key(reg, LSA "\\AccessProviders");
	registry_create_key(reg, LSA "\\Audit");
	registry_create_key(reg, LSA "\\Credssp\\PolicyDefaults");
	registry_set_dword(reg, LSA "\\FipsAlgorithmPolicy", "Enabled", 0);
	registry_create_key(reg, LSA "\\Kerberos\\Parameters");
	registry_set_dword(reg, LSA "\\MSV1_0", "NtlmMinClientSec", 0x20000000);
	registry_set_dword(reg, LSA "\\MSV1_0", "NtlmMinServerSec", 0x20000000);
	registry_set_multi(reg, LSA "\\OSConfig", "Security Packages", no_items, 1);

	/* Windows ships "credssp.dll" here; the seed's machine lost it. */
	registry_set_string(reg, SECPROV, "SecurityProviders", REGISTRY_SZ, "");
	registry_create_key(reg, SECPROV "\\SaslProfiles");
	registry_set_dword(reg, SECPROV "\\SCHANNEL", "EventLogging", 1);
	registry_create_key(reg, SECPROV "\\SCHANNEL\\Ciphers");
	registry_create_key(reg, SECPROV "\\SCHANNEL\\CipherSuites");
	registry_create_key(reg, SECPROV "\\SCHANNEL\\Hashes");
	registry_create_key(reg, SECPROV "\\SCHANNEL\\KeyExchangeAlgorithms");
	registry_set_dword(reg, SECPROV "\\SCHANNEL\\Protocols\\SSL 2.0\\Client",
			   "DisabledByDefault", 1);
	registry_create_key(reg, SECPROV "\\WDigest");

	registry_set_dword(reg, TS, "fDenyTSConnections", 0);
	registry_set_dword(reg, TS, "fSingleSessionPerUser", 1);
	registry_set_dword(reg, TS "\\WinStations\\RDP-Tcp", "PortNumber", 3389);
	registry_set_dword(reg, TS "\\WinStations\\RDP-Tcp", "SecurityLayer", 2);
	registry_set_dword(reg, TS "\\WinStations\\RDP-Tcp", "UserAuthentication", 1);
	registry_set_dword(reg, TS "\\WinStations\\RDP-Tcp", "MinEncryptionLevel", 2);

	registry_set_string(reg,
			    "HKLM\\SYSTEM\\CurrentControlSet\\Control\\ComputerName\\ComputerName",
			    "ComputerName", REGISTRY_SZ, "WIN-PRACTICE");
	registry_set_string(reg, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\TermService",
			    "DisplayName", REGISTRY_SZ, "Remote Desktop Services");
	registry_set_string(reg, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\TermService",
			    "ImagePath", REGISTRY_EXPAND_SZ,
			    "%SystemRoot%\\System32\\svchost.exe -k NetworkService");
	registry_set_dword(reg, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\TermService", "Start",
			   3);

#define NTCV "HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion"
	registry_set_string(reg, NTCV, "CurrentBuild", REGISTRY_SZ, "14393");
	registry_set_string(reg, NTCV, "EditionID", REGISTRY_SZ, "ServerDatacenter");
	registry_set_string(reg, NTCV, "InstallationType", REGISTRY_SZ, "Server");
	registry_set_string(reg, NTCV, "ProductName", REGISTRY_SZ,
			    "Windows Server 2016 Datacenter");
	registry_set_string(reg, NTCV, "ReleaseId", REGISTRY_SZ, "1607");
	registry_set_string(reg, NTCV, "SystemRoot", REGISTRY_SZ, "C:\\Windows");
#undef NTCV
	registry_create_key(reg,
			    "HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services");
	registry_create_key(reg, "HKLM\\HARDWARE\\DESCRIPTION\\System");
	registry_create_key(reg, "HKLM\\SAM");
	registry_create_key(reg, "HKLM\\SECURITY");

	registry_set_string(reg, "HKCU\\Environment", "TEMP", REGISTRY_EXPAND_SZ,
			    "%USERPROFILE%\\AppData\\Local\\Temp");
	registry_set_string(reg, "HKCU\\Environment", "TMP", REGISTRY_EXPAND_SZ,
			    "%USERPROFILE%\\AppData\\Local\\Temp");
	registry_set_dword(reg, "HKCU\\Console", "QuickEdit", 1);
	registry_create_key(reg, "HKCU\\Software\\Microsoft\\Windows\\CurrentVersion");
	registry_create_key(reg, "HKU\\.DEFAULT");
	registry_create_key(reg, "HKU\\S-1-5-18");
	return reg;
}

static bool list_has(const char *list, char sep, const char *want)
{
	size_t wlen = strlen(want);

	while (*list) {
		const char *end = strchr(list, sep);
		size_t len = end ? (size_t)(end - list) : strlen(list);
		const char *s = list;
		size_t n = len;

		while (n && isspace((unsigned char)*s))
			s++, n--;
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (name_cmp(s, n, want, wlen) == 0)
			return true;
		list += len;
		if (*list)
			list++;
	}
	return false;
}

bool registry_nla_ready(const struct registry *reg)
{
	const struct registry_value *pk = registry_get(reg, LSA, "Security Packages");
	const struct registry_value *sp = registry_get(reg, SECPROV, "SecurityProviders");
	bool tspkg = false;
	size_t i;

	if (pk && pk->type == REGISTRY_MULTI_SZ)
		for (i = 0; i < pk->count; i++)
			tspkg = tspkg || name_eq(pk->items[i], "tspkg");
	return tspkg && sp && (sp->type == REGISTRY_SZ || sp->type == REGISTRY_EXPAND_SZ) &&
	       list_has(sp->text, ',', "credssp.dll");
}

/* ---- export ------------------------------------------------------------- */

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

/* How reg.exe names the key typed as path: the root spelled out, the rest
 * as typed, without trailing backslashes. Caller frees. */
static char *display_name(const char *path)
{
	const char *rest;
	int root = path_root(path, &rest);
	struct strbuf b = {0};

	strbuf_puts(&b, root_names[root].name);
	if (*rest) {
		strbuf_puts(&b, "\\");
		strbuf_puts(&b, rest);
	}
	while (b.len && b.p[b.len - 1] == '\\')
		b.p[--b.len] = '\0';
	return b.p;
}

char *registry_export(const struct registry *reg, const char *path, size_t *len)
{
	struct rkey *k = walk(reg, path, false, NULL);
	struct strbuf b = {0};
	char *name;

	if (!k)
		return NULL;
	name = display_name(path);
	strbuf_puts(&b, "Windows Registry Editor Version 5.00\r\n");
	export_key(&b, k, name);
	strbuf_puts(&b, "\r\n");
	free(name);
	*len = b.len;
	return b.p;
}

/* ---- reg.exe ------------------------------------------------------------ */

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
		if (name_eq(s, "y") || name_eq(s, "yes"))
			return 1;
		if (name_eq(s, "n") || name_eq(s, "no"))
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
		if (name_eq(sw, "reg:32") || name_eq(sw, "reg:64"))
			continue;
		if (name_eq(sw, "v"))
			letter = 'v', slot = &o->value;
		else if (name_eq(sw, "ve"))
			letter = 'e', flag = &o->ve;
		else if (name_eq(sw, "va"))
			letter = 'a', flag = &o->va;
		else if (name_eq(sw, "t"))
			letter = 't', slot = &o->type;
		else if (name_eq(sw, "s") && strchr(accepts, 's'))
			letter = 's', slot = &o->sep;
		else if (name_eq(sw, "s"))
			letter = 'S', flag = &o->recurse;
		else if (name_eq(sw, "se"))
			letter = 'E', slot = &o->sep;
		else if (name_eq(sw, "d"))
			letter = 'd', slot = &o->data;
		else if (name_eq(sw, "f"))
			letter = 'f', flag = &o->force;
		else if (name_eq(sw, "y"))
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
		if (name_eq(name, types[i].name)) {
			*type = types[i].type;
			return true;
		}
	return false;
}

static const char *type_name(enum registry_type t)
{
	switch (t) {
	case REGISTRY_SZ:
		return "REG_SZ";
	case REGISTRY_EXPAND_SZ:
		return "REG_EXPAND_SZ";
	case REGISTRY_DWORD:
		return "REG_DWORD";
	case REGISTRY_MULTI_SZ:
		return "REG_MULTI_SZ";
	}
	return "REG_NONE";
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
	walk(reg, key, false, &bad_root);
	if (bad_root)
		return invalid_key(io, "ADD");
	name = o.value ? o.value : ""; /* no /v: the default value, as /ve */
	if (type == REGISTRY_DWORD && o.data && !parse_dword(o.data, &dword))
		return syntax_error(io, "ADD ");
	if (type == REGISTRY_MULTI_SZ && !split_multi(o.data ? o.data : "", o.sep, &items, &count))
		return syntax_error(io, "ADD ");

	k = walk(reg, key, false, NULL);
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

	strbuf_printf(b, "    %s    %s    ", v->name[0] ? v->name : "(Default)", type_name(v->type));
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

static size_t query_named(struct strbuf *b, const struct rkey *k, const char *path, const char *name,
			  bool recurse, const char *sep)
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
	k = walk(reg, argv[2], false, &bad_root);
	if (bad_root)
		return invalid_key(io, "QUERY");
	if (!k) {
		io_err(io, MSG_NOT_FOUND);
		return 1;
	}
	path = display_name(argv[2]);
	strbuf_puts(&b, "\n");
	if (o.value || o.ve) {
		const char *name = o.value ? o.value : "";
		size_t found = query_named(&b, k, path, name, o.recurse, o.sep);

		if (!found && o.ve && !o.recurse) {
			strbuf_printf(&b, "%s\n    (Default)    REG_SZ    (value not set)\n\n", path);
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
	k = walk(reg, argv[2], false, &bad_root);
	if (bad_root)
		return invalid_key(io, "DELETE");
	if (!k || ((o.value || o.ve) && !rkey_value(k, o.value ? o.value : ""))) {
		io_err(io, MSG_NOT_FOUND);
		return 1;
	}
	path = display_name(argv[2]);
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
			strbuf_printf(&q, "Permanently delete the registry key %s (Yes/No)? ", path);
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
	walk(reg, argv[2], false, &bad_root);
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
};

int registry_exe(struct registry *reg, int argc, char **argv, const struct registry_io *io)
{
	size_t i;

	if (argc >= 2 && (!strcmp(argv[1], "/?") || !strcmp(argv[1], "-?"))) {
		io_out(io, reg_usage);
		return 0;
	}
	for (i = 0; argc >= 2 && i < sizeof(reg_ops) / sizeof(reg_ops[0]); i++) {
		if (!name_eq(argv[1], reg_ops[i].name))
			continue;
		if (argc == 3 && (!strcmp(argv[2], "/?") || !strcmp(argv[2], "-?"))) {
			io_out(io, reg_ops[i].usage);
			return 0;
		}
		return reg_ops[i].run(reg, argc, argv, io);
	}
	return syntax_error(io, "");
}
