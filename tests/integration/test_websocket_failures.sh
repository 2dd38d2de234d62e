# WebSocket connections that fail, or fail later, end with exit 3 and a one-line reason
# (plus optional `hint:` lines) within a bounded time, never a hang and never exit 0:
#   (a) ws:// to a port where nothing listens;
#   (b) ws:// to a plain HTTP server that answers 404: the reason says "HTTP 404";
#   (c) ws:// to a raw RFB port (Xvnc speaks VNC there, not WebSocket), --connect-timeout 3s;
#   (d) a WebSocket console that stalls mid-script without closing (a proxy in front of
#       websockify stops forwarding): with --read-timeout 3s vncbot says the console
#       "stopped answering" long before the script's `wait 30s` ends;
#   (e) a WebSocket that closes mid-script: websockify is stopped (SIGTERM, its orderly
#       shutdown) or killed (SIGKILL, a crash) during `wait 30s`;
#   (f) the same stall as (d) over plain TCP (the proxy in front of Xvnc's RFB port).
# The time bounds are guards against a hang; what is asserted is the status and message.
# The ACTIONs given to stops_mid_script are eval'ed later, hence $ in single quotes.
# shellcheck disable=SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/ws-lib.sh" || exit 1

require_xvnc_tools
require_websockify
require_vncbot

# (a) Nothing listens on the port (locked for this test, so nobody takes it).
closed_port=
free_port closed_port
port_listening "$closed_port" && setup_fail "port $closed_port should be closed but listens"
VB_CMD_TIMEOUT=20 assert_exit 3 "$VNCBOT" -c "ws://127.0.0.1:$closed_port/websockify" --connect-timeout 3s -e 'type "x"'
assert_one_reason "$LAST_ERR" "(a) nothing listening: stderr"
note "(a) nothing listening: exit 3 after ${LAST_SECONDS}s: $(head -n 1 "$LAST_ERR")"

# (b) A plain HTTP server: no WebSocket upgrade, 404 for the path.
http_port=
free_port http_port
mkdir -p "$TEST_TMP/www"
python3 -m http.server --bind 127.0.0.1 --directory "$TEST_TMP/www" "$http_port" \
    > "$TEST_TMP/http.log" 2>&1 < /dev/null &
http_pid=$!
cleanup_add "stop_pid $http_pid http.server"
log_add "$TEST_TMP/http.log"
if ! wait_until 15 "port_listening $http_port || ! pid_alive $http_pid" || ! pid_alive "$http_pid"; then
    setup_fail "python3 -m http.server did not listen on $http_port: $(tail -n 5 "$TEST_TMP/http.log")"
fi
VB_CMD_TIMEOUT=20 assert_exit 3 "$VNCBOT" -c "ws://127.0.0.1:$http_port/websockify?token=x" --connect-timeout 3s -e 'type "x"'
assert_one_reason "$LAST_ERR" "(b) HTTP 404: stderr"
assert_contains "$LAST_ERR" "HTTP 404" "(b) HTTP 404: stderr"
grep -q '"GET /websockify?token=x HTTP/1.1" 404' "$TEST_TMP/http.log" ||
    fail "(b) the HTTP server did not log the request it answered 404: $(tail -n 3 "$TEST_TMP/http.log")"
note "(b) HTTP 404: exit 3 after ${LAST_SECONDS}s: $(head -n 1 "$LAST_ERR")"

# The console for (c) to (f): Xvnc with an xterm running `cat > got`, websockify in front.
start_xvnc
got=$TEST_TMP/got
expected=$TEST_TMP/expected
: > "$expected"
start_xterm_cat "$got"

# (c) ws:// to the raw RFB port.
VB_CMD_TIMEOUT=20 assert_exit 3 "$VNCBOT" -c "ws://127.0.0.1:$XVNC_PORT/" --connect-timeout 3s -e 'type "x\n"'
assert_one_reason "$LAST_ERR" "(c) ws:// to an RFB port: stderr"
note "(c) ws:// to an RFB port: exit 3 after ${LAST_SECONDS}s: $(head -n 1 "$LAST_ERR")"

