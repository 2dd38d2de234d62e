# A console that goes away on purpose and comes back, as a restart makes it:
#
# - `expect disconnect` releases a held key before the drop, waits for the console to go,
#   and `reconnect` tries until a console answers on the same address again; the text
#   typed after it reaches the new console exactly; the evidence goes on in the same
#   directory (capture.fbs, then capture-2.fbs; events for the drop and the return);
# - `--connect-command` runs again for the reconnection;
# - a console that does not come back ends the run with exit 3 and "did not come back
#   within";
# - a console that does not go ends `expect disconnect` with exit 1 and "still connected";
# - a statement that needs the console between the drop and `reconnect` ends the run with
#   exit 3 and a hint to reconnect; `wait` meanwhile only lets time pass.
#
# The restart is played by stopping the practice console (SIGTERM: it closes every client)
# and starting a new one on the same port.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3

# restart_practice NAME: stop the practice console and start a new one on the same port,
# with the transcript $TEST_TMP/NAME.transcript (sets TRANSCRIPT; PRACTICE_PORT kept).
restart_practice() {
    local port=$PRACTICE_PORT
    stop_pid "$PRACTICE_PID" practice
    TRANSCRIPT=$TEST_TMP/$1.transcript
    rm -f -- "$TRANSCRIPT"
    local out=$TEST_TMP/$1.practice.stdout
    "$VNCBOT_PRACTICE" --listen "127.0.0.1:$port" --start echo --transcript "$TRANSCRIPT" -q \
        > "$out" 2> "$TEST_TMP/$1.practice.stderr" < /dev/null &
    PRACTICE_PID=$!
    cleanup_add "stop_pid $PRACTICE_PID practice"
    wait_until 15 "grep -q '^listening ' '$out' || ! pid_alive $PRACTICE_PID" ||
        setup_fail "the practice console did not listen again on port $port"
    pid_alive "$PRACTICE_PID" ||
        setup_fail "the practice console could not listen again on port $port: $(cat "$TEST_TMP/$1.practice.stderr")"
}

# 1. The whole round: drop, come back, type, evidence.
name=restart_round
practice_fresh $name-before --start echo
first=$TRANSCRIPT
cat > "$TEST_TMP/round.vnc" << 'EOF'
type "before"
down shift
expect disconnect timeout 20s
wait 200ms
reconnect timeout 30s
type "after"
EOF
vncbot_bg $name -v -c "$PRACTICE_ADDR" --record "$TEST_TMP/ev" run "$TEST_TMP/round.vnc"
# The held Shift is the last key event before the drop; wait for it, stop the console,
# let a try of reconnect find nobody there (as during a boot), then start it again.
wait_until 15 "grep -q '^down 0xffe1 Shift_L' '$first'" ||
    fail "vncbot did not type 'before' and hold Shift within 15 s: $(key_lines "$first" | tr '\n' ';')"
stop_pid "$PRACTICE_PID" practice
wait_until 15 "grep -q 'reconnect: try 1:' '$BG_ERR'" ||
    fail "vncbot did not try to reconnect within 15 s: $(tail -n 3 "$BG_ERR")"
