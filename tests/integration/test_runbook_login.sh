# scripts/windows/login.vnc against the practice console's lock screen:
#
# - the right password signs in (exit 0), typed once;
# - a wrong one ends the run at once with exit 1 and "Windows refused the password",
#   after exactly one try (one Return in the transcript after Ctrl+Alt+Delete), never
#   shown;
# - a machine already signed in (no lock screen) goes straight on: exit 0, no key but the
#   Shift that wakes the screen.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1
. "$VB_LIB_DIR/runbook-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

printf 'Right-pw-1\n' > right
printf 'Wrong-pw-2\n' > wrong
chmod 600 right wrong
returns() { key_lines "$TRANSCRIPT" | grep -c '^down 0xff0d Return' || true; }

# 1. The right password.
practice_fresh right --start lock --windows-password-file right
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run "$RUNBOOK/login.vnc" --secret WINDOWS_PASSWORD=file:right
assert_eq 1 "$(returns)" "Returns sent by a sign-in"

# 2. A wrong password: one try, exit 1, the reason.
practice_fresh wrong --start lock --windows-password-file right
assert_exit 1 "$VNCBOT" -q -c "$PRACTICE_ADDR" run "$RUNBOOK/login.vnc" --secret WINDOWS_PASSWORD=file:wrong
assert_contains "$LAST_ERR" "Windows refused the password" "a refused password"
assert_one_reason "$LAST_ERR" "the error"
wait_transcript "$TRANSCRIPT" 1 1 || true
assert_eq 1 "$(returns)" "passwords submitted (Returns) when Windows refuses the first"
if grep -qF 'Wrong-pw-2' "$LAST_ERR" "$LAST_OUT"; then fail "the password was shown"; fi

# 3. Already signed in: nothing to do.
practice_fresh signed_in --start cmd
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run "$RUNBOOK/login.vnc" --secret WINDOWS_PASSWORD=file:right
wait_transcript "$TRANSCRIPT" 2 1 || true
key_lines "$TRANSCRIPT" > keys
printf 'down 0xffe1 Shift_L\nup 0xffe1 Shift_L\n' > expected
assert_file_equals expected keys "the keys sent to a machine already signed in"
note "ok: login.vnc signs in, stops at once on a refused password, and goes on when already signed in"
