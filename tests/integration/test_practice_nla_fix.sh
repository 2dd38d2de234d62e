# The NLA fix (scripts/windows/nla-fix.vnc) against the practice console's cmd
# window and its registry, seeded with the seed's broken state: the run ends with
# the machine's own verdict green (exit 0), a second run changes nothing and is
# still green, and the evidence shows every step with its picture.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
script=$PROJECT_DIR/scripts/windows/nla-fix.vnc
start_practice "$TEST_TMP/transcript" --start cmd

# Before the fix the machine's verdict is red: the same check line the runbook
# ends with turns the window red on the seeded registry.
check=$(grep -m1 "^  type 'reg query" "$script" | sed "s/^  type '//; s/'\$//")
printf "type '%s'\nkey enter\nexpect colour 0x800000 40%% in 0,100,1024,500 tolerance 72 timeout 10s\n" \
    "$check" > "$TEST_TMP/before.vnc"
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run "$TEST_TMP/before.vnc"

assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" --record "$TEST_TMP/ev" run "$script"
for step in "Back up both keys" "Let the machine say whether the fix is in place"; do
    grep -qF "\"name\":\"$step\"" "$TEST_TMP/ev/events.jsonl" || fail "no step '$step' in the evidence"
done
[[ $(ls "$TEST_TMP/ev"/step-*.png | wc -l) -ge 4 ]] || fail "fewer than 4 step pictures"

# Again: nothing left to add, still green.
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run "$script"
exit 0
