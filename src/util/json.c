/* json.c: the helpers every JSON writer of vncbot shares (json.h). Owns only
 * the repair of text that is not UTF-8; jansson builds and writes the JSON. */
#include "util/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

/* The length of the valid UTF-8 sequence at s (at most n bytes), or 0:
 * no overlong forms, no surrogates, nothing above U+10FFFF. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

json_t *json_text(const char *s)
{
	static const char replacement[] = "\xef\xbf\xbd"; /* U+FFFD */
	const unsigned char *p;
	size_t n, i, o = 0;
	json_t *j;
	char *fixed;

	if (!s)
		return json_null();
	j = json_string(s);
	if (j)
		return j;
	/* Not UTF-8: at most three bytes out for each byte in. */
	n = strlen(s);
	p = (const unsigned char *)s;
	fixed = xmalloc(3 * n + 1);
	for (i = 0; i < n;) {
		size_t len = utf8_seq(p + i, n - i);

		if (len) {
			memcpy(fixed + o, p + i, len);
			o += len;
			i += len;
		} else {
			memcpy(fixed + o, replacement, 3);
			o += 3;
			i++;
		}
	}
	j = json_stringn(fixed, o);
	free(fixed);
	if (!j)
		abort(); /* valid UTF-8 now: only ENOMEM */
	return j;
}

json_t *json_seconds(double seconds)
{
	return json_real(round(seconds * 1000.0) / 1000.0);
}

int json_write_line(FILE *f, const json_t *obj)
{
	if (json_dumpf(obj, f, JSON_OUT_FLAGS) < 0 || fputc('\n', f) == EOF)
		return -1;
	return fflush(f) == 0 ? 0 : -1;
}
