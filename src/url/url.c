/* url.c: every console address form of DESIGN.md section 3 -> struct url_spec.
 * Owns the grammar of those forms and the messages that explain a wrong one.
 * Pure parsing: no name resolution, no I/O (the transport does both).
 * Messages quote the part that is wrong, never a ws:// query or a console
 * page's parameters: that is where consoles put their access token. */
#include "url/url.h"

#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define URL_MAX_LEN 8192 /* a whole address; a real console page URL is ~300 */
#define URL_NAME_MAX 253 /* longest DNS name */
#define URL_ZONE_MAX 64  /* longest IPv6 zone ("%eth0") we keep */
#define URL_DISPLAY_MAX (65535 - 5900)
#define URL_QUOTE_MAX 40 /* longest excerpt of the input quoted in a message */

/* Quote at most URL_QUOTE_MAX bytes of s[0..n): use with "'%.*s%s'". */
#define URL_QUOTE(s, n)                                                    \
	(int)((n) < URL_QUOTE_MAX ? (n) : URL_QUOTE_MAX), (s),             \
		((n) > URL_QUOTE_MAX ? "..." : "")

#define URL_FORMS                                                          \
	"write vnc://HOST:PORT, HOST:DISPLAY (HOST:1 is port 5901), "      \
	"HOST::PORT, [IPv6]:DISPLAY, or wss://HOST:PORT/PATH?QUERY"

static bool url_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool url_is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool url_is_alnum(char c)
{
	return url_is_alpha(c) || url_is_digit(c);
}

static int url_hex_value(char c)
{
	if (url_is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Index of the first byte of s[0..n) that is in set, or n. */
static size_t url_find_any(const char *s, size_t n, const char *set)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(set, s[i]) && s[i] != '\0')
			return i;
	return n;
}

static size_t url_find(const char *s, size_t n, char c)
{
	const char *p = memchr(s, c, n);

	return p ? (size_t)(p - s) : n;
}

static bool url_prefix_ci(const char *s, size_t n, const char *prefix)
{
	size_t len = strlen(prefix);

	return n >= len && strncasecmp(s, prefix, len) == 0;
}

static bool url_equal_ci(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && strncasecmp(s, word, n) == 0;
}

/* An address is printable ASCII. A space or control byte is a copy-paste
 * accident; anything else must be percent-encoded (or punycode in a name). */
static int url_check_bytes(const char *s, size_t n, struct vb_error *err)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ') {
			vb_fail(err, VB_USAGE,
				"the address contains a space (character %zu)",
				i + 1);
			return vb_hint(err, "remove it; an address has no "
					    "spaces (percent-encode one as %%20)");
		}
		if (c < 0x20 || c == 0x7f) {
			vb_fail(err, VB_USAGE,
				"the address contains control character 0x%02x "
				"(character %zu)",
				c, i + 1);
			return vb_hint(err, "a newline or tab was probably "
					    "pasted with the address; remove it");
		}
		if (c >= 0x80) {
			vb_fail(err, VB_USAGE,
				"the address contains non-ASCII byte 0x%02x "
				"(character %zu)",
				c, i + 1);
			return vb_hint(err, "percent-encode it in a path or "
					    "query; write an international host "
					    "name in its xn-- (punycode) form");
		}
	}
	return 0;
}

/* s[0..n) as a decimal number in [min, max]. what ("port", "display") names
 * it in messages; hint says what a right one looks like. */
static int url_number(const char *s, size_t n, long min, long max,
		      const char *what, const char *hint, long *out,
		      struct vb_error *err)
{
	long v = 0;
	size_t i;

	if (n == 0) {
		vb_fail(err, VB_USAGE, "empty %s after ':'", what);
		return vb_hint(err, "%s", hint);
	}
	for (i = 0; i < n; i++) {
		if (!url_is_digit(s[i])) {
			vb_fail(err, VB_USAGE, "%s '%.*s%s' is not a number",
				what, URL_QUOTE(s, n));
			return vb_hint(err, "%s", hint);
		}
		if (v <= max) /* stays below 10 * max + 9: no overflow */
			v = v * 10 + (s[i] - '0');
	}
	if (v < min || v > max) {
		vb_fail(err, VB_USAGE, "%s %.*s%s is out of range (%ld-%ld)",
			what, URL_QUOTE(s, n), min, max);
		return vb_hint(err, "%s", hint);
	}
	*out = v;
	return 0;
}

