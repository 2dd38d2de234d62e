# tests/integration/hostile-lib.sh: helpers for the tests that run vncbot against the hostile
# server (tests/tools/hostile_server.c), an RFB server that misbehaves on purpose. Sourced
# after lib.sh, never run.
#
# Each case gets a directory $TEST_TMP/CASE with its own server (one --mode), the server's
# log of every client message (`key down 0xffe1`, ...), and one vncbot run in the
# background, started in that directory (where a crash would leave its core file) under a
# python3 wrapper that records how it ended (`exit N` or `signal N`) and when. Cases run in
# parallel: a test starts them all, then waits for each against its own deadline.
#
# The checks do not stop at the first failure: each says `FAIL: test: case: what differed`
# and counts; hostile_verdict ends the test (exit 1 if anything failed), so one run shows
# every case that breaks the contract.

# shellcheck disable=SC2034

: "${HOSTILE_SERVER:=$PROJECT_DIR/build/tests/hostile_server}"
export HOSTILE_SERVER

HOSTILE_FAILURES=0

require_hostile_server() {
    [[ -x $HOSTILE_SERVER ]] ||
        setup_fail "hostile server not found or not executable: $HOSTILE_SERVER (build the hostile_server target, or set HOSTILE_SERVER)"
}

# problem CASE MESSAGE...: one broken promise; the test goes on and fails at the end.
problem() {
    local c=$1
    shift
    printf 'FAIL: %s: %s: %s\n' "$TEST_NAME" "$c" "$*" >&2
    HOSTILE_FAILURES=$((HOSTILE_FAILURES + 1))
}

