# Text on the practice console's screen, read by OCR (issue 13), in its administrator cmd
# window and bitmap font: `expect text` waits for what the machine printed, not what was
# typed (cmd composes HERON46 from two variables: the word is never typed); a text that
# never comes times out with exit 1 and the closest text seen and where; `if text` picks
# its branch; `read` puts the printed line into a variable and the evidence (events.jsonl,
# report.html); `vncbot ocr` prints each line with its box, live and from a PNG; `check`
# knows the statements; a missing eng.traineddata is exit 2 with the package to install;
# a script without text statements never loads Tesseract.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
[[ -r /usr/share/tesseract-ocr/5/tessdata/eng.traineddata || -n ${TESSDATA_PREFIX:-} ]] ||
    skip "no Tesseract English data (Debian: apt-get install tesseract-ocr-eng)"
practice_fresh ocr --start cmd
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR")

# 1. The command is typed but not run: the screen shows `echo %A%%B%`, never HERON46, so
# the wait times out (exit 1) and says what it saw closest, and where.
assert_exit 1 "${vb[@]}" -e 'type "set A=HERON& set B=46\n"; type "echo %A%%B%"' \
    -e 'expect text "HERON46" timeout 3s'
assert_one_reason "$LAST_ERR" "a timed-out expect text"
assert_matches "$LAST_ERR" "expect timed out after 3s waiting for text \"HERON46\" on the screen similar 90% \\(closest seen: '[^']+' \\([0-9]+%\\) at [0-9]+,[0-9]+\\)"

# 2. Enter runs it: cmd prints HERON46, and the wait sees it.
assert_exit 0 "${vb[@]}" -e 'key enter; expect text "HERON46" timeout 20s'

# 3. A text that is nowhere: exit 1, with the closest text and its place.
assert_exit 1 "${vb[@]}" -e 'expect text "PINEAPPLE 7731" in 0,40,1024,700 timeout 2s'
assert_matches "$LAST_ERR" "waiting for text \"PINEAPPLE 7731\" in 0,40,1024,700 similar 90% \\(closest seen: '[^']+' \\([0-9]+%\\) at [0-9]+,[0-9]+\\)"

# 4. if text decides on the screen as it is, in a retry too.
assert_exit 1 "${vb[@]}" -e 'retry 2 { if text "HERON46" { fail "saw HERON46" } else { fail "no HERON46" } }'
assert_contains "$LAST_ERR" "error: saw HERON46"
assert_exit 1 "${vb[@]}" -e 'if text "PINEAPPLE 7731" { fail "saw it" } else { fail "nothing" }'
assert_contains "$LAST_ERR" "error: nothing"

# 5. vncbot ocr: each line with its box; HERON46 is a line of its own.
assert_exit 0 "${vb[@]}" ocr
line_re='^([0-9]+),([0-9]+) ([0-9]+)x([0-9]+)  HERON46$'
assert_matches "$LAST_OUT" "$line_re" "vncbot ocr's output"
grep -vqE '^[0-9]+,[0-9]+ [0-9]+x[0-9]+  .+$' "$LAST_OUT" &&
    fail "vncbot ocr printed a line that is not 'X,Y WxH  TEXT': $(grep -vE '^[0-9]+,[0-9]+ [0-9]+x[0-9]+  ' "$LAST_OUT" | head -n 3)"
[[ $(grep -E "$line_re" "$LAST_OUT" | head -n 1) =~ $line_re ]]
x=${BASH_REMATCH[1]} y=${BASH_REMATCH[2]} w=${BASH_REMATCH[3]} h=${BASH_REMATCH[4]}
box=$((x > 4 ? x - 4 : 0)),$((y > 4 ? y - 4 : 0)),$((w + 8)),$((h + 8))

# 6. read: the line in its box into a variable, and the whole screen into the evidence.
assert_exit 1 "${vb[@]}" --record ev -e "read WORD in $box" -e 'read SCREEN' \
    -e 'fail "the machine said ${WORD}"'
assert_contains "$LAST_ERR" "error: the machine said HERON46"
grep '"event":"read"' ev/events.jsonl > reads.jsonl || fail "events.jsonl has no read event"
assert_contains reads.jsonl '"text":"HERON46"' "the read event of the line"
assert_matches reads.jsonl '"text":"[^"]*\\nHERON46\\n' "the read event of the whole screen"
assert_contains ev/report.html "the screen said:" "report.html"
assert_matches ev/report.html "the screen said:</b> <code>HERON46</code>" "report.html"

