/* test_cmdshell.c: unit tests of practice/cmdshell: the NLA fix typed as a
 * runbook types it, read back and run twice; the traps the notes warn about
 * (reg add's question without /f, single quotes, %%a at the prompt); the
 * command forms (&& || | find >nul for /f if set); and the state a screen
 * draws (colour, cls, shutdown, exit). Output is compared as cmd prints it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cmdshell.h"
#include "machine.h"
#include "nla_verdict.h"
#include "registry.h"

#define LSA "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
#define SECPROV "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"
#define QLSA "\"" LSA "\""
#define QSECPROV "\"" SECPROV "\""
#define NOT_RECOGNIZED(word)                                                                       \
	"'" word "' is not recognized as an internal or external command,\n"                       \
	"operable program or batch file.\n"

struct fixture {
	struct machine *m;
	struct registry *reg; /* the machine's */
	struct cmdshell *sh;
	char out[65536];
	size_t len;
};

static void collect(void *ctx, const char *text, size_t n)
{
	struct fixture *f = ctx;

	if (f->len + n >= sizeof(f->out))
		fail_msg("console output overflows the test buffer");
	memcpy(f->out + f->len, text, n);
	f->len += n;
	f->out[f->len] = '\0';
}

/* What one typed line prints (and leaves the state to check). */
static const char *run(struct fixture *f, const char *line)
{
	f->len = 0;
	f->out[0] = '\0';
	cmdshell_run(f->sh, line, collect, f);
	return f->out;
}

/* Run a line that must print nothing and leave the shell ready. */
static void quiet(struct fixture *f, const char *line)
{
	const char *out = run(f, line);

	if (*out)
		fail_msg("'%s' printed:\n%s", line, out);
	if (cmdshell_waiting(f->sh))
		fail_msg("'%s' left the shell waiting", line);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	f->m = machine_new();
	f->reg = machine_registry(f->m);
	f->sh = cmdshell_new(f->m, true);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	cmdshell_free(f->sh);
	machine_free(f->m);
	free(f);
	return 0;
}

/* The NLA fix in the steps of DESIGN.md section 7, typed at the prompt as a
 * runbook types it: back up, add what is missing, keep what is there. */
static const char *const nla_fix[] = {
	"reg export " QLSA " C:\\Windows\\Temp\\lsa-backup.reg /y",
	"reg export " QSECPROV " C:\\Windows\\Temp\\sp-backup.reg /y",
	"set PKGS=",
	"for /f \"tokens=3,*\" %a in ('reg query " QLSA
	" /v \"Security Packages\"') do set PKGS=%b",
	"echo %PKGS% | find /i \"tspkg\" >nul || reg add " QLSA
	" /v \"Security Packages\" /t REG_MULTI_SZ /d \"%PKGS%\\0tspkg\" /f",
	"set SSP=",
	"for /f \"tokens=2,*\" %a in ('reg query " QSECPROV
	" /v SecurityProviders 2^>nul') do set SSP=%b",
	"if not defined SSP reg add " QSECPROV " /v SecurityProviders /t REG_SZ /d credssp.dll /f",
	"if defined SSP echo %SSP% | find /i \"credssp.dll\" >nul || reg add " QSECPROV
	" /v SecurityProviders /t REG_SZ /d \"%SSP%,credssp.dll\" /f",
};

/* The verdict the bot reads off the screen: green when the machine says
 * both are there, red otherwise. */
static const char verify[] =
	"reg query " QLSA " /v \"Security Packages\" | find \"tspkg\" >nul && reg query " QSECPROV
	" /v SecurityProviders | find /i \"credssp.dll\" >nul && color 2F || color 4F";

static void run_nla_fix(struct fixture *f)
{
	size_t i;

	for (i = 0; i < sizeof(nla_fix) / sizeof(nla_fix[0]); i++) {
		run(f, nla_fix[i]);
		if (cmdshell_waiting(f->sh))
			fail_msg("'%s' waits for an answer", nla_fix[i]);
		if (strstr(f->out, "ERROR") || strstr(f->out, "not recognized") ||
		    strstr(f->out, "unexpected") || strstr(f->out, "incorrect"))
			fail_msg("'%s' printed:\n%s", nla_fix[i], f->out);
	}
}

/* Everything reg query /s says about both keys, for before/after checks. */
static char *both_keys(struct fixture *f)
{
	struct fixture scratch = {0};
	char *all;

	scratch.sh = f->sh;
	run(&scratch, "reg query " QLSA " /s & reg query " QSECPROV " /s");
	all = strdup(scratch.out);
	assert_non_null(all);
	return all;
}

/* ---- the seed's broken state and the fix --------------------------------- */

