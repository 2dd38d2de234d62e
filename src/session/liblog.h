/* liblog.h: libvncclient reports through two process-wide log functions,
 * with no word of which client speaks. This routes their lines, per thread,
 * to the capture of the libvncclient user running on that thread (a session,
 * a replay): each line goes into vncbot's log (debug level), is kept as the
 * user's last line (often the only account of why a handshake or a replay
 * failed), and is shown to the user's observer. No state is shared between
 * users: two sessions on two threads each see their own lines. */
#ifndef VNCBOT_LIBLOG_H
#define VNCBOT_LIBLOG_H

struct liblog {
	const char *prefix; /* "libvncclient": how lines show in the log */
	/* Sees each line (line end removed); may be NULL. */
	void (*observe)(struct liblog *l, const char *line);
	void *ctx;          /* the observer's */
	char last[256];     /* the last line, or "" */
};

/* Route this thread's libvncclient lines to l from now on (NULL: to the log
 * only), and return the route there was, to put back with another call when
 * l's user is done. */
struct liblog *liblog_attach(struct liblog *l);

#endif
