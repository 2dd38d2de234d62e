# A signal that stops vncbot before any console was connected says so without claiming
# that held keys were released (none could be held): check (no console at all) stops at
# once as any program does, and run, stopped while still reading its script, says only
# "stopped by signal 15 (Terminated)". Both exit 128+15. The script comes on standard
# input from a FIFO this test keeps open, so vncbot is still reading when the signal comes.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_vncbot

closed_port=
free_port closed_port
port_listening "$closed_port" && setup_fail "port $closed_port should be closed but listens"

in=$TEST_TMP/stdin
mkfifo "$in" || setup_fail "mkfifo failed"
exec {hold}<> "$in" # a writer that never writes: reads of $in wait

# stopped_while_reading NAME ARGS...: start vncbot ARGS with stdin $in, let it block reading
# the script, SIGTERM it; it must end with 143 within 10 s. Its stderr is in $BOT_ERR.
stopped_while_reading() {
    local name=$1 bot rc
    shift
    BOT_ERR=$TEST_TMP/$name.stderr
    "$VNCBOT" "$@" < "$in" > "$TEST_TMP/$name.stdout" 2> "$BOT_ERR" &
    bot=$!
    cleanup_add "stop_pid $bot vncbot"
    sleep 0.5
    pid_alive "$bot" || fail "$name: vncbot ended before the signal: $(cat "$BOT_ERR")"
    kill -TERM "$bot"
    wait_until 10 "! pid_alive $bot" || fail "$name: still running 10 s after SIGTERM"
    wait "$bot"
    rc=$?
    assert_eq 143 "$rc" "$name: exit status after SIGTERM (stderr: $(cat "$BOT_ERR"))"
    assert_not_contains "$BOT_ERR" "held keys" "$name: stderr"
}

stopped_while_reading check check -
[[ ! -s $BOT_ERR ]] || fail "check: a message after SIGTERM: $(cat "$BOT_ERR")"

stopped_while_reading run -c "127.0.0.1::$closed_port" run -
assert_contains "$BOT_ERR" "stopped by signal 15" "run: stderr"

exec {hold}>&-
note "ok: a signal before any console says nothing of held keys"
