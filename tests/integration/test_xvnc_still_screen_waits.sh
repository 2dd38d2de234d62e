# A wait on a still screen costs nothing: the screen is looked at when the wait begins and
# again only when an update arrives (or, for settled, when the quiet time is up), never on
# a timer; a still Xvnc screen sends no pixels meanwhile. vncbot -v says after each screen
# wait how many updates and pixels arrived and how many times it looked. The waits still
# see what does change (typed text), and each kind ends with the exit status and message a
# user reads.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_xvnc_tools
require_vncbot

start_xvnc --geometry 1024x768
start_xterm_cat "$TEST_TMP/typed"
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

# looked: the number of looks in the last "screen wait:" line of $LAST_ERR.
looked() { sed -n 's/.*screen wait: .* looked \([0-9]*\) time.*/\1/p' "$LAST_ERR" | tail -n 1; }
# arrived_pixels: the pixels that arrived during the last screen wait.
arrived_pixels() { sed -n 's/.*screen wait: [0-9]* updates\{0,1\} (\([0-9]*\) pixels).*/\1/p' "$LAST_ERR" | tail -n 1; }

# 1. Nothing changes for 2 s: `changed` times out (exit 1, what it waited for), and the
#    screen was looked at once (the polling wait looked 20 times, every 100 ms).
assert_exit 1 "$VNCBOT" -v -c "$XVNC_ADDR" -e 'expect changed timeout 2s'
assert_contains "$LAST_ERR" "expect timed out after 2s waiting for the screen to change"
n=$(looked)
[[ -n $n ]] || fail "vncbot -v printed no 'screen wait:' line: $(tail -n 5 "$LAST_ERR")"
((n <= 2)) || fail "a 2 s wait on a still screen looked at it $n times; expected once (twice if the idle probe was answered)"
px=$(arrived_pixels)
((px <= 2)) || fail "a still screen sent $px pixels during a 2 s wait; expected none (1 for an idle probe)"

# 2. settled on the still screen holds after the quiet time, looked at twice: at the start,
#    and when the quiet time is up.
assert_exit 0 "$VNCBOT" -v -c "$XVNC_ADDR" -e 'expect settled 1s timeout 10s'
n=$(looked)
((n <= 2)) || fail "settled 1s on a still screen looked at it $n times; expected 2"

# 3. What changes is seen: typed text changes the screen after the keys.
assert_exit 0 "$VNCBOT" -v -c "$XVNC_ADDR" -e 'type "still"; expect changed timeout 10s; key enter; expect settled 300ms timeout 10s'
wait_until 10 "grep -qx still '$TEST_TMP/typed'" || fail "the typed line did not reach xterm"

# 4. image and colour: a needle cut from the screen is found; one that is not there and a
#    colour that is not there time out with exit 1 and what was seen.
assert_exit 0 "$VNCBOT" -q -c "$XVNC_ADDR" -e 'capture "corner.png" in 0,0,160,60'
assert_exit 0 "$VNCBOT" -q -c "$XVNC_ADDR" -e 'expect image "corner.png" timeout 10s'
python3 - "$TEST_TMP/absent.png" << 'PY' || setup_fail "could not write a needle"
import random, struct, sys, zlib
w, h = 64, 32
random.seed(3)
raw = b"".join(b"\0" + bytes(random.randrange(256) for _ in range(w * 3)) for _ in range(h))
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                              + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
PY
assert_exit 1 "$VNCBOT" -v -c "$XVNC_ADDR" -e 'expect image "absent.png" timeout 1s'
assert_contains "$LAST_ERR" "expect timed out after 1s waiting for image absent.png"
assert_contains "$LAST_ERR" "best seen"
n=$(looked)
((n <= 2)) || fail "an image wait on a still screen searched it $n times; expected once"
assert_exit 1 "$VNCBOT" -q -c "$XVNC_ADDR" -e 'expect colour 0xFF00FF 50% timeout 1s'
assert_contains "$LAST_ERR" "colour #FF00FF to cover 50% on the screen (seen 0.0%)"
exit 0
