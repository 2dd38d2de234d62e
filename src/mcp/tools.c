/* tools.c: the MCP server's tools. The statement tools are made from the
 * statement table (names, descriptions, and an input schema from
 * stmt_args_describe); a call is turned into the statement's script text,
 * wrapped in a step named after the call so the evidence shows each call as
 * a step, parsed by the script parser and run by the backend. Arguments the
 * server fills itself (read's variable, capture's file) are what the tool
 * returns instead. The JSON-RPC side is mcp.c's. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libwebsockets.h>

#include "mcp/mcp_int.h"
#include "script/ast.h"
#include "script/source.h"
#include "script/stmt.h"
#include "util/json.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/strdist.h"

/* The statements an agent may call, as tools: those that act on the
 * console or look at it. Blocks (if, retry, step), variables (set,
 * default), include, fail and reconnect are a script's business
 * (run_script runs one); connect stands for reconnect. */
static const char *const stmt_tools[] = {
	"key", "type", "type_secret", "down", "up", "wait", "expect", "read",
	"capture", "move", "click", NULL,
};

/* The variable read's text goes into. */
#define READ_VARIABLE "mcp_read_text"

static int is_stmt_tool(const char *name)
{
	size_t i;

	for (i = 0; stmt_tools[i]; i++)
		if (strcmp(stmt_tools[i], name) == 0)
			return 1;
	return 0;
}

/* An argument the server fills itself: the tool returns it instead. */
static int server_filled(const struct stmt_arg *a)
{
	return a->kind == ARG_VARIABLE || (a->kind == ARG_FILE && (a->flags & ARG_WRITTEN));
}

size_t mcp_tools_make(struct mcp_tool *tools, size_t max)
{
	size_t n = 0, i, f;

	if (n < max)
		tools[n++] = (struct mcp_tool){ .name = "connect", .kind = MCP_TOOL_CONNECT };
	for (i = 0; i < stmt_table_count; i++) {
		const struct stmt_def *def = &stmt_table[i];

		for (f = 0; f < def->impl->nforms; f++) {
			const struct stmt_form *form = &def->impl->forms[f];
			const char *name = stmt_form_tool(def, form);

			if (is_stmt_tool(name) && n < max)
				tools[n++] = (struct mcp_tool){ .name = name, .kind = MCP_TOOL_STMT,
								.def = def, .form = form };
		}
	}
	if (n < max)
		tools[n++] = (struct mcp_tool){ .name = "disconnect", .kind = MCP_TOOL_DISCONNECT };
	if (n < max)
		tools[n++] = (struct mcp_tool){ .name = "run_script", .kind = MCP_TOOL_RUN_SCRIPT };
	return n;
}

const char *mcp_tool_description(const struct mcp_tool *t)
{
	switch (t->kind) {
	case MCP_TOOL_CONNECT:
		return "connect to the console (the address given, or the one vncbot mcp was "
		       "started with), closing the one open now with its held keys released";
	case MCP_TOOL_DISCONNECT:
		return "release every held key and close the console; connect opens it again";
	case MCP_TOOL_RUN_SCRIPT:
		return "run a vncbot script file on the console: the whole file is parsed and "
		       "checked before anything is sent, as vncbot run does";
	case MCP_TOOL_STMT:
		break;
	}
	if (strcmp(t->def->name, "read") == 0)
		return "read the text on the screen (or in a region) by OCR and return it";
	if (strcmp(t->def->name, "capture") == 0)
		return "return a screenshot of the console (or of a region) as a PNG image";
	return t->form->summary ? t->form->summary : t->def->summary;
}

/* ---- schemas ---- */

