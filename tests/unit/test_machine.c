/* test_machine.c: unit tests of practice/machine and the .reg reader: every
 * machine file of practice/machines/ loads and says what it should; bad
 * files are refused with their line; reg import reads what reg export
 * wrote back to the same registry; the machine's name, user and shutdown as
 * the cmd windows see them; the disk shared by windows; --state's JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "cmd/disk.h"
#include "cmdshell.h"
#include "machine.h"
#include "nla_verdict.h"
#include "registry.h"

#define MACHINES PROJECT_DIR "/practice/machines/"
#define LSA NLA_LSA
#define SECPROV NLA_SECPROV

/* ---- helpers -------------------------------------------------------------- */

static char out[65536];
static size_t out_len;

static void collect(void *ctx, const char *text, size_t n)
{
	(void)ctx;
	if (out_len + n >= sizeof(out))
		fail_msg("console output overflows the test buffer");
	memcpy(out + out_len, text, n);
	out_len += n;
	out[out_len] = '\0';
}

static const char *run(struct cmdshell *sh, const char *line)
{
	out_len = 0;
	out[0] = '\0';
	cmdshell_run(sh, line, collect, NULL);
	return out;
}

/* The items of a REG_MULTI_SZ joined by spaces ("" when absent). */
static const char *multi(const struct registry *reg, const char *key, const char *name)
{
	static char buf[1024];
	const struct registry_value *v = registry_get(reg, key, name);
	size_t i;

	buf[0] = '\0';
	if (!v)
		return "(absent)";
	if (v->type != REGISTRY_MULTI_SZ)
		return "(not REG_MULTI_SZ)";
	for (i = 0; i < v->count; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, v->items[i]);
	}
	return buf;
}

static const char *sz(const struct registry *reg, const char *key, const char *name)
{
	const struct registry_value *v = registry_get(reg, key, name);

	if (!v)
		return "(absent)";
	return v->type == REGISTRY_SZ || v->type == REGISTRY_EXPAND_SZ ? v->text : "(not a string)";
}

static struct machine *load(const char *file)
{
	struct machine *m = machine_new();
	struct vb_error err;

	if (machine_load(m, file, &err) < 0)
		fail_msg("%s: %s: %s", file, err.where, err.message);
	return m;
}

/* Import text into an empty registry; returns the registry or NULL with
 * err filled. */
static struct registry *import_text(const char *text, struct vb_error *err)
{
	struct registry *reg = registry_new();

	if (registry_import(reg, (const unsigned char *)text, strlen(text), "t.reg", err) < 0) {
		registry_free(reg);
		return NULL;
	}
	return reg;
}

static void expect_refused(const char *text, const char *where, const char *words)
{
	struct vb_error err;
	struct registry *reg = import_text(text, &err);

	if (reg)
		fail_msg("accepted:\n%s", text);
	assert_string_equal(err.where, where);
	if (!strstr(err.message, words))
		fail_msg("message '%s' lacks '%s'", err.message, words);
}

/* ---- the machine files ------------------------------------------------------ */

static void default_machine_is_the_seeds_broken_one(void **state)
{
	struct machine *m = machine_new(), *file = load(MACHINES "broken.reg");
	char *a = machine_state_json(m), *b = machine_state_json(file);

	(void)state;
	assert_string_equal(multi(machine_registry(m), LSA, "Security Packages"),
			    "kerberos msv1_0 schannel wdigest pku2u");
	assert_string_equal(sz(machine_registry(m), SECPROV, "SecurityProviders"), "");
	assert_false(registry_nla_ready(machine_registry(m)));
	assert_string_equal(machine_hostname(m), "WIN-PRACTICE");
	assert_true(registry_key_exists(machine_registry(m),
					"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal "
					"Server\\WinStations\\RDP-Tcp"));
	assert_string_equal(a, b); /* the built-in machine is the file */
	free(a);
	free(b);
	machine_free(m);
	machine_free(file);
}

