/* record.c: the evidence directory of a run: events.jsonl written as the
 * run goes (so a run that dies still leaves its events), step PNGs, and
 * report.html made at the end from the events kept in memory. The page is
 * self-contained: pictures inline as data: URIs, no outside script. */
#include "record/record.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/files.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "util/json.h"

#define FIELDS_MAX 8

struct entry {
	double t;
	char *event;
	int nfields;
	char *name[FIELDS_MAX];
	char *value[FIELDS_MAX];
};

struct record {
	char *dir;
	FILE *events;
	struct entry *entries;
	size_t count, cap;
	int shots;
};

static int mkdirs(const char *dir)
{
	char path[4096];
	size_t i, n = strlen(dir);

	if (n >= sizeof(path))
		return -1;
	memcpy(path, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (path[i] == '/' || path[i] == '\0') {
			char c = path[i];

			path[i] = '\0';
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				return -1;
			path[i] = c;
		}
	}
	return 0;
}

static int dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while (empty && (e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			empty = 0;
	closedir(d);
	return empty;
}

struct record *record_open(const char *dir, struct vb_error *err)
{
	struct record *r;
	struct stat st;
	char path[4200];
	int fd;

	if (mkdirs(dir) < 0) {
		vb_fail(err, VB_USAGE, "cannot create --record directory '%s': %s", dir,
			strerror(errno));
		return NULL;
	}
	if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode)) {
		vb_fail(err, VB_USAGE, "--record '%s' is %s, not a directory", dir,
			files_kind(st.st_mode));
		vb_hint(err, "--record takes a directory for the evidence, new or empty");
		return NULL;
	}
	if (!dir_is_empty(dir)) {
		vb_fail(err, VB_USAGE, "--record directory '%s' is not empty", dir);
		vb_hint(err, "evidence is never overwritten: give a new directory, e.g. %s-2", dir);
		return NULL;
	}
	/* The directory is empty: every file of the evidence is new, and is
	 * created so (never through a link planted meanwhile). */
	snprintf(path, sizeof(path), "%s/events.jsonl", dir);
	fd = files_create_new(path, "the event log", err);
	if (fd < 0) {
		err->status = VB_USAGE;
		return NULL;
	}
	r = xcalloc(1, sizeof(*r));
	r->dir = xstrdup(dir);
	r->events = fdopen(fd, "w");
	if (!r->events)
		abort(); /* only ENOMEM */
	return r;
}

const char *record_dir(const struct record *r)
{
	return r->dir;
}

const char *record_path(const struct record *r, const char *name, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", r->dir, name);
	return buf;
}

void record_event(struct record *r, const char *event, ...)
{
	struct entry *e;
	const char *name;
	json_t *line;
	va_list ap;

	if (!r)
		return;
	if (r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->entries = xrealloc(r->entries, r->cap * sizeof(*r->entries));
	}
	e = &r->entries[r->count++];
	memset(e, 0, sizeof(*e));
	e->t = log_elapsed();
	e->event = xstrdup(event);
	line = json_pack("{s:o,s:o}", "t", json_seconds(e->t), "event", json_text(event));
	va_start(ap, event);
	while ((name = va_arg(ap, const char *))) {
		const char *value = va_arg(ap, const char *);

		if (!value)
			continue;
		json_object_set_new(line, name, json_text(value));
		if (e->nfields < FIELDS_MAX) {
			e->name[e->nfields] = xstrdup(name);
			e->value[e->nfields++] = xstrdup(value);
		}
	}
	va_end(ap);
	/* A run may be killed at any point: what happened so far is on disk
	 * (json_write_line flushes). */
	json_write_line(r->events, line);
	json_decref(line);
}

static const char *field(const struct entry *e, const char *name)
{
	int i;

	for (i = 0; i < e->nfields; i++)
		if (strcmp(e->name[i], name) == 0)
			return e->value[i];
	return NULL;
}

const char *record_screenshot(struct record *r, const struct screen_image *img,
			      const char *label)
{
	static char name[32];
	char path[4200];
	struct vb_error err;

	if (!r)
		return NULL;
	snprintf(name, sizeof(name), "step-%03d.png", ++r->shots);
	if (screen_write_png(record_path(r, name, path, sizeof(path)), img, &err) < 0) {
		log_msg(LOG_WARN, "--record: %s", err.message);
		return NULL;
	}
	record_event(r, "screenshot", "png", name, "label", label, (const char *)NULL);
	return name;
}

/* ---- report.html ---- */

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static void base64_file(FILE *out, const char *path)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char in[3];
	size_t n;
	FILE *f = files_open_read(path, "picture", NULL);

	if (!f)
		return;
	while ((n = fread(in, 1, 3, f)) > 0) {
		fputc(tbl[in[0] >> 2], out);
		fputc(tbl[((in[0] & 3) << 4) | (n > 1 ? in[1] >> 4 : 0)], out);
		fputc(n > 1 ? tbl[((in[1] & 15) << 2) | (n > 2 ? in[2] >> 6 : 0)] : '=', out);
		fputc(n > 2 ? tbl[in[2] & 63] : '=', out);
	}
	fclose(f);
}

static const char report_head[] =
	"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	"<title>vncbot run</title>\n<style>\n"
	"body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1100px}\n"
	"h1{font-size:1.4em} .ok{color:#176f2c} .bad{color:#b00020}\n"
	"table{border-collapse:collapse;width:100%} td{padding:2px 8px;vertical-align:top;"
	"border-bottom:1px solid #eee} td.t{color:#888;width:6em;text-align:right}\n"
	"td.w{color:#888;width:14em} code{font:13px monospace;white-space:pre-wrap}\n"
	"figure{margin:1em 0} figure img{max-width:100%;border:1px solid #ccc}\n"
	"#show{display:none;position:fixed;inset:0;background:#000d;color:#fff;"
	"text-align:center;padding-top:1em} #show img{max-width:95%;max-height:85vh}\n"
	"button{font:inherit;margin:0 .3em}\n"
	"</style></head><body>\n";

