# `type` sends exact key events to the practice console:
#
# - all 95 printable ASCII characters, each as its own keysym, with Shift_L held around
#   exactly the characters a US keyboard types with Shift (A-Z and ~!@#$%^&*()_+{}|:"<>?)
#   and around no other; `\n` presses Return;
# - a non-ASCII character (`\u{20AC}`) is sent as its Unicode keysym 0x10020ac;
# - a secret typed by name (`type secret pw`, `--secret pw=env:PW_VAR`) arrives as keys,
#   but its value appears nowhere in vncbot's stdout or stderr (plain, -v and -vv), nor in
#   what `vncbot check` prints.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3

((${#ascii_names[@]} == 95)) || setup_fail "the name table has ${#ascii_names[@]} entries, not 95"

# 1. All printable ASCII, from a script file, then Enter from `\n`.
ascii=$(printable_ascii)
((${#ascii} == 95)) || setup_fail "printable_ascii gave ${#ascii} characters, not 95"
printf 'type "%s\\n"\n' "$(vnc_dquote "$ascii")" > "$TEST_TMP/ascii.vnc"
expected_typing "$ascii"$'\n' > "$TEST_TMP/ascii.expected"
# The expectation itself: 95 + 1 presses, and Shift_L around 47 of them.
(($(grep -c '' "$TEST_TMP/ascii.expected") == 2 * 96 + 2 * 47)) ||
    setup_fail "the expected list has $(grep -c '' "$TEST_TMP/ascii.expected") lines, not $((2 * 96 + 2 * 47))"
practice_fresh typing_all_printable_ascii_sends_each_keysym_with_shift_where_us_needs_it
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" run "$TEST_TMP/ascii.vnc"
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/ascii.expected" "typing the 95 printable ASCII characters and \\n"

# 2. A character outside ASCII is sent as its Unicode keysym (0x1000000 + code point).
practice_fresh typing_the_euro_sign_sends_unicode_keysym
press 0x10020ac U+20AC > "$TEST_TMP/euro.expected"
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'type "\u{20AC}"'
assert_key_lines "$TRANSCRIPT" "$TEST_TMP/euro.expected" "typing \\u{20AC}"

# 3. A secret typed by name arrives, and is never shown.
secret='Qz7#Vx!k' # only in the environment; letters no other statement types
cat > "$TEST_TMP/secret.vnc" << 'EOF'
step "Sign in" {
  type "user\t"
  type secret pw
  key enter
}
EOF
{
    expected_typing $'user\t'
    expected_typing "$secret"
    press 0xff0d Return
} > "$TEST_TMP/secret.expected"

# The keysyms only the secret types, as a log of key events would write them.
secret_keysyms=()
for ((i = 0; i < ${#secret}; i++)); do
    printf -v code '%d' "'${secret:i:1}"
    [[ user == *"${secret:i:1}"* ]] && continue
    secret_keysyms+=("$(printf '0x%04x' "$code")" "$(printf '0x%x' "$code")")
done

# secret_not_shown WHAT FILE...: neither the value nor the secret's keysyms in FILEs.
secret_not_shown() {
    local what=$1 f k
    shift
    for f in "$@"; do
        assert_not_contains "$f" "$secret" "$what: $(basename "$f")"
        for k in "${secret_keysyms[@]}"; do
            assert_not_contains "$f" "$k" "$what: $(basename "$f") (keysym of a secret character)"
        done
    done
}

for verbosity in "" -v -vv; do
    practice_fresh "typing_a_secret_by_name_arrives_but_is_not_shown${verbosity:+_$verbosity}"
    args=(-c "$PRACTICE_ADDR")
    [[ -n $verbosity ]] && args+=("$verbosity")
    PW_VAR=$secret assert_exit 0 "$VNCBOT" "${args[@]}" run "$TEST_TMP/secret.vnc" --secret pw=env:PW_VAR
    assert_key_lines "$TRANSCRIPT" "$TEST_TMP/secret.expected" "typing secret pw${verbosity:+ with $verbosity}"
    secret_not_shown "vncbot ${verbosity:-without -v} run" "$LAST_OUT" "$LAST_ERR"
done

# `check` lists the secret by name only, with the value in the environment and --secret
# given (and with -v).
for verbosity in "" -v; do
    args=(check "$TEST_TMP/secret.vnc" --secret pw=env:PW_VAR)
    [[ -n $verbosity ]] && args=("$verbosity" "${args[@]}")
    PW_VAR=$secret assert_exit 0 "$VNCBOT" "${args[@]}"
    assert_contains "$LAST_OUT" 'secrets needed: pw' "vncbot check${verbosity:+ $verbosity}: stdout"
    assert_contains "$LAST_OUT" '<secret pw>' "vncbot check${verbosity:+ $verbosity}: stdout"
    secret_not_shown "vncbot check${verbosity:+ $verbosity}" "$LAST_OUT" "$LAST_ERR"
done

note "ok: 95 printable ASCII characters, U+20AC and a secret arrived exactly; the secret was never shown"