static void banner_and_prompt_are_an_admin_cmd(void **state)
{
	struct fixture *f = *state;

	cmdshell_banner(f->sh, collect, f);
	assert_string_equal(f->out, "Microsoft Windows [Version 10.0.14393]\n"
				    "(c) 2016 Microsoft Corporation. All rights reserved.\n"
				    "\n"
				    "C:\\Windows\\system32>");
	assert_string_equal(cmdshell_cwd(f->sh), "C:\\Windows\\system32");
	assert_int_equal(cmdshell_color(f->sh), 0x07);
}

static void broken_state_reads_back_in_reg_query_format(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg query " LSA " /v \"Security Packages\""),
			    "\n"
			    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa\n"
			    "    Security Packages    REG_MULTI_SZ    "
			    "kerberos\\0msv1_0\\0schannel\\0wdigest\\0pku2u\n"
			    "\n");
	assert_string_equal(
		run(f, "reg query " QSECPROV " /v SecurityProviders"),
		"\n"
		"HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\n"
		"    SecurityProviders    REG_SZ    \n"
		"\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 0);
}

static void nla_fix_gives_the_fixed_state(void **state)
{
	struct fixture *f = *state;
	const struct registry_value *pk, *sp;

	run_nla_fix(f);
	pk = registry_get(f->reg, LSA, "Security Packages");
	assert_int_equal(pk->count, 6);
	assert_string_equal(pk->items[0], "kerberos");
	assert_string_equal(pk->items[4], "pku2u");
	assert_string_equal(pk->items[5], "tspkg");
	sp = registry_get(f->reg, SECPROV, "SecurityProviders");
	assert_int_equal(sp->type, REGISTRY_SZ);
	assert_string_equal(sp->text, "credssp.dll");
	assert_true(registry_nla_ready(f->reg));
	assert_string_equal(run(f, verify), "");
	assert_int_equal(cmdshell_color(f->sh), 0x2f);
}

static void nla_fix_run_twice_changes_nothing(void **state)
{
	struct fixture *f = *state;
	char *after_first, *after_second;

	run_nla_fix(f);
	after_first = both_keys(f);
	run_nla_fix(f);
	after_second = both_keys(f);
	assert_string_equal(after_second, after_first);
	assert_int_equal(registry_get(f->reg, LSA, "Security Packages")->count, 6);
	free(after_first);
	free(after_second);
}

static void nla_fix_appends_to_existing_providers(void **state)
{
	struct fixture *f = *state;

	registry_set_string(f->reg, SECPROV, "SecurityProviders", REGISTRY_SZ, "msapsspc.dll");
	run_nla_fix(f);
	assert_string_equal(registry_get(f->reg, SECPROV, "SecurityProviders")->text,
			    "msapsspc.dll,credssp.dll");
	run_nla_fix(f);
	assert_string_equal(registry_get(f->reg, SECPROV, "SecurityProviders")->text,
			    "msapsspc.dll,credssp.dll");
}

static void verify_turns_the_console_red_on_the_broken_machine(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, verify), "");
	assert_int_equal(cmdshell_color(f->sh), 0x4f);
}

