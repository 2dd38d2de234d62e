/* main.c: vncbot's entry point, a thin front end. Turns the command line
 * into one of the commands (commands.c's table; the run, check, capture and
 * replay handlers are here), hands the work to the run layer (src/run/),
 * prints the one error there may be, maps it to the exit status of
 * DESIGN.md section 3, and writes the --result object (record/result.h) on
 * every way out. Signals only set a flag here; the run sees it, stops, and
 * releases held keys before we exit. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "mcp/mcp.h"
#include "ocr/ocr.h"
#include "record/replay.h"
#include "record/result.h"
#include "script/script.h"
#include "run/run.h"
#include "url/url.h"
#include "util/files.h"
#include "util/log.h"
#include "util/secmem.h"
#include "version.h"


static volatile sig_atomic_t got_signal;
static int console_opened; /* a console was connected: keys may have been held */

/* --result: the run's result (record/result.h), made when main starts so
 * that every way out writes it. The run layer adds the target, the steps
 * and the evidence; the functions under "--result" above main do the rest. */
static struct result *run_result;
static int result_stdout = -1; /* --result -: the real stdout, kept for the result */

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

static int read_password(void *ctx, char **password, struct vb_error *err)
{
	return cli_read_password(ctx, password, err);
}

/* What the command line says of a run: the console, the evidence, -D and
 * the secrets. */
static struct run_options run_options_of(const struct cli_opts *o, const struct vars *secrets)
{
	return (struct run_options){
		.conn = {
			.address = o->connect,
			.connect_command = o->connect_command,
			.connect_timeout_ms = o->connect_timeout_ms,
			.read_timeout_ms = o->read_timeout_ms,
			.ca_file = o->ca_file,
			.insecure = o->insecure,
			.origin = o->origin,
			.headers = o->headers,
			.nheaders = o->nheaders,
			.pace = o->pace,
			.key_delay_ms = o->key_delay_ms,
			.scancodes = o->scancodes,
			.password = read_password,
			.password_ctx = (void *)o,
		},
		.record_dir = o->record_dir,
		.record_blank_secrets = o->record_blank_secrets,
		.script_name = o->inline_script ? "<-e>" : o->file,
		.defines = &o->defines,
		.secrets = secrets,
		.interrupt = &got_signal,
		.result = o->result_path ? run_result : NULL,
	};
}

int cmd_run(const struct cli_opts *o, struct vb_error *err)
{
	struct script *script = NULL;
	struct vars secrets = { 0 };
	struct run_options ro;
	struct run *run = NULL;
	int rc = -1;

	/* Everything that can be checked is checked before connecting. */
	if (load_script(o, 1, &script, err) < 0 || got_signal)
		goto out;
	if (script_check_outputs(script, &o->defines, err) < 0)
		goto out;
	if (cli_read_secrets(o, &secrets, err) < 0)
		goto out;
	ro = run_options_of(o, &secrets);
	run = run_new(&ro, err);
	if (!run)
		goto out;
	rc = run_exec(run, script, err);
	if (rc == 0)
		log_msg(LOG_INFO, "done in %.1fs", log_elapsed());
out:
	if (run_was_connected(run))
		console_opened = 1;
	run_end(run, rc == 0 ? 0 : exit_status_of(err), rc == 0 ? NULL : err);
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
	struct script *script = NULL;
	const char *names[32];
	size_t n, i;

	/* --result installs the signal handler for check: reading the script
	 * from a pipe is where a signal finds it. */
	if (load_script(o, 0, &script, err) < 0 || got_signal) {
		script_free(script);
		return -1;
	}
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
	struct run_options ro = run_options_of(o, NULL);
	struct run *run;
	int rc = -1;

	/* A file that cannot be written is found before connecting. */
	if (files_check_target(o->file, "screenshot", err) < 0)
		return -1;
	run = run_new(&ro, err);
	if (run && run_capture(run, o->file, err) == 0) {
		log_msg(LOG_INFO, "saved %s", o->file);
		rc = 0;
	}
	if (run_was_connected(run))
		console_opened = 1;
	run_end(run, rc == 0 ? 0 : exit_status_of(err), rc == 0 ? NULL : err);
	return rc;
}

/* One line per line of text: "X,Y WxH  TEXT". */
static void print_ocr(const struct ocr_result *res)
{
	size_t i;

	for (i = 0; i < res->nlines; i++) {
		const struct ocr_line *l = &res->lines[i];

		printf("%d,%d %dx%d  %s\n", l->box.x, l->box.y, l->box.w, l->box.h, l->text);
	}
	fflush(stdout);
}

/* ocr FILE.png: no console, the engine alone. */
static int ocr_png(const struct cli_opts *o, const struct screen_region *region,
		   struct vb_error *err)
{
	struct screen_image img = { 0 };
	struct ocr_engine *e = NULL;
	const struct ocr_result *res;
	int rc = -1;

