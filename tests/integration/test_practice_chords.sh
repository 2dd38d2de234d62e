# Chords reach the practice console as exact key events: the keys of a chord go down in
# the order written and come up in reverse (`ctrl-alt-del` is Control, Alt, Delete down,
# then Delete, Alt, Control up), `-` and `+` both join keys, and several keys after one
# `key` are pressed one after the other.
#
# Each scenario runs `vncbot -c PRACTICE -e 'key ...'` against a fresh practice console and
# compares the key lines of its transcript with the expected list, exactly.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

# chord_sends NAME STATEMENT: run STATEMENT through -e against a fresh console and require
# the transcript's key lines to be what stdin holds.
chord_sends() {
    local name=$1 stmt=$2 exp=$TEST_TMP/$1.expected
    cat > "$exp"
    practice_fresh "$name"
    assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e "$stmt"
    assert_key_lines "$TRANSCRIPT" "$exp" "'$stmt'"
}

chord_sends ctrl_alt_del_presses_in_order_releases_in_reverse 'key ctrl-alt-del' << 'EOF'
down 0xffe3 Control_L
down 0xffe9 Alt_L
down 0xffff Delete
up 0xffff Delete
up 0xffe9 Alt_L
up 0xffe3 Control_L
EOF

chord_sends plus_joins_a_chord_like_minus 'key ctrl+shift+esc' << 'EOF'
down 0xffe3 Control_L
down 0xffe1 Shift_L
down 0xff1b Escape
up 0xff1b Escape
up 0xffe1 Shift_L
up 0xffe3 Control_L
EOF

chord_sends super_r_is_win_r 'key super-r' << 'EOF'
down 0xffeb Super_L
down 0x0072 r
up 0x0072 r
up 0xffeb Super_L
EOF

chord_sends several_keys_are_pressed_one_after_another 'key enter tab tab' << 'EOF'
down 0xff0d Return
up 0xff0d Return
down 0xff09 Tab
up 0xff09 Tab
down 0xff09 Tab
up 0xff09 Tab
EOF

chord_sends ctrl_minus_is_control_with_the_minus_key 'key ctrl--' << 'EOF'
down 0xffe3 Control_L
down 0x002d minus
up 0x002d minus
up 0xffe3 Control_L
EOF

chord_sends shift_plus_is_shift_with_the_plus_key 'key shift-+' << 'EOF'
down 0xffe1 Shift_L
down 0x002b plus
up 0x002b plus
up 0xffe1 Shift_L
EOF

# All of them in one script file, in one connection: the same events, back to back.
cat > "$TEST_TMP/all.vnc" << 'EOF'
key ctrl-alt-del
key ctrl+shift+esc
key super-r
key enter tab tab
key ctrl--
key shift-+
EOF
cat "$TEST_TMP"/ctrl_alt_del_*.expected "$TEST_TMP"/plus_joins_*.expected \
    "$TEST_TMP"/super_r_*.expected "$TEST_TMP"/several_keys_*.expected \
    "$TEST_TMP"/ctrl_minus_*.expected "$TEST_TMP"/shift_plus_*.expected > "$TEST_TMP/all.expected"
practice_fresh chords_of_a_script_file_arrive_back_to_back
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" run "$TEST_TMP/all.vnc"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/all.expected" "the six chords run from a file"

note "ok: every chord arrived exactly"