static void backup_export_writes_a_reg_file_with_hex7(void **state)
{
	struct fixture *f = *state;
	static const char head[] =
		"Windows Registry Editor Version 5.00\n\n"
		"[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa]\n";
	const unsigned char *bytes;
	size_t len;
	const char *text;

	assert_string_equal(run(f, nla_fix[0]), "The operation completed successfully.\n");
	bytes = cmdshell_file(f->sh, "C:\\Windows\\Temp\\lsa-backup.reg", &len);
	assert_non_null(bytes);
	assert_true(len > 2 && bytes[0] == 0xff && bytes[1] == 0xfe);
	text = run(f, "type C:\\Windows\\Temp\\LSA-BACKUP.reg");
	if (strncmp(text, head, strlen(head)))
		fail_msg("type shows:\n%.300s", text);
	assert_non_null(strstr(text, "\"Security Packages\"=hex(7):6b,00,65,00,72,00,62,00,65,00,"
				     "72,00,6f,00,73,00,00,\\\n"));
	assert_non_null(strstr(text,
			       "\n[HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
			       "\\MSV1_0]\n"));
	/* the backup keeps the state from before the fix */
	run_nla_fix(f);
	assert_non_null(strstr(run(f, "type C:\\Windows\\Temp\\sp-backup.reg"),
			       "]\n\"SecurityProviders\"=\"\"\n"));
	assert_string_equal(run(f, "find /i \"credssp\" C:\\Windows\\Temp\\sp-backup.reg"),
			    "\n---------- C:\\WINDOWS\\TEMP\\SP-BACKUP.REG\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1);
}

static void export_over_an_existing_file_asks_unless_y(void **state)
{
	struct fixture *f = *state;

	run(f, "reg export " QSECPROV " sp.reg");
	assert_string_equal(run(f, "reg export " QSECPROV " sp.reg"),
			    "File sp.reg already exists. Overwrite (Yes/No)? ");
	assert_true(cmdshell_waiting(f->sh));
	assert_string_equal(run(f, "no"), "The operation was canceled by the user.\n");
	assert_string_equal(run(f, "reg export " QSECPROV " sp.reg /y"),
			    "The operation completed successfully.\n");
	assert_non_null(cmdshell_file(f->sh, "C:\\Windows\\system32\\sp.reg", NULL));
	assert_non_null(strstr(run(f, "dir sp.reg"), " sp.reg\n               1 File(s) "));
}

/* ---- the traps ------------------------------------------------------------ */

static void reg_add_over_a_value_without_f_waits_for_an_answer(void **state)
{
	struct fixture *f = *state;
	const char *line = "reg add " QSECPROV " /v SecurityProviders /d credssp.dll && color 2F";

	assert_string_equal(run(f, line), "Value SecurityProviders exists, overwrite(Yes/No)? ");
	assert_true(cmdshell_waiting(f->sh));
	assert_string_equal(registry_get(f->reg, SECPROV, "SecurityProviders")->text, "");
	assert_int_equal(cmdshell_color(f->sh), 0x07);
	/* no prompt while the question is open */
	f->len = 0;
	cmdshell_prompt(f->sh, collect, f);
	assert_int_equal(f->len, 0);
	/* the next line is the answer, and the rest of the line goes on */
	assert_string_equal(run(f, "Yes"), "The operation completed successfully.\n");
	assert_false(cmdshell_waiting(f->sh));
	assert_string_equal(registry_get(f->reg, SECPROV, "SecurityProviders")->text,
			    "credssp.dll");
	assert_int_equal(cmdshell_color(f->sh), 0x2f);
}

static void answering_no_keeps_the_value_and_other_answers_ask_again(void **state)
{
	struct fixture *f = *state;

	run(f, "reg add " LSA " /v LsaPid /t REG_DWORD /d 5");
	assert_string_equal(run(f, "reg query " LSA " /v LsaPid"),
			    "Value LsaPid exists, overwrite(Yes/No)? ");
	assert_true(cmdshell_waiting(f->sh));
	assert_string_equal(run(f, "No"), "The operation was canceled by the user.\n");
	assert_int_equal(registry_get(f->reg, LSA, "LsaPid")->dword, 0x26c);
	/* the typed line was the answer, not a command */
	assert_false(cmdshell_waiting(f->sh));
}

static void a_question_behind_nul_is_invisible_but_still_waits(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg add " LSA " /v LsaPid /t REG_DWORD /d 5 >nul"), "");
	assert_true(cmdshell_waiting(f->sh));
	assert_string_equal(run(f, "y"), "");
	assert_int_equal(registry_get(f->reg, LSA, "LsaPid")->dword, 5);
}

static void a_question_inside_for_f_is_captured_and_waits(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(
		run(f, "for /f \"delims=\" %a in ('reg add " LSA " /v LsaPid /d 1') do echo [%a]"),
		"");
	assert_true(cmdshell_waiting(f->sh));
	assert_string_equal(run(f, "n"), "[Value LsaPid exists, overwrite(Yes/No)? "
					 "The operation was canceled by the user.]\n");
}

static void echo_y_piped_into_reg_answers_the_question(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "echo y| reg add " LSA " /v LsaPid /t REG_DWORD /d 7"),
			    "Value LsaPid exists, overwrite(Yes/No)? "
			    "The operation completed successfully.\n");
	assert_false(cmdshell_waiting(f->sh));
	assert_int_equal(registry_get(f->reg, LSA, "LsaPid")->dword, 7);
}

static void input_from_nul_cancels_the_question(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg add " LSA " /v LsaPid /d 1 <nul"),
			    "Value LsaPid exists, overwrite(Yes/No)? "
			    "The operation was canceled by the user.\n");
	assert_false(cmdshell_waiting(f->sh));
}

static void two_questions_in_one_line_are_answered_in_turn(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "echo start & reg add " LSA " /v LsaPid /t REG_DWORD /d 1 & "
				   "reg add " LSA " /v NoLmHash /t REG_DWORD /d 0 & echo end"),
			    "start \nValue LsaPid exists, overwrite(Yes/No)? ");
	assert_string_equal(run(f, "yes"), "The operation completed successfully.\n"
					   "Value NoLmHash exists, overwrite(Yes/No)? ");
	assert_string_equal(run(f, "yes"), "The operation completed successfully.\nend\n");
	assert_int_equal(registry_get(f->reg, LSA, "LsaPid")->dword, 1);
	assert_int_equal(registry_get(f->reg, LSA, "NoLmHash")->dword, 0);
}

