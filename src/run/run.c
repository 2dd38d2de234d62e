/* run.c: one run on one console (run.h). Owns the session, the evidence and
 * the interpreter; the interpreter reaches the console through an adapter
 * that also keeps the evidence (a picture after each step, the secret spans
 * of --record-blank-secrets). What the session does is session.c's; what a
 * statement means is the script layer's. */
#include "run/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ocr/ocr.h"
#include "record/record.h"
#include "run/connect_command.h"
#include "session/session.h"
#include "url/url.h"
#include "util/files.h"
#include "util/log.h"
#include "util/secmem.h"
#include "util/xalloc.h"
#include "version.h"

struct run {
	struct run_options o;
	struct run_console console; /* the session's (console.target.ctx = s), or a test's */
	struct session *s;          /* the live session, when run_new connected it */
	int connected_once;
	struct record *rec;         /* --record, or NULL */
	struct interp *in;          /* created at the first run_exec */
	struct interp_target target; /* the adapter the interpreter calls */
	char shown[320];            /* the console as logs show it */
	char open_step[256];        /* a step begun and not yet ended */
	int hiding;                 /* --record-blank-secrets: a secret's span is open */
	int marks;                  /* a piece run so far waits for `changed` */
	struct ocr_engine *ocr;     /* loaded by the first text statement, or NULL */
};

/* ---- the live session as a console ---- */

static int s_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	return session_key(ctx, keysym, down, err);
}

static int s_pause(void *ctx, long ms, struct vb_error *err)
{
	return session_pause(ctx, ms, err);
}

static int s_capture(void *ctx, const char *path, const struct screen_region *region,
		     struct vb_error *err)
{
	return session_capture(ctx, path, region, err);
}

static int s_wait_screen(void *ctx, const struct screen_cond *cond, long timeout_ms, int *met,
			 struct screen_watch *w, struct vb_error *err)
{
	return session_wait_screen(ctx, cond, timeout_ms, met, w, err);
}

static int s_pointer(void *ctx, int x, int y, int buttons, struct vb_error *err)
{
	return session_pointer(ctx, x, y, buttons, err);
}

static void s_mark(void *ctx)
{
	session_mark(ctx);
}

static int s_us_keymap(void *ctx)
{
	return session_is_qemu(ctx);
}

static int s_snapshot(void *ctx, struct screen_image *img, struct vb_error *err)
{
	return session_snapshot(ctx, img, err);
}

static void s_blank_begin(void *ctx)
{
	session_blank_begin(ctx);
}

static int s_blank_end(void *ctx, struct vb_error *err)
{
	return session_blank_end(ctx, err);
}

static void s_close(void *ctx)
{
	session_close(ctx);
}

static struct run_console session_console(struct session *s)
{
	return (struct run_console){
		.target = {
			.ctx = s,
			.key = s_key, .pause = s_pause, .capture = s_capture,
			.wait_screen = s_wait_screen, .pointer = s_pointer,
			.mark = s_mark, .us_keymap = s_us_keymap,
		},
		.snapshot = s_snapshot,
		.blank_begin = s_blank_begin,
		.blank_end = s_blank_end,
		.close = s_close,
	};
}

/* ---- the adapter: the console, plus the evidence ---- */

static void *console_ctx(struct run *r)
{
	return r->console.target.ctx;
}

static int a_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	struct run *r = ctx;

	return r->console.target.key(console_ctx(r), keysym, down, err);
}

static int a_pause(void *ctx, long ms, struct vb_error *err)
{
	struct run *r = ctx;

	return r->console.target.pause(console_ctx(r), ms, err);
}

static int a_capture(void *ctx, const char *path, const struct screen_region *region,
		     struct vb_error *err)
{
	struct run *r = ctx;

	return r->console.target.capture(console_ctx(r), path, region, err);
}

/* The OCR engine, loaded once per run the first time text is wanted: a
 * script without text never pays for Tesseract. */
static struct ocr_engine *run_ocr(struct run *r, struct vb_error *err)
{
	if (!r->ocr)
		r->ocr = ocr_new(err);
	return r->ocr;
}

static int a_wait_screen(void *ctx, const struct screen_cond *cond, long timeout_ms, int *met,
			 struct screen_watch *w, struct vb_error *err)
{
	struct run *r = ctx;
	struct screen_cond text;