# 7. vncbot ocr FILE.png: the same screen from a PNG, no console; --region reads a part.
assert_exit 0 "${vb[@]}" capture shot.png
assert_exit 0 "$VNCBOT" ocr shot.png
assert_matches "$LAST_OUT" "$line_re" "vncbot ocr shot.png"
assert_exit 0 "$VNCBOT" ocr --region "$box" shot.png
[[ $(cat "$LAST_OUT") =~ ^[0-9]+,[0-9]+\ [0-9]+x[0-9]+\ \ HERON46$ ]] ||
    fail "vncbot ocr --region $box shot.png should print HERON46 alone, printed: $(cat "$LAST_OUT")"
assert_exit 2 "$VNCBOT" ocr --region 2000,0,10,10 shot.png
assert_contains "$LAST_ERR" "lies outside shot.png (1024x768)"

# A PNG of a known screen (xterm, DejaVu Sans Mono 10 pt): its lines, with their boxes.
assert_exit 0 "$VNCBOT" ocr "$PROJECT_DIR/tests/data/ocr/xterm-dejavu-10pt.png"
assert_matches "$LAST_OUT" '^[0-9]+,[0-9]+ [0-9]+x[0-9]+  Press Ctrl\+Alt\+Delete to unlock\.$'
assert_matches "$LAST_OUT" '^[0-9]+,[0-9]+ [0-9]+x[0-9]+  The operation completed successfully\.$'

# The command line's contract: a console or a PNG, one of them; exit 3 for a console
# that is not there, 2 for a file that is not a PNG.
assert_exit 2 "$VNCBOT" ocr
assert_contains "$LAST_ERR" "'ocr' needs a console: give -c ADDRESS"
assert_contains "$LAST_ERR" "hint: or a screenshot: vncbot ocr FILE.png"
assert_exit 2 "$VNCBOT" ocr shot.png other.png
assert_exit 2 "$VNCBOT" ocr --region 1,2,3 shot.png
assert_contains "$LAST_ERR" "--region expects X,Y,W,H"
assert_exit 2 "$VNCBOT" ocr plan-missing.png
assert_contains "$LAST_ERR" "plan-missing.png"
assert_exit 3 "$VNCBOT" -q -c 127.0.0.1::1 ocr

# 8. check knows the statements and refuses a text of spaces before anything is sent.
cat > plan.vnc << 'EOF'
expect text "Password" in 0,0,800,600 similar 85% timeout 1m
read ANSWER in 10,20,300,40
if text "The password is incorrect" { fail "${ANSWER}" }
EOF
assert_exit 0 "$VNCBOT" check plan.vnc
assert_contains "$LAST_OUT" 'expect text "Password" similar 85% in 0,0,800,600 timeout 60s'
assert_contains "$LAST_OUT" 'read ANSWER in 10,20,300,40'
assert_contains "$LAST_OUT" 'fail "${ANSWER}"'
printf 'expect text "   "\n' > spaces.vnc
assert_exit 2 "$VNCBOT" check spaces.vnc
assert_contains "$LAST_ERR" "spaces.vnc:1:13: error: expected text to find, found only spaces"

# 9. No English data: exit 2, naming the file and the package, before reading anything.
mkdir -p nodata
assert_exit 2 env TESSDATA_PREFIX="$TEST_TMP/nodata" "$VNCBOT" ocr shot.png
assert_contains "$LAST_ERR" "no eng.traineddata in $TEST_TMP/nodata"
assert_contains "$LAST_ERR" "hint: install it with: apt-get install tesseract-ocr-eng"
assert_exit 2 env TESSDATA_PREFIX="$TEST_TMP/nodata" "${vb[@]}" -e 'expect text "HERON46" timeout 5s'
assert_contains "$LAST_ERR" "apt-get install tesseract-ocr-eng"

# 10. Tesseract is loaded by a script that reads text, and only then.
assert_exit 0 "$VNCBOT" -v -c "$PRACTICE_ADDR" -e 'expect settled 200ms timeout 10s'
assert_not_contains "$LAST_ERR" "OCR: Tesseract"
assert_exit 0 "$VNCBOT" -v -c "$PRACTICE_ADDR" -e 'expect text "HERON46" timeout 20s'
assert_contains "$LAST_ERR" "OCR: Tesseract"
exit 0
