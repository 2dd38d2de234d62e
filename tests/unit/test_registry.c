/* test_registry.c: unit tests of practice/registry: the seeded broken
 * machine, names without case, the tree's writers, the .reg export byte for
 * byte, and reg.exe's output, questions and errors through a fake console. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "nla_verdict.h"
#include "machine.h"
#include "registry.h"

#define LSA "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
#define SECPROV "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"

/* ---- a fake console and disk for reg.exe -------------------------------- */

struct fake {
	char out[16384];
	char err[4096];
	const char *answers[8]; /* read_line's lines; then "nothing typed yet" */
	int nanswers, next;
	bool eof_after; /* after the answers: end of input, not the console */
	char file_name[256];
	unsigned char file[16384];
	size_t file_len;
	bool file_there;
	bool no_folder;
};

static void append(char *buf, size_t size, const char *s, size_t n)
{
	size_t len = strlen(buf);

	if (len + n >= size)
		fail_msg("test buffer too small");
	memcpy(buf + len, s, n);
	buf[len + n] = '\0';
}

static void fake_out(void *ctx, const char *s, size_t n)
{
	struct fake *f = ctx;

	append(f->out, sizeof(f->out), s, n);
}

static void fake_err(void *ctx, const char *s, size_t n)
{
	struct fake *f = ctx;

	append(f->err, sizeof(f->err), s, n);
}

static int fake_read(void *ctx, char *buf, size_t size)
{
	struct fake *f = ctx;

	if (f->next >= f->nanswers)
		return f->eof_after ? 0 : -1;
	snprintf(buf, size, "%s", f->answers[f->next++]);
	return 1;
}

static bool fake_exists(void *ctx, const char *path)
{
	struct fake *f = ctx;

	return f->file_there && !strcmp(path, f->file_name);
}

static unsigned char *fake_file(void *ctx, const char *path, size_t *len)
{
	struct fake *f = ctx;
	unsigned char *copy;

	if (!f->file_there || strcmp(path, f->file_name))
		return NULL;
	copy = malloc(f->file_len ? f->file_len : 1);
	if (!copy)
		fail_msg("out of memory");
	memcpy(copy, f->file, f->file_len);
	*len = f->file_len;
	return copy;
}

static int fake_write(void *ctx, const char *path, const unsigned char *data, size_t len)
{
	struct fake *f = ctx;

	if (f->no_folder)
		return -1;
	assert_true(len <= sizeof(f->file));
	snprintf(f->file_name, sizeof(f->file_name), "%s", path);
	memcpy(f->file, data, len);
	f->file_len = len;
	f->file_there = true;
	return 0;
}

/* Run reg.exe with a command line split at spaces ("|" stands for a space
 * inside one argument). Output lands in f. */
static int reg(struct registry *r, struct fake *f, const char *cmdline)
{
	struct registry_io io = {f, fake_out, fake_err, fake_read, fake_exists, fake_write, fake_file};
	char copy[1024], *argv[32], *save = NULL, *w;
	int argc = 0, i, rc;

	f->out[0] = f->err[0] = '\0';
	snprintf(copy, sizeof(copy), "%s", cmdline);
	for (w = strtok_r(copy, " ", &save); w && argc < 32; w = strtok_r(NULL, " ", &save)) {
		for (i = 0; w[i]; i++)
			if (w[i] == '|')
				w[i] = ' ';
		argv[argc++] = w;
	}
	rc = registry_exe(r, argc, argv, &io);
	return rc;
}

/* The file as text (UTF-16LE with a byte order mark, back to 8 bits). */
static char *file_text(const struct fake *f)
{
	char *s = malloc(f->file_len / 2 + 1);
	size_t i, n = 0;

	assert_non_null(s);
	assert_true(f->file_len >= 2);
	assert_int_equal(f->file[0], 0xff);
	assert_int_equal(f->file[1], 0xfe);
	for (i = 2; i + 1 < f->file_len; i += 2) {
		assert_int_equal(f->file[i + 1], 0);
		s[n++] = (char)f->file[i];
	}
	s[n] = '\0';
	return s;
}

/* A copy of the default machine's registry: the seed's broken Windows
 * Server 2016 (practice/machines/broken.reg). */
static int setup_seeded(void **state)
{
	struct machine *m = machine_new();

	*state = registry_clone(machine_registry(m));
	machine_free(m);
	return *state ? 0 : -1;
}

