/* test_url.c: url_parse on every address form of DESIGN.md section 3, good
 * and bad, and url_describe. Each table row is its own cmocka test named
 * after the address it parses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "url/url.h"

struct good_case {
	const char *address;
	enum url_kind kind;
	const char *host;
	int port;
	const char *resource;
};

static const struct good_case good_cases[] = {
	{ "vnc://host", URL_TCP, "host", 5900, "" },
	{ "vnc://host:5901", URL_TCP, "host", 5901, "" },
	{ "vnc://host:1", URL_TCP, "host", 1, "" }, /* a port, not a display */
	{ "VNC://Host.Example.COM:5901", URL_TCP, "Host.Example.COM", 5901, "" },
	{ "vnc://[::1]:5901", URL_TCP, "::1", 5901, "" },
	{ "vnc://[::1]", URL_TCP, "::1", 5900, "" },
	{ "vnc://[fe80::1%25eth0]:5901", URL_TCP, "fe80::1%eth0", 5901, "" },
	{ "vnc://user@host", URL_TCP, "host", 5900, "" },
	{ "vnc://user@host:5902", URL_TCP, "host", 5902, "" },
	{ "vnc://host:5901/", URL_TCP, "host", 5901, "" },
	{ "vnc://host:5901?ConnectionName=x", URL_TCP, "host", 5901, "" },
	{ "vnc://host/?VncUsername=u#frag", URL_TCP, "host", 5900, "" },
	{ "vnc://192.168.1.10:65535", URL_TCP, "192.168.1.10", 65535, "" },
	{ "host", URL_TCP, "host", 5900, "" },
	{ "localhost", URL_TCP, "localhost", 5900, "" },
	{ "host:1", URL_TCP, "host", 5901, "" },
	{ "host:0", URL_TCP, "host", 5900, "" },
	{ "host:99", URL_TCP, "host", 5999, "" },
	{ "host::5999", URL_TCP, "host", 5999, "" },
	{ "host::1", URL_TCP, "host", 1, "" },
	{ "127.0.0.1", URL_TCP, "127.0.0.1", 5900, "" },
	{ "127.0.0.1:2", URL_TCP, "127.0.0.1", 5902, "" },
	{ "10.0.0.5::6000", URL_TCP, "10.0.0.5", 6000, "" },
	{ "my-host.sub-net.example.org:3", URL_TCP, "my-host.sub-net.example.org",
	  5903, "" },
	{ "build_vm.local.", URL_TCP, "build_vm.local.", 5900, "" },
	{ "[::1]:2", URL_TCP, "::1", 5902, "" },
	{ "[::1]", URL_TCP, "::1", 5900, "" },
	{ "[fe80::1]::5900", URL_TCP, "fe80::1", 5900, "" },
	{ "[fe80::1%eth0]:1", URL_TCP, "fe80::1%eth0", 5901, "" },
	{ "[2001:db8::10]::5999", URL_TCP, "2001:db8::10", 5999, "" },
	{ "[::ffff:192.0.2.1]:0", URL_TCP, "::ffff:192.0.2.1", 5900, "" },
	{ "ws://host", URL_WS, "host", 80, "/" },
	{ "ws://host/", URL_WS, "host", 80, "/" },
	{ "wss://host", URL_WSS, "host", 443, "/" },
	{ "ws://127.0.0.1:6080/websockify", URL_WS, "127.0.0.1", 6080,
	  "/websockify" },
	{ "wss://host:8443/vnc?token=a%2Fb+c&x=1", URL_WSS, "host", 8443,
	  "/vnc?token=a%2Fb+c&x=1" },
	{ "wss://host?s=abc", URL_WSS, "host", 443, "/?s=abc" },
	{ "wss://host/path#fragment", URL_WSS, "host", 443, "/path" },
	{ "WSS://host/p", URL_WSS, "host", 443, "/p" },
	{ "ws://[::1]:6080/websockify?token=t", URL_WS, "::1", 6080,
	  "/websockify?token=t" },
	{ "wss://user@host/x", URL_WSS, "host", 443, "/x" },
	{ "wss://cn-hangzhou-vncproxy.aliyun.com/websockify/?s=Zm9v%2Bbar",
	  URL_WSS, "cn-hangzhou-vncproxy.aliyun.com", 443,
	  "/websockify/?s=Zm9v%2Bbar" },
	{ "wss://pve.example:8006/api2/json/nodes/pve/qemu/100/vncwebsocket"
	  "?port=5900&vncticket=PVEVNC%3A6543%3A%3Aabc",
	  URL_WSS, "pve.example", 8006,
	  "/api2/json/nodes/pve/qemu/100/vncwebsocket"
	  "?port=5900&vncticket=PVEVNC%3A6543%3A%3Aabc" },
	/* Tencent Cloud's console page: the wss:// URL decoded once; its own
	 * query keeps the escapes that remain after that one decoding. */
	{ "https://img.qcloud.com/qcloud/app/active_vnc/index.html"
	  "?InstanceVncUrl=wss%3A%2F%2Fbjvnc.qcloud.com%3A26789%2Fvnc"
	  "%3Fs%3DaBc%252Fx",
	  URL_WSS, "bjvnc.qcloud.com", 26789, "/vnc?s=aBc%2Fx" },
	{ "https://console.example/page?lang=en&InstanceVncUrl=wss%3A%2F%2F"
	  "bjvnc.qcloud.com%3A26789%2Fvnc%3Fs%3Dx#top",
	  URL_WSS, "bjvnc.qcloud.com", 26789, "/vnc?s=x" },
	/* Any parameter name, lower-case escapes, ws:// too. */
	{ "http://page.example/?url=ws%3a%2f%2f10.1.2.3%3a6080%2f",
	  URL_WS, "10.1.2.3", 6080, "/" },
	/* Not encoded: taken as is, not decoded. */
	{ "https://page.example/?InstanceVncUrl=wss://h.example:26789/vnc"
	  "?s=a%2Fb",
	  URL_WSS, "h.example", 26789, "/vnc?s=a%2Fb" },
	/* noVNC pages (OpenStack's console url): the WebSocket is on the
	 * page's host and port, at the decoded 'path' parameter. */
	{ "https://nova.example:6080/vnc_lite.html?path=%3Ftoken%3Dab-12",
	  URL_WSS, "nova.example", 6080, "/?token=ab-12" },
	{ "http://10.0.0.9:6080/vnc_auto.html?path=websockify%3Ftoken%3Dx",
	  URL_WS, "10.0.0.9", 6080, "/websockify?token=x" },
	{ "https://[::1]/vnc.html?autoconnect=1&path=%2Fws%3Ft%3D1#x",
	  URL_WSS, "::1", 443, "/ws?t=1" },
};

