# On QEMU, whose VNC server turns keysyms into keys with a US keymap and silently drops
# what it has no key for, vncbot refuses text a US keyboard cannot type before it sends
# anything, with exit status 2:
#
# - `type "café"` after a `type "ok\n"`: the message names the character ('é' (U+00E9))
#   and FILE:LINE:COL, with a hint; the guest receives nothing from that run, neither the
#   "ok" line before it nor the "caf";
# - a -D variable's value the same way, naming the variable;
# - a secret with such a character: which secret and which character (the 2nd), never the
#   value nor the character.
#
# Arrange: one QEMU guest whose console reports each line read as `LINE:<text>` on its
# serial port (qemu/README.md). Act: the three refused runs, then one that types
# "after\n". Assert: exit 2 and the messages; the only line the guest read since the mark
# is "after" (a "caf" left in its line buffer would make it "cafafter"). For the record
# only: QEMU drops é when it is sent (as a key name, which is not checked).
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/qemu-lib.sh" || exit 1

require_qemu
require_vncbot
# shellcheck disable=SC2119 # no arguments: it picks free ports itself
start_qemu_guest
note "$QEMU_VERSION: guest ready after ${QEMU_BOOT_SECONDS} s; VNC $QEMU_VNC_ADDR"

serial_mark

# --- a literal: refused before the first key, even of the line before it ------------------
printf 'type "ok\\n"\ntype "caf\xc3\xa9\\n"\n' > "$TEST_TMP/cafe.vnc"
assert_exit 2 "$VNCBOT" -v -c "$QEMU_VNC_ADDR" run "$TEST_TMP/cafe.vnc"
assert_contains "$LAST_ERR" "QEMU console" "vncbot -v on QEMU"
assert_contains "$LAST_ERR" \
    "$TEST_TMP/cafe.vnc:2:10: error: 'é' (U+00E9) cannot be typed on a QEMU console" \
    "the refusal of type \"café\""
assert_matches "$LAST_ERR" '^hint: type it another way.*down alt; key kp0 kp2 kp3 kp3; up alt' \
    "the hint of the refusal"

# --- a -D variable's value ------------------------------------------------------------------
# shellcheck disable=SC2016 # ${CITY} is vncbot's, not the shell's
assert_exit 2 "$VNCBOT" -c "$QEMU_VNC_ADDR" -D CITY=Zürich -e 'type "to ${CITY}\n"'
assert_contains "$LAST_ERR" "<-e>:1:10: error: 'ü' (U+00FC) in the value of \${CITY}" \
    "the refusal of a -D value"

# --- a secret: which one and where, never what ----------------------------------------------
secret='pässword'
PW=$secret assert_exit 2 "$VNCBOT" -c "$QEMU_VNC_ADDR" -e 'type secret pw' --secret pw=env:PW
assert_contains "$LAST_ERR" \
    "secret 'pw' has a character (the 2nd) that a QEMU console cannot type" \
    "the refusal of a secret"
assert_not_contains "$LAST_ERR" "$secret" "the refusal of a secret"
assert_not_contains "$LAST_ERR" "ä" "the refusal of a secret"
assert_not_contains "$LAST_ERR" "U+00E4" "the refusal of a secret"

# --- the guest got nothing of the three --------------------------------------------------------
assert_exit 0 "$VNCBOT" -c "$QEMU_VNC_ADDR" -e 'type "after\n"'
if ! wait_typed_line after 30; then
    pid_alive "$QEMU_PID" || fail "QEMU exited: $(tail -n 5 "$QEMU_LOG")"
    note "the guest reported no line 'after' within 30 s"
fi
typed_lines > "$TEST_TMP/got"
printf 'after\n' > "$TEST_TMP/expected"
assert_file_equals "$TEST_TMP/expected" "$TEST_TMP/got" \
    "the lines the guest read after three refused runs and one typing 'after'"

# --- for the record: what QEMU does with é when it is sent ------------------------------------
serial_mark
run_bounded 60 "$VNCBOT" -q -c "$QEMU_VNC_ADDR" -e 'type "x"; key eacute; type "y\n"'
if wait_typed_line xy 20; then
    note "for the record: QEMU dropped the keysym eacute between x and y (the guest read 'xy')$(grep -m1 -i 'no scancode' "$QEMU_LOG" | sed 's/^/; its log: /')"
else
    note "for the record: after x, key eacute, y the guest read: $(typed_lines | tr '\n' '|')"
fi

note "ok: a literal, a -D value and a secret QEMU cannot type were refused (exit 2) and the guest received none of them"
