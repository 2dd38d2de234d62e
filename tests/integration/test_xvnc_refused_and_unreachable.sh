# Connection failures end with exit 3 and a one-line reason (plus optional `hint:` lines),
# never a hang:
# 1. nothing listens on the port (connection refused);
# 2. a server accepts TCP and never speaks RFB (--connect-timeout 2s);
# 3. the server dies while a script runs (`wait 20s`): vncbot notices the lost connection
#    and exits 3 long before the script would have ended.
# The bounds below are guards against a hang; what is asserted is the exit status.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_xvnc_tools
require_vncbot

# 1. Refused: a port that nothing listens on (locked for this test, so nobody takes it).
closed_port=
free_port closed_port
port_listening "$closed_port" && setup_fail "port $closed_port should be closed but listens"
VB_CMD_TIMEOUT=15 assert_exit 3 "$VNCBOT" -q -c "127.0.0.1::$closed_port" -e 'type "x"'
assert_one_reason "$LAST_ERR" "connection refused: stderr"
note "refused: exit 3 after ${LAST_SECONDS}s: $(cat "$LAST_ERR")"

# 2. A listener that accepts and says nothing (no RFB ProtocolVersion ever comes).
start_silent_listener
VB_CMD_TIMEOUT=30 assert_exit 3 "$VNCBOT" -q -c "127.0.0.1::$SILENT_PORT" --connect-timeout 2s -e 'type "x"'
assert_one_reason "$LAST_ERR" "silent server: stderr"
note "silent server: exit 3 after ${LAST_SECONDS}s: $(cat "$LAST_ERR")"

# 3. The server dies mid-script.
start_xvnc
out=$TEST_TMP/dies.stdout
err=$TEST_TMP/dies.stderr
"$VNCBOT" -q -c "$XVNC_ADDR" -e 'wait 20s; type "x"' < /dev/null > "$out" 2> "$err" &
bot=$!
cleanup_add "stop_pid $bot vncbot"
wait_until 15 "port_has_established $XVNC_PORT || ! pid_alive $bot" ||
    fail "vncbot made no connection to Xvnc on port $XVNC_PORT within 15 s"
pid_alive "$bot" || {
    wait "$bot"
    fail "vncbot exited (status $?) before the server was stopped; stderr: $(cat "$err")"
}
# Let the RFB handshake finish so that the script is running when the server goes: Xvnc
# logs the client's pixel format once the session is set up.
wait_until 15 "grep -q 'Client pixel format' '$XVNC_LOG' || ! pid_alive $bot" ||
    note "Xvnc never logged the client's pixel format; stopping it anyway"

t0=$(now_us)
{ # reaped here, with stderr quiet: no "Killed" job notice from bash
    kill -KILL "$XVNC_PID"
    wait "$XVNC_PID"
} 2> /dev/null
if ! wait_until 15 "! pid_alive $bot"; then
    fail "vncbot still running 15 s after its server died (the script's wait 20s was to end at ~20 s)"
fi
wait "$bot"
rc=$?
secs=$((($(now_us) - t0) / 1000000))
assert_eq 3 "$rc" "exit status after the server died mid-script (stderr: $(cat "$err"))"
assert_one_reason "$err" "server died: stderr"
note "server died: exit 3 about ${secs}s after the kill: $(cat "$err")"

note "ok: refused, silent and dropped connections all exit 3 with a one-line reason"