struct bad_case {
	const char *address;
	const char *message_part; /* expected in err.message */
};

static const struct bad_case bad_cases[] = {
	{ "", "empty" },
	{ "vnc://", "no host" },
	{ "vnc://:5901", "no host" },
	{ "vnc://host:0", "out of range" },
	{ "vnc://host:65536", "out of range" },
	{ "host:5901", "would be TCP port 11801" },
	{ "[::1]:100", "would be TCP port 6000" },
	{ "vnc://host:99999999999999999999999", "out of range" },
	{ "vnc://host:", "empty port" },
	{ "vnc://host:59o1", "not a number" },
	{ "vnc://host::5901", "'::'" },
	{ "vnc://::1:5901", "brackets" },
	{ "vnc://[::1:5901", "unbalanced '['" },
	{ "vnc://[::1]x", "unexpected 'x'" },
	{ "vnc://user:secret@host", "password" },
	{ "vnc://user:@host", "password" },
	{ "vnc://host/path", "no path" },
	{ "vnc://[host]:5901", "not an IPv6 address" },
	{ "host:", "empty display" },
	{ "host:x", "not a number" },
	{ "host:-1", "not a number" },
	{ "host:59636", "out of range" },
	{ "host::0", "out of range" },
	{ "host::65536", "out of range" },
	{ "host::", "empty port" },
	{ "host:::5", "too many ':'" },
	{ ":1", "no host" },
	{ "::1:5", "brackets" },
	{ "::1", "brackets" },
	{ "2001:db8::1", "brackets" },
	{ "fe80::1", "ambiguous" },
	{ "fe80::1%eth0", "brackets" },
	{ "[::1", "unbalanced '['" },
	{ "::1]:5", "brackets" },
	{ "host]:5", "unbalanced ']'" },
	{ "[::1]5", "unexpected '5'" },
	{ "[not-v6]:1", "not an IPv6 address" },
	{ "[192.168.1.1]:1", "not an IPv6 address" },
	{ "[fe80::1%]:1", "zone" },
	{ "host name:1", "space" },
	{ " host:1", "space" },
	{ "host:1\n", "control character 0x0a" },
	{ "host\t:1", "control character 0x09" },
	{ "h\xc3\xa9te:1", "non-ASCII" },
	{ "ftp://host", "unknown scheme 'ftp://'" },
	{ "rfb://host:5900", "unknown scheme" },
	{ "http://host/page", "not a console page" },
	{ "https://host/vnc_lite.html?path=%3Ftoken%3D%zz", "malformed percent" },
	{ "https://host/vnc_lite.html?path=a%20b", "in parameter 'path'" },
	{ "https://host/page?a=1&b=http%3A%2F%2Fx", "not a console page" },
	{ "https://host/page#?u=wss%3A%2F%2Fx", "not a console page" },
	{ "vnc:/host", "not a number" },
	{ "host:1/path", "not a number" },
	{ "ws://", "no host" },
	{ "ws://host:0/", "out of range" },
	{ "wss://u:p@host/x", "password" },
	{ "wss://host:443:1/", "brackets" },
	{ "https://p/?InstanceVncUrl=wss%3A%2F%2Fh%3A0%2F", "InstanceVncUrl" },
	{ "https://p/?u=wss%3A%2F%2Fh%2F%2", "malformed percent escape" },
	{ "https://p/?u=wss%3A%2F%2Fh%2Fa%20b", "space" },
	{ "https://p/?u=wss%3A%2F%2Fh%2F%00", "control character 0x00" },
	{ "https://p/?u=wss%3A%2F%2Fu%3Apw%40h%2F", "password" },
	{ "300.1.1.1:1", "not a valid IPv4 address" },
	{ "1.2.3:1", "not a valid IPv4 address" },
	{ "5901", "not a valid IPv4 address" },
	{ "-host:1", "'-'" },
	{ "host-.example:1", "'-'" },
	{ "a..b:1", "empty part" },
	{ ".host", "empty part" },
	{ "host_na$me:1", "'$' is not allowed" },
	{ "user@host:1", "'@' is not allowed" },
};