static int setup_empty(void **state)
{
	*state = registry_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	registry_free(*state);
	return 0;
}

/* ---- the seeded machine ------------------------------------------------- */

static void seeded_security_packages_lack_tspkg(void **state)
{
	const struct registry_value *v = registry_get(*state, LSA, "Security Packages");
	static const char *const want[] = {"kerberos", "msv1_0", "schannel", "wdigest", "pku2u"};
	size_t i;

	assert_non_null(v);
	assert_int_equal(v->type, REGISTRY_MULTI_SZ);
	assert_int_equal(v->count, 5);
	for (i = 0; i < 5; i++)
		assert_string_equal(v->items[i], want[i]);
}

static void seeded_security_providers_is_empty(void **state)
{
	const struct registry_value *v = registry_get(*state, SECPROV, "SecurityProviders");

	assert_non_null(v);
	assert_int_equal(v->type, REGISTRY_SZ);
	assert_string_equal(v->text, "");
}

static void seeded_machine_is_not_nla_ready(void **state)
{
	assert_false(registry_nla_ready(*state));
}

static void seeded_machine_has_rdp_neighbours(void **state)
{
	const struct registry_value *v = registry_get(
		*state,
		"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp",
		"PortNumber");

	assert_non_null(v);
	assert_int_equal(v->type, REGISTRY_DWORD);
	assert_int_equal(v->dword, 3389);
	assert_non_null(registry_get(*state, LSA, "LimitBlankPasswordUse"));
	assert_true(registry_key_exists(*state, SECPROV "\\SCHANNEL\\Protocols"));
}

/* ---- the tree ------------------------------------------------------------ */

static void names_compare_without_case(void **state)
{
	assert_non_null(registry_get(*state, "hklm\\system\\currentcontrolset\\control\\LSA",
				     "SECURITY PACKAGES"));
	assert_true(registry_key_exists(*state, "HKEY_LOCAL_MACHINE\\System\\CurrentControlSet"));
	assert_true(registry_key_exists(*state, "hkey_local_machine"));
}

static void trailing_backslash_names_the_same_key(void **state)
{
	assert_non_null(registry_get(*state, LSA "\\", "LsaPid"));
}

static void unknown_root_is_refused(void **state)
{
	assert_int_equal(registry_set_dword(*state, "HKXX\\Software", "a", 1), -1);
	assert_int_equal(registry_create_key(*state, "'HKLM\\Software'"), -1);
	assert_false(registry_key_exists(*state, "HKLMX"));
}

static void setting_a_value_creates_its_key_and_parents(void **state)
{
	assert_int_equal(registry_set_string(*state, "HKCU\\A\\B\\C", "v", REGISTRY_SZ, "x"), 0);
	assert_true(registry_key_exists(*state, "HKCU\\A"));
	assert_true(registry_key_exists(*state, "HKEY_CURRENT_USER\\A\\B"));
	assert_string_equal(registry_get(*state, "HKCU\\A\\B\\C", "V")->text, "x");
}

static void replacing_a_value_keeps_its_name_and_changes_its_type(void **state)
{
	const struct registry_value *v;

	registry_set_string(*state, "HKCU\\T", "MixedCase", REGISTRY_SZ, "one");
	registry_set_dword(*state, "HKCU\\T", "mixedcase", 7);
	v = registry_get(*state, "HKCU\\T", "MIXEDCASE");
	assert_non_null(v);
	assert_string_equal(v->name, "MixedCase");
	assert_int_equal(v->type, REGISTRY_DWORD);
	assert_int_equal(v->dword, 7);
}

static void deleting_values_and_keys(void **state)
{
	registry_set_dword(*state, "HKCU\\T\\Sub", "a", 1);
	registry_set_dword(*state, "HKCU\\T", "b", 2);
	assert_int_equal(registry_delete_value(*state, "HKCU\\T", "B"), 0);
	assert_null(registry_get(*state, "HKCU\\T", "b"));
	assert_int_equal(registry_delete_value(*state, "HKCU\\T", "b"), -1);
	assert_int_equal(registry_delete_key(*state, "HKCU\\t\\"), 0);
	assert_false(registry_key_exists(*state, "HKCU\\T\\Sub"));
	assert_false(registry_key_exists(*state, "HKCU\\T"));
	assert_int_equal(registry_delete_key(*state, "HKCU\\T"), -1);
	assert_int_equal(registry_delete_key(*state, "HKCU"), -1); /* a root stays */
}

