/* vars.c: the name -> value map behind variables and secrets. Linear search:
 * scripts have a handful of names. Every value is wiped before it is freed. */
#include "script/vars.h"

#include <stdlib.h>
#include <string.h>
#include "util/xalloc.h"

static void wipe_free(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

void vars_set(struct vars *v, const char *name, const char *value)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		if (strcmp(v->items[i].name, name) == 0) {
			wipe_free(v->items[i].value);
			v->items[i].value = xstrdup(value);
			return;
		}
	}
	v->items = realloc(v->items, (v->count + 1) * sizeof(*v->items));
	if (!v->items)
		abort();
	v->items[v->count].name = xstrdup(name);
	v->items[v->count].value = xstrdup(value);
	v->count++;
}

void vars_unset(struct vars *v, const char *name)
{
	size_t i;

	for (i = 0; i < v->count; i++) {
		if (strcmp(v->items[i].name, name) == 0) {
			free(v->items[i].name);
			wipe_free(v->items[i].value);
			v->items[i] = v->items[--v->count];
			return;
		}
	}
}

const char *vars_get(const struct vars *v, const char *name)
{
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < v->count; i++)
		if (strcmp(v->items[i].name, name) == 0)
			return v->items[i].value;
	return NULL;
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

	for (i = 0; i < v->count; i++) {
		free(v->items[i].name);
		wipe_free(v->items[i].value);
	}
	free(v->items);
	v->items = NULL;
	v->count = 0;
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
