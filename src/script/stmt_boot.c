/* stmt_boot.c: boot STRING, keys written as a Packer boot_command string
 * ("<esc><wait5>linux<enter>"). A literal string is read whole when the script
 * is parsed, so a typo is refused before anything is sent; one with variables
 * when it runs. The boot_command format itself is packer.c's. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"
#include "script/packer.h"
#include "script/stmt.h"
#include "util/xalloc.h"

#define BOOT_ACTIONS_MAX 4096

struct stmt_boot {
	struct ast_str command;
};

static const struct stmt_arg boot_args[] = {
	{ .name = "command", .kind = ARG_STRING, .flags = ARG_TYPED,
	  .offset = offsetof(struct stmt_boot, command),
	  .expected = "a Packer boot_command string, as in: boot \"<esc><wait>linux<enter>\"",
	  .help = "a Packer boot_command string: text, special keys such as <enter> or "
		  "<leftCtrlOn>, and waits such as <wait5>" },
};

static const struct stmt_form boot_forms[] = { { .args = STMT_ARGS(boot_args) } };

static int check_boot(struct parser *p, struct ast_stmt *st)
{
	const struct stmt_boot *n = st->args;
	struct packer_action *acts;
	char msg[256];
	size_t bad = 0, i;
	long count;

	for (i = 0; i < n->command.nparts; i++)
		if (n->command.parts[i].is_var)
			return 0; /* checked when it runs, with the values */
	acts = xmalloc(BOOT_ACTIONS_MAX * sizeof(*acts));
	for (i = 0; i < n->command.nparts; i++) {
		const struct str_part *part = &n->command.parts[i];
		long k;

		count = packer_parse(part->text, part->len, acts, BOOT_ACTIONS_MAX, msg,
				     sizeof(msg), &bad);
		for (k = 0; count >= 0 && k < count; k++) {
			struct keys_stroke *strokes;
			size_t nstrokes, at = 0;

			if (acts[k].kind != PACKER_TEXT)
				continue;
			if (keys_text_to_strokes(acts[k].text, acts[k].len, &strokes, &nstrokes,
						 msg, sizeof(msg), &at) < 0) {
				count = -1;
				bad = acts[k].offset + at;
				break;
			}
			free(strokes);
		}
		if (count < 0) {
			struct src_pos pos = part->pos;

			free(acts);
			pos.col += (int)bad; /* close enough in one-line strings */
			return parser_error(p, pos, "%s", msg);
		}
	}
	free(acts);
	return 0;
}

static int exec_boot(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_boot *n = st->args;
	struct packer_action *acts;
	char *text, msg[256];
	size_t bad = 0;
	long count, k;
	int rc = 0;

	if (interp_check_typable(in, &n->command) < 0)
		return -1;
	acts = xmalloc(BOOT_ACTIONS_MAX * sizeof(*acts));
	text = interp_str(in, &n->command);
	count = packer_parse(text, strlen(text), acts, BOOT_ACTIONS_MAX, msg, sizeof(msg), &bad);
	if (count < 0)
		rc = interp_fail(in, st->pos, msg);
	for (k = 0; rc == 0 && k < count; k++) {
		const struct packer_action *a = &acts[k];

		switch (a->kind) {
		case PACKER_TAP:
			rc = interp_keysym(in, a->keysym, 1);
			if (rc == 0)
				rc = interp_keysym(in, a->keysym, 0);
			break;
		case PACKER_DOWN:
			rc = interp_keysym(in, a->keysym, 1);
			break;
		case PACKER_UP:
			rc = interp_keysym(in, a->keysym, 0);
			break;
		case PACKER_TEXT:
			rc = interp_type(in, a->text, a->len, n->command.pos);
			break;
		case PACKER_WAIT:
			rc = interp_pause(in, a->ms);
			break;
		}
	}
	free(acts);
	free(text);
	return rc;
}

const struct stmt_impl stmt_boot_impl = {
	.forms = boot_forms, .nforms = 1, .size = sizeof(struct stmt_boot),
	.sends_input = 1, .check = check_boot, .exec = exec_boot,
};
