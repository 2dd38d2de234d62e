# The practice console as a Windows Server machine, screen after screen, driven by
# vncbot and checked by what a watcher sees (the colours of each screen's parts) and by
# what the console received (the transcript):
#   lock screen (typing there changes nothing) -> Ctrl+Alt+Delete -> sign-in -> the
#   password -> desktop -> Win+R -> Run -> cmd -> Server Manager opens by itself and
#   takes the keyboard: a cmd line typed then never reaches cmd -> a click brings cmd
#   back, which then takes the next line -> Alt+F4 closes it, Server Manager is there.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
printf 'Passw0rd!\n' > windows-password
printf 'Passw0rd!\n' > typed-password
practice_fresh sign_in_to_cmd --start lock --windows-password-file windows-password \
    --server-manager-delay 6 --window-seed 3 --clock '2026-12-02 09:41'
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR")

# 1. The lock screen: typing and Enter change nothing on it.
assert_exit 0 "${vb[@]}" -e "expect colour $WIN_LOCK_SKY timeout 10s; expect settled 300ms; capture \"lock.png\""
assert_exit 0 "${vb[@]}" -e 'type "hello\n"; key esc; expect settled 500ms; capture "lock-after-typing.png"'
cmp -s lock.png lock-after-typing.png ||
    fail "typing on the lock screen changed what it shows (lock.png, lock-after-typing.png)"
ocr_says lock.png "Press Ctrl+Alt+Delete to unlock" "the lock screen"

# 2. Ctrl+Alt+Delete: the sign-in screen, the password box empty; the password signs in.
assert_exit 0 "${vb[@]}" -e "key ctrl-alt-del; expect colour $WIN_SIGNIN_AVATAR timeout 5s; expect colour $WIN_SIGNIN_BOX timeout 5s"
assert_exit 0 "${vb[@]}" --secret pw=file:typed-password \
    -e "type secret pw; key enter; expect colour $WIN_WALLPAPER 90% in 0,100,1024,500 timeout 5s"

# 3. Win+R opens Run; cmd and Enter open an administrator's cmd window (black).
assert_exit 0 "${vb[@]}" -e "key super-r; expect colour $WIN_RUN timeout 5s; type \"cmd\n\"; expect colour 0x000000 40% $WIN_CMD_REGION timeout 5s"

# 4. Server Manager opens by itself and takes the keyboard: "color 4F" lands in it.
assert_exit 0 "${vb[@]}" -e "expect colour $WIN_SERVER_MANAGER timeout 20s; type \"color 4F\n\"; expect settled 300ms"

# 5. A click on the cmd window's edge (right of Server Manager) brings it to the front:
# still black, so the line typed into Server Manager never reached it; now it takes one.
assert_exit 0 "${vb[@]}" -e "click 990,300; expect colour 0x000000 40% $WIN_CMD_REGION timeout 5s"
assert_exit 0 "${vb[@]}" -e "type \"color 2F\n\"; expect colour 0x008000 40% $WIN_CMD_REGION timeout 5s"

# 6. Alt+F4 closes the focused window, cmd: Server Manager is in front again.
assert_exit 0 "${vb[@]}" -e "key alt-f4; expect colour $WIN_SERVER_MANAGER timeout 5s"

# The transcript holds every key sent, "color 4F" included: it reached the console.
key_lines "$TRANSCRIPT" > keys
grep -c '^down 0x0034 4$' keys > /dev/null || fail "the transcript lacks the '4' of 'color 4F'"
exit 0