static void single_quotes_become_part_of_the_value_name(void **state)
{
	struct fixture *f = *state;
	const char *rdp =
		"HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp";
	char line[512];

	snprintf(line, sizeof(line), "reg add \"%s\" /v 'SecurityLayer' /t REG_DWORD /d 0 /f", rdp);
	assert_string_equal(run(f, line), "The operation completed successfully.\n");
	assert_non_null(registry_get(f->reg, rdp, "'SecurityLayer'"));
	assert_int_equal(registry_get(f->reg, rdp, "SecurityLayer")->dword, 2); /* untouched */
	snprintf(line, sizeof(line), "reg query \"%s\"", rdp);
	assert_non_null(strstr(run(f, line), "    'SecurityLayer'    REG_DWORD    0x0\n"));
}

static void single_quoted_key_is_an_invalid_key_name(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg query '" LSA "'"),
			    "ERROR: Invalid key name.\nType \"REG QUERY /?\" for usage.\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1);
}

static void backslash_before_a_closing_quote_runs_on(void **state)
{
	struct fixture *f = *state;

	/* "...\Lsa\" makes \" a literal quote: reg sees a different line */
	assert_string_equal(run(f, "reg query \"" LSA "\\\" /v \"Security Packages\""),
			    "ERROR: Invalid syntax.\nType \"REG QUERY /?\" for usage.\n");
	/* and \" is how a quote gets into data */
	run(f, "reg add HKCU\\Q /v cmd /d \"\\\"C:\\Program Files\\x.exe\\\" -a\" /f");
	assert_string_equal(registry_get(f->reg, "HKCU\\Q", "cmd")->text,
			    "\"C:\\Program Files\\x.exe\" -a");
}

static void batch_file_percent_percent_is_unexpected_at_the_prompt(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(
		run(f, "for /f \"tokens=2,*\" %%a in ('reg query " QLSA " /v LsaPid') do echo %%b"),
		"%%a was unexpected at this time.\n");
}

static void percent_variables_expand_when_the_line_is_read(void **state)
{
	struct fixture *f = *state;

	/* set inside the loop, but %X% was expanded before the loop ran */
	assert_string_equal(run(f, "for %a in (1 2) do set X=%a& echo [%X%]"), "[%X%]\n[%X%]\n");
	assert_string_equal(run(f, "echo %X%"), "2\n");
	assert_string_equal(run(f, "reg query HKLM\\Nope 2>nul & echo %errorlevel%"), "0\n");
	assert_string_equal(run(f, "echo %errorlevel%"), "1\n");
}

static void an_empty_value_leaves_the_variable_undefined(void **state)
{
	struct fixture *f = *state;

	quiet(f, "set SSP=old");
	quiet(f, "for /f \"tokens=2,*\" %a in ('reg query " QSECPROV
		 " /v SecurityProviders') do set SSP=%b");
	/* "set SSP=" removed it; at the prompt %SSP% then stays as typed */
	assert_string_equal(run(f, "echo [%SSP%]"), "[%SSP%]\n");
}

/* ---- command forms ----------------------------------------------------------- */

static void and_and_or_follow_the_exit_codes(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg query " QLSA " >nul && echo found || echo missing"),
			    "found \n");
	assert_string_equal(run(f, "reg query HKLM\\Nope 2>nul && echo found || echo missing"),
			    "missing\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1); /* echo keeps reg's */
	assert_string_equal(run(f, "nosuch 2>nul || echo %errorlevel% & echo next"), "1 \nnext\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 9009);
	assert_string_equal(run(f, "(echo a & echo b) | find \"b\" && echo yes"), "b\nyes\n");
}

static void find_filters_piped_lines_and_sets_the_exit_code(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg query " QLSA " | find \"Packages\""),
			    "    Authentication Packages    REG_MULTI_SZ    msv1_0\n"
			    "    Notification Packages    REG_MULTI_SZ    scecli\n"
			    "    Security Packages    REG_MULTI_SZ    "
			    "kerberos\\0msv1_0\\0schannel\\0wdigest\\0pku2u\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 0);
	assert_string_equal(run(f, "reg query " QLSA " /v \"Security Packages\" | find \"tspkg\""),
			    "");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1);
	assert_string_equal(run(f, "echo TSPKG | find /i \"tspkg\" >nul && echo ok"), "ok\n");
	assert_string_equal(run(f, "reg query " QLSA " | find /c \"Packages\""), "3\n");
	assert_string_equal(run(f, "echo a | find tspkg"), "FIND: Parameter format not correct\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 2);
}

