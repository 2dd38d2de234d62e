/* main.c: vncbot's entry point. Turns the command line into one of the
 * commands (commands.c's table; the run, check, capture and replay handlers
 * are here), runs it, prints the one error there may be, and maps it to the
 * exit status of DESIGN.md section 3. Signals only set a flag here; the
 * session sees it, stops, and releases held keys before we exit. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "keys/keys.h"
#include "record/record.h"
#include "record/replay.h"
#include "script/script.h"
#include "session/session.h"
#include "url/url.h"
#include "util/files.h"
#include "util/log.h"
#include "util/secmem.h"
#include "version.h"


static volatile sig_atomic_t got_signal;
static int session_opened; /* a console was connected: keys may have been held */

static void on_signal(int sig)
{
	got_signal = sig;
}

/* Only a command that drives a console catches signals, to release held
 * keys first; the others (check, replay) stop at once, as any program. */
static void install_signals(int drives_console)
{
	struct sigaction sa = { .sa_handler = on_signal };

	signal(SIGPIPE, SIG_IGN);
	if (!drives_console)
		return;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: a blocking wait returns EINTR and sees the flag. */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Ctrl-\: a stop like Ctrl-C, not a core dump with keys left held. */
	sigaction(SIGQUIT, &sa, NULL);
}

/* The interpreter's view of a live session, and the evidence of the run. */
struct run {
	struct session *s;
	struct record *rec;    /* --record, or NULL */
	char open_step[256];   /* a step begun and not yet ended */
	int hiding;            /* --record-blank-secrets: a secret's span is open */
};

static int target_key(void *ctx, uint32_t keysym, int down, struct vb_error *err)
{
	return session_key(((struct run *)ctx)->s, keysym, down, err);
}

static int target_pause(void *ctx, long ms, struct vb_error *err)
{
	return session_pause(((struct run *)ctx)->s, ms, err);
}

static int target_capture(void *ctx, const char *path, const struct screen_region *region,
			  struct vb_error *err)
{
	return session_capture(((struct run *)ctx)->s, path, region, err);
}

static int target_wait_screen(void *ctx, const struct screen_cond *cond, long timeout_ms,
			      int *met, struct screen_watch *w, struct vb_error *err)
{
	return session_wait_screen(((struct run *)ctx)->s, cond, timeout_ms, met, w, err);
}

static int target_pointer(void *ctx, int x, int y, int buttons, struct vb_error *err)
{
	return session_pointer(((struct run *)ctx)->s, x, y, buttons, err);
}

static void target_mark(void *ctx)
{
	session_mark(((struct run *)ctx)->s);
}

static int target_us_keymap(void *ctx)
{
	return session_is_qemu(((struct run *)ctx)->s);
}

static int target_interrupted(void *ctx)
{
	(void)ctx;
	return got_signal != 0;
}

/* A picture of the screen for the evidence; a failure only warns. While a
 * secret's span is open, an event takes the picture's place. */
static void record_picture(struct run *run, const char *label)
{
	struct screen_image img;
	struct vb_error err;

	if (!run->rec || !run->s)
		return;
	if (run->hiding) {
		record_event(run->rec, "screenshot-hidden", "label", label, "text",
			     "screen hidden: a secret was being typed", (const char *)NULL);
		return;
	}
	if (session_snapshot(run->s, &img, &err) < 0) {
		log_msg(LOG_WARN, "--record: no picture for '%s': %s", label, err.message);
		return;
	}
	record_screenshot(run->rec, &img, label);
}

/* --record-blank-secrets: the evidence shows the screen again (the capture
 * from a whole screen the console sends after the span). */
static int end_hiding(struct run *run, struct vb_error *err)
{
	if (!run->hiding)
		return 0;
	run->hiding = 0;
	return session_blank_end(run->s, err);
}

/* A secret's span opens when its typing starts and closes once the Enter
 * after it was sent (or its step ends: target_note). */
static int target_secret(void *ctx, enum interp_secret_event event, struct vb_error *err)
{
	struct run *run = ctx;

	if (event == INTERP_SECRET_ENTER)
		return end_hiding(run, err);
	if (!run->hiding) {
		session_blank_begin(run->s);
		run->hiding = 1;
	}
	return 0;
}

/* A step's end closes a secret's span that no Enter closed, after the
 * step's picture (taken hidden). A failure here is the link's, which the
 * next statement meets. */
static void end_hiding_at_step_end(struct run *run)
{
	struct vb_error err;

	if (end_hiding(run, &err) < 0)
		log_msg(LOG_VERBOSE, "--record-blank-secrets: %s", err.message);
}

