/* test_packer.c: Packer boot_command strings -> actions: special keys in
 * any case, On/Off holds, the three wait forms, text between tags, and
 * errors that point at the bad tag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <rfb/keysym.h>

#include "script/packer.h"

/* Render actions as "tap:ff1b wait:1000 text:linux down:ffe3 ..." */
static void render(const char *s, char *out, size_t size)
{
	struct packer_action a[64];
	char msg[256];
	size_t bad = 0, used = 0;
	long n = packer_parse(s, strlen(s), a, 64, msg, sizeof(msg), &bad), i;

	out[0] = '\0';
	if (n < 0) {
		snprintf(out, size, "error@%zu: %s", bad, msg);
		return;
	}
	for (i = 0; i < n && used < size; i++) {
		static const char *kinds[] = { "tap", "down", "up", "text", "wait" };

		if (a[i].kind == PACKER_TEXT)
			used += (size_t)snprintf(out + used, size - used, "%stext:%.*s", i ? " " : "",
						 (int)a[i].len, a[i].text);
		else if (a[i].kind == PACKER_WAIT)
			used += (size_t)snprintf(out + used, size - used, "%swait:%ld", i ? " " : "",
						 a[i].ms);
		else
			used += (size_t)snprintf(out + used, size - used, "%s%s:%x", i ? " " : "",
						 kinds[a[i].kind], a[i].keysym);
	}
}

static void expect(const char *s, const char *want)
{
	char got[1024];

	render(s, got, sizeof(got));
	if (strcmp(got, want) != 0)
		fail_msg("boot \"%s\"\n  gave %s\n  want %s", s, got, want);
}

static void special_keys_are_tapped_whatever_their_case(void **state)
{
	(void)state;
	expect("<esc><ENTER><Return><bs><del><tab><spacebar>",
	       "tap:ff1b tap:ff0d tap:ff0d tap:ff08 tap:ffff tap:ff09 tap:20");
	expect("<up><down><left><right><home><end><pageUp><PAGEDOWN><insert><menu>",
	       "tap:ff52 tap:ff54 tap:ff51 tap:ff53 tap:ff50 tap:ff57 tap:ff55 tap:ff56 "
	       "tap:ff63 tap:ff67");
	expect("<f1><F12><f24>", "tap:ffbe tap:ffc9 tap:ffd5");
}

static void on_and_off_hold_and_release_a_key(void **state)
{
	(void)state;
	expect("<leftCtrlOn>c<leftCtrlOff>", "down:ffe3 text:c up:ffe3");
	expect("<leftAltOn><f2><leftAltOff>", "down:ffe9 tap:ffbf up:ffe9");
	expect("<rightShiftOn><rightSuperon><rightSuperOFF><rightShiftOff>",
	       "down:ffe2 down:ffec up:ffec up:ffe2");
}

static void waits_take_one_second_seconds_or_a_duration(void **state)
{
	(void)state;
	expect("<wait>", "wait:1000");
	expect("<wait5><wait10>", "wait:5000 wait:10000");
	expect("<wait1m30s><wait250ms><WAIT2s>", "wait:90000 wait:250 wait:2000");
}

static void text_between_tags_is_kept_whole(void **state)
{
	(void)state;
	expect("linux auto=true url=http://10.0.2.2/ks.cfg<enter>",
	       "text:linux auto=true url=http://10.0.2.2/ks.cfg tap:ff0d");
	expect("a > b", "text:a > b");
	expect("", "");
}

static void unknown_tags_and_bad_waits_are_errors_at_their_offset(void **state)
{
	(void)state;
	expect("ok<entr>", "error@2: unknown Packer key '<entr>' (did you mean '<enter>'?)");
	expect("<nonsense>", "error@0: unknown Packer key '<nonsense>' (to type a '<', use a type statement)");
	expect("x <wait5x>", "error@2: bad wait '<wait5x>': write <wait>, <wait5> or <wait1m30s>");
	expect("abc<enter", "error@3: '<' without a closing '>'");
	expect("<f25>", "error@0: unknown Packer key '<f25>': function keys go from <f1> to <f24>");
}

/* Found by fuzz_script: 17 digits overflowed a long (undefined behaviour,
 * caught by UBSan) before the length was checked. The longest wait in
 * seconds has 6 digits. */
static void a_wait_too_long_to_count_is_an_error_not_an_overflow(void **state)
{
	(void)state;
	expect("<wait999999>", "wait:999999000");
	expect("<wait77777777777777777>",
	       "error@0: bad wait '<wait77777777777777777>': write <wait>, <wait5> or <wait1m30s>");
	expect("<wait9999999999999999999999>", "error@0: bad wait '<wait9999999999999999999999>': "
					       "write <wait>, <wait5> or <wait1m30s>");
}

static void too_many_actions_is_an_error(void **state)
{
	struct packer_action a[4];
	char msg[128];
	size_t bad = 0;

	(void)state;
	assert_int_equal(packer_parse("<tab><tab><tab><tab>", 20, a, 4, msg, sizeof(msg), &bad), 4);
	assert_int_equal(packer_parse("<tab><tab><tab><tab><tab>", 25, a, 4, msg, sizeof(msg), &bad),
			 -1);
	assert_int_equal(bad, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(special_keys_are_tapped_whatever_their_case),
		cmocka_unit_test(on_and_off_hold_and_release_a_key),
		cmocka_unit_test(waits_take_one_second_seconds_or_a_duration),
		cmocka_unit_test(text_between_tags_is_kept_whole),
		cmocka_unit_test(unknown_tags_and_bad_waits_are_errors_at_their_offset),
		cmocka_unit_test(a_wait_too_long_to_count_is_an_error_not_an_overflow),
		cmocka_unit_test(too_many_actions_is_an_error),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