# hostile_verdict SUMMARY: exit 1 if any check failed, else say SUMMARY. A server that
# complained on stderr (a client message it could not take, a sanitizer report of its own)
# fails the test too: the scenario was not the one intended.
hostile_verdict() {
    local err
    for err in "$TEST_TMP"/*/server.err; do
        [[ -s $err ]] || continue
        problem "$(basename "$(dirname "$err")")" "the hostile server complained: $(head -c 400 "$err")"
    done
    if ((HOSTILE_FAILURES > 0)); then
        printf 'FAIL: %s: %d check(s) failed (see above)\n' "$TEST_NAME" "$HOSTILE_FAILURES" >&2
        exit 1
    fi
    note "ok: $*"
}

# ---------------------------------------------------------------------------------------
# The server

# hostile_start CASE MODE [SERVER OPTIONS...]: start a hostile server in MODE for CASE on
# a port the kernel picks (read back from --port-file), and wait until it listens.
hostile_start() {
    local c=$1 mode=$2 d=$TEST_TMP/$1 pid
    shift 2
    mkdir -p "$d" || setup_fail "cannot create $d"
    "$HOSTILE_SERVER" --port 0 --port-file "$d/port" --mode "$mode" --log "$d/server.log" "$@" \
        < /dev/null > "$d/server.out" 2> "$d/server.err" &
    pid=$!
    echo "$pid" > "$d/server.pid"
    cleanup_add "stop_pid $pid hostile-server-$c"
    wait_until 10 "[[ -s '$d/port' ]] || ! pid_alive $pid"
    [[ -s $d/port ]] ||
        setup_fail "$c: the hostile server ($mode) wrote no port within 10 s: $(tail -n 5 "$d/server.err")"
}

hostile_port() { head -n 1 "$TEST_TMP/$1/port"; }

# ---------------------------------------------------------------------------------------
# vncbot in the background

# bot_start CASE ARGS...: run `vncbot -c 127.0.0.1::PORT ARGS...` against CASE's server, in
# $TEST_TMP/CASE, stdin /dev/null, stdout and stderr in bot.out / bot.err. The wrapper sets
# INT, TERM, HUP and QUIT back to their defaults (a background job of a non-interactive
# shell starts with INT and QUIT ignored) and lifts the core size limit, so that a crash
# leaves a core file where core_pattern allows one. It writes bot.pid (`PID STARTED_US`)
# and, when vncbot ends, bot.status (`exit N` or `signal N`, STARTED_US, ENDED_US).
bot_start() {
    local c=$1 d=$TEST_TMP/$1 port wrapper
    shift
    port=$(hostile_port "$c")
    rm -f -- "$d/bot.status" "$d/bot.pid"
    python3 -c '
import os, resource, signal, subprocess, sys, time
status, pidfile, cwd = sys.argv[1], sys.argv[2], sys.argv[3]
def child():
    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
        signal.signal(s, signal.SIG_DFL)
    hard = resource.getrlimit(resource.RLIMIT_CORE)[1]
    resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
def put(path, text):
    with open(path + ".tmp", "w") as f:
        f.write(text)
    os.rename(path + ".tmp", path)
def us():
    return time.time_ns() // 1000
t0 = us()
p = subprocess.Popen(sys.argv[4:], cwd=cwd, preexec_fn=child)
put(pidfile, "%d %d\n" % (p.pid, t0))
rc = p.wait()
t1 = us()
put(status, "%s %d %d %d\n" % ("signal" if rc < 0 else "exit", abs(rc), t0, t1))
' "$d/bot.status" "$d/bot.pid" "$d" "$VNCBOT" -c "127.0.0.1::$port" "$@" \
        < /dev/null > "$d/bot.out" 2> "$d/bot.err" &
    wrapper=$!
    cleanup_add "stop_pid $wrapper vncbot-wrapper-$c"
    wait_until 10 "[[ -s '$d/bot.pid' ]] || ! pid_alive $wrapper"
    [[ -s $d/bot.pid ]] || setup_fail "$c: the python3 wrapper did not start vncbot: $(tail -n 5 "$d/bot.err")"
    read -r BOT_PID _ < "$d/bot.pid"
    cleanup_add "stop_pid $BOT_PID vncbot-$c"
}

bot_pid() {
    local pid _rest
    read -r pid _rest < "$TEST_TMP/$1/bot.pid"
    echo "$pid"
}

bot_ended() { [[ -s $TEST_TMP/$1/bot.status ]]; }

# bot_failed CASE: vncbot ended with a non-zero exit status (it has a reason to give).
bot_failed() {
    local how n
    bot_ended "$1" || return 1
    read -r how n _ < "$TEST_TMP/$1/bot.status"
    [[ $how == exit ]] && ((n != 0))
}

# bot_wait CASE SECONDS: wait until CASE's vncbot has ended, at most until SECONDS after it
# started; if it still runs then, it is a problem, and it is killed (SIGKILL, so that it
# cannot release keys or print anything more: what it did in time is what is checked).
# Sets BOT_HOW (`exit 3`, `signal 11`, or `running`), BOT_ENDED_US and BOT_SECONDS (its
# run time, 0.001 s resolution). Returns 1 if it had to be killed: its other checks would
# only repeat that.
bot_wait() {
    local started
    read -r _ started < "$TEST_TMP/$1/bot.pid"
    bot_wait_until "$1" $((started + $2 * 1000000)) "$2 s after it started"
}

# bot_wait_until CASE DEADLINE_US WHEN: as bot_wait, with a deadline in epoch microseconds
# (now_us), described as WHEN in the problem.
bot_wait_until() {
    local c=$1 deadline=$2 when=$3 d=$TEST_TMP/$1 pid how n t0 t1 left
    read -r pid _ < "$d/bot.pid"
    left=$((deadline - $(now_us)))
    ((left < 0)) && left=0
    wait_until "$((left / 1000000)).$(printf '%06d' $((left % 1000000)))" "bot_ended $c"
    if ! bot_ended "$c"; then
        BOT_HOW=running
        BOT_SECONDS='?'
        problem "$c" "vncbot still running $when; killed. stderr: $(head -c 400 "$d/bot.err")"
        kill -KILL "$pid" 2> /dev/null
        wait_until 5 "bot_ended $c"
        return 1
    fi
    read -r how n t0 t1 < "$d/bot.status"
    BOT_HOW="$how $n"
    BOT_ENDED_US=$t1
    BOT_SECONDS=$(printf '%d.%03d' $(((t1 - t0) / 1000000)) $((((t1 - t0) / 1000) % 1000)))
    return 0
}

# bot_said CASE: the first line of what vncbot printed on stderr, without progress lines
# (and without the rule that opens a sanitizer report).
bot_said() { grep -v -e '^\[ *[0-9.]*\] ' -e '^=*$' "$TEST_TMP/$1/bot.err" | head -n 1; }

# ---------------------------------------------------------------------------------------
# Checks: each says what differed and goes on.

# us_at_most US LIMIT_SECONDS: US microseconds are no more than LIMIT_SECONDS (may be
# fractional, like 3.5).
us_at_most() {
    local whole=${2%%.*} frac=0
    [[ $2 == *.* ]] && frac=${2#*.}
    frac=${frac}000000
    (($1 <= 10#${whole:-0} * 1000000 + 10#${frac:0:6}))
}

# expect_end CASE 'exit 3|exit 1' MAX_SECONDS: vncbot ended one of these ways (a `|` list)
# within MAX_SECONDS of its start. A death by signal is named as a crash. Call after
# bot_wait.
expect_end() {
    local c=$1 want=$2 max=$3 d=$TEST_TMP/$1 how n t0 t1
    bot_ended "$c" || return 0 # bot_wait already said so
    read -r how n t0 t1 < "$d/bot.status"
    if [[ "|$want|" != *"|$how $n|"* ]]; then
        local why=
        [[ $how == signal ]] && why=" (died of signal $n: a crash, or a signal it does not handle)"
        [[ $how == exit ]] && ((n > 128)) && why=" (128+$((n - 128)): died of a signal)"
        problem "$c" "expected ${want//|/ or }, got $how $n$why after ${BOT_SECONDS}s; stderr: $(head -c 600 "$d/bot.err")"
    fi
    us_at_most $((t1 - t0)) "$max" ||
        problem "$c" "took ${BOT_SECONDS}s, more than the ${max}s allowed ($how $n: $(bot_said "$c"))"
}

# expect_no_sanitizer_report CASE: ASan, UBSan and LSan said nothing on vncbot's stderr.
# Returns 1 after a report: checks of the message would only repeat it.
expect_no_sanitizer_report() {
    local c=$1 err=$TEST_TMP/$1/bot.err line
    line=$(grep -m1 -E 'ERROR: AddressSanitizer|runtime error:|LeakSanitizer' "$err") || return 0
    problem "$c" "a sanitizer report on stderr: $line"
    return 1
}

# expect_no_core CASE: vncbot left no core file in its directory.
expect_no_core() {
    local c=$1 f
    for f in "$TEST_TMP/$c"/core "$TEST_TMP/$c"/core.*; do
        [[ -e $f ]] && problem "$c" "vncbot left a core file: ${f##*/}"
    done
    return 0
}