/* Whether s[0..n) is an IPv6 address, with or without a "%zone". */
static bool url_is_ipv6(const char *s, size_t n)
{
	char buf[INET6_ADDRSTRLEN];
	struct in6_addr a;
	size_t len = url_find(s, n, '%');

	if (len == 0 || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return inet_pton(AF_INET6, buf, &a) == 1;
}

/* s[0..n) is the text between brackets: an IPv6 address with an optional
 * zone. In a URL the zone separator is "%25" (RFC 6874); a bare '%' is
 * accepted too, as in the plain HOST:N forms. Stores "addr[%zone]" in host. */
static int url_take_ipv6(const char *s, size_t n, bool in_url, char *host,
			 struct vb_error *err)
{
	size_t alen = url_find(s, n, '%');
	const char *zone = s + alen + 1;
	size_t zlen = alen < n ? n - alen - 1 : 0;
	size_t i;

	if (!url_is_ipv6(s, alen)) {
		vb_fail(err, VB_USAGE, "'[%.*s%s]' is not an IPv6 address",
			URL_QUOTE(s, n));
		return vb_hint(err, "brackets hold only IPv6 addresses; write a "
				    "host name or IPv4 address without them, "
				    "e.g. 192.168.1.10:1 or vnc://HOST:5901");
	}
	memcpy(host, s, alen);
	host[alen] = '\0';
	if (alen == n)
		return 0;
	if (in_url && zlen >= 2 && zone[0] == '2' && zone[1] == '5') {
		zone += 2;
		zlen -= 2;
	}
	if (zlen == 0 || zlen > URL_ZONE_MAX) {
		vb_fail(err, VB_USAGE, "bad IPv6 zone in '[%.*s%s]'",
			URL_QUOTE(s, n));
		return vb_hint(err, "a zone names an interface, e.g. "
				    "[fe80::1%%eth0]:1 or vnc://[fe80::1%%25eth0]");
	}
	for (i = 0; i < zlen; i++) {
		char c = zone[i];

		if (!url_is_alnum(c) && c != '-' && c != '.' && c != '_' &&
		    c != '~') {
			vb_fail(err, VB_USAGE,
				"'%c' is not allowed in the IPv6 zone of "
				"'[%.*s%s]'",
				c, URL_QUOTE(s, n));
			return vb_hint(err, "a zone names an interface, e.g. "
					    "[fe80::1%%eth0]:1");
		}
	}
	host[alen] = '%';
	memcpy(host + alen + 1, zone, zlen);
	host[alen + 1 + zlen] = '\0';
	return 0;
}

/* A host name (labels of letters, digits, '-', '_' joined by dots, an
 * optional final dot) or a dotted IPv4 address, into host. */
static int url_take_name(const char *s, size_t n, char *host,
			 struct vb_error *err)
{
	bool numeric = true;
	size_t label = 0, i;

	if (n == 0) {
		vb_fail(err, VB_USAGE, "the host name is empty");
		return vb_hint(err, URL_FORMS);
	}
	if (n > URL_NAME_MAX) {
		vb_fail(err, VB_USAGE,
			"the host name is %zu characters long; the longest "
			"is %d",
			n, URL_NAME_MAX);
		return vb_hint(err, URL_FORMS);
	}
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (c == '.') {
			if (label == 0)
				goto empty_label;
			if (s[i - 1] == '-')
				goto bad_hyphen;
			label = 0;
			continue;
		}
		if (c == '[' || c == ']') {
			vb_fail(err, VB_USAGE, "unbalanced '%c' in '%.*s%s'", c,
				URL_QUOTE(s, n));
			return vb_hint(err, "an IPv6 address goes in a pair of "
					    "brackets: [::1]:1, [::1]::5901 or "
					    "vnc://[::1]:5901");
		}
		if (!url_is_alnum(c) && c != '-' && c != '_') {
			vb_fail(err, VB_USAGE,
				"'%c' is not allowed in a host name ('%.*s%s')",
				c, URL_QUOTE(s, n));
			return vb_hint(err, "a host name has letters, digits, "
					    "'-', '_' and dots; " URL_FORMS);
		}
		if (c == '-' && label == 0)
			goto bad_hyphen;
		if (!url_is_digit(c))
			numeric = false;
		if (++label > 63) {
			vb_fail(err, VB_USAGE,
				"a label of host name '%.*s%s' is longer than "
				"63 characters",
				URL_QUOTE(s, n));
			return vb_hint(err, "check that the whole address was "
					    "copied");
		}
	}
	if (label > 0 && s[n - 1] == '-')
		goto bad_hyphen;
	if (numeric) {
		/* Digits and dots only: it must be a dotted IPv4 address. */
		char buf[INET_ADDRSTRLEN];
		struct in_addr a;
		bool ok = n < sizeof(buf);

		if (ok) {
			memcpy(buf, s, n);
			buf[n] = '\0';
			ok = inet_pton(AF_INET, buf, &a) == 1;
		}
		if (!ok) {
			vb_fail(err, VB_USAGE,
				"'%.*s%s' is not a valid IPv4 address",
				URL_QUOTE(s, n));
			if (!memchr(s, '.', n))
				return vb_hint(err, "a number alone is not an "
						    "address: for TCP port "
						    "5901 on this machine "
						    "write localhost::5901");
			return vb_hint(err, "an IPv4 address is four numbers "
					    "0-255 joined by dots, e.g. "
					    "192.168.1.10:1");
		}
	}
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;

empty_label:
	vb_fail(err, VB_USAGE,
		"host name '%.*s%s' has an empty part (a leading dot or two "
		"dots in a row)",
		URL_QUOTE(s, n));
	return vb_hint(err, "e.g. console.example.com:1");
bad_hyphen:
	vb_fail(err, VB_USAGE,
		"a part of host name '%.*s%s' begins or ends with '-'",
		URL_QUOTE(s, n));
	return vb_hint(err, "check the name; e.g. my-host.example.com:1");
}

