# --record-blank-secrets keeps a secret the console echoes out of the evidence: the practice
# console echoes typed text as pixels, so without the option the secret shows in the
# replayed capture, and with it:
#
# - the run types exactly the same keys;
# - the capture replays without error (`vncbot replay`), with a flat grey screen where the
#   typing was, and no frame and no step PNG shows the secret's text; over TCP and over
#   ws:// (each backend hands the stream to libvncclient its own way);
# - a run that fails while the secret is on the screen takes no picture of it: the picture
#   is replaced by a "screen hidden" event, and the capture ends on the grey screen;
# - the option without --record is a usage error.
#
# How a frame "shows the secret": the echo area starts at 8,56 in 8x16 character cells
# (docs/practice.md); the scripts type "user" and Return first, so the secret is echoed on
# the second line and below. A frame shows typed text there when the region 8,72 to the
# status line holds more light grey text pixels (0xCCCCCC) than the 16 of the cursor
# underline. The plain run proves the check finds the secret when it is there.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

: "${PNG_COUNT:=$PROJECT_DIR/build/tests/png_count}"
[[ -x $PNG_COUNT ]] || setup_fail "png_count not found or not executable: $PNG_COUNT (build it, or set PNG_COUNT)"
require_vncbot
require_practice
require_cmd python3

export BLANK_TEST_SECRET='Sw0rdf1sh42X'
TEXT_FG=cccccc
BELOW_FIRST_LINE=8,72,1008,672
CURSOR_PIXELS=16
GREY=808080
SCREEN_PIXELS=$((1024 * 768))

cat > "$TEST_TMP/login.vnc" << 'EOF'
step "Log in" {
  type "user\n"
  type secret pw
  wait 500ms
  # a login box clears its field on Enter; the echo screen needs Backspace for that
  key backspace backspace backspace backspace backspace backspace
  key backspace backspace backspace backspace backspace backspace
  key enter
}
step "Look" {
  expect settled 200ms timeout 10s
}
EOF

# most_text PNG...: the largest count of text pixels below the first line, and its file.
most_text() { "$PNG_COUNT" $TEXT_FG $BELOW_FIRST_LINE "$@" | sort -n | tail -n 1; }

# record_run NAME SCRIPT STATUS [OPTIONS...]: run SCRIPT on a fresh console with --record
# $TEST_TMP/NAME and OPTIONS, expecting STATUS (its stderr kept in RUN_ERR); replay the
# capture into $TEST_TMP/NAME-frames. Over ws:// if OVER_WS=1.
record_run() {
    local name=$1 script=$2 status=$3 address
    shift 3
    practice_fresh "$name"
    address=$PRACTICE_ADDR
    [[ ${OVER_WS:-0} == 1 ]] && address=ws://127.0.0.1:$PRACTICE_PORT/
    assert_exit "$status" "$VNCBOT" -c "$address" --record "$TEST_TMP/$name" "$@" \
        --secret pw=env:BLANK_TEST_SECRET run "$script"
    RUN_ERR=$TEST_TMP/$name.run-stderr
    cp -- "$LAST_ERR" "$RUN_ERR"
    assert_exit 0 "$VNCBOT" replay "$TEST_TMP/$name/capture.fbs" "$TEST_TMP/$name-frames"
    compgen -G "$TEST_TMP/$name-frames/frame-*.png" > /dev/null ||
        fail "$name: the replay wrote no frames"
}

# 1. Without the option the replayed capture shows the secret: the check can fail.
record_run plain "$TEST_TMP/login.vnc" 0
read -r most where < <(most_text "$TEST_TMP"/plain-frames/frame-*.png)
((most > CURSOR_PIXELS)) ||
    fail "plain run: no replayed frame shows the echoed secret (at most $most text pixels below the first line): has the echo screen's layout changed?"
note "plain run: ${where##*/} shows the secret ($most text pixels below the first line)"