/* What a string of each format holds, for a schema's description. */
static const char *format_hint(const char *format)
{
	static const struct {
		const char *format, *hint;
	} hints[] = {
		{ "duration", "a duration such as 250ms, 2s or 1m30s" },
		{ "point", "X,Y in pixels from the top left, such as 512,384" },
		{ "region", "X,Y,W,H in pixels, such as 0,0,200,40" },
		{ "key", "a key name (vncbot keys lists them)" },
		{ "chord", "key names or chords such as ctrl-alt-del, separated by spaces" },
		{ "secret", "the name of a secret given to vncbot mcp with --secret" },
		{ "file", "a file path on the machine vncbot runs on" },
		{ "condition", "a screen condition as a script writes it: settled [DURATION], "
			       "changed, image FILE [similarity N], colour C SHARE [tolerance N], "
			       "text \"STRING\" [similar N%], each optionally followed by "
			       "in X,Y,W,H" },
	};
	size_t i;

	for (i = 0; format && i < sizeof(hints) / sizeof(hints[0]); i++)
		if (strcmp(hints[i].format, format) == 0)
			return hints[i].hint;
	return NULL;
}

static void describe_property(const struct stmt_arg_desc *d, void *ctx)
{
	json_t *schema = ctx;
	json_t *props = json_object_get(schema, "properties");
	json_t *prop = json_object();
	struct strbuf t = { 0 };
	const char *hint = format_hint(d->format);
	size_t i;

	if (server_filled(d->arg)) {
		json_decref(prop);
		return;
	}
	json_object_set_new(prop, "type", json_string(strcmp(d->json_type, "integer") == 0 ?
						      "integer" : "string"));
	strbuf_printf(&t, "%s", d->help ? d->help : d->name);
	if (hint)
		strbuf_printf(&t, " (%s)", hint);
	if (d->def)
		strbuf_printf(&t, "; default %s", d->def);
	json_object_set_new(prop, "description", json_text(t.p));
	free(t.p);
	if (d->choices) {
		json_t *e = json_array();

		for (i = 0; d->choices[i]; i++)
			json_array_append_new(e, json_string(d->choices[i]));
		json_object_set_new(prop, "enum", e);
	}
	if (strcmp(d->json_type, "integer") == 0) {
		json_object_set_new(prop, "minimum", json_integer(d->min));
		json_object_set_new(prop, "maximum", json_integer(d->max));
	}
	json_object_set_new(props, d->name, prop);
	if (d->required)
		json_array_append_new(json_object_get(schema, "required"), json_string(d->name));
}

static json_t *schema_new(void)
{
	json_t *s = json_object();

	json_object_set_new(s, "type", json_string("object"));
	json_object_set_new(s, "properties", json_object());
	json_object_set_new(s, "required", json_array());
	json_object_set_new(s, "additionalProperties", json_false());
	return s;
}

static void schema_string(json_t *schema, const char *name, int required, const char *help)
{
	json_t *prop = json_object();

	json_object_set_new(prop, "type", json_string("string"));
	json_object_set_new(prop, "description", json_string(help));
	json_object_set_new(json_object_get(schema, "properties"), name, prop);
	if (required)
		json_array_append_new(json_object_get(schema, "required"), json_string(name));
}

json_t *mcp_tool_schema(const struct mcp_tool *t)
{
	json_t *s = schema_new();

	switch (t->kind) {
	case MCP_TOOL_CONNECT:
		schema_string(s, "address", 0, "the console's address, as vncbot -c takes it "
			      "(vnc://host:port, host::port, ws://..., wss://...); by default the "
			      "one vncbot mcp was started with");
		break;
	case MCP_TOOL_DISCONNECT:
		break;
	case MCP_TOOL_RUN_SCRIPT:
		schema_string(s, "file", 1, "the script file, a path on the machine vncbot "
			      "runs on");
		break;
	case MCP_TOOL_STMT:
		stmt_args_describe(t->form, describe_property, s);
		break;
	}
	if (json_array_size(json_object_get(s, "required")) == 0)
		json_object_del(s, "required");
	return s;
}

/* ---- results ---- */

json_t *mcp_result_text(const char *text, int is_error)
{
	json_t *r = json_object(), *content = json_array(), *item = json_object();

	json_object_set_new(item, "type", json_string("text"));
	json_object_set_new(item, "text", json_text(text));
	json_array_append_new(content, item);
	json_object_set_new(r, "content", content);
	json_object_set_new(r, "isError", json_boolean(is_error));
	return r;
}

/* A tool error: the message as vncbot prints it, FILE:LINE:COL where it
 * has one worth showing (a script file's), the source line and caret, the
 * hint. */
