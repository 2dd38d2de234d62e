# `shutdown /r /t N` in a cmd window restarts the practice console as a machine
# restarts: Windows' "You're about to be signed out" notice, every client dropped after N
# seconds, connections refused while it boots (--boot-time; vncbot exits 3 then), and
# then the lock screen again, signed out, no window open, the registry as it was left.
# `shutdown /a` before the time is up cancels it: nobody is dropped.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
boot=3
practice_fresh restart --start cmd --boot-time "$boot" --server-manager-delay 0 --state state.json
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR")
restarts() { grep -c '^# restart: clients dropped' "$TRANSCRIPT" || true; }

# 1. shutdown /a cancels: the notice comes and goes, the client stays connected past the
# time the restart was due.
assert_exit 0 "${vb[@]}" -e "type \"shutdown /r /t 3\n\"; expect colour $WIN_NOTICE timeout 5s; key enter; type \"shutdown /a\n\"; expect colour 0x000000 40% $WIN_CMD_REGION timeout 5s; wait 4s; expect settled 300ms"
(($(restarts) == 0)) || fail "shutdown /a did not cancel the restart: $(grep '^# restart' "$TRANSCRIPT")"

# 2. Something the registry must keep, then the restart: the notice, and the connection
# dropped after 3 s (vncbot: exit 3, the console went away).
assert_exit 0 "${vb[@]}" -e "type 'reg add HKLM\\SOFTWARE\\vncbot /v Kept /t REG_SZ /d yes /f'; key enter; expect settled 300ms"
assert_exit 3 "${vb[@]}" -e "type \"shutdown /r /t 3\n\"; expect colour $WIN_NOTICE timeout 5s; capture \"notice.png\"; wait 20s"
assert_contains "$LAST_ERR" "closed the connection" "vncbot when the machine restarted"
ocr_says notice.png "about to be signed out" "the restart notice"

# 3. While it boots, connections are refused: vncbot exits 3.
wait_until 5 "(( \$(restarts) == 1 ))" || fail "the transcript does not say the console restarted"
assert_exit 3 "${vb[@]}" -e 'key a'
assert_contains "$LAST_ERR" "refused" "vncbot while the machine boots"

# 4. Back after --boot-time: the lock screen; signed in again, no window is open.
wait_until $((boot + 10)) "grep -q '^# restart: accepting connections' '$TRANSCRIPT'" ||
    fail "the console did not come back within $((boot + 10)) s"
assert_exit 0 "${vb[@]}" -e "expect colour $WIN_LOCK_SKY timeout 5s; key ctrl-alt-del; expect colour $WIN_SIGNIN_BOX timeout 5s; type \"any\n\"; expect colour $WIN_WALLPAPER 90% in 0,100,1024,500 timeout 5s"

# 5. The registry kept the value: the state file says so, and reg query finds it (green)
# in a new cmd window opened from Run.
python3 -c '
import json, sys
v = json.load(open("state.json"))["registry"].get("HKLM\\SOFTWARE\\vncbot", {}).get("Kept")
sys.exit(0 if v == {"type": "REG_SZ", "data": "yes"} else "state.json: Kept is %r" % (v,))
' || fail "the registry lost what was written before the restart"
assert_exit 0 "${vb[@]}" -e "key super-r; expect colour $WIN_RUN timeout 5s; type \"cmd\n\"; expect colour 0x000000 40% $WIN_CMD_REGION timeout 5s"
assert_exit 0 "${vb[@]}" -e "type 'reg query HKLM\\SOFTWARE\\vncbot /v Kept >nul && color 2F || color 4F'; key enter; expect colour 0x008000 40% $WIN_CMD_REGION timeout 5s"
exit 0
