# A console that changes its screen size mid-session, or announces one no client can hold:
#   - resize-up / resize-down / resize-ext-up / resize-ext-down: after the first update the
#     server announces 1280x1024 or 800x600 (DesktopSize -223 or ExtendedDesktopSize -308)
#     and sends the new screen whole; `expect settled 1s timeout 5s; capture screen.png`
#     exits 0 within 10 s and the PNG has the new size;
#   - resize-refused-wide (16385x1), resize-refused-huge and resize-ext-refused-huge
#     (65535x65535): the resize is followed by a Raw 100x1 rect at 0,0 whose pixels are bait
#     for a client that reads on after refusing the size: it decodes the next rects with
#     the refused width as its stride (the memory corruption of issue 10: ASan's
#     heap-buffer-overflow, or exit 139 without it); init-huge: ServerInit itself says
#     65535x65535. Each exits 3 within the script's 5 s timeout plus 1 s, names the size
#     (WxH) on stderr, leaves no sanitizer report and no core, and releases the Shift it
#     pressed (the link still stands; init-huge: no key reached the server);
#   - normal: the control case, a well-behaved 1024x768 server.
# The cases run in parallel, each against its own server.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/hostile-lib.sh" || exit 1

require_vncbot
require_hostile_server
require_cmd python3 python3

script=(-e 'down shift' -e 'expect settled 1s timeout 5s' -e 'capture screen.png')

# Cases whose screen vncbot must follow: CASE MODE SIZE.
followed=(
    "normal normal 1024x768"
    "resize_up_is_followed resize-up 1280x1024"
    "resize_down_is_followed resize-down 800x600"
    "ext_resize_up_is_followed resize-ext-up 1280x1024"
    "ext_resize_down_is_followed resize-ext-down 800x600"
)
# Cases whose size vncbot must refuse, and say so: CASE MODE SIZE.
refused=(
    "resize_to_16385x1_is_refused resize-refused-wide 16385x1"
    "resize_to_65535x65535_is_refused resize-refused-huge 65535x65535"
    "ext_resize_to_65535x65535_is_refused resize-ext-refused-huge 65535x65535"
    "init_at_65535x65535_is_refused init-huge 65535x65535"
)

for row in "${followed[@]}" "${refused[@]}"; do
    read -r c mode _ <<< "$row"
    hostile_start "$c" "$mode"
    bot_start "$c" "${script[@]}"
done

for row in "${followed[@]}"; do
    read -r c mode size <<< "$row"
    bot_wait "$c" 10 || continue
    expect_end "$c" "exit 0" 10
    expect_png "$c" screen.png "$size"
    expect_no_sanitizer_report "$c"
    expect_keys_released "$c" 0xffe1
    note "$c: $BOT_HOW after ${BOT_SECONDS}s, screen.png $(png_size "$TEST_TMP/$c/screen.png")"
done

for row in "${refused[@]}"; do
    read -r c mode size <<< "$row"
    bot_wait "$c" 10 || continue
    expect_end "$c" "exit 3" 6
    expect_no_core "$c"
    if expect_no_sanitizer_report "$c" && bot_failed "$c"; then
        expect_stderr "$c" "(^|[^0-9])$size([^0-9]|$)" "name the refused size $size"
        expect_one_reason "$c"
    fi
    if [[ $mode == init-huge ]]; then
        expect_no_keys "$c"
    else
        expect_keys_released "$c"
    fi
    note "$c: $BOT_HOW after ${BOT_SECONDS}s: $(bot_said "$c")"
done

hostile_verdict "resizes followed; absurd sizes refused with exit 3, named, without memory errors"
