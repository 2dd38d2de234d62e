/* tree.c: the practice console's registry in memory (registry.h): keys form a
 * tree under five roots; subkeys are kept in the order Windows enumerates
 * them (sorted, upper-cased), values in the order they were first set; names
 * compare without regard to case. Reading and writing .reg files is
 * regfile.c's, reg.exe is regexe.c's. Running out of memory aborts. */
#include "registry.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "registry/tree.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

const struct rkey_root_name rkey_roots[REGISTRY_ROOTS] = {
	{"HKLM", "HKEY_LOCAL_MACHINE"},	 {"HKCU", "HKEY_CURRENT_USER"},
	{"HKCR", "HKEY_CLASSES_ROOT"},	 {"HKU", "HKEY_USERS"},
	{"HKCC", "HKEY_CURRENT_CONFIG"},
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

bool rkey_name_eq(const char *a, const char *b)
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

struct registry_value *rkey_value(const struct rkey *k, const char *name)
{
	size_t i;

	for (i = 0; i < k->nvalues; i++)
		if (rkey_name_eq(k->values[i].name, name))
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
int rkey_path_root(const char *path, const char **rest)
{
	int i;

	for (i = 0; i < REGISTRY_ROOTS; i++) {
		const char *names[2] = {rkey_roots[i].abbrev, rkey_roots[i].name};
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
struct rkey *rkey_walk(const struct registry *reg, const char *path, bool create, bool *bad_root)
{
	const char *rest;
	int root = rkey_path_root(path, &rest);
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
		reg->roots[i] = rkey_new(rkey_roots[i].name, strlen(rkey_roots[i].name));
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

const char *registry_type_name(enum registry_type t)
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

bool registry_key_exists(const struct registry *reg, const char *path)
{
	return rkey_walk(reg, path, false, NULL) != NULL;
}

const struct registry_value *registry_get(const struct registry *reg, const char *path,
					  const char *name)
{
	struct rkey *k = rkey_walk(reg, path, false, NULL);

	return k ? rkey_value(k, name) : NULL;
}

int registry_create_key(struct registry *reg, const char *path)
{
	return rkey_walk(reg, path, true, NULL) ? 0 : -1;
}

int registry_set_string(struct registry *reg, const char *path, const char *name,
			enum registry_type type, const char *text)
{
	struct rkey *k = rkey_walk(reg, path, true, NULL);
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
	struct rkey *k = rkey_walk(reg, path, true, NULL);
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
	struct rkey *k = rkey_walk(reg, path, true, NULL);
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
	struct rkey *k = rkey_walk(reg, path, false, NULL);
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
	k = rkey_walk(reg, parent, false, NULL);
	leaf = strrchr(parent, '\\');
	if (!k || !leaf) { /* no such key, or a root */
		free(parent);
		return -1;
	}
	parent[leaf - parent] = '\0';
	p = rkey_walk(reg, parent, false, NULL);
	at = rkey_find_sub(p, k->name, strlen(k->name), &found);
	free(parent);
	rkey_free(p->subs[at]);
	memmove(p->subs + at, p->subs + at + 1, (p->nsubs - at - 1) * sizeof(*p->subs));
	p->nsubs--;
	return 0;
}

static void visit_key(const struct rkey *k, struct strbuf *path, registry_visit_fn fn, void *ctx)
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
		strbuf_puts(&path, rkey_roots[i].abbrev);
		visit_key(reg->roots[i], &path, fn, ctx);
		strbuf_free(&path);
	}
}

/* How reg.exe names the key typed as path: the root spelled out, the rest
 * as typed, without trailing backslashes. Caller frees. */
char *rkey_display_name(const char *path)
{
	const char *rest;
	int root = rkey_path_root(path, &rest);
	struct strbuf b = {0};

	strbuf_puts(&b, rkey_roots[root].name);
	if (*rest) {
		strbuf_puts(&b, "\\");
		strbuf_puts(&b, rest);
	}
	while (b.len && b.p[b.len - 1] == '\\')
		b.p[--b.len] = '\0';
	return b.p;
}
