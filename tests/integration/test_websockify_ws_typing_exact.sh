# Typing over ws:// through websockify reaches an xterm under Xvnc byte for byte, exactly as
# over plain TCP: all 95 printable ASCII characters and the two `reg add` lines of the NLA
# fix (backslashes, `\0`, double quotes, spaces), and the last keys of every run, also of
# runs that end right after typing, on a screen that keeps changing (as a console's clock
# or a boot spinner does).
#
# Arrange: Xvnc (no auth) with an xterm running `cat > got` and, in the bottom-right
# corner away from the pointer, a small xterm that prints the time every 20 ms; and
# `websockify 127.0.0.1:WSPORT 127.0.0.1:VNCPORT` in front of Xvnc. Act: over
# ws://127.0.0.1:WSPORT/websockify?token=abc%2Fdef (a path and a query with a
# percent-escape, as cloud consoles give them) vncbot runs one script, then five one-line
# `-e` runs; then, into a fresh xterm, the same over TCP. Assert: cat received exactly the
# expected lines over ws, and the same bytes over TCP.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/ws-lib.sh" || exit 1

require_xvnc_tools
require_websockify
require_vncbot

ascii=$(printable_ascii)
((${#ascii} == 95)) || setup_fail "printable_ascii gave ${#ascii} characters, not 95"
# The lines as cmd.exe must receive them (as in test_xvnc_typing_reg_lines.sh).
lsa='reg add "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" /v "Security Packages" /t REG_MULTI_SZ /d "kerberos\0msv1_0\0schannel\0wdigest\0tspkg\0pku2u" /f'
ssp='reg add "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders" /v SecurityProviders /t REG_SZ /d "credssp.dll" /f'

script=$TEST_TMP/exact.vnc
cat > "$script" << EOF
# all printable ASCII, double-quoted
type "$(vnc_dquote "$ascii")\n"
# the reg add lines as raw strings, then escaped
type '$lsa'
key enter
type '$ssp'
key enter
type "$(vnc_dquote "$lsa")\n"
type "$(vnc_dquote "$ssp")\n"
type "done\n"
EOF
expected=$TEST_TMP/expected
printf '%s\n' "$ascii" "$lsa" "$ssp" "$lsa" "$ssp" 'done' > "$expected"

start_xvnc
# The clock: keeps the screen changing, so that screen updates are on their way to vncbot
# whenever it types. Its window is in the corner, away from the pointer, so it never has
# the keyboard focus.
DISPLAY=$XVNC_DISPLAY xterm -title "clock-$$" -geometry 24x2-0-0 \
    -e sh -c 'while :; do date +%H:%M:%S.%N; sleep 0.02; done' > "$TEST_TMP/clock.log" 2>&1 &
clock_pid=$!
cleanup_add "stop_pid $clock_pid clock-xterm"
if ! wait_until 20 "! pid_alive $clock_pid || DISPLAY=$XVNC_DISPLAY xwininfo -name clock-$$ 2> /dev/null | grep -q IsViewable" ||
    ! pid_alive "$clock_pid"; then
    setup_fail "the clock xterm did not show its window within 20 s: $(tail -n 5 "$TEST_TMP/clock.log")"
fi
ws_port=
free_port ws_port
start_websockify "$ws_port" "127.0.0.1:$XVNC_PORT"
ws_url="ws://127.0.0.1:$ws_port/websockify?token=abc%2Fdef"

# typed_is EXPECTED GOT WHAT: wait until cat has written as many bytes as expected (30 s
# deadline), then compare the bytes.
typed_is() {
    wait_for_size "$2" "$(file_size "$1")" 30 ||
        note "got only $(file_size "$2") of $(file_size "$1") bytes within 30 s"
    assert_file_equals "$1" "$2" "$3"
}

# types_exactly_over WHAT ADDRESS GOT: into a fresh xterm writing GOT, run the script, then
# five one-line runs, each followed by a byte comparison of all that cat received so far.
types_exactly_over() {
    local what=$1 addr=$2 out=$3 exp=$TEST_TMP/expected-$1 i
    start_xterm_cat "$out"
    cp -- "$expected" "$exp"
    assert_exit 0 "$VNCBOT" -c "$addr" run "$script"
    note "over $what: vncbot typed $(file_size "$expected") characters in ${LAST_SECONDS}s"
    typed_is "$exp" "$out" "what cat received over $what (the script)"
    for i in 1 2 3 4 5; do
        assert_exit 0 "$VNCBOT" -c "$addr" -e "type \"short run $i\\n\""
        echo "short run $i" >> "$exp"
        typed_is "$exp" "$out" "what cat received over $what (the script, then short run $i)"
    done
    stop_xterm
}

got_ws=$TEST_TMP/got-ws
types_exactly_over ws "$ws_url" "$got_ws"
grep -qF "Path: '/websockify?token=abc%2Fdef'" "$WEBSOCKIFY_LOG" ||
    fail "websockify did not log the path and query as given; its log: $(tail -n 5 "$WEBSOCKIFY_LOG")"

got_tcp=$TEST_TMP/got-tcp
types_exactly_over TCP "$XVNC_ADDR" "$got_tcp"
assert_file_equals "$got_tcp" "$got_ws" "what cat received over ws:// compared with over TCP"

note "ok: printable ASCII, the reg add lines and the end of every run arrived exactly over ws://, as over TCP"
