# A signal stops vncbot promptly even while the console trickles an update one byte a
# second (vncbot is then in the middle of reading a message): for each of SIGINT, SIGTERM,
# SIGHUP and SIGQUIT, vncbot runs `down shift; expect settled 2s timeout 60s` against the
# trickle-update server; once the server has seen Shift go down and the screen asked for
# (the wait has begun), the signal is sent. vncbot must exit with status 128+N (an exit,
# not a death by the signal) within 1 s of it, the server must have seen Shift released,
# and there must be no core file and no sanitizer report.
# The four run in parallel, each against its own server.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/hostile-lib.sh" || exit 1

require_vncbot
require_hostile_server
require_cmd python3 python3

signals=(INT TERM HUP QUIT)

case_name() { echo "sig${1,,}_mid_trickle_exits_$((128 + $(kill -l "$1")))_with_keys_released"; }

# waiting_after_shift CASE: the server's log has `key down 0xffe1` and, after it, a request
# for the screen (the script's wait has begun).
waiting_after_shift() {
    awk '$0 == "key down 0xffe1" { down = 1 }
         down && /^update-request full / { found = 1 }
         END { exit !found }' "$TEST_TMP/$1/server.log" 2> /dev/null
}

for sig in "${signals[@]}"; do
    c=$(case_name "$sig")
    hostile_start "$c" trickle-update
    bot_start "$c" -e 'down shift' -e 'expect settled 2s timeout 60s'
done

declare -A sent_us
for sig in "${signals[@]}"; do
    c=$(case_name "$sig")
    if ! wait_until 10 "waiting_after_shift $c || bot_ended $c"; then
        problem "$c" "the server saw no Shift down and screen request within 10 s; its log ends: $(tail -n 5 "$TEST_TMP/$c/server.log" | tr '\n' ';')"
        continue
    fi
    if bot_ended "$c"; then
        problem "$c" "vncbot ended ($(head -n 1 "$TEST_TMP/$c/bot.status" | cut -d' ' -f1,2)) before the signal; stderr: $(head -c 400 "$TEST_TMP/$c/bot.err")"
        continue
    fi
    grep -q '^# trickling' "$TEST_TMP/$c/server.log" ||
        setup_fail "$c: the server is not trickling yet; its log: $(tail -n 5 "$TEST_TMP/$c/server.log")"
    sent_us[$c]=$(now_us)
    kill "-$sig" "$(bot_pid "$c")"
done

for sig in "${signals[@]}"; do
    c=$(case_name "$sig")
    [[ -n ${sent_us[$c]:-} ]] || continue
    want=$((128 + $(kill -l "$sig")))
    bot_wait_until "$c" $((sent_us[$c] + 5000000)) "5 s after SIG$sig" || continue
    after=$((BOT_ENDED_US - sent_us[$c]))
    after=$(printf '%d.%03d' $((after / 1000000)) $(((after / 1000) % 1000)))
    expect_end "$c" "exit $want" 999
    us_at_most $((BOT_ENDED_US - sent_us[$c])) 1 ||
        problem "$c" "vncbot ended ${after}s after SIG$sig, more than the 1 s allowed ($BOT_HOW)"
    expect_keys_released "$c" 0xffe1
    expect_no_core "$c"
    expect_no_sanitizer_report "$c"
    note "$c: $BOT_HOW ${after}s after SIG$sig"
done

hostile_verdict "INT, TERM, HUP and QUIT mid-trickle: exit 128+N within 1 s, Shift released"
