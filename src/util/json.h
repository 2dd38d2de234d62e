/* json.h: what every JSON vncbot writes has in common (events.jsonl, the
 * result of --result, --log-format json), over jansson: a string from any
 * bytes, seconds rounded to the millisecond, one object a line. jansson does
 * the JSON itself; nothing here escapes text by hand. */
#ifndef VNCBOT_JSON_H
#define VNCBOT_JSON_H

#include <stdio.h>

#include <jansson.h>

/* The flags of every dump: one line, no spaces, and reals with up to 15
 * significant digits, so that 1.234 is written 1.234. */
#define JSON_OUT_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(15))

/* A new JSON string holding s (the caller owns the reference). jansson takes
 * only valid UTF-8, and text from outside (a file name, what a server said)
 * need not be: each byte of an invalid sequence becomes U+FFFD. NULL gives
 * JSON null. */
json_t *json_text(const char *s);

/* A new JSON number: seconds rounded to the millisecond. */
json_t *json_seconds(double seconds);

/* Write obj on one line, then a newline, to f and flush it. obj stays the
 * caller's. Returns 0, or -1 if f could not take it. */
int json_write_line(FILE *f, const json_t *obj);

#endif
