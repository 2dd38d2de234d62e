/* disk.h: the machine's C: drive, in memory: folders and files under "C:\",
 * named without regard to case, as cmd resolves them. The machine
 * (machine.h) owns one disk that every cmd window shares; the shell's
 * commands read and write it through these functions, with absolute paths
 * made by disk_abs(). */
#ifndef PRACTICE_CMD_DISK_H
#define PRACTICE_CMD_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

struct disk_file {
	char *path; /* absolute, as first written */
	unsigned char *data;
	size_t len;
	time_t mtime;
};

/* Read-only to callers (dir and for walk the arrays); change it through the
 * functions below. */
struct disk {
	struct disk_file *files;
	size_t nfiles;
	char **dirs; /* absolute; "C:\" is the root */
	size_t ndirs;
};

/* The folders of a fresh Windows Server 2016 (C:\Windows\Temp, the
 * Administrator's profile...) and no files. Caller frees. */
struct disk *disk_new(void);
struct disk *disk_clone(const struct disk *d);
/* Exchange the contents of two disks (the handles stay). */
void disk_swap(struct disk *a, struct disk *b);
void disk_free(struct disk *d); /* NULL: no-op */

/* The absolute form of path as cmd resolves it from cwd: "C:\A\B", "." and
 * ".." applied, '/' read as '\'. NULL for another drive or an empty path.
 * Caller frees. */
char *disk_abs(const char *cwd, const char *path);
/* The folder holding abs ("C:\" for a file at the root). Caller frees. */
char *disk_parent(const char *abs);
/* The last component of abs. */
const char *disk_base(const char *abs);

/* The folder's name as stored, or NULL. */
const char *disk_find_dir(const struct disk *d, const char *abs);
struct disk_file *disk_find_file(const struct disk *d, const char *abs);

/* Write (or append to) the file at abs. 0, or -1 when its folder does not
 * exist or abs is a folder. */
int disk_write(struct disk *d, const char *abs, const void *data, size_t len, bool append);
/* Add the folder abs (its parent must exist: the caller's business). */
void disk_mkdir(struct disk *d, const char *abs);
/* Remove a file got from disk_find_file(). */
void disk_delete(struct disk *d, struct disk_file *f);

/* A file's text as type shows it: UTF-16LE with a byte order mark read
 * back to Latin-1, CRLF as '\n'. Caller frees. */
char *disk_text(const struct disk_file *f);

/* Wildcards of dir and for: '*' any run, '?' one character, any case. */
bool disk_wild_match(const char *pat, const char *s);

#endif