	if (cond->kind == COND_TEXT) { /* the run lends its engine for the wait */
		text = *cond;
		if (!(text.ocr = run_ocr(r, err)))
			return -1;
		cond = &text;
	}
	return r->console.target.wait_screen(console_ctx(r), cond, timeout_ms, met, w, err);
}

int run_read_text(struct run *r, const struct screen_region *region,
		  const struct ocr_result **out, struct vb_error *err)
{
	struct screen_image img;
	struct screen_region whole = { 0, 0, 0, 0 };

	if (!r->console.target.key && run_connect(r, err) < 0)
		return -1;
	if (!run_ocr(r, err))
		return -1;
	if (!r->console.snapshot)
		return vb_fail(err, VB_USAGE, "this console cannot show its screen to OCR");
	if (r->console.snapshot(console_ctx(r), &img, err) < 0)
		return -1;
	return ocr_read(r->ocr, &img, region && region->w ? *region : whole, out, NULL, err);
}

static int a_read_text(void *ctx, const struct screen_region *region, char **text,
		       struct vb_error *err)
{
	struct run *r = ctx;
	const struct ocr_result *res;

	if (run_read_text(r, region, &res, err) < 0)
		return -1;
	*text = ocr_result_text(res);
	return 0;
}

static int a_pointer(void *ctx, int x, int y, int buttons, struct vb_error *err)
{
	struct run *r = ctx;

	return r->console.target.pointer(console_ctx(r), x, y, buttons, err);
}

static void a_mark(void *ctx)
{
	struct run *r = ctx;

	/* A copy of the whole screen, kept only for a script that compares
	 * with it (expect changed): the rest save a framebuffer's memory. */
	if (r->marks && r->console.target.mark)
		r->console.target.mark(console_ctx(r));
}

static int a_us_keymap(void *ctx)
{
	struct run *r = ctx;

	return r->console.target.us_keymap && r->console.target.us_keymap(console_ctx(r));
}

static int a_interrupted(void *ctx)
{
	struct run *r = ctx;

	return r->o.interrupt && *r->o.interrupt;
}

/* A picture of the screen for the evidence; a failure only warns. While a
 * secret's span is open, an event takes the picture's place. */
static void record_picture(struct run *r, const char *label)
{
	struct screen_image img;
	struct vb_error err;

	if (!r->rec || !r->connected_once || !r->console.snapshot)
		return;
	if (r->hiding) {
		record_event(r->rec, "screenshot-hidden", "label", label, "text",
			     "screen hidden: a secret was being typed", (const char *)NULL);
		return;
	}
	if (r->console.snapshot(console_ctx(r), &img, &err) < 0) {
		log_msg(LOG_WARN, "--record: no picture for '%s': %s", label, err.message);
		return;
	}
	record_screenshot(r->rec, &img, label);
}

/* --record-blank-secrets: the evidence shows the screen again (the capture
 * from a whole screen the console sends after the span). */
static int end_hiding(struct run *r, struct vb_error *err)
{
	if (!r->hiding)
		return 0;
	r->hiding = 0;
	return r->console.blank_end ? r->console.blank_end(console_ctx(r), err) : 0;
}

/* A secret's span opens when its typing starts and closes once the Enter
 * after it was sent (or its step ends: a_note). */
static int a_secret(void *ctx, enum interp_secret_event event, struct vb_error *err)
{
	struct run *r = ctx;

	if (event == INTERP_SECRET_ENTER)
		return end_hiding(r, err);
	if (!r->hiding) {
		if (r->console.blank_begin)
			r->console.blank_begin(console_ctx(r));
		r->hiding = 1;
	}
	return 0;
}

/* A step's end closes a secret's span that no Enter closed, after the
 * step's picture (taken hidden). A failure here is the link's, which the
 * next statement meets. */
static void end_hiding_at_step_end(struct run *r)
{
	struct vb_error err;

	if (end_hiding(r, &err) < 0)
		log_msg(LOG_VERBOSE, "--record-blank-secrets: %s", err.message);
}