static void a_clone_is_independent_and_swap_exchanges(void **state)
{
	struct registry *copy = registry_clone(*state);

	registry_set_string(copy, SECPROV, "SecurityProviders", REGISTRY_SZ, "credssp.dll");
	assert_string_equal(registry_get(*state, SECPROV, "SecurityProviders")->text, "");
	registry_swap(*state, copy);
	assert_string_equal(registry_get(*state, SECPROV, "SecurityProviders")->text,
			    "credssp.dll");
	assert_string_equal(registry_get(copy, SECPROV, "SecurityProviders")->text, "");
	registry_free(copy);
}

static void nla_ready_needs_both_fixes(void **state)
{
	static const char *const fixed[] = {"kerberos", "msv1_0", "schannel",
					    "wdigest",	"pku2u",  "TSPKG"};

	registry_set_multi(*state, LSA, "Security Packages", fixed, 6);
	assert_false(registry_nla_ready(*state));
	registry_set_string(*state, SECPROV, "SecurityProviders", REGISTRY_SZ,
			    "foo.dll, CredSSP.dll");
	assert_true(registry_nla_ready(*state));
	registry_set_string(*state, SECPROV, "SecurityProviders", REGISTRY_SZ, "credssp.dllx");
	assert_false(registry_nla_ready(*state));
}

/* ---- export ---------------------------------------------------------------- */

static void export_writes_the_security_providers_key(void **state)
{
	static const char want[] =
		"Windows Registry Editor Version 5.00\r\n"
		"\r\n"
		"[HKEY_LOCAL_"
		"MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
		"\\Protocols]\r\n"
		"\r\n"
		"[HKEY_LOCAL_"
		"MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
		"\\Protocols\\SSL 2.0]\r\n"
		"\r\n"
		"[HKEY_LOCAL_"
		"MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL"
		"\\Protocols\\SSL 2.0\\Client]\r\n"
		"\"DisabledByDefault\"=dword:00000001\r\n"
		"\r\n";
	size_t len;
	char *text = registry_export(*state, SECPROV "\\SCHANNEL\\Protocols", &len);

	assert_non_null(text);
	assert_string_equal(text, want);
	assert_int_equal(len, strlen(want));
	free(text);
}

static void export_writes_multi_sz_as_hex7_utf16le_wrapped(void **state)
{
	/* "Security Packages"=hex(7): the five strings in UTF-16LE, each with
	 * its NUL, one more NUL, lines broken as regedit breaks them. */
	static const char want[] =
		"\"Security "
		"Packages\"=hex(7):6b,00,65,00,72,00,62,00,65,00,72,00,6f,00,73,00,00,\\\r\n"
		"  "
		"00,6d,00,73,00,76,00,31,00,5f,00,30,00,00,00,73,00,63,00,68,00,61,00,6e,00,\\\r\n"
		"  "
		"6e,00,65,00,6c,00,00,00,77,00,64,00,69,00,67,00,65,00,73,00,74,00,00,00,70,\\\r\n"
		"  00,6b,00,75,00,32,00,75,00,00,00,00,00\r\n";
	size_t len;
	char *text = registry_export(*state, LSA, &len);

	assert_non_null(text);
	if (!strstr(text, want))
		fail_msg("no wrapped hex(7) Security Packages in:\n%s", text);
	assert_null(strstr(text, "\"SecurityProviders\"")); /* another key's value */
	assert_non_null(strstr(text, "\"LsaPid\"=dword:0000026c\r\n"));
	assert_non_null(strstr(text, "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
				     "\\MSV1_0]\r\n\"NtlmMinClientSec\"=dword:20000000\r\n"));
	free(text);
}