static void target_note(void *ctx, const char *event, const char *where, const char *text)
{
	struct run *run = ctx;
	char label[300];

	if (strcmp(event, "step") == 0 && run->open_step[0]) {
		/* A step without a block ends where the next one begins. */
		snprintf(label, sizeof(label), "after step: %s", run->open_step);
		record_picture(run, label);
		end_hiding_at_step_end(run);
	}
	record_event(run->rec, event, "where", where,
		     strcmp(event, "statement") ? "name" : "text", text, (const char *)NULL);
	if (strcmp(event, "step") == 0)
		snprintf(run->open_step, sizeof(run->open_step), "%s", text);
	if (strcmp(event, "step-end") == 0) {
		snprintf(label, sizeof(label), "after step: %s", text);
		record_picture(run, label);
		end_hiding_at_step_end(run);
		run->open_step[0] = '\0';
	}
}

/* The exit status a failed command ends with. */
static int exit_status_of(const struct vb_error *err)
{
	if (got_signal)
		return 128 + got_signal;
	return err->status ? (int)err->status : VB_FAILED;
}

static int load_script(const struct cli_opts *o, int require_secrets,
		       struct script **script, struct vb_error *err)
{
	struct script_env env = { .defines = &o->defines,
				  .secrets = &o->secret_sources,
				  .secrets_required = require_secrets };
	struct source *src;

