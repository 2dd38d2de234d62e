# The screenshots of docs/practice.md (docs/images/practice-*.png), one per screen, are
# what the practice console shows: vncbot drives it to each screen and waits for the
# committed picture (`expect image`, whole screen). The clock is pinned (--clock, TZ=UTC)
# and the windows' places seeded (--window-seed), so the pictures compare equal.
# VNCBOT_UPDATE_SCREENSHOTS=1 captures them anew into docs/images/ instead (then look at
# them, and commit).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
images=$PROJECT_DIR/docs/images
update=${VNCBOT_UPDATE_SCREENSHOTS:-0}
export TZ=UTC
printf 'Passw0rd!\n' > windows-password
printf 'Passw0rd!\n' > right
printf 'wrong\n' > wrong
pinned=(--clock '2026-12-02 09:41' --window-seed 1)

# shot NAME 'STATEMENTS': run STATEMENTS (which bring the console to the screen), then
# check the screen against docs/images/practice-NAME.png (or capture it there).
shot() {
    local name=$1 steps=$2 file=$images/practice-$1.png
    if [[ $update == 1 ]]; then
        assert_exit 0 "${vb[@]}" -e "$steps; expect settled 500ms timeout 10s; capture \"$file\""
        return
    fi
    [[ -f $file ]] || fail "$file is missing (make it with VNCBOT_UPDATE_SCREENSHOTS=1)"
    run_bounded 60 "${vb[@]}" -e "$steps; expect image \"$file\" similarity 0.995 timeout 10s"
    ((LAST_RC == 0)) && return 0
    run_bounded 30 "${vb[@]}" -e "capture \"$TEST_TMP/practice-$name.png\""
    fail "the $name screen does not look like $file (now: $TEST_TMP/practice-$name.png): $(head -n 3 "$LAST_ERR")"
}

# The Windows machine, from the lock screen to a cmd window and the restart notice.
practice_fresh screenshots --start lock --windows-password-file windows-password \
    --server-manager-delay 0 --uac "${pinned[@]}"
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR" --secret right=file:right --secret wrong=file:wrong)
shot lock "expect colour $WIN_LOCK_SKY timeout 10s"
shot sign-in "key ctrl-alt-del; expect colour $WIN_SIGNIN_BOX timeout 5s; type \"abc\""
shot wrong-password "key ctrl-a; key backspace backspace backspace; type secret wrong; key enter; expect colour $WIN_SIGNIN_OK timeout 5s"
shot desktop "key enter; expect colour $WIN_SIGNIN_BOX timeout 5s; type secret right; key enter; expect colour $WIN_WALLPAPER 90% in 0,100,1024,500 timeout 5s"
shot run "key super-r; expect colour $WIN_RUN timeout 5s; type \"notepad\""
shot run-not-found "key enter"
shot uac "key enter; key esc; key super-r; type \"cmd\"; key ctrl+shift+enter"
shot cmd "key alt+y; expect colour 0x000000 40% $WIN_CMD_REGION timeout 5s; type \"whoami\n\""
shot restart-notice "type \"shutdown /r /t 600\n\"; expect colour $WIN_NOTICE timeout 5s"
assert_exit 0 "${vb[@]}" -e 'key enter; type "shutdown /a\n"; expect settled 300ms'

# Server Manager, as it opens by itself after sign-in.
practice_fresh screenshots_server_manager --start lock --server-manager-delay 1 "${pinned[@]}"
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR")
shot server-manager "key ctrl-alt-del; expect colour $WIN_SIGNIN_BOX timeout 5s; type \"x\n\"; expect colour $WIN_SERVER_MANAGER timeout 10s"

# The echo screen, which shows what is typed (the tests of typing use it).
practice_fresh screenshots_echo --start echo
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR")
shot echo 'type "Hello from vncbot!\n"; key ctrl-alt-del'
exit 0