static void each_machine_file_says_what_it_should(void **state)
{
	static const struct {
		const char *file, *host, *packages, *providers;
		bool ready;
	} cases[] = {
		{"broken.reg", "WIN-PRACTICE", "kerberos msv1_0 schannel wdigest pku2u", "", false},
		{"fixed.reg", "WIN-FIXED", "kerberos msv1_0 schannel wdigest pku2u tspkg",
		 "credssp.dll", true},
		{"half-fixed.reg", "WIN-HALFFIX", "kerberos msv1_0 schannel wdigest pku2u tspkg",
		 "", false},
		{"customised.reg", "WIN-CUSTOM",
		 "kerberos msv1_0 schannel wdigest pku2u cloudAP mycorp",
		 "mycorp.dll, otherssp.dll", false},
		{"no-providers.reg", "WIN-NOPROV", "kerberos msv1_0 schannel wdigest pku2u",
		 "(absent)", false},
		{"lookalikes.reg", "WIN-LOOKALIKE", "kerberos msv1_0 schannel wdigest pku2u tspkgx",
		 "xcredssp.dll, mycorp.dll", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[512];
		struct machine *m;
		struct registry *reg;

		snprintf(path, sizeof(path), MACHINES "%s", cases[i].file);
		m = load(path);
		reg = machine_registry(m);
		assert_string_equal(machine_hostname(m), cases[i].host);
		assert_string_equal(multi(reg, LSA, "Security Packages"), cases[i].packages);
		assert_string_equal(sz(reg, SECPROV, "SecurityProviders"), cases[i].providers);
		assert_true(registry_key_exists(reg, SECPROV));
		assert_int_equal(registry_nla_ready(reg), cases[i].ready);
		machine_free(m);
	}
}

static void machine_load_names_the_file_and_line(void **state)
{
	char path[] = "/tmp/test_machine_XXXXXX";
	int fd = mkstemp(path);
	static const char text[] = "Windows Registry Editor Version 5.00\r\n"
				   "\r\n"
				   "[HKEY_LOCAL_MACHINE\\SOFTWARE\\X]\r\n"
				   "\"A\"=dword:1\r\n"
				   "\"B\"=dword:xyz\r\n";
	struct machine *m = machine_new();
	struct vb_error err;
	char where[600];

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	assert_int_equal(machine_load(m, path, &err), -1);
	snprintf(where, sizeof(where), "%s:5", path);
	assert_string_equal(err.where, where);
	assert_non_null(strstr(err.message, "dword"));
	/* Refused whole: the machine is as it was. */
	assert_false(registry_key_exists(machine_registry(m), "HKLM\\SOFTWARE\\X"));
	assert_string_equal(machine_hostname(m), "WIN-PRACTICE");
	unlink(path);

	assert_int_equal(machine_load(m, "/nonexistent/x.reg", &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent/x.reg"));
	machine_free(m);
}

/* ---- the .reg reader -------------------------------------------------------- */

static void reader_takes_every_form_windows_writes(void **state)
{
	static const char text[] =
		"Windows Registry Editor Version 5.00\n"
		"; a comment\n"
		"\n"
		"[HKEY_LOCAL_MACHINE\\SOFTWARE\\T]\n"
		"@=\"the default\"\n"
		"\"Path\"=\"C:\\\\Windows\\\\\\\"q\\\"\"\n"
		"\"N\"=dword:0000000a\n"
		"\"M\"=hex(7):6b,00,65,00,72,00,00,00,74,00,73,00,70,00,6b,00,67,00,00,00,\\\n"
		"  00,00\n"
		"\"E\"=hex(2):25,00,41,00,25,00,00,00\n"
		"\"Gone\"=\"x\"\n"
		"\"Gone\"=-\n"
		"\n"
		"[HKEY_CURRENT_USER\\Old\\Sub]\n"
		"[-HKEY_CURRENT_USER\\Old]\n"
		"[-HKEY_CURRENT_USER\\NeverThere\\Sub]\n";
	struct vb_error err;
	struct registry *reg = import_text(text, &err);
	const struct registry_value *v;

	(void)state;
	if (!reg)
		fail_msg("%s: %s", err.where, err.message);
	assert_string_equal(sz(reg, "HKLM\\SOFTWARE\\T", ""), "the default");
	assert_string_equal(sz(reg, "HKLM\\SOFTWARE\\T", "Path"), "C:\\Windows\\\"q\"");
	v = registry_get(reg, "HKLM\\SOFTWARE\\T", "N");
	assert_non_null(v);
	assert_int_equal(v->type, REGISTRY_DWORD);
	assert_int_equal(v->dword, 10);
	assert_string_equal(multi(reg, "HKLM\\SOFTWARE\\T", "M"), "ker tspkg");
	v = registry_get(reg, "HKLM\\SOFTWARE\\T", "E");
	assert_non_null(v);
	assert_int_equal(v->type, REGISTRY_EXPAND_SZ);
	assert_string_equal(v->text, "%A%");
	assert_null(registry_get(reg, "HKLM\\SOFTWARE\\T", "Gone"));
	assert_false(registry_key_exists(reg, "HKCU\\Old"));
	assert_false(registry_key_exists(reg, "HKCU\\NeverThere")); /* nothing made to delete */
	registry_free(reg);
}

static void reader_takes_utf16_regedit4_and_crlf(void **state)
{
	static const char ascii[] = "Windows Registry Editor Version 5.00\r\n\r\n"
				    "[HKEY_USERS\\S-1-5-18\\K]\r\n\"V\"=\"caf\xc3\xa9\"\r\n";
	unsigned char utf16[512];
	size_t i, n = 0;
	struct vb_error err;
	struct registry *reg = registry_new();

	(void)state;
	utf16[n++] = 0xff;
	utf16[n++] = 0xfe;
	for (i = 0; ascii[i]; i++) {
		/* "caf\xc3\xa9" is UTF-8 for cafe-acute: U+00E9 in UTF-16. */
		if ((unsigned char)ascii[i] == 0xc3) {
			utf16[n++] = 0xe9, utf16[n++] = 0;
			i++;
			continue;
		}
		utf16[n++] = (unsigned char)ascii[i];
		utf16[n++] = 0;
	}
	assert_int_equal(registry_import(reg, utf16, n, "u.reg", &err), 0);
	assert_string_equal(sz(reg, "HKU\\S-1-5-18\\K", "V"), "caf\xe9");
	registry_free(reg);

	reg = import_text(ascii, &err);
	assert_non_null(reg);
	assert_string_equal(sz(reg, "HKU\\S-1-5-18\\K", "V"), "caf\xe9"); /* UTF-8 read */
	registry_free(reg);

	reg = import_text("REGEDIT4\n\n[HKEY_LOCAL_MACHINE\\A]\n\"M\"=hex(7):61,00,62,00,00\n",
			  &err);
	assert_non_null(reg);
	assert_string_equal(multi(reg, "HKLM\\A", "M"), "a b"); /* single bytes */
	registry_free(reg);
}

static void reader_refuses_bad_files_with_the_line(void **state)
{
	(void)state;
	expect_refused("", "t.reg:1", "empty");
	expect_refused("hello\n", "t.reg:1", "not a registry file");
	expect_refused("Windows Registry Editor Version 5.00\n\"A\"=\"b\"\n", "t.reg:2",
		       "before any [KEY]");
	expect_refused("Windows Registry Editor Version 5.00\n\n[HKEY_NOWHERE\\X]\n", "t.reg:3",
		       "root key");
	expect_refused("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X\n", "t.reg:2",
		       "ends with ']'");
	expect_refused("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n"
		       "\"A\"=\"unclosed\n",
		       "t.reg:3", "quote");
	expect_refused("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n"
		       "\"A\"=dword:123456789\n",
		       "t.reg:3", "dword");
	expect_refused("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n"
		       "\"Bin\"=hex:01,02\n",
		       "t.reg:3", "REG_BINARY");
	/* A continued value is reported at the line it starts on. */
	expect_refused("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n"
		       "\"M\"=hex(7):61,00,\\\n  zz,00\n",
		       "t.reg:3", "hex bytes");
	expect_refused("Windows Registry Editor Version 5.00\n[HKEY_LOCAL_MACHINE\\X]\n"
		       "garbage\n",
		       "t.reg:3", "expected [KEY]");
}

/* Whatever the bytes, the reader answers 0 or -1 with the line: never a
 * crash (the sanitizer build checks the memory side), never a half-applied
 * file. Mutations of a real machine file, from a fixed seed. */
static void reader_survives_mangled_files(void **state)
{
	FILE *f = fopen(MACHINES "customised.reg", "rb");
	static unsigned char orig[16384], buf[16384];
	size_t len, i, n;
	unsigned seed = 12345;
	int refused = 0;

	(void)state;
	assert_non_null(f);
	len = fread(orig, 1, sizeof(orig), f);
	fclose(f);
	assert_true(len > 1000 && len < sizeof(orig));
	for (i = 0; i < 3000; i++) {
		struct registry *reg = registry_new();
		struct vb_error err;
		size_t cut = len;

		memcpy(buf, orig, len);
		for (n = 0; n < 1 + i % 8; n++) {
			seed = seed * 1103515245u + 12345u;
			size_t at = (seed >> 8) % len;

			seed = seed * 1103515245u + 12345u;
			switch ((seed >> 8) % 4) {
			case 0:
				buf[at] = (unsigned char)(seed >> 16);
				break;
			case 1:
				buf[at] = "\\\"[]=:,@-;\n\r"[(seed >> 16) % 12];
				break;
			case 2:
				cut = at;
				break;
			default:
				buf[at] = 0;
				break;
			}
		}
		registry_set_dword(reg, "HKLM\\Marker", "m", 1);
		if (registry_import(reg, buf, cut, "m.reg", &err) < 0) {
			refused++;
			assert_true(strncmp(err.where, "m.reg:", 6) == 0);
			assert_true(err.message[0] != '\0');
			/* refused whole: still exactly what it was */
			assert_true(registry_key_exists(reg, "HKLM\\Marker"));
			assert_false(registry_key_exists(reg, "HKLM\\SYSTEM"));
		}
		registry_free(reg);
	}
	assert_true(refused > 100); /* the mutations did reach the error paths */
}

static void import_of_an_export_gives_the_same_registry(void **state)
{
	struct machine *m = load(MACHINES "customised.reg");
	struct registry *reg = machine_registry(m), *back = registry_new();
	static const char *const roots[] = {"HKLM", "HKCU", "HKCR", "HKU", "HKCC"};
	struct machine *copy = machine_new();
	char *a, *b;
	size_t i;

	(void)state;
	registry_set_string(reg, "HKCU\\Q", "quote\"back\\slash", REGISTRY_SZ, "a\"b\\c");
	for (i = 0; i < 5; i++) {
		size_t len, j;
		char *text = registry_export(reg, roots[i], &len);
		unsigned char *utf16 = malloc(2 + 2 * len);
		struct vb_error err;

		assert_non_null(text);
		utf16[0] = 0xff, utf16[1] = 0xfe; /* as reg export writes the file */
		for (j = 0; j < len; j++)
			utf16[2 + 2 * j] = (unsigned char)text[j], utf16[3 + 2 * j] = 0;
		if (registry_import(back, utf16, 2 + 2 * len, roots[i], &err) < 0)
			fail_msg("%s: %s", err.where, err.message);
		free(utf16);
		free(text);
	}
	registry_swap(machine_registry(copy), back);
	a = machine_state_json(m);
	b = machine_state_json(copy);
	assert_string_equal(a, b);
	free(a);
	free(b);
	registry_free(back);
	machine_free(copy);
	machine_free(m);
}

/* ---- the machine as the cmd windows see it ------------------------------------ */

static void reg_import_in_cmd_puts_a_backup_back(void **state)
{
	struct machine *m = machine_new();
	struct cmdshell *sh = cmdshell_new(m, true);

	(void)state;
	assert_string_equal(run(sh, "reg export HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa "
				    "C:\\Windows\\Temp\\lsa.reg /y"),
			    "The operation completed successfully.\n");
	run(sh, "reg add HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa /v \"Security Packages\" "
		"/t REG_MULTI_SZ /d kerberos\\0tspkg /f");
	assert_string_equal(multi(machine_registry(m), LSA, "Security Packages"), "kerberos tspkg");
	assert_string_equal(run(sh, "reg import C:\\Windows\\Temp\\lsa.reg"),
			    "The operation completed successfully.\n");
	assert_int_equal(cmdshell_errorlevel(sh), 0);
	assert_string_equal(multi(machine_registry(m), LSA, "Security Packages"),
			    "kerberos msv1_0 schannel wdigest pku2u");
	/* reg.exe prints that to standard error, as Windows' does. */
	assert_string_equal(run(sh, "reg import C:\\Windows\\Temp\\lsa.reg 2>nul"), "");

	assert_string_equal(run(sh, "reg import C:\\Windows\\Temp\\none.reg"),
			    "ERROR: Error opening the file. There may be a disk or file system "
			    "error.\n");
	assert_int_equal(cmdshell_errorlevel(sh), 1);
	run(sh, "echo not a reg file> C:\\Windows\\Temp\\bad.reg");
	assert_string_equal(run(sh, "reg import C:\\Windows\\Temp\\bad.reg"),
			    "ERROR: Error accessing the registry.\n");
	assert_int_equal(cmdshell_errorlevel(sh), 1);
	assert_string_equal(run(sh, "reg import"),
			    "ERROR: Invalid syntax.\nType \"REG IMPORT /?\" for usage.\n");
	assert_string_equal(run(sh,
				"reg import C:\\Windows\\Temp\\lsa.reg >nul 2>&1 & if errorlevel 1 "
				"(echo failed) else echo imported"),
			    "imported\n");
	cmdshell_free(sh);
	machine_free(m);
}

static void windows_share_the_machines_disk_name_and_shutdown(void **state)
{
	struct machine *m = load(MACHINES "fixed.reg");
	struct cmdshell *a, *b;
	unsigned serial;

	(void)state;
	machine_set_user(m, "Operator");
	a = cmdshell_new(m, true);
	b = cmdshell_new(m, false);
	assert_string_equal(cmdshell_title(a), "Administrator: C:\\Windows\\system32\\cmd.exe");
	assert_string_equal(cmdshell_title(b), "C:\\Windows\\system32\\cmd.exe");
	run(b, "title mine");
	assert_string_equal(cmdshell_title(b), "mine");
	assert_string_equal(run(a, "hostname"), "WIN-FIXED\n");
	assert_string_equal(run(a, "whoami"), "win-fixed\\operator\n");
	assert_string_equal(run(a, "echo %USERNAME% %COMPUTERNAME% %USERPROFILE%"),
			    "Operator WIN-FIXED C:\\Users\\Operator\n");
	assert_string_equal(run(a, "ver"), "\nMicrosoft Windows [Version 10.0.14393]\n");

	run(a, "echo shared> C:\\Windows\\Temp\\x.txt");
	assert_string_equal(run(b, "type C:\\Windows\\Temp\\x.txt"), "shared\n");

	machine_power(m, NULL, &serial);
	assert_string_equal(run(a, "shutdown /r /t 30"), "");
	assert_string_equal(run(b, "shutdown /r /t 5"),
			    "A system shutdown has already been scheduled.(1190)\n");
	assert_string_equal(run(b, "shutdown /a"), "");
	assert_int_equal(machine_power(m, NULL, NULL), MACHINE_ON);
	assert_string_equal(run(b, "shutdown /r /t 3"), "");
	assert_int_equal(machine_power(m, NULL, NULL), MACHINE_RESTART_PENDING);
	machine_restarted(m);
	assert_int_equal(machine_power(m, NULL, NULL), MACHINE_ON);
	assert_int_equal(machine_power(m, NULL, &serial) == MACHINE_ON && serial > 0, 1);
	/* The machine outlives the windows. */
	cmdshell_free(a);
	cmdshell_free(b);
	a = cmdshell_new(m, true);
	assert_string_equal(run(a, "type C:\\Windows\\Temp\\x.txt"), "shared\n");
	assert_int_equal(run(a, "exit") && cmdshell_exited(a), 1);
	cmdshell_free(a);
	machine_free(m);
}

/* ---- --state ------------------------------------------------------------------ */

static json_t *read_json(const char *path)
{
	json_error_t e;
	json_t *j = json_load_file(path, 0, &e);

	if (!j)
		fail_msg("%s: %s (line %d)", path, e.text, e.line);
	return j;
}

static void state_file_has_the_shape_tests_read(void **state)
{
	char dir[] = "/tmp/test_machine_state_XXXXXX", path[512];
	struct machine *m = machine_new();
	struct cmdshell *sh = cmdshell_new(m, true);
	struct vb_error err;
	json_t *j, *key, *v;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.json", dir);
	assert_int_equal(machine_set_state_file(m, path, &err), 0);
	j = read_json(path);
	key = json_object_get(json_object_get(j, "registry"),
			      "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa");
	assert_non_null(key);
	v = json_object_get(key, "Security Packages");
	assert_string_equal(json_string_value(json_object_get(v, "type")), "REG_MULTI_SZ");
	assert_int_equal(json_array_size(json_object_get(v, "data")), 5);
	assert_string_equal(json_string_value(json_array_get(json_object_get(v, "data"), 0)),
			    "kerberos");
	v = json_object_get(key, "LsaPid");
	assert_string_equal(json_string_value(json_object_get(v, "type")), "REG_DWORD");
	assert_int_equal(json_integer_value(json_object_get(v, "data")), 0x26c);
	/* Keys with no values are there too, as {}. */
	key = json_object_get(json_object_get(j, "registry"), "HKLM\\SAM");
	assert_true(json_is_object(key) && json_object_size(key) == 0);
	assert_int_equal(json_object_size(json_object_get(j, "files")), 0);
	json_decref(j);

	/* Unchanged: not written again (the file we remove stays away). */
	unlink(path);
	assert_int_equal(machine_sync_state(m, &err), 0);
	assert_int_equal(access(path, F_OK), -1);

	run(sh, "reg add HKLM\\SOFTWARE\\T /ve /d dflt /f");
	run(sh, "reg export HKLM\\SOFTWARE\\T C:\\Windows\\Temp\\t.reg /y");
	assert_int_equal(machine_sync_state(m, &err), 0);
	j = read_json(path);
	v = json_object_get(json_object_get(json_object_get(j, "registry"), "HKLM\\SOFTWARE\\T"),
			    "");
	assert_string_equal(json_string_value(json_object_get(v, "type")), "REG_SZ");
	assert_string_equal(json_string_value(json_object_get(v, "data")), "dflt");
	assert_string_equal(
		json_string_value(
			json_object_get(json_object_get(j, "files"), "C:\\Windows\\Temp\\t.reg")),
		"Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\T]\r\n"
		"@=\"dflt\"\r\n\r\n");
	json_decref(j);

	assert_int_equal(machine_set_state_file(m, "/nonexistent/dir/state.json", &err), -1);
	assert_non_null(strstr(err.message, "/nonexistent/dir/state.json"));
	unlink(path);
	rmdir(dir);
	cmdshell_free(sh);
	machine_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_machine_is_the_seeds_broken_one),
		cmocka_unit_test(each_machine_file_says_what_it_should),
		cmocka_unit_test(machine_load_names_the_file_and_line),
		cmocka_unit_test(reader_takes_every_form_windows_writes),
		cmocka_unit_test(reader_takes_utf16_regedit4_and_crlf),
		cmocka_unit_test(reader_refuses_bad_files_with_the_line),
		cmocka_unit_test(reader_survives_mangled_files),
		cmocka_unit_test(import_of_an_export_gives_the_same_registry),
		cmocka_unit_test(reg_import_in_cmd_puts_a_backup_back),
		cmocka_unit_test(windows_share_the_machines_disk_name_and_shutdown),
		cmocka_unit_test(state_file_has_the_shape_tests_read),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
