/* transcript.c: appends the practice console's transcript lines. Each line
 * goes to the file in a single write() on an O_APPEND descriptor, with no
 * user-space buffer in between, so a test reading the file sees whole lines
 * in the order the events arrived, as soon as they arrived. */
#include "transcript.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keys/keys.h"

struct transcript {
	int fd;
	char *path; /* for messages */
};

struct transcript *transcript_open(const char *path, struct vb_error *err)
{
	struct transcript *t = calloc(1, sizeof(*t));

	if (!t) {
		vb_fail(err, VB_FAILED, "out of memory");
		return NULL;
	}
	t->path = strdup(path);
	t->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (!t->path || t->fd < 0) {
		vb_fail(err, VB_USAGE, "cannot open transcript '%s': %s", path,
			t->path ? strerror(errno) : "out of memory");
		if (t->fd >= 0)
			close(t->fd);
		free(t->path);
		free(t);
		return NULL;
	}
	return t;
}

static int transcript_write(struct transcript *t, const char *line,
			    size_t len, struct vb_error *err)
{
	while (len > 0) {
		ssize_t n = write(t->fd, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return vb_fail(err, VB_FAILED,
				       "cannot write transcript '%s': %s",
				       t->path,
				       n < 0 ? strerror(errno) : "nothing written");
		line += n;
		len -= (size_t)n;
	}
	return 0;
}

int transcript_key(struct transcript *t, bool down, uint32_t keysym,
		   struct vb_error *err)
{
	char name[32];
	char line[96];
	int len;

	if (!t)
		return 0;
	len = snprintf(line, sizeof(line), "%s 0x%04x %s\n",
		       down ? "down" : "up", (unsigned int)keysym,
		       keys_name(keysym, name, sizeof(name)));
	if (len < 0 || (size_t)len >= sizeof(line))
		return vb_fail(err, VB_FAILED,
			       "transcript line for keysym 0x%04x too long",
			       (unsigned int)keysym);
	return transcript_write(t, line, (size_t)len, err);
}

int transcript_note(struct transcript *t, const char *text,
		    struct vb_error *err)
{
	char line[512];
	int len;

	if (!t)
		return 0;
	len = snprintf(line, sizeof(line), "# %s\n", text);
	if (len < 0 || (size_t)len >= sizeof(line))
		return vb_fail(err, VB_FAILED, "transcript note too long");
	return transcript_write(t, line, (size_t)len, err);
}

int transcript_close(struct transcript *t, struct vb_error *err)
{
	int rc = 0;

	if (!t)
		return 0;
	if (close(t->fd) < 0)
		rc = vb_fail(err, VB_FAILED, "cannot close transcript '%s': %s",
			     t->path, strerror(errno));
	free(t->path);
	free(t);
	return rc;
}
