# tests/integration/fleet-lib.sh: helpers for the fleet tests and bench/fleet. Sourced after
# lib.sh, never run. It owns many practice consoles started at once (and stopped together,
# by their PIDs), vncbot on the PATH as the recipes of examples/fleet/ call it, and reading
# the --result objects vncbot writes. It leaves the recipes, and what to assert, to each
# test.
#
# Debian packages relied on (besides lib.sh's): jq (and, per test, parallel, ansible-core,
# python3-yaml).

# shellcheck disable=SC2034

FLEET_EXAMPLES=$PROJECT_DIR/examples/fleet

# fleet_path_vncbot: put the vncbot under test on the PATH as `vncbot`, as the recipes
# call it (a symlink in $TEST_TMP/bin, first on the PATH).
fleet_path_vncbot() {
    mkdir -p "$TEST_TMP/bin" || setup_fail "cannot create $TEST_TMP/bin"
    ln -sf -- "$VNCBOT" "$TEST_TMP/bin/vncbot" || setup_fail "cannot link $VNCBOT into $TEST_TMP/bin"
    PATH=$TEST_TMP/bin:$PATH
    export PATH
}

# require_result_option: the vncbot under test has --result (the recipes' contract).
require_result_option() {
    [[ $("$VNCBOT" --help 2>&1) == *--result* ]] ||
        setup_fail "$VNCBOT has no --result option (vncbot --help does not list it); the fleet recipes need it"
}

# start_practice_fleet N [PRACTICE OPTIONS...]: start N practice consoles at once, each on
# a port the kernel picks, with a new transcript in $TEST_TMP/fleet/I.transcript, and wait
# until every one has printed `listening 127.0.0.1:PORT` (20 s, or 20 s + 0.1 s a console
# for big fleets). Sets the arrays FLEET_PIDS, FLEET_PORTS and FLEET_TRANSCRIPTS (index
# 0..N-1). They are stopped together when the test ends (stop_practice_fleet).
# They start on the echo screen unless the options say `--start SCREEN`.
start_practice_fleet() {
    local n=$1 i out deadline left line re='^listening 127\.0\.0\.1:([0-9]+)$'
    shift
    FLEET_PIDS=() FLEET_PORTS=() FLEET_TRANSCRIPTS=()
    mkdir -p "$TEST_TMP/fleet" || setup_fail "cannot create $TEST_TMP/fleet"
    cleanup_add 'stop_practice_fleet'
    for ((i = 0; i < n; i++)); do
        FLEET_TRANSCRIPTS[i]=$TEST_TMP/fleet/$i.transcript
        rm -f -- "${FLEET_TRANSCRIPTS[i]}" # a fresh one (a console appends to it)
        "$VNCBOT_PRACTICE" --listen 127.0.0.1:0 --transcript "${FLEET_TRANSCRIPTS[i]}" -q --start echo "$@" \
            > "$TEST_TMP/fleet/$i.out" 2> "$TEST_TMP/fleet/$i.err" < /dev/null &
        FLEET_PIDS[i]=$!
    done
    deadline=$(($(now_us) + (20 + n / 10) * 1000000))
    for ((i = 0; i < n; i++)); do
        out=$TEST_TMP/fleet/$i.out
        while :; do
            line=$(head -n 1 "$out" 2> /dev/null)
            [[ $line =~ $re ]] && break
            pid_alive "${FLEET_PIDS[i]}" ||
                setup_fail "practice console $i exited before listening; stderr: $(tail -n 5 "$TEST_TMP/fleet/$i.err")"
            (($(now_us) < deadline)) ||
                setup_fail "practice console $i printed no 'listening 127.0.0.1:PORT' line in time (first line: '$line')"
            sleep 0.02
        done
        FLEET_PORTS[i]=${BASH_REMATCH[1]}
    done
}

# stop_practice_fleet: SIGTERM to every console of start_practice_fleet at once, up to 10 s
# for all to end, then SIGKILL to the rest; each reaped.
stop_practice_fleet() {
    local pid
    ((${#FLEET_PIDS[@]} > 0)) || return 0
    kill -TERM "${FLEET_PIDS[@]}" 2> /dev/null
    if ! wait_until 10 fleet_all_gone; then
        note "cleanup: $FLEET_LEFT practice consoles still running 10 s after SIGTERM; sending SIGKILL"
        kill -KILL "${FLEET_PIDS[@]}" 2> /dev/null
        wait_until 5 fleet_all_gone || note "cleanup: $FLEET_LEFT practice consoles survived SIGKILL"
    fi
    for pid in "${FLEET_PIDS[@]}"; do
        wait "$pid" 2> /dev/null
    done
    FLEET_PIDS=()
    return 0
}

# fleet_all_gone: no console of start_practice_fleet runs; sets FLEET_LEFT to those that do.
fleet_all_gone() {
    local pid
    FLEET_LEFT=0
    for pid in "${FLEET_PIDS[@]}"; do
        pid_alive "$pid" && FLEET_LEFT=$((FLEET_LEFT + 1))
    done
    ((FLEET_LEFT == 0))
}

# result_get FILE FILTER: the jq FILTER applied to the --result object in FILE, raw
# (`result_get r.json .verdict` prints succeeded); empty when FILE is no JSON object.
result_get() {
    jq -r "$2" -- "$1" 2> /dev/null || true
}

# assert_result FILE PORT VERDICT EXIT CLASS WHAT: FILE is one --result object (a single
# JSON object, nothing else; docs/result.md) with this verdict, exit and class, whose target
# is the console on 127.0.0.1 at PORT ("tcp 127.0.0.1:PORT").
assert_result() {
    local f=$1 port=$2 verdict=$3 exit=$4 class=$5 what=$6 got target
    [[ -s $f ]] || fail "$what: no result file $f"
    got=$(jq -s 'length == 1 and (.[0] | type == "object")' -- "$f" 2> /dev/null)
    [[ $got == true ]] || fail "$what: $f is not one JSON object: $(head -c 400 "$f")"
    got=$(result_get "$f" '"\(.verdict) \(.exit) \(.class)"')
    [[ $got == "$verdict $exit $class" ]] ||
        fail "$what: expected verdict, exit and class '$verdict $exit $class', got '$got'; error: $(result_get "$f" .error)"
    target=$(result_get "$f" .target)
    [[ $target == "tcp 127.0.0.1:$port" ]] ||
        fail "$what: the result's target is '$target', expected 'tcp 127.0.0.1:$port'"
}
