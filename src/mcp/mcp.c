/* mcp.c: the MCP server's JSON-RPC 2.0 side: one message a line (the MCP
 * stdio transport), read and written with jansson; initialize (with the
 * protocol version negotiated), ping, tools/list and tools/call, and the
 * JSON-RPC errors for everything else. Any bytes in, never a crash: a line
 * that is not a request gets an error response or, when nothing can be
 * answered, nothing. The tools themselves are tools.c's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mcp/mcp_int.h"
#include "util/json.h"
#include "util/log.h"

/* Served, the latest first: a client asking for another gets the latest. */
static const char *const protocol_versions[] = { MCP_PROTOCOL_LATEST, "2025-06-18", NULL };

/* A line longer than this is refused without being parsed. */
#define MCP_LINE_MAX (64u << 20)

struct mcp_server *mcp_new(const struct mcp_options *o)
{
	struct mcp_server *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	m->o = *o;
	m->ntools = mcp_tools_make(m->tools, MCP_TOOLS_MAX);
	return m;
}

void mcp_free(struct mcp_server *m)
{
	if (!m)
		return;
	free(m->address);
	free(m);
}

static json_t *response(json_t *id, json_t *result)
{
	json_t *r = json_object();

	json_object_set_new(r, "jsonrpc", json_string("2.0"));
	json_object_set(r, "id", id ? id : json_null());
	json_object_set_new(r, "result", result);
	return r;
}

static json_t *error_response(json_t *id, int code, const char *message)
{
	json_t *r = json_object(), *e = json_object();

	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "message", json_text(message));
	json_object_set_new(r, "jsonrpc", json_string("2.0"));
	json_object_set(r, "id", id ? id : json_null());
	json_object_set_new(r, "error", e);
	return r;
}

static json_t *initialize(struct mcp_server *m, json_t *params)
{
	const char *asked = json_string_value(json_object_get(params, "protocolVersion"));
	const char *version = MCP_PROTOCOL_LATEST;
	json_t *r = json_object(), *caps = json_object(), *tools = json_object(),
	       *info = json_object();
	size_t i;

	for (i = 0; asked && protocol_versions[i]; i++)
		if (strcmp(asked, protocol_versions[i]) == 0)
			version = protocol_versions[i];
	m->initialized = 1;
	json_object_set_new(tools, "listChanged", json_false());
	json_object_set_new(caps, "tools", tools);
	json_object_set_new(info, "name", json_string("vncbot"));
	json_object_set_new(info, "version", json_string(m->o.version ? m->o.version : ""));
	json_object_set_new(r, "protocolVersion", json_string(version));
	json_object_set_new(r, "capabilities", caps);
	json_object_set_new(r, "serverInfo", info);
	json_object_set_new(r, "instructions", json_string(
		"vncbot drives one VNC console with checked actions: type text exactly, press "
		"keys, wait for the screen, read it by OCR, take screenshots. Secrets are typed "
		"by name with type_secret and never shown. Keys held with down are released by "
		"up, disconnect, or when the server ends."));
	return r;
}

static json_t *tools_list(struct mcp_server *m)
{
	json_t *r = json_object(), *list = json_array();
	size_t i;

	for (i = 0; i < m->ntools; i++) {
		json_t *t = json_object();

		json_object_set_new(t, "name", json_string(m->tools[i].name));
		json_object_set_new(t, "description",
				    json_text(mcp_tool_description(&m->tools[i])));
		json_object_set_new(t, "inputSchema", mcp_tool_schema(&m->tools[i]));
		json_array_append_new(list, t);
	}
	json_object_set_new(r, "tools", list);
	return r;
}

static json_t *tools_call(struct mcp_server *m, json_t *id, json_t *params)
{
	const char *name = json_string_value(json_object_get(params, "name"));
	json_t *args = json_object_get(params, "arguments"), *result, *empty = NULL;
	char msg[300] = "";
	int code = 0;
	size_t i;

	if (!name)
		return error_response(id, MCP_INVALID_PARAMS,
				      "tools/call needs params.name, the tool's name");
	if (args && !json_is_object(args) && !json_is_null(args))
		return error_response(id, MCP_INVALID_PARAMS,
				      "tools/call: params.arguments must be an object");
	if (!args || json_is_null(args))
		args = empty = json_object();
	for (i = 0; i < m->ntools; i++)
		if (strcmp(m->tools[i].name, name) == 0)
			break;
	if (i == m->ntools) {
		snprintf(msg, sizeof(msg), "unknown tool '%.60s' (tools/list lists them)", name);
		json_decref(empty);
		return error_response(id, MCP_INVALID_PARAMS, msg);
	}
	result = mcp_tools_call(m, &m->tools[i], args, &code, msg, sizeof(msg));
	json_decref(empty);
	if (!result)
		return error_response(id, code ? code : MCP_INVALID_PARAMS, msg);
	return response(id, result);
}