static void findstr_i_c_matches_a_literal_string(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg query " QLSA " /v \"Security Packages\" | findstr /i "
				   "/c:\"PKU2U\""),
			    "    Security Packages    REG_MULTI_SZ    "
			    "kerberos\\0msv1_0\\0schannel\\0wdigest\\0pku2u\n");
	assert_string_equal(run(f, "reg query " QLSA " | findstr /c:\"security packages\""), "");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1);
	assert_string_equal(run(f, "reg query " QLSA " | findstr /r \"^.*Lsa$\""),
			    "HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Control\\Lsa\n");
}

static void unknown_commands_are_not_recognized(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "regedt32 /s"), NOT_RECOGNIZED("regedt32"));
	assert_int_equal(cmdshell_errorlevel(f->sh), 9009);
	assert_string_equal(run(f, "\"C:\\No Such\\tool.exe\" -x"),
			    NOT_RECOGNIZED("\"C:\\No Such\\tool.exe\""));
	assert_string_equal(run(f, "C:\\No Such\\tool.exe"), NOT_RECOGNIZED("C:\\No"));
	assert_string_equal(run(f, "echohello"), NOT_RECOGNIZED("echohello"));
	assert_string_equal(run(f, "C:\\Windows\\System32\\reg.exe query HKLM\\Nope"),
			    "ERROR: The system was unable to find the specified registry key or "
			    "value.\n");
}

static void redirections_send_streams_apart(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "reg query HKLM\\Nope >nul"),
			    "ERROR: The system was unable to find the specified registry key or "
			    "value.\n");
	assert_string_equal(run(f, "reg query HKLM\\Nope 2>nul"), "");
	assert_string_equal(run(f, "reg query HKLM\\Nope >nul 2>&1"), "");
	assert_string_equal(run(f, "reg query HKLM\\Nope 2>&1 >nul"),
			    "ERROR: The system was unable to find the specified registry key or "
			    "value.\n");
	quiet(f, "echo one> C:\\out.txt");
	quiet(f, "reg query HKLM\\Nope 2>>C:\\out.txt");
	assert_string_equal(run(f, "type C:\\out.txt"),
			    "one\nERROR: The system was unable to find the specified registry key "
			    "or value.\n");
	assert_string_equal(run(f, "(reg query HKLM\\Nope & echo out) 2>nul"), "out\n");
	assert_string_equal(run(f, "(reg query HKLM\\Nope & echo out) >nul 2>&1"), "");
	assert_string_equal(run(f, "echo x > C:\\nowhere\\out.txt"),
			    "The system cannot find the path specified.\n");
}

static void for_f_tokens_skip_and_delims(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "for /f \"tokens=2,*\" %a in ('reg query " QLSA
				   " /v LsaPid') do echo [%a] [%b]"),
			    "[REG_DWORD] [0x26c]\n");
	assert_string_equal(run(f, "for /f \"skip=1 tokens=1 delims=\\\" %k in ('reg query " QLSA
				   " /v LsaPid') do echo %k"),
			    "    LsaPid    REG_DWORD    0x26c\n");
	assert_string_equal(run(f, "for /f \"tokens=1-3 delims=,\" %x in (\"a,b,,c\") do echo "
				   "%x-%y-%z"),
			    "a-b-c\n");
	assert_string_equal(run(f, "for /f \"usebackq tokens=*\" %l in (`echo   lead`) do echo "
				   "[%l]"),
			    "[lead]\n");
	assert_string_equal(run(f, "for /f \"tokens=2\" %a in (\"one\") do echo never"), "");
	assert_string_equal(run(f, "for /f \"tokens=x\" %a in (\"one\") do echo never"),
			    "\"tokens=x\" was unexpected at this time.\n");
	assert_string_equal(run(f, "for /f %a in ('reg query " QLSA " /v \"Security Packages\" ^| "
				   "find \"REG_\"') do echo %~a"),
			    "Security\n");
}

static void plain_for_and_for_l_iterate(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "for %x in (a \"b c\" d) do echo %x & echo %~x"),
			    "a \na\n\"b c\" \nb c\nd \nd\n");
	assert_string_equal(run(f, "for /l %i in (1,2,5) do echo %i"), "1\n3\n5\n");
}

