# --result FILE: one JSON object when the run ends, whatever the outcome, valid against
# docs/result.schema.json (checked with python3-jsonschema), for each class of DESIGN.md
# section 3 against the practice console:
# - ok: a run of steps that succeeds, with --record: the steps, the target, the evidence;
# - script-failed: `fail` in a step: exit 1, the error at FILE:LINE, the step failed;
# - usage: a script error (FILE:LINE:COL, nothing sent), and an unknown option given
#   before --result as well as after it;
# - connection: a refused port;
# - signal: SIGTERM during `wait 30s`: exit 143, the step interrupted;
# and with `--result -` standard output is exactly one JSON object, nothing else (check's
# plan, -v and --help included). The target never shows the address's token. Every
# ```json example of docs/result.md is valid against the schema too.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

SCHEMA=$PROJECT_DIR/docs/result.schema.json
[[ -r $SCHEMA ]] || setup_fail "no schema at $SCHEMA"
# Debian's python3-jsonschema, whichever python3 has it.
PY=
for candidate in python3 /usr/bin/python3; do
    if command -v "$candidate" > /dev/null 2>&1 && "$candidate" -c 'import jsonschema' 2> /dev/null; then
        PY=$candidate
        break
    fi
done
[[ -n $PY ]] || skip "python3 with the jsonschema module not found (Debian: apt-get install python3-jsonschema)"

# check_result FILE WHAT CLASS EXIT [PYTHON_EXPR...]: FILE holds exactly one line, one JSON
# object valid against the schema, of CLASS and EXIT; each PYTHON_EXPR (about the object
# `o`) holds.
check_result() {
    local file=$1 what=$2
    shift 2
    [[ -s $file ]] || fail "$what: no result written to $file"
    "$PY" -c '
import json, sys, jsonschema
schema_path, path, want_class, want_exit, exprs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:]
data = open(path, "rb").read()
lines = data.split(b"\n")
if len(lines) != 2 or lines[1] != b"" or not lines[0]:
    sys.exit("not exactly one line: %r" % data[:600])
try:
    o = json.loads(lines[0])
except ValueError as e:
    sys.exit("not JSON (%s): %r" % (e, lines[0][:600]))
if not isinstance(o, dict):
    sys.exit("not a JSON object: %r" % lines[0][:600])
schema = json.load(open(schema_path))
jsonschema.Draft202012Validator.check_schema(schema)
errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(o), key=str)
if errors:
    sys.exit("not valid against the schema: %s at %s\n%s" % (errors[0].message, list(errors[0].absolute_path), lines[0].decode()))
if o["class"] != want_class or o["exit"] != want_exit:
    sys.exit("class %r exit %r, expected %r %r: %s" % (o["class"], o["exit"], want_class, want_exit, lines[0].decode()))
for e in exprs:
    if not eval(e, {"o": o}):
        sys.exit("does not hold: %s\n%s" % (e, lines[0].decode()))
' "$SCHEMA" "$file" "$@" || fail "$what: the result"
}

practice_fresh result
target="tcp 127.0.0.1:$PRACTICE_PORT"

# ok: a run of steps that succeeds, its evidence kept.
cat > "$TEST_TMP/ok.vnc" << 'VNC'
step "first" {
  key a
}
step "second"
key b
VNC
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" --record "$TEST_TMP/evidence" --result "$TEST_TMP/ok.json" \
    run "$TEST_TMP/ok.vnc"
check_result "$TEST_TMP/ok.json" "a run that succeeds" ok 0 \
    'o["verdict"] == "succeeded" and o["error"] is None' \
    "o['target'] == '$target'" \
    "o['script'] == '$TEST_TMP/ok.vnc'" \
    "o['evidence'] == '$TEST_TMP/evidence'" \
    '[(s["name"], s["outcome"]) for s in o["steps"]] == [("first", "ok"), ("second", "ok")]' \
    'o["steps"][1]["start"] >= o["steps"][0]["start"] + o["steps"][0]["duration"]' \
    'o["duration_s"] >= o["steps"][1]["start"]'

# script-failed: fail inside a step.
printf 'step "check" {\n  key c\n  fail "the check failed"\n}\n' > "$TEST_TMP/fail.vnc"
assert_exit 1 "$VNCBOT" -c "$PRACTICE_ADDR" --result "$TEST_TMP/fail.json" run "$TEST_TMP/fail.vnc"
check_result "$TEST_TMP/fail.json" "fail" script-failed 1 \
    'o["verdict"] == "failed"' \
    'o["error"]["message"] == "the check failed"' \
    "o['error']['where'] == '$TEST_TMP/fail.vnc:3'" \
    '[(s["name"], s["outcome"]) for s in o["steps"]] == [("check", "failed")]'

# usage: a script error, found before anything is sent; stdout is the result alone.
practice_fresh result_usage
printf 'key a\nwait soon\n' > "$TEST_TMP/bad.vnc"
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" --result - run "$TEST_TMP/bad.vnc"
check_result "$LAST_OUT" "a script error" usage 2 \
    'o["verdict"] == "error"' \
    "o['error']['where'] == '$TEST_TMP/bad.vnc:2:6'" \
    '"duration" in o["error"]["message"]' \
    "o['target'] == 'tcp 127.0.0.1:$PRACTICE_PORT'" \
    'o["steps"] == []'