# stops_mid_script NAME ADDRESS ACTION [OPTIONS...]: vncbot runs
# `type "NAME a\n"; wait 30s; type "NAME b\n"` on ADDRESS in the background; once
# "NAME a" has arrived, eval ACTION (which breaks the link); then vncbot must be gone
# within 20 s of the action with exit 3 and a one-line reason on stderr, in $BOT_ERR.
stops_mid_script() {
    local name=$1 addr=$2 action=$3 out err bot rc t0 secs
    shift 3
    out=$TEST_TMP/$name.stdout
    err=$TEST_TMP/$name.stderr
    BOT_ERR=$err
    "$VNCBOT" -q -c "$addr" "$@" -e "type \"$name a\\n\"; wait 30s; type \"$name b\\n\"" \
        < /dev/null > "$out" 2> "$err" &
    bot=$!
    cleanup_add "stop_pid $bot vncbot"
    echo "$name a" >> "$expected"
    wait_until 20 "(( \$(file_size '$got') >= \$(file_size '$expected') )) || ! pid_alive $bot" ||
        fail "$name: '$name a' did not arrive within 20 s (got: $(tail -c 200 "$got"))"
    if ! pid_alive "$bot"; then
        wait "$bot"
        fail "$name: vncbot exited (status $?) before the link was broken; stderr: $(cat "$err")"
    fi
    assert_file_equals "$expected" "$got" "$name: what cat received before the link was broken"
    t0=$(now_us)
    eval "$action"
    if ! wait_until 20 "! pid_alive $bot"; then
        fail "$name: vncbot still running 20 s after the link was broken (the script's wait 30s was to end at ~30 s); stderr: $(cat "$err")"
    fi
    wait "$bot"
    rc=$?
    secs=$((($(now_us) - t0) / 1000))
    secs=$(printf '%d.%03d' $((secs / 1000)) $((secs % 1000)))
    assert_eq 3 "$rc" "$name: exit status (stderr: $(cat "$err"))"
    assert_one_reason "$err" "$name: stderr"
    note "$name: exit 3 ${secs}s after the link was broken: $(head -n 1 "$err")"
}

# (d) A WebSocket console that stalls: vncbot -> freeze proxy -> websockify -> Xvnc.
ws_port=
free_port ws_port
start_websockify "$ws_port" "127.0.0.1:$XVNC_PORT"
start_freeze_proxy "$ws_port"
stops_mid_script ws-stall "ws://127.0.0.1:$FREEZE_PORT/websockify?token=t" \
    'kill -USR1 $FREEZE_PID' --read-timeout 3s
assert_contains "$BOT_ERR" "stopped answering" "(d) WebSocket stall: stderr"
stop_pid "$FREEZE_PID" freeze-proxy

# (e) A WebSocket that closes mid-script: websockify stopped in order, then killed.
stops_mid_script ws-close-term "ws://127.0.0.1:$ws_port/websockify?token=t" \
    'stop_websockify $WEBSOCKIFY_PID' --read-timeout 30s
ws_port2=
free_port ws_port2
start_websockify "$ws_port2" "127.0.0.1:$XVNC_PORT"
stops_mid_script ws-close-kill "ws://127.0.0.1:$ws_port2/websockify?token=t" \
    'kill_websockify_hard $WEBSOCKIFY_PID' --read-timeout 30s

# (f) The same stall over plain TCP: vncbot -> freeze proxy -> Xvnc's RFB port.
start_freeze_proxy "$XVNC_PORT"
stops_mid_script tcp-stall "127.0.0.1::$FREEZE_PORT" 'kill -USR1 $FREEZE_PID' --read-timeout 3s
assert_contains "$BOT_ERR" "stopped answering" "(f) TCP stall: stderr"

# No "b" line arrived: every run ended before its script's second line.
assert_file_equals "$expected" "$got" "what cat received in the end (no 'b' line may arrive)"

note "ok: refused, HTTP 404, raw RFB, stalled and closed WebSockets, and a stalled TCP link all exit 3"
