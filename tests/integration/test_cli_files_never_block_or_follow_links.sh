# Files vncbot reads must be regular files, and it never waits on one that is not: a FIFO
# (or a directory, or a device) given as a script (run, check), an include, a needle, a
# --password-file, a --secret file:, a --ca-file or a replay capture is refused at once
# with exit 2 and a message naming the path and what it is. `run -` still reads stdin.
# Files vncbot writes are never written through a link and replace only a regular file: a
# symlink planted at the name a screenshot's temporary once had (x.png.tmp) is not
# followed, `capture /dev/full` is refused (exit 2, the device untouched), and a capture
# into a missing directory is refused before connecting (exit 2; the address is a port
# nothing listens on, where any connection attempt would end in exit 3).
# ${NAME} in single quotes is for vncbot, not the shell.
# shellcheck disable=SC2016
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_cmd timeout coreutils

closed_port=
free_port closed_port
port_listening "$closed_port" && setup_fail "port $closed_port should be closed but listens"
nowhere=127.0.0.1::$closed_port

fifo=$TEST_TMP/fifo
mkfifo "$fifo" || setup_fail "mkfifo $fifo failed"

# refused_at_once WHAT WANT CMD...: CMD exits 2 within a second (killed after 5 s: a hang)
# with a one-reason message naming $fifo (or WANT's path) and saying WANT.
refused_at_once() {
    local what=$1 want=$2
    shift 2
    run_bounded 5 "$@"
    ((LAST_RC != 124)) || fail "$what: still waiting after 5 s (it opened the FIFO and blocks)"
    ((LAST_RC == 2)) || fail "$what: expected exit 2, got $LAST_RC; stderr: $(cat "$LAST_ERR")"
    awk -v s="$LAST_SECONDS" 'BEGIN { exit !(s < 1.0) }' ||
        fail "$what: took ${LAST_SECONDS}s to refuse; expected under a second"
    assert_contains "$LAST_ERR" "$want" "$what: stderr"
    assert_not_contains "$LAST_ERR" "connect" "$what: stderr (nothing may be connected)"
}

want="'$fifo' is a FIFO, not a regular file"
refused_at_once "check FIFO" "$want" "$VNCBOT" check "$fifo"
refused_at_once "run FIFO" "$want" "$VNCBOT" -c "$nowhere" run "$fifo"
assert_contains "$LAST_ERR" "vncbot run -" "run FIFO: the hint"
printf 'include "%s"\n' "$fifo" > "$TEST_TMP/includes-fifo.vnc"
refused_at_once "include FIFO" "$want" "$VNCBOT" check "$TEST_TMP/includes-fifo.vnc"
assert_contains "$LAST_ERR" "includes-fifo.vnc:1:9:" "include FIFO: the place"
printf 'expect image "%s"\n' "$fifo" > "$TEST_TMP/needle-fifo.vnc"
refused_at_once "needle FIFO" "$want" "$VNCBOT" check "$TEST_TMP/needle-fifo.vnc"
refused_at_once "--password-file FIFO" "$want" \
    "$VNCBOT" -c "$nowhere" --password-file "$fifo" -e 'key a'
refused_at_once "--secret file:FIFO" "$want" \
    "$VNCBOT" -c "$nowhere" --secret "pw=file:$fifo" -e 'type secret pw'
refused_at_once "--ca-file FIFO" "$want" \
    "$VNCBOT" -c "wss://127.0.0.1:$closed_port/" --ca-file "$fifo" -e 'key a'
refused_at_once "replay FIFO" "$want" "$VNCBOT" replay "$fifo" "$TEST_TMP/frames"
refused_at_once "check DIRECTORY" "'$TEST_TMP' is a directory, not a regular file" \
    "$VNCBOT" check "$TEST_TMP"
refused_at_once "check /dev/null" "'/dev/null' is a character device, not a regular file" \
    "$VNCBOT" check /dev/null

# run - (and check -) still read standard input, a pipe.
echo 'key enter' | "$VNCBOT" check - > "$TEST_TMP/plan" 2> "$TEST_TMP/plan.err" ||
    fail "check - from a pipe exited $?: $(cat "$TEST_TMP/plan.err")"
