/* mcp.h: vncbot as an MCP server (Model Context Protocol, JSON-RPC 2.0 over
 * newline-delimited JSON on stdio). The tools are the statement table's
 * statements that act on one console, plus connect, disconnect and
 * run_script; a tool call becomes the statement's script text, parsed by
 * the script parser and run by the backend, so every check and message is a
 * script's. The server knows nothing of sessions: it reaches the console
 * through struct mcp_backend (src/cli/main.c's is the run layer). */
#ifndef VNCBOT_MCP_H
#define VNCBOT_MCP_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include <jansson.h>

#include "script/script.h"
#include "script/vars.h"
#include "util/error.h"

/* The protocol revisions served, the latest first. */
#define MCP_PROTOCOL_LATEST "2025-11-25"

/* What the server does to the console. Each returns 0, or -1 with err. */
struct mcp_backend {
	void *ctx;
	/* Run script (connecting first if no console is open); the variables
	 * it sets and the keys it holds stay for the next call. */
	int (*exec)(void *ctx, const struct script *script, struct vb_error *err);
	/* Open the console at address (NULL: the command line's), closing the
	 * one open now (its held keys released). On success *shown is the
	 * console as logs show it (no token). */
	int (*connect)(void *ctx, const char *address, const char **shown,
		       struct vb_error *err);
	/* Release every held key and close the console, if one is open;
	 * returns whether one was. */
	int (*disconnect)(void *ctx);
	/* The value of a variable a statement set (read NAME), or NULL. */
	const char *(*variable)(void *ctx, const char *name);
};

struct mcp_options {
	struct mcp_backend backend;
	const struct vars *defines;  /* -D */
	const struct vars *secrets;  /* the secrets given, by name (values unused here) */
	const char *scratch_dir;     /* an existing private directory for capture's PNGs */
	int has_address;             /* a console was given on the command line */
	const char *version;         /* serverInfo.version */
};

struct mcp_server;

/* A server; the options' pointers must outlive it. Never NULL. */
struct mcp_server *mcp_new(const struct mcp_options *o);
void mcp_free(struct mcp_server *m);

/* Handle one message (a line without its newline, len bytes, any bytes):
 * the response to write (the caller owns it), or NULL when there is none to
 * give (a notification, a response to us). */
json_t *mcp_handle(struct mcp_server *m, const char *line, size_t len);

/* Serve messages from in, one a line, writing responses to out, until in
 * ends or *stop is nonzero. Returns 0 at the end of in, -1 if out could
 * not be written, or 1 when stopped. */
int mcp_serve(struct mcp_server *m, FILE *in, FILE *out, const volatile sig_atomic_t *stop);


/* docs/mcp.md's tool list: a Markdown table of the tools, their arguments
 * and what they do, made from the same table as tools/list. */
void mcp_print_tools_md(FILE *out);

#endif