/* The authority of a vnc://, ws:// or wss:// URL: [user@]host[:port]. */
static int url_take_authority(const char *s, size_t n, const char *scheme,
			      int default_port, struct url_spec *spec,
			      struct vb_error *err)
{
	const char *rest;
	size_t at, rn;
	long port;
	char hint[160];

	at = n;
	while (at > 0 && s[at - 1] != '@')
		at--;
	if (at > 0) {
		/* userinfo: a user name is harmless and ignored (RFC 7869
		 * has no use for it), a password is refused. */
		if (memchr(s, ':', at - 1)) {
			vb_fail(err, VB_USAGE,
				"the address carries a password "
				"(%s://USER:PASSWORD@HOST); a password on the "
				"command line shows in the process list and the "
				"shell history",
				scheme);
			return vb_hint(err, "remove it from the address and "
					    "give it with --password-file FILE "
					    "or --password-env NAME");
		}
		s += at;
		n -= at;
	}
	if (n == 0 || (s[0] == ':' && !memchr(s + 1, ':', n - 1))) {
		vb_fail(err, VB_USAGE, "no host after %s://", scheme);
		return vb_hint(err, "e.g. %s://HOST:%d", scheme,
			       default_port == 5900 ? 5901 : default_port);
	}
	if (s[0] == '[') {
		size_t close = url_find(s, n, ']');

		if (close == n) {
			vb_fail(err, VB_USAGE,
				"unbalanced '[': no ']' after the IPv6 address");
			return vb_hint(err, "e.g. %s://[::1]:%d", scheme,
				       default_port == 5900 ? 5901 :
							      default_port);
		}
		if (url_take_ipv6(s + 1, close - 1, true, spec->host, err))
			return -1;
		rest = s + close + 1;
		rn = n - close - 1;
	} else {
		size_t colon = url_find(s, n, ':');

		if (colon < n && url_find(s + colon + 1, n - colon - 1, ':') <
					 n - colon - 1) {
			if (colon > 0 && s[colon + 1] == ':' &&
			    !url_is_ipv6(s, n)) {
				vb_fail(err, VB_USAGE,
					"'::' after %s://HOST: a URL takes "
					"one ':' before the port",
					scheme);
				return vb_hint(err, "e.g. %s://HOST:5901; "
						    "HOST::5901 (no scheme) "
						    "means the same",
					       scheme);
			}
			vb_fail(err, VB_USAGE,
				"several ':' after %s://: an IPv6 address must "
				"go in brackets",
				scheme);
			return vb_hint(err, "e.g. %s://[::1]:%d", scheme,
				       default_port == 5900 ? 5901 :
							      default_port);
		}
		if (url_take_name(s, colon, spec->host, err))
			return -1;
		rest = s + colon;
		rn = n - colon;
	}
	snprintf(hint, sizeof(hint),
		 "a TCP port is 1-65535, e.g. %s://HOST:%d (%d if left out)",
		 scheme, default_port == 5900 ? 5901 : 8443, default_port);
	if (rn == 0) {
		spec->port = default_port;
		return 0;
	}
	if (rest[0] != ':') {
		vb_fail(err, VB_USAGE, "unexpected '%c' after the host", rest[0]);
		return vb_hint(err, "%s", hint);
	}
	if (url_number(rest + 1, rn - 1, 1, 65535, "port", hint, &port, err))
		return -1;
	spec->port = (int)port;
	return 0;
}

