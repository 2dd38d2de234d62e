# The typing pace follows what the server is known to be, never only what it is not:
#   - a server whose desktop name vncbot does not know ("ins-7f3a2c", as a cloud's proxy may
#     name a guest's console) gets the guest pace, and -v says so and why;
#   - "QEMU (web01)" gets the guest pace too;
#   - TigerVNC's "root@vm" and x11vnc's "vm:0" get the fast pace, synchronised with the server;
#   - --pace fast, --pace guest and --pace 5 decide instead, and -v says the pace was given.
# Each run types the same line; every key event reaches the server in order, whatever the pace
# (the server's log holds each KeyEvent), and the encodings asked for are lossless. Nothing
# here measures time.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/hostile-lib.sh" || exit 1

require_vncbot
require_hostile_server
require_cmd python3 python3

text='pace=ok!'
# The key events typing $text sends, as the server logs them: Shift around '=' is not
# needed, '!' needs it.
want_keys=$(python3 -c '
import sys
for ch in sys.argv[1]:
    shift = ch == "!"
    ks = ord(ch)
    if shift: print("key down 0xffe1")
    print("key down 0x%04x" % ks)
    print("key up 0x%04x" % ks)
    if shift: print("key up 0xffe1")
' "$text")

# run_case CASE SERVER_NAME [VNCBOT OPTIONS...]: type the line against a server so named.
run_case() {
    local c=$1 name=$2
    shift 2
    hostile_start "$c" normal --name "$name"
    bot_start "$c" -v "$@" -e "type \"$text\""
}

run_case unknown_name_gets_the_guest_pace "ins-7f3a2c"
run_case qemu_gets_the_guest_pace "QEMU (web01)"
run_case tigervnc_gets_the_fast_pace "root@vm"
run_case x11vnc_gets_the_fast_pace "vm:0"
run_case pace_fast_is_obeyed "ins-7f3a2c" --pace fast
run_case pace_guest_is_obeyed "root@vm" --pace guest
run_case pace_ms_is_obeyed "root@vm" --pace 5

# check CASE REGEX WHAT: the run typed the line exactly and -v said REGEX.
check() {
    local c=$1 got
    bot_wait "$c" 30 || return 0
    expect_end "$c" "exit 0" 30
    expect_stderr "$c" "$2" "$3"
    wait_until 5 "server_log_done $c" || problem "$c" "the server logged no disconnect"
    # Lossless encodings only: no JPEG quality level (-32..-23) asked for, which would blur
    # the pixels that screen waits compare.
    grep -qE '^set-encodings( -?[0-9]+)* -(2[3-9]|3[0-2])( |$)' "$TEST_TMP/$c/server.log" &&
        problem "$c" "vncbot asked for JPEG (a quality level): $(grep -m1 '^set-encodings' "$TEST_TMP/$c/server.log")"
    got=$(grep '^key ' "$TEST_TMP/$c/server.log")
    [[ $got == "$want_keys" ]] ||
        problem "$c" "the key events differ from typing '$text': got $(echo "$got" | tr '\n' ';')"
}

check unknown_name_gets_the_guest_pace \
    'typing at the guest pace: 12 ms after each key event.*not known to take keys' \
    "say it types at the guest pace because the server is not known"
check qemu_gets_the_guest_pace 'QEMU console.*guest pace: 12 ms.*QEMU console, which drops keys' \
    "say it types at the guest pace on QEMU"
check tigervnc_gets_the_fast_pace 'typing fast: 0 ms after each key event, synchronised.*known to take keys' \
    "say it types fast, synchronised, on a known server"
check x11vnc_gets_the_fast_pace 'typing fast: 0 ms.*known to take keys' \
    "say it types fast on a known server"
check pace_fast_is_obeyed 'typing fast: 0 ms.*\(--pace fast\)' "say --pace fast was given"
check pace_guest_is_obeyed 'guest pace: 12 ms.*\(--pace guest\)' "say --pace guest was given"
check pace_ms_is_obeyed 'typing slower: 5 ms after each key event.*\(the pace given\)' \
    "say the pace given (5 ms)"

hostile_verdict "the pace is fast only on servers known to take keys as they come, or when asked"