static void export_escapes_strings_and_writes_default_as_at(void **state)
{
	static const char want[] = "Windows Registry Editor Version 5.00\r\n"
				   "\r\n"
				   "[HKEY_CURRENT_USER\\software\\t]\r\n"
				   "@=\"def\"\r\n"
				   "\"q\\\"n\"=\"C:\\\\Temp \\\"x\\\"\"\r\n"
				   "\"empty\"=\"\"\r\n"
				   "\"E\"=hex(2):25,00,54,00,25,00,00,00\r\n"
				   "\"none\"=hex(7):00,00\r\n"
				   "\r\n";
	size_t len;
	char *text;

	registry_set_string(*state, "HKCU\\Software\\T", "", REGISTRY_SZ, "def");
	registry_set_string(*state, "HKCU\\Software\\T", "q\"n", REGISTRY_SZ, "C:\\Temp \"x\"");
	registry_set_string(*state, "HKCU\\Software\\T", "empty", REGISTRY_SZ, "");
	registry_set_string(*state, "HKCU\\Software\\T", "E", REGISTRY_EXPAND_SZ, "%T%");
	registry_set_multi(*state, "HKCU\\Software\\T", "none", NULL, 0);
	text = registry_export(*state, "HKCU\\software\\t\\", &len);
	assert_non_null(text);
	assert_string_equal(text, want);
	free(text);
}

static void export_of_a_missing_key_is_null(void **state)
{
	size_t len = 99;

	assert_null(registry_export(*state, "HKLM\\NoSuchKey", &len));
	assert_null(registry_export(*state, "HKXX\\Software", &len));
}

/* ---- reg.exe ------------------------------------------------------------ */

static void reg_query_prints_the_broken_packages_exactly(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg query " LSA " /v Security|Packages"), 0);
	assert_string_equal(f.out, "\n"
				   "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa\n"
				   "    Security Packages    REG_MULTI_SZ    "
				   "kerberos\\0msv1_0\\0schannel\\0wdigest\\0pku2u\n"
				   "\n");
	assert_string_equal(f.err, "");
}

static void reg_query_names_the_key_as_typed_with_the_root_spelled_out(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f,
			     "reg query hklm\\system\\currentcontrolset\\control\\"
			     "securityproviders\\ /v securityproviders"),
			 0);
	assert_string_equal(f.out, "\n"
				   "HKEY_LOCAL_MACHINE\\system\\currentcontrolset\\control\\"
				   "securityproviders\n"
				   "    SecurityProviders    REG_SZ    \n"
				   "\n");
}

static void reg_query_lists_values_then_subkeys(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg query " SECPROV), 0);
	assert_string_equal(
		f.out, "\n"
		       "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\n"
		       "    SecurityProviders    REG_SZ    \n"
		       "\n"
		       "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
		       "\\SaslProfiles\n"
		       "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
		       "\\SCHANNEL\n"
		       "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
		       "\\WDigest\n");
}

static void reg_query_s_walks_every_key(void **state)
{
	struct fake f = {0};

	registry_set_dword(*state, "HKCU\\T", "a", 1);
	registry_create_key(*state, "HKCU\\T\\Empty");
	registry_set_string(*state, "HKCU\\T\\Full", "b", REGISTRY_SZ, "x y");
	assert_int_equal(reg(*state, &f, "reg query HKCU\\T /s"), 0);
	assert_string_equal(f.out, "\n"
				   "HKEY_CURRENT_USER\\T\n"
				   "    a    REG_DWORD    0x1\n"
				   "\n"
				   "HKEY_CURRENT_USER\\T\\Empty\n"
				   "\n"
				   "HKEY_CURRENT_USER\\T\\Full\n"
				   "    b    REG_SZ    x y\n"
				   "\n");
	assert_int_equal(reg(*state, &f, "reg query HKCU\\T /v b /s"), 0);
	assert_string_equal(f.out, "\n"
				   "HKEY_CURRENT_USER\\T\\Full\n"
				   "    b    REG_SZ    x y\n"
				   "\n"
				   "End of search: 1 match(es) found.\n");
}

static void reg_query_of_missing_things_fails(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg query " LSA " /v NoSuchValue"), 1);
	assert_string_equal(f.out, "");
	assert_string_equal(
		f.err,
		"ERROR: The system was unable to find the specified registry key or value.\n");
	assert_int_equal(reg(*state, &f, "reg query HKLM\\SOFTWARE\\NoSuchKey"), 1);
	assert_string_equal(
		f.err,
		"ERROR: The system was unable to find the specified registry key or value.\n");
}

static void reg_query_ve_without_a_default_says_not_set(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg query HKCU\\Environment /ve"), 0);
	assert_string_equal(f.out, "\nHKEY_CURRENT_USER\\Environment\n"
				   "    (Default)    REG_SZ    (value not set)\n\n");
}

