# Over a WebSocket (`-c ws://127.0.0.1:PORT/`, the practice console serves WebSocket and
# plain RFB on one port) vncbot sends exactly the key events it sends over plain TCP:
# the same script run both ways leaves the same transcript, and that transcript is the
# expected one.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

script='type "ws!"; key ctrl-alt-del'
cat > "$TEST_TMP/expected" << 'EOF'
down 0x0077 w
up 0x0077 w
down 0x0073 s
up 0x0073 s
down 0xffe1 Shift_L
down 0x0021 exclam
up 0x0021 exclam
up 0xffe1 Shift_L
down 0xffe3 Control_L
down 0xffe9 Alt_L
down 0xffff Delete
up 0xffff Delete
up 0xffe9 Alt_L
up 0xffe3 Control_L
EOF

# Over TCP.
practice_fresh typing_over_tcp
tcp_transcript=$TRANSCRIPT
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e "$script"
assert_key_lines "$tcp_transcript" "$TEST_TMP/expected" "'$script' over TCP"

# Over a WebSocket, to a console of its own.
practice_fresh typing_over_websocket_is_exact
assert_exit 0 "$VNCBOT" -c "ws://127.0.0.1:$PRACTICE_PORT/" -e "$script"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/expected" "'$script' over ws://"
assert_file_equals "$tcp_transcript" "$TRANSCRIPT" \
    "transcript of the ws:// run compared with the TCP run (connect and disconnect lines included)"

# A path and a query, as cloud consoles give them, change nothing for this server.
practice_fresh typing_over_websocket_with_path_and_query
assert_exit 0 "$VNCBOT" -c "ws://127.0.0.1:$PRACTICE_PORT/websockify?token=abc" -e "$script"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/expected" "'$script' over ws:// with /websockify?token=abc"

note "ok: the WebSocket transcript is exact and the same as over TCP"