static json_t *result_error(const struct vb_error *err, int with_where)
{
	struct strbuf t = { 0 };
	json_t *r;

	if (with_where && err->where[0])
		strbuf_printf(&t, "%s: error: %s", err->where, err->message);
	else
		strbuf_printf(&t, "error: %s", err->message);
	if (with_where && err->context[0]) {
		const char *nl = strchr(err->context, '\n');

		if (nl)
			strbuf_printf(&t, "\n  %.*s\n  %s", (int)(nl - err->context), err->context,
				      nl + 1);
	}
	if (err->hint[0])
		strbuf_printf(&t, "\nhint: %s", err->hint);
	r = mcp_result_text(t.p, 1);
	free(t.p);
	return r;
}

/* ---- a statement tool's call ---- */

/* Can word stand bare in a statement (a key, a duration, a region)?
 * Nothing that quotes, comments, substitutes, opens a block or ends the
 * statement. */
static int bare_word_ok(const char *w, size_t n)
{
	size_t i;

	if (n == 0)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)w[i];

		if (c <= ' ' || c >= 0x7f || strchr("\"'#;{}$\\", c))
			return 0;
	}
	return 1;
}

/* Is s (n bytes) one line with no statement separator, comment or block
 * outside its "..." and '...' strings? */
static int condition_ok(const char *s, size_t n)
{
	char quote = 0;
	size_t i;

	if (strlen(s) != n)
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '\n' || c == '\r')
			return 0;
		if (quote) {
			if (c == '\\' && quote == '"' && i + 1 < n)
				i++;
			else if (c == quote)
				quote = 0;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (strchr(";#{}", c)) {
			return 0;
		}
	}
	return 1;
}

/* Append argument a's value v to t as a script writes it. Returns 0, or -1
 * with why (a static message) for an argument error. */
static int append_value(struct strbuf *t, const struct stmt_arg *a, const json_t *v,
			const char **why)
{
	size_t i;

	if (a->kind == ARG_INT) {
		if (!json_is_integer(v)) {
			*why = "must be an integer";
			return -1;
		}
		strbuf_printf(t, " %lld", (long long)json_integer_value(v));
		return 0;
	}
	if ((a->flags & ARG_REPEATED) && json_is_array(v)) {
		if (json_array_size(v) == 0) {
			*why = "must not be empty";
			return -1;
		}
		for (i = 0; i < json_array_size(v); i++)
			if (append_value(t, a, json_array_get(v, i), why) < 0)
				return -1;
		return 0;
	}
	if (!json_is_string(v)) {
		*why = (a->flags & ARG_REPEATED) ? "must be a string (or an array of strings)" :
						   "must be a string";
		return -1;
	}
	switch (a->kind) {
	case ARG_STRING:
	case ARG_VALUE:
	case ARG_FILE:
		strbuf_add(t, " ", 1);
		text_quote(t, json_string_value(v), json_string_length(v));
		return 0;
	case ARG_CONDITION:
		/* The script's own syntax; anything that makes it more than the
		 * one statement is refused after the parse too. */
		if (!condition_ok(json_string_value(v), json_string_length(v))) {
			*why = "must be one condition on one line, with no ';', '#' or braces "
			       "outside its strings";
			return -1;
		}
		strbuf_printf(t, " %s", json_string_value(v));
		return 0;
	default: {
		const char *s = json_string_value(v);
		size_t len = json_string_length(v), n = 0;

		if (strlen(s) != len) {
			*why = "must not hold a NUL";
			return -1;
		}
		for (;;) {
			while (*s == ' ')
				s++;
			if (!*s)
				break;
			len = strcspn(s, " ");
			if (!bare_word_ok(s, len) || (n && !(a->flags & ARG_REPEATED))) {
				*why = n ? "takes one word" :
					   "must be a word without spaces, quotes, ';', '#', '$' or braces";
				return -1;
			}
			strbuf_printf(t, " %.*s", (int)len, s);
			s += len;
			n++;
		}
		if (!n) {
			*why = "must not be empty";
			return -1;
		}
		return 0;
	}
	}
}

