/* fbs.h: captures of a VNC server's stream in the FBS format (RFB session
 * capture, "FBS 001.000", as rfbproxy and the TightVNC tools write it): the
 * header line "FBS 001.000\n", then blocks, each a u32 length (big-endian),
 * that many bytes of the server's stream padded with zeros to a multiple of
 * 4, and a u32 timestamp (big-endian) in milliseconds since the connection
 * opened. The writer is what the transport records with; the reader is what
 * replay plays from. Neither knows RFB. */
#ifndef VNCBOT_FBS_H
#define VNCBOT_FBS_H

#include <stddef.h>
#include <stdint.h>

#include "util/error.h"

#define FBS_HEADER "FBS 001.000\n"
#define FBS_HEADER_LEN 12
/* The reader refuses longer blocks: no recorder writes them (the transport
 * records what one read() returned), and a corrupt length must not make us
 * allocate gigabytes. */
#define FBS_MAX_BLOCK (64u * 1024 * 1024)

struct fbs_writer;
struct fbs_reader;

/* Create path, which must not exist yet (a --record directory is new or
 * empty; a link planted there is not followed), and write the FBS header.
 * Returns the writer (free it with fbs_writer_close), or NULL with err
 * (VB_FAILED) naming path and the reason. */
struct fbs_writer *fbs_writer_open(const char *path, struct vb_error *err);

/* Append one block: len bytes of the server's stream received ms
 * milliseconds after the connection opened (a time earlier than the last
 * block's is written as the last block's).
 * Each block goes to the file in one write, unbuffered, so a capture cut
 * short by a crash ends on a block boundary. len 0 adds nothing; len over
 * FBS_MAX_BLOCK is split. Returns 0, or -1 on a write error; after an error
 * the writer is failed and further adds are no-ops returning -1
 * (fbs_writer_close reports the error). */
int fbs_writer_add(struct fbs_writer *w, const void *data, size_t len, uint32_t ms);

/* Bytes of stream data added so far (headers and padding not counted):
 * the stream offset of the next byte added. */
uint64_t fbs_writer_bytes(const struct fbs_writer *w);

/* A blank span (--record-blank-secrets): leave the stream from offset on
 * out of the capture until fbs_writer_blank_end, and show a blank screen in
 * its place. offset and end's offset count stream bytes from the first one
 * added and must fall between two RFB messages (the session knows where),
 * and the stream must have no state that spans messages (no zlib: the
 * session asks for copyrect, hextile and raw only), so that a replay goes
 * on decoding after the cut. What was already written past offset is taken
 * back out of the file (the writer remembers where its last 4096 stream
 * blocks are); what comes next is held in memory, at most 32 MiB. width x
 * height is the screen at offset. Begin during a span does nothing. Returns
 * 0, or -1 when the writer failed or stopped: offset too far back to find,
 * more than 32 MiB held (the capture then ends at offset with the blank
 * screen), a write error; fbs_writer_close tells which. */
int fbs_writer_blank_begin(struct fbs_writer *w, uint64_t offset, int width, int height);

/* End the span at offset (stream bytes, as for begin): the stream between
 * the two offsets is dropped, one FramebufferUpdate painting the whole
 * width x height screen flat grey (0x808080, Raw, 32 bits a pixel; after a
 * DesktopSize rectangle if the size changed) is written in its place, at
 * the time of the first byte kept (ms if none), then the held bytes from
 * offset on. Without a span: nothing. Returns 0 or -1 as fbs_writer_add.
 * A span still open at fbs_writer_close keeps none of its bytes: the
 * capture ends on the blank screen. */
int fbs_writer_blank_end(struct fbs_writer *w, uint64_t offset, int width, int height,
			 uint32_t ms);

/* Close the file and free w. Returns 0, or -1 with err (VB_FAILED) naming
 * the file if any write or the close failed. NULL is a no-op returning 0. */
int fbs_writer_close(struct fbs_writer *w, struct vb_error *err);

/* Open path and check the FBS header. Returns the reader (free it with
 * fbs_reader_close), or NULL with err naming the file: VB_USAGE if it cannot
 * be opened or is not a regular file (a FIFO is refused without waiting),
 * VB_FAILED if it is not an FBS 001.000 capture. */
struct fbs_reader *fbs_reader_open(const char *path, struct vb_error *err);

/* The next block: *data points to *len bytes (owned by the reader, valid
 * until the next call), *ms is its timestamp. Returns 1 for a block, 0 at
 * the end of the file, or -1 with err (VB_FAILED) naming the file and the
 * byte offset of the bad block: cut short, a length over FBS_MAX_BLOCK, a
 * timestamp earlier than the block before, or a read error. After 0 or -1,
 * further calls return the same without reading. Blocks of length 0 are
 * returned as they are. */
int fbs_reader_next(struct fbs_reader *r, const uint8_t **data, size_t *len,
		    uint32_t *ms, struct vb_error *err);

/* Byte offset in the file where the next block starts. */
uint64_t fbs_reader_offset(const struct fbs_reader *r);

/* Close and free. NULL is a no-op. */
void fbs_reader_close(struct fbs_reader *r);

#endif
