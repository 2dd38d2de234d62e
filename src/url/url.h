/* url.h: every console address form of DESIGN.md section 3 -> a connection
 * spec. Pure parsing, no I/O, no name resolution. */
#ifndef VNCBOT_URL_H
#define VNCBOT_URL_H

#include "util/error.h"

enum url_kind {
	URL_TCP, /* plain RFB over TCP */
	URL_WS,  /* RFB inside a WebSocket */
	URL_WSS, /* RFB inside a WebSocket over TLS */
};

struct url_spec {
	enum url_kind kind;
	char host[256];      /* host name or IP literal, IPv6 without brackets */
	int port;            /* 1..65535 */
	char resource[4096]; /* ws/wss: path plus "?query", byte for byte; "/" if
				none. Empty for TCP. */
};

/* Parse ADDRESS:
 *   vnc://host[:port]   RFC 7869, TCP port (default 5900); a query is ignored
 *   host:N              display N, port 5900+N
 *   host::port          TCP port
 *   host                port 5900
 *   ws://host[:port]/path?query     (default port 80)
 *   wss://host[:port]/path?query    (default port 443)
 *   http(s)://page...?P=ws%3A%2F%2F...   a console page URL carrying the
 *          WebSocket URL percent-encoded in a query parameter (Tencent Cloud's
 *          InstanceVncUrl, or any parameter whose decoded value is ws:// or wss://)
 * IPv6 literals go in brackets: [::1]:1, [::1]::5901, vnc://[::1]:5901.
 * A password in the address (vnc://user:pw@host) is refused: the password
 * never goes on the command line.
 * Returns 0, or -1 with err (status VB_USAGE) saying what is wrong and how an
 * address should look. */
int url_parse(const char *address, struct url_spec *out, struct vb_error *err);

/* A one-line description for logs: "tcp 127.0.0.1:5901", "wss host:443/vnc?…".
 * The query is elided (it carries the console's token). */
void url_describe(const struct url_spec *spec, char *buf, size_t size);

#endif
