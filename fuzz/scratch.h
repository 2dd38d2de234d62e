/* scratch.h: the temporary directory the replay fuzz targets (fuzz_fbs,
 * fuzz_rfb) work in: one capture file and a directory for the frames that
 * replaying it writes, made on first use and removed at exit. */
#ifndef VNCBOT_FUZZ_SCRATCH_H
#define VNCBOT_FUZZ_SCRATCH_H

/* Replays write at most this many frames (replay_options.max_frames). */
#define SCRATCH_MAX_FRAMES 4

struct scratch {
	char dir[64];
	char capture[128]; /* DIR/in.fbs */
	char frames[128];  /* DIR/frames */
};

/* The scratch directory, made the first time (/tmp/PREFIX.XXXXXX) and
 * removed with what is in it when the program exits. */
const struct scratch *scratch_get(const char *prefix);

#endif
