# vncbot-practice's command line: --help and the man page come from one option table
# (every option --help lists is in the page, and the other way round); bad values are
# usage errors (exit 2) that name the option; the Windows password comes from a file only.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

assert_exit 0 "$VNCBOT_PRACTICE" --help
cp "$LAST_OUT" help.txt
assert_exit 0 "$VNCBOT_PRACTICE" --man
cp "$LAST_OUT" page.1
grep -q '^\.TH VNCBOT-PRACTICE 1' page.1 || fail "--man does not print a man page: $(head -n 2 page.1)"
grep -oE -- '--[a-z][a-z-]+' help.txt | sort -u > help-options
# In the page an option is written \-\-name.
grep -oE -- '\\-\\-[a-z]+(\\-[a-z]+)*' page.1 | sed 's/\\//g' | sort -u > page-options
assert_file_equals help-options page-options "the options of --help and of the man page"
for opt in --start --windows-password-file --lockout --lockout-time --server-manager-delay \
    --uac --cmd-size --window-seed --boot-time --one-shot-tokens --token-file --clock \
    --machine --state --user; do
    grep -qx -- "$opt" help-options || fail "--help does not list $opt"
done

# Usage errors: exit 2, the option named, the usage line after.
usage_error() {
    local what=$1 needle=$2
    shift 2
    assert_exit 2 "$VNCBOT_PRACTICE" "$@"
    assert_contains "$LAST_ERR" "$needle" "$what"
    assert_contains "$LAST_ERR" "usage: vncbot-practice" "$what"
}
usage_error "an unknown screen" "--start 'desktop'" --listen 127.0.0.1:0 --start desktop
usage_error "a value for a flag" "--uac takes no value" --listen 127.0.0.1:0 --uac=yes
usage_error "a missing value" "--lockout needs a value" --listen 127.0.0.1:0 --lockout
usage_error "a bad count" "--lockout-time 'soon'" --listen 127.0.0.1:0 --lockout-time soon
usage_error "a bad size" "--cmd-size '120'" --listen 127.0.0.1:0 --cmd-size 120
usage_error "a bad clock" "--clock '9:41'" --listen 127.0.0.1:0 --clock 9:41
usage_error "a token file alone" "--one-shot-tokens" --listen 127.0.0.1:0 --token-file t
usage_error "no --listen" "--listen HOST:PORT is required" --start lock
usage_error "an argument" "unexpected argument 'Passw0rd'" --listen 127.0.0.1:0 Passw0rd

# The Windows password file: a missing one is a usage error that never shows a password.
assert_exit 2 "$VNCBOT_PRACTICE" --listen 127.0.0.1:0 --windows-password-file missing
assert_contains "$LAST_ERR" "cannot read Windows password file 'missing'" "a missing password file"
exit 0
