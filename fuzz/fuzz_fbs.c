/* fuzz_fbs.c: the capture reader and replay on arbitrary bytes. The bytes
 * are written to a file; the FBS reader must read it to its end or refuse
 * it with a message, and replay must play it to its end or refuse it with a
 * message: never a crash, a hang or a leak. Replay is bounded here (a small
 * framebuffer, a few frames, a total deadline), as a user's replay is by
 * its read timeouts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/fbs.h"
#include "record/replay.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);



static void read_all(const char *capture)
{
	struct vb_error err;
	struct fbs_reader *r = fbs_reader_open(capture, &err);
	const uint8_t *block;
	size_t len;
	uint32_t ms, last = 0;
	int rc;

	if (!r) {
		if (err.status != VB_FAILED || !err.message[0])
			abort();
		return;
	}
	while ((rc = fbs_reader_next(r, &block, &len, &ms, &err)) == 1) {
		if (len > FBS_MAX_BLOCK || ms < last)
			abort();
		last = ms;
	}
	if (rc < 0 && (err.status != VB_FAILED || !err.message[0]))
		abort();
	fbs_reader_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct scratch *sc = scratch_get("vbfuzzfbs");
	struct replay_options o = {
		.outdir = sc->frames, .every_ms = 0, .max_frames = SCRATCH_MAX_FRAMES,
		.timeout_ms = 10000, .max_pixels = 256 * 256,
	};
	struct vb_error err;
	FILE *f;
	int n = -1;

	f = fopen(sc->capture, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	read_all(sc->capture);
	if (replay_capture(sc->capture, &o, &n, &err) < 0) {
		if (err.status != VB_FAILED || !err.message[0])
			abort();
	}
	if (n < 0 || n > o.max_frames)
		abort();
	return 0;
}
