/* result.c: the result of a run (result.h): the steps, the target, the
 * script and the end, kept in memory as the run goes, then one JSON object
 * written by jansson, to stdout or atomically to a file. The mapping from an
 * exit status to its class lives here and nowhere else. */
#include "record/result.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/files.h"
#include "util/json.h"
#include "util/xalloc.h"

struct result_step {
	char *name;
	const char *outcome; /* NULL while the step is open */
	double start, end;
};

struct result {
	struct timespec started;
	char *version;
	char *target, *script, *evidence;
	struct result_step *steps;
	size_t nsteps;
	int open; /* the last step is still open */
	int finished;
	int exit_status;
	double duration;
	char *message, *where, *hint; /* the error, or NULL */
};

static const struct result_class classes[] = {
	{ "ok", "succeeded", "ok" },
	{ "script-failed", "failed", "failed" },
	{ "usage", "error", "error" },
	{ "connection", "error", "error" },
	{ "signal", "error", "interrupted" },
};

const struct result_class *result_class_of(int exit_status)
{
	if (exit_status >= 0 && exit_status <= 3)
		return &classes[exit_status];
	if (exit_status > 128 && exit_status < 256)
		return &classes[4];
	return &classes[1];
}

struct result *result_new(const struct timespec *started, const char *version)
{
	struct result *r = xcalloc(1, sizeof(*r));

	r->started = *started;
	r->version = xstrdup(version);
	return r;
}

void result_free(struct result *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nsteps; i++)
		free(r->steps[i].name);
	free(r->steps);
	free(r->version);
	free(r->target);
	free(r->script);
	free(r->evidence);
	free(r->message);
	free(r->where);
	free(r->hint);
	free(r);
}

/* Replace *field with a copy of s (NULL clears it). */
static void set(char **field, const char *s)
{
	free(*field);
	*field = xstrdup(s);
}

void result_target(struct result *r, const char *shown)
{
	if (r)
		set(&r->target, shown);
}

void result_script(struct result *r, const char *name)
{
	if (r)
		set(&r->script, name);
}

void result_evidence(struct result *r, const char *dir)
{
	if (r)
		set(&r->evidence, dir);
}

void result_step_end(struct result *r, const char *outcome, double t)
{
	struct result_step *s;

	if (!r || !r->open)
		return;
	s = &r->steps[r->nsteps - 1];
	s->outcome = outcome;
	s->end = t;
	r->open = 0;
}

void result_step_begin(struct result *r, const char *name, double t)
{
	struct result_step *s;

	if (!r)
		return;
	result_step_end(r, "ok", t);
	r->steps = xgrow(r->steps, r->nsteps, sizeof(*r->steps));
	s = &r->steps[r->nsteps++];
	s->name = xstrdup(name);
	s->outcome = NULL;
	s->start = t;
	s->end = t;
	r->open = 1;
}

void result_finish(struct result *r, double t, int exit_status, const struct vb_error *err)
{
	char fallback[32];

	if (!r)
		return;
	result_step_end(r, result_class_of(exit_status)->step, t);
	r->finished = 1;
	r->exit_status = exit_status;
	r->duration = t;
	set(&r->message, NULL);
	set(&r->where, NULL);
	set(&r->hint, NULL);
	if (exit_status == 0)
		return;
	snprintf(fallback, sizeof(fallback), "exit status %d", exit_status);
	set(&r->message, err && err->message[0] ? err->message : fallback);
	if (err && err->where[0])
		set(&r->where, err->where);
	if (err && err->hint[0])
		set(&r->hint, err->hint);
}

/* The wall-clock start as ISO 8601 UTC to the millisecond:
 * 2026-12-01T22:42:59.123Z. */
static void iso8601(const struct timespec *ts, char *buf, size_t size)
{
	struct tm tm;
	size_t n;

	gmtime_r(&ts->tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, size - n, ".%03dZ", (int)(ts->tv_nsec / 1000000) % 1000);
}

static json_t *steps_json(const struct result *r)
{
	json_t *steps = json_array();
	size_t i;

	for (i = 0; i < r->nsteps; i++) {
		const struct result_step *s = &r->steps[i];

		json_array_append_new(steps, json_pack("{s:o,s:s,s:o,s:o}", "name",
						       json_text(s->name), "outcome",
						       s->outcome ? s->outcome : "ok",
						       "start", json_seconds(s->start),
						       "duration", json_seconds(s->end - s->start)));
	}
	return steps;
}

static json_t *error_json(const struct result *r)
{
	if (!r->message)
		return json_null();
	return json_pack("{s:o,s:o,s:o}", "message", json_text(r->message), "where",
			 json_text(r->where), "hint", json_text(r->hint));
}

static json_t *result_json(const struct result *r)
{
	const struct result_class *c = result_class_of(r->exit_status);
	char started[40];

	iso8601(&r->started, started, sizeof(started));
	return json_pack("{s:s,s:i,s:s,s:o,s:o,s:o,s:o,s:o,s:s,s:o,s:o}",
			 "verdict", c->verdict,
			 "exit", r->exit_status,
			 "class", c->name,
			 "error", error_json(r),
			 "target", json_text(r->target),
			 "script", json_text(r->script),
			 "steps", steps_json(r),
			 "evidence", json_text(r->evidence),
			 "started", started,
			 "duration_s", json_seconds(r->duration),
			 "vncbot", json_text(r->version));
}

int result_write(const struct result *r, const char *path, struct vb_error *err)
{
	json_t *obj = result_json(r);
	struct files_out out;
	int rc;

	if (!obj)
		abort(); /* every field is valid: only ENOMEM */
	if (strcmp(path, "-") == 0) {
		rc = json_write_line(stdout, obj);
		json_decref(obj);
		if (rc < 0)
			return vb_fail(err, VB_FAILED, "cannot write the result to standard "
				       "output: %s", strerror(errno));
		return 0;
	}
	if (files_out_begin(&out, path, "result", err) < 0) {
		json_decref(obj);
		return -1;
	}
	rc = json_write_line(out.f, obj);
	json_decref(obj);
	if (rc < 0) {
		files_out_abort(&out);
		return vb_fail(err, VB_FAILED, "cannot write result '%s': %s", path,
			       strerror(errno));
	}
	return files_out_commit(&out, err);
}
