/* record.h: the evidence of a run in a directory (--record DIR):
 * events.jsonl (every statement, step, wait and the result, with times;
 * secrets only as <secret NAME>), a PNG per step, and report.html, one
 * self-contained page to read the run step by step or play it as a
 * slideshow. The capture of the server's stream is the transport's
 * (fbs.h). Nothing here talks to the console. */
#ifndef VNCBOT_RECORD_H
#define VNCBOT_RECORD_H

#include "screen/screen.h"
#include "util/error.h"

struct record;

/* Make DIR (and its parents) and open DIR/events.jsonl. DIR must be new or
 * empty: evidence is never overwritten. Returns NULL with err (VB_USAGE). */
struct record *record_open(const char *dir, struct vb_error *err);

/* The directory, and a path inside it (into buf). */
const char *record_dir(const struct record *r);
const char *record_path(const struct record *r, const char *name, char *buf, size_t size);

/* Append one event: {"t":SECONDS,"event":EVENT,...} with the given string
 * fields (pairs of name, value; values may be NULL to leave them out),
 * ended by NULL. Values are escaped; callers never pass secrets. */
void record_event(struct record *r, const char *event, ...)
	__attribute__((sentinel));

/* Save img as the next step picture (step-001.png, ...) and note it in the
 * events under label. Returns the file name or NULL (the error is logged and
 * the run goes on: evidence must not stop a repair). */
const char *record_screenshot(struct record *r, const struct screen_image *img,
			      const char *label);

/* Note the result, write report.html, close. exit_status and message are
 * the run's. NULL is a no-op. */
void record_close(struct record *r, int exit_status, const char *message);

#endif
