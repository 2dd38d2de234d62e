# The NLA runbook's cmd parts against the seed's broken machine, the fixed one and the
# half-fixed one (practice/machines/; the others are test_runbook_nla_machines_others.sh), in an open
# administrator cmd window (--start cmd), over TCP and WebSocket in turn. For each one:
#
# - nla-check.vnc tells its state right: exit 0 only on the fixed machine, else exit 1
#   naming the setting(s) missing, in the message and the result;
# - nla-fix.vnc ends with exit 0 and the registry as the seed says (every earlier entry
#   kept, tspkg and credssp.dll added only where missing, matched whole: tspkgx is not
#   tspkg), the backups written first;
# - a second nla-fix.vnc changes nothing, and the first backup stays as it was;
# - nla-check.vnc then says both are in place;
# - nla-rollback.vnc puts back the registry the machine started with, exactly.
#
# The --state file of the practice console is the witness for the registry and the disk.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1
. "$VB_LIB_DIR/runbook-lib.sh" || exit 1
. "$VB_LIB_DIR/runbook-machines-lib.sh" || exit 1

require_vncbot
require_practice
require_cmd python3 python3
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

run_machines broken fixed half-fixed