assert_contains "$LAST_ERR" "bad.vnc:2:6: error:" "a script error: stderr"
assert_no_key_lines "$TRANSCRIPT" "a script error"

# usage: an unknown option, before --result and after it.
assert_exit 2 "$VNCBOT" --frobnicate --result "$TEST_TMP/opt1.json" -c "$PRACTICE_ADDR" -e 'key a'
check_result "$TEST_TMP/opt1.json" "an unknown option before --result" usage 2 \
    '"--frobnicate" in o["error"]["message"]' 'o["error"]["where"] is None'
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" --result - -e 'key a' --frobnicate
check_result "$LAST_OUT" "an unknown option after --result" usage 2 \
    '"--frobnicate" in o["error"]["message"]' 'o["error"]["hint"]'

# connection: a port nothing listens on.
closed_port=
free_port closed_port
port_listening "$closed_port" && setup_fail "port $closed_port should be closed but listens"
VB_CMD_TIMEOUT=15 assert_exit 3 "$VNCBOT" -c "127.0.0.1::$closed_port" --result - -e 'key a'
check_result "$LAST_OUT" "a refused connection" connection 3 \
    'o["verdict"] == "error"' \
    "o['target'] == 'tcp 127.0.0.1:$closed_port'" \
    '"refused" in o["error"]["message"].lower()'

# The target of a WebSocket address leaves out the query and its token.
assert_exit 0 "$VNCBOT" -c "ws://127.0.0.1:$PRACTICE_PORT/?token=TOPSECRET42" --result - -e 'key d'
check_result "$LAST_OUT" "a ws:// run" ok 0 "o['target'].startswith('ws 127.0.0.1:$PRACTICE_PORT')"
assert_not_contains "$LAST_OUT" "TOPSECRET42" "the result of a ws:// run"

# signal: SIGTERM while a step waits.
practice_fresh result_signal
vncbot_bg sigterm -c "$PRACTICE_ADDR" --result "$TEST_TMP/signal.json" \
    -e 'step "waiting" { key e; wait 30s }'
wait_until 15 "grep -q '^up 0x0065 e$' '$TRANSCRIPT' || [[ -s '$BG_STATUS' ]]" ||
    fail "SIGTERM: the key did not arrive within 15 s: $(cat "$TRANSCRIPT")"
[[ -s $BG_STATUS ]] && fail "SIGTERM: vncbot ended ($(cat "$BG_STATUS")) before the signal"
kill -TERM "$BG_PID"
bg_wait 10
assert_eq "exit 143" "$BG_RESULT" "how vncbot ended after SIGTERM"
check_result "$TEST_TMP/signal.json" "SIGTERM" signal 143 \
    'o["verdict"] == "error"' \
    '"stopped by signal 15" in o["error"]["message"]' \
    '[(s["name"], s["outcome"]) for s in o["steps"]] == [("waiting", "interrupted")]'

# --result -: nothing but the result on stdout, whatever else would go there.
assert_exit 0 "$VNCBOT" -v -c "$PRACTICE_ADDR" --result - run "$TEST_TMP/ok.vnc"
check_result "$LAST_OUT" "--result - with -v" ok 0
assert_exit 0 "$VNCBOT" --result - check "$TEST_TMP/ok.vnc"
check_result "$LAST_OUT" "--result - with check" ok 0 "o['script'] == '$TEST_TMP/ok.vnc'" \
    'o["target"] is None'
assert_contains "$LAST_ERR" 'step "first"' "check's plan (on stderr with --result -)"
assert_exit 0 "$VNCBOT" --result - --help
check_result "$LAST_OUT" "--result - with --help" ok 0
assert_exit 0 "$VNCBOT" --log-format json --result - check "$TEST_TMP/ok.vnc"
check_result "$LAST_OUT" "--result - with check and --log-format json" ok 0
[[ ! -s $LAST_ERR ]] || fail "check's plan went to stderr with --log-format json: $(head -c 300 "$LAST_ERR")"

# A result file that cannot be written is found before anything runs.
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" --result "$TEST_TMP/missing/r.json" -e 'key f'
assert_contains "$LAST_ERR" "$TEST_TMP/missing" "an unwritable --result: stderr"

# The examples of docs/result.md. (The backquotes are Python's, for the fences.)
# shellcheck disable=SC2016
"$PY" -c '
import json, re, sys, jsonschema
schema = json.load(open(sys.argv[1]))
page = open(sys.argv[2]).read()
blocks = re.findall(r"^```json\n(.*?)^```", page, re.M | re.S)
if len(blocks) < 5:
    sys.exit("only %d json examples found" % len(blocks))
for i, b in enumerate(blocks, 1):
    if b.count("\n") != 1:
        sys.exit("example %d is not one line" % i)
    errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.loads(b)))
    if errors:
        sys.exit("example %d: %s at %s" % (i, errors[0].message, list(errors[0].absolute_path)))
print("%d examples valid" % len(blocks))
' "$SCHEMA" "$PROJECT_DIR/docs/result.md" > "$TEST_TMP/examples.out" 2>&1 ||
    fail "docs/result.md: $(cat "$TEST_TMP/examples.out")"
note "docs/result.md: $(cat "$TEST_TMP/examples.out")"

note "ok: a valid result for ok, script-failed, usage, connection and signal; --result - is the only thing on stdout"
