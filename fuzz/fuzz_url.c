/* fuzz_url.c: the console address parser on arbitrary bytes. An address is
 * either parsed into a spec that describes itself, or refused as a usage
 * error with a message; never a crash or an overflow. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "url/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct url_spec spec;
	struct vb_error err;
	char shown[512];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (url_parse(text, &spec, &err) == 0) {
		if (spec.port < 1 || spec.port > 65535 || !spec.host[0])
			abort();
		url_describe(&spec, shown, sizeof(shown));
	} else if (err.status != VB_USAGE || !err.message[0]) {
		abort();
	}
	free(text);
	return 0;
}
