/* files.h: how vncbot opens every file it reads or writes, so that none of
 * them can block, be redirected or replace something that is not a file.
 * Inputs (scripts, includes, needles, password, secret and CA files,
 * captures) must be regular files, and opening one never blocks, not even on
 * a FIFO. Outputs (screenshots, frames, the evidence of --record) are written
 * beside their target under a name created exclusively, without following
 * links, and renamed over it at the end; only a regular file is ever
 * replaced. What goes into the files is the callers' business. */
#ifndef VNCBOT_FILES_H
#define VNCBOT_FILES_H

#include <stdio.h>
#include <sys/types.h>

#include "util/error.h"

/* What a file of this mode is, for messages: "a regular file", "a FIFO",
 * "a directory", "a character device", "a block device", "a socket",
 * "a symbolic link". */
const char *files_kind(mode_t mode);

/* Open path for reading. It must be a regular file: a FIFO, a device, a
 * socket or a directory is refused at once ("script 'x' is a FIFO, not a
 * regular file"); the open itself is non-blocking, so a FIFO cannot hold it.
 * what names the file in messages ("script", "--password-file"). Returns a
 * FILE (blocking, close-on-exec; the caller fcloses it), or NULL with err
 * (VB_USAGE) naming the path. */
FILE *files_open_read(const char *path, const char *what, struct vb_error *err);

/* Can path be written with files_out_begin: does its directory exist, and is
 * path absent or a regular file? For checks before anything is sent, so a
 * run does not connect only to fail at its first capture. Returns 0, or -1
 * with err (VB_USAGE) naming the path and what is wrong. */
int files_check_target(const char *path, const char *what, struct vb_error *err);

/* A file being written whole: a temporary PATH.tmp-XXXXXX beside the target,
 * created with O_CREAT|O_EXCL|O_NOFOLLOW (a link planted there is never
 * followed), renamed over the target by files_out_commit. Until then the
 * target is as it was; a reader never sees half a file. */
struct files_out {
	FILE *f;    /* write the contents here */
	char *path; /* the target */
	char *tmp;  /* the temporary */
	const char *what;
};

/* Start writing path: refuses a target that exists and is not a regular file
 * (a device, a FIFO, a directory, a symbolic link). Returns 0 with out->f
 * open, or -1 with err (VB_FAILED) naming the path; out is then empty. */
int files_out_begin(struct files_out *out, const char *path, const char *what,
		    struct vb_error *err);

/* Flush and close the temporary and rename it over the target (checked
 * again: still absent or a regular file). Returns 0, or -1 with err
 * (VB_FAILED) naming the path; the temporary is removed either way. */
int files_out_commit(struct files_out *out, struct vb_error *err);

/* Give up: close and remove the temporary; the target is untouched. An
 * empty out (after a failed begin or a commit) is a no-op. */
void files_out_abort(struct files_out *out);

/* Create path, which must not exist yet, for writing as it grows (the event
 * log and the capture of a --record directory, which is new or empty), and
 * reading back (the capture's blank spans): O_RDWR|O_CREAT|O_EXCL|O_NOFOLLOW,
 * mode 0666 less the umask. Returns a file
 * descriptor (close-on-exec), or -1 with err (VB_FAILED) naming the path:
 * "already exists" for anything there, a planted link included. */
int files_create_new(const char *path, const char *what, struct vb_error *err);

#endif
