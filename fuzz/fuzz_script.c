/* fuzz_script.c: the script front end (lexer, parser, plan) on arbitrary
 * bytes. Any input must end in a parsed script or a VB_USAGE error with a
 * position, never a crash, a hang or a leak. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "script/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vars defines = { 0 }, secrets = { 0 };
	struct script_env env = { .defines = &defines, .secrets = &secrets };
	struct script *script = NULL;
	struct vb_error err;
	struct source *src;
	char *text = malloc(size + 1);
	FILE *devnull;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	/* source_from_string stops at a NUL; the lexer's NUL check is
	 * exercised by giving the full length. */
	src = source_from_string("<fuzz>", "");
	free(src->text);
	src->text = text;
	src->len = size;
	vars_set(&defines, "HOST", "example");
	vars_set(&secrets, "pw", "");
	if (script_parse(src, &env, &script, &err) == 0) {
		devnull = fopen("/dev/null", "w");
		if (devnull) {
			script_plan(script, &defines, devnull);
			fclose(devnull);
		}
		script_free(script);
	} else if (err.status != VB_USAGE || !err.message[0]) {
		abort(); /* every refusal says why, as a usage error */
	}
	vars_clear(&defines);
	vars_clear(&secrets);
	return 0;
}