static void set_expands_and_substitutes(void **state)
{
	struct fixture *f = *state;

	quiet(f, "set V=kerberos,msv1_0");
	assert_string_equal(run(f, "echo %V:,=\\0% %v:~0,8% %V:~-6% %V:*,=%"),
			    "kerberos\\0msv1_0 kerberos msv1_0 msv1_0\n");
	assert_string_equal(run(f, "echo %UNDEFINED% %V:x"), "%UNDEFINED% %V:x\n");
	quiet(f, "set \"Q=with spaces\" ignored");
	assert_string_equal(run(f, "echo [%Q%]"), "[with spaces]\n");
	assert_string_equal(run(f, "set Q"), "Q=with spaces\n");
	assert_string_equal(run(f, "set NOPE_"), "Environment variable NOPE_ not defined\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1);
	assert_string_equal(cmdshell_getenv(f->sh, "computername"), "WIN-PRACTICE");
	assert_string_equal(run(f, "set /a N=6*7"), "42");
	assert_string_equal(run(f, "set /a N+=1, N*2"), "86");
	assert_string_equal(run(f, "echo %N%"), "43\n");
}

static void if_tests_errorlevel_strings_and_definitions(void **state)
{
	struct fixture *f = *state;

	run(f, "reg query HKLM\\Nope 2>nul");
	assert_string_equal(run(f, "if errorlevel 1 echo failed & color 4F"), "failed \n");
	assert_int_equal(cmdshell_color(f->sh), 0x4f);
	assert_string_equal(run(f, "if not errorlevel 1 echo ok & color 2F"), "");
	assert_int_equal(cmdshell_color(f->sh), 0x4f);
	assert_string_equal(run(f, "if \"%USERNAME%\"==\"Administrator\" (echo admin) else (echo "
				   "other)"),
			    "admin\n");
	assert_string_equal(run(f, "if /i %USERNAME%==ADMINISTRATOR echo same"), "same\n");
	assert_string_equal(run(f, "if %USERNAME%==ADMINISTRATOR echo same"), "");
	assert_string_equal(run(f, "if defined USERPROFILE echo yes"), "yes\n");
	assert_string_equal(run(f, "if 10 GTR 9 echo numeric"), "numeric\n");
	assert_string_equal(run(f, "if exist C:\\Windows\\Temp echo there"), "there\n");
	assert_string_equal(run(f, "if a b echo x"), "b was unexpected at this time.\n");
}

/* if errorlevel N is true when the errorlevel is N or more, as the runbooks
 * rely on: one decision per line (DESIGN.md section 7). */
static void if_errorlevel_means_at_least_n(void **state)
{
	struct fixture *f = *state;

	run(f, "cmd /c exit 5");
	assert_int_equal(cmdshell_errorlevel(f->sh), 5);
	assert_string_equal(run(f, "if errorlevel 5 echo five"), "five\n");
	assert_string_equal(run(f, "if errorlevel 1 echo one"), "one\n");
	assert_string_equal(run(f, "if errorlevel 0 echo zero"), "zero\n");
	assert_string_equal(run(f, "if errorlevel 6 echo six"), "");
	assert_string_equal(run(f, "if not errorlevel 6 echo below-six"), "below-six\n");
	assert_string_equal(run(f, "if not errorlevel 5 echo below-five"), "");
	assert_string_equal(run(f, "if errorlevel 6 (echo yes) else echo no"), "no\n");
	/* The runbook's check, a line at a time. */
	run(f, "reg query " QLSA " /v \"Security Packages\" | find /i \"tspkg\" >nul");
	assert_string_equal(run(f, "if errorlevel 1 echo tspkg missing"), "tspkg missing\n");
	quiet(f, "reg add " QLSA
		 " /v \"Security Packages\" /t REG_MULTI_SZ /d kerberos\\0tspkg /f >nul");
	run(f, "reg query " QLSA " /v \"Security Packages\" | find /i \"tspkg\" >nul");
	assert_string_equal(run(f, "if errorlevel 1 echo tspkg missing"), "");
	assert_string_equal(run(f, "if not errorlevel 1 echo tspkg there"), "tspkg there\n");
}

static void echo_forms(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "echo"), "ECHO is on.\n");
	assert_string_equal(run(f, "echo."), "\n");
	assert_string_equal(run(f, "echo.hi"), "hi\n");
	assert_string_equal(run(f, "echo  two  spaces "), " two  spaces \n");
	assert_string_equal(run(f, "echo a ^& b ^| c"), "a & b | c\n");
	assert_string_equal(run(f, "echo \"a & b\""), "\"a & b\"\n");
	assert_string_equal(run(f, "@echo quiet"), "quiet\n");
}

static void syntax_errors_run_nothing(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "&& echo x"), "&& was unexpected at this time.\n");
	assert_string_equal(run(f, "echo a &&"), "The syntax of the command is incorrect.\n");
	assert_string_equal(run(f, "(echo a"), "The syntax of the command is incorrect.\n");
	assert_string_equal(run(f, "echo a & color 2F & |"), "| was unexpected at this time.\n");
	assert_int_equal(cmdshell_color(f->sh), 0x07);
}

