# Over plain TCP to QEMU's VNC server, addressed by display number (-c 127.0.0.1:N), vncbot
# at its default settings types exactly: all 95 printable ASCII characters, and a long
# line (400 random printable characters, more than 1000 key events in one burst) that
# QEMU would cut short if the events came without a pause. QEMU queues about 340 key
# events and silently drops the rest (qemu/README.md); vncbot's default 12 ms per event on
# QEMU stays behind QEMU's 10 ms replay, so nothing is lost.
#
# Arrange: one QEMU guest whose console reports each line read as `LINE:<text>` on its
# serial port, its VNC server on a display number below 100 (vncbot's display form).
# Act: vncbot -c 127.0.0.1:N types the ASCII line, then the long line, at its defaults.
# Assert: the serial port reports both lines byte for byte. Then, for the record only (a
# note, not an assertion: it is QEMU's behaviour, not vncbot's), the same long line at
# --key-delay 0, to show the check above is one a careless pace fails here.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/qemu-lib.sh" || exit 1

require_qemu
require_vncbot
build_qemu_guest

# A display number vncbot's HOST:N form accepts (below 100), its port 5900+N locked like
# free_port's ports (same lock names), so parallel tests never take it.
display='' ws_port=''
for try in $(shuf -i 1-99); do
    port_in_use "$((5900 + try))" && continue
    vb_lock "port-$((5900 + try))" || continue
    display=$try
    break
done
[[ -n $display ]] || setup_fail "no free VNC display 1-99 (ports 5901-5999 all taken)"
free_port ws_port
start_qemu_guest "$display" "$ws_port" "$TEST_TMP/serial-$display.txt"
addr=127.0.0.1:$display
note "$QEMU_VERSION: guest ready after ${QEMU_BOOT_SECONDS} s; VNC display $addr (port $QEMU_VNC_PORT)"

# guest_read LAST_LINE EXPECTED_FILE WHAT: wait (30 s) until the console reported
# LAST_LINE, then require that the lines it reported since the mark are exactly those of
# EXPECTED_FILE.
guest_read() {
    local last=$1 expected=$2 what=$3
    if ! wait_typed_line "$last" 30; then
        pid_alive "$QEMU_PID" || fail "$what: QEMU exited: $(tail -n 5 "$QEMU_LOG")"
        note "$what: the guest reported no line '${last:0:40}...' within 30 s after vncbot exited"
    fi
    typed_lines > "$TEST_TMP/got"
    assert_file_equals "$expected" "$TEST_TMP/got" "$what: the lines the guest read from its console"
}

# --- all printable ASCII, double-quoted, default settings ----------------------------------
ascii=$(printable_ascii)
((${#ascii} == 95)) || setup_fail "printable_ascii gave ${#ascii} characters, not 95"
serial_mark
assert_exit 0 "$VNCBOT" -v -c "$addr" -e "type \"$(vnc_dquote "$ascii")\\n\""
assert_contains "$LAST_ERR" "QEMU console" "vncbot -v on QEMU over TCP"
note "ASCII line: ${LAST_SECONDS}s ($(grep -m1 'QEMU console' "$LAST_ERR" | sed 's/^\[[^]]*\] //'))"
printf '%s\n' "$ascii" > "$TEST_TMP/expected"
guest_read "$ascii" "$TEST_TMP/expected" "ASCII line over TCP"

# --- a long line: more than 1000 key events in one go ---------------------------------------
long=$(python3 -c '
import random
rng = random.Random(20240601)
print("".join(chr(rng.randint(0x20, 0x7E)) for _ in range(400)), end="")') ||
    setup_fail "cannot generate the long line"
# Key events it takes: a press and a release per character, two more for the Shift vncbot
# holds around A-Z and ~!@#$%^&*()_+{}|:"<>?, two for Enter.
shifted=${long//[^[:upper:]~!@#$%^&*()_+\{\}|:\"<>?]/}
events=$((2 * ${#long} + 2 * ${#shifted} + 2))
((${#long} == 400 && events > 1000)) ||
    setup_fail "the long line has ${#long} characters and takes $events key events; the check needs more than 1000"
printf 'type "%s\\n"\n' "$(vnc_dquote "$long")" > "$TEST_TMP/long.vnc"
printf '%s\n' "$long" > "$TEST_TMP/expected-long"

serial_mark
assert_exit 0 "$VNCBOT" -c "$addr" run "$TEST_TMP/long.vnc"
note "long line: ${#long} characters, $events key events, ${LAST_SECONDS}s at the default pace"
guest_read "$long" "$TEST_TMP/expected-long" "long line ($events key events) at the default pace"

# --- for the record: the same line with no pause between events -----------------------------
# Everything QEMU kept is replayed within events x 10 ms; then Enter (a lost Return leaves
# the start of the line in the console's buffer) shows what the guest got.
serial_mark
run_bounded 60 "$VNCBOT" -q -c "$addr" --key-delay 0 run "$TEST_TMP/long.vnc"
if wait_typed_line "$long" "$((events / 100 + 3))"; then
    note "for the record: at --key-delay 0 this QEMU kept all $events events (vncbot exit $LAST_RC); the long-line check proves less on it"
else
    run_bounded 30 "$VNCBOT" -q -c "$addr" -e 'key enter'
    # shellcheck disable=SC2016 # evaluated by wait_until
    wait_until 10 '[[ -n $(typed_lines) ]]'
    got0=$(typed_lines | head -n 1)
    same=0
    while ((same < ${#got0} && same < ${#long})) && [[ ${got0:same:1} == "${long:same:1}" ]]; do
        same=$((same + 1))
    done
    note "for the record: at --key-delay 0 the guest got ${#got0} of ${#long} characters, the first $same as typed, and no Return: QEMU dropped the events beyond its queue"
fi

note "ok: over TCP (display $display) the ASCII line and a $events-event line arrived exactly at the default pace"
