# A running vncbot holding secrets cannot leave them in a core file:
#
# 1. it is not dumpable: the kernel gives a non-dumpable process's /proc/PID files to root
#    whatever user it runs as, so vncbot is run as an unprivileged user (nobody, through
#    setpriv, when the test runs as root) and, while it waits after typing a secret,
#    /proc/PID/status must belong to root; a plain process started the same way (the
#    control) belongs to that user, so the check can tell the two apart. Its core size
#    limit (/proc/PID/limits) is 0.
# 2. SIGSEGV leaves no core: with `ulimit -c unlimited` and the machine's core_pattern
#    writing `core` files into the working directory, a control process killed by SIGSEGV
#    there leaves one (else this part is skipped: the machine keeps cores elsewhere, and the
#    test does not change the system-wide core_pattern other processes share), and vncbot
#    killed by SIGSEGV mid-run leaves none. (Under ASan, whose own SIGSEGV handler and core
#    setting would do it for us, ASAN_OPTIONS hands both back to vncbot.)
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3

export CORE_TEST_SECRET='c0re-Secret!'
script=(--secret pw=env:CORE_TEST_SECRET -e 'type secret pw; wait 30s')

# wait_secret_typed NAME: the secret's last key (!) arrived: vncbot has read the secret
# and is in its wait.
wait_secret_typed() {
    wait_until 20 "grep -q '^up 0x0021 exclam$' '$TRANSCRIPT' || [[ -s '$BG_STATUS' ]]" ||
        fail "$1: the secret was not typed within 20 s: $(tr '\n' ';' < "$TRANSCRIPT")"
    [[ -s $BG_STATUS ]] &&
        fail "$1: vncbot ended ($(cat "$BG_STATUS")) while it should wait; stderr: $(head -c 600 "$BG_ERR")"
    return 0
}

# --- 1. not dumpable ---------------------------------------------------------------------
name=vncbot_is_not_dumpable
run_as=()
if (($(id -u) == 0)); then
    require_cmd setpriv util-linux
    run_as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
fi
user=$(id -u)
((${#run_as[@]})) && user=65534
# The control: a process started the same way, as dumpable as any.
"${run_as[@]}" sleep 30 &
control=$!
cleanup_add "stop_pid $control control"
wait_until 5 "[[ \$(awk '/^Uid:/ { print \$2 }' /proc/$control/status 2> /dev/null) == $user ]]" ||
    setup_fail "the control process did not start as uid $user"
assert_eq "$user" "$(stat -c %u "/proc/$control/status")" \
    "owner of /proc/PID/status of a dumpable process run as uid $user (the control)"
stop_pid "$control" control

practice_fresh $name
real_vncbot=$VNCBOT
runner=$TEST_TMP/run-as.sh
printf '#!/bin/sh\nexec %s "$@"\n' "$(printf '%q ' "${run_as[@]}" "$real_vncbot")" > "$runner"
chmod +x "$runner"
VNCBOT=$runner vncbot_bg $name -c "$PRACTICE_ADDR" "${script[@]}"
wait_secret_typed $name
assert_eq "$user" "$(awk '/^Uid:/ { print $2 }' "/proc/$BG_PID/status")" "$name: the uid vncbot runs as"
assert_eq 0 "$(stat -c %u "/proc/$BG_PID/status")" \
    "$name: owner of /proc/PID/status of vncbot (root: not dumpable)"
core_limit=$(awk '/^Max core file size/ { print $5 "/" $6 }' "/proc/$BG_PID/limits")
assert_eq 0/0 "$core_limit" "$name: vncbot's core file size limit (soft/hard)"
kill -TERM "$BG_PID"
bg_wait 15
assert_eq "exit 143" "$BG_RESULT" "$name: how vncbot ended after SIGTERM"

# --- 2. no core on SIGSEGV -----------------------------------------------------------------
name=sigsegv_leaves_no_core_file
cores=$TEST_TMP/cores
mkdir -p "$cores/control" "$cores/vncbot"
ulimit -S -c unlimited 2> /dev/null || skip "cannot raise the core size limit (ulimit -c)"
(cd "$cores/control" && exec sleep 30) &
control=$!
cleanup_add "stop_pid $control control"
sleep 0.2
kill -SEGV "$control"
wait "$control" 2> /dev/null
if ! wait_until 5 "compgen -G '$cores/control/core*' > /dev/null"; then
    ulimit -S -c 0
    note "skipped the SIGSEGV part: a process killed by SIGSEGV here leaves no core in its directory (core_pattern: $(cat /proc/sys/kernel/core_pattern))"
    note "ok: vncbot is not dumpable (/proc/PID owned by root, core limit 0)"
    exit 0
fi

practice_fresh $name
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0:disable_coredump=0
cd "$cores/vncbot" || setup_fail "cannot enter $cores/vncbot"
vncbot_bg $name -c "$PRACTICE_ADDR" "${script[@]}"
cd - > /dev/null || exit 1
ulimit -S -c 0
wait_secret_typed $name
kill -SEGV "$BG_PID"
bg_wait 15
assert_eq "signal 11" "$BG_RESULT" "$name: how vncbot ended after SIGSEGV"
sleep 1 # the kernel writes a core before the parent sees the death, but be generous
left=$(ls -A "$cores/vncbot")
[[ -z $left ]] || fail "$name: vncbot killed by SIGSEGV left $left in its working directory"

note "ok: vncbot is not dumpable (/proc/PID owned by root, core limit 0) and SIGSEGV leaves no core"