/* The statement text of a call ("key ctrl-alt-del enter"), into t; file is
 * what a server-filled FILE argument gets. Returns 0, or -1 with *code and
 * msg for an invalid-params error. */
static int statement_text(const struct mcp_tool *tool, const json_t *args, const char *file,
			  struct strbuf *t, char *msg, size_t size)
{
	const struct stmt_form *form = tool->form;
	const char *key;
	json_t *v;
	size_t i;

	json_object_foreach((json_t *)args, key, v) {
		size_t idx;
		const struct stmt_arg *a = stmt_arg_named(form, key, &idx);

		(void)v;
		if (!a || server_filled(a) || (a->flags & ARG_INTERNAL)) {
			snprintf(msg, size, "tool %s has no argument '%.60s'", tool->name, key);
			return -1;
		}
	}
	strbuf_printf(t, "%s", tool->def->name);
	if (form->word)
		strbuf_printf(t, " %s", form->word);
	for (i = 0; i < form->nargs; i++) {
		const struct stmt_arg *a = &form->args[i];
		const char *why = NULL;

		if (a->flags & ARG_INTERNAL)
			continue;
		if (server_filled(a)) {
			if (a->kind == ARG_VARIABLE)
				strbuf_printf(t, " %s", READ_VARIABLE);
			else if (a->keyword == NULL) {
				strbuf_add(t, " ", 1);
				text_quote(t, file, strlen(file));
			}
			continue;
		}
		v = json_object_get(args, a->name);
		if (!v || json_is_null(v)) {
			if (!(a->flags & ARG_OPTIONAL)) {
				snprintf(msg, size, "tool %s needs the argument '%s'", tool->name,
					 a->name);
				return -1;
			}
			continue;
		}
		if (a->keyword)
			strbuf_printf(t, " %s", a->keyword);
		if (append_value(t, a, v, &why) < 0) {
			snprintf(msg, size, "tool %s: argument '%s' %s", tool->name, a->name, why);
			return -1;
		}
	}
	return 0;
}

/* Is script the one step around the one statement of tool's form? */
static int is_one_call(const struct script *script, const struct mcp_tool *tool)
{
	const struct ast_block *b;
	const struct ast_stmt *st;

	if (script->top.count != 1 || strcmp(script->top.items[0].def->name, "step") != 0)
		return 0;
	b = stmt_block(&script->top.items[0], 0, NULL);
	if (!b || b->count != 1)
		return 0;
	st = &b->items[0];
	return st->def == tool->def && st->form == tool->form;
}

static int parse_text(struct mcp_server *m, const char *text, struct script **script,
		      struct vb_error *err)
{
	struct script_env env = { .defines = m->o.defines, .secrets = m->o.secrets,
				  .secrets_required = 1 };

	return script_parse(source_from_string("<mcp>", text), &env, script, err);
}