static void reg_add_creates_key_and_value(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg add HKCU\\New\\Key /v Name /t REG_SZ /d hello /f"),
			 0);
	assert_string_equal(f.out, "The operation completed successfully.\n");
	assert_string_equal(registry_get(*state, "HKCU\\New\\Key", "Name")->text, "hello");
}

static void reg_add_without_v_sets_the_default_value(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg add HKCU\\Only\\A\\Key /f"), 0);
	assert_non_null(registry_get(*state, "HKCU\\Only\\A\\Key", ""));
	assert_string_equal(registry_get(*state, "HKCU\\Only\\A\\Key", "")->text, "");
	/* again without /f: the question names the default value by its empty name */
	assert_int_equal(reg(*state, &f, "reg add HKCU\\Only\\A\\Key /d x"), REGISTRY_EXE_WAITING);
	assert_string_equal(f.out, "Value  exists, overwrite(Yes/No)? ");
}

static void reg_add_over_a_value_without_f_asks_and_waits(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg add " SECPROV " /v SecurityProviders /d credssp.dll"),
			 REGISTRY_EXE_WAITING);
	assert_string_equal(f.out, "Value SecurityProviders exists, overwrite(Yes/No)? ");
	assert_string_equal(registry_get(*state, SECPROV, "SecurityProviders")->text, "");
}

static void reg_add_answered_yes_overwrites(void **state)
{
	struct fake f = {.answers = {"Yes"}, .nanswers = 1};

	assert_int_equal(reg(*state, &f, "reg add " SECPROV " /v SecurityProviders /d credssp.dll"),
			 0);
	assert_string_equal(f.out, "Value SecurityProviders exists, overwrite(Yes/No)? "
				   "The operation completed successfully.\n");
	assert_string_equal(registry_get(*state, SECPROV, "SecurityProviders")->text,
			    "credssp.dll");
}

static void reg_add_answered_no_cancels(void **state)
{
	struct fake f = {.answers = {"n"}, .nanswers = 1};

	assert_int_equal(reg(*state, &f, "reg add " SECPROV " /v SecurityProviders /d credssp.dll"),
			 0);
	assert_string_equal(f.out, "Value SecurityProviders exists, overwrite(Yes/No)? "
				   "The operation was canceled by the user.\n");
	assert_string_equal(registry_get(*state, SECPROV, "SecurityProviders")->text, "");
}

static void reg_add_asks_again_until_yes_or_no(void **state)
{
	struct fake f = {.answers = {"maybe", "", " y "}, .nanswers = 3};

	assert_int_equal(reg(*state, &f, "reg add " LSA " /v LsaPid /t REG_DWORD /d 1"), 0);
	assert_string_equal(f.out, "Value LsaPid exists, overwrite(Yes/No)? "
				   "Value LsaPid exists, overwrite(Yes/No)? "
				   "Value LsaPid exists, overwrite(Yes/No)? "
				   "The operation completed successfully.\n");
	assert_int_equal(registry_get(*state, LSA, "LsaPid")->dword, 1);
}

static void reg_add_at_end_of_input_cancels(void **state)
{
	struct fake f = {.eof_after = true};

	assert_int_equal(reg(*state, &f, "reg add " LSA " /v LsaPid /t REG_DWORD /d 1"), 0);
	assert_non_null(strstr(f.out, "The operation was canceled by the user.\n"));
	assert_int_equal(registry_get(*state, LSA, "LsaPid")->dword, 0x26c);
}

static void reg_add_multi_sz_splits_at_separators(void **state)
{
	struct fake f = {0};
	const struct registry_value *v;

	assert_int_equal(reg(*state, &f, "reg add HKCU\\M /v a /t REG_MULTI_SZ /d x\\0y\\0z\\0 /f"),
			 0);
	v = registry_get(*state, "HKCU\\M", "a");
	assert_int_equal(v->count, 3);
	assert_string_equal(v->items[2], "z");
	assert_int_equal(reg(*state, &f, "reg add HKCU\\M /v b /t REG_MULTI_SZ /s , /d p,q /f"), 0);
	v = registry_get(*state, "HKCU\\M", "b");
	assert_int_equal(v->count, 2);
	assert_string_equal(v->items[1], "q");
	/* an empty string inside a multi-string cannot be stored */
	assert_int_equal(reg(*state, &f, "reg add HKCU\\M /v c /t REG_MULTI_SZ /d x\\0\\0y /f"), 1);
	assert_string_equal(f.err, "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n");
	assert_null(registry_get(*state, "HKCU\\M", "c"));
}

