# tests/integration/lib.sh: shared helpers for the integration tests and for bench/.
# Sourced, never run. It owns the plumbing every scenario needs: a temp dir, a cleanup
# registry run on exit, waiting on a condition with a deadline, free X displays and TCP
# ports (locked against parallel ctest), starting Xvnc, an xterm running `cat > FILE`, the
# practice console and a silent TCP listener, and assertions that say what differed.
# It leaves the scenario, and what to assert, to each test.
#
# Conventions:
#   - exit 0 pass, 1 fail, 77 skip (a required tool is missing; VNCBOT_TEST_NO_SKIP=1 turns
#     a skip into a failure, for CI machines that must have everything);
#   - "FAIL: ..." is a test failure (vncbot did the wrong thing), "setup: ..." means the
#     harness could not arrange the scenario (a server did not start, ...): not vncbot's fault;
#   - every server listens on 127.0.0.1 only and is stopped by its PID on exit;
#   - VNCBOT_KEEP_TMP=1 keeps the temp dir for a post-mortem.
#
# Environment (set by ctest; defaults for running a test by hand from the repo):
#   PROJECT_DIR       repo root                       (default: two levels above this file)
#   VNCBOT            the vncbot binary               (default: $PROJECT_DIR/build/vncbot)
#   VNCBOT_PRACTICE   the practice console binary     (default: $PROJECT_DIR/build/vncbot-practice)
#
# Debian packages relied on: tigervnc-standalone-server tigervnc-tools xterm x11-utils
# python3 procps (coreutils, util-linux's flock and file are in every Debian install;
# `file` is optional).

# Variables set here are read by the scripts that source this file; $ in single quotes is
# for eval or a child shell.
# shellcheck disable=SC2034,SC2016

set -u -o pipefail

VB_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${PROJECT_DIR:=$(cd "$VB_LIB_DIR/../.." && pwd)}"
: "${VNCBOT:=$PROJECT_DIR/build/vncbot}"
: "${VNCBOT_PRACTICE:=$PROJECT_DIR/build/vncbot-practice}"
export PROJECT_DIR VNCBOT VNCBOT_PRACTICE

TEST_NAME=$(basename "$0" .sh)
# Bound on every command run through assert_exit/run_bounded, in seconds.
: "${VB_CMD_TIMEOUT:=120}"
# Lock files that keep parallel tests (ctest -j) off each other's displays and ports.
VB_LOCK_DIR=/tmp/vncbot-test-locks

# ---------------------------------------------------------------------------------------
# Messages and verdicts

note() { printf '%s: %s\n' "$TEST_NAME" "$*" >&2; }

# fail MESSAGE...: the behaviour under test is wrong.
fail() {
    printf 'FAIL: %s: %s\n' "$TEST_NAME" "$*" >&2
    exit 1
}

# setup_fail MESSAGE...: the harness could not arrange the scenario.
setup_fail() {
    printf 'setup: %s: %s\n' "$TEST_NAME" "$*" >&2
    exit 1
}

# skip MESSAGE...: a prerequisite is missing on this machine.
skip() {
    if [[ ${VNCBOT_TEST_NO_SKIP:-0} == 1 ]]; then
        setup_fail "$* (VNCBOT_TEST_NO_SKIP=1, so this is a failure, not a skip)"
    fi
    printf 'skip: %s: %s\n' "$TEST_NAME" "$*" >&2
    exit 77
}

# require_cmd CMD PACKAGE...: skip unless CMD is on PATH.
require_cmd() {
    local cmd=$1
    shift
    command -v "$cmd" > /dev/null 2>&1 ||
        skip "'$cmd' not found (Debian: apt-get install $*)"
}

require_xvnc_tools() {
    require_cmd Xvnc tigervnc-standalone-server
    require_cmd xterm xterm
    require_cmd xwininfo x11-utils
    require_cmd python3 python3
    require_cmd flock util-linux
    require_cmd timeout coreutils
}

# require_vncbot: the binary under test must exist; its absence is a failure, not a skip.
require_vncbot() {
    [[ -x $VNCBOT ]] || setup_fail "vncbot binary not found or not executable: $VNCBOT (build it, or set VNCBOT)"
}

