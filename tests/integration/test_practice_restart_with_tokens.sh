# The whole restart as one vncbot script against a console that behaves like a cloud
# console URL (--one-shot-tokens): shutdown /r, `expect disconnect`, `reconnect` (which
# runs --connect-command again for every try, so each try brings the token the console
# issued last), and the lock screen after the boot. Tries made while the console boots
# find its socket closed (connection refused), so they use up no token.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
practice_fresh restart_tokens --start cmd --boot-time 3 --one-shot-tokens --token-file token
connect="echo ws://127.0.0.1:$PRACTICE_PORT/?token=\$(cat '$TEST_TMP/token')"

cat > restart.vnc << EOF2
type "shutdown /r /t 2\n"
expect colour $WIN_NOTICE timeout 5s
expect disconnect timeout 30s
reconnect timeout 60s
expect colour $WIN_LOCK_SKY timeout 10s
key ctrl-alt-del
expect colour $WIN_SIGNIN_BOX timeout 5s
EOF2
assert_exit 0 "$VNCBOT" -q --connect-command "$connect" run restart.vnc

# Two connections got in (before and after the restart), each with its own token.
{
    grep -c '^# restart: clients dropped' "$TRANSCRIPT"
    grep -c '^# restart: accepting connections' "$TRANSCRIPT"
} | tr '\n' ' ' > restarts
[[ $(< restarts) == "1 1 " ]] || fail "the transcript should show one restart, shows: $(grep '^# restart' "$TRANSCRIPT")"
refused=$(grep -c '^# refused' "$TRANSCRIPT" || true)
((refused == 0)) || fail "a try with the current token was refused: $(grep '^# refused' "$TRANSCRIPT")"
exit 0
