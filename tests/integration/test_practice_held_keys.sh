# Held keys are released on every way out, before the connection ends:
#
# - `down shift; key a; up shift` sends exactly Shift down, a, Shift up;
# - a script that ends with a key held (`down ctrl`) exits 0, and the transcript shows
#   Control_L released before `# disconnect`;
# - a script that fails with a key held (`down alt; fail "x"`) exits 1 and Alt_L is
#   released;
# - SIGTERM, SIGINT, SIGHUP and SIGQUIT (Ctrl-\) while a key is held (`down shift; wait
#   30s`) make vncbot release it and exit 143 / 130 / 129 / 131 (an exit status, not a death
#   by the signal, so no core dump either) with "stopped by signal N";
# - the practice console killed while vncbot waits makes vncbot exit 3 within a bound, with
#   one error line (plus hints).
#
# Each scenario has its own practice console; the whole transcript is compared, `#` lines
# included, so the order of the release and the disconnect is checked.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3

# transcript_is NAME WHAT: the whole transcript equals `# connect 127.0.0.1`, the key
# lines on stdin, and `# disconnect`.
transcript_is() {
    local exp=$TEST_TMP/$1.expected
    {
        echo '# connect 127.0.0.1'
        cat
        echo '# disconnect'
    } > "$exp"
    assert_transcript "$TRANSCRIPT" "$exp" "$2"
}

# 1. down/up around a key.
name=down_and_up_hold_shift_around_a_key
practice_fresh $name
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'down shift; key a; up shift'
transcript_is $name "'down shift; key a; up shift'" << 'EOF'
down 0xffe1 Shift_L
down 0x0061 a
up 0x0061 a
up 0xffe1 Shift_L
EOF

# 2. A script that ends with a key still held.
name=key_held_at_the_end_of_the_script_is_released_before_disconnect
practice_fresh $name
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'down ctrl'
transcript_is $name "'down ctrl' at the end of the script" << 'EOF'
down 0xffe3 Control_L
up 0xffe3 Control_L
EOF

# 3. A script that fails with a key held.
name=key_held_when_the_script_fails_is_released
practice_fresh $name
assert_exit 1 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e 'down alt; fail "x"'
assert_contains "$LAST_ERR" "x" "'fail \"x\"': stderr"
transcript_is $name "'down alt; fail \"x\"'" << 'EOF'
down 0xffe9 Alt_L
up 0xffe9 Alt_L
EOF

# 4. SIGTERM, SIGINT, SIGHUP and SIGQUIT while Shift is held and the script waits.
# signal_releases NAME SIGNAL STATUS
signal_releases() {
    local name=$1 sig=$2 want=$3
    practice_fresh "$name"
    vncbot_bg "$name" -c "$PRACTICE_ADDR" -e 'down shift; wait 30s'
    wait_until 15 "grep -q '^down 0xffe1 Shift_L$' '$TRANSCRIPT' || [[ -s '$BG_STATUS' ]]" ||
        fail "$name: no 'down 0xffe1 Shift_L' in the transcript within 15 s: $(cat "$TRANSCRIPT")"
    [[ -s $BG_STATUS ]] &&
        fail "$name: vncbot ended ($(cat "$BG_STATUS")) before the signal; stderr: $(head -c 600 "$BG_ERR")"
    kill "-$sig" "$BG_PID"
    bg_wait 10
    assert_eq "exit $want" "$BG_RESULT" "$name: how vncbot ended after SIG$sig"
    assert_contains "$BG_ERR" "stopped by signal $((want - 128))" "$name: stderr"
    transcript_is "$name" "SIG$sig while Shift is held" << 'EOF'
down 0xffe1 Shift_L
up 0xffe1 Shift_L
EOF
}
signal_releases sigterm_releases_held_keys_and_exits_143 TERM 143
signal_releases sigint_releases_held_keys_and_exits_130 INT 130
signal_releases sighup_releases_held_keys_and_exits_129 HUP 129
signal_releases sigquit_releases_held_keys_and_exits_131 QUIT 131

# 5. The console goes away while vncbot waits: exit 3, promptly, with one reason line.
# console_dies NAME SIGNAL: kill the practice console with SIGNAL mid-script.
console_dies() {
    local name=$1 sig=$2
    practice_fresh "$name"
    vncbot_bg "$name" -q -c "$PRACTICE_ADDR" -e 'down ctrl; wait 30s'
    wait_until 15 "grep -q '^down 0xffe3 Control_L$' '$TRANSCRIPT' || [[ -s '$BG_STATUS' ]]" ||
        fail "$name: no 'down 0xffe3 Control_L' in the transcript within 15 s: $(cat "$TRANSCRIPT")"
    [[ -s $BG_STATUS ]] &&
        fail "$name: vncbot ended ($(cat "$BG_STATUS")) before the console was killed; stderr: $(head -c 600 "$BG_ERR")"
    kill "-$sig" "$PRACTICE_PID"
    wait "$PRACTICE_PID" 2> /dev/null
    # Far less than the 30 s the script would still wait.
    bg_wait 10
    assert_eq "exit 3" "$BG_RESULT" "$name: how vncbot ended when the console went away"
    assert_one_reason "$BG_ERR" "$name: stderr"
    assert_matches "$BG_ERR" 'clos|lost|connection|went away' "$name: stderr"
}
console_dies console_killed_mid_script_gives_exit_3 KILL
console_dies console_stopped_mid_script_gives_exit_3 TERM

note "ok: held keys released at the end, on fail, on SIGTERM, SIGINT, SIGHUP and SIGQUIT; a lost console gives exit 3"
