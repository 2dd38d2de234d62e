/* stmt_capture.c: capture FILE [in X,Y,W,H], a screenshot as PNG. Its file is
 * checked before a run wherever its name is known then (ARG_WRITTEN, in
 * interp.c); writing the PNG safely is the target's. */
#include <stddef.h>
#include <stdlib.h>

#include "script/stmt.h"

struct stmt_capture {
	struct ast_str file;
	struct screen_region region; /* w 0: the whole screen */
};

static const struct stmt_arg capture_args[] = {
	{ .name = "file", .kind = ARG_FILE, .flags = ARG_WRITTEN,
	  .offset = offsetof(struct stmt_capture, file),
	  .expected = "a file name for the PNG, as in: capture login.png",
	  .help = "the PNG file to write, relative to the directory vncbot runs in; "
		  "only a regular file is replaced" },
	{ .name = "region", .kind = ARG_REGION, .flags = ARG_OPTIONAL | ARG_KEYWORD,
	  .keyword = "in", .offset = offsetof(struct stmt_capture, region),
	  .help = "only this part of the screen (a needle for expect image); the whole "
		  "screen by default" },
};

static const struct stmt_form capture_forms[] = { { .args = STMT_ARGS(capture_args) } };

static int exec_capture(struct interp *in, const struct ast_stmt *st)
{
	const struct stmt_capture *n = st->args;
	char *path = interp_str(in, &n->file);
	int rc = interp_capture(in, path, &n->region);

	free(path);
	return rc;
}

const struct stmt_impl stmt_capture_impl = {
	.forms = capture_forms, .nforms = 1, .size = sizeof(struct stmt_capture),
	.exec = exec_capture,
};
