# tests/integration/qemu-lib.sh: helpers for tests against QEMU's own VNC server, with a
# tiny Linux guest whose console echoes typed lines to a serial file (see qemu/README.md).
# Sourced, never run; sources lib.sh (the cleanup registry, wait_until, free_port, fail,
# setup_fail, skip, ...) unless the test already did.
#
#   require_qemu                 install (as root) or skip: qemu-system-x86 busybox-static cpio python3
#   build_qemu_guest             build or reuse the cached guest; sets QEMU_GUEST_DIR
#   start_qemu_guest [VNC_DISPLAY WS_PORT SERIAL_FILE]
#                                boot it, wait for VNCBOT-GUEST-READY on the serial port
#   wait_serial_line TEXT SECONDS   a serial line equal to TEXT (after the mark)
#   wait_typed_line TEXT SECONDS    the console reader reported line TEXT (LINE:TEXT)
#   serial_mark                  later waits and reads only look at output from now on
#   serial_lines / typed_lines   the serial lines / typed lines after the mark, one a line
#   stop_qemu_guest              stop QEMU now (also done on exit)
#
# Environment:
#   VNCBOT_QEMU_GUEST_DIR      where the guest is built and cached
#                              (default ${XDG_CACHE_HOME:-$HOME/.cache}/vncbot/qemu-guest)
#   VNCBOT_QEMU_BOOT_TIMEOUT   seconds to wait for the ready marker (default 90)
#   VNCBOT_QEMU_ARGS           extra qemu-system-x86_64 arguments (word-split)
#   QEMU_VNC_OPTS              extra -vnc options, comma-separated, appended to
#                              127.0.0.1:N,websocket=127.0.0.1:P (e.g. key-delay-ms=20);
#                              a test may set it before start_qemu_guest

# shellcheck shell=bash
# Variables set here are read by the tests that source this file.
# shellcheck disable=SC2034

if ! declare -F wait_until > /dev/null; then
    # shellcheck source=lib.sh
    . "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
fi

QEMU_LIB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: "${VNCBOT_QEMU_GUEST_DIR:=${XDG_CACHE_HOME:-$HOME/.cache}/vncbot/qemu-guest}"
: "${VNCBOT_QEMU_BOOT_TIMEOUT:=90}"

# Markers the guest writes to its serial port (qemu/build-guest.sh).
QEMU_READY_MARKER='VNCBOT-GUEST-READY'
QEMU_CAD_MARKER='VNCBOT-CTRL-ALT-DEL'
QEMU_LINE_PREFIX='LINE:'

# ---------------------------------------------------------------------------------------
# Packages

