/* stmt_screen.c: the statements that watch the screen, expect and if, and
 * the screen condition they share: the one argument whose grammar a template
 * cannot say (settled [DURATION], changed, image FILE, colour C SHARE, text
 * STRING (stmt_text.c), then in, similarity, tolerance, similar in any order), read here into its typed field.
 * Their disconnect forms (expect disconnect, if disconnect) run in stmt_link.c.
 * Waiting and matching are the target's and screen/'s. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "script/stmt.h"
#include "util/xalloc.h"

/* ---- the condition ---- */

/* 0.95, 95% -> 0.95; within [0, 1]. */
static int parse_fraction(struct parser *p, double *out, const char *what)
{
	const char *w;
	struct src_pos pos;
	char *end;
	double v;

	if (parser_word(p, &w, &pos, what) < 0)
		return -1;
	v = strtod(w, &end);
	if (end != w && *end == '%' && end[1] == '\0')
		v /= 100;
	else if (end == w || *end != '\0')
		v = -1;
	if (!(v >= 0 && v <= 1))
		return parser_error(p, pos, "expected %s: a fraction such as 0.95 or a share "
				    "such as 95%%, found '%s'", what, w);
	*out = v;
	return 0;
}

static const struct {
	const char *name;
	uint32_t rgb;
} colour_names[] = {
	{ "black", 0x000000 }, { "white", 0xFFFFFF }, { "red", 0xFF0000 },
	{ "green", 0x00FF00 }, { "blue", 0x0000FF }, { "yellow", 0xFFFF00 },
	{ "cyan", 0x00FFFF }, { "magenta", 0xFF00FF }, { "grey", 0x808080 },
	{ "gray", 0x808080 },
};

/* A colour: 0xRRGGBB, "#RRGGBB" (quoted: # starts a comment), or a name. */
static int parse_colour(struct parser *p, uint32_t *rgb)
{
	struct ast_str str = { 0 };
	const char *w;
	char *end;
	size_t i;
	int rc = 0;

	if (parser_value(p, &str, "a colour: 0xRRGGBB, \"#RRGGBB\" or a name such as green") < 0)
		return -1;
	w = str.nparts == 1 && !str.parts[0].is_var ? str.parts[0].text : "";
	for (i = 0; i < sizeof(colour_names) / sizeof(colour_names[0]); i++)
		if (strcasecmp(w, colour_names[i].name) == 0) {
			*rgb = colour_names[i].rgb;
			goto out;
		}
	if (w[0] == '#')
		w++;
	else if (w[0] == '0' && (w[1] == 'x' || w[1] == 'X'))
		w += 2;
	if (strlen(w) == 6 && strspn(w, "0123456789abcdefABCDEF") == 6)
		*rgb = (uint32_t)strtoul(w, &end, 16);
	else
		rc = parser_error(p, str.pos, "expected a colour: 0xRRGGBB, \"#RRGGBB\" "
				  "(in quotes: # starts a comment) or one of black, white, red, "
				  "green, blue, yellow, cyan, magenta, grey");
out:
	ast_str_free(&str);
	return rc;
}

/* The needle is read now, from the script's directory, so a missing or
 * broken one is an error before anything is sent. */
static int load_needle(struct parser *p, struct ast_cond *ac)
{
	struct ast_str str = { 0 };
	struct vb_error sub;
	char path[4096];
	int rc = 0;

	if (parser_literal(p, &str, "a needle PNG, as in: expect image \"login.png\"",
			   "a needle path") < 0) {
		rc = -1;
		goto out;
	}
	if (str.parts[0].text[0] == '/')
		snprintf(path, sizeof(path), "%s", str.parts[0].text);
	else
		snprintf(path, sizeof(path), "%s/%s", parser_dir(p), str.parts[0].text);
	if (screen_read_png(path, &ac->cond.needle, &sub) < 0) {
		rc = parser_error(p, str.pos, "%s", sub.message);
		vb_hint(parser_error_of(p), "a needle is a PNG cut from a screenshot: "
			"capture \"needle.png\" in X,Y,W,H makes one");
		goto out;
	}
	ac->needle_name = xstrdup(str.parts[0].text);
out:
	ast_str_free(&str);
	return rc;
}

