/* interp.c: runs the AST against an interp_target (a live session or a fake
 * one). Owns the run's variables, turns text into key strokes, checks for
 * interruption between key events, and logs each statement (secrets by name).
 * Before a run it prints the plan and checks the files the script will write,
 * walking the script as walk.c does.
 * It never sees RFB, sockets or source text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"
#include "script/script.h"
#include "script/stmt.h"
#include "util/files.h"
#include "util/log.h"
#include "util/secmem.h"
#include "script/mask.h"
#include "util/xalloc.h"

struct interp {
	const struct interp_target *t;
	int px, py; /* the pointer as last sent */
	struct vars vars;
	const struct vars *secrets;
	struct vb_error *err;
	int depth;
	int secret_typed; /* a secret was typed and no Enter released since */
	struct src_pos pos; /* of the statement running */
};

static int check_interrupted(struct interp *in)
{
	if (in->t->interrupted && in->t->interrupted(in->t->ctx))
		return vb_fail(in->err, VB_FAILED, "interrupted");
	return 0;
}

int interp_keysym(struct interp *in, uint32_t keysym, int down)
{
	if (check_interrupted(in) < 0)
		return -1;
	if (in->t->key(in->t->ctx, keysym, down, in->err) < 0)
		return -1;
	if (in->secret_typed && !down && keys_is_enter(keysym)) {
		in->secret_typed = 0;
		if (in->t->secret)
			return in->t->secret(in->t->ctx, INTERP_SECRET_ENTER, in->err);
	}
	return 0;
}

/* Long typing (thousands of keys at a QEMU pace take minutes) shows a
 * progress line every PROGRESS_EVERY_S seconds, counting key events only,
 * so a secret's length is not told either. */
#define PROGRESS_EVERY_S 5.0

static int send_strokes(struct interp *in, const struct keys_stroke *s, size_t n)
{
	double next = log_elapsed() + PROGRESS_EVERY_S;
	size_t i;

	for (i = 0; i < n; i++) {
		if (interp_keysym(in, s[i].keysym, s[i].down) < 0)
			return -1;
		if ((i & 63) == 0 && log_elapsed() >= next) {
			log_msg(LOG_INFO, "typing: %zu of %zu key events sent", i + 1, n);
			next = log_elapsed() + PROGRESS_EVERY_S;
		}
	}
	return 0;
}

int interp_type(struct interp *in, const char *text, size_t len,
		struct src_pos pos)
{
	struct keys_stroke *strokes;
	size_t n, bad = 0;
	char msg[256];
	int rc;

	if (keys_text_to_strokes(text, len, &strokes, &n, msg, sizeof(msg), &bad) < 0) {
		/* Only reachable through a variable's value: literals were checked. */
		source_error(in->err, pos, "cannot type this text: %s", msg);
		in->err->status = VB_FAILED;
		return -1;
	}
	rc = send_strokes(in, strokes, n);
	free(strokes);
	return rc;
}

static int types_through_us_keymap(struct interp *in)
{
	return in->t->us_keymap && in->t->us_keymap(in->t->ctx);
}

int interp_check_typable(struct interp *in, const struct ast_str *s)
{
	if (!types_through_us_keymap(in))
		return 0;
	return typable_check_str(s, &in->vars, in->err);
}

