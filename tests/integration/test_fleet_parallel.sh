# The GNU parallel recipe of docs/fleet.md, run as the page shows it: 20 practice consoles
# (cmd windows with the broken registry, a VNC password), started at once, plus one
# address where nothing listens; examples/fleet/fleet-parallel.sh runs the NLA fix on all
# 21 with FLEET_JOBS=8, FLEET_RECORD=1 and the password by name (--password-env
# VNC_PASSWORD).
#
# - 21 result files, each one JSON object: the 20 consoles succeeded (exit 0, class ok,
#   the target their own port, the runbook's steps all ok, the evidence in RESULTS/NAME
#   with its report), the missing one is an error of class connection (exit 3);
# - the summary says "fleet: 20 of 21 consoles succeeded, 0 failed, 1 error, 0 without a
#   result (connection 1)" after one line naming the missing console, and the recipe
#   exits 1;
# - at most 8 vncbots ran at once, more than one did (parallel's job log), each console
#   was connected to once, and the password is in no file or output of the run.
# Then FLEET_TIMEOUT=2 on a script that waits 30 s: the run is stopped (SIGTERM) and its
# result says so (class signal, exit 143, its step interrupted), and so does the summary.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/fleet-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd parallel parallel
require_cmd jq jq
require_result_option
fleet_path_vncbot
export PARALLEL_HOME=$TEST_TMP/parallel-home # not ~/.parallel

consoles=20 jobs=8
password=fleet-pw-$RANDOM
printf '%s\n' "$password" > "$TEST_TMP/vnc-password"
chmod 600 "$TEST_TMP/vnc-password"

start_practice_fleet "$consoles" --start cmd --password-file "$TEST_TMP/vnc-password"
nothing_port=
free_port nothing_port
port_listening "$nothing_port" && setup_fail "port $nothing_port should be closed but listens"

targets=$TEST_TMP/targets.txt
{
    echo "# $consoles practice consoles and one address where nothing listens"
    for ((i = 0; i < consoles; i++)); do
        printf 'console-%02d  127.0.0.1::%s\n' "$i" "${FLEET_PORTS[i]}"
    done
    echo
    echo "nothing-there  127.0.0.1::$nothing_port"
} > "$targets"

results=$TEST_TMP/results
export VNC_PASSWORD=$password
FLEET_JOBS=$jobs FLEET_RECORD=1 run_bounded 110 "$FLEET_EXAMPLES/fleet-parallel.sh" "$targets" \
    "$PROJECT_DIR/scripts/windows/nla-fix.vnc" "$results" --password-env VNC_PASSWORD
unset VNC_PASSWORD
note "the recipe took ${LAST_SECONDS}s and exited $LAST_RC"
log_add "$LAST_ERR"
((LAST_RC != 124)) || fail "fleet-parallel.sh was still running after 110 s"

# One result per console.
n=$(find "$results" -name '*.json' | wc -l)
((n == consoles + 1)) ||
    fail "expected $((consoles + 1)) result files, found $n: $(ls "$results")"
for ((i = 0; i < consoles; i++)); do
    name=$(printf 'console-%02d' "$i")
    assert_result "$results/$name.json" "${FLEET_PORTS[i]}" succeeded 0 ok "$name"
done
assert_result "$results/nothing-there.json" "$nothing_port" error 3 connection "nothing-there"
# The runbook's steps, each ok, in each console's result.
steps=$("$VNCBOT" check "$PROJECT_DIR/scripts/windows/nla-fix.vnc" | grep -c ':[0-9]* *step "')
for ((i = 0; i < consoles; i++)); do
    name=$(printf 'console-%02d' "$i")
    got=$(result_get "$results/$name.json" '[.steps[].outcome] | "\(length) \(unique)"')
    [[ $got == "$steps [\"ok\"]" ]] ||
        fail "$name: expected the $steps steps of nla-fix.vnc, all ok, in its result; got: $(jq -c .steps -- "$results/$name.json")"
    assert_eq "$results/$name" "$(result_get "$results/$name.json" .evidence)" "$name: the result's evidence"
    [[ -s $results/$name/report.html ]] || fail "$name: no evidence report in $results/$name: $(ls "$results/$name" 2>&1)"
