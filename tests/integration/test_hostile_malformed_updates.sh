# A console that sends a malformed or impossible message after a correct first update ends
# the run with exit 3 within 4 s (under the script's 5 s timeout, with room for ASan on two
# busy cores), one reason line that names what was wrong, no sanitizer report and no core;
# where the link still stands, the Shift the script pressed is released:
#   - rect-out-of-range: a Raw 10x10 rect at 65000,65000 of a 1024x768 screen;
#   - copyrect-out-of-range: a CopyRect whose 64x64 source is at 60000,60000;
#   - close-mid-update: a full-screen Raw update cut after half its pixels, then the
#     socket closed (the link is gone: nothing to release);
#   - cut-text-huge: a ServerCutText announcing 4294967295 bytes of text;
#   - unknown-message: server message type 127, which no RFB version defines;
#   - normal: the control case, which exits 0.
# The cases run in parallel, each against its own server.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/hostile-lib.sh" || exit 1

require_vncbot
require_hostile_server
require_cmd python3 python3

script=(-e 'down shift' -e 'expect settled 1s timeout 5s')

# CASE MODE REGEX-THE-MESSAGE-MATCHES WHAT-IT-SAYS
cases=(
    "rect_outside_the_screen_ends_the_run rect-out-of-range|65000|name the rect's position 65000"
    "copyrect_from_outside_the_screen_ends_the_run copyrect-out-of-range|60000|name the source position 60000"
    "update_cut_by_a_close_ends_the_run close-mid-update|clos|lost|reset|went away|say the connection was closed"
    "huge_cut_text_ends_the_run cut-text-huge|cut.?text|clipboard|4294967295|name the cut text"
    "unknown_message_type_ends_the_run unknown-message|127|unknown message|name the unknown message type"
)

hostile_start normal normal
bot_start normal "${script[@]}"
for row in "${cases[@]}"; do
    read -r c mode <<< "${row%%|*}"
    hostile_start "$c" "$mode"
    bot_start "$c" "${script[@]}"
done

if bot_wait normal 10; then
    expect_end normal "exit 0" 5
    expect_no_sanitizer_report normal
    expect_keys_released normal 0xffe1
    note "normal: $BOT_HOW after ${BOT_SECONDS}s"
fi

for row in "${cases[@]}"; do
    read -r c mode <<< "${row%%|*}"
    what=${row##*|}
    regex=${row#*|}
    regex=${regex%|*}
    bot_wait "$c" 10 || continue
    expect_end "$c" "exit 3" 4
    expect_no_core "$c"
    if expect_no_sanitizer_report "$c" && bot_failed "$c"; then
        expect_stderr "$c" "$regex" "$what"
        expect_one_reason "$c"
    fi
    [[ $mode == close-mid-update ]] || expect_keys_released "$c"
    note "$c: $BOT_HOW after ${BOT_SECONDS}s: $(bot_said "$c")"
done

hostile_verdict "out-of-range rects, a cut update, huge cut text and an unknown message all end in exit 3"
