# The practice console's cmd window (--start cmd: signed in, one administrator's Command
# Prompt window open on the desktop), driven by vncbot and checked by its colours.
# `color 2F` turns the whole window green (palette index 2, 0x008000); the
# tspkg check line of the seeded registry (Security Packages without tspkg)
# turns it red (index 4, 0x800000), and after the reg add that restores tspkg
# the same line turns it green.
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1
. "$VB_LIB_DIR/practice-lib.sh" || exit 1

require_vncbot
require_practice
practice_fresh cmd_window --start cmd
cd "$TEST_TMP" || setup_fail "cannot enter $TEST_TMP"

green=0x008000 # cmdshell_palette(2)
region='in 0,100,1024,500'

# The window opens grey on black (color 07), the banner and prompt in it.
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" \
    -e "expect colour 0x000000 40% $region timeout 10s; capture \"start.png\""

# 1. color 2F: white on green, the whole window.
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" \
    -e "type \"color 2F\\n\"; expect colour $green 40% $region timeout 10s"

# 2. The check line, typed from a raw '...' string (backslashes as they are):
# the seed lacks tspkg, so find fails and the window goes red.
cat > check.vnc << 'EOF2'
type 'reg query "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" /v "Security Packages" | find /i "tspkg" >nul && color 2F || color 4F'
key enter
expect colour 0x800000 40% in 0,100,1024,500 timeout 10s
EOF2
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run check.vnc

# 3. Restore tspkg; the same check line turns it green again.
cat > fix.vnc << 'EOF2'
type 'reg add "HKLM\SYSTEM\CurrentControlSet\Control\Lsa" /v "Security Packages" /t REG_MULTI_SZ /d "kerberos\0msv1_0\0schannel\0wdigest\0pku2u\0tspkg" /f'
key enter
expect settled 300ms timeout 10s
EOF2
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run fix.vnc
cp check.vnc check-green.vnc
sed -i 's/^expect colour 0x800000 /expect colour 0x008000 /' check-green.vnc
printf 'capture "green.png"\n' >> check-green.vnc
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" run check-green.vnc

# Shortcuts are not typed: with Ctrl held "e" adds nothing to the line, so
# "color 1E" runs and the window turns blue on index 1 (0x000080); a typed "e"
# would make "color 1eE", which cmd refuses, leaving it green.
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" \
    -e 'type "color 1"; key ctrl+e; type "E\n"; expect colour 0x000080 40% in 0,100,1024,500 timeout 10s'

# exit closes the window: the desktop's wallpaper (0x0f5ea8) where it was.
assert_exit 0 "$VNCBOT" -q -c "$PRACTICE_ADDR" \
    -e 'type "exit\n"; expect colour 0x0f5ea8 90% in 0,100,1024,500 timeout 10s'
exit 0
