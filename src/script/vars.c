/* vars.c: the name -> value map behind variables and secrets. A handful of
 * names are searched in order; past VARS_LINEAR_MAX an open-addressing hash
 * index over the items keeps set and get O(1). Every value is wiped before
 * it is freed; a secret map's values live in secmem. */
#include "script/vars.h"

#include <stdlib.h>
#include <string.h>

#include "util/secmem.h"
#include "util/xalloc.h"

#define VARS_LINEAR_MAX 8

static char *value_dup(const struct vars *v, const char *value)
{
	return v->secret ? secmem_strdup(value) : xstrdup(value);
}

static void value_free(const struct vars *v, char *s)
{
	if (v->secret) {
		secmem_free(s);
	} else if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static size_t hash_name(const char *name)
{
	size_t h = 2166136261u; /* FNV-1a */

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h;
}

/* The slot where name is, or the free slot where it would go. */
static size_t *slot_of(const struct vars *v, const char *name)
{
	size_t mask = v->nslots - 1, i = hash_name(name) & mask;

	while (v->slots[i] && strcmp(v->items[v->slots[i] - 1].name, name) != 0)
		i = (i + 1) & mask;
	return &v->slots[i];
}

static void reindex(struct vars *v)
{
	size_t i;

	free(v->slots);
	v->nslots = 16;
	while (v->nslots < 2 * v->count + 2)
		v->nslots *= 2;
	v->slots = xcalloc(v->nslots, sizeof(*v->slots));
	for (i = 0; i < v->count; i++)
		*slot_of(v, v->items[i].name) = i + 1;
}

/* The index of name, or -1. */
static long find(const struct vars *v, const char *name)
{
	size_t i;

	if (v->slots) {
		size_t k = *slot_of(v, name);

		return k ? (long)(k - 1) : -1;
	}
	for (i = 0; i < v->count; i++)
		if (strcmp(v->items[i].name, name) == 0)
			return (long)i;
	return -1;
}

void vars_set(struct vars *v, const char *name, const char *value)
{
	long at = find(v, name);

	if (at >= 0) {
		value_free(v, v->items[at].value);
		v->items[at].value = value_dup(v, value);
		return;
	}
	v->items = xgrow(v->items, v->count, sizeof(*v->items));
	v->items[v->count].name = xstrdup(name);
	v->items[v->count].value = value_dup(v, value);
	v->count++;
	if (v->slots && 2 * v->count + 2 <= v->nslots)
		*slot_of(v, name) = v->count;
	else if (v->count > VARS_LINEAR_MAX)
		reindex(v);
}

void vars_unset(struct vars *v, const char *name)
{
	long at = find(v, name);

	if (at < 0)
		return;
	free(v->items[at].name);
	value_free(v, v->items[at].value);
	/* Keep the order of first set; the index moves with the items. */
	memmove(&v->items[at], &v->items[at + 1],
		(v->count - (size_t)at - 1) * sizeof(*v->items));
	v->count--;
	if (v->slots)
		reindex(v);
}

const char *vars_get(const struct vars *v, const char *name)
{
	long at;

	if (!v)
		return NULL;
	at = find(v, name);
	return at >= 0 ? v->items[at].value : NULL;
}

void vars_copy(struct vars *to, const struct vars *from)
{
	size_t i;

	if (!from)
		return;
	for (i = 0; i < from->count; i++)
		vars_set(to, from->items[i].name, from->items[i].value);
}

void vars_clear(struct vars *v)
{
	size_t i;
	int secret = v->secret;

	for (i = 0; i < v->count; i++) {
		free(v->items[i].name);
		value_free(v, v->items[i].value);
	}
	free(v->items);
	free(v->slots);
	memset(v, 0, sizeof(*v));
	v->secret = secret;
}

int vars_valid_name(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
		      (i > 0 && c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}
