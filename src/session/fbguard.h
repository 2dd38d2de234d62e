/* fbguard.h: the libvncclient client vncbot makes, and what it accepts of
 * a server's messages, for every client it runs (a live session, the
 * replay of a capture).
 * It owns the framebuffer: every size a server announces (ServerInit,
 * DesktopSize, ExtendedDesktopSize, the old resize messages) is either
 * given a buffer that fits it or refused with libvncclient's width and
 * height put back to the buffer's, so nothing is ever decoded with one size
 * into a buffer of another. It refuses a CopyRect from outside the screen
 * (libvncclient only logs it) and a Tight JPEG rectangle (vncbot never asks
 * for JPEG, and libvncclient 0.9.14's JPEG path reads past its buffer on a
 * malformed one). After a refusal the client's call fails; the stream is
 * then unreadable and must not be read again. */
#ifndef VNCBOT_FBGUARD_H
#define VNCBOT_FBGUARD_H

#include <stddef.h>
#include <stdint.h>

#include <rfb/rfbclient.h>

/* The largest screen vncbot takes: 16384 a side and 64 Mpx (256 MiB at 4
 * bytes a pixel), well beyond any console, far below what a hostile server
 * could make it allocate. */
#define FBGUARD_MAX_SIDE 16384
#define FBGUARD_MAX_PIXELS (64ull * 1024 * 1024)

struct fbguard {
	uint8_t *fb; /* the framebuffer, 4 bytes a pixel, owned here */
	int w, h;    /* its size */
	unsigned long long max_pixels;
	char refused[96]; /* "WxH" a server announced and was refused, or "" */
	char bad[160];    /* a message refused and why ("a copy from ..."), or "" */
	GotCopyRectProc copy_rect; /* libvncclient's own, called once checked */
};

/* The libvncclient client vncbot makes, the same for the session and
 * replay: 32 bits a pixel (bytes R, G, B, X), resizes taken, the guard's
 * MallocFrameBuffer, GotCopyRect and GotJpeg installed (max_pixels 0:
 * FBGUARD_MAX_PIXELS; g must outlive the client), reading the stream from
 * sock (one end of a socketpair) as if connected to host. The caller adds
 * its own callbacks and timeouts, then calls rfbInitClient, which on
 * failure frees the client and closes sock. */
rfbClient *fbguard_client_new(struct fbguard *g, unsigned long long max_pixels, int sock,
			      const char *host);

/* Why the guard refused the stream, as the end of a sentence ("announced a
 * 16385x1 screen, larger than ..."), into buf; 0 if it refused nothing. */
int fbguard_refusal(const struct fbguard *g, char *buf, size_t size);

/* Free the framebuffer (after rfbClientCleanup, which does not). */
void fbguard_free(struct fbguard *g);

#endif
