/* transcript.h: the practice console's record of every key event it
 * received, in order, one line each, written through before the next event
 * is read: the witness tests compare against what a client meant to send. */
#ifndef PRACTICE_TRANSCRIPT_H
#define PRACTICE_TRANSCRIPT_H

#include <stdbool.h>
#include <stdint.h>

#include "util/error.h"

struct transcript;

/* Open path for appending (created 0644 if missing). Returns NULL and fills
 * err (VB_USAGE: the path given cannot be used) on failure. Caller closes
 * with transcript_close(). */
struct transcript *transcript_open(const char *path, struct vb_error *err);

/* Append "down 0xffe3 Control_L" / "up 0x0061 a". t may be NULL (no
 * transcript asked for): then nothing happens. Returns 0, or -1 with err
 * filled (VB_FAILED) if the line could not be written whole. */
int transcript_key(struct transcript *t, bool down, uint32_t keysym,
		   struct vb_error *err);

/* Append "# " + text, for connection events. Same contract as
 * transcript_key(). text must hold no newline and no secret. */
int transcript_note(struct transcript *t, const char *text,
		    struct vb_error *err);

/* Close the file. Returns 0, or -1 with err filled if closing failed.
 * t may be NULL. */
int transcript_close(struct transcript *t, struct vb_error *err);

#endif