# 2. With it: the same keys, a capture that replays with a grey screen and no secret.
# blanked_run NAME: the scenario, checked.
blanked_run() {
    local name=$1 most where grey
    record_run "$name" "$TEST_TMP/login.vnc" 0 --record-blank-secrets
    {
        expected_typing $'user\n'
        expected_typing "$BLANK_TEST_SECRET"
        for _ in {1..12}; do press 0xff08 BackSpace; done
        press 0xff0d Return
    } > "$TEST_TMP/$name.expected"
    assert_key_lines "$TRANSCRIPT" "$TEST_TMP/$name.expected" "$name: the keys typed"
    read -r most where < <(most_text "$TEST_TMP/$name"-frames/frame-*.png "$TEST_TMP/$name"/step-*.png)
    ((most <= CURSOR_PIXELS)) ||
        fail "$name: ${where##*/} shows typed text below the first line ($most text pixels): the secret is in the evidence"
    read -r grey where < <("$PNG_COUNT" $GREY 0,0,1024,768 "$TEST_TMP/$name"-frames/frame-*.png | sort -n | tail -n 1)
    assert_eq $SCREEN_PIXELS "$grey" "$name: grey pixels of the greyest replayed frame (a whole grey screen where the typing was)"
    python3 - "$TEST_TMP/$name" << 'PY' || fail "$name: the evidence's events are not as they should be (above)"
import json, os, sys
events = [json.loads(l) for l in open(os.path.join(sys.argv[1], "events.jsonl"))]
labels = [e["label"] for e in events if e["event"] == "screenshot"]
assert labels == ["after step: Log in", "after step: Look", "end of the run"], labels
assert not any(e["event"] == "screenshot-hidden" for e in events), "no picture falls in the span"
PY
}
blanked_run blanked
OVER_WS=1 blanked_run blanked_over_ws

# 3. A run that fails with the secret on the screen: no picture of it, and a capture that
# ends on the grey screen.
name=failed_while_typing
cat > "$TEST_TMP/fail.vnc" << 'EOF'
step "Log in" {
  type "user\n"
  type secret pw
  wait 500ms
  fail "stopped with the secret on the screen"
}
EOF
record_run $name "$TEST_TMP/fail.vnc" 1 --record-blank-secrets
assert_contains "$RUN_ERR" "stopped with the secret on the screen" "$name: stderr"
python3 - "$TEST_TMP/$name" << 'PY' || fail "$name: the evidence's events are not as they should be (above)"
import json, os, sys
events = [json.loads(l) for l in open(os.path.join(sys.argv[1], "events.jsonl"))]
kinds = [e["event"] for e in events]
assert "screenshot" not in kinds, kinds
hidden = [e for e in events if e["event"] == "screenshot-hidden"]
assert len(hidden) == 1 and hidden[0]["label"] == "after step: Log in", hidden
assert hidden[0]["text"] == "screen hidden: a secret was being typed", hidden
assert not [n for n in os.listdir(sys.argv[1]) if n.endswith(".png")], os.listdir(sys.argv[1])
report = open(os.path.join(sys.argv[1], "report.html")).read()
assert "screen hidden: a secret was being typed" in report
PY
read -r most where < <(most_text "$TEST_TMP"/$name-frames/frame-*.png)
((most <= CURSOR_PIXELS)) ||
    fail "$name: ${where##*/} shows typed text below the first line ($most text pixels): the secret is in the capture"
last=$(ls "$TEST_TMP/$name-frames" | tail -n 1)
assert_eq "$SCREEN_PIXELS $TEST_TMP/$name-frames/$last" \
    "$("$PNG_COUNT" $GREY 0,0,1024,768 "$TEST_TMP/$name-frames/$last")" "$name: the last replayed frame is all grey"

# The secret's value is in no file of any evidence.
evidence=("$TEST_TMP"/plain "$TEST_TMP"/blanked "$TEST_TMP"/blanked_over_ws "$TEST_TMP"/$name)
if grep -rqF "$BLANK_TEST_SECRET" "${evidence[@]}"; then
    fail "the secret's value is in the evidence: $(grep -rlF "$BLANK_TEST_SECRET" "${evidence[@]}")"
fi

# 4. Without --record there is nothing to hide it in.
assert_exit 2 "$VNCBOT" -c 127.0.0.1::1 --record-blank-secrets -e 'key a'
assert_contains "$LAST_ERR" "--record-blank-secrets needs --record DIR" "the option without --record"

note "ok: with --record-blank-secrets the secret is in no replayed frame, step PNG or picture; the capture replays"