static void test_good(void **state)
{
	const struct good_case *c = *state;
	struct url_spec spec;
	struct vb_error err;
	int rc;

	vb_error_clear(&err);
	memset(&spec, 0x5a, sizeof(spec));
	rc = url_parse(c->address, &spec, &err);
	if (rc != 0)
		fail_msg("'%s' refused: %s (hint: %s)", c->address, err.message,
			 err.hint);
	assert_int_equal(spec.kind, c->kind);
	assert_string_equal(spec.host, c->host);
	assert_int_equal(spec.port, c->port);
	assert_string_equal(spec.resource, c->resource);
}

static void test_bad(void **state)
{
	const struct bad_case *c = *state;
	struct url_spec spec;
	struct vb_error err;

	vb_error_clear(&err);
	memset(&spec, 0, sizeof(spec));
	strcpy(spec.host, "untouched");
	if (url_parse(c->address, &spec, &err) != -1)
		fail_msg("'%s' accepted as host '%s' port %d resource '%s'",
			 c->address, spec.host, spec.port, spec.resource);
	assert_int_equal(err.status, VB_USAGE);
	if (!strstr(err.message, c->message_part))
		fail_msg("'%s': message '%s' lacks '%s'", c->address,
			 err.message, c->message_part);
	if (err.hint[0] == '\0')
		fail_msg("'%s': no hint (message '%s')", c->address,
			 err.message);
	assert_null(strchr(err.message, '\n'));
	/* out is left alone on failure */
	assert_string_equal(spec.host, "untouched");
}