/* settled [DURATION] | changed | image FILE | colour C SHARE | text STRING */
static int parse_cond(struct parser *p, const struct stmt_arg *a, void *field)
{
	struct ast_cond *ac = field;
	struct screen_cond *c = &ac->cond;
	const char *w;
	struct src_pos pos;

	(void)a;
	if (parser_word(p, &w, &pos, "a screen condition: settled, changed, image, colour or "
			"text") < 0)
		return -1;
	if (strcmp(w, "settled") == 0) {
		c->kind = COND_SETTLED;
		c->quiet_ms = 1000;
		if (!parser_at_end(p) && !parser_next_is_block(p) && !parser_next_is_word(p, "in") &&
		    !parser_next_is_word(p, "timeout") && parser_duration(p, &c->quiet_ms) < 0)
			return -1;
	} else if (strcmp(w, "changed") == 0) {
		c->kind = COND_CHANGED;
	} else if (strcmp(w, "image") == 0) {
		c->kind = COND_IMAGE;
		c->similarity = 0.95;
		if (load_needle(p, ac) < 0)
			return -1;
	} else if (strcmp(w, "colour") == 0 || strcmp(w, "color") == 0) {
		c->kind = COND_COLOUR;
		c->tolerance = 24;
		if (parse_colour(p, &c->rgb) < 0 ||
		    parse_fraction(p, &c->share, "the share of the region it must cover") < 0)
			return -1;
	} else if (strcmp(w, "text") == 0) {
		if (text_cond_parse(p, ac) < 0)
			return -1;
	} else {
		return parser_error(p, pos, "unknown screen condition '%s': settled, changed, "
				    "image, colour or text", w);
	}
	return 0;
}

/* in X,Y,W,H, similarity N (image), tolerance N (colour), similar N% (text); anything else that
 * is not the statement's own (timeout) is an error said here. */
static int cond_option(struct parser *p, void *field)
{
	struct screen_cond *c = &((struct ast_cond *)field)->cond;
	const char *w;
	struct src_pos pos;

	if (parser_word(p, &w, &pos, "in, similarity, similar, tolerance or timeout") < 0)
		return -1;
	if (strcmp(w, "in") == 0) {
		if (parser_region(p, &c->region) < 0)
			return -1;
	} else if (strcmp(w, "similarity") == 0 && c->kind == COND_IMAGE) {
		if (parse_fraction(p, &c->similarity, "the similarity") < 0)
			return -1;
	} else if ((strcmp(w, "similar") == 0 || strcmp(w, "similarity") == 0) &&
		   c->kind == COND_TEXT) {
		if (parse_fraction(p, &c->similarity, "how similar the text must be") < 0)
			return -1;
	} else if (strcmp(w, "tolerance") == 0 && c->kind == COND_COLOUR) {
		const char *t;
		char *end;
		long v;

		if (parser_word(p, &t, &pos, "a tolerance from 0 to 255") < 0)
			return -1;
		v = strtol(t, &end, 10);
		if (end == t || *end || v < 0 || v > 255)
			return parser_error(p, pos, "expected a tolerance from 0 to 255, found '%s'", t);
		c->tolerance = (int)v;
	} else {
		return parser_error(p, pos, "unexpected '%s' in a screen condition; "
				    "options: in X,Y,W,H, timeout DURATION%s", w,
				    c->kind == COND_IMAGE ? ", similarity N" :
				    c->kind == COND_COLOUR ? ", tolerance N" :
				    c->kind == COND_TEXT ? ", similar N%" : "");
	}
	return 1;
}