int interp_type_secret(struct interp *in, const char *name, struct src_pos pos)
{
	const char *value = vars_get(in->secrets, name);
	struct keys_stroke *strokes;
	int64_t n;
	size_t bad = 0;
	int rc;

	if (!value) {
		source_error(in->err, pos, "secret '%s' was not given", name);
		return vb_hint(in->err, "give it with --secret %s=env:VAR", name);
	}
	if (types_through_us_keymap(in) && typable_check_secret(name, value, pos, in->err) < 0)
		return -1;
	n = keys_text_strokes(value, strlen(value), NULL, NULL, 0, &bad);
	if (n < 0) {
		/* Say only where the character is, never what it is. */
		source_error(in->err, pos,
			     "secret '%s' has a character that cannot be typed (byte %zu)",
			     name, bad);
		return -1;
	}
	if (in->t->secret && in->t->secret(in->t->ctx, INTERP_SECRET_TYPING, in->err) < 0)
		return -1;
	/* The strokes spell the secret too: secmem, like the value. */
	strokes = secmem_alloc((size_t)n * sizeof(*strokes));
	keys_text_strokes(value, strlen(value), strokes, NULL, 0, &bad);
	in->secret_typed = 0; /* an Enter in the value is part of it */
	rc = send_strokes(in, strokes, (size_t)n);
	secmem_free(strokes);
	in->secret_typed = rc == 0;
	return rc;
}

int interp_pause(struct interp *in, long ms)
{
	if (check_interrupted(in) < 0)
		return -1;
	/* Say so before a long silence, so nobody wonders whether it hangs. */
	if (ms >= 5000)
		log_msg(LOG_INFO, "waiting %.1fs", ms / 1000.0);
	return in->t->pause(in->t->ctx, ms, in->err);
}

int interp_pointer(struct interp *in, int x, int y, int buttons)
{
	if (check_interrupted(in) < 0)
		return -1;
	if (!in->t->pointer)
		return vb_fail(in->err, VB_USAGE, "the pointer is not available here");
	in->px = x;
	in->py = y;
	return in->t->pointer(in->t->ctx, x, y, buttons, in->err);
}

void interp_pointer_position(struct interp *in, int *x, int *y)
{
	*x = in->px;
	*y = in->py;
}

int interp_capture(struct interp *in, const char *path, const struct screen_region *region)
{
	if (!in->t->capture)
		return vb_fail(in->err, VB_USAGE, "capture is not available here");
	return in->t->capture(in->t->ctx, path, region, in->err);
}

int interp_wait_screen(struct interp *in, const struct screen_cond *cond, long timeout_ms,
		       int *met, struct screen_watch *w)
{
	if (check_interrupted(in) < 0)
		return -1;
	if (!in->t->wait_screen)
		return vb_fail(in->err, VB_USAGE, "screen conditions are not available here");
	return in->t->wait_screen(in->t->ctx, cond, timeout_ms, met, w, in->err);
}

int interp_wait_disconnect(struct interp *in, long timeout_ms, int *gone)
{
	if (check_interrupted(in) < 0)
		return -1;
	if (!in->t->wait_disconnect)
		return vb_fail(in->err, VB_USAGE, "waiting for the console to go (expect disconnect, if disconnect) is not available here");
	return in->t->wait_disconnect(in->t->ctx, timeout_ms, gone, in->err);
}

int interp_reconnect(struct interp *in, long timeout_ms)
{
	if (check_interrupted(in) < 0)
		return -1;
	if (!in->t->reconnect)
		return vb_fail(in->err, VB_USAGE, "reconnect is not available here");
	return in->t->reconnect(in->t->ctx, timeout_ms, in->err);
}

int interp_try_block(struct interp *in, const struct ast_block *b)
{
	if (interp_block(in, b) == 0)
		return 0;
	return in->err->status == VB_FAILED && !(in->t->interrupted &&
						 in->t->interrupted(in->t->ctx)) ? 1 : -1;
}

char *interp_str(struct interp *in, const struct ast_str *s)
{
	struct strbuf t = { 0 };
	size_t i;

	strbuf_add(&t, "", 0);
	for (i = 0; i < s->nparts; i++) {
		const struct str_part *part = &s->parts[i];
		/* The parser checked every name is defined before use. */
		const char *v = part->is_var ? vars_get(&in->vars, part->text) : NULL;

		if (part->is_var)
			strbuf_add(&t, v ? v : "", v ? strlen(v) : 0);
		else
			strbuf_add(&t, part->text, part->len);
	}
	return t.p;
}