static void null_address_is_a_usage_error(void **state)
{
	struct url_spec spec;
	struct vb_error err;

	(void)state;
	assert_int_equal(url_parse(NULL, &spec, &err), -1);
	assert_int_equal(err.status, VB_USAGE);
	assert_true(err.message[0] != '\0');
}

static void a_null_error_is_allowed(void **state)
{
	struct url_spec spec;

	(void)state;
	assert_int_equal(url_parse("host:x", &spec, NULL), -1);
	assert_int_equal(url_parse("host:1", &spec, NULL), 0);
	assert_int_equal(spec.port, 5901);
}

static void password_is_refused_with_a_hint_and_not_echoed(void **state)
{
	struct url_spec spec;
	struct vb_error err;

	(void)state;
	assert_int_equal(url_parse("vnc://admin:hunter2@host", &spec, &err),
			 -1);
	assert_non_null(strstr(err.hint, "--password-file"));
	assert_null(strstr(err.message, "hunter2"));
	assert_null(strstr(err.hint, "hunter2"));
}

static void tokens_are_never_quoted_in_messages(void **state)
{
	struct url_spec spec;
	struct vb_error err;

	(void)state;
	assert_int_equal(url_parse("https://p/?InstanceVncUrl=wss%3A%2F%2Fh"
				   "%3A99999%2Fvnc%3Fs%3DSECRETTOKEN",
				   &spec, &err),
			 -1);
	assert_non_null(strstr(err.message, "port 99999"));
	assert_null(strstr(err.message, "SECRETTOKEN"));
	assert_null(strstr(err.hint, "SECRETTOKEN"));
}

static void ambiguous_ipv6_hint_shows_both_readings(void **state)
{
	struct url_spec spec;
	struct vb_error err;

	(void)state;
	assert_int_equal(url_parse("fe80::1", &spec, &err), -1);
	assert_non_null(strstr(err.hint, "[fe80::1]"));
	assert_non_null(strstr(err.hint, "vnc://fe80:1"));
}

static void overlong_inputs_are_refused_without_overflow(void **state)
{
	static char big[10 * 1024 + 1];
	struct url_spec spec;
	struct vb_error err;

	(void)state;
	/* 10 KB of host name */
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(url_parse(big, &spec, &err), -1);
	assert_int_equal(err.status, VB_USAGE);
	assert_non_null(strstr(err.message, "longer than"));

	/* a host name just over the DNS limit, with a display */
	memset(big, 'a', sizeof(big));
	for (int i = 60; i < 300; i += 61)
		big[i] = '.';
	strcpy(big + 300, ":1");
	assert_int_equal(url_parse(big, &spec, &err), -1);
	assert_non_null(strstr(err.message, "characters long"));

	/* a ws:// URL whose path and query do not fit in resource */
	strcpy(big, "wss://host/");
	memset(big + 11, 'q', 5000);
	big[5011] = '\0';
	assert_int_equal(url_parse(big, &spec, &err), -1);
	assert_non_null(strstr(err.message, "longest accepted is 4095"));

	/* the same, but exactly as long as resource can hold */
	big[11 + 4094] = '\0';
	assert_int_equal(url_parse(big, &spec, &err), 0);
	assert_int_equal(strlen(spec.resource), 4095);

	/* a console page carrying an oversized URL */
	strcpy(big, "https://p/?u=wss%3A%2F%2Fh%2F");
	memset(big + strlen(big), 'z', 6000);
	big[29 + 6000] = '\0';
	assert_int_equal(url_parse(big, &spec, &err), -1);
	assert_non_null(strstr(err.message, "parameter 'u'"));
	assert_non_null(strstr(err.message, "longest accepted"));

	/* an overlong display number */
	strcpy(big, "host:");
	memset(big + 5, '9', 5000);
	big[5005] = '\0';
	assert_int_equal(url_parse(big, &spec, &err), -1);
	assert_non_null(strstr(err.message, "out of range"));
	assert_true(strlen(err.message) < 200);
}

