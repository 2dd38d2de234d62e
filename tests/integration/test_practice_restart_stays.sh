# A restart written the robust way (docs/script.md, "A console that goes away"): `if
# disconnect { reconnect }`, then the lock screen. One script, two consoles:
#
# - `--restart stays` plays a hypervisor's console (QEMU's VNC behind a cloud's WebSocket
#   proxy): the connection stays up while the machine restarts, the screen goes black and
#   then shows the lock screen. The script ends with exit 0 at the lock screen without a
#   reconnect: the transcript shows one `# connect`, and the console's restart lines in
#   between; its `else` block saw the black screen of the boot; the evidence's check
#   event says the console stayed. Afterwards the machine is as after any restart: the
#   registry kept, signed out, no window open.
# - `--restart drops` (the default) plays a VNC server inside the machine: the same script
#   sees the console go and reconnects (two `# connect`); its check event says it went.
# - `expect disconnect`, as the old restart.vnc had it, fails on the console that stays
#   (exit 1, "still connected"): the case `if disconnect` is for.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3
[[ -r /usr/share/tesseract-ocr/5/tessdata/eng.traineddata || -n ${TESSDATA_PREFIX:-} ]] ||
    skip "no Tesseract English data (Debian: apt-get install tesseract-ocr-eng)"
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

# The restart is due 2 s after Enter and boots for 6 s: `if disconnect timeout 4s` ends
# in the middle of the boot on a console that stays, so its else block sees it black.
boot=6
cat > restart.vnc << 'EOF'
type 'reg add HKLM\SOFTWARE\vncbot /v Kept /t REG_SZ /d yes /f'
key enter
type 'shutdown /r /t 2'
key enter
if disconnect timeout 4s {
  reconnect timeout 60s
} else {
  expect colour 0x000000 99% timeout 10s   # it stayed: the boot, on a black screen
  capture "booting.png"
}
expect text "Press Ctrl+Alt+Delete to unlock" timeout 60s
EOF

# kept_and_signed_out WHAT: the registry kept the value (the --state file says so), and
# the console is at the lock screen, signed out: signing in shows the bare wallpaper.
kept_and_signed_out() {
    python3 -c '
import json, sys
v = json.load(open("state.json"))["registry"].get("HKLM\\SOFTWARE\\vncbot", {}).get("Kept")
sys.exit(0 if v == {"type": "REG_SZ", "data": "yes"} else "state.json: Kept is %r" % (v,))
' || fail "$1: the registry lost what was written before the restart"
    assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e "expect colour $WIN_LOCK_SKY timeout 5s; key ctrl-alt-del; expect colour $WIN_SIGNIN_BOX timeout 5s; type \"any\n\"; expect colour $WIN_WALLPAPER 90% in 0,100,1024,500 timeout 5s"
}

# check_event DIR TEXT: the evidence in DIR has a "check" event for restart.vnc's line 5
# (the if disconnect) saying TEXT.
check_event() {
    python3 - "$1/events.jsonl" "$2" << 'PY' || fail "$1/events.jsonl does not say whether the console went: $(grep '"check"' "$1/events.jsonl" | head -n 3)"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
checks = [e for e in events if e.get("event") == "check" and e.get("where", "").endswith("restart.vnc:5")]
sys.exit(0 if [e.get("text") for e in checks] == [sys.argv[2]] else 1)
PY
}

# restart_lines: the transcript's `#` lines about connections and the restart, in order.
restart_lines() { grep -E '^# (connect|disconnect|restart)' "$TRANSCRIPT" || true; }

# 1. A console that stays: no reconnect, one connection throughout.
practice_fresh stays --start cmd --restart stays --boot-time "$boot" --server-manager-delay 0 \
    --state state.json
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" --record ev-stays run restart.vnc
assert_contains "$LAST_ERR" "the console is still connected after 4s" "vncbot's log"
check_event ev-stays "did not hold: the console is still connected after 4s"
assert_not_contains "$LAST_ERR" "the console is back" "vncbot's log (no reconnect)"
wait_until 5 "(( \$(disconnect_count '$TRANSCRIPT') >= 1 ))" ||
    fail "the console does not say vncbot left: $(restart_lines | tr '\n' ';')"
printf '%s\n' '# connect 127.0.0.1' \
    "# restart: clients stay connected, the screen restarts and is black for $boot s" \
    '# restart: booted, the lock screen shows' '# disconnect' > stays.expected
restart_lines > stays.got
assert_file_equals stays.expected stays.got "the connections and the restart on a console that stays"
"$PNG_COUNT" 000000 0,0,1024,768 booting.png > booting.count 2> booting.err ||
    fail "png_count booting.png: $(cat booting.err)"
read -r black _ < booting.count
total=$((1024 * 768))
((black * 100 >= total * 99)) ||
    fail "the else block's screenshot of the boot is not black: $black of $total pixels"
kept_and_signed_out "a console that stays"

# 2. The same script on a console that drops: it reconnects, two connections.
rm -f booting.png
practice_fresh drops --start cmd --boot-time "$boot" --server-manager-delay 0 --state state.json
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" --record ev-drops run restart.vnc
assert_contains "$LAST_ERR" "the console went away, as expected" "vncbot's log"
check_event ev-drops "held: the console went away within 4s"
assert_contains "$LAST_ERR" "the console is back" "vncbot's log"
[[ ! -e booting.png ]] || fail "the else block ran on a console that dropped (booting.png)"
connects=$(connect_count "$TRANSCRIPT")
((connects == 2)) ||
    fail "the script should reconnect once (2 '# connect'), the transcript has $connects: $(restart_lines | tr '\n' ';')"
grep -q '^# restart: clients dropped' "$TRANSCRIPT" ||
    fail "the transcript does not say the clients were dropped: $(restart_lines | tr '\n' ';')"
kept_and_signed_out "a console that drops"

# 3. expect disconnect on a console that stays fails, as `if disconnect` expects it to.
practice_fresh stays_expect --start cmd --restart stays --boot-time "$boot" \
    --server-manager-delay 0
assert_exit 1 "$VNCBOT" -q -c "$PRACTICE_ADDR" \
    -e "type 'shutdown /r /t 1'; key enter; expect disconnect timeout 3s"
assert_contains "$LAST_ERR" "still connected" "expect disconnect on a console that stays"

# 4. --restart takes drops or stays only.
assert_exit 2 "$VNCBOT_PRACTICE" --listen 127.0.0.1:0 --restart sometimes
assert_contains "$LAST_ERR" "--restart 'sometimes': expected drops or stays" "a bad --restart"
note "ok: the robust restart ends at the lock screen on a console that stays (one connection) and on one that drops (a reconnect)"
