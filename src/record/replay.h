/* replay.h: play an FBS capture of a server's stream (fbs.h; what the
 * transport records with record_path set) back through libvncclient, and
 * write the screens it shows as PNG frames. The capture must hold the
 * stream from the start of the connection (the RFB handshake included), as
 * the transport records it, and its updates must be in the pixel format
 * vncbot's session asks for (32 bits a pixel, R,G,B,X bytes), which holds
 * for every capture vncbot made. */
#ifndef VNCBOT_REPLAY_H
#define VNCBOT_REPLAY_H

#include <stdint.h>

#include "util/error.h"

/* Largest framebuffer a capture may declare, in pixels (8192 x 8192). */
#define REPLAY_MAX_PIXELS (8192L * 8192L)

struct replay_options {
	/* Where frame-00001.png, frame-00002.png, ... go (numbered from 1,
	 * five digits, overwritten if present); created, with its parents, if
	 * missing. NULL: write nothing, only play and count (a check). */
	const char *outdir;
	/* 0: a PNG after every frame update. Else at most one PNG per every_ms
	 * of capture time (the first update always gives one), plus the last
	 * screen. Either way the screen as the capture leaves it is the last
	 * frame, even when the capture ends inside an update. */
	long every_ms;
	/* Stop after this many PNGs (a success); 0: no limit. */
	int max_frames;
	/* Give up (VB_FAILED) after this long in all; 0: no total limit. Every
	 * wait is bounded anyway: a capture that stops feeding the decoder for
	 * a few seconds is an error. */
	long timeout_ms;
	/* Refuse framebuffers larger than this; 0: REPLAY_MAX_PIXELS. */
	long max_pixels;
	/* If set, called after each PNG is written (or would be, without
	 * outdir) with its number (from 1), path (NULL without outdir) and
	 * capture time in ms since the connection opened. */
	void (*on_frame)(void *arg, int index, const char *path, uint32_t ms);
	void *on_frame_arg;
};

/* Play the capture at fbs_path and write its frames as o says. Returns 0
 * when the capture played to its end (a capture cut off inside a message
 * counts: a recording stops where the connection did) or max_frames was
 * reached; -1 with err (VB_FAILED) naming the capture when it is not an FBS
 * capture, not a VNC stream, ends before the RFB handshake completed,
 * breaks the protocol midway, is damaged (fbs_reader_next's errors), or
 * a PNG cannot be written. *frames_written (may be NULL) gets the number of
 * PNGs written, also on error (frames before a damaged part are kept).
 * Runs libvncclient on the calling thread and one helper thread of its own;
 * libvncclient's log functions (process globals) are redirected while it
 * runs and restored after, so do not replay while another thread drives a
 * session. */
int replay_capture(const char *fbs_path, const struct replay_options *o,
		   int *frames_written, struct vb_error *err);

#endif
