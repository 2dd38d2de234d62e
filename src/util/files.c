/* files.c: opening inputs without blocking and writing outputs without
 * following links or replacing anything but a regular file (files.h). Owns
 * the temporaries of files being written; what goes into a file, and what a
 * failure means for the run, is the caller's. */
#include "util/files.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/xalloc.h"

const char *files_kind(mode_t mode)
{
	if (S_ISREG(mode))
		return "a regular file";
	if (S_ISDIR(mode))
		return "a directory";
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode))
		return "a character device";
	if (S_ISBLK(mode))
		return "a block device";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISLNK(mode))
		return "a symbolic link";
	return "not a file";
}

static void *refuse_input(const char *path, const char *what, mode_t mode, struct vb_error *err)
{
	vb_fail(err, VB_USAGE, "%s '%s' is %s, not a regular file", what, path, files_kind(mode));
	if (S_ISFIFO(mode))
		vb_hint(err,
			"vncbot reads a %s only from a regular file: save what the pipe "
			"gives to a file and name that file",
			what);
	return NULL;
}

FILE *files_open_read(const char *path, const char *what, struct vb_error *err)
{
	struct stat st;
	int fd, flags;
	FILE *f;

	/* Look before opening: opening a device can act on it. */
	if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
		return refuse_input(path, what, st.st_mode, err);
	/* O_NONBLOCK: should a FIFO appear there meanwhile, opening it does
	 * not wait for a writer. */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		vb_fail(err, VB_USAGE, "cannot open %s '%s': %s", what, path, strerror(errno));
		return NULL;
	}
	/* What was opened is what counts. */
	if (fstat(fd, &st) < 0) {
		vb_fail(err, VB_USAGE, "cannot read %s '%s': %s", what, path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return refuse_input(path, what, st.st_mode, err);
	}
	flags = fcntl(fd, F_GETFL);
	if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 || !(f = fdopen(fd, "rb"))) {
		vb_fail(err, VB_USAGE, "cannot read %s '%s': %s", what, path, strerror(errno));
		close(fd);
		return NULL;
	}
	return f;
}

/* The directory part of path, malloc'ed. */
static char *dir_of(const char *path)
{
	char *copy = xstrdup(path), *dir = xstrdup(dirname(copy));

	free(copy);
	return dir;
}

/* Refuse an existing target that is not a regular file. 0 if absent or regular. */
static int check_existing(const char *path, const char *what, enum vb_status status,
			  struct vb_error *err)
{
	struct stat st;

	if (lstat(path, &st) < 0 || S_ISREG(st.st_mode))
		return 0;
	vb_fail(err, status, "cannot write %s '%s': it is %s, not a regular file", what, path,
		files_kind(st.st_mode));
	return vb_hint(err, "vncbot replaces only regular files: give another file name");
}

int files_check_target(const char *path, const char *what, struct vb_error *err)
{
	struct stat st;
	char *dir;
	int rc = 0;

	if (!path[0])
		return vb_fail(err, VB_USAGE, "an empty file name for the %s", what);
	if (check_existing(path, what, VB_USAGE, err) < 0)
		return -1;
	dir = dir_of(path);
	if (stat(dir, &st) < 0) {
		if (errno == ENOENT) {
			vb_fail(err, VB_USAGE,
				"cannot write %s '%s': directory '%s' does not exist", what, path,
				dir);
			vb_hint(err, "create it first: mkdir -p '%s'", dir);
		} else {
			vb_fail(err, VB_USAGE, "cannot write %s '%s': %s: %s", what, path, dir,
				strerror(errno));
		}
		rc = -1;
	} else if (!S_ISDIR(st.st_mode)) {
		rc = vb_fail(err, VB_USAGE, "cannot write %s '%s': '%s' is %s, not a directory",
			     what, path, dir, files_kind(st.st_mode));
	} else if (access(dir, W_OK | X_OK) < 0) {
		rc = vb_fail(err, VB_USAGE, "cannot write %s '%s': directory '%s': %s", what, path,
			     dir, strerror(errno));
	}
	free(dir);
	return rc;
}

/* Six characters for a temporary's name, unpredictable where the kernel
 * gives randomness. */
static void random_suffix(char out[7])
{
	static const char chars[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned counter;
	unsigned char r[6];
	int i;

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		struct timespec ts;
		unsigned long v;

		clock_gettime(CLOCK_REALTIME, &ts);
		v = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^ ++counter * 7919u;
		for (i = 0; i < 6; i++, v >>= 5)
			r[i] = (unsigned char)v;
	}
	for (i = 0; i < 6; i++)
		out[i] = chars[r[i] % (sizeof(chars) - 1)];
	out[6] = '\0';
}

int files_out_begin(struct files_out *out, const char *path, const char *what, struct vb_error *err)
{
	size_t n = strlen(path);
	int fd = -1, tries;

	memset(out, 0, sizeof(*out));
	if (check_existing(path, what, VB_FAILED, err) < 0)
		return -1;
	out->tmp = xmalloc(n + sizeof(".tmp-XXXXXX"));
	for (tries = 0; tries < 100; tries++) {
		char suffix[7];

		random_suffix(suffix);
		snprintf(out->tmp, n + sizeof(".tmp-XXXXXX"), "%s.tmp-%s", path, suffix);
		fd = open(out->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC,
			  0666);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0) {
		vb_fail(err, VB_FAILED, "cannot write %s '%s': %s", what, path, strerror(errno));
		vb_hint(err, "check that the directory exists and is writable");
		free(out->tmp);
		out->tmp = NULL;
		return -1;
	}
	out->f = fdopen(fd, "wb");
	if (!out->f)
		abort(); /* only ENOMEM */
	out->path = xstrdup(path);
	out->what = what;
	return 0;
}

static void files_out_clear(struct files_out *out)
{
	free(out->path);
	free(out->tmp);
	memset(out, 0, sizeof(*out));
}

int files_out_commit(struct files_out *out, struct vb_error *err)
{
	int failed = 0, e = 0;

	if (fflush(out->f) != 0 || ferror(out->f)) {
		failed = 1;
		e = errno ? errno : EIO;
	}
	if (fclose(out->f) != 0 && !failed) {
		failed = 1;
		e = errno;
	}
	out->f = NULL;
	if (failed) {
		vb_fail(err, VB_FAILED, "cannot write %s '%s': %s", out->what, out->path,
			strerror(e));
	} else if (check_existing(out->path, out->what, VB_FAILED, err) < 0) {
		/* Something other than a file took the name meanwhile. */
		failed = 1;
	} else if (rename(out->tmp, out->path) < 0) {
		vb_fail(err, VB_FAILED, "cannot write %s '%s': renaming '%s' to it: %s", out->what,
			out->path, out->tmp, strerror(errno));
		failed = 1;
	}
	if (failed)
		unlink(out->tmp);
	files_out_clear(out);
	return failed ? -1 : 0;
}

void files_out_abort(struct files_out *out)
{
	if (!out->tmp)
		return;
	if (out->f)
		fclose(out->f);
	unlink(out->tmp);
	files_out_clear(out);
}

int files_create_new(const char *path, const char *what, struct vb_error *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);

	if (fd >= 0)
		return fd;
	if (errno == EEXIST)
		vb_fail(err, VB_FAILED, "cannot create %s '%s': it already exists", what, path);
	else
		vb_fail(err, VB_FAILED, "cannot create %s '%s': %s", what, path, strerror(errno));
	return -1;
}