static void reg_add_dword_takes_decimal_and_hex_within_32_bits(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg add HKCU\\D /v a /t REG_DWORD /d 3389 /f"), 0);
	assert_int_equal(registry_get(*state, "HKCU\\D", "a")->dword, 3389);
	assert_int_equal(reg(*state, &f, "reg add HKCU\\D /v b /t reg_dword /d 0xFFFFFFFF /f"), 0);
	assert_int_equal(registry_get(*state, "HKCU\\D", "b")->dword, 0xffffffffu);
	assert_int_equal(reg(*state, &f, "reg add HKCU\\D /v c /t REG_DWORD /d 4294967296 /f"), 1);
	assert_int_equal(reg(*state, &f, "reg add HKCU\\D /v c /t REG_DWORD /d ten /f"), 1);
	assert_null(registry_get(*state, "HKCU\\D", "c"));
}

static void reg_refuses_bad_command_lines(void **state)
{
	static const struct {
		const char *line, *err;
	} cases[] = {
		{"reg", "ERROR: Invalid syntax.\nType \"REG /?\" for usage.\n"},
		{"reg frobnicate HKCU", "ERROR: Invalid syntax.\nType \"REG /?\" for usage.\n"},
		{"reg add", "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n"},
		{"reg add HKCU\\X /v", "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n"},
		{"reg add HKCU\\X /v a /ve /f",
		 "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n"},
		{"reg add HKCU\\X /v a /t REG_FOO /f",
		 "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n"},
		{"reg add HKCU\\X /v a /f /f",
		 "ERROR: Invalid syntax.\nType \"REG ADD /?\" for usage.\n"},
		{"reg add 'HKCU\\X' /v a /f",
		 "ERROR: Invalid key name.\nType \"REG ADD /?\" for usage.\n"},
		{"reg query HKCU\\X extra",
		 "ERROR: Invalid syntax.\nType \"REG QUERY /?\" for usage.\n"},
		{"reg query Software\\X",
		 "ERROR: Invalid key name.\nType \"REG QUERY /?\" for usage.\n"},
		{"reg delete HKCU /v a /va",
		 "ERROR: Invalid syntax.\nType \"REG DELETE /?\" for usage.\n"},
		{"reg export HKCU", "ERROR: Invalid syntax.\nType \"REG EXPORT /?\" for usage.\n"},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct fake f = {0};

		if (reg(*state, &f, cases[i].line) != 1)
			fail_msg("'%s' should fail", cases[i].line);
		if (strcmp(f.err, cases[i].err))
			fail_msg("'%s' said \"%s\", want \"%s\"", cases[i].line, f.err,
				 cases[i].err);
	}
}

static void reg_help_is_printed_with_exit_0(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg /?"), 0);
	assert_non_null(strstr(f.out, "REG Operation [Parameter List]"));
	assert_int_equal(reg(*state, &f, "reg add /?"), 0);
	assert_non_null(strstr(f.out, "REG ADD KeyName [{/v ValueName | /ve}]"));
}

static void reg_delete_asks_unless_f(void **state)
{
	struct fake f = {0};

	assert_int_equal(reg(*state, &f, "reg delete " LSA " /v LsaPid"), REGISTRY_EXE_WAITING);
	assert_string_equal(f.out, "Delete the registry value LsaPid (Yes/No)? ");
	assert_non_null(registry_get(*state, LSA, "LsaPid"));
	assert_int_equal(reg(*state, &f, "reg delete HKLM\\SOFTWARE\\Policies"),
			 REGISTRY_EXE_WAITING);
	assert_string_equal(f.out, "Permanently delete the registry key "
				   "HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies (Yes/No)? ");
	assert_int_equal(reg(*state, &f, "reg delete HKLM\\SOFTWARE\\Policies /f"), 0);
	assert_string_equal(f.out, "The operation completed successfully.\n");
	assert_false(registry_key_exists(*state, "HKLM\\SOFTWARE\\Policies\\Microsoft"));
	assert_int_equal(reg(*state, &f, "reg delete HKLM\\SOFTWARE\\Policies /f"), 1);
}