# qemu_ensure_packages PKG...: install the Debian packages dpkg-query does not report as
# installed (apt-get update first); skip the test when that is not possible (not root,
# apt-get failed).
qemu_ensure_packages() {
    local p missing=() log=$TEST_TMP/apt.log
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' ||
            missing+=("$p")
    done
    ((${#missing[@]} == 0)) && return 0
    ((EUID == 0)) || skip "Debian packages missing: ${missing[*]} (not root, cannot install them)"
    command -v apt-get > /dev/null || skip "Debian packages missing: ${missing[*]} (no apt-get)"
    note "installing ${missing[*]}"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends "${missing[@]}"; } > "$log" 2>&1; then
        skip "apt-get install ${missing[*]} failed: $(tail -n 3 "$log")"
    fi
}

# require_qemu: QEMU, the guest's build tools and python3 are installed and
# qemu-system-x86_64 runs; else skip.
require_qemu() {
    qemu_ensure_packages qemu-system-x86 busybox-static cpio python3
    require_cmd qemu-system-x86_64 qemu-system-x86
    require_cmd python3 python3
    require_cmd flock util-linux
    local out
    out=$(timeout 20 qemu-system-x86_64 --version 2>&1) ||
        skip "qemu-system-x86_64 --version does not run here: $out"
    QEMU_VERSION=$(printf '%s\n' "$out" | head -n 1)
}

# build_qemu_guest: build the guest, or reuse the cached one (qemu/build-guest.sh).
# Sets QEMU_GUEST_DIR, QEMU_KERNEL and QEMU_INITRD.
build_qemu_guest() {
    local log=$TEST_TMP/build-guest.log t0
    t0=$(now_us)
    if ! timeout -k 5 900 bash "$QEMU_LIB_DIR/qemu/build-guest.sh" "$VNCBOT_QEMU_GUEST_DIR" \
        > "$TEST_TMP/build-guest.out" 2> "$log" < /dev/null; then
        setup_fail "building the QEMU guest failed (qemu/build-guest.sh $VNCBOT_QEMU_GUEST_DIR): $(tail -n 5 "$log")"
    fi
    QEMU_GUEST_DIR=$(tail -n 1 "$TEST_TMP/build-guest.out")
    QEMU_KERNEL=$QEMU_GUEST_DIR/vmlinuz
    QEMU_INITRD=$QEMU_GUEST_DIR/initrd.gz
    [[ -s $QEMU_KERNEL && -s $QEMU_INITRD ]] ||
        setup_fail "build-guest.sh succeeded but $QEMU_KERNEL or $QEMU_INITRD is missing"
    QEMU_BUILD_SECONDS=$(((($(now_us) - t0) + 500000) / 1000000))
}

# ---------------------------------------------------------------------------------------
# Free VNC displays

# free_vnc_display VAR: set VAR to a display number N whose RFB port 5900+N is free,
# locked for this test like free_port's ports (same lock names, so the two never collide).
# N is 14100-24099 (ports 20000-29999).
free_vnc_display() {
    local _fv_port
    free_port _fv_port
    printf -v "$1" '%s' "$((_fv_port - 5900))"
}

# ---------------------------------------------------------------------------------------
# Starting and stopping the guest

# start_qemu_guest [VNC_DISPLAY WS_PORT SERIAL_FILE]: boot the guest with QEMU's VNC server
# on 127.0.0.1:(5900+VNC_DISPLAY) and its WebSocket listener on 127.0.0.1:WS_PORT, the
# guest's serial port written to SERIAL_FILE; wait (VNCBOT_QEMU_BOOT_TIMEOUT s) until the
# guest wrote VNCBOT-GUEST-READY there. Without arguments it picks free ones itself and
# tries again with others if QEMU could not bind (a race with a process outside ctest).
# Needs build_qemu_guest first (it calls it if not).
# Sets QEMU_PID, QEMU_VNC_DISPLAY, QEMU_VNC_PORT, QEMU_VNC_ADDR (127.0.0.1::PORT, for
# vncbot -c), QEMU_WS_PORT, QEMU_WS_URL (ws://127.0.0.1:PORT/), QEMU_SERIAL, QEMU_LOG,
# QEMU_BOOT_SECONDS. QEMU is stopped by its PID on exit.
start_qemu_guest() {
    local auto=1 attempt d p serial
    if (($# == 3)); then
        auto=0
    elif (($# != 0)); then
        setup_fail "start_qemu_guest: expected no arguments or VNC_DISPLAY WS_PORT SERIAL_FILE, got: $*"
    fi
    [[ -n ${QEMU_GUEST_DIR:-} ]] || build_qemu_guest
    for attempt in 1 2 3; do
        if ((auto)); then
            free_vnc_display d
            free_port p
            serial=$TEST_TMP/serial-$d.txt
        else
            d=$1 p=$2 serial=$3
        fi
        [[ $serial != *,* ]] || setup_fail "serial file path '$serial' has a comma (QEMU option syntax)"
        qemu_launch "$d" "$p" "$serial"
        if wait_until "$VNCBOT_QEMU_BOOT_TIMEOUT" \
            "! pid_alive $QEMU_PID || serial_has_line '$QEMU_READY_MARKER'" &&
            pid_alive "$QEMU_PID"; then
            QEMU_BOOT_SECONDS=$(((($(now_us) - QEMU_T0) + 500000) / 1000000))
            # QEMU listens before the guest runs; a check costs nothing.
            port_listening "$QEMU_VNC_PORT" ||
                setup_fail "guest ready but nothing listens on the VNC port $QEMU_VNC_PORT"
            port_listening "$QEMU_WS_PORT" ||
                setup_fail "guest ready but nothing listens on the WebSocket port $QEMU_WS_PORT"
            return 0
        fi
        if pid_alive "$QEMU_PID"; then
            setup_fail "the guest wrote no $QEMU_READY_MARKER to the serial port within ${VNCBOT_QEMU_BOOT_TIMEOUT} s (serial: '$(head -c 300 "$serial" | tr -d '\r')'; QEMU log: $(tail -n 5 "$QEMU_LOG"))"
        fi
        wait "$QEMU_PID" 2> /dev/null
        if ((auto)) && grep -qiE 'bind|address already in use' "$QEMU_LOG"; then
            note "setup: QEMU could not bind display :$d / port $p (attempt $attempt): $(grep -m1 -iE 'bind|in use' "$QEMU_LOG")"
            continue
        fi
        setup_fail "qemu-system-x86_64 exited at start: $(tail -n 5 "$QEMU_LOG")"
    done
    setup_fail "QEMU could not bind its ports after 3 attempts; last log: $(tail -n 5 "$QEMU_LOG")"
}

# qemu_launch DISPLAY WS_PORT SERIAL: start QEMU in the background (no waiting).
qemu_launch() {
    local d=$1 p=$2 serial=$3 extra=()
    # Word-splitting of the user's extra arguments is intended.
    # shellcheck disable=SC2206
    [[ -n ${VNCBOT_QEMU_ARGS:-} ]] && extra=($VNCBOT_QEMU_ARGS)
    QEMU_VNC_DISPLAY=$d
    QEMU_VNC_PORT=$((5900 + d))
    QEMU_VNC_ADDR=127.0.0.1::$QEMU_VNC_PORT
    QEMU_WS_PORT=$p
    QEMU_WS_URL=ws://127.0.0.1:$p/
    QEMU_SERIAL=$serial
    QEMU_SERIAL_MARK=0
    QEMU_LOG=$TEST_TMP/qemu-$d.log
    : > "$serial"
    # No -enable-kvm: /dev/kvm exists on these machines but the guest hangs; TCG boots it
    # in about 7 s. -nic none: no network card, so no iPXE option ROM to load.
    QEMU_T0=$(now_us)
    qemu-system-x86_64 -m 256 -kernel "$QEMU_KERNEL" -initrd "$QEMU_INITRD" \
        -append "console=tty1 quiet panic=-1" -vga std -display none -no-reboot -nic none \
        -vnc "127.0.0.1:$d,websocket=127.0.0.1:$p${QEMU_VNC_OPTS:+,$QEMU_VNC_OPTS}" -serial "file:$serial" -monitor none \
        "${extra[@]}" < /dev/null > "$QEMU_LOG" 2>&1 &
    QEMU_PID=$!
    cleanup_add "stop_pid $QEMU_PID qemu"
    log_add "$QEMU_LOG"
    log_add "$serial"
}

# stop_qemu_guest: stop QEMU now (SIGTERM, then SIGKILL after 5 s).
stop_qemu_guest() {
    [[ -n ${QEMU_PID:-} ]] && stop_pid "$QEMU_PID" qemu
}

# ---------------------------------------------------------------------------------------
# The serial port: complete lines only (a line still being written is not looked at),
# CRs removed, from the mark on.

# serial_mark: later serial_* and wait_* calls see only what the guest writes from now on.
serial_mark() { QEMU_SERIAL_MARK=$(file_size "$QEMU_SERIAL"); }

# serial_lines: the complete serial lines written since the mark, CRs removed.
serial_lines() {
    local snap=$TEST_TMP/serial.snap
    tail -c +"$((QEMU_SERIAL_MARK + 1))" -- "$QEMU_SERIAL" > "$snap" 2> /dev/null || return 0
    if [[ -s $snap && -n $(tail -c 1 -- "$snap") ]]; then
        sed '$d' -- "$snap" | tr -d '\r'
    else
        tr -d '\r' < "$snap"
    fi
}

# typed_lines: the lines typed at the guest's console since the mark (LINE: removed).
typed_lines() {
    serial_lines | sed -n "s/^$QEMU_LINE_PREFIX//p"
}

# serial_has_line TEXT: a complete serial line since the mark equals TEXT.
# (grep reads to the end: with pipefail, grep -q could stop early and fail the pipeline.)
serial_has_line() { serial_lines | grep -xF -- "$1" > /dev/null; }

# wait_serial_line TEXT SECONDS: wait until a complete serial line since the mark equals
# TEXT; 1 if SECONDS pass first or QEMU exits.
wait_serial_line() {
    local text=$1 secs=$2
    # shellcheck disable=SC2016
    wait_until "$secs" '! pid_alive "$QEMU_PID" || serial_has_line "$text"' &&
        serial_has_line "$text"
}

# wait_typed_line TEXT SECONDS: wait until the guest reported the typed line TEXT.
wait_typed_line() { wait_serial_line "$QEMU_LINE_PREFIX$1" "$2"; }
