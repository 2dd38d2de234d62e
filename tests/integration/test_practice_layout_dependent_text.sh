# Text outside printable ASCII depends on the console's keyboard layout:
#
# - `vncbot check FILE` says so, one line per type or boot string whose value is known (a
#   literal, a -D, a set), naming each such character as 'é' (U+00E9), and nothing for a
#   string of printable ASCII or one whose value a branch decides; it still exits 0 and
#   never shows a secret;
# - on a console that is not QEMU (the practice console, an X server) such text is typed
#   as before: é as its Latin-1 keysym 0xe9, € as its Unicode keysym, a secret's é too.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

script=$TEST_TMP/order.vnc
cat > "$script" << 'EOF'
type "coffee\n"
type "café au lait\n"
type "to ${CITY}\n"
set PRICE "5€"
type "${PRICE} or 6\u{20AC} ™\n"
if changed timeout 1s { set CITY "Montréal" }
type "${CITY}"
boot "<wait0>naïve<enter>"
type secret pw
EOF

# --- check: which strings depend on the layout ---------------------------------------------
cat > "$TEST_TMP/check.expected" << EOF
$script:2: 'é' (U+00E9) depends on the console's keyboard layout; a QEMU console cannot type it
$script:3: 'ü' (U+00FC) depends on the console's keyboard layout; a QEMU console cannot type it
$script:5: '€' (U+20AC) and '™' (U+2122) depend on the console's keyboard layout; a QEMU console cannot type them
$script:8: 'ï' (U+00EF) depends on the console's keyboard layout; a QEMU console cannot type it
EOF
secret='pässwörd'
PW=$secret assert_exit 0 "$VNCBOT" check "$script" -D CITY=Zürich --secret pw=env:PW
grep -F "on the console's keyboard layout" "$LAST_OUT" > "$TEST_TMP/check.got" || true
assert_file_equals "$TEST_TMP/check.expected" "$TEST_TMP/check.got" \
    "the layout lines of vncbot check (one per string, line 7's value decided by a branch left out)"
assert_not_contains "$LAST_OUT" "$secret" "vncbot check: stdout"
assert_not_contains "$LAST_ERR" "$secret" "vncbot check: stderr"
assert_contains "$LAST_OUT" 'secrets needed: pw' "vncbot check: stdout"

# Printable ASCII only: no such line.
printf 'type "plain ~!@# text\\n"\nboot "<enter>abc"\n' > "$TEST_TMP/ascii.vnc"
assert_exit 0 "$VNCBOT" check "$TEST_TMP/ascii.vnc"
assert_not_contains "$LAST_OUT" "keyboard layout" "vncbot check of a printable ASCII script"

# --- a console that is not QEMU types it as before ------------------------------------------
practice_fresh layout_dependent_text_is_typed_on_a_console_that_is_not_qemu
{
    expected_typing "to "
    press 0x00e9 eacute
    expected_typing $'\n'
    press 0x10020ac U+20AC
    expected_typing "p"
    expected_typing "p" # the secret
    press 0x00e4 adiaeresis
} > "$TEST_TMP/typed.expected"
PW=$'p\xc3\xa4' assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" \
    -e 'type "to \u{E9}\n"; type "€p"; type secret pw' --secret pw=env:PW
assert_not_contains "$LAST_ERR" "keyboard layout" "vncbot run on the practice console"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/typed.expected" "é, € and a secret's ä on the practice console"

note "ok: check named the 4 layout-dependent strings; the practice console got é, € and ä as keysyms"
