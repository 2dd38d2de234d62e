# Screen conditions against the practice console's real pixels: a needle cut
# with `capture ... in REGION` is found by `expect image` and not found where
# it is not (exit 1, with the best similarity seen); `expect colour`, `expect
# settled`, `expect changed` after a key, `if`/`else` and `retry`; a missing
# needle is a script error before anything is sent.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
practice_fresh screen_waits
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

# The title bar is the needle; capture writes exactly the region asked for.
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e 'capture "title.png" in 0,0,300,24'
[[ $(od -An -tu1 -j16 -N8 title.png | tr -s ' ') == " 0 0 1 44 0 0 0 24" ]] ||
    fail "title.png is not 300x24: IHDR $(od -An -tu1 -j16 -N8 title.png)"

cat > found.vnc << 'EOF'
type "hello\n"
expect settled 300ms timeout 10s
expect image "title.png" timeout 5s
expect image "title.png" in 0,0,400,40 similarity 99% timeout 5s
expect colour 0x0C0C0C 50% in 0,100,1024,600 timeout 5s
if colour 0x1F3A68 30% in 0,0,1024,24 {
  type "title is blue\n"
} else {
  fail "the title bar should be blue"
}
if image "title.png" in 0,600,1024,168 {
  fail "the title bar is not at the bottom"
}
retry 3 {
  key enter
  expect changed timeout 5s
}
EOF
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" run found.vnc
wait_until 10 "grep -q '^up 0xff0d Return' '$TRANSCRIPT'" || fail "the keys did not arrive"
grep -q 'down 0x0062 b' "$TRANSCRIPT" || fail "the if branch did not type 'title is blue'"

# Not there: exit 1, and the message says what was awaited and what was seen.
printf 'expect image "title.png" in 500,500,300,200 timeout 1s\n' > absent.vnc
assert_exit 1 "$VNCBOT" -c "$PRACTICE_ADDR" run absent.vnc
assert_contains "$LAST_ERR" "absent.vnc:1: error: expect timed out after 1s waiting for image title.png"
assert_contains "$LAST_ERR" "best seen"

# Nothing changes when no key is sent: `changed` times out.
assert_exit 1 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'wait 100ms; expect changed timeout 1s'
assert_contains "$LAST_ERR" "the screen to change"

# A needle that does not exist: exit 2 before connecting.
practice_fresh missing_needle
printf 'key a\nexpect image "nope.png"\n' > missing.vnc
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" run missing.vnc
assert_contains "$LAST_ERR" "missing.vnc:2:14"
assert_contains "$LAST_ERR" "nope.png"
grep -q '^# connect' "$TRANSCRIPT" && fail "vncbot connected although the needle was missing"
exit 0
