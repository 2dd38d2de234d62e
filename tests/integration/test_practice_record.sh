# --record DIR keeps the evidence of a run: events.jsonl (one JSON object a line:
# start, connect, every statement, steps, screenshots, the result), a PNG after
# each step, and a self-contained report.html; a secret appears nowhere in it; a
# failed run records where it failed; a directory that is not empty is refused.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3
practice_fresh record

cat > "$TEST_TMP/run.vnc" << 'EOF'
step "Log in" {
  type "user\n"
  type secret pw
  key enter
}
step "Look" {
  expect settled 200ms timeout 10s
}
EOF
export RECORD_TEST_SECRET='Sw0rdf!sh-42'
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" --record "$TEST_TMP/ev" \
    --secret pw=env:RECORD_TEST_SECRET run "$TEST_TMP/run.vnc"
python3 - "$TEST_TMP/ev" << 'PY' || fail "the evidence directory is not as it should be (above)"
import json, os, sys
d = sys.argv[1]
events = [json.loads(line) for line in open(os.path.join(d, "events.jsonl"))]
kinds = [e["event"] for e in events]
def need(cond, what):
    if not cond:
        print("FAIL:", what, "\n  events:", kinds, file=sys.stderr)
        sys.exit(1)
need(kinds[0] == "start" and kinds[1] == "connect", "start, connect first")
import datetime, re
date = events[0].get("date", "")
need(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", date) is not None,
     "the start event has the UTC date of the run (%r)" % date)
age = datetime.datetime.now(datetime.timezone.utc) - datetime.datetime.strptime(
    date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
need(abs(age.total_seconds()) < 600, "the start date is today's (%s)" % date)
need(kinds[-1] == "result" and events[-1]["exit"] == "0", "a result with exit 0 last")
need([e["name"] for e in events if e["event"] == "step"] == ["Log in", "Look"], "both steps")
need(any(e.get("text") == "type <secret pw>" for e in events), "the secret shown by name")
shots = [e for e in events if e["event"] == "screenshot"]
need([s["label"] for s in shots] == ["after step: Log in", "after step: Look", "end of the run"],
     "a picture after each step and at the end")
for s in shots:
    png = open(os.path.join(d, s["png"]), "rb").read()
    need(png[:8] == b"\x89PNG\r\n\x1a\n", s["png"] + " is a PNG")
report = open(os.path.join(d, "report.html")).read()
need("Started <time>" + date + "</time>" in report, "report.html says when the run started")
need("<h2>Log in</h2>" in report and report.count("data:image/png;base64,") == 3,
     "report.html with the steps and the three pictures inline")
PY
# The console's stream was captured and replays to PNG frames.
[[ -s $TEST_TMP/ev/capture.fbs ]] || fail "no capture.fbs in the evidence"
assert_exit 0 "$VNCBOT" replay "$TEST_TMP/ev/capture.fbs" "$TEST_TMP/frames"
assert_contains "$LAST_ERR" "frames written"
last=$(ls "$TEST_TMP/frames" | tail -n 1)
[[ $(od -An -tx1 -N4 "$TEST_TMP/frames/$last" | tr -d ' ') == 89504e47 ]] ||
    fail "the last replayed frame $last is not a PNG"
if grep -rqF "$RECORD_TEST_SECRET" "$TEST_TMP/ev"; then
    fail "the secret's value is in the evidence: $(grep -rlF "$RECORD_TEST_SECRET" "$TEST_TMP/ev")"
fi

# A run that fails records the failure and a picture of where it failed.
assert_exit 1 "$VNCBOT" -c "$PRACTICE_ADDR" --record "$TEST_TMP/failed" \
    -e 'expect image "'"$TEST_TMP"'/ev/step-001.png" in 0,0,10,10 timeout 1s'
python3 - "$TEST_TMP/failed" << 'PY' || fail "the failed run's evidence is not as it should be"
import json, os, sys
events = [json.loads(l) for l in open(os.path.join(sys.argv[1], "events.jsonl"))]
assert events[-1]["event"] == "result" and events[-1]["exit"] == "1", events[-1]
assert "expect timed out" in events[-1]["message"], events[-1]
assert any(e.get("label") == "where it failed" for e in events), events
PY

# Evidence is never overwritten.
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" --record "$TEST_TMP/ev" -e 'key a'
assert_contains "$LAST_ERR" "not empty"
exit 0
