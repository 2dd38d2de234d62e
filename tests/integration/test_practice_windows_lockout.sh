# The sign-in screen refuses a wrong password with Windows' message and an OK that goes
# back to an empty box; after --lockout wrong ones the account is locked for
# --lockout-time seconds, and meanwhile even the right password gets the lockout message,
# as on a real machine; once the time is over, the right password signs in.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
printf 'Passw0rd!\n' > windows-password
printf 'Passw0rd!\n' > right
printf 'passw0rd!\n' > wrong
lockout_time=6
practice_fresh lockout --start lock --windows-password-file windows-password \
    --lockout 3 --lockout-time "$lockout_time" --server-manager-delay 0
vb=("$VNCBOT" -q -c "$PRACTICE_ADDR" --secret right=file:right --secret wrong=file:wrong)

assert_exit 0 "${vb[@]}" -e "key ctrl-alt-del; expect colour $WIN_SIGNIN_BOX timeout 5s"

# 1. Two wrong passwords: each "The password is incorrect. Try again." and OK (Enter)
# back to the box.
for try in 1 2; do
    assert_exit 0 "${vb[@]}" -e "type secret wrong; key enter; expect colour $WIN_SIGNIN_OK timeout 5s; expect settled 300ms; capture \"wrong-$try.png\""
    ocr_says "wrong-$try.png" "The password is incorrect" "wrong password $try"
    assert_exit 0 "${vb[@]}" -e "key enter; expect colour $WIN_SIGNIN_BOX timeout 5s"
done

# 2. The third locks the account: Windows' lockout message.
assert_exit 0 "${vb[@]}" -e "type secret wrong; key enter; expect colour $WIN_SIGNIN_OK timeout 5s; expect settled 300ms; capture \"locked.png\""
locked_at=$(now_us)

# 3. While locked, the right password does not sign in: the message again, no desktop.
assert_exit 0 "${vb[@]}" -e "key enter; expect colour $WIN_SIGNIN_BOX timeout 5s; type secret right; key enter; expect colour $WIN_SIGNIN_OK timeout 5s; expect settled 300ms; capture \"locked-right.png\""
(($(now_us) - locked_at < lockout_time * 1000000)) ||
    setup_fail "the machine was too slow: the lockout ended before the right password was tried"
ocr_says locked.png "currently locked out" "the third wrong password"
cmp -s wrong-1.png locked.png && fail "the lockout message looks like the wrong-password one"
ocr_says locked-right.png "currently locked out" "the right password while locked"
assert_exit 1 "${vb[@]}" -e "expect colour $WIN_WALLPAPER 90% in 0,100,1024,500 timeout 1s"

# 4. Once the lockout time is over, the right password signs in.
wait_until $((lockout_time + 5)) "(( \$(now_us) - locked_at > ($lockout_time * 1000000) + 200000 ))"
assert_exit 0 "${vb[@]}" -e "key enter; expect colour $WIN_SIGNIN_BOX timeout 5s; type secret right; key enter; expect colour $WIN_WALLPAPER 90% in 0,100,1024,500 timeout 5s"
exit 0
