# The two `reg add` lines of the NLA fix arrive byte for byte: backslashes, `\0`, double
# quotes and spaces typed exactly as written.
#
# Arrange: Xvnc (no auth) with an xterm running `cat > got`. Act: vncbot types the lines
# from single-quoted raw strings (backslashes and \0 taken to the letter, the form a
# runbook uses), then the same lines from double-quoted strings with \\ and \" escapes.
# Assert: cat received exactly those four lines.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_xvnc_tools
require_vncbot

# The lines as cmd.exe must receive them (seed/nla-fix.md, notes/libraries.md).
lsa='reg add "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" /v "Security Packages" /t REG_MULTI_SZ /d "kerberos\0msv1_0\0schannel\0wdigest\0tspkg\0pku2u" /f'
ssp='reg add "HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders" /v SecurityProviders /t REG_SZ /d "credssp.dll" /f'

start_xvnc
got=$TEST_TMP/got
expected=$TEST_TMP/expected
start_xterm_cat "$got"

cat > "$TEST_TMP/reg.vnc" << EOF
# raw strings: what is between the single quotes is typed as it stands
type '$lsa'
key enter
type '$ssp'
key enter
# the same lines with escapes
type "$(vnc_dquote "$lsa")\n"
type "$(vnc_dquote "$ssp")\n"
EOF
printf '%s\n' "$lsa" "$ssp" "$lsa" "$ssp" > "$expected"

assert_exit 0 "$VNCBOT" -c "$XVNC_ADDR" run "$TEST_TMP/reg.vnc"
note "vncbot typed $(file_size "$expected") characters in ${LAST_SECONDS}s at its default pace"
wait_for_size "$got" "$(file_size "$expected")" 30 ||
    note "got only $(file_size "$got") of $(file_size "$expected") bytes within 30 s"
assert_file_equals "$expected" "$got" "the reg add lines typed into xterm"

note "ok: both reg add lines arrived exactly, raw and escaped"
