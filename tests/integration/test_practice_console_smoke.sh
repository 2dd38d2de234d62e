#!/usr/bin/env bash
# test_practice_console_smoke.sh: the practice console writes to its
# transcript exactly the key events a plain RFB 3.8 client sent, in order,
# between "# connect" and "# disconnect" lines, and exits 0 on SIGTERM.
# Needs only $VNCBOT_PRACTICE and python3 (skips with 77 without python3).
set -euo pipefail

: "${VNCBOT_PRACTICE:?set VNCBOT_PRACTICE to the vncbot-practice binary}"
if ! command -v python3 >/dev/null 2>&1; then
	echo "SKIP: python3 not found"
	exit 77
fi

work=$(mktemp -d)
server_pid=
cleanup() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -KILL "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL: $*" >&2
	for f in stdout stderr transcript; do
		if [ -f "$work/$f" ]; then
			echo "--- $f:" >&2
			cat "$work/$f" >&2
		fi
	done
	exit 1
}

# Poll for a condition (a shell command) until a deadline; no blind sleeps.
wait_for() {
	local what=$1 seconds=$2 cond=$3
	local deadline=$((SECONDS + seconds))

	until eval "$cond"; do
		if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
			fail "server exited while waiting for $what"
		fi
		if [ "$SECONDS" -ge "$deadline" ]; then
			fail "no $what within $seconds s"
		fi
		sleep 0.05
	done
}

# Arrange: a server on a free port, with a transcript.
"$VNCBOT_PRACTICE" --listen 127.0.0.1:0 --transcript "$work/transcript" \
	--port-file "$work/port" -q >"$work/stdout" 2>"$work/stderr" &
server_pid=$!

wait_for "listening line" 10 'grep -q "^listening " "$work/stdout"'
line=$(head -n 1 "$work/stdout")
[[ $line =~ ^listening\ 127\.0\.0\.1:([0-9]+)$ ]] ||
	fail "listening line is '$line', expected 'listening 127.0.0.1:PORT'"
port=${BASH_REMATCH[1]}
[ "$port" -gt 0 ] || fail "listening on port $port"
[ "$(cat "$work/port")" = "$port" ] ||
	fail "port file holds '$(cat "$work/port")', listening line says $port"

# Act: a raw RFB 3.8 client, security type None, sends key events and leaves.
python3 - "$port" <<'PYEOF' || fail "RFB client failed"
import socket, struct, sys

def recv_exact(s, n):
    buf = b""
    while len(buf) < n:
        chunk = s.recv(n - len(buf))
        if not chunk:
            raise SystemExit("server closed the connection after %d of %d bytes"
                             % (len(buf), n))
        buf += chunk
    return buf

s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
version = recv_exact(s, 12)
if version != b"RFB 003.008\n":
    raise SystemExit("server version %r" % version)
s.sendall(b"RFB 003.008\n")
count = recv_exact(s, 1)[0]
types = list(recv_exact(s, count))
if 1 not in types:
    raise SystemExit("security type None not offered: %r" % types)
s.sendall(bytes([1]))
result = struct.unpack(">I", recv_exact(s, 4))[0]
if result != 0:
    raise SystemExit("security result %d" % result)
s.sendall(bytes([1]))  # ClientInit: shared
width, height = struct.unpack(">HH", recv_exact(s, 4))
recv_exact(s, 16)  # pixel format
name = recv_exact(s, struct.unpack(">I", recv_exact(s, 4))[0]).decode()
if (width, height, name) != (1024, 768, "vncbot practice console"):
    raise SystemExit("ServerInit %dx%d %r" % (width, height, name))

events = [
    (1, 0xffe1), (1, 0x21), (0, 0x21), (0, 0xffe1),  # Shift + '!'
    (1, 0xffe3), (1, 0x63), (0, 0x63), (0, 0xffe3),  # Ctrl + c
    (1, 0x61), (0, 0x61),                            # a
    (1, 0xff08), (0, 0xff08),                        # BackSpace
    (1, 0xff0d), (0, 0xff0d),                        # Return
    (1, 0x010020ac), (0, 0x010020ac),                # U+20AC
]
s.sendall(b"".join(struct.pack(">BBxxI", 4, down, keysym)
                   for down, keysym in events))
s.close()
PYEOF

wait_for "'# disconnect' in the transcript" 10 \
	'grep -q "^# disconnect$" "$work/transcript" 2>/dev/null'

# Assert: exactly these lines, in this order.
expected='# connect 127.0.0.1
down 0xffe1 Shift_L
down 0x0021 exclam
up 0x0021 exclam
up 0xffe1 Shift_L
down 0xffe3 Control_L
down 0x0063 c
up 0x0063 c
up 0xffe3 Control_L
down 0x0061 a
up 0x0061 a
down 0xff08 BackSpace
up 0xff08 BackSpace
down 0xff0d Return
up 0xff0d Return
down 0x10020ac U+20AC
up 0x10020ac U+20AC
# disconnect'
actual=$(cat "$work/transcript")
if [ "$actual" != "$expected" ]; then
	diff <(echo "$expected") <(echo "$actual") >&2 || true
	fail "transcript differs from the events sent (diff: expected, actual)"
fi

# A clean stop: SIGTERM, exit status 0, nothing on stderr.
kill -TERM "$server_pid"
rc=0
wait "$server_pid" || rc=$?
server_pid=
[ "$rc" -eq 0 ] || fail "server exited with status $rc after SIGTERM, expected 0"
[ ! -s "$work/stderr" ] || fail "server wrote to stderr with -q"
echo "PASS: transcript matches the 16 key events sent; exit 0 on SIGTERM"
