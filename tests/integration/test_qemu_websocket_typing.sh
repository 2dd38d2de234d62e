# Over QEMU's own WebSocket VNC listener (ws://127.0.0.1:P/), vncbot types exactly, with
# scancodes (the default on QEMU) and with keysyms only (--scancodes off): all 95
# printable ASCII characters from a double-quoted string with \" and \\ escapes, and the
# two `reg add` lines of the NLA fix from single-quoted raw strings, arrive at the guest's
# console byte for byte; `key ctrl-alt-del` reaches the guest's init.
#
# Arrange: one QEMU guest (tests/integration/qemu/README.md) whose tty1 reports each line
# read as `LINE:<text>` on its serial port and Ctrl-Alt-Del as VNCBOT-CTRL-ALT-DEL; no
# login, the console shows a prompt. Act, for each mode: vncbot -v -c ws://... types the
# ASCII line (-e), then the reg lines (run FILE), then sends Ctrl-Alt-Del (-e). Assert: -v
# says whether keys go as scancodes, the serial port reports exactly the typed lines, and
# the Ctrl-Alt-Del marker.
# shellcheck shell=bash
. "$(dirname "${BASH_SOURCE[0]}")/qemu-lib.sh" || exit 1

require_qemu
require_vncbot
# shellcheck disable=SC2119 # no arguments: it picks free ports itself
start_qemu_guest
note "$QEMU_VERSION: guest ready after ${QEMU_BOOT_SECONDS} s; WebSocket $QEMU_WS_URL"

ascii=$(printable_ascii)
((${#ascii} == 95)) || setup_fail "printable_ascii gave ${#ascii} characters, not 95"

# The lines as cmd.exe must receive them (as in test_xvnc_typing_reg_lines.sh).
lsa='reg add "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" /v "Security Packages" /t REG_MULTI_SZ /d "kerberos\0msv1_0\0schannel\0wdigest\0tspkg\0pku2u" /f'
ssp='reg add "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders" /v SecurityProviders /t REG_SZ /d "credssp.dll" /f'
cat > "$TEST_TMP/reg.vnc" << EOF
# raw strings: what is between the single quotes is typed as it stands
type '$lsa'
key enter
type '$ssp'
key enter
EOF

# guest_read LAST_LINE EXPECTED_FILE WHAT: wait (30 s) until the console reported
# LAST_LINE, then require that the lines it reported since the mark are exactly those of
# EXPECTED_FILE.
guest_read() {
    local last=$1 expected=$2 what=$3
    if ! wait_typed_line "$last" 30; then
        pid_alive "$QEMU_PID" || fail "$what: QEMU exited: $(tail -n 5 "$QEMU_LOG")"
        note "$what: the guest reported no line '$last' within 30 s after vncbot exited"
    fi
    typed_lines > "$TEST_TMP/got"
    assert_file_equals "$expected" "$TEST_TMP/got" "$what: the lines the guest read from its console"
}

for mode in auto off; do
    args=()
    [[ $mode == auto ]] || args=(--scancodes "$mode")
    label="--scancodes $mode"
    [[ $mode == auto ]] && label="default (--scancodes auto)"

    # --- all printable ASCII, double-quoted with \" and \\ escapes, then Enter ---------------
    serial_mark
    assert_exit 0 "$VNCBOT" -v -c "$QEMU_WS_URL" "${args[@]}" -e "type \"$(vnc_dquote "$ascii")\\n\""
    note "$label: the ASCII line took ${LAST_SECONDS}s"
    assert_contains "$LAST_ERR" "QEMU console" "$label: vncbot -v on QEMU"
    assert_contains "$LAST_ERR" "12 ms after each key event" "$label: vncbot -v on QEMU (default pace)"
    if [[ $mode == auto ]]; then
        assert_contains "$LAST_ERR" "keys sent as scancodes and keysyms" "$label: vncbot -v on QEMU"
    else
        assert_not_contains "$LAST_ERR" "scancodes" "$label: vncbot -v on QEMU"
    fi
    printf '%s\n' "$ascii" > "$TEST_TMP/expected"
    guest_read "$ascii" "$TEST_TMP/expected" "$label, ASCII line"

    # --- the two reg add lines, from single-quoted raw strings -------------------------------
    serial_mark
    assert_exit 0 "$VNCBOT" -c "$QEMU_WS_URL" "${args[@]}" run "$TEST_TMP/reg.vnc"
    note "$label: the reg lines took ${LAST_SECONDS}s"
    printf '%s\n' "$lsa" "$ssp" > "$TEST_TMP/expected"
    guest_read "$ssp" "$TEST_TMP/expected" "$label, reg add lines"

    # --- Ctrl-Alt-Del reaches init ----------------------------------------------------------
    serial_mark
    assert_exit 0 "$VNCBOT" -c "$QEMU_WS_URL" "${args[@]}" -e 'key ctrl-alt-del'
    wait_serial_line "$QEMU_CAD_MARKER" 20 ||
        fail "$label: no $QEMU_CAD_MARKER on the serial port within 20 s of 'key ctrl-alt-del' (QEMU $(pid_alive "$QEMU_PID" && echo running || echo exited)); serial since: '$(serial_lines | head -c 300)'"
done

note "ok: over WebSocket, with and without scancodes: ASCII line and reg lines exact, Ctrl-Alt-Del arrived"
