# Typing all 95 printable ASCII characters reaches an xterm under Xvnc exactly.
#
# Arrange: Xvnc (no auth) with an xterm running `cat > got`. Act: vncbot types the
# characters space..~ in three ways: a double-quoted string with \" and \\ escapes
# (`run FILE`), a single-quoted raw string of every character but the single quote
# (`run FILE`), and the double-quoted form again through `-e` (so the `;` inside the string
# must not split the statement). Assert: after each run, the file cat wrote holds exactly
# the lines typed so far, byte for byte.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_xvnc_tools
require_vncbot

start_xvnc
got=$TEST_TMP/got
expected=$TEST_TMP/expected
start_xterm_cat "$got"

ascii=$(printable_ascii)
((${#ascii} == 95)) || setup_fail "printable_ascii gave ${#ascii} characters, not 95"
no_quote=${ascii//\'/}

# typed_so_far_is WHAT: wait until cat has written as many bytes as expected (30 s
# deadline), then compare the bytes.
typed_so_far_is() {
    note "vncbot ran ${LAST_SECONDS}s at its default pace"
    if ! wait_for_size "$got" "$(file_size "$expected")" 30; then
        note "got only $(file_size "$got") of $(file_size "$expected") bytes within 30 s"
    fi
    assert_file_equals "$expected" "$got" "$1"
}

# 1. Double-quoted string: \" and \\ escapes, \n for Enter.
cat > "$TEST_TMP/dquoted.vnc" << EOF
# all printable ASCII, double-quoted
type "$(vnc_dquote "$ascii")\n"
type "second line\n"
EOF
printf '%s\nsecond line\n' "$ascii" > "$expected"
assert_exit 0 "$VNCBOT" -c "$XVNC_ADDR" run "$TEST_TMP/dquoted.vnc"
typed_so_far_is "double-quoted ASCII line typed by 'run'"

# 2. Single-quoted raw string: every printable character but the quote, taken to the letter.
cat > "$TEST_TMP/raw.vnc" << EOF
type '$no_quote'
key enter
type 'raw line done'
key enter
EOF
printf '%s\nraw line done\n' "$no_quote" >> "$expected"
assert_exit 0 "$VNCBOT" -c "$XVNC_ADDR" run "$TEST_TMP/raw.vnc"
typed_so_far_is "raw (single-quoted) ASCII line typed by 'run'"

# 3. The same double-quoted line through -e, two statements separated by ';'.
printf '%s\nthird line\n' "$ascii" >> "$expected"
assert_exit 0 "$VNCBOT" -c "$XVNC_ADDR" -e "type \"$(vnc_dquote "$ascii")\\n\"; type \"third line\\n\""
typed_so_far_is "double-quoted ASCII line typed by '-e'"

note "ok: all printable ASCII arrived exactly ($(file_size "$got") bytes)"
