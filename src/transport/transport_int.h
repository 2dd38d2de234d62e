/* transport_int.h: what the transport's backends (tcp.c, later ws.c) share
 * with transport.c. Not for other modules. */
#ifndef VNCBOT_TRANSPORT_INT_H
#define VNCBOT_TRANSPORT_INT_H

#include "transport/transport.h"

/* Connect a TCP socket to host:port within timeout_ms; returns the fd
 * (blocking mode restored, TCP_NODELAY set) or -1 with err. */
int tcp_connect(const char *host, int port, long timeout_ms,
		struct vb_error *err);

#endif