restart_practice $name-after
bg_wait 60
assert_eq "exit 0" "$BG_RESULT" "vncbot across the restart (stderr: $(head -c 800 "$BG_ERR"))"
{
    echo '# connect 127.0.0.1'
    expected_typing "before"
    ev down 0xffe1 Shift_L
    ev up 0xffe1 Shift_L
    echo '# disconnect'
} > "$TEST_TMP/first.expected"
assert_transcript "$first" "$TEST_TMP/first.expected" \
    "the console before the restart: Shift released before the drop"
{
    expected_typing "after"
} > "$TEST_TMP/second.expected"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/second.expected" "the console after the restart"
assert_contains "$BG_ERR" "the console went away, as expected" "vncbot's log"
assert_contains "$BG_ERR" "the console is back" "vncbot's log"
[[ -s $TEST_TMP/ev/capture.fbs ]] || fail "no capture.fbs for the first connection"
[[ -s $TEST_TMP/ev/capture-2.fbs ]] || fail "no capture-2.fbs for the connection after the restart"
assert_exit 0 "$VNCBOT" replay "$TEST_TMP/ev/capture-2.fbs" "$TEST_TMP/frames2"
ev_file=$TEST_TMP/ev/events.jsonl
python3 - "$ev_file" << 'EOF' || fail "events.jsonl does not tell the drop and the return"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e.get("event") for e in events]
assert kinds.count("connect") == 2, kinds
d = [e for e in events if e.get("event") == "disconnect"]
assert d and d[0].get("expected") == "yes", d
r = [e for e in events if e.get("event") == "reconnect"]
assert r and int(r[0]["tries"]) >= 1, r
caps = [e.get("capture") for e in events if e.get("event") == "connect"]
assert caps == ["capture.fbs", "capture-2.fbs"], caps
assert kinds.index("disconnect") < kinds.index("reconnect"), kinds
EOF

# 2. --connect-command runs again for the reconnection.
name=connect_command_runs_again
practice_fresh $name-before --start echo
count=$TEST_TMP/$name.count
cat > "$TEST_TMP/$name.sh" << EOF
echo run >> '$count'
echo 127.0.0.1::$PRACTICE_PORT
EOF
vncbot_bg $name --connect-command "bash $TEST_TMP/$name.sh" \
    -e 'key a; expect disconnect timeout 20s; reconnect timeout 30s; key b'
wait_until 15 "grep -q '^up 0x0061 a' '$TRANSCRIPT'" || fail "vncbot did not press a within 15 s"
restart_practice $name-after
bg_wait 60
assert_eq "exit 0" "$BG_RESULT" "vncbot with --connect-command (stderr: $(head -c 800 "$BG_ERR"))"
press 0x0062 b > "$TEST_TMP/$name.expected"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/$name.expected" "the console after the restart"
runs=$(grep -c '' "$count")
((runs >= 2)) || fail "--connect-command ran $runs time(s); a reconnection must run it again"

# 3. A console that does not come back.
name=console_does_not_come_back
practice_fresh $name --start echo
vncbot_bg $name -q -c "$PRACTICE_ADDR" -e 'key a; expect disconnect timeout 20s; reconnect timeout 2s'
wait_until 15 "grep -q '^up 0x0061 a' '$TRANSCRIPT'" || fail "vncbot did not press a within 15 s"
stop_pid "$PRACTICE_PID" practice
bg_wait 30
assert_eq "exit 3" "$BG_RESULT" "a console that stays away (stderr: $(head -c 800 "$BG_ERR"))"
assert_contains "$BG_ERR" "did not come back within 2s" "the error"

# 4. A console that does not go.
name=console_does_not_go
practice_fresh $name --start echo
assert_exit 1 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e 'expect disconnect timeout 1s'
assert_contains "$LAST_ERR" "still connected" "expect disconnect on a console that stays"

# 5. Between the drop and reconnect: a wait passes, a key is refused with a hint.
name=key_without_reconnect
practice_fresh $name --start echo
vncbot_bg $name -q -c "$PRACTICE_ADDR" -e 'key a; expect disconnect timeout 20s; wait 300ms; key b'
wait_until 15 "grep -q '^up 0x0061 a' '$TRANSCRIPT'" || fail "vncbot did not press a within 15 s"
stop_pid "$PRACTICE_PID" practice
bg_wait 30
assert_eq "exit 3" "$BG_RESULT" "a key with no console (stderr: $(head -c 800 "$BG_ERR"))"
assert_contains "$BG_ERR" "reconnect" "the hint"
note "ok: expect disconnect, reconnect (also through --connect-command), evidence across the drop, and the failures"
