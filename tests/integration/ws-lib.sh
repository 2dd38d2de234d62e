# tests/integration/ws-lib.sh: helpers for the WebSocket tests and bench/connect-time.
# Sourced after lib.sh, never run. It owns websockify (ws and wss in front of a VNC port),
# a throwaway certificate for wss, a fake WebSocket server that records the request head,
# and the freeze proxy (tools/freeze-proxy.py). Every server listens on 127.0.0.1 only and
# is stopped by its PID through lib.sh's cleanup registry.
#
# Debian packages relied on (besides lib.sh's): websockify openssl.

# shellcheck disable=SC2034

require_websockify() {
    require_cmd websockify websockify
}

# vb_children PID: the PIDs of PID's direct children (websockify forks one per client).
vb_children() {
    cat /proc/"$1"/task/*/children 2> /dev/null
}

# start_websockify PORT TARGET [--cert C --key K --ssl-only]: websockify on 127.0.0.1:PORT
# forwarding to TARGET (host:port); wait until it listens. Sets WEBSOCKIFY_PID and
# WEBSOCKIFY_LOG. Any further options are passed to websockify as they stand.
start_websockify() {
    local port=$1 target=$2
    shift 2
    require_websockify
    WEBSOCKIFY_LOG=$TEST_TMP/websockify-$port.log
    websockify "$@" "127.0.0.1:$port" "$target" > "$WEBSOCKIFY_LOG" 2>&1 < /dev/null &
    WEBSOCKIFY_PID=$!
    cleanup_add "stop_websockify $WEBSOCKIFY_PID"
    log_add "$WEBSOCKIFY_LOG"
    if ! wait_until 15 "port_listening $port || ! pid_alive $WEBSOCKIFY_PID" ||
        ! pid_alive "$WEBSOCKIFY_PID"; then
        setup_fail "websockify 127.0.0.1:$port -> $target did not listen within 15 s: $(tail -n 5 "$WEBSOCKIFY_LOG")"
    fi
}

# stop_websockify PID: stop websockify and the handler processes it forked. SIGTERM makes
# websockify stop its children itself; any that outlive it are stopped by their PIDs.
stop_websockify() {
    local pid=$1 kids kid
    kids=$(vb_children "$pid")
    stop_pid "$pid" websockify
    for kid in $kids; do
        stop_pid "$kid" websockify-handler
    done
}

# kill_websockify_hard PID: SIGKILL websockify and its handlers at once, as a crash would:
# the kernel closes the sockets, no WebSocket close frame is sent.
kill_websockify_hard() {
    local pid=$1 kids kid
    kids=$(vb_children "$pid")
    { # reaped here, with stderr quiet: no "Killed" job notice from bash
        # shellcheck disable=SC2086 # one PID a word
        kill -KILL "$pid" $kids
        wait "$pid"
    } 2> /dev/null
    for kid in $kids; do
        wait_until 5 "! pid_alive $kid" || note "websockify handler $kid survived SIGKILL"
    done
    return 0
}

# make_test_cert DIR: a throwaway self-signed certificate for CN=localhost with
# subjectAltName DNS:localhost, IP:127.0.0.1 (2 days). Sets TEST_CERT (what a client
# trusts with --ca-file) and TEST_KEY.
make_test_cert() {
    local dir=$1
    require_cmd openssl openssl
    mkdir -p -- "$dir" || setup_fail "cannot create $dir"
    TEST_CERT=$dir/cert.pem
    TEST_KEY=$dir/key.pem
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost \
        -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
        -keyout "$TEST_KEY" -out "$TEST_CERT" > "$dir/openssl.log" 2>&1 ||
        setup_fail "openssl could not make a test certificate: $(tail -n 5 "$dir/openssl.log")"
}

# start_freeze_proxy TARGET_PORT: tools/freeze-proxy.py on a free port, forwarding to
# 127.0.0.1:TARGET_PORT until it gets SIGUSR1 (then it holds every connection open and
# forwards nothing). Sets FREEZE_PID and FREEZE_PORT.
start_freeze_proxy() {
    local target=$1 out
    free_port FREEZE_PORT
    out=$TEST_TMP/freeze-$FREEZE_PORT.out
    python3 "$VB_LIB_DIR/tools/freeze-proxy.py" "$FREEZE_PORT" "$target" > "$out" 2>&1 < /dev/null &
    FREEZE_PID=$!
    cleanup_add "stop_pid $FREEZE_PID freeze-proxy"
    log_add "$out"
    if ! wait_until 10 "grep -q '^ready' '$out' || ! pid_alive $FREEZE_PID" || ! pid_alive "$FREEZE_PID"; then
        setup_fail "freeze proxy on port $FREEZE_PORT did not start: $(tail -n 5 "$out")"
    fi
}

# start_fake_ws_server: a TCP server on 127.0.0.1 (port the kernel picks) that reads one
# HTTP request head, writes it byte for byte to $FAKE_WS_REQUEST, and closes without
# answering; it then exits. Sets FAKE_WS_PID, FAKE_WS_PORT and FAKE_WS_REQUEST.
start_fake_ws_server() {
    local out=$TEST_TMP/fake-ws-$RANDOM
    FAKE_WS_REQUEST=$out.request
    rm -f -- "$FAKE_WS_REQUEST"
    python3 -c '
import socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept()
c.settimeout(20)
head = b""
while b"\r\n\r\n" not in head:
    try:
        b = c.recv(4096)
    except OSError:
        break
    if not b:
        break
    head += b
tmp = sys.argv[1] + ".part"
with open(tmp, "wb") as f:
    f.write(head)
import os
os.rename(tmp, sys.argv[1])
c.close()
' "$FAKE_WS_REQUEST" > "$out.port" 2>&1 < /dev/null &
    FAKE_WS_PID=$!
    cleanup_add "stop_pid $FAKE_WS_PID fake-ws-server"
    log_add "$out.port"
    wait_until 10 "[[ -s '$out.port' ]] || ! pid_alive $FAKE_WS_PID"
    FAKE_WS_PORT=$(head -n 1 "$out.port" 2> /dev/null)
    [[ $FAKE_WS_PORT =~ ^[0-9]+$ ]] ||
        setup_fail "fake WebSocket server did not start: $(cat "$out.port")"
}

# request_header FILE NAME: the values of header NAME (any case) in the request head FILE,
# one a line, exactly as sent (the CR of the line end removed).
request_header() {
    local name=${2,,} line
    while IFS= read -r line; do
        line=${line%$'\r'}
        [[ ${line,,} == "$name:"* ]] || continue
        line=${line#*:}
        printf '%s\n' "${line# }"
    done < "$1"
}
