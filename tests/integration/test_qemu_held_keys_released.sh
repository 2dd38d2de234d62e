# A vncbot stopped by SIGTERM while it holds Shift (`down shift; wait 20s`) exits with 143,
# says it released the held key, and the guest's console types unshifted again: `abc 123`
# typed by a fresh vncbot arrives as `abc 123`.
#
# Two things about QEMU shape this test:
# - The check types digits as well as letters: with a Shift held, QEMU's "lock key sync"
#   presses Caps Lock for the client so that a letter comes out in the case of its keysym,
#   so `abc` alone arrives lowercase even with a Shift stuck down; `123` would be `!@#`.
# - QEMU itself releases the keys of a client that disconnects, so the serial check alone
#   would pass even if vncbot released nothing. vncbot's own release is checked through its
#   -v log ("released 1 held key"); test_practice_held_keys.sh checks the key events
#   themselves.
#
# Arrange: one QEMU guest whose console reports each line read as `LINE:<text>` on its
# serial port. Act: vncbot A runs `down shift; wait 20s`; while it waits, vncbot B types
# `abc 123` + Enter (A's Shift is really down in the guest: B's line arrives as `abc !@#`);
# A gets SIGTERM. Assert: A exits 143 and logs the release; then vncbot C types `abc 123` +
# Enter and the guest reads `abc 123`.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/qemu-lib.sh" || exit 1

require_qemu
require_vncbot
# shellcheck disable=SC2119 # no arguments: it picks free ports itself
start_qemu_guest
note "$QEMU_VERSION: guest ready after ${QEMU_BOOT_SECONDS} s; VNC $QEMU_VNC_ADDR"

# first_typed_line: the first line the console read since the mark, waiting up to 15 s
# for one ('' if none).
first_typed_line() {
    # shellcheck disable=SC2016 # evaluated by wait_until
    wait_until 15 '[[ -n $(typed_lines) ]]'
    typed_lines | head -n 1
}

# --- A holds Shift --------------------------------------------------------------------------
holder_err=$TEST_TMP/holder.stderr
"$VNCBOT" -v -c "$QEMU_VNC_ADDR" -e 'down shift; wait 20s' < /dev/null > "$TEST_TMP/holder.stdout" 2> "$holder_err" &
holder=$!
cleanup_add "stop_pid $holder vncbot-holder"
log_add "$holder_err"
if ! wait_until 15 "! pid_alive $holder || grep -q 'wait 20s' '$holder_err'" || ! pid_alive "$holder"; then
    fail "vncbot 'down shift; wait 20s' did not reach its wait within 15 s (running: $(pid_alive "$holder" && echo yes || echo no)); stderr: $(head -c 600 "$holder_err")"
fi

# --- while A waits, B's digits come out shifted: the Shift is down in the guest -------------
serial_mark
assert_exit 0 "$VNCBOT" -c "$QEMU_VNC_ADDR" -e 'type "abc 123\n"'
held_line=$(first_typed_line)
pid_alive "$holder" ||
    fail "vncbot 'down shift; wait 20s' ended before SIGTERM; stderr: $(head -c 600 "$holder_err")"
[[ $held_line == 'abc !@#' ]] ||
    fail "with vncbot A holding Shift, 'abc 123' typed by B should arrive as 'abc !@#' (Shift down in the guest), got '$held_line'"

# --- SIGTERM: exit 143, the held key released -----------------------------------------------
kill -TERM "$holder"
wait_until 10 "! pid_alive $holder" ||
    fail "vncbot still running 10 s after SIGTERM; stderr: $(head -c 600 "$holder_err")"
wait "$holder"
rc=$?
((rc == 143)) || fail "vncbot killed by SIGTERM while waiting exited with $rc, expected 143; stderr: $(head -c 600 "$holder_err")"
assert_contains "$holder_err" "released 1 held key" "vncbot -v stopped by SIGTERM while holding Shift"

# --- a fresh vncbot types unshifted ---------------------------------------------------------
serial_mark
assert_exit 0 "$VNCBOT" -c "$QEMU_VNC_ADDR" -e 'type "abc 123\n"'
after=$(first_typed_line)
[[ $after == 'abc 123' ]] ||
    fail "after vncbot holding Shift was stopped by SIGTERM, 'abc 123' arrived as '$after' (Shift still down?)"

note "ok: SIGTERM while holding Shift: exit 143, 'released 1 held key', and the next line arrived unshifted"