static void a_note(void *ctx, const char *event, const char *where, const char *text)
{
	struct run *r = ctx;
	char label[300];

	if (strcmp(event, "step") == 0 && r->open_step[0]) {
		/* A step without a block ends where the next one begins. */
		snprintf(label, sizeof(label), "after step: %s", r->open_step);
		record_picture(r, label);
		end_hiding_at_step_end(r);
	}
	record_event(r->rec, event, "where", where,
		     strcmp(event, "statement") && strcmp(event, "read") ? "name" : "text", text,
		     (const char *)NULL);
	if (strcmp(event, "step") == 0)
		result_step_begin(r->o.result, text, log_elapsed());
	if (strcmp(event, "step-end") == 0)
		result_step_end(r->o.result, "ok", log_elapsed());
	if (strcmp(event, "step") == 0)
		snprintf(r->open_step, sizeof(r->open_step), "%s", text);
	if (strcmp(event, "step-end") == 0) {
		snprintf(label, sizeof(label), "after step: %s", text);
		record_picture(r, label);
		end_hiding_at_step_end(r);
		r->open_step[0] = '\0';
	}
}

/* ---- a run ---- */

static struct run *run_alloc(const struct run_options *o, struct vb_error *err)
{
	struct run *r = xcalloc(1, sizeof(*r));

	r->o = *o;
	r->target = (struct interp_target){
		.ctx = r,
		.key = a_key, .pause = a_pause, .capture = a_capture,
		.wait_screen = a_wait_screen, .pointer = a_pointer, .mark = a_mark,
		.us_keymap = a_us_keymap, .interrupted = a_interrupted,
		.read_text = a_read_text,
	};
	if (o->result) /* the steps */
		r->target.note = a_note;
	if (o->record_dir) {
		r->rec = record_open(o->record_dir, err);
		if (!r->rec) {
			free(r);
			return NULL;
		}
		result_evidence(o->result, o->record_dir);
		r->target.note = a_note;
		if (o->record_blank_secrets)
			r->target.secret = a_secret;
		record_event(r->rec, "start", "script", o->script_name ? o->script_name : "",
			     "vncbot", VNCBOT_VERSION, (const char *)NULL);
	}
	return r;
}

struct run *run_new(const struct run_options *o, struct vb_error *err)
{
	return run_alloc(o, err);
}

struct run *run_new_on(const struct run_options *o, const struct run_console *console,
		       struct vb_error *err)
{
	struct run *r = run_alloc(o, err);

	if (!r)
		return NULL;
	r->console = *console;
	r->connected_once = 1;
	snprintf(r->shown, sizeof(r->shown), "a test console");
	return r;
}

/* --ca-file must be a readable PEM file with a certificate: libwebsockets
 * would only log its failure and then refuse the server as untrusted. */
static int check_ca_file(const char *path, struct vb_error *err)
{
	char line[256];
	int found = 0;
	FILE *f = files_open_read(path, "--ca-file", err);

	if (!f)
		return -1;
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, "-----BEGIN CERTIFICATE-----") != NULL;
	fclose(f);
	if (!found) {
		vb_fail(err, VB_USAGE, "--ca-file '%s' holds no PEM certificate", path);
		return vb_hint(err, "give the CA certificate in PEM form (-----BEGIN CERTIFICATE-----)");
	}
	return 0;
}

/* The address to connect to now: the one given, or a fresh one from
 * --connect-command (into *fetched, secmem, which the caller frees). */
static int resolve_address(const struct run_connection *c, struct url_spec *spec,
			   struct vb_error *err)
{
	char *fetched = NULL;
	int rc;

	if (c->connect_command) {
		log_msg(LOG_VERBOSE, "running --connect-command for a fresh address");
		if (run_connect_command(c->connect_command, c->connect_timeout_ms,
					    &fetched, err) < 0)
			return -1;
	}
	rc = url_parse(fetched ? fetched : c->address, spec, err);
	secmem_free(fetched);
	if (rc < 0 && c->connect_command) {
		err->status = VB_CONNECT; /* found at run time, not a usage error */
		vb_hint(err, "--connect-command printed an address vncbot cannot use");
	}
	return rc;
}