done

# The summary: the missing console, then the counts.
printf '%s\n' "nothing-there: error, connection, exit 3: " \
    "fleet: $consoles of $((consoles + 1)) consoles succeeded, 0 failed, 1 error, 0 without a result (connection 1)" \
    > "$TEST_TMP/summary.expected"
sed '1s/\(exit 3: \).*/\1/' "$LAST_OUT" > "$TEST_TMP/summary.got"
assert_file_equals "$TEST_TMP/summary.expected" "$TEST_TMP/summary.got" "the recipe's summary (stdout; the error text left out)"
assert_eq 1 "$LAST_RC" "fleet-parallel.sh's exit status (one console did not succeed)"
assert_contains "$LAST_ERR" "nothing-there:" "the recipe's stderr (vncbot's message, tagged with the console)"

# Bounded concurrency, from parallel's job log: Starttime and JobRuntime of each job.
[[ -s $results/joblog ]] || fail "parallel wrote no job log in $results/joblog"
peak=$(awk -F '\t' 'NR > 1 { printf "%.3f 1\n%.3f -1\n", $3, $3 + $4 }' "$results/joblog" |
    sort -k1,1g -k2,2n | awk '{ now += $2; if (now > peak) peak = now } END { print peak + 0 }')
((peak <= jobs)) || fail "$peak vncbots ran at once; FLEET_JOBS=$jobs allows $jobs"
((peak > 1)) || fail "the vncbots ran one at a time (peak $peak); parallel should run up to $jobs"
note "at most $peak vncbots ran at once"

# Each console was connected to exactly once.
for ((i = 0; i < consoles; i++)); do
    c=$(grep -c '^# connect ' "${FLEET_TRANSCRIPTS[i]}" || true)
    ((c == 1)) || fail "console-$i saw $c connections; expected 1"
done

# The password stayed out of everything the run wrote.
if grep -rlF -- "$password" "$results" "$LAST_OUT" "$LAST_ERR" > "$TEST_TMP/leaks"; then
    fail "the VNC password is in: $(tr '\n' ' ' < "$TEST_TMP/leaks")"
fi

# A run longer than FLEET_TIMEOUT.
printf '%s\n' 'step "Wait for a console that never answers" {' '  wait 30s' '}' > "$TEST_TMP/long.vnc"
printf 'slow  127.0.0.1::%s\n' "${FLEET_PORTS[0]}" > "$TEST_TMP/slow.txt"
export VNC_PASSWORD=$password
FLEET_TIMEOUT=2 run_bounded 60 "$FLEET_EXAMPLES/fleet-parallel.sh" "$TEST_TMP/slow.txt" \
    "$TEST_TMP/long.vnc" "$TEST_TMP/slow-results" --password-env VNC_PASSWORD
unset VNC_PASSWORD
assert_eq 1 "$LAST_RC" "fleet-parallel.sh's exit status (FLEET_TIMEOUT stopped the run)"
((${LAST_SECONDS%.*} < 20)) || fail "FLEET_TIMEOUT=2 did not stop a 30 s run: the recipe took ${LAST_SECONDS}s"
assert_result "$TEST_TMP/slow-results/slow.json" "${FLEET_PORTS[0]}" error 143 signal "slow"
assert_eq '["interrupted"]' "$(jq -c '[.steps[].outcome]' -- "$TEST_TMP/slow-results/slow.json")" \
    "slow: the outcome of its step"
assert_matches "$LAST_OUT" '^fleet: 0 of 1 consoles succeeded, 0 failed, 1 error, 0 without a result \(signal 1\)$' \
    "the summary of the run stopped by FLEET_TIMEOUT"

note "ok: $consoles consoles succeeded, the missing one is class connection, and the summary counts both; FLEET_TIMEOUT stops a run with a result of class signal"