	if (screen_read_png(o->file, &img, err) < 0)
		return -1;
	if (region->x >= img.width || region->y >= img.height) {
		vb_fail(err, VB_USAGE, "--region %d,%d,%d,%d lies outside %s (%dx%d)", region->x,
			region->y, region->w, region->h, o->file, img.width, img.height);
		goto out;
	}
	e = ocr_new(err);
	if (e && ocr_read(e, &img, *region, &res, NULL, err) == 0) {
		print_ocr(res);
		rc = 0;
	}
out:
	ocr_free(e);
	screen_image_free(&img);
	return rc;
}

int cmd_ocr(const struct cli_opts *o, struct vb_error *err)
{
	struct screen_region region = { o->region_x, o->region_y, o->region_w, o->region_h };
	struct run_options ro;
	struct run *run;
	const struct ocr_result *res;
	int rc = -1;

	if (o->file)
		return ocr_png(o, &region, err);
	ro = run_options_of(o, NULL);
	run = run_new(&ro, err);
	if (run && run_read_text(run, &region, &res, err) == 0) {
		print_ocr(res);
		rc = 0;
	}
	if (run_was_connected(run))
		console_opened = 1;
	run_end(run, rc == 0 ? 0 : exit_status_of(err), rc == 0 ? NULL : err);
	return rc;
}

/* ---- mcp: the MCP server over the run layer ---- */

static int mcp_exec(void *ctx, const struct script *script, struct vb_error *err)
{
	int rc = run_exec(ctx, script, err);

	if (run_was_connected(ctx))
		console_opened = 1;
	return rc;
}

static int mcp_connect(void *ctx, const char *address, const char **shown,
		       struct vb_error *err)
{
	run_disconnect(ctx);
	if (address)
		run_set_address(ctx, address);
	if (run_connect(ctx, err) < 0)
		return -1;
	console_opened = 1;
	*shown = run_target(ctx);
	return 0;
}

static int mcp_disconnect(void *ctx)
{
	int was = run_is_connected(ctx);

	run_disconnect(ctx);
	return was;
}

static const char *mcp_variable(void *ctx, const char *name)
{
	const struct vars *v = run_vars(ctx);

	return v ? vars_get(v, name) : NULL;
}

/* Remove the scratch directory of capture's PNGs, and what is left in it. */
static void remove_scratch(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4200];

	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

/* vncbot mcp: stdout carries the protocol only, so the server writes to a
 * copy of it and fd 1 becomes stderr (a stray print cannot break the
 * stream). The run lives as long as the server: held keys are released
 * when stdin ends, on a signal, and at disconnect. */
