/* mcp_int.h: what mcp.c (JSON-RPC) and tools.c (the tools) share; not for
 * the rest of vncbot, which sees mcp.h only. */
#ifndef VNCBOT_MCP_INT_H
#define VNCBOT_MCP_INT_H

#include "mcp/mcp.h"
#include "script/stmt.h"

/* JSON-RPC's error codes. */
enum {
	MCP_PARSE_ERROR = -32700,
	MCP_INVALID_REQUEST = -32600,
	MCP_METHOD_NOT_FOUND = -32601,
	MCP_INVALID_PARAMS = -32602,
};

enum mcp_tool_kind { MCP_TOOL_STMT, MCP_TOOL_CONNECT, MCP_TOOL_DISCONNECT, MCP_TOOL_RUN_SCRIPT };

struct mcp_tool {
	const char *name;
	enum mcp_tool_kind kind;
	const struct stmt_def *def;   /* MCP_TOOL_STMT: the statement and form */
	const struct stmt_form *form;
};

#define MCP_TOOLS_MAX 32

struct mcp_server {
	struct mcp_options o;
	struct mcp_tool tools[MCP_TOOLS_MAX];
	size_t ntools;
	char *address;       /* the last address connect was given; owned */
	unsigned captures;   /* capture's PNGs so far, for their names */
	int initialized;
};

/* The tools, connect first; returns how many (at most max). */
size_t mcp_tools_make(struct mcp_tool *tools, size_t max);
const char *mcp_tool_description(const struct mcp_tool *t);
/* The tool's inputSchema (the caller owns it). */
json_t *mcp_tool_schema(const struct mcp_tool *t);
/* A CallToolResult with one text item. */
json_t *mcp_result_text(const char *text, int is_error);
/* Call tool with args (an object): its CallToolResult (a tool error is one,
 * isError true), or NULL with *code and msg for a JSON-RPC error. */
json_t *mcp_tools_call(struct mcp_server *m, const struct mcp_tool *tool, const json_t *args,
		       int *code, char *msg, size_t size);

#endif