#define CONDITION_ARG(node)                                                            \
	{ .name = "condition", .kind = ARG_CONDITION, .metavar = "CONDITION [in X,Y,W,H]", \
	  .offset = offsetof(node, wait.cond), .parse = parse_cond, .option = cond_option, \
	  .help = "what the screen must show: settled [DURATION] (nothing changed for "    \
		  "that long, 1s by default), changed (since the last keys sent), image "  \
		  "FILE [similarity N] (a needle PNG found), colour C SHARE [tolerance N] "  \
		  "(a share of the pixels of colour C), text STRING [similar N%] (the text "  \
		  "read by OCR, forgiving OCR's usual errors; 90% by default); each may "    \
		  "add in X,Y,W,H to look at a region only" }

/* A condition and how long to wait for it. */
struct screen_wait {
	struct ast_cond cond;
	long timeout_ms;
};

static void describe_wait(const char *name, const struct screen_wait *sw,
			  const struct vars *vars, struct strbuf *out)
{
	const struct screen_cond *c = &sw->cond.cond;

	strbuf_printf(out, "%s ", name);
	switch (c->kind) {
	case COND_SETTLED:
		strbuf_printf(out, "settled %.3gs", c->quiet_ms / 1000.0);
		break;
	case COND_CHANGED:
		strbuf_add(out, "changed", 7);
		break;
	case COND_IMAGE:
		strbuf_add(out, "image ", 6);
		text_quote(out, sw->cond.needle_name, strlen(sw->cond.needle_name));
		strbuf_printf(out, " similarity %.2f", c->similarity);
		break;
	case COND_COLOUR:
		strbuf_printf(out, "colour 0x%06X %.0f%% tolerance %d", c->rgb, c->share * 100,
			    c->tolerance);
		break;
	case COND_TEXT:
		text_cond_describe(&sw->cond, vars, out);
		break;
	}
	if (c->region.w)
		strbuf_printf(out, " in %d,%d,%d,%d", c->region.x, c->region.y, c->region.w,
			    c->region.h);
	strbuf_printf(out, " timeout %.3gs", sw->timeout_ms / 1000.0);
}

/* ---- expect CONDITION [timeout DURATION] ---- */

struct stmt_expect {
	struct screen_wait wait;
};

static const struct stmt_arg expect_args[] = {
	CONDITION_ARG(struct stmt_expect),
	{ .name = "timeout", .kind = ARG_DURATION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "timeout", .def = "30s",
	  .offset = offsetof(struct stmt_expect, wait.timeout_ms),
	  .help = "how long to wait before the script fails (exit status 1)" },
};

static const struct stmt_arg expect_disconnect_args[] = {
	{ .name = "timeout", .kind = ARG_DURATION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "timeout", .def = "30s",
	  .offset = offsetof(struct stmt_expect, wait.timeout_ms),
	  .help = "how long to wait for the console to go before the script fails (exit "
		  "status 1)" },
};

enum { EXPECT_SCREEN, EXPECT_DISCONNECT };

static const struct stmt_form expect_forms[] = {
	[EXPECT_SCREEN] = { .args = STMT_ARGS(expect_args) },
	[EXPECT_DISCONNECT] = {
		.word = "disconnect", .tool = "expect_disconnect",
		.summary = "wait for the console to close the connection on purpose (a restart); "
			   "held keys are released first",
		.args = STMT_ARGS(expect_disconnect_args) },
};

static void describe_expect(const struct ast_stmt *st, const struct vars *vars,
			    struct strbuf *out)
{
	const struct stmt_expect *n = st->args;

	if (st->form == &expect_forms[EXPECT_DISCONNECT]) {
		strbuf_printf(out, "expect disconnect timeout %.3gs", n->wait.timeout_ms / 1000.0);
		return;
	}
	describe_wait(st->def->name, &n->wait, vars, out);
}

static int exec_expect(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_expect *n = st->args;
	const struct screen_wait *sw = &n->wait;
	char what[512], why[700];
	int met;

	if (st->form == &expect_forms[EXPECT_DISCONNECT])
		return stmt_expect_disconnect(in, st, sw->timeout_ms);
	if (text_cond_wait(in, &sw->cond, sw->timeout_ms, &met, what, sizeof(what)) < 0)
		return -1;
	if (met)
		return 0;
	snprintf(why, sizeof(why), "expect timed out after %.3gs waiting for %s",
		 sw->timeout_ms / 1000.0, what);
	return interp_fail(in, st->pos, why);
}

