# A server that answers the RFB version with junk ("HTTP/1.1\n4", control bytes) ends the
# run with exit 3 and one reason line: the bytes it sent are shown escaped (\n, \x01),
# never printed raw, so the message cannot break into lines or drive the terminal.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot
require_cmd python3 python3

out=$TEST_TMP/junk-server.out
python3 -c '
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(4)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    c.sendall(b"HTTP/1.1\n4\x01\x7f")   # 12 bytes where "RFB 003.008\n" belongs
    try:
        c.recv(100)
    except OSError:
        pass
    c.close()
' > "$out" 2>&1 < /dev/null &
junk_pid=$!
cleanup_add "stop_pid $junk_pid junk-server"
if ! wait_until 10 "[[ -s '$out' ]] || ! pid_alive $junk_pid" || ! pid_alive "$junk_pid"; then
    setup_fail "the junk server did not start: $(cat "$out")"
fi
port=$(head -n 1 "$out")
[[ $port =~ ^[0-9]+$ ]] || setup_fail "the junk server printed '$port', not a port"

VB_CMD_TIMEOUT=30 assert_exit 3 "$VNCBOT" -c "127.0.0.1::$port" --connect-timeout 5s -e 'key a'
assert_one_reason "$LAST_ERR" "the error for a junk RFB version"
assert_contains "$LAST_ERR" 'HTTP/1.1\n4\x01\x7f' "the error for a junk RFB version"
if LC_ALL=C grep -q '[[:cntrl:]]' "$LAST_ERR"; then
    fail "the error carries raw control bytes: $(od -c "$LAST_ERR" | head -n 5)"
fi

note "ok: a junk RFB version is reported on one line, its bytes escaped"
