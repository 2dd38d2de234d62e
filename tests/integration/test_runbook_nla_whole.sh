# The whole NLA runbook (scripts/windows/nla.vnc) from the lock screen to a confirmed
# restart, against the practice console playing the seed's broken machine with a Windows
# password, over TCP; and the same over WebSocket against a console that behaves like a
# cloud console URL (--one-shot-tokens), vncbot getting each fresh token with
# --connect-command, the restart included. Each run must:
#
# - end with exit 0, the registry as the seed says and the backups on the machine's disk;
# - have restarted the machine (the transcript shows the drop and the boot) and read the
#   verdict again after it: the evidence has the drop, the return, what the machine said
#   after the restart and which checks held on what (the text matched, the share of
#   colour seen), the date, a capture per connection;
# - never show the password: not in vncbot's output, the evidence or the result.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1
. "$VB_LIB_DIR/runbook-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

password='Rb-9f3!Kq7#2w'
printf '%s\n' "$password" > winpw
chmod 600 winpw

# whole_run NAME CONNECTION-ARGS...: nla.vnc against the console started last.
whole_run() {
    local name=$1 state=$TEST_TMP/$1.state.json
    shift
    assert_exit 0 "$VNCBOT" "$@" --record "$name.ev" --result "$name.result.json" \
        run "$RUNBOOK/nla.vnc" --secret WINDOWS_PASSWORD=file:winpw
    mapfile -t want < <(expected_after_fix "$name.before.json")
    assert_eq "${want[0]}" "$(state_get "$state" "$LSA" "Security Packages")" "$name: Security Packages"
    assert_eq "${want[1]}" "$(state_get "$state" "$SECPROV" SecurityProviders)" "$name: SecurityProviders"
    state_file "$state" 'C:\Windows\Temp\nla-backup\lsa.reg' > /dev/null || fail "$name: no backup"
    [[ $(grep -c '^# restart: clients dropped' "$TRANSCRIPT") == 1 ]] ||
        fail "$name: the machine should have restarted once: $(grep '^# restart' "$TRANSCRIPT")"
    python3 - "$name.ev/events.jsonl" << 'PY' || fail "$name: the evidence does not tell the whole job"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
kinds = [e["event"] for e in ev]
assert "date" in ev[0], ev[0]
d, r = kinds.index("disconnect"), kinds.index("reconnect")
assert d < r, kinds
said = [e["text"] for e in ev[r:] if e["event"] == "read"]
assert any("tspkg-present" in t and "credssp.dll-present" in t for t in said), said
checks = [e["text"] for e in ev[r:] if e["event"] == "check"]
assert any(c.startswith("held: text \"tspkg-present\"") for c in checks), checks
assert any(c.startswith("held: colour") and "seen" in c for c in checks), checks
caps = [e.get("capture") for e in ev if e["event"] == "connect"]
assert caps == ["capture.fbs", "capture-2.fbs"], caps
PY
    [[ -s $name.ev/capture-2.fbs ]] || fail "$name: no capture after the restart"
    if grep -rqF -- "$password" "$name.ev" "$name.result.json" "$LAST_OUT" "$LAST_ERR"; then
        fail "$name: the Windows password is in the evidence, the result or vncbot's output"
    fi
}

# 1. TCP, the console as it comes.
practice_fresh tcp --start lock --windows-password-file winpw --boot-time 2 --state "$TEST_TMP/tcp.state.json"
wait_until 10 "[[ -s '$TEST_TMP/tcp.state.json' ]]" || fail "no --state file"
cp tcp.state.json tcp.before.json
whole_run tcp -q -c "$PRACTICE_ADDR"
stop_pid "$PRACTICE_PID" practice

# 2. WebSocket, one-shot tokens, the address from --connect-command for every connection.
practice_fresh tokens --start lock --windows-password-file winpw --boot-time 2 --state "$TEST_TMP/tokens.state.json" \
    --one-shot-tokens --token-file "$TEST_TMP/token"
wait_until 10 "[[ -s '$TEST_TMP/tokens.state.json' && -s '$TEST_TMP/token' ]]" || fail "no state or token file"
cp tokens.state.json tokens.before.json
whole_run tokens -q --connect-command "echo ws://127.0.0.1:$PRACTICE_PORT/?token=\$(cat '$TEST_TMP/token')"
refused=$(grep -c '^# refused' "$TRANSCRIPT" || true)
((refused == 0)) || fail "tokens: a connection was refused: $(grep '^# refused' "$TRANSCRIPT")"
note "ok: nla.vnc from the lock screen to a confirmed restart, over TCP and over one-shot WebSocket tokens"
