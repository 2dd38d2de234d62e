# A console that stalls without closing ends the run with exit 3 (or 1 when the script's
# own timeout ends it) at the deadline the user set, not at some later one, with one reason
# line and no sanitizer report:
#   - trickle-update: after the first update every answer comes one byte a second; with
#     `down shift; expect settled 2s timeout 5s` vncbot ends (exit 3 or 1) within the 5 s
#     timeout plus 1 s (plus 1 s for the connection), and the server saw Shift released;
#   - trickle-handshake: the handshake itself one byte a second; with --connect-timeout 3s,
#     exit 3 within 4 s, and no key reached the server;
#   - stop-reading: after the first update the server reads and sends nothing more, the
#     connection open; with --read-timeout 2s, exit 3 within 3.5 s, saying it stopped
#     answering; with the default read timeout (15 s), exit 3 within 16 s;
#   - silent: the server sends its version and then nothing: the handshake never ends;
#     with --connect-timeout 2s (which bounds the whole connect), exit 3 within 3.5 s;
#   - normal: the control case, which exits 0.
# The cases run in parallel, each against its own server, so the file takes ~16 s (up to
# 35 s when a case overruns: the waits leave room to report how long it really took).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/hostile-lib.sh" || exit 1

require_vncbot
require_hostile_server
require_cmd python3 python3

stalled='stopped answering|not answer|no answer|no reply|timed? ?out'

hostile_start normal normal
bot_start normal -e 'down shift' -e 'wait 1s'

hostile_start trickled_update_ends_within_the_script_timeout trickle-update
bot_start trickled_update_ends_within_the_script_timeout \
    -e 'down shift' -e 'expect settled 2s timeout 5s'

hostile_start trickled_handshake_ends_at_the_connect_timeout trickle-handshake
bot_start trickled_handshake_ends_at_the_connect_timeout --connect-timeout 3s -e 'down shift'

hostile_start server_that_stops_reading_ends_at_the_read_timeout stop-reading
bot_start server_that_stops_reading_ends_at_the_read_timeout --read-timeout 2s \
    -e 'down shift' -e 'expect settled 2s timeout 30s'

hostile_start silent_server_ends_at_the_connect_timeout silent
bot_start silent_server_ends_at_the_connect_timeout --connect-timeout 2s -e 'down shift' -e 'wait 30s'

hostile_start default_read_timeout_is_15s stop-reading
bot_start default_read_timeout_is_15s -e 'down shift' -e 'wait 60s'

# check_stall CASE WANT MAX_SECONDS REGEX WHAT: the common checks of a stalled case.
check_stall() {
    local c=$1
    expect_end "$c" "$2" "$3"
    if expect_no_sanitizer_report "$c" && bot_failed "$c"; then
        expect_stderr "$c" "$4" "$5"
        expect_one_reason "$c"
    fi
    note "$c: $BOT_HOW after ${BOT_SECONDS}s: $(bot_said "$c")"
}

if bot_wait normal 10; then
    expect_end normal "exit 0" 5
    expect_keys_released normal 0xffe1
    note "normal: $BOT_HOW after ${BOT_SECONDS}s"
fi

c=trickled_update_ends_within_the_script_timeout
if bot_wait $c 15; then
    check_stall $c "exit 3|exit 1" 7 "$stalled|settle|timeout|[0-9] ?s" "say what it waited for"
    expect_keys_released $c 0xffe1
fi

c=trickled_handshake_ends_at_the_connect_timeout
if bot_wait $c 15; then
    check_stall $c "exit 3" 4 "$stalled|handshake|connect" "say the handshake did not finish in time"
    expect_no_keys $c
fi

c=server_that_stops_reading_ends_at_the_read_timeout
bot_wait $c 15 && check_stall $c "exit 3" 3.5 "$stalled" "say the console stopped answering"

c=silent_server_ends_at_the_connect_timeout
if bot_wait $c 20; then
    check_stall $c "exit 3" 3.5 "$stalled|handshake" "say the console did not answer"
    expect_no_keys $c
fi

c=default_read_timeout_is_15s
bot_wait $c 35 && check_stall $c "exit 3" 16 "$stalled" "say the console stopped answering"

hostile_verdict "trickled, withheld and silent consoles end at the deadline the user set"