/* vnc://[user@]host[:port][/][?params][#fragment], s after "vnc://". */
static int url_parse_vnc(const char *s, size_t n, struct url_spec *spec,
			 struct vb_error *err)
{
	size_t end = url_find_any(s, n, "/?#");

	if (url_take_authority(s, end, "vnc", 5900, spec, err))
		return -1;
	if (end < n && s[end] == '/' &&
	    url_find_any(s + end, n - end, "?#") > 1) {
		vb_fail(err, VB_USAGE,
			"a vnc:// address has no path (RFC 7869)");
		return vb_hint(err, "for a console behind a WebSocket write "
				    "ws://HOST:PORT/PATH or wss://HOST:PORT/PATH");
	}
	/* RFC 7869 parameters (?ConnectionName=...) and a fragment mean
	 * nothing to us: ignored. */
	spec->kind = URL_TCP;
	spec->resource[0] = '\0';
	return 0;
}

/* ws[s]://[user@]host[:port][/path][?query][#fragment], s after "://".
 * The path and query are kept byte for byte, not decoded: the server
 * compares its token with what it handed out. */
static int url_parse_ws(const char *s, size_t n, enum url_kind kind,
			struct url_spec *spec, struct vb_error *err)
{
	const char *scheme = kind == URL_WSS ? "wss" : "ws";
	size_t end = url_find_any(s, n, "/?#");
	size_t frag, rlen, lead;

	if (url_take_authority(s, end, scheme, kind == URL_WSS ? 443 : 80,
			       spec, err))
		return -1;
	frag = end + url_find(s + end, n - end, '#');
	rlen = frag - end;
	lead = (rlen == 0 || s[end] != '/') ? 1 : 0; /* "?q" -> "/?q" */
	if (lead + rlen >= sizeof(spec->resource)) {
		vb_fail(err, VB_USAGE,
			"the path and query of the %s:// address are %zu "
			"bytes long; the longest accepted is %zu",
			scheme, lead + rlen, sizeof(spec->resource) - 1);
		return vb_hint(err, "check that the whole address was copied, "
				    "and only once");
	}
	spec->resource[0] = '/';
	memcpy(spec->resource + lead, s + end, rlen);
	spec->resource[lead + rlen] = '\0';
	spec->kind = kind;
	return 0;
}

/* Decode %xx escapes of s[0..n) into out (room for n + 1 bytes). '+' stays
 * '+': consoles encode with encodeURIComponent, which writes a space as
 * %20, and a token may hold a literal '+'. A malformed escape is copied as
 * is and its index stored in *bad (n if none). Returns the decoded length. */
static size_t url_percent_decode(const char *s, size_t n, char *out,
				 size_t *bad)
{
	size_t i, o = 0;

	*bad = n;
	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%') {
			hi = i + 1 < n ? url_hex_value(s[i + 1]) : -1;
			lo = i + 2 < n ? url_hex_value(s[i + 2]) : -1;
			if (hi >= 0 && lo >= 0) {
				out[o++] = (char)(hi << 4 | lo);
				i += 2;
				continue;
			}
			if (*bad == n)
				*bad = i;
		}
		out[o++] = s[i];
	}
	out[o] = '\0';
	return o;
}

/* Prefix the message of a failed nested parse with where it came from. */
static int url_in_parameter(struct vb_error *err, const char *name,
			    size_t len)
{
	char msg[sizeof(err->message)];
	int w;

	if (!err)
		return -1;
	memcpy(msg, err->message, sizeof(msg));
	w = snprintf(err->message, sizeof(err->message),
		     "in parameter '%.*s%s' of the console page URL: %.420s",
		     URL_QUOTE(name, len), msg);
	(void)w; /* a cut message is still the right message */
	return -1;
}

