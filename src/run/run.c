/* run.c: one run on one console (run.h). Owns the session, the evidence and
 * the interpreter; the interpreter reaches the console through an adapter
 * that also keeps the evidence (a picture after each step, the secret spans
 * of --record-blank-secrets). What the session does is session.c's; what a
 * statement means is the script layer's. */
#include "run/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ocr/ocr.h"
#include "record/record.h"
#include "run/connect_command.h"
#include "session/session.h"
#include "url/url.h"
#include "util/clock.h"
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
	int connections;            /* made so far: capture.fbs, capture-2.fbs... */
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

static int a_interrupted(void *ctx)
{
	struct run *r = ctx;

	return r->o.interrupt && *r->o.interrupt;
}

/* Between expect disconnect and reconnect there is no console: anything
 * that needs one says so rather than reach a closed session. */
static int no_console(struct run *r, const char *doing, struct vb_error *err)
{
	if (r->console.target.key)
		return 0;
	vb_fail(err, VB_CONNECT, "cannot %s: the console went away (expect disconnect) and "
		"is not connected again", doing);
	return vb_hint(err, "put 'reconnect' after 'expect disconnect' (or in the block of 'if disconnect')");
}

/* Close the console (releasing held keys) and leave the run without one
 * until it connects again. */
static void drop_console(struct run *r)
{
	r->console.close(console_ctx(r));
	r->s = NULL;
	r->console = (struct run_console){ 0 };
}

/* Let ms pass with no console to service; an interrupt ends it within 50 ms. */
static int nap(struct run *r, long ms, struct vb_error *err)
{
	long long end = clock_now_ms() + ms;

	for (;;) {
		long long left = end - clock_now_ms();
		struct timespec ts = { 0, 0 };

		if (a_interrupted(r))
			return vb_fail(err, VB_FAILED, "interrupted");
		if (left <= 0)
			return 0;
		ts.tv_nsec = (left > 50 ? 50 : left) * 1000000L;
		nanosleep(&ts, NULL);
	}
}

static int a_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	struct run *r = ctx;

	if (no_console(r, "send keys", err) < 0)
		return -1;
	return r->console.target.key(console_ctx(r), keysym, down, err);
}

static int a_pause(void *ctx, long ms, struct vb_error *err)
{
	struct run *r = ctx;

	if (!r->console.target.pause) /* a console restarting: only time passes */
		return nap(r, ms, err);
	return r->console.target.pause(console_ctx(r), ms, err);
}

static int a_capture(void *ctx, const char *path, const struct screen_region *region,
		     struct vb_error *err)
{
	struct run *r = ctx;

	if (no_console(r, "capture the screen", err) < 0)
		return -1;
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

