/* fbguard.c: the libvncclient client vncbot makes, its framebuffer and the
 * server messages vncbot refuses, for the session and replay alike
 * (fbguard.h). Only what checks
 * the server's numbers lives here; what a frame means is the caller's. */
#include "session/fbguard.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char fbguard_tag[] = "vncbot-fbguard";

static struct fbguard *guard_of(rfbClient *client)
{
	return rfbClientGetClientData(client, (void *)fbguard_tag);
}

static rfbBool malloc_fb(rfbClient *client)
{
	struct fbguard *g = guard_of(client);
	int w = client->width, h = client->height;
	uint8_t *fb = NULL;

	if (w > 0 && h > 0 && w <= FBGUARD_MAX_SIDE && h <= FBGUARD_MAX_SIDE &&
	    (unsigned long long)w * (unsigned long long)h <= g->max_pixels)
		fb = calloc((size_t)w * (size_t)h, 4); /* 32 bits a pixel: ours */
	if (!fb) {
		snprintf(g->refused, sizeof(g->refused), "%dx%d", w, h);
		rfbClientErr("server framebuffer size %dx%d refused\n", w, h);
		/* Back to the buffer there is, so nothing is decoded with the
		 * refused size into it. */
		client->width = g->w;
		client->height = g->h;
		client->frameBuffer = g->fb;
		client->updateRect.x = client->updateRect.y = 0;
		client->updateRect.w = g->w;
		client->updateRect.h = g->h;
		return FALSE;
	}
	free(g->fb);
	g->fb = fb;
	g->w = w;
	g->h = h;
	client->frameBuffer = fb;
	return TRUE;
}

static void got_copy_rect(rfbClient *client, int src_x, int src_y, int w, int h,
			  int dest_x, int dest_y)
{
	struct fbguard *g = guard_of(client);

	if (src_x < 0 || src_y < 0 || w < 0 || h < 0 || src_x > client->width - w ||
	    src_y > client->height - h) {
		if (!g->bad[0])
			snprintf(g->bad, sizeof(g->bad), "sent a copy from %d,%d (%dx%d), "
				 "outside the %dx%d screen", src_x, src_y, w, h, client->width,
				 client->height);
		return;
	}
	g->copy_rect(client, src_x, src_y, w, h, dest_x, dest_y);
}

/* libvncclient 0.9.14 hands over the JPEG data it malloc'ed and leaves it
 * to this callback. */
static rfbBool got_jpeg(rfbClient *client, const uint8_t *buffer, int length, int x, int y,
			int w, int h)
{
	struct fbguard *g = guard_of(client);

	free((void *)buffer);
	if (!g->bad[0])
		snprintf(g->bad, sizeof(g->bad), "sent a JPEG rectangle (%dx%d at %d,%d, %d "
			 "bytes), which vncbot never asks for", w, h, x, y, length);
	return FALSE;
}

rfbClient *fbguard_client_new(struct fbguard *g, unsigned long long max_pixels, int sock,
			      const char *host)
{
	rfbClient *c = rfbGetClient(8, 3, 4); /* 32 bits a pixel: bytes R, G, B, X */

	if (!c)
		abort();
	memset(g, 0, sizeof(*g));
	g->max_pixels = max_pixels ? max_pixels : FBGUARD_MAX_PIXELS;
	rfbClientSetClientData(c, (void *)fbguard_tag, g);
	c->MallocFrameBuffer = malloc_fb;
	g->copy_rect = c->GotCopyRect;
	c->GotCopyRect = got_copy_rect;
	c->GotJpeg = got_jpeg;
	/* Lossless only: JPEG would blur the pixels that needles, colour
	 * shares and text recognition compare. */
	c->appData.enableJPEG = FALSE;
	c->canHandleNewFBSize = TRUE;
	free(c->serverHost); /* rfbGetClient's default, "" */
	c->serverHost = xstrdup(host);
	c->sock = sock;
	c->listenSpecified = TRUE; /* connected already: libvncclient skips connecting */
	return c;
}

int fbguard_refusal(const struct fbguard *g, char *buf, size_t size)
{
	if (g->bad[0])
		snprintf(buf, size, "%s", g->bad);
	else if (g->refused[0])
		snprintf(buf, size, "announced a %s screen, which vncbot refuses: it takes "
			 "1x1 to %dx%d, at most %llu Mpx", g->refused, FBGUARD_MAX_SIDE,
			 FBGUARD_MAX_SIDE, g->max_pixels >> 20);
	else
		return 0;
	return 1;
}

void fbguard_free(struct fbguard *g)
{
	free(g->fb);
	g->fb = NULL;
	g->w = g->h = 0;
}