assert_contains "$TEST_TMP/plan" "key enter" "the plan of a script from stdin"

# Outputs checked before connecting: exit 2, not the 3 of a refused connection.
assert_exit 2 "$VNCBOT" -c "$nowhere" capture "$TEST_TMP/no/such/dir/x.png"
assert_one_reason "$LAST_ERR" "capture into a missing directory: stderr"
assert_contains "$LAST_ERR" "directory '$TEST_TMP/no/such/dir' does not exist"
[[ ! -e $TEST_TMP/no ]] || fail "capture into a missing directory created something"
assert_exit 2 "$VNCBOT" -c "$nowhere" -e "key a; capture \"$TEST_TMP/no/such/dir/x.png\""
assert_contains "$LAST_ERR" "<-e>:1:8: error: cannot write capture '$TEST_TMP/no/such/dir/x.png'"
printf 'set SHOTS "%s"\nkey a\ncapture "${SHOTS}/x.png"\n' "$TEST_TMP/nodir" > "$TEST_TMP/shots.vnc"
assert_exit 2 "$VNCBOT" -c "$nowhere" run "$TEST_TMP/shots.vnc"
assert_contains "$LAST_ERR" "shots.vnc:3:1: error: cannot write capture '$TEST_TMP/nodir/x.png'"
assert_exit 2 "$VNCBOT" -c "$nowhere" -D "DIR=$TEST_TMP/gone" -e 'capture "${DIR}/x.png"'
assert_contains "$LAST_ERR" "directory '$TEST_TMP/gone' does not exist"

# capture /dev/full: refused before connecting, the device node untouched.
before=$(stat -c '%F %t:%T %i' /dev/full)
assert_exit 2 "$VNCBOT" -c "$nowhere" capture /dev/full
assert_contains "$LAST_ERR" "'/dev/full': it is a character device, not a regular file"
assert_eq "$before" "$(stat -c '%F %t:%T %i' /dev/full)" "/dev/full after 'capture /dev/full'"
assert_exit 2 "$VNCBOT" -c "$nowhere" -e 'capture "/dev/full"'
assert_eq "$before" "$(stat -c '%F %t:%T %i' /dev/full)" "/dev/full after a script's capture"

# --record FILE: a regular file is not a directory (and not "not empty").
echo data > "$TEST_TMP/a-file"
assert_exit 2 "$VNCBOT" -c "$nowhere" --record "$TEST_TMP/a-file" -e 'key a'
assert_contains "$LAST_ERR" "--record '$TEST_TMP/a-file' is a regular file, not a directory"
assert_not_contains "$LAST_ERR" "not empty"
assert_eq data "$(cat "$TEST_TMP/a-file")" "the file given as --record"

# A real capture: a symlink planted at x.png.tmp is left alone, and x.png is written.
require_practice
practice_fresh capture
echo precious > "$TEST_TMP/victim"
ln -s "$TEST_TMP/victim" "$TEST_TMP/x.png.tmp"
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" capture "$TEST_TMP/x.png"
assert_eq precious "$(cat "$TEST_TMP/victim")" "the file behind the planted link"
[[ -L $TEST_TMP/x.png.tmp ]] || fail "the planted link x.png.tmp was replaced"
[[ -f $TEST_TMP/x.png && ! -L $TEST_TMP/x.png ]] || fail "x.png is not a regular file"
[[ $(head -c 8 "$TEST_TMP/x.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    fail "x.png is not a PNG"
leftovers=$(find "$TEST_TMP" -maxdepth 1 -name 'x.png.tmp-*')
[[ -z $leftovers ]] || fail "temporaries left behind: $leftovers"

# A capture over a link is refused; the link and what it points to stay as they were.
ln -s "$TEST_TMP/victim" "$TEST_TMP/link.png"
assert_exit 2 "$VNCBOT" -q -c "$PRACTICE_ADDR" capture "$TEST_TMP/link.png"
assert_contains "$LAST_ERR" "it is a symbolic link, not a regular file"
assert_eq precious "$(cat "$TEST_TMP/victim")" "the file behind link.png"

note "ok: FIFOs, directories and devices refused at once; captures never follow links"
