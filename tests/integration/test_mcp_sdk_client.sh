# vncbot mcp driven by a real MCP client, the official TypeScript SDK's (npm
# @modelcontextprotocol/sdk, run by node; installed once into the build tree and reused), against
# the practice console (mcp_client.mjs holds the client's side):
#
# - the tools are listed with their schemas; text typed through `type` reaches the console
#   exactly, a secret typed by name too, and its value is in no response, no log line and no
#   evidence file; `capture` returns PNGs of the screen's size and of a region's; run_script
#   runs a file, and sends nothing of one with an error on its last line; a held key
#   (`down shift`) is released when the client closes vncbot's stdin, before the disconnect;
# - `read` returns the text of a console with text on it (the cmd window), a secret the
#   console echoed shown as <secret NAME>;
# - with no console on the command line, `connect` takes one, `disconnect` releases what is
#   held, and the next call connects again;
# - malformed JSON-RPC, unknown tools and bad arguments get JSON-RPC errors (raw lines no SDK
#   sends included), never a crash or a hang, and vncbot exits 0 when stdin ends.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd node nodejs
require_cmd npm npm

# The SDK, installed once per build tree; no registry: a skip, not a failure.
SDK_DIR=${MCP_SDK_DIR:-$(dirname "$VNCBOT")/mcp-sdk}
if [[ ! -e $SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json ]]; then
    mkdir -p "$SDK_DIR" || setup_fail "cannot make $SDK_DIR"
    run_bounded 300 npm install --prefix "$SDK_DIR" --no-audit --no-fund @modelcontextprotocol/sdk
    [[ $LAST_RC == 0 && -e $SDK_DIR/node_modules/@modelcontextprotocol/sdk/package.json ]] ||
        skip "npm could not install @modelcontextprotocol/sdk (exit $LAST_RC; no registry?): $(tail -n 3 "$LAST_ERR")"
fi
export MCP_SDK_DIR=$SDK_DIR VNCBOT
CLIENT=$VB_LIB_DIR/mcp_client.mjs

# client SCENARIO: run the client's scenario, bounded; fail with what it said.
client() {
    export MCP_STDERR=$TEST_TMP/$1.stderr MCP_RESPONSES=$TEST_TMP/$1.responses
    : > "$MCP_STDERR"
    : > "$MCP_RESPONSES"
    log_add "$MCP_STDERR"
    run_bounded 120 node "$CLIENT" "$1"
    [[ $LAST_RC == 0 ]] ||
        fail "the MCP client's $1 scenario exited $LAST_RC: $(cat "$LAST_OUT" "$LAST_ERR")"
    grep -q '^ok: ' "$LAST_OUT" || fail "the MCP client's $1 scenario checked nothing: $(cat "$LAST_ERR")"
    note "$(cat "$LAST_OUT")"
    assert_not_contains "$MCP_STDERR" "Sanitizer" "vncbot's stderr in the $1 scenario"
}

# 1. A session on the echo console: tools, typing, a secret, captures, errors, a held key.
name=session
practice_fresh $name
export MCP_ADDR=$PRACTICE_ADDR MCP_RECORD=$TEST_TMP/evidence MCP_SECRET='Pw-9#x!'
export MCP_SCRIPT_OK=$TEST_TMP/ok.vnc MCP_SCRIPT_BAD=$TEST_TMP/bad.vnc
printf 'type "from a file"\nkey enter\n' > "$MCP_SCRIPT_OK"
printf 'type "never sent"\nkey nosuchkey\n' > "$MCP_SCRIPT_BAD"
client session
{
    echo '# connect 127.0.0.1'
    expected_typing $'hello mcp\n'
    expected_typing "$MCP_SECRET"
    expected_typing $'from a file\n'
    ev down 0xffe1 Shift_L
    ev up 0xffe1 Shift_L
    echo '# disconnect'
} > "$TEST_TMP/$name.expected"
assert_transcript "$TRANSCRIPT" "$TEST_TMP/$name.expected" \
    "type, type_secret, then down shift and stdin closed"
assert_contains "$MCP_STDERR" "stdin closed" "vncbot's log: the end of stdin ended it"
assert_not_contains "$MCP_STDERR" "stopped by signal" "vncbot's log (no SIGTERM needed)"
[[ -s $MCP_RECORD/events.jsonl ]] || fail "--record kept no events.jsonl"
steps=$(grep -c '"event":"step"' "$MCP_RECORD/events.jsonl" || true)
((steps >= 6)) || fail "--record: each tool call a step, found $steps in events.jsonl"
for f in "$MCP_RESPONSES" "$MCP_STDERR" "$MCP_RECORD"/*; do
    if grep -qaF -- "$MCP_SECRET" "$f"; then
        fail "the secret's value is in $f"
    fi
done
note "ok: the secret's value is in no response, no log line and no evidence file ($(ls "$MCP_RECORD" | wc -l) files)"

# 2. read on a console with text, and with a secret the console echoed.
practice_fresh read --start cmd
MCP_ADDR=$PRACTICE_ADDR MCP_SECRET=Tulip42zebra client read
if grep -qaiF -- Tulip42zebra "$MCP_RESPONSES" "$MCP_STDERR"; then
    fail "the read scenario's secret is in a response or the log"
fi

# 3. No console on the command line: connect, disconnect, connect again.
name=connect_later
practice_fresh $name
MCP_ADDR=$PRACTICE_ADDR client connectLater
{
    echo '# connect 127.0.0.1'
    ev down 0xffe3 Control_L
    ev up 0xffe3 Control_L
    echo '# disconnect'
    echo '# connect 127.0.0.1'
    press 0x0062 b
    echo '# disconnect'
} > "$TEST_TMP/$name.expected"
assert_transcript "$TRANSCRIPT" "$TEST_TMP/$name.expected" \
    "connect, down ctrl, disconnect, key b (connecting again)"

# 4. Raw lines: malformed JSON-RPC.
client raw

# 5. SIGTERM and SIGINT while a key is held: released before the disconnect.
for sig in TERM INT; do
    name=signal_$sig
    practice_fresh $name
    MCP_ADDR=$PRACTICE_ADDR MCP_SIGNAL=$sig client signal
    {
        echo '# connect 127.0.0.1'
        ev down 0xffe9 Alt_L
        ev up 0xffe9 Alt_L
        echo '# disconnect'
    } > "$TEST_TMP/$name.expected"
    assert_transcript "$TRANSCRIPT" "$TEST_TMP/$name.expected" "down alt, then SIG$sig"
    assert_contains "$MCP_STDERR" "stopped by signal" "vncbot's log after SIG$sig"
done

# 6. The console drops while a key is held: reported, and the server goes on.
practice_fresh drop
export MCP_READY=$TEST_TMP/drop.ready MCP_GONE=$TEST_TMP/drop.gone
( wait_until 30 "[[ -e $MCP_READY ]]" && stop_pid "$PRACTICE_PID" practice && : > "$MCP_GONE" ) &
stopper=$!
MCP_ADDR=$PRACTICE_ADDR client drop
wait "$stopper"
