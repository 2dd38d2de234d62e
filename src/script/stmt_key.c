/* stmt_key.c: key, down and up: keys and chords by name. Their arguments
 * parse from the template alone (key names and chords are keys.c's); this
 * file says what they send. Text is stmt_type.c's. */
#include <stddef.h>

#include "script/stmt.h"

/* key CHORD... */
struct stmt_key {
	struct ast_chords keys;
};

static const struct stmt_arg key_args[] = {
	{ .name = "keys", .kind = ARG_CHORD, .flags = ARG_REPEATED,
	  .offset = offsetof(struct stmt_key, keys),
	  .missing = "'key' needs at least one key or chord, as in: key ctrl-alt-del",
	  .help = "the keys or chords to press and release in turn, such as enter, "
		  "tab or ctrl-alt-del (vncbot keys lists the names)" },
};

static const struct stmt_form key_forms[] = { { .args = STMT_ARGS(key_args) } };

/* Each chord: its keys pressed in order, released in reverse. */
static int exec_key(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_key *n = st->args;
	size_t i, k;

	for (i = 0; i < n->keys.count; i++) {
		const struct keys_chord *c = &n->keys.chords[i];

		for (k = 0; k < c->count; k++)
			if (interp_keysym(in, c->keysym[k], 1) < 0)
				return -1;
		for (k = c->count; k-- > 0;)
			if (interp_keysym(in, c->keysym[k], 0) < 0)
				return -1;
	}
	return 0;
}

const struct stmt_impl stmt_key_impl = {
	.forms = key_forms, .nforms = 1, .size = sizeof(struct stmt_key),
	.sends_input = 1, .exec = exec_key,
};

/* down KEY, up KEY */
struct stmt_hold {
	struct ast_key key;
};

static const struct stmt_arg hold_args[] = {
	{ .name = "key", .kind = ARG_KEY, .offset = offsetof(struct stmt_hold, key),
	  .help = "a key name, such as shift, ctrl or alt" },
};

static const struct stmt_form hold_forms[] = { { .args = STMT_ARGS(hold_args) } };

static int exec_down(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_hold *n = st->args;

	return interp_keysym(in, n->key.keysym, 1);
}

static int exec_up(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_hold *n = st->args;

	return interp_keysym(in, n->key.keysym, 0);
}

const struct stmt_impl stmt_down_impl = {
	.forms = hold_forms, .nforms = 1, .size = sizeof(struct stmt_hold),
	.sends_input = 1, .exec = exec_down,
};

const struct stmt_impl stmt_up_impl = {
	.forms = hold_forms, .nforms = 1, .size = sizeof(struct stmt_hold),
	.sends_input = 1, .exec = exec_up,
};
