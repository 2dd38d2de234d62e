# --machine FILE.reg sets the registry the practice console starts with, and --state FILE
# says what it holds: with practice/machines/fixed.reg the runbook's tspkg check line
# turns the cmd window green at once (red on the default, broken machine), and the
# state file lists tspkg. A .reg file that does not parse is a usage error naming its line.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"
cat > check.vnc << 'EOF2'
type 'reg query "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" /v "Security Packages" | find /i "tspkg" >nul && color 2F || color 4F'
key enter
EOF2

practice_fresh broken --start cmd --state broken.json
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e "include \"check.vnc\"; expect colour 0x800000 40% $WIN_CMD_REGION timeout 10s"

practice_fresh fixed --start cmd --machine "$PROJECT_DIR/practice/machines/fixed.reg" --state fixed.json
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" -e "include \"check.vnc\"; expect colour 0x008000 40% $WIN_CMD_REGION timeout 10s"
python3 -c '
import json, sys
lsa = json.load(open(sys.argv[1]))["registry"]["HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa"]
sys.exit(0 if "tspkg" in lsa["Security Packages"]["data"] else "Security Packages: %r" % lsa["Security Packages"])
' fixed.json || fail "the state file of the fixed machine lacks tspkg"

printf 'Windows Registry Editor Version 5.00\r\n\r\n[HKEY_LOCAL_MACHINE\\SOFTWARE\\x]\r\n"a"=dword:zz\r\n' > bad.reg
assert_exit 2 "$VNCBOT_PRACTICE" --listen 127.0.0.1:0 --machine bad.reg
assert_contains "$LAST_ERR" "bad.reg:4" "a .reg file that does not parse"
exit 0
