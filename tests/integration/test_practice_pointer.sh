# move and click reach the practice console as pointer events at the right
# place, with the right button, pressed then released; a point off the screen
# is an error (exit 1) and no button stays held.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
practice_fresh pointer
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'move 10,20; click; click 100,200 right; click 5,5 middle'
exp=$TEST_TMP/pointer.expected
cat > "$exp" << 'EOF'
# pointer 10,20 buttons 1
# pointer 10,20 buttons 0
# pointer 100,200 buttons 4
# pointer 100,200 buttons 0
# pointer 5,5 buttons 2
# pointer 5,5 buttons 0
EOF
wait_until 10 "grep -q '^# disconnect' '$TRANSCRIPT'" || fail "vncbot never disconnected"
grep '^# pointer' "$TRANSCRIPT" > "$TEST_TMP/pointer.got"
assert_file_equals "$exp" "$TEST_TMP/pointer.got"

practice_fresh pointer_off_screen
assert_exit 1 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'click 5000,5'
assert_contains "$LAST_ERR" "outside the 1024x768 screen"
grep -q '^# pointer' "$TRANSCRIPT" && fail "a pointer event was sent for a point off the screen"
exit 0