	if (no_console(r, "watch the screen", err) < 0)
		return -1;
	if (cond->kind == COND_TEXT) { /* the run lends its engine for the wait */
		int rc;

		text = *cond;
		if (!(text.ocr = run_ocr(r, err)))
			return -1;
		ocr_set_deadline(text.ocr, clock_now_ms() + timeout_ms);
		rc = r->console.target.wait_screen(console_ctx(r), &text, timeout_ms, met, w, err);
		ocr_set_deadline(text.ocr, 0);
		return rc;
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

	if (no_console(r, "read the screen", err) < 0)
		return -1;
	if (run_read_text(r, region, &res, err) < 0)
		return -1;
	*text = ocr_result_text(res);
	return 0;
}

static int a_pointer(void *ctx, int x, int y, int buttons, struct vb_error *err)
{
	struct run *r = ctx;

	if (no_console(r, "move the pointer", err) < 0)
		return -1;
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
		     strcmp(event, "statement") && strcmp(event, "read") && strcmp(event, "check") ?
		     "name" : "text", text,
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

static int a_wait_disconnect(void *ctx, long timeout_ms, int *gone, struct vb_error *err);
static int a_reconnect(void *ctx, long timeout_ms, struct vb_error *err);

static struct run *run_alloc(const struct run_options *o, struct vb_error *err)
{
	struct run *r = xcalloc(1, sizeof(*r));

	r->o = *o;
	r->target = (struct interp_target){
		.ctx = r,
		.key = a_key, .pause = a_pause, .capture = a_capture,
		.wait_screen = a_wait_screen, .pointer = a_pointer, .mark = a_mark,
		.us_keymap = a_us_keymap, .interrupted = a_interrupted,
		.wait_disconnect = a_wait_disconnect, .reconnect = a_reconnect,
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
		char date[32];
		time_t now = time(NULL);
		struct tm tm;

		strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
		record_event(r->rec, "start", "script", o->script_name ? o->script_name : "",
			     "vncbot", VNCBOT_VERSION, "date", date, (const char *)NULL);
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
			   long timeout_ms, struct vb_error *err)
{
	char *fetched = NULL;
	int rc;

	if (c->connect_command) {
		log_msg(LOG_VERBOSE, "running --connect-command for a fresh address");
		if (run_connect_command(c->connect_command, timeout_ms,
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

/* Connect, all of it (--connect-command included) within timeout_ms. */
static int connect_within(struct run *r, long timeout_ms, struct vb_error *err)
{
	const struct run_connection *c = &r->o.conn;
	struct url_spec spec;
	struct session_options so = {
		.transport = {
			.connect_timeout_ms = timeout_ms,
			.ca_file = c->ca_file,
			.insecure = c->insecure,
			.origin = c->origin,
			.headers = c->headers,
			.nheaders = c->nheaders,
		},
		.connect_timeout_ms = timeout_ms,
		.read_timeout_ms = c->read_timeout_ms,
		.pace = c->pace,
		.key_delay_ms = c->key_delay_ms,
		.sync_every = SESSION_SYNC_EVERY,
		.scancodes = c->scancodes,
		.interrupt = r->o.interrupt,
		.stateless_encodings = r->rec && r->o.record_blank_secrets,
	};
	char *password = NULL, capture_path[4200], capture_name[40];
	int rc = -1, capture_existed;

	if (r->s)
		drop_console(r);
	if (resolve_address(c, &spec, timeout_ms, err) < 0)
		return -1;
	url_describe(&spec, r->shown, sizeof(r->shown));
	result_target(r->o.result, r->shown); /* --connect-command's address too */
	/* Each connection's stream is a capture of its own: a console that
	 * came back after a restart starts a new RFB stream. */
	if (r->connections == 0)
		snprintf(capture_name, sizeof(capture_name), "capture.fbs");
	else
		snprintf(capture_name, sizeof(capture_name), "capture-%d.fbs", r->connections + 1);
	if (r->rec)
		so.transport.record_path = record_path(r->rec, capture_name, capture_path,
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
	capture_existed = so.transport.record_path && access(capture_path, F_OK) == 0;
	r->s = session_open(&spec, &so, err);
	secmem_free(password);
	/* A try that did not connect leaves no capture: the next try (reconnect)
	 * makes the same one. */
	if (!r->s && so.transport.record_path && !capture_existed)
		unlink(capture_path);
	if (r->s) {
		r->console = session_console(r->s);
		r->connected_once = 1;
		r->connections++;
		record_event(r->rec, "connect", "target", r->shown, "capture", capture_name,
			     (const char *)NULL);
		rc = 0;
	}
out:
	/* The address's query may hold the console's token. */
	explicit_bzero(&spec, sizeof(spec));
	return rc;
}

int run_connect(struct run *r, struct vb_error *err)
{
	return connect_within(r, r->o.conn.connect_timeout_ms, err);
}

/* ---- a console that goes away on purpose, and comes back ---- */

static int a_wait_disconnect(void *ctx, long timeout_ms, int *gone, struct vb_error *err)
{
	struct run *r = ctx;
	int rc;

	*gone = 0;
	if (r->connected_once && !r->console.target.key) { /* gone already */
		*gone = 1;
		return 0;
	}
	if (no_console(r, "wait for the console to go", err) < 0)
		return -1;
	if (!r->s) /* a test's console: it cannot go */
		return vb_fail(err, VB_USAGE, "expect disconnect needs a live console");
	rc = session_wait_disconnect(r->s, timeout_ms, err);
	if (rc < 0)
		return -1;
	if (rc == 1)
		return 0;
	*gone = 1;
	log_msg(LOG_INFO, "the console went away, as expected (%s)", r->shown);
	record_event(r->rec, "disconnect", "target", r->shown, "expected", "yes",
		     (const char *)NULL);
	drop_console(r); /* its keys were released before the drop */
	return 0;
}

/* How long to let a console that refused us be before the next try. */
#define RECONNECT_PAUSE_MS 1000
/* A line of progress at most this often while it is not back. */
#define RECONNECT_REPORT_MS 15000

static int a_reconnect(void *ctx, long timeout_ms, struct vb_error *err)
{
	struct run *r = ctx;
	long long start = clock_now_ms(), deadline = start + timeout_ms, reported = start;
	struct vb_error last = { 0 };
	int tries = 0;
	char text[80];

	if (r->s) /* still there: a reconnect is a drop and a connect */
		drop_console(r);
	for (;;) {
		long long left = deadline - clock_now_ms();
		long within = r->o.conn.connect_timeout_ms;

		if (a_interrupted(r))
			return vb_fail(err, VB_FAILED, "interrupted");
		if (left <= 0)
			break;
		if (within > left)
			within = (long)left;
		tries++;
		if (connect_within(r, within, &last) == 0) {
			snprintf(text, sizeof(text), "%d", tries);
			log_msg(LOG_INFO, "the console is back after %.1fs (%d tr%s): %s",
				(clock_now_ms() - start) / 1000.0, tries, tries == 1 ? "y" : "ies",
				r->shown);
			record_event(r->rec, "reconnect", "target", r->shown, "tries", text,
				     (const char *)NULL);
			return 0;
		}
		if (last.status != VB_CONNECT) { /* not the console's answer: ours */
			*err = last;
			return -1;
		}
		log_msg(LOG_VERBOSE, "reconnect: try %d: %s", tries, last.message);
		if (clock_now_ms() - reported >= RECONNECT_REPORT_MS) {
			reported = clock_now_ms();
			log_msg(LOG_INFO, "the console is not back yet after %.0fs (%s)",
				(reported - start) / 1000.0, last.message);
		}
		left = deadline - clock_now_ms();
		if (left > 0 && nap(r, left < RECONNECT_PAUSE_MS ? (long)left : RECONNECT_PAUSE_MS,
				    err) < 0)
			return -1;
	}
	vb_fail(err, VB_CONNECT, "the console did not come back within %.3gs (%d tr%s)",
		timeout_ms / 1000.0, tries, tries == 1 ? "y" : "ies");
	if (tries)
		vb_hint(err, "the last try said: %s", last.message);
	return -1;
}

int run_was_connected(const struct run *r)
{
	return r && r->connected_once;
}

const char *run_target(const struct run *r)
{
	return r->shown;
}

void run_disconnect(struct run *r)
{
	if (!r || !r->console.close)
		return;
	log_msg(LOG_INFO, "disconnecting from %s; held keys are released", r->shown);
	record_event(r->rec, "disconnect", "target", r->shown, "expected", "yes",
		     (const char *)NULL);
	drop_console(r);
}

void run_set_address(struct run *r, const char *address)
{
	r->o.conn.address = address;
	r->o.conn.connect_command = NULL;
}

int run_is_connected(const struct run *r)
{
	return r && r->console.target.key != NULL;
}

const struct vars *run_vars(const struct run *r)
{
	return r && r->in ? interp_vars(r->in) : NULL;
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
