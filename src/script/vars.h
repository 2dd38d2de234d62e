/* vars.h: a small name -> value map for script variables and secrets.
 * Values are wiped before they are freed, so the same type holds secrets. */
#ifndef VNCBOT_VARS_H
#define VNCBOT_VARS_H

#include <stddef.h>

struct var {
	char *name;
	char *value;
};

struct vars {
	size_t count;
	struct var *items;
};

/* Set name to value (both copied), replacing an earlier value. */
void vars_set(struct vars *v, const char *name, const char *value);

/* Remove name and its value (wiped), if set. */
void vars_unset(struct vars *v, const char *name);

/* The value of name, or NULL. */
const char *vars_get(const struct vars *v, const char *name);

/* Copy every entry of from into to. */
void vars_copy(struct vars *to, const struct vars *from);

/* Wipe and free every entry; the struct is left empty. */
void vars_clear(struct vars *v);

/* Is name a valid variable name: [A-Za-z_][A-Za-z0-9_]* ? */
int vars_valid_name(const char *name, size_t len);

#endif