/* A noVNC page (OpenStack's `openstack console url show --novnc`,
 * http(s)://HOST:PORT/vnc_lite.html?path=%3Ftoken%3D...): the WebSocket is
 * on the page's own host and port, ws for http and wss for https, at the
 * decoded 'path' parameter. s[0..n) is the page URL after "http[s]://", n
 * excluding any fragment. Returns 0 (spec filled), -1 (err filled) or 1 (no
 * 'path' parameter: not this form). buf has room for URL_MAX_LEN + 1. */
static int url_parse_novnc(const char *s, size_t n, const char *scheme,
			   struct url_spec *spec, struct vb_error *err,
			   char *buf)
{
	size_t auth = url_find_any(s, n, "/?#");
	size_t p = url_find(s, n, '?');

	while (p < n) {
		const char *param = s + p + 1;
		size_t plen = url_find(param, n - p - 1, '&');
		size_t nlen = url_find(param, plen, '=');
		size_t vlen = nlen < plen ? plen - nlen - 1 : 0;
		size_t o, bad, dlen;

		p += plen + 1;
		if (nlen != 4 || memcmp(param, "path", 4) != 0)
			continue;
		/* authority + "/" + decoded path, its leading '/' dropped */
		memcpy(buf, s, auth);
		o = auth;
		buf[o++] = '/';
		dlen = url_percent_decode(param + 5, vlen, buf + o, &bad);
		if (bad < vlen) {
			vb_fail(err, VB_USAGE, "malformed percent escape in the "
				"'path' parameter of the noVNC page URL");
			return vb_hint(err, "check that the whole URL was copied");
		}
		if (dlen && buf[o] == '/') {
			memmove(buf + o, buf + o + 1, dlen);
			dlen--;
		}
		o += dlen;
		if (url_check_bytes(buf, o, err) ||
		    url_parse_ws(buf, o, strcmp(scheme, "https") == 0 ? URL_WSS : URL_WS,
				 spec, err))
			return url_in_parameter(err, param, nlen);
		return 0;
	}
	return 1;
}

/* A console page URL, s after "http[s]://": the first query parameter whose
 * value is a ws:// or wss:// URL, percent-encoded (decoded once here) or
 * not (taken as is), is the address. */
static int url_parse_page(const char *s, size_t n, const char *scheme,
			  struct url_spec *spec, struct vb_error *err)
{
	static const char hint[] =
		"give the WebSocket URL itself (wss://HOST:PORT/PATH?TOKEN), "
		"or a console page URL that carries it, e.g. "
		"https://PAGE?InstanceVncUrl=wss%3A%2F%2FHOST%3A26789%2Fvnc...";
	char decoded[URL_MAX_LEN + 1];
	size_t frag = url_find(s, n, '#');
	size_t p = url_find(s, frag, '?');
	int rc;

	while (p < frag) {
		const char *param = s + p + 1;
		size_t plen = url_find(param, frag - p - 1, '&');
		size_t nlen = url_find(param, plen, '=');
		const char *value = param + nlen + 1;
		size_t vlen = nlen < plen ? plen - nlen - 1 : 0;
		const char *url = value;
		size_t ulen = vlen, bad = vlen;
		enum url_kind kind;

		p += plen + 1;
		if (!url_prefix_ci(value, vlen, "ws://") &&
		    !url_prefix_ci(value, vlen, "wss://")) {
			ulen = url_percent_decode(value, vlen, decoded, &bad);
			url = decoded;
		}
		if (url_prefix_ci(url, ulen, "ws://")) {
			kind = URL_WS;
			url += 5;
			ulen -= 5;
		} else if (url_prefix_ci(url, ulen, "wss://")) {
			kind = URL_WSS;
			url += 6;
			ulen -= 6;
		} else {
			continue;
		}
		if (bad < vlen) {
			vb_fail(err, VB_USAGE,
				"malformed percent escape in parameter '%.*s%s' "
				"of the console page URL (character %zu of its "
				"value)",
				URL_QUOTE(param, nlen), bad + 1);
			return vb_hint(err, "each %% starts a %%XX escape of "
					    "two hex digits; check that the "
					    "whole URL was copied");
		}
		if (url_check_bytes(url, ulen, err) ||
		    url_parse_ws(url, ulen, kind, spec, err))
			return url_in_parameter(err, param, nlen);
		return 0;
	}
	rc = url_parse_novnc(s, frag, scheme, spec, err, decoded);
	if (rc <= 0)
		return rc;
	vb_fail(err, VB_USAGE,
		"this %s:// address is not a console page URL: no query "
		"parameter holds a ws:// or wss:// URL, and it has no noVNC "
		"'path' parameter",
		scheme);
	return vb_hint(err, "%s", hint);
}

