# A session recorded through the transport (record_path) leaves an FBS capture that replays
# into PNG frames showing the console: over plain TCP and over ws://, so both backends'
# recording taps are proven. The last frame is the practice console's 1024x768 screen with
# its title bar colour (0x1F3A68) at 1000,10 (right of the title text). A capture path that cannot be created fails the
# run before it connects, naming the path.
#
# Uses tests/tools/record_probe.c ($RECORD_PROBE, set by ctest): it runs a session with
# the capture on (a pause, a few keys), closes, replays, and prints what the frames show.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

: "${RECORD_PROBE:=$PROJECT_DIR/build/tests/record_probe}"
[[ -x $RECORD_PROBE ]] || setup_fail "record_probe not found or not executable: $RECORD_PROBE (build it, or set RECORD_PROBE)"
require_practice

# probe_value KEY: the value of "KEY VALUE" in the probe's stdout.
probe_value() { awk -v k="$1" '$1 == k { print $2; exit }' "$LAST_OUT"; }

# check_capture WHAT CAPTURE FRAMEDIR: the capture starts with the FBS header and its
# first block holds the server's RFB version; the replayed frames end with the console.
check_capture() {
    local what=$1 capture=$2 dir=$3 frames header
    header=$(head -c 12 -- "$capture")
    assert_eq "FBS 001.000" "$header" "$what: first line of the capture"
    # The first block: 4 bytes of length, then the stream, which starts "RFB 003.008\n".
    assert_eq "RFB 003.008" "$(tail -c +17 -- "$capture" | head -c 11)" "$what: start of the recorded stream"
    frames=$(probe_value frames)
    [[ $frames =~ ^[0-9]+$ ]] && ((frames >= 2)) ||
        fail "$what: expected at least 2 frames (the first screen, then the keys' echo), got '$frames'; probe said: $(cat "$LAST_OUT")"
    [[ -s $dir/frame-00001.png && -s $dir/$(printf 'frame-%05d.png' "$frames") ]] ||
        fail "$what: frame files missing in $dir: $(ls "$dir" | head)"
    [[ ! -e $dir/$(printf 'frame-%05d.png' "$((frames + 1))") ]] ||
        fail "$what: more frame files than the $frames reported"
    assert_eq 1024x768 "$(probe_value last)" "$what: size of the last frame"
    assert_eq 1F3A68 "$(probe_value pixel)" "$what: colour at 1000,10 of the last frame (the title bar)"
    note "ok: $what: $(probe_value recorded) bytes recorded, $frames frames"
}

# Over TCP.
practice_fresh recorded_over_tcp
assert_exit 0 "$RECORD_PROBE" "$PRACTICE_ADDR" "$TEST_TMP/tcp.fbs" "$TEST_TMP/tcp-frames"
check_capture "capture over TCP" "$TEST_TMP/tcp.fbs" "$TEST_TMP/tcp-frames"

# Over a WebSocket: the same console answers WebSocket on its port.
practice_fresh recorded_over_websocket
assert_exit 0 "$RECORD_PROBE" "ws://127.0.0.1:$PRACTICE_PORT/" "$TEST_TMP/ws.fbs" "$TEST_TMP/ws-frames"
check_capture "capture over ws://" "$TEST_TMP/ws.fbs" "$TEST_TMP/ws-frames"

# Sampled by capture time: one frame per 60 s of a run of about a second is the first
# screen plus the last.
practice_fresh recorded_and_sampled
assert_exit 0 "$RECORD_PROBE" "$PRACTICE_ADDR" "$TEST_TMP/sampled.fbs" "$TEST_TMP/sampled-frames" 60000
assert_eq 2 "$(probe_value frames)" "frames of a ~1 s capture replayed at one per 60 s (first + last)"
assert_eq 1F3A68 "$(probe_value pixel)" "colour at 1000,10 of the last sampled frame"

# A capture that cannot be created: an error naming the path, and no connection made.
practice_fresh unwritable_capture
assert_exit 1 "$RECORD_PROBE" "$PRACTICE_ADDR" "$TEST_TMP/no/such/dir/c.fbs" "$TEST_TMP/x-frames"
assert_contains "$LAST_ERR" "cannot create the capture '$TEST_TMP/no/such/dir/c.fbs'" "the error for an unwritable capture"
sleep 0.5
(($(connect_count "$TRANSCRIPT") == 0)) ||
    fail "the console saw a connection although the capture could not be created: $(cat "$TRANSCRIPT")"

note "ok: captures over TCP and ws:// replay to the console's screen"
