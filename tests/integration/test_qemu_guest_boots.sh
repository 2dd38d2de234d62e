# The QEMU test guest works end to end, without vncbot: it boots under QEMU (software
# emulation), QEMU's VNC port answers "RFB 003.008\n", its WebSocket port upgrades a
# `GET /` (101, binary subprotocol) and then speaks RFB, keys sent as RFB KeyEvents by a
# minimal client below reach the guest's console (each typed line comes back on the serial
# port byte for byte, all 95 printable ASCII characters included), and Ctrl-Alt-Del reaches
# the guest's init without rebooting it. The other QEMU tests rely on all of this.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/qemu-lib.sh" || exit 1

require_qemu
build_qemu_guest
note "guest ready in $QEMU_GUEST_DIR (${QEMU_BUILD_SECONDS} s)"
# shellcheck disable=SC2119 # no arguments: it picks free ports itself
start_qemu_guest
note "$QEMU_VERSION: guest ready after ${QEMU_BOOT_SECONDS} s; VNC 127.0.0.1:$QEMU_VNC_PORT, WebSocket $QEMU_WS_URL"

# A minimal RFB client: security None, ClientInit, KeyEvents (no framebuffer requests, so
# QEMU sends nothing after ServerInit). Exit 0 ok, 1 the server answered something else.
rfb=$TEST_TMP/rfb.py
cat > "$rfb" << 'EOF'
import base64, hashlib, socket, struct, sys, time

SHIFT_L, CONTROL_L, ALT_L, DELETE, RETURN = 0xffe1, 0xffe3, 0xffe9, 0xffff, 0xff0d
# The characters a US keyboard types with Shift (QEMU maps keysyms to keys without adding it).
SHIFTED = set('ABCDEFGHIJKLMNOPQRSTUVWXYZ~!@#$%^&*()_+{}|:"<>?')

def die(msg):
    sys.stderr.write(msg + '\n')
    sys.exit(1)

def recv_exact(s, n, what):
    b = b''
    while len(b) < n:
        try:
            c = s.recv(n - len(b))
        except socket.timeout:
            die('%s: timed out after %d of %d bytes: %r' % (what, len(b), n, b))
        if not c:
            die('%s: connection closed after %d of %d bytes: %r' % (what, len(b), n, b))
        b += c
    return b

def connect(port):
    s = socket.create_connection(('127.0.0.1', port), timeout=10)
    s.settimeout(10)
    return s

def rfb_version(port):
    s = connect(port)
    got = recv_exact(s, 12, 'RFB version')
    if got != b'RFB 003.008\n':
        die('RFB port %d sent %r, expected %r' % (port, got, b'RFB 003.008\n'))

