# A Packer boot_command string in a `boot` statement reaches the practice console as
# the key events Packer would send: special keys tapped, <...On>/<...Off> holding and
# releasing, text typed with Shift where needed, waits taking their time.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

exp=$TEST_TMP/boot.expected
cat > "$exp" << 'EOF'
down 0xff1b Escape
up 0xff1b Escape
down 0x006c l
up 0x006c l
down 0xffe1 Shift_L
down 0x0021 exclam
up 0x0021 exclam
up 0xffe1 Shift_L
down 0xffe3 Control_L
down 0x0063 c
up 0x0063 c
up 0xffe3 Control_L
down 0xffe9 Alt_L
down 0xffbf F2
up 0xffbf F2
up 0xffe9 Alt_L
down 0xff0d Return
up 0xff0d Return
EOF
practice_fresh packer_boot
start_us=$(now_us)
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'boot "<esc><wait0.5s>l!<leftCtrlOn>c<leftCtrlOff><leftAltOn><f2><leftAltOff><enter>"'
took_ms=$(( ($(now_us) - start_us) / 1000 ))
assert_key_lines "$TRANSCRIPT" "$exp" "boot string"
((took_ms >= 500)) || fail "the run took ${took_ms} ms: <wait0.5s> did not wait"

# A typo in a tag is a script error before anything is sent.
practice_fresh packer_typo
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'key a; boot "<esc><entr>"'
assert_contains "$LAST_ERR" "did you mean '<enter>'"
grep -q '^# connect' "$TRANSCRIPT" && fail "vncbot connected although the script had an error"
exit 0
