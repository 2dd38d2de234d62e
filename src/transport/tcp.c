/* tcp.c: connecting a TCP socket with a deadline, to every address a name
 * resolves to in turn, with an error that says which and why. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "transport/transport_int.h"
#include "util/clock.h"

static int connect_one(const struct addrinfo *ai, long long deadline,
		       int *why)
{
	int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
			ai->ai_protocol);
	int flags, one = 1;

	if (fd < 0) {
		*why = errno;
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, flags | O_NONBLOCK);
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int rc = 0, soerr = 0;
		socklen_t len = sizeof(soerr);

		if (errno != EINPROGRESS) {
			*why = errno;
			close(fd);
			return -1;
		}
		while (rc == 0) {
			long long left = deadline - clock_now_ms();

			if (left <= 0) {
				*why = ETIMEDOUT;
				close(fd);
				return -1;
			}
			rc = poll(&p, 1, left > 1000 ? 1000 : (int)left);
			if (rc < 0 && errno == EINTR)
				return close(fd), *why = EINTR, -1;
		}
		if (rc < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0 ||
		    soerr) {
			*why = soerr ? soerr : errno;
			close(fd);
			return -1;
		}
	}
	fcntl(fd, F_SETFL, flags);
	/* Key events are tiny; send each at once. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

static const char *advice(int why)
{
	switch (why) {
	case ECONNREFUSED:
		return "is the VNC server running and listening on this port?";
	case ETIMEDOUT:
		return "is the address right and the port open in the firewall? "
		       "(--connect-timeout sets how long to try)";
	case ENETUNREACH:
	case EHOSTUNREACH:
		return "check the address and the network route to it";
	default:
		return "check the address";
	}
}

int tcp_connect(const char *host, int port, long timeout_ms,
		struct vb_error *err)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM,
				  .ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV };
	struct addrinfo *res, *ai;
	char portstr[16], shown[300];
	long long deadline = clock_now_ms() + timeout_ms;
	int rc, fd = -1, why = 0;

	snprintf(portstr, sizeof(portstr), "%d", port);
	snprintf(shown, sizeof(shown), strchr(host, ':') ? "[%s]:%d" : "%s:%d",
		 host, port);
	rc = getaddrinfo(host, portstr, &hints, &res);
	if (rc != 0) {
		vb_fail(err, VB_CONNECT, "cannot resolve '%s': %s", host,
			gai_strerror(rc));
		return vb_hint(err, "check the host name, or use its IP address");
	}
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = connect_one(ai, deadline, &why);
		if (why == EINTR || why == ETIMEDOUT)
			break;
	}
	freeaddrinfo(res);
	if (fd >= 0)
		return fd;
	if (why == EINTR)
		return vb_fail(err, VB_CONNECT, "interrupted while connecting to %s", shown);
	if (why == ETIMEDOUT)
		vb_fail(err, VB_CONNECT, "no answer from %s within %.1fs", shown,
			timeout_ms / 1000.0);
	else
		vb_fail(err, VB_CONNECT, "cannot connect to %s: %s", shown, strerror(why));
	return vb_hint(err, "%s", advice(why));
}