require_practice() {
    [[ -x $VNCBOT_PRACTICE ]] ||
        setup_fail "practice console not found or not executable: $VNCBOT_PRACTICE (build it, or set VNCBOT_PRACTICE)"
}

# ---------------------------------------------------------------------------------------
# Cleanup registry: commands run in reverse order of registration when the shell exits,
# whatever the reason (pass, fail, INT, TERM). Logs registered with log_add are shown
# (their tail) when the test ends in failure.

VB_CLEANUPS=()
VB_LOGS=()

# cleanup_add 'COMMAND': eval COMMAND on exit (quote variables when registering).
cleanup_add() { VB_CLEANUPS+=("$*"); }

# log_add FILE [LABEL]: show the tail of FILE if the test fails.
log_add() { VB_LOGS+=("$1"); }

vb_on_exit() {
    local rc=$? i log
    trap - EXIT INT TERM HUP
    if ((rc != 0 && rc != 77)) && ((${#VB_LOGS[@]} > 0)); then
        for log in "${VB_LOGS[@]}"; do
            [[ -s $log ]] || continue
            printf -- '---- last lines of %s ----\n' "${log##*/}" >&2
            tail -n 15 "$log" >&2
        done
    fi
    for ((i = ${#VB_CLEANUPS[@]} - 1; i >= 0; i--)); do
        eval "${VB_CLEANUPS[i]}" || true
    done
    exit "$rc"
}
trap vb_on_exit EXIT
trap 'note "interrupted by SIGHUP"; exit 129' HUP
trap 'note "interrupted by SIGINT"; exit 130' INT
trap 'note "interrupted by SIGTERM"; exit 143' TERM

# The test's own temp dir, removed on exit (unless VNCBOT_KEEP_TMP=1).
TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/vncbot-$TEST_NAME.XXXXXX") ||
    setup_fail "cannot create a temp dir"
if [[ ${VNCBOT_KEEP_TMP:-0} == 1 ]]; then
    cleanup_add 'note "kept temp dir $TEST_TMP"'
else
    cleanup_add 'rm -rf -- "$TEST_TMP"'
fi

# ---------------------------------------------------------------------------------------
# Time and processes

# now_us: wall clock in microseconds.
now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }

# wait_until SECONDS 'COMMAND': eval COMMAND every 50 ms until it succeeds (return 0) or
# SECONDS (may be fractional) have passed (return 1). COMMAND is evaluated in this shell.
wait_until() {
    local secs=$1
    shift
    local whole=${secs%%.*} frac=0
    [[ $secs == *.* ]] && frac=${secs#*.}
    frac=${frac}000000
    local deadline=$(($(now_us) + 10#${whole:-0} * 1000000 + 10#${frac:0:6}))
    while :; do
        eval "$*" && return 0
        (($(now_us) >= deadline)) && return 1
        sleep 0.05
    done
}

# pid_alive PID: true while PID runs (a zombie counts as gone).
pid_alive() {
    local stat
    kill -0 "$1" 2> /dev/null || return 1
    { read -r stat < "/proc/$1/stat"; } 2> /dev/null || return 1
    stat=${stat##*) }
    [[ ${stat%% *} != Z ]]
}

# stop_pid PID [NAME]: SIGTERM, wait up to 5 s, then SIGKILL; reap it if it is our child.
stop_pid() {
    local pid=$1 name=${2:-process}
    if pid_alive "$pid"; then
        kill -TERM "$pid" 2> /dev/null
        if ! wait_until 5 "! pid_alive $pid"; then
            note "cleanup: $name (pid $pid) still running 5 s after SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2> /dev/null
            wait_until 5 "! pid_alive $pid" || note "cleanup: $name (pid $pid) survived SIGKILL"
        fi
    fi
    wait "$pid" 2> /dev/null
    return 0
}

# run_bounded SECONDS CMD ARGS...: run CMD with stdin from /dev/null, stdout and stderr to
# $LAST_OUT and $LAST_ERR, killed after SECONDS (exit 124 then). Sets LAST_RC, LAST_SECONDS
# (wall time, 0.001 s resolution) and LAST_CMD.
LAST_OUT=$TEST_TMP/last.stdout
LAST_ERR=$TEST_TMP/last.stderr
LAST_RC=0
LAST_SECONDS=0
LAST_CMD=
run_bounded() {
    local secs=$1
    shift
    local t0 t1
    LAST_CMD=$(printf '%q ' "$@")
    t0=$(now_us)
    timeout -k 5 "$secs" "$@" < /dev/null > "$LAST_OUT" 2> "$LAST_ERR"
    LAST_RC=$?
    t1=$(now_us)
    LAST_SECONDS=$(printf '%d.%03d' $(((t1 - t0) / 1000000)) $((((t1 - t0) / 1000) % 1000)))
    return 0
}

# ---------------------------------------------------------------------------------------
# Free displays and ports. Each choice is held by a flock on a file in $VB_LOCK_DIR for as
# long as this shell (or a child that inherited the descriptor, such as the server) lives,
# so parallel tests never pick the same one; the kernel drops the lock when they exit.

vb_lock() { # vb_lock NAME: take the lock NAME without waiting; 0 if taken
    local fd
    mkdir -p "$VB_LOCK_DIR" 2> /dev/null
    exec {fd}> "$VB_LOCK_DIR/$1" || return 1
    if flock -n "$fd"; then
        return 0
    fi
    exec {fd}>&-
    return 1
}

# port_in_use PORT: any TCP socket (IPv4 or IPv6, any state) on local port PORT.
port_in_use() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -q "^ *[0-9]*: [0-9A-F]*:$hex " /proc/net/tcp /proc/net/tcp6 2> /dev/null
}

# port_listening PORT: a socket listens on local TCP port PORT.
port_listening() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -q "^ *[0-9]*: [0-9A-F]*:$hex [0-9A-F]*:0000 0A " /proc/net/tcp /proc/net/tcp6 2> /dev/null
}

# port_has_established PORT: an established connection has local port PORT (server side).
port_has_established() {
    local hex
    hex=$(printf '%04X' "$1")
    grep -q "^ *[0-9]*: [0-9A-F]*:$hex [0-9A-F]*:[0-9A-F]* 01 " /proc/net/tcp /proc/net/tcp6 2> /dev/null
}

# free_port VAR: set VAR to a TCP port nothing uses, locked for this test. Ports are drawn
# from 20000-29999, below the kernel's ephemeral range, so client sockets do not take them.
free_port() {
    local _fp_var=$1 _fp_try _fp_p
    for ((_fp_try = 0; _fp_try < 200; _fp_try++)); do
        _fp_p=$((20000 + (RANDOM * 32768 + RANDOM) % 10000))
        port_in_use "$_fp_p" && continue
        vb_lock "port-$_fp_p" || continue
        printf -v "$_fp_var" '%s' "$_fp_p"
        return 0
    done
    setup_fail "no free TCP port found in 20000-29999"
}

# free_display VAR: set VAR to an X display number with no server, locked for this test.
free_display() {
    local _fd_var=$1 _fd_try _fd_d
    for ((_fd_try = 0; _fd_try < 200; _fd_try++)); do
        _fd_d=$((20 + (RANDOM * 32768 + RANDOM) % 480))
        [[ -e /tmp/.X$_fd_d-lock || -e /tmp/.X11-unix/X$_fd_d ]] && continue
        vb_lock "display-$_fd_d" || continue
        printf -v "$_fd_var" '%s' "$_fd_d"
        return 0
    done
    setup_fail "no free X display number found in 20-499"
}

# ---------------------------------------------------------------------------------------
# Xvnc

# make_vnc_password_file FILE PASSWORD: the obfuscated file Xvnc's -PasswordFile reads.
make_vnc_password_file() {
    require_cmd vncpasswd tigervnc-tools
    printf '%s\n' "$2" | vncpasswd -f > "$1" 2> "$TEST_TMP/vncpasswd.err" ||
        setup_fail "vncpasswd -f failed: $(cat "$TEST_TMP/vncpasswd.err")"
}

# start_xvnc [--vncauth PASSWD_FILE] [--geometry WxH]: start TigerVNC's Xvnc on a free
# display and port, 127.0.0.1 only, and wait until both the X display and the RFB port
# answer. Sets XVNC_PID, XVNC_DISPLAY (":N"), XVNC_PORT, XVNC_ADDR (127.0.0.1::PORT for
# vncbot -c) and XVNC_LOG. Another process taking the display or port between the choice
# and the bind makes Xvnc exit at once: then it is tried again with another pair.
start_xvnc() {
    local sec=(-SecurityTypes None) geometry=1024x768 attempt d p log
    while (($#)); do
        case $1 in
        --vncauth)
            # A high blacklist threshold: tests try wrong passwords on purpose.
            sec=(-SecurityTypes VncAuth -PasswordFile "$2" -BlacklistThreshold 1000)
            shift 2
            ;;
        --geometry)
            geometry=$2
            shift 2
            ;;
        *) setup_fail "start_xvnc: unknown option $1" ;;
        esac
    done
    for attempt in 1 2 3; do
        free_display d
        free_port p
        log=$TEST_TMP/xvnc-$d.log
        Xvnc ":$d" -rfbport "$p" -interface 127.0.0.1 -nolisten tcp \
            -geometry "$geometry" -depth 24 "${sec[@]}" > "$log" 2>&1 &
        XVNC_PID=$!
        XVNC_DISPLAY=:$d
        XVNC_PORT=$p
        XVNC_ADDR=127.0.0.1::$p
        XVNC_LOG=$log
        cleanup_add "stop_xvnc $XVNC_PID $d"
        log_add "$log"
        if wait_until 20 "! pid_alive $XVNC_PID || { port_listening $p && DISPLAY=:$d xwininfo -root > /dev/null 2>&1; }" &&
            pid_alive "$XVNC_PID"; then
            return 0
        fi
        if pid_alive "$XVNC_PID"; then
            setup_fail "Xvnc :$d (port $p) did not come up within 20 s; log: $(tail -n 5 "$log")"
        fi
        note "setup: Xvnc :$d (port $p) exited at start (attempt $attempt): $(grep -m1 -i 'error' "$log")"
    done
    setup_fail "Xvnc would not start after 3 attempts; last log: $(tail -n 5 "$log")"
}

# stop_xvnc PID N: stop Xvnc on display N and remove the lock and socket it may leave
# behind when it was killed hard.
stop_xvnc() {
    local pid=$1 d=$2 owner
    stop_pid "$pid" Xvnc
    if [[ -e /tmp/.X$d-lock ]]; then
        { read -r owner < "/tmp/.X$d-lock"; } 2> /dev/null
        [[ ${owner:-} == "$pid" ]] && rm -f "/tmp/.X$d-lock" "/tmp/.X11-unix/X$d"
    fi
}

# ---------------------------------------------------------------------------------------
# xterm running `cat > OUTFILE` on the Xvnc display: a witness of exactly what was typed.
# With no window manager, keyboard focus follows the pointer, which starts in the middle of
# the screen, inside this 160x50 window at +0+0. Each line lands in OUTFILE on Enter.

# start_xterm_cat OUTFILE: start it and wait until its window is mapped and `cat` has
# opened OUTFILE. Sets XTERM_PID and XTERM_TITLE.
start_xterm_cat() {
    local out=$1
    [[ -n ${XVNC_DISPLAY:-} ]] || setup_fail "start_xterm_cat needs start_xvnc first"
    rm -f -- "$out"
    XTERM_TITLE=vbcat-$$-$RANDOM
    local log=$TEST_TMP/$XTERM_TITLE.log
    DISPLAY=$XVNC_DISPLAY xterm -title "$XTERM_TITLE" -geometry 160x50+0+0 \
        -e sh -c 'exec cat > "$1"' sh "$out" > "$log" 2>&1 &
    XTERM_PID=$!
    cleanup_add "stop_pid $XTERM_PID xterm"
    log_add "$log"
    if ! wait_until 20 "! pid_alive $XTERM_PID || { [[ -e '$out' ]] && xterm_window_viewable; }" ||
        ! pid_alive "$XTERM_PID"; then
        setup_fail "xterm on $XVNC_DISPLAY did not show its window with cat running within 20 s; log: $(tail -n 5 "$log")"
    fi
}

# xterm_window_viewable: the window titled $XTERM_TITLE is a mapped child of the root.
xterm_window_viewable() {
    local id
    id=$(DISPLAY=$XVNC_DISPLAY xwininfo -root -children 2> /dev/null |
        awk -v t="\"$XTERM_TITLE\":" '$2 == t { print $1; exit }')
    [[ -n $id ]] &&
        DISPLAY=$XVNC_DISPLAY xwininfo -id "$id" 2> /dev/null | grep -q 'Map State: IsViewable'
}

# stop_xterm: stop the current xterm and wait until its window is gone, so that the next
# one is the window under the pointer.
stop_xterm() {
    stop_pid "$XTERM_PID" xterm
    wait_until 10 "! xterm_window_viewable" ||
        setup_fail "xterm window $XTERM_TITLE still on screen 10 s after xterm stopped"
}

# ---------------------------------------------------------------------------------------
# The practice console

# start_practice TRANSCRIPT [--password-file P]: run the practice console on a port the
# kernel picks and wait for its first stdout line, `listening 127.0.0.1:PORT`. It starts on
# the echo screen (`--start echo`, which the tests of typing watch), not on the console's
# own default, the Windows lock screen; a `--start SCREEN` among the options wins. Sets
# PRACTICE_PID, PORT, PRACTICE_PORT, PRACTICE_ADDR (127.0.0.1::PORT) and PRACTICE_LOG.
start_practice() {
    local transcript=$1
    shift
    require_practice
    local out=$TEST_TMP/practice-$RANDOM.stdout
    PRACTICE_LOG=${out%.stdout}.stderr
    "$VNCBOT_PRACTICE" --listen 127.0.0.1:0 --transcript "$transcript" --start echo "$@" \
        > "$out" 2> "$PRACTICE_LOG" < /dev/null &
    PRACTICE_PID=$!
    cleanup_add "stop_pid $PRACTICE_PID practice"
    log_add "$PRACTICE_LOG"
    local re='^listening 127\.0\.0\.1:([0-9]+)$' line=
    practice_line() { line=$(head -n 1 "$out" 2> /dev/null) && [[ $line =~ $re ]]; }
    if ! wait_until 15 "practice_line || ! pid_alive $PRACTICE_PID" || ! practice_line; then
        pid_alive "$PRACTICE_PID" ||
            setup_fail "practice console exited before listening; stderr: $(tail -n 5 "$PRACTICE_LOG")"
        setup_fail "practice console printed no 'listening 127.0.0.1:PORT' line within 15 s (first line: '$line'; is stdout flushed?)"
    fi
    PORT=${BASH_REMATCH[1]}
    PRACTICE_PORT=$PORT
    PRACTICE_ADDR=127.0.0.1::$PORT
}

# ---------------------------------------------------------------------------------------
# A TCP listener on 127.0.0.1 that accepts connections and never sends a byte (a console
# that hangs in the handshake). Sets SILENT_PID and SILENT_PORT.
start_silent_listener() {
    local out=$TEST_TMP/silent-$RANDOM.out
    python3 -c '
import signal, socket, sys
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
print(s.getsockname()[1], flush=True)
held = []
while True:
    c, _ = s.accept()
    held.append(c)       # keep it open, say nothing
' > "$out" 2>&1 < /dev/null &
    SILENT_PID=$!
    cleanup_add "stop_pid $SILENT_PID silent-listener"
    wait_until 10 "[[ -s '$out' ]] || ! pid_alive $SILENT_PID" && pid_alive "$SILENT_PID" ||
        setup_fail "silent listener did not start: $(cat "$out")"
    wait_until 5 "[[ \$(wc -l < '$out') -ge 1 ]]" || setup_fail "silent listener printed no port"
    SILENT_PORT=$(head -n 1 "$out")
    [[ $SILENT_PORT =~ ^[0-9]+$ ]] || setup_fail "silent listener printed '$SILENT_PORT', not a port"
}

# ---------------------------------------------------------------------------------------
# Files and assertions

file_size() { stat -c %s -- "$1" 2> /dev/null || echo 0; }

# wait_for_size FILE SIZE SECONDS: wait until FILE holds at least SIZE bytes; 1 on timeout.
wait_for_size() {
    wait_until "$3" "(( \$(file_size '$1') >= $2 ))"
}

# show_bytes FILE OFFSET COUNT: od -c of COUNT bytes of FILE from OFFSET, with offsets.
show_bytes() {
    od -A d -c -j "$2" -N "$3" -- "$1" | sed 's/^/    /'
}

# assert_file_equals EXPECTED_FILE GOT_FILE [WHAT]: byte-for-byte equality. On a
# difference it prints sizes, the first differing byte, the differing lines, and the
# bytes of both files around the first difference (od -c).
assert_file_equals() {
    local exp=$1 got=$2 what=${3:-$(basename "$2")}
    cmp -s -- "$exp" "$got" && return 0
    local es gs first off
    es=$(file_size "$exp")
    gs=$(file_size "$got")
    {
        printf 'FAIL: %s: %s differs from the expected bytes\n' "$TEST_NAME" "$what"
        printf '  expected %s bytes, got %s bytes\n' "$es" "$gs"
        first=$(cmp -- "$exp" "$got" 2>&1 | head -n 1)
        printf '  cmp: %s\n' "$first"
        printf '  differing lines (diff expected got):\n'
        diff -- "$exp" "$got" | head -n 20 | sed 's/^/    /'
        if [[ $first =~ byte\ ([0-9]+) ]]; then
            off=$((BASH_REMATCH[1] - 1))
        elif [[ $first =~ EOF ]]; then
            off=$((es < gs ? es : gs))
        else
            off=0
        fi
        off=$((off > 32 ? off - 32 : 0))
        if ((es <= 400 && gs <= 400)); then off=0; fi
        printf '  expected bytes (od -c from offset %d):\n' "$off"
        show_bytes "$exp" "$off" "$((es <= 400 && gs <= 400 ? 400 : 96))"
        printf '  got bytes:\n'
        show_bytes "$got" "$off" "$((es <= 400 && gs <= 400 ? 400 : 96))"
    } >&2
    exit 1
}

# assert_exit CODE CMD ARGS...: run CMD (bounded by $VB_CMD_TIMEOUT s, stdin /dev/null,
# output in $LAST_OUT / $LAST_ERR) and require exit status CODE.
assert_exit() {
    local want=$1
    shift
    run_bounded "$VB_CMD_TIMEOUT" "$@"
    ((LAST_RC == want)) && return 0
    {
        printf 'FAIL: %s: expected exit %s, got %s' "$TEST_NAME" "$want" "$LAST_RC"
        ((LAST_RC == 124)) && printf ' (killed: still running after %s s)' "$VB_CMD_TIMEOUT"
        printf '\n  command: %s\n' "$LAST_CMD"
        printf '  stderr:\n'
        head -n 20 "$LAST_ERR" | sed 's/^/    /'
        printf '  stdout:\n'
        head -n 20 "$LAST_OUT" | sed 's/^/    /'
    } >&2
    exit 1
}

# assert_contains FILE TEXT [WHAT]: FILE contains TEXT (fixed string, any case).
assert_contains() {
    grep -qiF -- "$2" "$1" && return 0
    fail "${3:-$(basename "$1")} does not mention '$2'; it says: $(head -c 600 "$1")"
}

# assert_matches FILE REGEX [WHAT]: FILE has a line matching the extended REGEX (any case).
assert_matches() {
    grep -qiE -- "$2" "$1" && return 0
    fail "${3:-$(basename "$1")} does not match /$2/; it says: $(head -c 600 "$1")"
}

# assert_not_contains FILE TEXT [WHAT]: FILE does not contain TEXT (fixed string).
assert_not_contains() {
    grep -qF -- "$2" "$1" || return 0
    fail "${3:-$(basename "$1")} contains '$2' and must not; line: $(grep -m1 -nF -- "$2" "$1")"
}

# assert_one_line FILE [WHAT]: FILE is exactly one non-empty line.
assert_one_line() {
    local n
    n=$(grep -c '' "$1")
    ((n == 1)) && [[ -n $(head -n 1 "$1") ]] && return 0
    fail "${2:-$(basename "$1")} should be one non-empty line, has $n lines: $(head -n 10 "$1")"
}

# assert_one_reason FILE [WHAT]: an error report on stderr: exactly one non-empty line that
# gives the reason, optionally followed by `hint: ...` lines that say what to do next.
assert_one_reason() {
    local reasons hints
    reasons=$(grep -cv '^hint: ' "$1")
    hints=$(grep -c '^hint: ' "$1")
    if ((reasons == 1)) && [[ -n $(grep -v '^hint: ' "$1") ]]; then
        return 0
    fi
    fail "${2:-$(basename "$1")} should be one reason line (plus optional 'hint:' lines), has $reasons other lines and $hints hints: $(head -n 10 "$1")"
}

# assert_eq EXPECTED GOT WHAT
assert_eq() {
    [[ $1 == "$2" ]] && return 0
    fail "$3: expected '$1', got '$2'"
}

# ---------------------------------------------------------------------------------------
# Script text helpers

# printable_ascii: the 95 printable ASCII characters, space (0x20) through ~ (0x7e).
printable_ascii() {
    local i s=
    for ((i = 32; i < 127; i++)); do
        s+=$(printf "\\x$(printf %02x "$i")")
    done
    printf '%s' "$s"
}

# vnc_dquote TEXT: TEXT as the body of a vncbot double-quoted string (no quotes around):
# \ -> \\, " -> \", and the $ of a `${` -> \u{24} so that it starts no interpolation.
# A lone $ stays as it is (a literal dollar).
vnc_dquote() {
    local s=$1 interp='${' dollar='\u{24}{'
    s=${s//\\/\\\\}
    s=${s//\"/\\\"}
    s=${s//"$interp"/"$dollar"}
    printf '%s' "$s"
}

# assert_doc_table DOC OPTION: the Markdown table that `vncbot OPTION` prints (--statements-md,
# --tools-md) stands in DOC whole, with no other row beside it; on failure, how DOC's table
# differs (paste the command's output over it). Sets DOC_TABLE to the command's output file.
assert_doc_table() {
    local doc=$1 option=$2 name
    name=$(basename "$doc")
    DOC_TABLE=$TEST_TMP/${option#--}.md
    [[ -r $doc ]] || setup_fail "cannot read $doc"
    "$VNCBOT" "$option" > "$DOC_TABLE" 2> "$TEST_TMP/err" ||
        fail "vncbot $option exited $?: $(cat "$TEST_TMP/err")"
    [[ -s $DOC_TABLE ]] || fail "vncbot $option printed nothing"
    python3 - "$doc" "$DOC_TABLE" "$name" "$option" << 'PY' || fail "$name's table is not the code's (vncbot $option)"
import difflib, sys
doc = open(sys.argv[1], encoding="utf-8").read().split("\n")
want = open(sys.argv[2], encoding="utf-8").read().rstrip("\n").split("\n")
name, option = sys.argv[3], sys.argv[4]
for i in range(len(doc) - len(want) + 1):
    if doc[i:i + len(want)] == want:
        around = [doc[i - 1] if i else "", doc[i + len(want)] if i + len(want) < len(doc) else ""]
        extra = [l for l in around if l.startswith("|")]
        if extra:
            sys.exit(name + "'s table has a row the code's has not: " + extra[0])
        sys.exit(0)
start = next((i for i, l in enumerate(doc) if l.startswith(want[0])), None)
if start is None:
    sys.exit(name + " has no table headed " + want[0])
end = start
while end < len(doc) and doc[end].startswith("|"):
    end += 1
sys.stderr.writelines(l + "\n" for l in difflib.unified_diff(
    doc[start:end], want, name, "vncbot " + option, lineterm=""))
sys.exit(1)
PY
}
