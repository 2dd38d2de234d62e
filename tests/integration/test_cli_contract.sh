#!/usr/bin/env bash
# The command-line contract of DESIGN.md section 3 as a user meets it: --help,
# --version, keys, check, run from stdin, -D after the file, the exit codes of
# usage errors, and the man page made from the same option table.
source "$(dirname "$0")/lib.sh"
require_vncbot

out=$TEST_TMP/out
err=$TEST_TMP/err

# --help teaches: usage, every command, the exit codes; exit 0 on stdout.
"$VNCBOT" --help > "$out" 2> "$err" || fail "--help exited $?"
for want in "run FILE" "check FILE" "capture FILE.png" "keys" "--password-file" \
            "--password-env" "--secret NAME=SOURCE" "--key-delay" "--ca-file" "Exit status:" \
            "3  connection or authentication error" "128+N  stopped by" "--result FILE" \
            "type STRING | type secret NAME"; do
    grep -qF -- "$want" "$out" || fail "--help does not mention '$want'"
done
[[ ! -s $err ]] || fail "--help wrote to stderr: $(cat "$err")"
# A signal is 128+N, not 1 (DESIGN.md section 3).
grep -q '^  1 .*interrupted' "$out" && fail "--help still says a run interrupted exits 1: $(grep '^  1 ' "$out")"

"$VNCBOT" --version > "$out" || fail "--version exited $?"
grep -qE '^vncbot [0-9]+\.[0-9]+\.[0-9]+$' "$out" || fail "--version printed '$(cat "$out")'"

# keys lists the short names and X11 names with their keysyms.
"$VNCBOT" keys > "$out" || fail "keys exited $?"
for want in enter BackSpace KP_Enter Super_L f24 pgdn minus; do
    grep -qiw -- "$want" "$out" || fail "'vncbot keys' does not list '$want'"
done

# Usage errors: exit 2, a message that says what to do.
assert_exit 2 "$VNCBOT" --frobnicate
assert_contains "$LAST_ERR" "unknown option"
assert_exit 2 "$VNCBOT" run script.vnc
assert_contains "$LAST_ERR" "needs a console"
assert_exit 2 "$VNCBOT" -c 127.0.0.1:1 run
assert_exit 2 "$VNCBOT" -c 127.0.0.1:1 run a.vnc extra
assert_exit 2 "$VNCBOT" -c 127.0.0.1:5901 -e 'key a'
assert_contains "$LAST_ERR" "::5901"
assert_exit 2 "$VNCBOT" -c 127.0.0.1:1 --password-file /nonexistent/pw -e 'key a'
assert_contains "$LAST_ERR" "/nonexistent/pw"
assert_exit 2 "$VNCBOT" check "$TEST_TMP/missing.vnc"
assert_exit 2 "$VNCBOT" -c 127.0.0.1:1 -e 'key a' --secret pw=hunter2
assert_not_contains "$LAST_ERR" "hunter2"

# check: the plan, with -D given after the file, and secrets by name only.
cat > "$TEST_TMP/plan.vnc" <<'VNC'
type "user ${WHO}\n"
type secret pw
VNC
"$VNCBOT" check "$TEST_TMP/plan.vnc" -D WHO=alice > "$out" || fail "check exited $?"
grep -qF 'type "user alice\n"' "$out" || fail "plan does not show -D's value: $(cat "$out")"
grep -qF 'type <secret pw>' "$out" || fail "plan does not show the secret by name"
grep -qF 'secrets needed: pw' "$out" || fail "plan does not list the secrets needed"

# run - reads the script from standard input.
start_practice "$TEST_TMP/transcript"
echo 'key z' | "$VNCBOT" -q -c "$PRACTICE_ADDR" run - || fail "run - exited $?"
wait_until 10 "grep -q '^up 0x007a z' '$TEST_TMP/transcript'" ||
    fail "the key from stdin did not arrive: $(cat "$TEST_TMP/transcript")"

# --log-format json: every progress line on stderr is one JSON object.
"$VNCBOT" --log-format json -c "$PRACTICE_ADDR" -e 'step "a \"quoted\" step" { key x }' \
    2> "$TEST_TMP/json.err" || fail "--log-format json run exited $?"
python3 -c '
import json, sys
lines = open(sys.argv[1]).read().splitlines()
assert lines, "no log lines"
for l in lines:
    o = json.loads(l)
    assert {"t", "level", "msg"} <= set(o), o
assert any(json.loads(l)["msg"] == "step: a \"quoted\" step" for l in lines), lines
' "$TEST_TMP/json.err" || fail "--log-format json wrote something else: $(cat "$TEST_TMP/json.err")"

# --connect-command: the address is the first line the command prints; a
# failing command or one that prints nothing is a connection error (3).
: > "$TEST_TMP/transcript"
"$VNCBOT" -q --connect-command "printf '\\n  %s  \\nignored\\n' $PRACTICE_ADDR" -e 'key y' ||
    fail "--connect-command run exited $?"
wait_until 10 "grep -q '^up 0x0079 y' '$TEST_TMP/transcript'" ||
    fail "the key did not arrive through --connect-command's address"
assert_exit 3 "$VNCBOT" --connect-command 'echo oops >&2; exit 4' -e 'key y'
assert_contains "$LAST_ERR" "exit status 4"
assert_exit 3 "$VNCBOT" --connect-command 'true' -e 'key y'
assert_contains "$LAST_ERR" "printed no address"
assert_exit 2 "$VNCBOT" --connect-command 'true' -c "$PRACTICE_ADDR" -e 'key y'
# A command that goes on after printing the address is stopped half a second later and
# the run goes on; one that prints nothing is stopped at --connect-timeout; a signal
# stops it at once. None of them holds vncbot.
: > "$TEST_TMP/transcript"
assert_exit 0 "$VNCBOT" -q --connect-timeout 20s \
    --connect-command "echo $PRACTICE_ADDR; exec sleep 60" -e 'key z'
awk -v t="$LAST_SECONDS" 'BEGIN { exit !(t < 5) }' ||
    fail "a command that stays after printing the address held vncbot ${LAST_SECONDS}s"
wait_until 10 "grep -q '^up 0x007a z' '$TEST_TMP/transcript'" ||
    fail "the key did not arrive through a lingering --connect-command's address"
assert_exit 3 "$VNCBOT" --connect-timeout 1s --connect-command 'exec sleep 60' -e 'key y'
assert_contains "$LAST_ERR" "printed no address within 1.0s"
"$VNCBOT" --connect-timeout 60s --connect-command "echo \$\$ > '$TEST_TMP/cmd.pid'; exec sleep 60" \
    -e 'key y' 2> "$TEST_TMP/sig.err" &
pid=$!
wait_until 10 "[[ -s '$TEST_TMP/cmd.pid' ]]" || fail "the connect command did not start"
cmd_pid=$(cat "$TEST_TMP/cmd.pid")
kill -INT $pid
wait_until 2 "! kill -0 $pid 2> /dev/null" || fail "SIGINT during --connect-command: vncbot still runs after 2 s"
wait $pid
rc=$?
((rc == 130)) || fail "SIGINT during --connect-command: exit $rc, expected 130"
wait_until 2 "! kill -0 $cmd_pid 2> /dev/null" ||
    fail "SIGINT during --connect-command left the command (pid $cmd_pid) running"

# The man page comes from the same table as --help.
"$VNCBOT" --man > "$out" || fail "--man exited $?"
grep -q '^\.TH VNCBOT 1' "$out" || fail "--man is not a man page"
grep -qF 'password\-file' "$out" || fail "the man page lacks --password-file"
exit 0