int cmd_mcp(const struct cli_opts *o, struct vb_error *err)
{
	struct vars secrets = { 0 };
	struct run_options ro;
	struct run *run = NULL;
	struct mcp_server *m = NULL;
	const char *tmp = getenv("TMPDIR");
	char scratch[4096] = "";
	FILE *out = NULL;
	int fd = -1, rc = -1, served;

	if (o->result_path && strcmp(o->result_path, "-") == 0) {
		vb_fail(err, VB_USAGE, "mcp's standard output carries the protocol only");
		vb_hint(err, "give --result FILE");
		goto out;
	}
	if (cli_read_secrets(o, &secrets, err) < 0)
		goto out;
	snprintf(scratch, sizeof(scratch), "%s/vncbot-mcp-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(scratch)) {
		vb_fail(err, VB_FAILED, "cannot make a scratch directory in %s: %s",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		scratch[0] = '\0';
		goto out;
	}
	ro = run_options_of(o, &secrets);
	ro.script_name = "<mcp>";
	ro.mark_always = 1; /* an expect changed may come in any later call */
	run = run_new(&ro, err);
	if (!run)
		goto out;
	fflush(stdout);
	fd = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		vb_fail(err, VB_FAILED, "cannot use standard output: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	dup2(STDERR_FILENO, STDOUT_FILENO);
	m = mcp_new(&(struct mcp_options){
		.backend = { .ctx = run, .exec = mcp_exec, .connect = mcp_connect,
			     .disconnect = mcp_disconnect, .variable = mcp_variable },
		.defines = &o->defines,
		.secrets = &o->secret_sources,
		.scratch_dir = scratch,
		.has_address = o->connect || o->connect_command,
		.version = VNCBOT_VERSION,
	});
	log_msg(LOG_INFO, "MCP server ready on stdin/stdout%s%s", o->connect ? "; console " : "",
		o->connect ? "given" : "");
	served = mcp_serve(m, stdin, out, &got_signal);
	if (served == 1 || got_signal)
		vb_fail(err, VB_FAILED, "stopped by signal %d", (int)got_signal);
	else if (served < 0)
		vb_fail(err, VB_FAILED, "cannot write to standard output: %s", strerror(errno));
	else
		rc = 0;
	if (rc == 0)
		log_msg(LOG_INFO, "stdin closed: the MCP session ends");
out:
	if (run_was_connected(run))
		console_opened = 1;
	/* Held keys released, the console closed, the evidence closed. */
	run_end(run, rc == 0 ? 0 : exit_status_of(err), rc == 0 ? NULL : err);
	mcp_free(m);
	if (out)
		fclose(out);
	if (scratch[0])
		remove_scratch(scratch);
	vars_clear(&secrets);
	return rc;
}

/* ---- --result ---- */

/* The --result FILE of a command line that cli_parse refused before it
 * reached that option: a usage error leaves its result too. */
static const char *result_path_in(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--result") == 0 && i + 1 < argc)
			return argv[i + 1];
		if (strncmp(argv[i], "--result=", 9) == 0)
			return argv[i] + 9;
	}
	return NULL;
}

/* What the command line tells of the run before it starts: the script, and
 * the console as logs show it (no password, no token). */
static void result_describe(const struct cli_opts *o)
{
	struct url_spec spec;
	struct vb_error ignored;

	if (o->inline_script)
		result_script(run_result, "<-e>");
	else if (o->file && o->command &&
		 (o->command->run == cmd_run || o->command->run == cmd_check))
		result_script(run_result, o->file);
	if (o->connect && o->command && (o->command->flags & CLI_CONSOLE) &&
	    url_parse(o->connect, &spec, &ignored) == 0) {
		char desc[320];

		url_describe(&spec, desc, sizeof(desc));
		result_target(run_result, desc);
		explicit_bzero(&spec, sizeof(spec)); /* the query may hold a token */
	}
}

/* --result -: the result is all that goes to standard output. What vncbot
 * would print there (check's plan, --help) goes to stderr instead, or
 * nowhere with --log-format json, where stderr carries JSON only. */
static void result_take_stdout(int json_log)
{
	int to = json_log ? open("/dev/null", O_WRONLY | O_CLOEXEC) : STDERR_FILENO;

	fflush(stdout);
	result_stdout = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
	if (result_stdout >= 0 && to >= 0)
		dup2(to, STDOUT_FILENO);
	if (json_log && to >= 0)
		close(to);
}

/* The run ends with status, err saying why (NULL for a success): write the
 * result to path if --result gave one, and free it. Returns the exit
 * status: status, or 1 for a success whose result could not be written. */
static int result_end(const char *path, int status, const struct vb_error *err)
{
	struct vb_error werr;
	int rc = 0;

	result_finish(run_result, log_elapsed(), status, err);
	if (path) {
		if (result_stdout >= 0) {
			fflush(stdout);
			dup2(result_stdout, STDOUT_FILENO);
			close(result_stdout);
			result_stdout = -1;
		}
		rc = result_write(run_result, path, &werr);
		if (rc < 0)
			cli_print_error(&werr);
	}
	result_free(run_result);
	run_result = NULL;
	return rc < 0 && status == 0 ? VB_FAILED : status;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	struct vb_error err;
	struct timespec started;
	const char *result_path;
	int rc = 0;
	/* Before any secret is read: a crash must not leave one in a core file. */
	int dumps_off = secmem_disable_core_dumps();
	int dumps_errno = errno;

	log_start();
	clock_gettime(CLOCK_REALTIME, &started);
	run_result = result_new(&started, VNCBOT_VERSION); /* --result */
	vb_error_clear(&err);
	if (cli_parse(argc, argv, &o, &err) < 0) {
		log_set_json(o.json_log); /* if --log-format json came before the error */
		cli_print_error(&err);
		result_path = o.result_path ? o.result_path : result_path_in(argc, argv);
		result_describe(&o); /* --result */
		cli_opts_free(&o);
		return result_end(result_path, VB_USAGE, &err);
	}
	result_path = o.result_path;
	install_signals((o.command->flags & CLI_CONSOLE) != 0 ||
			(result_path && o.command->run == cmd_check));
	log_set_level(o.verbosity < 0 ? LOG_ERROR :
		      o.verbosity == 0 ? LOG_INFO :
		      o.verbosity == 1 ? LOG_VERBOSE : LOG_DEBUG);
	log_set_json(o.json_log);
	if (result_path && strcmp(result_path, "-") == 0) {
		result_take_stdout(o.json_log); /* --result - */
	} else if (result_path && files_check_target(result_path, "result", &err) < 0) {
		/* Found before anything runs; there is nowhere to write a result. */
		cli_print_error(&err);
		cli_opts_free(&o);
		result_free(run_result);
		return VB_USAGE;
	}
	result_describe(&o); /* --result */
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
			vb_fail(&err, VB_FAILED, "stopped by signal %d (%s)%s", (int)got_signal,
				strsignal(got_signal),
				console_opened ? "; held keys were released" : "");
			if (log_is_json())
				log_error_json(&err);
			else
				fprintf(stderr, "vncbot: %s\n", err.message);
			return result_end(result_path, 128 + got_signal, &err);
		}
		cli_print_error(&err);
		return result_end(result_path, exit_status_of(&err), &err);
	}
	if (fflush(stdout) != 0) {
		vb_fail(&err, VB_FAILED, "cannot write to standard output: %s", strerror(errno));
		return result_end(result_path, VB_FAILED, &err);
	}
	return result_end(result_path, 0, NULL);
}
