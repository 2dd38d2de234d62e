# VNC password authentication against Xvnc -SecurityTypes VncAuth.
#
# - the right password from --password-file, then from --password-env, types a line exactly;
# - a wrong password (file or env) ends with exit 3 and one reason line on stderr that
#   mentions authentication (plus optional `hint:` lines); no password at all (stdin not a
#   terminal) ends the same way;
# - the password never appears in vncbot's stdout or stderr, even with -v.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_xvnc_tools
require_vncbot

password=Vb7pQx2z # VNC uses 8 characters at most; distinctive so a grep cannot match by chance
wrong=Wr0ngPw9
make_vnc_password_file "$TEST_TMP/xvnc.passwd" "$password"
printf '%s\n' "$password" > "$TEST_TMP/right.pw"
printf '%s\n' "$wrong" > "$TEST_TMP/wrong.pw"
chmod 600 "$TEST_TMP"/*.pw

start_xvnc --vncauth "$TEST_TMP/xvnc.passwd"
got=$TEST_TMP/got
expected=$TEST_TMP/expected
: > "$expected"
start_xterm_cat "$got"

# no_secret_in_output WHAT: neither password shows in the last command's stdout or stderr.
no_secret_in_output() {
    local f
    for f in "$LAST_OUT" "$LAST_ERR"; do
        assert_not_contains "$f" "$password" "$1: vncbot's $(basename "$f")"
        assert_not_contains "$f" "$wrong" "$1: vncbot's $(basename "$f")"
    done
}

# typed_line_arrives LINE WHAT: the line (plus newline) is appended to what cat received.
typed_line_arrives() {
    printf '%s\n' "$1" >> "$expected"
    wait_for_size "$got" "$(file_size "$expected")" 30 ||
        note "got only $(file_size "$got") of $(file_size "$expected") bytes within 30 s"
    assert_file_equals "$expected" "$got" "$2"
}

# auth_refused WHAT: the last command failed as an authentication error should.
auth_refused() {
    assert_one_reason "$LAST_ERR" "$1: stderr"
    assert_contains "$LAST_ERR" auth "$1: stderr"
    no_secret_in_output "$1"
}

# 1. Right password from a file (-v: even a verbose log keeps it out).
assert_exit 0 "$VNCBOT" -v -c "$XVNC_ADDR" --password-file "$TEST_TMP/right.pw" \
    -e 'type "password from a file\n"'
no_secret_in_output "right password from --password-file"
typed_line_arrives "password from a file" "line typed after VNC auth with --password-file"

# 2. Right password from an environment variable (set for vncbot only, not on its command
# line).
VNCBOT_TEST_PW=$password assert_exit 0 "$VNCBOT" -v -c "$XVNC_ADDR" \
    --password-env VNCBOT_TEST_PW -e 'type "password from the environment\n"'
no_secret_in_output "right password from --password-env"
typed_line_arrives "password from the environment" "line typed after VNC auth with --password-env"

# 3. Wrong passwords: exit 3, one reason line naming authentication, nothing typed.
assert_exit 3 "$VNCBOT" -q -c "$XVNC_ADDR" --password-file "$TEST_TMP/wrong.pw" \
    -e 'type "must not arrive (file)\n"'
auth_refused "wrong password from --password-file"

VNCBOT_TEST_PW=$wrong assert_exit 3 "$VNCBOT" -q -c "$XVNC_ADDR" \
    --password-env VNCBOT_TEST_PW -e 'type "must not arrive (env)\n"'
auth_refused "wrong password from --password-env"

# 4. No password given, and no terminal to ask on: an authentication error, not a hang.
assert_exit 3 "$VNCBOT" -q -c "$XVNC_ADDR" -e 'type "must not arrive (none)\n"'
assert_one_reason "$LAST_ERR" "no password given: stderr"
assert_matches "$LAST_ERR" "password|auth" "no password given: stderr"

# Nothing from the refused runs reached the xterm. A right-password run types a marker
# line; once it is there, anything a refused run had typed would be there too.
assert_exit 0 "$VNCBOT" -q -c "$XVNC_ADDR" --password-file "$TEST_TMP/right.pw" -e 'type "end\n"'
typed_line_arrives "end" "xterm input after the refused runs (only the marker line is expected)"

note "ok: right password types exactly, wrong or missing password exits 3, no secret in output"
