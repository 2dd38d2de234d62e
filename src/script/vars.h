/* vars.h: a name -> value map for script variables and secrets, in the
 * order names were first set. Values are wiped before they are freed, so the
 * same type holds secrets. A script may set thousands of names: past a few,
 * lookups go through a hash index, so a long script costs linear time. A map
 * marked secret keeps its values in secmem (util/secmem.h), off the heap and
 * out of core dumps. */
#ifndef VNCBOT_VARS_H
#define VNCBOT_VARS_H

#include <stddef.h>

struct var {
	char *name;
	char *value;
};

/* { 0 } is an empty map. */
struct vars {
	size_t count;
	struct var *items; /* in order of first set */
	size_t *slots;     /* hash index: 1 + the item's index, 0 for free; NULL while small */
	size_t nslots;     /* a power of two, at least twice count */
	int secret;        /* values in secmem: set before the first vars_set */
};

/* Set name to value (both copied), replacing an earlier value. */
void vars_set(struct vars *v, const char *name, const char *value);

/* Remove name and its value (wiped), if set. */
void vars_unset(struct vars *v, const char *name);

/* The value of name, or NULL. */
const char *vars_get(const struct vars *v, const char *name);

/* Copy every entry of from into to. */
void vars_copy(struct vars *to, const struct vars *from);

/* Wipe and free every entry; the struct is left empty (still secret if
 * it was). */
void vars_clear(struct vars *v);

/* Is name a valid variable name: [A-Za-z_][A-Za-z0-9_]* ? */
int vars_valid_name(const char *name, size_t len);

#endif
