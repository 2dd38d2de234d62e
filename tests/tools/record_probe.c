/* record_probe.c: a test tool for the capture of the server's stream. It
 * connects to a console through the session (so through the transport and
 * its recording tap, TCP or WebSocket alike) with the capture on, lets the
 * screen arrive, types a few keys, closes; then replays the capture into
 * PNG frames and prints what the frames show, for a test to check:
 *
 *   record_probe ADDRESS CAPTURE.fbs FRAMEDIR [EVERY_MS]
 *
 * prints "recorded BYTES", "frames N", "last WxH", "pixel RRGGBB" (the
 * colour at 1000,10 of the last frame: the practice console's title bar,
 * right of its text) on stdout; errors on stderr, exit 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/replay.h"
#include "screen/screen.h"
#include "session/session.h"
#include "url/url.h"

static int die(const struct vb_error *err)
{
	fprintf(stderr, "record_probe: %s%s%s\n", err->message, err->hint[0] ? "\nhint: " : "",
		err->hint);
	return 1;
}

static int record(const char *address, const char *capture, struct vb_error *err)
{
	static const uint32_t keys[] = { 'p', 'r', 'o', 'b', 'e' };
	struct session_options o;
	struct url_spec spec;
	struct session *s;
	size_t i;

	if (url_parse(address, &spec, err) < 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.transport.connect_timeout_ms = 10000;
	o.transport.record_path = capture;
	o.connect_timeout_ms = 10000;
	o.read_timeout_ms = 10000;
	o.key_delay_ms = -1;
	o.sync_every = SESSION_SYNC_EVERY;
	s = session_open(&spec, &o, err);
	if (!s)
		return -1;
	if (session_pause(s, 500, err) < 0)
		goto fail;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (session_key(s, keys[i], 1, err) < 0 || session_key(s, keys[i], 0, err) < 0)
			goto fail;
	if (session_sync(s, err) < 0 || session_pause(s, 300, err) < 0)
		goto fail;
	session_close(s);
	return 0;
fail:
	session_close(s);
	return -1;
}

int main(int argc, char **argv)
{
	struct replay_options ro = { 0 };
	struct screen_image img;
	struct vb_error err;
	char last[4096];
	const uint8_t *p;
	FILE *f;
	long size;
	int frames = 0;

	if (argc < 4 || argc > 5) {
		fprintf(stderr, "usage: record_probe ADDRESS CAPTURE.fbs FRAMEDIR [EVERY_MS]\n");
		return 2;
	}
	if (record(argv[1], argv[2], &err) < 0)
		return die(&err);
	f = fopen(argv[2], "rb");
	if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0) {
		fprintf(stderr, "record_probe: cannot read %s back\n", argv[2]);
		return 1;
	}
	fclose(f);
	printf("recorded %ld\n", size);
	ro.outdir = argv[3];
	ro.every_ms = argc == 5 ? atol(argv[4]) : 0;
	ro.timeout_ms = 60000;
	if (replay_capture(argv[2], &ro, &frames, &err) < 0)
		return die(&err);
	printf("frames %d\n", frames);
	if (frames == 0)
		return 0;
	snprintf(last, sizeof(last), "%s/frame-%05d.png", argv[3], frames);
	if (screen_read_png(last, &img, &err) < 0)
		return die(&err);
	printf("last %dx%d\n", img.width, img.height);
	if (img.width > 1000 && img.height > 10) {
		p = img.pixels + 10 * img.stride + 1000 * 4;
		printf("pixel %02X%02X%02X\n", p[0], p[1], p[2]);
	}
	screen_image_free(&img);
	return 0;
}
