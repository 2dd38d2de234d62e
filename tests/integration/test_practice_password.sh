# VNC password authentication against the practice console (`--password-file`):
#
# - the right password from --password-file, and from --password-env, types exactly;
# - a wrong password exits 3 with one reason line that mentions authentication (plus
#   optional hints), and nothing is typed: the console saw a connect and a disconnect and
#   no key event;
# - no password at all exits 3 with a hint that names --password-file;
# - neither password ever shows in vncbot's stdout or stderr (even with -v).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

password=Pr4ct!ce # 8 characters: VNC authentication uses no more
wrong=Wr0ng#pw
printf '%s\n' "$password" > "$TEST_TMP/console.pw"
printf '%s\n' "$password" > "$TEST_TMP/right.pw"
printf '%s\n' "$wrong" > "$TEST_TMP/wrong.pw"
chmod 600 "$TEST_TMP"/*.pw

cat > "$TEST_TMP/expected" << 'EOF'
down 0x006f o
up 0x006f o
down 0x006b k
up 0x006b k
down 0xff0d Return
up 0xff0d Return
EOF

# no_password_in_output WHAT: neither password in the last command's stdout or stderr.
no_password_in_output() {
    local f
    for f in "$LAST_OUT" "$LAST_ERR"; do
        assert_not_contains "$f" "$password" "$1: vncbot's $(basename "$f")"
        assert_not_contains "$f" "$wrong" "$1: vncbot's $(basename "$f")"
    done
}

# nothing_typed WHAT: the refused client has come and gone, and sent no key event.
nothing_typed() {
    wait_until "$PT_TRANSCRIPT_DEADLINE" "(( \$(disconnect_count '$TRANSCRIPT') >= 1 ))" ||
        note "$1: no '# disconnect' in the transcript within ${PT_TRANSCRIPT_DEADLINE}s"
    assert_no_key_lines "$TRANSCRIPT" "$1"
}

# 1. The right password from a file.
name=right_password_from_file_types_exactly
practice_fresh $name --password-file "$TEST_TMP/console.pw"
assert_exit 0 "$VNCBOT" -v -c "$PRACTICE_ADDR" --password-file "$TEST_TMP/right.pw" -e 'type "ok\n"'
no_password_in_output "$name"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/expected" "$name"

# 2. The right password from the environment (set for vncbot only).
name=right_password_from_env_types_exactly
practice_fresh $name --password-file "$TEST_TMP/console.pw"
VB_TEST_VNC_PW=$password assert_exit 0 "$VNCBOT" -v -c "$PRACTICE_ADDR" \
    --password-env VB_TEST_VNC_PW -e 'type "ok\n"'
no_password_in_output "$name"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/expected" "$name"

# 3. A wrong password, from a file and from the environment.
name=wrong_password_from_file_exits_3_and_types_nothing
practice_fresh $name --password-file "$TEST_TMP/console.pw"
assert_exit 3 "$VNCBOT" -c "$PRACTICE_ADDR" --password-file "$TEST_TMP/wrong.pw" -e 'type "no\n"'
assert_one_reason "$LAST_ERR" "$name: stderr"
assert_contains "$LAST_ERR" auth "$name: stderr"
no_password_in_output "$name"
nothing_typed "$name"

name=wrong_password_from_env_exits_3_and_types_nothing
practice_fresh $name --password-file "$TEST_TMP/console.pw"
VB_TEST_VNC_PW=$wrong assert_exit 3 "$VNCBOT" -v -c "$PRACTICE_ADDR" \
    --password-env VB_TEST_VNC_PW -e 'type "no\n"'
assert_contains "$LAST_ERR" auth "$name: stderr"
no_password_in_output "$name"
nothing_typed "$name"

# 4. No password given (and no terminal to ask on): exit 3, a hint naming --password-file.
name=no_password_exits_3_with_a_hint
practice_fresh $name --password-file "$TEST_TMP/console.pw"
assert_exit 3 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'type "no\n"'
assert_one_reason "$LAST_ERR" "$name: stderr"
assert_contains "$LAST_ERR" --password-file "$name: stderr"
nothing_typed "$name"

note "ok: right password types exactly; wrong or missing password exits 3 and types nothing"
