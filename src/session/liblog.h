/* liblog.h: libvncclient reports through two process-wide log functions.
 * This routes them into vncbot's log (debug level) and keeps the last line,
 * which is often the only account of why a handshake or a replay failed.
 * Used by the session and by replay; one libvncclient user at a time. */
#ifndef VNCBOT_LIBLOG_H
#define VNCBOT_LIBLOG_H

/* Point rfbClientLog and rfbClientErr here. Each line (line end removed) is
 * logged as "PREFIX: line" and passed to observe (may be NULL). Clears the
 * last line. prefix must stay valid while captured. */
void liblog_capture(const char *prefix, void (*observe)(const char *line));

/* The last line libvncclient printed since liblog_capture, or "". */
const char *liblog_last(void);

#endif
