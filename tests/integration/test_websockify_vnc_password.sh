# VNC password authentication works inside a WebSocket: through websockify in front of an
# Xvnc that asks for a VNC password, the right --password-file types exactly over ws://,
# and a wrong one ends with exit 3, one reason line that mentions authentication, and
# nothing typed.
#
# Arrange: Xvnc with VncAuth (password in a vncpasswd file) and an xterm running
# `cat > got`; websockify in front of it. Act: vncbot over ws:// with the wrong password,
# then with the right one. Assert: exit status and stderr, and that cat received exactly
# the line of the authenticated run.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/ws-lib.sh" || exit 1

require_xvnc_tools
require_cmd vncpasswd tigervnc-tools
require_websockify
require_vncbot

password='s3cr-t!8'
make_vnc_password_file "$TEST_TMP/xvnc.passwd" "$password"
start_xvnc --vncauth "$TEST_TMP/xvnc.passwd"
got=$TEST_TMP/got
start_xterm_cat "$got"
ws_port=
free_port ws_port
start_websockify "$ws_port" "127.0.0.1:$XVNC_PORT"
url="ws://127.0.0.1:$ws_port/websockify?token=t1"

(umask 077 && printf '%s\n' "$password" > "$TEST_TMP/right" && printf '%s\n' 'wrong-pw' > "$TEST_TMP/wrong") ||
    setup_fail "cannot write the password files"

# Wrong password: refused, nothing typed.
VB_CMD_TIMEOUT=30 assert_exit 3 "$VNCBOT" -c "$url" --password-file "$TEST_TMP/wrong" \
    -e 'type "typed with the wrong password\n"'
assert_one_reason "$LAST_ERR" "wrong password over ws: stderr"
assert_matches "$LAST_ERR" 'authenticat' "wrong password over ws: stderr"
assert_not_contains "$LAST_ERR" "$password" "wrong password over ws: stderr"
note "wrong password: exit 3 after ${LAST_SECONDS}s: $(head -n 1 "$LAST_ERR")"

# Right password: the line arrives exactly (and is the first line cat received).
line='typed after VNC authentication over ws: `~!@#$%^&*()_+{}|:"<>?'
assert_exit 0 "$VNCBOT" -c "$url" --password-file "$TEST_TMP/right" \
    -e "type \"$(vnc_dquote "$line")\\n\""
assert_not_contains "$LAST_ERR" "$password" "right password over ws: stderr"
printf '%s\n' "$line" > "$TEST_TMP/expected"
wait_for_size "$got" "$(file_size "$TEST_TMP/expected")" 30 ||
    note "got only $(file_size "$got") of $(file_size "$TEST_TMP/expected") bytes within 30 s"
assert_file_equals "$TEST_TMP/expected" "$got" "what cat received (wrong password run, then the right one)"

note "ok: VncAuth over ws: the right password typed exactly, the wrong one refused with exit 3"