def ws_upgrade(port):
    key = base64.b64encode(b'vncbot-test-key!').decode()
    s = connect(port)
    s.sendall(('GET / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\n'
               'Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n'
               'Sec-WebSocket-Protocol: binary\r\n\r\n' % (port, key)).encode())
    head = b''
    while b'\r\n\r\n' not in head:
        head += recv_exact(s, 1, 'WebSocket handshake answer (so far %r)' % head)
    head, rest = head.split(b'\r\n\r\n', 1)
    lines = head.decode('latin1').split('\r\n')
    if not lines[0].startswith('HTTP/1.1 101'):
        die('WebSocket port %d answered %r, expected HTTP/1.1 101' % (port, lines[0]))
    hdr = {}
    for l in lines[1:]:
        k, _, v = l.partition(':')
        hdr[k.strip().lower()] = v.strip()
    accept = base64.b64encode(hashlib.sha1((key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').encode()).digest()).decode()
    if hdr.get('sec-websocket-accept') != accept:
        die('Sec-WebSocket-Accept is %r, expected %r' % (hdr.get('sec-websocket-accept'), accept))
    if hdr.get('sec-websocket-protocol', 'binary') != 'binary':
        die('Sec-WebSocket-Protocol is %r, expected binary' % hdr['sec-websocket-protocol'])
    # Then RFB inside WebSocket: one binary frame (FIN, opcode 2), unmasked, 12 bytes.
    frame = (rest + recv_exact(s, max(0, 14 - len(rest)), 'first WebSocket frame'))[:14]
    if frame != b'\x82\x0cRFB 003.008\n':
        die('first WebSocket frame is %r, expected %r' % (frame, b'\x82\x0cRFB 003.008\n'))

def rfb_session(port):
    s = connect(port)
    ver = recv_exact(s, 12, 'RFB version')
    if not ver.startswith(b'RFB 003.'):
        die('not an RFB server: %r' % ver)
    s.sendall(b'RFB 003.008\n')
    n = recv_exact(s, 1, 'security type count')[0]
    if n == 0:
        ln = struct.unpack('>I', recv_exact(s, 4, 'reason length'))[0]
        die('server refused: %r' % recv_exact(s, ln, 'reason'))
    types = recv_exact(s, n, 'security types')
    if 1 not in types:
        die('security type None not offered (offered %r)' % list(types))
    s.sendall(b'\x01')
    res = struct.unpack('>I', recv_exact(s, 4, 'SecurityResult'))[0]
    if res != 0:
        die('SecurityResult %d' % res)
    s.sendall(b'\x01')  # ClientInit: shared
    w, h = struct.unpack('>HH', recv_exact(s, 4, 'ServerInit size'))
    recv_exact(s, 16, 'ServerInit pixel format')
    ln = struct.unpack('>I', recv_exact(s, 4, 'ServerInit name length'))[0]
    recv_exact(s, ln, 'ServerInit name')
    return s

def send_keys(s, events, delay):
    for sym, down in events:
        s.sendall(struct.pack('>BBxxI', 4, down, sym))  # KeyEvent
        time.sleep(delay)

def text_events(text):
    ev = []
    for ch in text:
        sym = ord(ch)
        if ch in SHIFTED:
            ev += [(SHIFT_L, 1), (sym, 1), (sym, 0), (SHIFT_L, 0)]
        else:
            ev += [(sym, 1), (sym, 0)]
    return ev + [(RETURN, 1), (RETURN, 0)]

cmd, port = sys.argv[1], int(sys.argv[2])
if cmd == 'rfb-version':
    rfb_version(port)
elif cmd == 'ws-upgrade':
    ws_upgrade(port)
elif cmd == 'type':      # type PORT DELAY_MS LINE...: each LINE then Return
    s = rfb_session(port)
    for line in sys.argv[4:]:
        send_keys(s, text_events(line), float(sys.argv[3]) / 1000)
    time.sleep(0.2)
elif cmd == 'ctrl-alt-del':
    s = rfb_session(port)
    send_keys(s, [(CONTROL_L, 1), (ALT_L, 1), (DELETE, 1), (DELETE, 0), (ALT_L, 0), (CONTROL_L, 0)],
              float(sys.argv[3]) / 1000)
    time.sleep(0.2)
else:
    die('unknown command ' + cmd)
EOF

# 20 ms between key events: above QEMU's 10 ms key delay, so its key queue never fills
# (it drops events beyond about 340 queued ones; see qemu/README.md).
PACE_MS=20

# --- the RFB port -------------------------------------------------------------------------
run_bounded 20 python3 "$rfb" rfb-version "$QEMU_VNC_PORT"
((LAST_RC == 0)) ||
    fail "QEMU's VNC port 127.0.0.1:$QEMU_VNC_PORT did not greet with 'RFB 003.008\\n': $(cat "$LAST_ERR")"

# --- the WebSocket port -------------------------------------------------------------------
run_bounded 20 python3 "$rfb" ws-upgrade "$QEMU_WS_PORT"
((LAST_RC == 0)) ||
    fail "QEMU's WebSocket port $QEMU_WS_PORT: $(cat "$LAST_ERR")"

# --- typing: lines typed over RFB come back on the serial port byte for byte ---------------
# shellcheck disable=SC2016 # the $ and backquotes are text to type
lines=(hello "$(printable_ascii)" '  two  spaces \ and "quotes" $HOME `x` ~^#  ')
printf '%s\n' "${lines[@]}" > "$TEST_TMP/typed.expected"
serial_mark
run_bounded 60 python3 "$rfb" type "$QEMU_VNC_PORT" "$PACE_MS" "${lines[@]}"
((LAST_RC == 0)) || fail "typing over RFB failed: $(cat "$LAST_ERR")"
if ! wait_typed_line "${lines[-1]}" 30; then
    pid_alive "$QEMU_PID" || fail "QEMU exited while keys were typed: $(tail -n 5 "$QEMU_LOG")"
    fail "the guest reported no line '${lines[-1]}' within 30 s of typing it; lines it reported: $(typed_lines | head -n 5)"
fi
typed_lines > "$TEST_TMP/typed.got"
assert_file_equals "$TEST_TMP/typed.expected" "$TEST_TMP/typed.got" "lines the guest read from its console"

# --- Ctrl-Alt-Del reaches init's ::ctrlaltdel: action, and the guest keeps running ---------
serial_mark
run_bounded 30 python3 "$rfb" ctrl-alt-del "$QEMU_VNC_PORT" "$PACE_MS"
((LAST_RC == 0)) || fail "sending Ctrl-Alt-Del over RFB failed: $(cat "$LAST_ERR")"
wait_serial_line "$QEMU_CAD_MARKER" 20 ||
    fail "no $QEMU_CAD_MARKER on the serial port within 20 s of Ctrl-Alt-Del (QEMU $(pid_alive "$QEMU_PID" && echo running || echo exited); serial since: '$(serial_lines | head -c 300)')"
run_bounded 30 python3 "$rfb" type "$QEMU_VNC_PORT" "$PACE_MS" after-cad
((LAST_RC == 0)) || fail "typing after Ctrl-Alt-Del failed: $(cat "$LAST_ERR")"
wait_typed_line after-cad 20 ||
    fail "the console did not read 'after-cad' after Ctrl-Alt-Del (QEMU $(pid_alive "$QEMU_PID" && echo running || echo exited)); serial since: '$(serial_lines | head -c 300)'"

note "ok: RFB and WebSocket ports answer; ${#lines[@]} typed lines arrived exactly; Ctrl-Alt-Del reached init"
