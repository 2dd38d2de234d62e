/* scratch.c: the replay fuzz targets' temporary directory (scratch.h). */
#include "scratch.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static struct scratch scratch;

static void scratch_remove(void)
{
	char png[192];
	int i;

	for (i = 1; i <= SCRATCH_MAX_FRAMES; i++) {
		snprintf(png, sizeof(png), "%s/frame-%05d.png", scratch.frames, i);
		unlink(png);
	}
	rmdir(scratch.frames);
	unlink(scratch.capture);
	rmdir(scratch.dir);
}

const struct scratch *scratch_get(const char *prefix)
{
	if (scratch.dir[0])
		return &scratch;
	snprintf(scratch.dir, sizeof(scratch.dir), "/tmp/%s.XXXXXX", prefix);
	if (!mkdtemp(scratch.dir))
		abort();
	snprintf(scratch.capture, sizeof(scratch.capture), "%s/in.fbs", scratch.dir);
	snprintf(scratch.frames, sizeof(scratch.frames), "%s/frames", scratch.dir);
	atexit(scratch_remove);
	return &scratch;
}
