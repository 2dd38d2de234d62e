/* fuzz_rfb.c: the server's RFB messages, as libvncclient decodes them for
 * vncbot, on arbitrary bytes. The input is only what a server sends after the
 * handshake: this target puts a fixed, valid RFB 3.8 handshake in front of it
 * (security None, a 64x48 screen of 32 bits a pixel), writes both as an FBS
 * capture the way the transport records one (fbs.h), and plays that through
 * replay_capture(), the path `vncbot replay` takes. So no run is spent on the
 * handshake: every byte goes to FramebufferUpdate rectangles in every encoding,
 * colour map entries, bells, cut text and resizes. Replay must play it to its
 * end or refuse it with a message: never a crash, a hang or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record/fbs.h"
#include "record/replay.h"
#include "scratch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SCREEN_W 64
#define SCREEN_H 48
#define BLOCK_BYTES 512 /* the input goes in blocks this long, 10 ms apart */


/* Server to client, RFB 3.8: ProtocolVersion; one security type, None;
 * SecurityResult OK; ServerInit: 64x48, 32 bits a pixel, depth 24, little
 * endian, true colour, maxima 255, shifts 16, 8, 0, the name "fuzz". */
static const uint8_t handshake[] = {
	'R', 'F', 'B', ' ', '0', '0', '3', '.', '0', '0', '8', '\n',
	1, 1,
	0, 0, 0, 0,
	0, SCREEN_W, 0, SCREEN_H,
	32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0,
	0, 0, 0, 4, 'f', 'u', 'z', 'z',
};


/* The handshake, then the input, as an FBS capture. */
static void write_capture(const char *capture, const uint8_t *data, size_t size)
{
	struct vb_error err;
	struct fbs_writer *w;
	uint32_t ms = 0;
	size_t off;

	unlink(capture); /* the writer creates a new file, never overwrites one */
	w = fbs_writer_open(capture, &err);
	if (!w || fbs_writer_add(w, handshake, sizeof(handshake), ms) < 0)
		abort();
	for (off = 0; off < size; off += BLOCK_BYTES) {
		size_t n = size - off < BLOCK_BYTES ? size - off : BLOCK_BYTES;

		ms += 10;
		if (fbs_writer_add(w, data + off, n, ms) < 0)
			abort();
	}
	if (fbs_writer_close(w, &err) < 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct scratch *sc = scratch_get("vbfuzzrfb");
	struct replay_options o = {
		.outdir = sc->frames, .every_ms = 0, .max_frames = SCRATCH_MAX_FRAMES,
		.timeout_ms = 10000, .max_pixels = 256 * 256,
	};
	struct vb_error err;
	int n = -1;

	write_capture(sc->capture, data, size);
	if (replay_capture(sc->capture, &o, &n, &err) < 0) {
		if (err.status != VB_FAILED || !err.message[0])
			abort();
	}
	if (n < 0 || n > o.max_frames)
		abort();
	return 0;
}
