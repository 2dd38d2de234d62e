/* tree.h: the registry's tree as registry/tree.c keeps it, for the other
 * files of practice/registry/ (the .reg reader and writer, reg.exe) and no
 * one else: keys with their values and sorted subkeys under five roots. */
#ifndef PRACTICE_REGISTRY_TREE_H
#define PRACTICE_REGISTRY_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "registry.h"

struct rkey {
	char *name;
	struct registry_value *values;
	size_t nvalues, capvalues;
	struct rkey **subs; /* sorted by name_cmp() */
	size_t nsubs, capsubs;
};

#define REGISTRY_ROOTS 5

/* The roots, by index: HKLM, HKCU, HKCR, HKU, HKCC. */
struct rkey_root_name {
	const char *abbrev;
	const char *name;
};
extern const struct rkey_root_name rkey_roots[REGISTRY_ROOTS];

struct registry {
	struct rkey *roots[REGISTRY_ROOTS];
};

/* Names compare as Windows compares them: by their upper-case forms. */
bool rkey_name_eq(const char *a, const char *b);

/* The value name (any case) of k, or NULL. */
struct registry_value *rkey_value(const struct rkey *k, const char *name);

/* Which root a path starts with, and where the rest begins (after the
 * backslash). -1 when it starts with none. */
int rkey_path_root(const char *path, const char **rest);

/* The key at path, created with its parents when create is set. NULL when
 * it does not exist or the root is not valid (*bad_root says which). */
struct rkey *rkey_walk(const struct registry *reg, const char *path, bool create, bool *bad_root);

/* How reg.exe names the key typed as path: the root spelled out, the rest
 * as typed, without trailing backslashes. Caller frees. */
char *rkey_display_name(const char *path);

#endif