/* HOST, HOST:DISPLAY, HOST::PORT with HOST a name, IPv4 or [IPv6]. */
static int url_parse_plain(const char *s, size_t n, struct url_spec *spec,
			   struct vb_error *err)
{
	static const char display_hint[] =
		"HOST:N is display N = TCP port 5900+N, so N is 0-59635, e.g. "
		"HOST:1; for a TCP port write HOST::PORT";
	static const char port_hint[] =
		"a TCP port is 1-65535, e.g. HOST::5901 (or vnc://HOST:5901)";
	const char *rest;
	size_t rn;
	long v;

	spec->kind = URL_TCP;
	spec->resource[0] = '\0';
	if (s[0] == '[') {
		size_t close = url_find(s, n, ']');

		if (close == n) {
			vb_fail(err, VB_USAGE,
				"unbalanced '[': no ']' after the IPv6 address");
			return vb_hint(err, "e.g. [::1]:1 (display 1) or "
					    "[::1]::5901 (port 5901)");
		}
		if (url_take_ipv6(s + 1, close - 1, false, spec->host, err))
			return -1;
		rest = s + close + 1;
		rn = n - close - 1;
	} else {
		size_t colon = url_find(s, n, ':');
		size_t tail = colon + 1;

		if (colon < n && url_is_ipv6(s, n)) {
			/* "fe80::1" is an IPv6 address and also host "fe80"
			 * port 1; "::1:5" is an address, or ::1 display 5. */
			bool digits = colon > 0 && s[colon + 1] == ':' &&
				      colon + 2 < n;
			size_t i;

			for (i = colon + 2; digits && i < n; i++)
				digits = url_is_digit(s[i]);
			if (digits) {
				vb_fail(err, VB_USAGE,
					"'%.*s%s' is ambiguous: an IPv6 address, "
					"or host '%.*s%s' and port %.*s%s",
					URL_QUOTE(s, n), URL_QUOTE(s, colon),
					URL_QUOTE(s + colon + 2, n - colon - 2));
				return vb_hint(err,
					       "write [%.*s%s] for the IPv6 "
					       "address (port 5900), or "
					       "vnc://%.*s%s:%.*s%s for the host "
					       "and port",
					       URL_QUOTE(s, n), URL_QUOTE(s, colon),
					       URL_QUOTE(s + colon + 2,
							 n - colon - 2));
			}
			vb_fail(err, VB_USAGE,
				"an IPv6 address must go in brackets");
			return vb_hint(err, "e.g. [::1] (port 5900), [::1]:5 "
					    "(display 5 = port 5905), [::1]::5905 "
					    "(port 5905)");
		}
		if (colon == n) {
			if (url_take_name(s, n, spec->host, err))
				return -1;
			spec->port = 5900;
			return 0;
		}
		if (tail < n && s[tail] == ':')
			tail++;
		if (url_find(s + tail, n - tail, ':') < n - tail) {
			vb_fail(err, VB_USAGE,
				"too many ':' in '%.*s%s'; an IPv6 address must "
				"go in brackets",
				URL_QUOTE(s, n));
			return vb_hint(err, "e.g. [::1]:5 (display 5 = port "
					    "5905) or [::1]::5905 (port 5905)");
		}
		if (colon == 0) {
			vb_fail(err, VB_USAGE, "no host before ':'");
			return vb_hint(err, "e.g. localhost:1 (display 1) or "
					    "localhost::5901 (port 5901)");
		}
		if (url_take_name(s, colon, spec->host, err))
			return -1;
		rest = s + colon;
		rn = n - colon;
	}
	if (rn == 0) {
		spec->port = 5900;
		return 0;
	}
	if (rest[0] != ':') {
		vb_fail(err, VB_USAGE, "unexpected '%c' after ']'", rest[0]);
		return vb_hint(err, "e.g. [::1]:1 (display 1) or [::1]::5901 "
				    "(port 5901)");
	}
	if (rn >= 2 && rest[1] == ':') {
		if (url_number(rest + 2, rn - 2, 1, 65535, "port", port_hint,
			       &v, err))
			return -1;
		spec->port = (int)v;
		return 0;
	}
	if (url_number(rest + 1, rn - 1, 0, URL_DISPLAY_MAX, "display",
		       display_hint, &v, err)) {
		/* "vnc:/host", "wss:host": a scheme missing its slashes. */
		const char *schemes[] = { "vnc", "ws", "wss", "http", "https" };
		size_t i;

		for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
			if (strcmp(spec->host, schemes[i]) == 0)
				return vb_hint(err, "a URL starts with %s:// "
						    "(two slashes)",
					       schemes[i]);
		return -1;
	}
	if (v >= 100) {
		/* Nobody runs display 5901: this is a port written with one
		 * colon. Refuse rather than guess, as the two differ by 5900. */
		vb_fail(err, VB_USAGE, "display %ld would be TCP port %ld", v,
			5900 + v);
		return vb_hint(err, "for TCP port %ld write %s%s%s::%ld; a display "
				    "number (HOST:N, port 5900+N) is below 100",
			       v, strchr(spec->host, ':') ? "[" : "", spec->host,
			       strchr(spec->host, ':') ? "]" : "", v);
	}
	spec->port = 5900 + (int)v;
	return 0;
}

