# Text on an X screen read by OCR (issue 13): an xterm on Xvnc running a shell, in DejaVu
# Sans Mono 11 pt, dark on light as xterm draws by default. `expect text` waits for the
# line the shell printed, not the command typed (the shell composes HERON46 from two
# variables: the word is never typed); a wait for it before Enter times out with exit 1
# and the closest text; `read` puts the printed line into a variable; `vncbot ocr` prints
# it with its box.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot
require_xvnc_tools
[[ -r /usr/share/tesseract-ocr/5/tessdata/eng.traineddata || -n ${TESSDATA_PREFIX:-} ]] ||
    skip "no Tesseract English data (Debian: apt-get install tesseract-ocr-eng)"
fc-list 2> /dev/null | grep -q 'DejaVu Sans Mono' ||
    skip "no DejaVu Sans Mono (Debian: apt-get install fonts-dejavu-core)"
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

start_xvnc
# With no window manager, keyboard focus follows the pointer, which starts in the middle
# of the screen: inside this window at +0+0.
XTERM_TITLE=vbocr-$$-$RANDOM
DISPLAY=$XVNC_DISPLAY xterm -title "$XTERM_TITLE" -fa 'DejaVu Sans Mono' -fs 11 \
    -geometry 120x40+0+0 -e env PS1='ready> ' sh > xterm.log 2>&1 &
XTERM_PID=$!
cleanup_add "stop_pid $XTERM_PID xterm"
log_add "$TEST_TMP/xterm.log"
wait_until 20 "! pid_alive $XTERM_PID || xterm_window_viewable" && pid_alive "$XTERM_PID" ||
    setup_fail "xterm on $XVNC_DISPLAY did not show its window within 20 s: $(tail -n 5 xterm.log)"
vb=("$VNCBOT" -q -c "$XVNC_ADDR")

# The shell's prompt, read off the screen, says it is ready for keys.
assert_exit 0 "${vb[@]}" -e 'expect text "ready>" timeout 20s'

# 1. Typed, not run: the screen shows `echo "$A$B"`, never HERON46.
assert_exit 1 "${vb[@]}" -e 'type "A=HERON; B=46\n"; type "echo \"$A$B\""' \
    -e 'expect text "HERON46" timeout 3s'
assert_one_reason "$LAST_ERR" "a timed-out expect text"
assert_matches "$LAST_ERR" "waiting for text \"HERON46\" on the screen similar 90% \\(closest seen: '[^']+' \\([0-9]+%\\) at [0-9]+,[0-9]+\\)"

# 2. Enter runs it: the shell prints HERON46 and the wait sees it.
assert_exit 0 "${vb[@]}" -e 'key enter; expect text "HERON46" timeout 20s'

# 3. vncbot ocr prints the line with its box; read takes it into a variable.
assert_exit 0 "${vb[@]}" ocr
line_re='^([0-9]+),([0-9]+) ([0-9]+)x([0-9]+)  HERON46$'
assert_matches "$LAST_OUT" "$line_re" "vncbot ocr's output"
[[ $(grep -E "$line_re" "$LAST_OUT" | head -n 1) =~ $line_re ]]
x=${BASH_REMATCH[1]} y=${BASH_REMATCH[2]} w=${BASH_REMATCH[3]} h=${BASH_REMATCH[4]}
box=$((x > 4 ? x - 4 : 0)),$((y > 4 ? y - 4 : 0)),$((w + 8)),$((h + 8))
assert_exit 1 "${vb[@]}" -e "read WORD in $box" -e 'fail "the shell said ${WORD}"'
assert_contains "$LAST_ERR" "error: the shell said HERON46"

# 4. A text nowhere on the screen: exit 1 with the closest text.
assert_exit 1 "${vb[@]}" -e 'expect text "PINEAPPLE 7731" timeout 2s'
assert_contains "$LAST_ERR" "closest seen: '"
exit 0
