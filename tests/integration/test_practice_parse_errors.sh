# A script with an error anywhere is refused whole, before vncbot even connects:
#
# - `vncbot -c PRACTICE run FILE` with an error on any line exits 2, and stderr starts with
#   `FILE:LINE:COL: error: ...`, then the source line and a caret under column COL;
# - the same through -e (`<-e>:1:COL`);
# - `run` of a script that types a secret not given with --secret exits 2, naming it;
# - the practice console never saw a connection from any of them: its transcript has no
#   `# connect` line until a good run at the end (which proves the console was listening
#   and that its transcript is written in order).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice

practice_fresh refused_scripts_never_connect

# error_at_is WHERE LINE COL WHAT: the last command's stderr reports an error at
# WHERE:LINE:COL (WHERE is the file as given, or <-e>), shows source line LINE, and puts a
# caret under column COL of it.
error_at_is() {
    local where=$1 line=$2 col=$3 what=$4 head src shown caret indent
    head=$(head -n 1 "$LAST_ERR")
    [[ $head == "$where:$line:$col: error: "* ]] ||
        fail "$what: stderr should start with '$where:$line:$col: error: ', starts with '$head'"
    if [[ $where == '<-e>' ]]; then
        src=$script_text
    else
        src=$(sed -n "${line}p" "$where")
    fi
    shown=$(sed -n 2p "$LAST_ERR")
    caret=$(sed -n 3p "$LAST_ERR")
    [[ $shown == *"$src" ]] ||
        fail "$what: the second line of stderr should show the source line '$src', shows '$shown'"
    indent=$((${#shown} - ${#src}))
    local want_caret
    printf -v want_caret '%*s^' $((indent + col - 1)) ''
    [[ $caret == "$want_caret" ]] ||
        fail "$what: the third line of stderr should be a caret under column $col ('$want_caret'), is '$caret'"
}

# refused FILE LINE COL WHAT: `run FILE` exits 2 with the error at LINE:COL.
refused() {
    local file=$1 line=$2 col=$3 what=$4
    assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" run "$file"
    error_at_is "$file" "$line" "$col" "$what"
}

# 1. An unknown key on the last line, after lines that would type.
cat > "$TEST_TMP/last_line.vnc" << 'EOF'
# A script that is wrong only at its very end.
type "must not arrive\n"
key ctrl-alt-del
wait 100ms
key ctrl-alt-dle
EOF
refused "$TEST_TMP/last_line.vnc" 5 14 "unknown key on the last line"
assert_contains "$LAST_ERR" "dle" "unknown key on the last line: stderr"

# 2. A bad duration in the middle.
cat > "$TEST_TMP/bad_duration.vnc" << 'EOF'
key a
type "b"
wait soon
key c
EOF
refused "$TEST_TMP/bad_duration.vnc" 3 6 "bad duration on line 3"

# 3. An unknown statement inside a block, indented.
cat > "$TEST_TMP/in_block.vnc" << 'EOF'
step "Open Run" {
  key super-r
    frobnicate 3
}
EOF
refused "$TEST_TMP/in_block.vnc" 3 5 "unknown statement in a block"

# 4. An unterminated string on the first line.
cat > "$TEST_TMP/unterminated.vnc" << 'EOF'
type "no end
key enter
EOF
refused "$TEST_TMP/unterminated.vnc" 1 6 "unterminated string"

# 5. A variable used before it is defined.
cat > "$TEST_TMP/undefined_var.vnc" << 'EOF'
type "ok"
type "x${NOPE}"
EOF
refused "$TEST_TMP/undefined_var.vnc" 2 8 "undefined variable"

# 6. The same kind of error through -e: '<-e>' and the column in the statements given.
script_text='key a; key ctrl-alt-dle'
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" -e "$script_text"
error_at_is '<-e>' 1 21 "unknown key given with -e"

# 7. A secret typed but not given: exit 2 before connecting, naming the secret.
cat > "$TEST_TMP/needs_secret.vnc" << 'EOF'
key a
type secret admin_pw
EOF
assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" run "$TEST_TMP/needs_secret.vnc"
assert_contains "$LAST_ERR" admin_pw "run without its --secret: stderr"
assert_contains "$LAST_ERR" --secret "run without its --secret: stderr"
# ... and a secret given for another name does not stand in for it.
OTHER=x assert_exit 2 "$VNCBOT" -c "$PRACTICE_ADDR" run "$TEST_TMP/needs_secret.vnc" --secret other=env:OTHER
assert_contains "$LAST_ERR" admin_pw "run with another secret but not admin_pw: stderr"

# A good run last: once its keys are in the transcript, any connection of the refused runs
# would be there before them. The whole transcript must be this one connection.
assert_exit 0 "$VNCBOT" -c "$PRACTICE_ADDR" -e 'key z'
{
    echo '# connect 127.0.0.1'
    press 0x007a z
    echo '# disconnect'
} > "$TEST_TMP/expected"
assert_transcript "$TRANSCRIPT" "$TEST_TMP/expected" \
    "refused runs must not connect; only the final good run may appear"

note "ok: every refused script exited 2 with FILE:LINE:COL, its line and a caret, and never connected"
