# vncbot's WebSocket handshake carries what cloud consoles check: the path and query byte
# for byte, the Host header, Origin (http://HOST:PORT by default, exactly --origin when
# given), the subprotocol "binary", and every -H header exactly as written; and a Tencent
# console page URL (...index.html?InstanceVncUrl=ws%3A%2F%2F...) reaches the WebSocket URL
# it carries.
#
# Arrange: a fake WebSocket server on 127.0.0.1 that records the request head byte for
# byte and closes without answering (one per run). Act: vncbot connects to it. Assert:
# vncbot exits 3 (the server never upgraded), and the recorded request line and headers
# are exactly the expected ones.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/ws-lib.sh" || exit 1

require_cmd python3 python3
require_vncbot

# handshake_of WHAT VNCBOT-ARGS...: start a fake server, run vncbot with ARGS (the address
# may use @PORT@ for the server's port), require exit 3 and a recorded request.
handshake_of() {
    local what=$1 a args=()
    shift
    start_fake_ws_server
    for a in "$@"; do args+=("${a//@PORT@/$FAKE_WS_PORT}"); done
    VB_CMD_TIMEOUT=30 assert_exit 3 "$VNCBOT" --connect-timeout 5s "${args[@]}" -e 'type "x"'
    assert_one_reason "$LAST_ERR" "$what: stderr after the server closed"
    wait_until 10 "[[ -e '$FAKE_WS_REQUEST' ]]" ||
        fail "$what: the fake server recorded no request (vncbot stderr: $(cat "$LAST_ERR"))"
    note "$what: exit 3: $(head -n 1 "$LAST_ERR")"
}

# request_line_is EXPECTED WHAT: the first line of the recorded request.
request_line_is() {
    local line
    IFS= read -r line < "$FAKE_WS_REQUEST"
    assert_eq "$1" "${line%$'\r'}" "$2: request line"
}

# header_is NAME EXPECTED WHAT: header NAME appears exactly once, with value EXPECTED.
header_is() {
    local values
    values=$(request_header "$FAKE_WS_REQUEST" "$1")
    assert_eq "$2" "$values" "$3: '$1' header (all its values, one a line; request: $(tr '\r\n' ' |' < "$FAKE_WS_REQUEST"))"
}

# protocols_include NAME WHAT: Sec-WebSocket-Protocol offers NAME (comma-separated list).
protocols_include() {
    local p
    p=$(request_header "$FAKE_WS_REQUEST" Sec-WebSocket-Protocol)
    [[ ",${p// /}," == *",$1,"* ]] ||
        fail "$2: Sec-WebSocket-Protocol does not offer '$1': '$p'"
    [[ ",${p// /}," != *",base64,"* ]] ||
        fail "$2: Sec-WebSocket-Protocol offers base64 (libvncserver would switch to text frames): '$p'"
}

# 1. Path and query byte for byte, extra headers exactly, default Origin, subprotocol.
handshake_of "headers" -c 'ws://127.0.0.1:@PORT@/vnc?s=aBc%2Fx&t=1' \
    -H 'Cookie: PVEAuthCookie=x' -H 'X-Token: y'
request_line_is 'GET /vnc?s=aBc%2Fx&t=1 HTTP/1.1' "headers"
header_is Cookie 'PVEAuthCookie=x' "headers"
header_is X-Token 'y' "headers"
header_is Host "127.0.0.1:$FAKE_WS_PORT" "headers"
header_is Origin "http://127.0.0.1:$FAKE_WS_PORT" "headers (default Origin)"
header_is Upgrade websocket "headers"
header_is Sec-WebSocket-Version 13 "headers"
protocols_include binary "headers"
# The -H lines as they were given, byte for byte (name case and the space after the colon).
grep -q $'^Cookie: PVEAuthCookie=x\r$' "$FAKE_WS_REQUEST" ||
    fail "headers: no line 'Cookie: PVEAuthCookie=x' exactly as given; request: $(tr '\r\n' ' |' < "$FAKE_WS_REQUEST")"
grep -q $'^X-Token: y\r$' "$FAKE_WS_REQUEST" ||
    fail "headers: no line 'X-Token: y' exactly as given; request: $(tr '\r\n' ' |' < "$FAKE_WS_REQUEST")"

# 2. --origin is sent exactly as given, once.
handshake_of "--origin" -c 'ws://127.0.0.1:@PORT@/' --origin https://console.example.com
request_line_is 'GET / HTTP/1.1' "--origin"
header_is Origin 'https://console.example.com' "--origin"
header_is Host "127.0.0.1:$FAKE_WS_PORT" "--origin"
protocols_include binary "--origin"

# 3. A Tencent console page URL: the WebSocket URL inside InstanceVncUrl is the one used.
handshake_of "Tencent page URL" \
    -c 'https://img.qcloud.com/qcloud/app/active_vnc/index.html?InstanceVncUrl=ws%3A%2F%2F127.0.0.1%3A@PORT@%2Fvnc%3Fs%3Dtok'
request_line_is 'GET /vnc?s=tok HTTP/1.1' "Tencent page URL"
header_is Host "127.0.0.1:$FAKE_WS_PORT" "Tencent page URL"
protocols_include binary "Tencent page URL"

note "ok: path, query, Host, Origin, subprotocol and -H headers sent exactly; the Tencent page URL is followed"