static void reg_delete_va_empties_a_key(void **state)
{
	struct fake f = {.answers = {"yes"}, .nanswers = 1};

	assert_int_equal(reg(*state, &f, "reg delete HKCU\\Environment /va"), 0);
	assert_null(registry_get(*state, "HKCU\\Environment", "TEMP"));
	assert_true(registry_key_exists(*state, "HKCU\\Environment"));
}

static void reg_export_writes_utf16_with_bom(void **state)
{
	static const char head[] = "Windows Registry Editor Version 5.00\r\n\r\n"
				   "[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control"
				   "\\SecurityProviders]\r\n"
				   "\"SecurityProviders\"=\"\"\r\n"
				   "\r\n";
	struct fake f = {0};
	char *text;

	assert_int_equal(reg(*state, &f, "reg export " SECPROV " C:\\sp.reg"), 0);
	assert_string_equal(f.out, "The operation completed successfully.\n");
	assert_string_equal(f.file_name, "C:\\sp.reg");
	text = file_text(&f);
	if (strncmp(text, head, strlen(head)))
		fail_msg("export begins:\n%.200s", text);
	free(text);
}

static void reg_export_over_a_file_asks_unless_y(void **state)
{
	struct fake f = {.file_there = true, .file_name = "C:\\sp.reg"};

	assert_int_equal(reg(*state, &f, "reg export " SECPROV " C:\\sp.reg"),
			 REGISTRY_EXE_WAITING);
	assert_string_equal(f.out, "File C:\\sp.reg already exists. Overwrite (Yes/No)? ");
	assert_int_equal(f.file_len, 0);
	assert_int_equal(reg(*state, &f, "reg export " SECPROV " C:\\sp.reg /y"), 0);
	assert_true(f.file_len > 100);
}

static void reg_export_to_a_missing_folder_fails(void **state)
{
	struct fake f = {.no_folder = true};

	assert_int_equal(reg(*state, &f, "reg export " SECPROV " C:\\nowhere\\sp.reg"), 1);
	assert_string_equal(f.err, "ERROR: The system cannot find the path specified.\n");
	assert_int_equal(reg(*state, &f, "reg export HKLM\\NoSuchKey C:\\x.reg"), 1);
	assert_string_equal(
		f.err,
		"ERROR: The system was unable to find the specified registry key or value.\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup_seeded, teardown)
#define E(name) cmocka_unit_test_setup_teardown(name, setup_empty, teardown)
		T(seeded_security_packages_lack_tspkg),
		T(seeded_security_providers_is_empty),
		T(seeded_machine_is_not_nla_ready),
		T(seeded_machine_has_rdp_neighbours),
		T(names_compare_without_case),
		T(trailing_backslash_names_the_same_key),
		T(unknown_root_is_refused),
		E(setting_a_value_creates_its_key_and_parents),
		E(replacing_a_value_keeps_its_name_and_changes_its_type),
		E(deleting_values_and_keys),
		T(a_clone_is_independent_and_swap_exchanges),
		T(nla_ready_needs_both_fixes),
		T(export_writes_the_security_providers_key),
		T(export_writes_multi_sz_as_hex7_utf16le_wrapped),
		E(export_escapes_strings_and_writes_default_as_at),
		T(export_of_a_missing_key_is_null),
		T(reg_query_prints_the_broken_packages_exactly),
		T(reg_query_names_the_key_as_typed_with_the_root_spelled_out),
		T(reg_query_lists_values_then_subkeys),
		E(reg_query_s_walks_every_key),
		T(reg_query_of_missing_things_fails),
		T(reg_query_ve_without_a_default_says_not_set),
		E(reg_add_creates_key_and_value),
		E(reg_add_without_v_sets_the_default_value),
		T(reg_add_over_a_value_without_f_asks_and_waits),
		T(reg_add_answered_yes_overwrites),
		T(reg_add_answered_no_cancels),
		T(reg_add_asks_again_until_yes_or_no),
		T(reg_add_at_end_of_input_cancels),
		E(reg_add_multi_sz_splits_at_separators),
		E(reg_add_dword_takes_decimal_and_hex_within_32_bits),
		E(reg_refuses_bad_command_lines),
		E(reg_help_is_printed_with_exit_0),
		T(reg_delete_asks_unless_f),
		T(reg_delete_va_empties_a_key),
		T(reg_export_writes_utf16_with_bom),
		T(reg_export_over_a_file_asks_unless_y),
		T(reg_export_to_a_missing_folder_fails),
#undef T
#undef E
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