static const char report_script[] =
	"<div id=\"show\"><div><button onclick=\"go(-1)\">&larr;</button><span id=\"cap\">"
	"</span><button onclick=\"go(1)\">&rarr;</button><button onclick=\"hide()\">close"
	"</button></div><img id=\"big\" alt=\"\"></div>\n<script>\n"
	"var shots=[].slice.call(document.querySelectorAll('figure img')),i=0;\n"
	"function put(){var s=document.getElementById('show');if(!shots.length)return;"
	"s.style.display='block';document.getElementById('big').src=shots[i].src;"
	"document.getElementById('cap').textContent=(i+1)+' / '+shots.length+'  '+"
	"shots[i].alt;}\n"
	"function go(d){i=(i+d+shots.length)%shots.length;put();}\n"
	"function hide(){document.getElementById('show').style.display='none';}\n"
	"function play(){i=0;put();}\n"
	"document.addEventListener('keydown',function(e){if(e.key=='ArrowRight')go(1);"
	"if(e.key=='ArrowLeft')go(-1);if(e.key=='Escape')hide();});\n"
	"</script></body></html>\n";

static void write_report(struct record *r, int exit_status, const char *message)
{
	char path[4200];
	size_t i;
	struct files_out out;
	struct vb_error err;
	FILE *f;

	if (files_out_begin(&out, record_path(r, "report.html", path, sizeof(path)), "report",
			    &err) < 0) {
		log_msg(LOG_WARN, "--record: %s", err.message);
		return;
	}
	f = out.f;
	fputs(report_head, f);
	fprintf(f, "<h1>vncbot run: <span class=\"%s\">%s</span></h1>\n",
		exit_status == 0 ? "ok" : "bad",
		exit_status == 0 ? "succeeded" : "failed");
	fputs("<p>", f);
	for (i = 0; i < r->count; i++)
		if (strcmp(r->entries[i].event, "start") == 0 && field(&r->entries[i], "date")) {
			fputs("Started <time>", f);
			html_text(f, field(&r->entries[i], "date"));
			fputs("</time> (UTC). ", f);
		}
	for (i = 0; i < r->count; i++)
		if (strcmp(r->entries[i].event, "connect") == 0) {
			fputs("Console: <code>", f);
			html_text(f, field(&r->entries[i], "target"));
			fputs("</code>. ", f);
		}
	fprintf(f, "Exit status %d", exit_status);
	if (message && *message) {
		fputs(": <code>", f);
		html_text(f, message);
		fputs("</code>", f);
	}
	fputs(".</p>\n<p><button onclick=\"play()\">Play as a slideshow</button> "
	      "(arrow keys move, Escape closes)</p>\n<table>\n", f);
	for (i = 0; i < r->count; i++) {
		const struct entry *e = &r->entries[i];
		const char *png = field(e, "png");

		if (strcmp(e->event, "step") == 0) {
			fputs("</table>\n<h2>", f);
			html_text(f, field(e, "name"));
			fputs("</h2>\n<table>\n", f);
			continue;
		}
		if (png) {
			fputs("</table>\n<figure><img alt=\"", f);
			html_text(f, field(e, "label"));
			fputs("\" src=\"data:image/png;base64,", f);
			base64_file(f, record_path(r, png, path, sizeof(path)));
			fputs("\"><figcaption>", f);
			html_text(f, field(e, "label"));
			fputs(" (", f);
			html_text(f, png);
			fputs(")</figcaption></figure>\n<table>\n", f);
			continue;
		}
		fprintf(f, "<tr><td class=\"t\">%.3fs</td><td class=\"w\">", e->t);
		html_text(f, field(e, "where"));
		fputs("</td><td>", f);
		if (strcmp(e->event, "read") == 0) /* what the machine said, by OCR */
			fputs("<b>the screen said:</b> ", f);
		else if (strcmp(e->event, "statement") != 0)
			fprintf(f, "<b>%s</b> ", e->event);
		fputs("<code>", f);
		if (field(e, "text")) {
			html_text(f, field(e, "text"));
		} else {
			int k;

			/* Other events show their fields: target, name, exit... */
			for (k = 0; k < e->nfields; k++) {
				if (strcmp(e->name[k], "where") == 0)
					continue;
				html_text(f, e->name[k]);
				fputc('=', f);
				html_text(f, e->value[k]);
				fputc(' ', f);
			}
		}
		fputs("</code></td></tr>\n", f);
	}
	fputs("</table>\n", f);
	fputs(report_script, f);
	if (files_out_commit(&out, &err) < 0)
		log_msg(LOG_WARN, "--record: %s", err.message);
}

void record_close(struct record *r, int exit_status, const char *message)
{
	char status[16];
	size_t i;
	int k;

	if (!r)
		return;
	snprintf(status, sizeof(status), "%d", exit_status);
	record_event(r, "result", "exit", status, "message", message, (const char *)NULL);
	fclose(r->events);
	write_report(r, exit_status, message);
	for (i = 0; i < r->count; i++) {
		free(r->entries[i].event);
		for (k = 0; k < r->entries[i].nfields; k++) {
			free(r->entries[i].name[k]);
			free(r->entries[i].value[k]);
		}
	}
	free(r->entries);
	free(r->dir);
	free(r);
}
