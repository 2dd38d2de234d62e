/* connect_command.h: --connect-command, for consoles whose addresses serve
 * one connection and expire in seconds (cloud consoles): a fresh address
 * from a command, for every connection. */
#ifndef VNCBOT_CONNECT_COMMAND_H
#define VNCBOT_CONNECT_COMMAND_H

#include "util/error.h"

/* Run command with sh -c (in a process group of its own) and take the first
 * line it prints as the console address (into *address, secmem: it carries
 * a token; the caller frees it with secmem_free). A command that goes on
 * after printing it is stopped half a second later. Returns 0, or -1 with
 * err (VB_CONNECT) if it fails, prints nothing within timeout_ms, or a
 * signal comes (then it is stopped at once). */
int run_connect_command(const char *command, long timeout_ms, char **address,
			struct vb_error *err);

#endif