static void describe_case(const char *address, const char *want)
{
	struct url_spec spec;
	struct vb_error err;
	char buf[256];

	if (url_parse(address, &spec, &err))
		fail_msg("'%s' refused: %s", address, err.message);
	url_describe(&spec, buf, sizeof(buf));
	assert_string_equal(buf, want);
}

static void describe_elides_the_query(void **state)
{
	char small[8];
	struct url_spec spec;

	(void)state;
	describe_case("127.0.0.1:1", "tcp 127.0.0.1:5901");
	describe_case("vnc://[::1]:5901", "tcp [::1]:5901");
	describe_case("wss://host/vnc?s=secret", "wss host:443/vnc?\xe2\x80\xa6");
	describe_case("ws://[::1]:6080/websockify", "ws [::1]:6080/websockify");
	describe_case("ws://h", "ws h:80/");

	/* truncation keeps the buffer a C string */
	assert_int_equal(url_parse("longhostname:1", &spec, NULL), 0);
	url_describe(&spec, small, sizeof(small));
	assert_string_equal(small, "tcp lon");
	url_describe(&spec, small, 0); /* no write at all */
}

/* A test name showing non-printable bytes as \xNN. */
static void name_test(char *name, size_t size, const char *verb,
		      const char *address)
{
	size_t o = (size_t)snprintf(name, size, "%s '", verb);

	for (; *address && o + 8 < size; address++) {
		unsigned char c = (unsigned char)*address;

		if (c < 0x20 || c >= 0x7f)
			o += (size_t)snprintf(name + o, size - o, "\\x%02x", c);
		else
			name[o++] = (char)c;
	}
	snprintf(name + o, size - o, "%s'", *address ? "..." : "");
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(null_address_is_a_usage_error),
		cmocka_unit_test(a_null_error_is_allowed),
		cmocka_unit_test(password_is_refused_with_a_hint_and_not_echoed),
		cmocka_unit_test(tokens_are_never_quoted_in_messages),
		cmocka_unit_test(ambiguous_ipv6_hint_shows_both_readings),
		cmocka_unit_test(overlong_inputs_are_refused_without_overflow),
		cmocka_unit_test(describe_elides_the_query),
	};
	size_t ngood = sizeof(good_cases) / sizeof(good_cases[0]);
	size_t nbad = sizeof(bad_cases) / sizeof(bad_cases[0]);
	size_t nfixed = sizeof(fixed) / sizeof(fixed[0]);
	size_t n = ngood + nbad + nfixed, i, k = 0;
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	char (*names)[128] = calloc(n, sizeof(*names));
	int failed;

	if (!tests || !names)
		return 1;
	for (i = 0; i < ngood; i++, k++) {
		name_test(names[k], sizeof(names[k]), "accepts",
			  good_cases[i].address);
		tests[k].name = names[k];
		tests[k].test_func = test_good;
		tests[k].initial_state = (void *)&good_cases[i];
	}
	for (i = 0; i < nbad; i++, k++) {
		name_test(names[k], sizeof(names[k]), "refuses",
			  bad_cases[i].address);
		tests[k].name = names[k];
		tests[k].test_func = test_bad;
		tests[k].initial_state = (void *)&bad_cases[i];
	}
	for (i = 0; i < nfixed; i++, k++)
		tests[k] = fixed[i];
	failed = _cmocka_run_group_tests("url", tests, n, NULL, NULL);
	free(tests);
	free(names);
	return failed;
}