int url_parse(const char *address, struct url_spec *out, struct vb_error *err)
{
	struct url_spec spec;
	size_t n, i = 0;
	int rc;

	memset(&spec, 0, sizeof(spec));
	if (!address || address[0] == '\0') {
		vb_fail(err, VB_USAGE, "the console address is empty");
		return vb_hint(err, URL_FORMS);
	}
	n = strnlen(address, URL_MAX_LEN + 1);
	if (n > URL_MAX_LEN) {
		vb_fail(err, VB_USAGE,
			"the console address is longer than %d bytes",
			URL_MAX_LEN);
		return vb_hint(err, "check that the whole address was copied, "
				    "and only once");
	}
	if (url_check_bytes(address, n, err))
		return -1;

	/* A scheme is RFC 3986's ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
	 * followed by "://"; anything else is one of the plain forms. */
	if (url_is_alpha(address[0]))
		while (i < n && (url_is_alnum(address[i]) || address[i] == '+' ||
				 address[i] == '-' || address[i] == '.'))
			i++;
	if (i > 0 && i + 3 <= n && memcmp(address + i, "://", 3) == 0) {
		const char *rest = address + i + 3;
		size_t rn = n - i - 3;

		if (url_equal_ci(address, i, "vnc"))
			rc = url_parse_vnc(rest, rn, &spec, err);
		else if (url_equal_ci(address, i, "ws"))
			rc = url_parse_ws(rest, rn, URL_WS, &spec, err);
		else if (url_equal_ci(address, i, "wss"))
			rc = url_parse_ws(rest, rn, URL_WSS, &spec, err);
		else if (url_equal_ci(address, i, "http"))
			rc = url_parse_page(rest, rn, "http", &spec, err);
		else if (url_equal_ci(address, i, "https"))
			rc = url_parse_page(rest, rn, "https", &spec, err);
		else {
			vb_fail(err, VB_USAGE, "unknown scheme '%.*s%s://'",
				URL_QUOTE(address, i));
			return vb_hint(err, "use vnc://, ws://, wss://, or an "
					    "http(s):// console page URL whose "
					    "query carries the wss:// URL; or "
					    "HOST:DISPLAY, HOST::PORT");
		}
	} else {
		rc = url_parse_plain(address, n, &spec, err);
	}
	if (rc)
		return -1;
	*out = spec;
	return 0;
}

void url_describe(const struct url_spec *spec, char *buf, size_t size)
{
	static const char *const kinds[] = { "tcp", "ws", "wss" };
	bool v6 = strchr(spec->host, ':') != NULL;
	const char *kind = (unsigned)spec->kind < 3 ? kinds[spec->kind] : "?";
	size_t plen = strcspn(spec->resource, "?");
	int w;

	if (!buf || size == 0)
		return;
	/* The query is elided as "?…" (UTF-8): it carries the access token. */
	w = snprintf(buf, size, "%s %s%s%s:%d%.*s%s", kind, v6 ? "[" : "",
		     spec->host, v6 ? "]" : "", spec->port, (int)plen,
		     spec->resource,
		     spec->resource[plen] ? "?\xe2\x80\xa6" : "");
	(void)w; /* a cut description is still a description */
}
