# tests/integration/runbook-machines-lib.sh: the round of the NLA runbook's cmd parts on
# machines of practice/machines/ (test_runbook_nla_machines_*.sh say what it checks).
# Sourced after runbook-lib.sh, never run.

# what nla-check must say of each machine before the fix ("" = nothing missing).
declare -A missing=(
    [broken]="lacks tspkg and SecurityProviders lacks credssp.dll"
    [fixed]=""
    [half-fixed]="SecurityProviders lacks credssp.dll (Security Packages has tspkg)"
    [customised]="lacks tspkg and SecurityProviders lacks credssp.dll"
    [no-providers]="lacks tspkg and SecurityProviders lacks credssp.dll"
    [lookalikes]="lacks tspkg and SecurityProviders lacks credssp.dll"
)

# run_machines MACHINE...: the whole round on each machine, TCP and WebSocket in turn.
run_machines() {
local machine state addr n=0
local -a want
for machine in "$@"; do
    [[ -e $MACHINES/$machine.reg ]] || fail "no machine file $machine.reg"
    n=$((n + 1))
    state=$TEST_TMP/$machine.state.json
    practice_fresh "$machine" --start cmd --machine "$MACHINES/$machine.reg" --state "$state"
    if ((n % 2)); then addr=$PRACTICE_ADDR; else addr=ws://127.0.0.1:$PRACTICE_PORT/; fi
    wait_until 10 "[[ -s '$state' ]]" || fail "$machine: no --state file"
    cp "$state" "$machine.before.json"
    mapfile -t want < <(expected_after_fix "$machine.before.json")

    # 1. The diagnosis, before anything changes.
    if [[ -z ${missing[$machine]} ]]; then
        assert_exit 0 "$VNCBOT" -q -c "$addr" --result "$machine.check0.json" run "$RUNBOOK/nla-check.vnc"
    else
        assert_exit 1 "$VNCBOT" -q -c "$addr" --result "$machine.check0.json" run "$RUNBOOK/nla-check.vnc"
        assert_contains "$LAST_ERR" "${missing[$machine]}" "$machine: nla-check's message"
        assert_contains "$machine.check0.json" "${missing[$machine]}" "$machine: nla-check's result"
    fi
    [[ $(registry_of "$state") == "$(registry_of "$machine.before.json")" ]] ||
        fail "$machine: nla-check changed the registry"

    # 2. The fix.
    assert_exit 0 "$VNCBOT" -q -c "$addr" --record "$machine.ev" run "$RUNBOOK/nla-fix.vnc"
    got_pk=$(state_get "$state" "$LSA" "Security Packages")
    got_sp=$(state_get "$state" "$SECPROV" SecurityProviders)
    assert_eq "${want[0]}" "$got_pk" "$machine: Security Packages after the fix"
    assert_eq "${want[1]}" "$got_sp" "$machine: SecurityProviders after the fix"
    backup='C:\Windows\Temp\nla-backup\lsa.reg'
    state_file "$state" "$backup" > "$machine.backup1" || fail "$machine: no backup $backup on the machine's disk"
    state_file "$state" 'C:\Windows\Temp\nla-backup\securityproviders.reg' > /dev/null ||
        fail "$machine: no backup of SecurityProviders"
    assert_contains "$machine.backup1" "Windows Registry Editor Version 5.00" "$machine: the backup"
    grep -q '"Security Packages"' "$machine.backup1" || fail "$machine: the backup lacks Security Packages"
    grep -q 'the screen said' "$machine.ev/report.html" ||
        fail "$machine: the report does not show what the machine said"
    cp "$state" "$machine.fixed.json"

    # 3. A second run changes nothing; the first backup stays.
    assert_exit 0 "$VNCBOT" -q -c "$addr" run "$RUNBOOK/nla-fix.vnc"
    [[ $(registry_of "$state") == "$(registry_of "$machine.fixed.json")" ]] ||
        fail "$machine: a second nla-fix.vnc changed the registry"
    state_file "$state" "$backup" > "$machine.backup2"
    cmp -s "$machine.backup1" "$machine.backup2" || fail "$machine: the second run overwrote the first backup"

    # 4. The diagnosis after the fix.
    assert_exit 0 "$VNCBOT" -q -c "$addr" run "$RUNBOOK/nla-check.vnc"

    # 5. The rollback: the registry the machine started with.
    assert_exit 0 "$VNCBOT" -q -c "$addr" run "$RUNBOOK/nla-rollback.vnc"
    [[ $(registry_of "$state") == "$(registry_of "$machine.before.json")" ]] ||
        fail "$machine: nla-rollback.vnc did not put the registry back as it was: $(diff <(python3 -m json.tool "$machine.before.json") <(python3 -m json.tool "$state") | head -20)"
    stop_pid "$PRACTICE_PID" practice
done
note "ok: check, fix, fix again, check, rollback on $n machines ($*), over TCP and WebSocket"
}