void interp_set(struct interp *in, const char *name, const char *value,
		int only_if_unset)
{
	if (only_if_unset && vars_get(&in->vars, name))
		return;
	vars_set(&in->vars, name, value);
}

int interp_fail(struct interp *in, struct src_pos pos, const char *why)
{
	char where[300];

	vb_fail(in->err, VB_FAILED, "%s", why);
	snprintf(in->err->where, sizeof(in->err->where), "%s",
		 source_where(pos, where, sizeof(where)));
	return -1;
}

/* A console that echoes a secret shows it: the evidence never does. Takes
 * t (malloc'ed) and returns it with each secret's value replaced by
 * <secret NAME>. */
static char *mask_secrets(struct interp *in, char *t)
{
	char *masked = secrets_mask(t, in->secrets);

	explicit_bzero(t, strlen(t));
	free(t);
	return masked;
}

void interp_note_check(struct interp *in, const char *text)
{
	char where[300], *t;

	if (!in->t->note)
		return;
	t = mask_secrets(in, xstrdup(text));
	in->t->note(in->t->ctx, "check", source_where(in->pos, where, sizeof(where)), t);
	free(t);
}

int interp_read_text(struct interp *in, const struct screen_region *region,
		     struct src_pos pos, char **text)
{
	char where[300], *t;

	if (check_interrupted(in) < 0)
		return -1;
	if (!in->t->read_text)
		return vb_fail(in->err, VB_USAGE, "reading the screen is not available here");
	if (in->t->read_text(in->t->ctx, region, &t, in->err) < 0)
		return -1;
	t = mask_secrets(in, t);
	if (in->t->note)
		in->t->note(in->t->ctx, "read", source_where(pos, where, sizeof(where)), t);
	*text = t;
	return 0;
}

void interp_note_retry(struct interp *in, struct src_pos pos, int done, int total)
{
	char where[300];

	log_msg(LOG_INFO, "%s: try %d of %d failed (%s); trying again",
		source_where(pos, where, sizeof(where)), done, total, in->err->message);
}

void interp_step(struct interp *in, const char *name, int begin, struct src_pos pos)
{
	char where[300];

	if (begin)
		log_msg(LOG_INFO, "step: %s", name);
	else
		log_msg(LOG_VERBOSE, "step done: %s", name);
	if (in->t->note)
		in->t->note(in->t->ctx, begin ? "step" : "step-end",
			    source_where(pos, where, sizeof(where)), name);
}

int interp_block(struct interp *in, const struct ast_block *b)
{
	size_t i;

	if (++in->depth > 64) {
		in->depth--;
		return vb_fail(in->err, VB_USAGE, "blocks nested too deep");
	}
	for (i = 0; i < b->count; i++) {
		const struct ast_stmt *st = &b->items[i];

		if (check_interrupted(in) < 0)
			goto fail;
		if (log_get_level() >= LOG_VERBOSE || in->t->note) {
			struct strbuf line = { 0 };
			char where[300];

			stmt_describe(st, &in->vars, &line);
			source_where(st->pos, where, sizeof(where));
			log_msg(LOG_VERBOSE, "%s: %s", where, line.p);
			if (in->t->note)
				in->t->note(in->t->ctx, "statement", where, line.p);
			free(line.p);
		}
		if (st->def->impl->sends_input && in->t->mark)
			in->t->mark(in->t->ctx);
		in->pos = st->pos;
		if (st->def->impl->exec(in, st) < 0)
			goto fail;
	}
	in->depth--;
	return 0;
fail:
	in->depth--;
	return -1;
}

struct interp *interp_new(const struct vars *defines, const struct vars *secrets,
			  const struct interp_target *target)
{
	struct interp *in = xcalloc(1, sizeof(*in));

	in->t = target;
	in->secrets = secrets;
	vars_copy(&in->vars, defines);
	return in;
}