const struct stmt_impl stmt_expect_impl = {
	.forms = expect_forms, .nforms = 2, .size = sizeof(struct stmt_expect),
	.describe = describe_expect, .exec = exec_expect,
};

/* ---- if CONDITION [timeout DURATION] { ... } [else { ... }]
 * ---- if disconnect [timeout DURATION] { ... } [else { ... }] ---- */

struct stmt_if {
	struct screen_wait wait;
	struct ast_block then;
	struct ast_block otherwise;
};

#define IF_THEN_ARG(help_text)                                                            \
	{ .name = "then", .kind = ARG_BLOCK, .offset = offsetof(struct stmt_if, then),      \
	  .help = help_text }
#define IF_ELSE_ARG(help_text)                                                            \
	{ .name = "else", .kind = ARG_BLOCK, .flags = ARG_OPTIONAL | ARG_KEYWORD,           \
	  .keyword = "else", .offset = offsetof(struct stmt_if, otherwise), .help = help_text }

static const struct stmt_arg if_args[] = {
	CONDITION_ARG(struct stmt_if),
	{ .name = "timeout", .kind = ARG_DURATION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "timeout", .def = "0s", .offset = offsetof(struct stmt_if, wait.timeout_ms),
	  .help = "how long to wait for the condition; by default the screen as it is now "
		  "decides" },
	IF_THEN_ARG("the statements to run if the screen shows the condition"),
	IF_ELSE_ARG("the statements to run if it does not"),
};

/* A console that may go or stay: a hypervisor's console (QEMU's VNC, as
 * cloud consoles serve it) stays connected through the guest's restart and
 * shows the boot; a console inside the guest goes. The timeout's default is
 * expect disconnect's. */
static const struct stmt_arg if_disconnect_args[] = {
	{ .name = "timeout", .kind = ARG_DURATION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "timeout", .def = "30s", .offset = offsetof(struct stmt_if, wait.timeout_ms),
	  .help = "how long to wait for the console to go; if it is still connected then, the "
		  "else block runs" },
	IF_THEN_ARG("the statements to run if the console went (reconnect, as a rule): the run "
		    "has no console until a reconnect"),
	IF_ELSE_ARG("the statements to run if it stayed connected"),
};

enum { IF_SCREEN, IF_DISCONNECT };

static const struct stmt_form if_forms[] = {
	[IF_SCREEN] = { .args = STMT_ARGS(if_args) },
	[IF_DISCONNECT] = {
		.word = "disconnect", .tool = "if_disconnect",
		.summary = "wait for the console to go (a restart); run the first block if it "
			   "went, the else block if it is still connected after the timeout "
			   "(30s by default); held keys are released first",
		.args = STMT_ARGS(if_disconnect_args) },
};

static void describe_if(const struct ast_stmt *st, const struct vars *vars, struct strbuf *out)
{
	const struct stmt_if *n = st->args;

	if (st->form == &if_forms[IF_DISCONNECT]) {
		strbuf_printf(out, "if disconnect timeout %.3gs", n->wait.timeout_ms / 1000.0);
		return;
	}
	describe_wait(st->def->name, &n->wait, vars, out);
}

static int exec_if(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_if *n = st->args;
	int met;

	if (st->form == &if_forms[IF_DISCONNECT]) {
		if (stmt_if_disconnect(in, n->wait.timeout_ms, &met) < 0)
			return -1;
	} else if (text_cond_wait(in, &n->wait.cond, n->wait.timeout_ms, &met, NULL, 0) < 0) {
		return -1;
	}
	if (met)
		return interp_block(in, &n->then);
	return stmt_arg_given(st, "else") ? interp_block(in, &n->otherwise) : 0;
}

const struct stmt_impl stmt_if_impl = {
	.forms = if_forms, .nforms = 2, .size = sizeof(struct stmt_if),
	.flow = FLOW_BRANCH, .describe = describe_if, .exec = exec_if,
};
