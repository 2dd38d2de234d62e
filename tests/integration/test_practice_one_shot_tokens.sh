# --one-shot-tokens makes the practice console behave like a cloud console's URL: a
# WebSocket client must bring ?token=T, T a token the console issued (written to
# --token-file, through a temporary renamed into place), and each token works once: the
# file then holds a fresh one. A used token, a made-up one, a WebSocket path without a
# token and a plain RFB client are refused, each with a `#` line in the transcript.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
practice_fresh tokens --one-shot-tokens --token-file token
ws=ws://127.0.0.1:$PRACTICE_PORT

[[ -s token ]] || fail "no token file once the console listens"
first=$(< token)
[[ $first =~ ^[0-9a-f]{32}$ ]] || fail "the token file holds '$first', not 32 hex digits"

# 1. The token works once; the file then holds a new one.
assert_exit 0 "$VNCBOT" -q -c "$ws/?token=$first" -e 'key a'
second=$(< token)
[[ $second =~ ^[0-9a-f]{32}$ && $second != "$first" ]] ||
    fail "after its use the token file should hold a fresh token, holds '$second'"

# 2. Used again: refused (vncbot: exit 3).
assert_exit 3 "$VNCBOT" -q -c "$ws/?token=$first" -e 'key b'

# 3. A made-up token, a path without one, plain RFB: refused; the token is still good.
assert_exit 3 "$VNCBOT" -q -c "$ws/?token=0123456789abcdef0123456789abcdef" -e 'key c'
assert_exit 3 "$VNCBOT" -q -c "$ws/" -e 'key d'
assert_exit 3 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e 'key e'
[[ $(< token) == "$second" ]] || fail "a refused client used up the token"

# 4. The fresh one works, also among other query parameters, as a console URL has them.
assert_exit 0 "$VNCBOT" -q -c "$ws/vnc?s=x&token=$second" -e 'key f'

{
    echo '# connect 127.0.0.1'
    press 0x0061 a
    echo '# disconnect'
    echo '# connect 127.0.0.1'
    echo '# refused: the token is not one issued, or already used'
    echo '# disconnect'
    echo '# connect 127.0.0.1'
    echo '# refused: the token is not one issued, or already used'
    echo '# disconnect'
    echo '# connect 127.0.0.1'
    echo '# refused: no token in the WebSocket path'
    echo '# disconnect'
    echo '# connect 127.0.0.1'
    echo '# refused: not a WebSocket connection (one-shot tokens)'
    echo '# disconnect'
    echo '# connect 127.0.0.1'
    press 0x0066 f
    echo '# disconnect'
} > expected
assert_transcript "$TRANSCRIPT" expected "one-shot tokens"
assert_not_contains "$TRANSCRIPT" "$first" "the transcript"
exit 0