static void pipes_and_cmd_c_run_in_children(void **state)
{
	struct fixture *f = *state;

	quiet(f, "set LEAK=no");
	run(f, "set LEAK=pipe| find \"x\"");
	assert_string_equal(cmdshell_getenv(f->sh, "LEAK"), "no");
	assert_string_equal(run(f, "cmd /c \"set LEAK=child& echo %LEAK%\""), "no\n");
	assert_string_equal(cmdshell_getenv(f->sh, "LEAK"), "no");
	assert_string_equal(run(f, "cmd /c exit 5 & echo %errorlevel%"), "0\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 5);
	assert_string_equal(run(f, "cmd /c exit 5 || echo failed"), "failed\n");
}

/* ---- what the screen draws ------------------------------------------------- */

static void color_sets_refuses_and_resets(void **state)
{
	struct fixture *f = *state;

	quiet(f, "color 2F");
	assert_int_equal(cmdshell_color(f->sh), 0x2f);
	assert_int_equal(cmdshell_palette(0x2f >> 4), 0x008000);
	assert_int_equal(cmdshell_palette(0x2f & 15), 0xffffff);
	quiet(f, "color 44");
	assert_int_equal(cmdshell_color(f->sh), 0x2f);
	assert_int_equal(cmdshell_errorlevel(f->sh), 1);
	quiet(f, "color zz");
	assert_int_equal(cmdshell_color(f->sh), 0x2f);
	quiet(f, "color a");
	assert_int_equal(cmdshell_color(f->sh), 0x0a);
	quiet(f, "color");
	assert_int_equal(cmdshell_color(f->sh), 0x07);
}

static void cls_clears_and_the_prompt_follows_cmds_rules(void **state)
{
	struct fixture *f = *state;

	assert_string_equal(run(f, "echo x & cls"), "x \n\f");
	f->len = 0;
	cmdshell_prompt(f->sh, collect, f);
	assert_string_equal(f->out, "C:\\Windows\\system32>");
	run(f, "echo x");
	f->len = 0;
	cmdshell_prompt(f->sh, collect, f);
	assert_string_equal(f->out, "\nC:\\Windows\\system32>");
	run(f, "   ");
	f->len = 0;
	cmdshell_prompt(f->sh, collect, f);
	assert_string_equal(f->out, "C:\\Windows\\system32>");
	run(f, "cd \\");
	f->len = 0;
	cmdshell_prompt(f->sh, collect, f);
	assert_string_equal(f->out, "\nC:\\>");
}

static void shutdown_schedules_and_aborts(void **state)
{
	struct fixture *f = *state;
	int seconds = -1;
	unsigned serial = 0, before;

	assert_int_equal(machine_power(f->m, NULL, &before), MACHINE_ON);
	quiet(f, "shutdown /r /t 0");
	assert_int_equal(machine_power(f->m, &seconds, &serial), MACHINE_RESTART_PENDING);
	assert_int_equal(seconds, 0);
	assert_int_equal(serial, before + 1);
	assert_string_equal(run(f, "shutdown /r /t 5"),
			    "A system shutdown has already been scheduled.(1190)\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1190);
	assert_int_equal(machine_power(f->m, &seconds, &serial), MACHINE_RESTART_PENDING);
	assert_int_equal(seconds, 0); /* the refused one changed nothing */
	assert_int_equal(serial, before + 1);
	quiet(f, "shutdown /a");
	assert_int_equal(machine_power(f->m, NULL, &serial), MACHINE_ON);
	assert_int_equal(serial, before + 2);
	assert_string_equal(run(f, "shutdown /a"), "Unable to abort the system shutdown because "
						   "no shutdown was in progress.(1116)\n");
	assert_int_equal(cmdshell_errorlevel(f->sh), 1116);
	assert_int_equal(serial, before + 2);
	quiet(f, "shutdown -s -f");
	assert_int_equal(machine_power(f->m, &seconds, NULL), MACHINE_SHUTDOWN_PENDING);
	assert_int_equal(seconds, 30);
	assert_non_null(strstr(run(f, "shutdown /x"), "Usage: shutdown"));
}

static void exit_closes_the_window_and_stops_the_line(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(cmdshell_run(f->sh, "cmd", NULL, NULL), CMDSHELL_READY);
	assert_int_equal(cmdshell_run(f->sh, "exit", NULL, NULL), CMDSHELL_READY); /* nested */
	assert_string_equal(run(f, "exit 3 & echo never"), "");
	assert_true(cmdshell_exited(f->sh));
	assert_int_equal(cmdshell_errorlevel(f->sh), 3);
	assert_int_equal(cmdshell_run(f->sh, "echo gone", collect, f), CMDSHELL_EXITED);
	f->len = 0;
	cmdshell_prompt(f->sh, collect, f);
	assert_int_equal(f->len, 0);
}

static void reset_keeps_disk_and_registry_but_not_the_session(void **state)
{
	struct fixture *f = *state;

	run_nla_fix(f);
	quiet(f, "color 2F & set MINE=1 & cd C:\\Windows & title NLA repair & shutdown /r /t 0");
	assert_string_equal(cmdshell_title(f->sh), "Administrator: NLA repair");
	cmdshell_reset(f->sh);
	machine_restarted(f->m);
	assert_int_equal(cmdshell_color(f->sh), 0x07);
	assert_null(cmdshell_getenv(f->sh, "MINE"));
	assert_string_equal(cmdshell_cwd(f->sh), "C:\\Windows\\system32");
	assert_string_equal(cmdshell_title(f->sh), "Administrator: C:\\Windows\\system32\\cmd.exe");
	assert_int_equal(machine_power(f->m, NULL, NULL), MACHINE_ON);
	assert_true(registry_nla_ready(f->reg));
	assert_non_null(cmdshell_file(f->sh, "C:\\Windows\\Temp\\lsa-backup.reg", NULL));
}

static void dir_cd_and_type_use_the_disk(void **state)
{
	struct fixture *f = *state;
	const char *out;

	run(f, nla_fix[1]);
	quiet(f, "cd /d %TEMP%\\..\\..\\..");
	assert_string_equal(cmdshell_cwd(f->sh), "C:\\Users\\Administrator");
	assert_string_equal(run(f, "cd Nowhere"), "The system cannot find the path specified.\n");
	out = run(f, "dir C:\\Windows\\Temp");
	assert_non_null(strstr(out, " Directory of C:\\Windows\\Temp\n\n"));
	assert_non_null(strstr(out, "<DIR>          ..\n"));
	assert_non_null(strstr(out, " sp-backup.reg\n               1 File(s) "));
	assert_string_equal(run(f, "dir /b C:\\Windows\\Temp\\*.reg"), "sp-backup.reg\n");
	assert_string_equal(run(f, "dir C:\\Windows\\Temp\\*.txt"),
			    " Volume in drive C has no label.\n"
			    " Volume Serial Number is 9A3C-51E2\n\n"
			    " Directory of C:\\Windows\\Temp\n\nFile Not Found\n");
	assert_string_equal(run(f, "type nothing.reg"),
			    "The system cannot find the file specified.\n");
	quiet(f, "mkdir C:\\Backup\\NLA");
	quiet(f, "reg export " QLSA " C:\\Backup\\NLA\\lsa.reg >nul");
	assert_string_equal(run(f, "if exist C:\\Backup\\NLA\\*.reg echo saved"), "saved\n");
	quiet(f, "del C:\\Backup\\NLA\\lsa.reg");
	assert_string_equal(run(f, "if exist C:\\Backup\\NLA\\lsa.reg echo still"), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(banner_and_prompt_are_an_admin_cmd),
		T(broken_state_reads_back_in_reg_query_format),
		T(nla_fix_gives_the_fixed_state),
		T(nla_fix_run_twice_changes_nothing),
		T(nla_fix_appends_to_existing_providers),
		T(verify_turns_the_console_red_on_the_broken_machine),
		T(backup_export_writes_a_reg_file_with_hex7),
		T(export_over_an_existing_file_asks_unless_y),
		T(reg_add_over_a_value_without_f_waits_for_an_answer),
		T(answering_no_keeps_the_value_and_other_answers_ask_again),
		T(a_question_behind_nul_is_invisible_but_still_waits),
		T(a_question_inside_for_f_is_captured_and_waits),
		T(echo_y_piped_into_reg_answers_the_question),
		T(input_from_nul_cancels_the_question),
		T(two_questions_in_one_line_are_answered_in_turn),
		T(single_quotes_become_part_of_the_value_name),
		T(single_quoted_key_is_an_invalid_key_name),
		T(backslash_before_a_closing_quote_runs_on),
		T(batch_file_percent_percent_is_unexpected_at_the_prompt),
		T(percent_variables_expand_when_the_line_is_read),
		T(an_empty_value_leaves_the_variable_undefined),
		T(and_and_or_follow_the_exit_codes),
		T(find_filters_piped_lines_and_sets_the_exit_code),
		T(findstr_i_c_matches_a_literal_string),
		T(unknown_commands_are_not_recognized),
		T(redirections_send_streams_apart),
		T(for_f_tokens_skip_and_delims),
		T(plain_for_and_for_l_iterate),
		T(set_expands_and_substitutes),
		T(if_tests_errorlevel_strings_and_definitions),
		T(if_errorlevel_means_at_least_n),
		T(echo_forms),
		T(syntax_errors_run_nothing),
		T(pipes_and_cmd_c_run_in_children),
		T(color_sets_refuses_and_resets),
		T(cls_clears_and_the_prompt_follows_cmds_rules),
		T(shutdown_schedules_and_aborts),
		T(exit_closes_the_window_and_stops_the_line),
		T(reset_keeps_disk_and_registry_but_not_the_session),
		T(dir_cd_and_type_use_the_disk),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