	if (o->inline_script)
		src = source_from_string("<-e>", o->inline_script);
	else
		src = source_read(o->file, err);
	if (!src)
		return -1;
	return script_parse(src, &env, script, err);
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

static int open_session(const struct cli_opts *o, struct record *rec, struct session **s,
			char *desc, size_t descsize, struct vb_error *err)
{
	struct url_spec spec;
	struct session_options so = {
		.transport = {
			.connect_timeout_ms = o->connect_timeout_ms,
			.ca_file = o->ca_file,
			.insecure = o->insecure,
			.origin = o->origin,
			.headers = o->headers,
			.nheaders = o->nheaders,
		},
		.connect_timeout_ms = o->connect_timeout_ms,
		.read_timeout_ms = o->read_timeout_ms,
		.pace = o->pace,
		.key_delay_ms = o->key_delay_ms,
		.sync_every = SESSION_SYNC_EVERY,
		.scancodes = o->scancodes,
		.interrupt = &got_signal,
		.stateless_encodings = rec && o->record_blank_secrets,
	};
	char *password = NULL, *fetched = NULL, capture_path[4200];
	const char *address = o->connect;
	int rc;

	if (o->connect_command) {
		log_msg(LOG_VERBOSE, "running --connect-command for a fresh address");
		if (cli_run_connect_command(o->connect_command, o->connect_timeout_ms,
					    &fetched, err) < 0)
			return -1;
		address = fetched;
	}
	rc = url_parse(address, &spec, err);
	secmem_free(fetched);
	if (rc < 0) {
		if (o->connect_command) {
			err->status = VB_CONNECT; /* found at run time, not a usage error */
			vb_hint(err, "--connect-command printed an address vncbot cannot use");
		}
		return -1;
	}
	url_describe(&spec, desc, descsize);
	if (rec)
		so.transport.record_path = record_path(rec, "capture.fbs", capture_path,
						       sizeof(capture_path));
	if (spec.kind == URL_TCP && (o->ca_file || o->insecure || o->origin || o->nheaders))
		log_msg(LOG_WARN, "--ca-file, --insecure, --origin and -H apply to ws:// and "
			"wss:// consoles only; ignored for this tcp address");
	if (spec.kind == URL_WSS && o->ca_file && check_ca_file(o->ca_file, err) < 0)
		return -1;
	if (spec.kind == URL_WSS && o->insecure)
		log_msg(LOG_WARN, "--insecure: the console's certificate is not checked; anyone "
			"on the path could read what is typed, passwords included");
	if (cli_read_password(o, &password, err) < 0)
		return -1;
	so.password = password;
	*s = session_open(&spec, &so, err);
	if (*s)
		session_opened = 1;
	secmem_free(password);
	/* The address's query may hold the console's token. */
	explicit_bzero(&spec, sizeof(spec));
	return *s ? 0 : -1;
}

int cmd_run(const struct cli_opts *o, struct vb_error *err)
{
	struct script *script = NULL;
	struct vars secrets = { 0 };
	struct run run = { 0 };
	struct interp_target target = {
		.ctx = &run,
		.key = target_key, .pause = target_pause,
		.capture = target_capture, .wait_screen = target_wait_screen,
		.mark = target_mark, .pointer = target_pointer,
		.interrupted = target_interrupted, .us_keymap = target_us_keymap,
	};
	char desc[320];
	int rc = -1;

	/* Everything that can be checked is checked before connecting. */
	if (load_script(o, 1, &script, err) < 0 || got_signal)
		goto out;
	if (script_check_outputs(script, &o->defines, err) < 0)
		goto out;
	if (cli_read_secrets(o, &secrets, err) < 0)
		goto out;
	if (o->record_dir) {
		run.rec = record_open(o->record_dir, err);
		if (!run.rec)
			goto out;
		target.note = target_note;
		if (o->record_blank_secrets)
			target.secret = target_secret;
		record_event(run.rec, "start", "script", o->inline_script ? "<-e>" : o->file,
			     "vncbot", VNCBOT_VERSION, (const char *)NULL);
	}
	if (open_session(o, run.rec, &run.s, desc, sizeof(desc), err) < 0)
		goto out;
	record_event(run.rec, "connect", "target", desc, (const char *)NULL);
	/* Only now is it known whether the console types through a US keymap. */
	if (script_check_typing(script, &o->defines, &secrets, &target, err) < 0)
		goto out;
	rc = script_run(script, &o->defines, &secrets, &target, err);
	if (rc == 0)
		log_msg(LOG_INFO, "done in %.1fs", log_elapsed());
out:
	if (run.rec) {
		if (run.s && !got_signal && (rc == 0 || err->status == VB_FAILED)) {
			char label[300];

			snprintf(label, sizeof(label), "%s%s", run.open_step[0] ? "after step: " :
				 rc == 0 ? "end of the run" : "where it failed", run.open_step);
			record_picture(&run, label);
		}
		record_close(run.rec, rc == 0 ? 0 : exit_status_of(err),
			     rc == 0 ? "" : err->message);
		log_msg(LOG_INFO, "evidence in %s (report.html)", o->record_dir);
	}
	session_close(run.s);
	vars_clear(&secrets);
	script_free(script);
	return rc;
}

int cmd_replay(const struct cli_opts *o, struct vb_error *err)
{
	struct replay_options ro = { .outdir = o->replay_out, .every_ms = o->replay_every_ms };
	int frames = 0;

	if (replay_capture(o->file, &ro, &frames, err) < 0) {
		if (frames)
			log_msg(LOG_WARN, "%d frame%s written before the error", frames,
				frames == 1 ? "" : "s");
		return -1;
	}
	log_msg(LOG_INFO, "%d frame%s written to %s", frames, frames == 1 ? "" : "s",
		o->replay_out);
	return 0;
}

int cmd_check(const struct cli_opts *o, struct vb_error *err)
{
	struct script *script;
	const char *names[32];
	size_t n, i;

	if (load_script(o, 0, &script, err) < 0)
		return -1;
	script_plan(script, &o->defines, stdout);
	script_layout_report(script, &o->defines, stdout);
	n = script_secrets(script, names, 32);
	if (n) {
		printf("secrets needed:");
		for (i = 0; i < n && i < 32; i++)
			printf(" %s", names[i]);
		printf("  (give each with --secret NAME=env:VAR|file:PATH|prompt)\n");
	}
	script_free(script);
	return 0;
}

int cmd_capture(const struct cli_opts *o, struct vb_error *err)
{
	char desc[320];
	struct session *s;
	int rc;

	/* A file that cannot be written is found before connecting. */
	if (files_check_target(o->file, "screenshot", err) < 0)
		return -1;
	if (open_session(o, NULL, &s, desc, sizeof(desc), err) < 0)
		return -1;
	rc = session_capture(s, o->file, NULL, err);
	if (rc == 0)
		log_msg(LOG_INFO, "saved %s", o->file);
	session_close(s);
	return rc;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	struct vb_error err;
	int rc = 0;
	/* Before any secret is read: a crash must not leave one in a core file. */
	int dumps_off = secmem_disable_core_dumps();
	int dumps_errno = errno;

	log_start();
	vb_error_clear(&err);
	if (cli_parse(argc, argv, &o, &err) < 0) {
		cli_print_error(&err);
		cli_opts_free(&o);
		return VB_USAGE;
	}
	install_signals((o.command->flags & CLI_CONSOLE) != 0);
	log_set_level(o.verbosity < 0 ? LOG_ERROR :
		      o.verbosity == 0 ? LOG_INFO :
		      o.verbosity == 1 ? LOG_VERBOSE : LOG_DEBUG);
	log_set_json(o.json_log);
	if (dumps_off < 0)
		log_msg(LOG_WARN, "core dumps could not be turned off (%s): a crash could leave "
			"secrets in a core file", strerror(dumps_errno));
	if (!o.command->run) /* a table line whose handler this build lacks */
		rc = vb_fail(&err, VB_USAGE, "'%s' is not available in this build", o.command->name);
	else
		rc = o.command->run(&o, &err);
	cli_opts_free(&o);
	if (rc < 0) {
		if (got_signal) {
			fprintf(stderr, "vncbot: stopped by signal %d (%s)%s\n", (int)got_signal,
				strsignal(got_signal),
				session_opened ? "; held keys were released" : "");
			return 128 + got_signal;
		}
		cli_print_error(&err);
		return exit_status_of(&err);
	}
	if (fflush(stdout) != 0)
		return VB_FAILED;
	return 0;
}