/* The PNG at path as an image result. */
static json_t *image_result(const char *path, struct vb_error *err)
{
	FILE *f = fopen(path, "rb");
	char *png = NULL, *b64 = NULL;
	long size;
	int n;
	json_t *r = NULL, *content, *item;

	if (!f) {
		vb_fail(err, VB_FAILED, "cannot read the screenshot %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) < 0 || (size = ftell(f)) <= 0 || size > (1L << 28) ||
	    fseek(f, 0, SEEK_SET) < 0) {
		vb_fail(err, VB_FAILED, "cannot read the screenshot %s", path);
		goto out;
	}
	png = malloc((size_t)size);
	b64 = malloc((size_t)size / 3 * 4 + 8);
	if (!png || !b64 || fread(png, 1, (size_t)size, f) != (size_t)size) {
		vb_fail(err, VB_FAILED, "cannot read the screenshot %s", path);
		goto out;
	}
	n = lws_b64_encode_string(png, (int)size, b64, (int)((size_t)size / 3 * 4 + 8));
	if (n < 0) {
		vb_fail(err, VB_FAILED, "cannot encode the screenshot");
		goto out;
	}
	r = json_object();
	content = json_array();
	item = json_object();
	json_object_set_new(item, "type", json_string("image"));
	json_object_set_new(item, "data", json_stringn(b64, (size_t)n));
	json_object_set_new(item, "mimeType", json_string("image/png"));
	json_array_append_new(content, item);
	json_object_set_new(r, "content", content);
	json_object_set_new(r, "isError", json_false());
out:
	free(png);
	free(b64);
	fclose(f);
	return r;
}

static json_t *call_stmt(struct mcp_server *m, const struct mcp_tool *tool,
			 const json_t *args, int *code, char *msg, size_t size)
{
	struct strbuf stmt = { 0 }, text = { 0 };
	struct script *script = NULL;
	struct vb_error err;
	char file[4200] = "";
	json_t *r = NULL;
	size_t i;
	int wants_file = 0;

	vb_error_clear(&err);
	for (i = 0; i < tool->form->nargs; i++)
		if (server_filled(&tool->form->args[i]) && tool->form->args[i].kind == ARG_FILE)
			wants_file = 1;
	if (wants_file)
		snprintf(file, sizeof(file), "%s/capture-%u.png", m->o.scratch_dir, ++m->captures);
	if (statement_text(tool, args, file, &stmt, msg, size) < 0) {
		*code = MCP_INVALID_PARAMS;
		goto out;
	}
	/* Each call a step of its own in the evidence, named as the call. */
	strbuf_printf(&text, "step ");
	text_quote(&text, stmt.p, strlen(stmt.p));
	strbuf_printf(&text, " {\n%s\n}\n", stmt.p);
	if (parse_text(m, text.p, &script, &err) < 0) {
		r = result_error(&err, 0);
		goto out;
	}
	if (!is_one_call(script, tool)) {
		vb_fail(&err, VB_USAGE, "the arguments of %s make more than one statement: %s",
			tool->name, stmt.p);
		r = result_error(&err, 0);
		goto out;
	}
	log_msg(LOG_VERBOSE, "mcp: %s", stmt.p);
	if (m->o.backend.exec(m->o.backend.ctx, script, &err) < 0) {
		if (err.status == VB_CONNECT && m->o.backend.disconnect) {
			m->o.backend.disconnect(m->o.backend.ctx);
			if (!err.hint[0])
				vb_hint(&err, "the console is closed; connect opens it again");
		}
		r = result_error(&err, 0);
		goto out;
	}
	if (wants_file) {
		r = image_result(file, &err);
		if (!r)
			r = result_error(&err, 0);
	} else if (strcmp(tool->def->name, "read") == 0) {
		const char *v = m->o.backend.variable ?
			m->o.backend.variable(m->o.backend.ctx, READ_VARIABLE) : NULL;

		/* read's variable: the secrets in it are masked already (interp). */
		r = mcp_result_text(v ? v : "", 0);
	} else {
		struct strbuf ok = { 0 };

		strbuf_printf(&ok, "done: %s", stmt.p);
		r = mcp_result_text(ok.p, 0);
		free(ok.p);
	}
out:
	if (file[0])
		unlink(file);
	script_free(script);
	free(stmt.p);
	free(text.p);
	return r;
}

static json_t *call_run_script(struct mcp_server *m, const json_t *args, int *code,
			       char *msg, size_t size)
{
	const json_t *file = json_object_get(args, "file");
	struct script_env env = { .defines = m->o.defines, .secrets = m->o.secrets,
				  .secrets_required = 1 };
	struct script *script = NULL;
	struct source *src;
	struct vb_error err;
	json_t *r;
	char ok[4300];

	vb_error_clear(&err);
	if (json_object_size(args) > (file ? 1u : 0u)) {
		snprintf(msg, size, "tool run_script takes only the argument 'file'");
		*code = MCP_INVALID_PARAMS;
		return NULL;
	}
	if (!json_is_string(file) || !json_string_length(file) ||
	    strlen(json_string_value(file)) != json_string_length(file)) {
		snprintf(msg, size, "tool run_script needs the argument 'file', a path");
		*code = MCP_INVALID_PARAMS;
		return NULL;
	}
	/* Parsed and checked whole before anything is sent, as vncbot run does. */
	src = source_read(json_string_value(file), &err);
	if (!src || script_parse(src, &env, &script, &err) < 0 ||
	    script_check_outputs(script, m->o.defines, &err) < 0) {
		script_free(script);
		return result_error(&err, 1);
	}
	if (m->o.backend.exec(m->o.backend.ctx, script, &err) < 0) {
		if (err.status == VB_CONNECT && m->o.backend.disconnect)
			m->o.backend.disconnect(m->o.backend.ctx);
		r = result_error(&err, 1);
	} else {
		snprintf(ok, sizeof(ok), "done: %s ran to its end", json_string_value(file));
		r = mcp_result_text(ok, 0);
	}
	script_free(script);
	return r;
}

static json_t *call_connect(struct mcp_server *m, const json_t *args, int *code, char *msg,
			    size_t size)
{
	const json_t *address = json_object_get(args, "address");
	const char *shown = "";
	struct vb_error err;
	char text[400];

	vb_error_clear(&err);
	if (json_object_size(args) > (address ? 1u : 0u) ||
	    (address && !json_is_null(address) &&
	     (!json_is_string(address) || !json_string_length(address) ||
	      strlen(json_string_value(address)) != json_string_length(address)))) {
		snprintf(msg, size, "tool connect takes only 'address', a console address");
		*code = MCP_INVALID_PARAMS;
		return NULL;
	}
	if (address && json_is_null(address))
		address = NULL;
	if (!address && !m->o.has_address) {
		vb_fail(&err, VB_USAGE, "no console to connect to");
		vb_hint(&err, "give connect an address, or start vncbot mcp with -c ADDRESS");
		return result_error(&err, 0);
	}
	if (address) {
		free(m->address);
		m->address = strdup(json_string_value(address));
	}
	if (m->o.backend.connect(m->o.backend.ctx, address ? m->address : NULL, &shown,
				 &err) < 0)
		return result_error(&err, 0);
	snprintf(text, sizeof(text), "connected to %s", shown);
	return mcp_result_text(text, 0);
}

json_t *mcp_tools_call(struct mcp_server *m, const struct mcp_tool *tool, const json_t *args,
		       int *code, char *msg, size_t size)
{
	switch (tool->kind) {
	case MCP_TOOL_CONNECT:
		return call_connect(m, args, code, msg, size);
	case MCP_TOOL_DISCONNECT:
		if (json_object_size(args)) {
			snprintf(msg, size, "tool disconnect takes no arguments");
			*code = MCP_INVALID_PARAMS;
			return NULL;
		}
		return mcp_result_text(m->o.backend.disconnect(m->o.backend.ctx) ?
				       "disconnected; every held key was released first" :
				       "not connected", 0);
	case MCP_TOOL_RUN_SCRIPT:
		return call_run_script(m, args, code, msg, size);
	case MCP_TOOL_STMT:
		break;
	}
	return call_stmt(m, tool, args, code, msg, size);
}

/* ---- docs/mcp.md ---- */

static void md_cell(FILE *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputc('\\', out);
		if (*s == '<')
			fputs("&lt;", out);
		else
			fputc(*s, out);
	}
}

void mcp_print_tools_md(FILE *out)
{
	struct mcp_tool tools[MCP_TOOLS_MAX];
	size_t n = mcp_tools_make(tools, MCP_TOOLS_MAX), i;

	fputs("| tool | arguments | what it does |\n|---|---|---|\n", out);
	for (i = 0; i < n; i++) {
		json_t *schema = mcp_tool_schema(&tools[i]);
		json_t *props = json_object_get(schema, "properties");
		json_t *req = json_object_get(schema, "required");
		const char *key;
		json_t *v;
		int first = 1;

		fprintf(out, "| `%s` | ", tools[i].name);
		json_object_foreach(props, key, v) {
			size_t k;
			int required = 0;

			for (k = 0; k < json_array_size(req); k++)
				if (strcmp(json_string_value(json_array_get(req, k)), key) == 0)
					required = 1;
			fprintf(out, "%s`%s%s`", first ? "" : ", ", key, required ? "" : "?");
			first = 0;
			(void)v;
		}
		if (first)
			fputs("none", out);
		fputs(" | ", out);
		md_cell(out, mcp_tool_description(&tools[i]));
		fputs(" |\n", out);
		json_decref(schema);
	}
}