int interp_exec(struct interp *in, const struct script *script, struct vb_error *err)
{
	int rc;

	in->err = err;
	in->depth = 0;
	rc = interp_block(in, &script->top);
	in->err = NULL;
	return rc;
}

const struct vars *interp_vars(const struct interp *in)
{
	return &in->vars;
}

void interp_free(struct interp *in)
{
	if (!in)
		return;
	vars_clear(&in->vars);
	free(in);
}

int script_run(const struct script *script, const struct vars *defines,
	       const struct vars *secrets, const struct interp_target *target,
	       struct vb_error *err)
{
	struct interp *in = interp_new(defines, secrets, target);
	int rc = interp_exec(in, script, err);

	interp_free(in);
	return rc;
}

/* ---- before the run: the plan and the files the script writes ---- */

/* A plan line: the statement as it reads with what is known of the
 * variables there, indented by its blocks. */
static int plan_visit(struct walk *w, const struct ast_stmt *st)
{
	struct strbuf line = { 0 };
	char where[300];

	stmt_describe(st, &w->known, &line);
	fprintf(w->ctx, "%-24s %*s%s\n", source_where(st->pos, where, sizeof(where)),
		w->depth * 2, "", line.p);
	free(line.p);
	return 0;
}

/* A block written after a keyword (else) gets a line of its own. */
static void plan_enter(struct walk *w, const struct ast_stmt *st, const struct stmt_arg *arg,
		       const struct ast_block *b)
{
	char where[300];

	(void)st;
	if (!(arg->flags & ARG_KEYWORD))
		return;
	fprintf(w->ctx, "%-24s %*s%s\n", source_where(b->pos, where, sizeof(where)),
		w->depth * 2, "", arg->keyword);
}

void script_plan(const struct script *script, const struct vars *defines,
		 FILE *out)
{
	struct walk w = { .visit = plan_visit, .enter = plan_enter, .ctx = out };

	walk_script(&w, &script->top, defines);
}

/* Each file a statement writes (ARG_WRITTEN) whose name is known here. */
static int outputs_visit(struct walk *w, const struct ast_stmt *st)
{
	struct vb_error *err = w->ctx;
	size_t i;

	for (i = 0; i < st->form->nargs; i++) {
		const struct stmt_arg *a = &st->form->args[i];
		char *path;
		int rc;

		if (!(a->flags & ARG_WRITTEN) || !stmt_given(st, i))
			continue;
		path = walk_value(w, stmt_field(st, a));
		rc = path ? files_check_target(path, st->def->name, err) : 0;
		free(path);
		if (rc < 0) {
			char msg[sizeof(err->message)], hint[sizeof(err->hint)];

			/* The same error, pointing at the statement. */
			snprintf(msg, sizeof(msg), "%s", err->message);
			snprintf(hint, sizeof(hint), "%s", err->hint);
			source_error(err, st->pos, "%s", msg);
			snprintf(err->hint, sizeof(err->hint), "%s", hint);
			return -1;
		}
	}
	return 0;
}

int script_check_outputs(const struct script *script, const struct vars *defines,
			 struct vb_error *err)
{
	struct walk w = { .visit = outputs_visit, .ctx = err };

	return walk_script(&w, &script->top, defines) ? -1 : 0;
}

static int block_uses_changed(const struct ast_block *b)
{
	size_t i, k;

	for (i = 0; i < b->count; i++) {
		const struct ast_stmt *st = &b->items[i];

		for (k = 0; st->form && k < st->form->nargs; k++) {
			const struct stmt_arg *a = &st->form->args[k];
			const void *field = (const char *)st->args + a->offset;

			if (a->kind == ARG_CONDITION &&
			    ((const struct ast_cond *)field)->cond.kind == COND_CHANGED)
				return 1;
			if (a->kind == ARG_BLOCK && block_uses_changed(field))
				return 1;
		}
	}
	return 0;
}

int script_uses_changed(const struct script *script)
{
	return block_uses_changed(&script->top);
}
