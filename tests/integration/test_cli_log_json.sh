# --log-format json: every line vncbot writes on stderr is one JSON object with "t",
# "level" and "msg", whatever the way the run ends, the final error included:
# - a run that succeeds, with -vv (libvncclient's own lines go through the log too);
# - a script error: the error line carries "where" (FILE:LINE:COL) and "context";
# - a bad option given after --log-format json: the usage error, with its "hint";
# - a refused connection (exit 3);
# - `fail` (exit 1), with "where";
# - SIGTERM during `wait 30s` (exit 143): "stopped by signal 15" as a JSON error line.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3

# all_json FILE WHAT [LAST_LEVEL [FIELD...]]: every line of FILE is a JSON object with t,
# level and msg; FILE is not empty; the last line has level LAST_LEVEL and the FIELDs.
all_json() {
    local file=$1 what=$2
    shift 2
    python3 -c '
import json, sys
path, last_level, fields = sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "", sys.argv[3:]
lines = open(path, "rb").read().decode("utf-8").split("\n")
if lines[-1] != "":
    sys.exit("the last line has no newline: %r" % lines[-1])
lines = lines[:-1]
if not lines:
    sys.exit("nothing on stderr")
for n, line in enumerate(lines, 1):
    try:
        o = json.loads(line)
    except ValueError as e:
        sys.exit("line %d is not JSON (%s): %s" % (n, e, line))
    if not isinstance(o, dict) or not {"t", "level", "msg"} <= set(o):
        sys.exit("line %d lacks t, level or msg: %s" % (n, line))
last = json.loads(lines[-1])
if last_level and last["level"] != last_level:
    sys.exit("the last line is level %r, not %r: %s" % (last["level"], last_level, lines[-1]))
for f in fields:
    if f not in last:
        sys.exit("the last line has no %r: %s" % (f, lines[-1]))
' "$file" "$@" || fail "$what: stderr with --log-format json: $(head -c 800 "$file")"
}

practice_fresh log_json

# A run that succeeds, every statement and the protocol detail shown.
assert_exit 0 "$VNCBOT" --log-format json -vv -c "$PRACTICE_ADDR" -e 'step "s" { key x }'
all_json "$LAST_ERR" "a run that succeeds (-vv)"
assert_contains "$LAST_ERR" '"msg":"libvncclient: ' "-vv: stderr"

# A script error: where and the line with its caret.
printf 'key a\nwait soon\n' > "$TEST_TMP/bad.vnc"
assert_exit 2 "$VNCBOT" --log-format json -c "$PRACTICE_ADDR" run "$TEST_TMP/bad.vnc"
all_json "$LAST_ERR" "a script error" error where context
assert_contains "$LAST_ERR" "\"where\":\"$TEST_TMP/bad.vnc:2:6\"" "script error: stderr"

# A usage error found by the option parser.
assert_exit 2 "$VNCBOT" --log-format json --frobnicate -c "$PRACTICE_ADDR" -e 'key a'
all_json "$LAST_ERR" "an unknown option" error hint

# A refused connection.
closed_port=
free_port closed_port
port_listening "$closed_port" && setup_fail "port $closed_port should be closed but listens"
VB_CMD_TIMEOUT=15 assert_exit 3 "$VNCBOT" --log-format json -c "127.0.0.1::$closed_port" -e 'key a'
all_json "$LAST_ERR" "a refused connection" error

# fail: exit 1, the error at its place.
assert_exit 1 "$VNCBOT" --log-format json -c "$PRACTICE_ADDR" -e 'key a' -e 'fail "no luck"'
all_json "$LAST_ERR" "fail" error where
assert_contains "$LAST_ERR" '"msg":"no luck"' "fail: stderr"

# SIGTERM while the script waits (a console of its own: the key is its witness).
practice_fresh log_json_sigterm
vncbot_bg sigterm --log-format json -c "$PRACTICE_ADDR" -e 'key a; wait 30s'
wait_until 15 "grep -q '^up 0x0061 a$' '$TRANSCRIPT' || [[ -s '$BG_STATUS' ]]" ||
    fail "SIGTERM: the key did not arrive within 15 s: $(cat "$TRANSCRIPT")"
[[ -s $BG_STATUS ]] && fail "SIGTERM: vncbot ended ($(cat "$BG_STATUS")) before the signal"
kill -TERM "$BG_PID"
bg_wait 10
assert_eq "exit 143" "$BG_RESULT" "how vncbot ended after SIGTERM"
all_json "$BG_ERR" "SIGTERM" error
assert_contains "$BG_ERR" '"msg":"stopped by signal 15 (Terminated); held keys were released"' \
    "SIGTERM: stderr"

note "ok: with --log-format json every stderr line is JSON, the final error included"