# expect_stderr CASE REGEX WHAT: vncbot's stderr has a line matching REGEX (extended, any
# case).
expect_stderr() {
    local c=$1 err=$TEST_TMP/$1/bot.err
    grep -qiE -- "$2" "$err" ||
        problem "$c" "stderr should $3 (/$2/); it says: $(head -c 600 "$err")"
}

# expect_one_reason CASE: the error is one line (progress lines `[  0.02] ...` and `hint:`
# lines aside), not a cascade.
expect_one_reason() {
    local c=$1 err=$TEST_TMP/$1/bot.err n
    n=$(grep -v -e '^hint: ' -e '^\[ *[0-9.]*\] ' "$err" | grep -c .)
    ((n == 1)) ||
        problem "$c" "stderr should give one reason line (plus hints), has $n: $(head -c 600 "$err")"
}

# server_log_done CASE: the server has logged the end of the connection, so every key
# event vncbot managed to send is in its log.
server_log_done() { grep -q '^# disconnect' "$TEST_TMP/$1/server.log" 2> /dev/null; }

# expect_keys_released CASE [KEYSYM]: the server saw every key that went down come up
# again; with KEYSYM (0xffe1), that key went down and the last key event is its release.
# Waits up to 5 s for the server to log the end of the connection.
expect_keys_released() {
    local c=$1 key=${2:-} log=$TEST_TMP/$1/server.log held last
    wait_until 5 "server_log_done $c" ||
        problem "$c" "the server logged no '# disconnect' within 5 s of vncbot's end (keys checked anyway)"
    held=$(awk '$1 == "key" && $2 == "down" { h[$3] = 1 }
                $1 == "key" && $2 == "up" { delete h[$3] }
                END { for (k in h) printf "%s ", k }' "$log")
    [[ -z $held ]] ||
        problem "$c" "keys pressed and never released, by the server's log: $held(last key lines: $(grep '^key ' "$log" | tail -n 4 | tr '\n' ';'))"
    [[ -n $key ]] || return 0
    grep -qx "key down $key" "$log" ||
        problem "$c" "the server never saw 'key down $key' (the scenario did not happen); its log ends: $(tail -n 5 "$log" | tr '\n' ';')"
    last=$(grep '^key ' "$log" | tail -n 1)
    [[ $last == "key up $key" ]] ||
        problem "$c" "the last key event the server saw is '$last', not 'key up $key'"
}

# expect_no_keys CASE: no key event reached the server (the handshake never completed).
expect_no_keys() {
    local c=$1 n
    n=$(grep -c '^key ' "$TEST_TMP/$1/server.log")
    ((n == 0)) || problem "$c" "$n key event(s) reached a server that never finished the handshake"
}

# png_size FILE: "WxH" from the PNG's IHDR chunk, or nothing if FILE is not a PNG.
png_size() {
    local b
    [[ -s $1 ]] || return 0
    [[ $(head -c 8 "$1" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] || return 0
    read -r -a b < <(od -An -tu1 -j 16 -N 8 "$1")
    echo "$(((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]))x$(((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]))"
}

# expect_png CASE FILE WxH: vncbot wrote FILE (relative to the case's directory), a PNG of
# WxH pixels.
expect_png() {
    local c=$1 f=$TEST_TMP/$1/$2 got
    got=$(png_size "$f")
    [[ $got == "$3" ]] ||
        problem "$c" "$2 should be a $3 PNG, is ${got:-missing or not a PNG} ($(file -b "$f" 2> /dev/null || echo no file))"
}