/* Is id a request id MCP allows: a string or an integer? */
static int id_ok(const json_t *id)
{
	return json_is_string(id) || json_is_integer(id);
}

json_t *mcp_handle(struct mcp_server *m, const char *line, size_t len)
{
	json_error_t je;
	json_t *msg, *id, *method, *params, *r;
	const char *name;
	char text[300];

	if (len > MCP_LINE_MAX)
		return error_response(NULL, MCP_PARSE_ERROR, "parse error: the message is too long");
	msg = json_loadb(line, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
	if (!msg) {
		snprintf(text, sizeof(text), "parse error: %s (column %d)", je.text, je.column);
		return error_response(NULL, MCP_PARSE_ERROR, text);
	}
	if (!json_is_object(msg)) {
		json_decref(msg);
		return error_response(NULL, MCP_INVALID_REQUEST,
				      "invalid request: a message is one JSON object "
				      "(MCP has no batches)");
	}
	id = json_object_get(msg, "id");
	method = json_object_get(msg, "method");
	params = json_object_get(msg, "params");
	if (!method && id && (json_object_get(msg, "result") || json_object_get(msg, "error"))) {
		json_decref(msg); /* a response to us: we ask nothing, so nothing to do */
		return NULL;
	}
	if (id && !id_ok(id)) {
		json_decref(msg);
		return error_response(NULL, MCP_INVALID_REQUEST,
				      "invalid request: id must be a string or an integer");
	}
	if (!json_is_string(method) || !json_is_string(json_object_get(msg, "jsonrpc")) ||
	    strcmp(json_string_value(json_object_get(msg, "jsonrpc")), "2.0") != 0) {
		/* A broken notification has nobody to tell. */
		r = id ? error_response(id, MCP_INVALID_REQUEST,
					"invalid request: needs \"jsonrpc\": \"2.0\" and a "
					"method name") : NULL;
		json_decref(msg); /* id is msg's: after the response holds it */
		return r;
	}
	name = json_string_value(method);
	if (!id) { /* a notification: initialized, cancelled, ...: nothing to answer */
		log_msg(LOG_DEBUG, "mcp: notification %s", name);
		json_decref(msg);
		return NULL;
	}
	json_incref(id);
	if (params && !json_is_object(params)) {
		r = error_response(id, MCP_INVALID_PARAMS, "params must be an object");
	} else if (strcmp(name, "initialize") == 0) {
		r = response(id, initialize(m, params));
	} else if (strcmp(name, "ping") == 0) {
		r = response(id, json_object());
	} else if (strcmp(name, "tools/list") == 0) {
		r = response(id, tools_list(m));
	} else if (strcmp(name, "tools/call") == 0) {
		r = tools_call(m, id, params);
	} else {
		snprintf(text, sizeof(text), "method not found: %.100s", name);
		r = error_response(id, MCP_METHOD_NOT_FOUND, text);
	}
	json_decref(id);
	json_decref(msg);
	return r;
}

int mcp_serve(struct mcp_server *m, FILE *in, FILE *out, const volatile sig_atomic_t *stop)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	for (;;) {
		json_t *r;

		if (stop && *stop) {
			rc = 1;
			break;
		}
		errno = 0;
		n = getline(&line, &cap, in);
		if (n < 0) {
			if (errno == EINTR && !feof(in)) {
				clearerr(in);
				continue; /* the loop's top looks at *stop */
			}
			break;
		}
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			n--;
		if (n == 0)
			continue;
		r = mcp_handle(m, line, (size_t)n);
		if (r && json_write_line(out, r) < 0) {
			json_decref(r);
			rc = -1;
			break;
		}
		json_decref(r);
	}
	free(line);
	return rc;
}