int run_connect(struct run *r, struct vb_error *err)
{
	const struct run_connection *c = &r->o.conn;
	struct url_spec spec;
	struct session_options so = {
		.transport = {
			.connect_timeout_ms = c->connect_timeout_ms,
			.ca_file = c->ca_file,
			.insecure = c->insecure,
			.origin = c->origin,
			.headers = c->headers,
			.nheaders = c->nheaders,
		},
		.connect_timeout_ms = c->connect_timeout_ms,
		.read_timeout_ms = c->read_timeout_ms,
		.pace = c->pace,
		.key_delay_ms = c->key_delay_ms,
		.sync_every = SESSION_SYNC_EVERY,
		.scancodes = c->scancodes,
		.interrupt = r->o.interrupt,
		.stateless_encodings = r->rec && r->o.record_blank_secrets,
	};
	char *password = NULL, capture_path[4200];
	int rc = -1;

	if (r->s) {
		r->console.close(r->s);
		r->s = NULL;
	}
	if (resolve_address(c, &spec, err) < 0)
		return -1;
	url_describe(&spec, r->shown, sizeof(r->shown));
	result_target(r->o.result, r->shown); /* --connect-command's address too */
	if (r->rec)
		so.transport.record_path = record_path(r->rec, "capture.fbs", capture_path,
						       sizeof(capture_path));
	if (spec.kind == URL_TCP && (c->ca_file || c->insecure || c->origin || c->nheaders))
		log_msg(LOG_WARN, "--ca-file, --insecure, --origin and -H apply to ws:// and "
			"wss:// consoles only; ignored for this tcp address");
	if (spec.kind == URL_WSS && c->ca_file && check_ca_file(c->ca_file, err) < 0)
		goto out;
	if (spec.kind == URL_WSS && c->insecure)
		log_msg(LOG_WARN, "--insecure: the console's certificate is not checked; anyone "
			"on the path could read what is typed, passwords included");
	if (c->password && c->password(c->password_ctx, &password, err) < 0)
		goto out;
	so.password = password;
	r->s = session_open(&spec, &so, err);
	secmem_free(password);
	if (r->s) {
		r->console = session_console(r->s);
		r->connected_once = 1;
		record_event(r->rec, "connect", "target", r->shown, (const char *)NULL);
		rc = 0;
	}
out:
	/* The address's query may hold the console's token. */
	explicit_bzero(&spec, sizeof(spec));
	return rc;
}

int run_was_connected(const struct run *r)
{
	return r && r->connected_once;
}

const char *run_target(const struct run *r)
{
	return r->shown;
}

static int ensure_connected(struct run *r, struct vb_error *err)
{
	if (r->console.target.key)
		return 0;
	return run_connect(r, err);
}

int run_exec(struct run *r, const struct script *script, struct vb_error *err)
{
	if (ensure_connected(r, err) < 0)
		return -1;
	/* Only now is it known whether the console types through a US keymap. */
	if (script_check_typing(script, r->o.defines, r->o.secrets, &r->target, err) < 0)
		return -1;
	if (!r->in)
		r->in = interp_new(r->o.defines, r->o.secrets, &r->target);
	r->marks = r->marks || r->o.mark_always || script_uses_changed(script);
	return interp_exec(r->in, script, err);
}

int run_capture(struct run *r, const char *path, struct vb_error *err)
{
	if (ensure_connected(r, err) < 0)
		return -1;
	return r->console.target.capture(console_ctx(r), path, NULL, err);
}

void run_end(struct run *r, int exit_status, const struct vb_error *err)
{
	if (!r)
		return;
	if (r->rec) {
		/* A last picture, unless the console is what failed (or a signal
		 * asks to stop now). */
		if (r->console.target.key && !(r->o.interrupt && *r->o.interrupt) &&
		    (exit_status == 0 || (err && err->status == VB_FAILED))) {
			char label[300];

			snprintf(label, sizeof(label), "%s%s", r->open_step[0] ? "after step: " :
				 exit_status == 0 ? "end of the run" : "where it failed",
				 r->open_step);
			record_picture(r, label);
		}
		record_close(r->rec, exit_status, exit_status == 0 || !err ? "" : err->message);
		log_msg(LOG_INFO, "evidence in %s (report.html)", r->o.record_dir);
	}
	interp_free(r->in);
	ocr_free(r->ocr);
	if (r->console.close)
		r->console.close(console_ctx(r));
	free(r);
}
