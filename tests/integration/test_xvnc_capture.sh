# `vncbot capture FILE.png` writes a PNG of the whole screen: the PNG signature, an IHDR
# chunk first, and the server's size (Xvnc started at 1024x768).
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh" || exit 1

require_xvnc_tools
require_vncbot

start_xvnc --geometry 1024x768
# Something on the screen besides the root weave.
start_xterm_cat "$TEST_TMP/unused"

png=$TEST_TMP/screen.png
assert_exit 0 "$VNCBOT" -q -c "$XVNC_ADDR" capture "$png"
[[ -s $png ]] || fail "capture exited 0 but $png is missing or empty"

# bytes FILE OFFSET COUNT: the bytes as unsigned decimals separated by single spaces.
bytes() { od -A n -t u1 -j "$2" -N "$3" -- "$1" | tr -s ' \n' ' ' | sed 's/^ //; s/ $//'; }

signature=$(bytes "$png" 0 8)
assert_eq "137 80 78 71 13 10 26 10" "$signature" "PNG signature (first 8 bytes, decimal)"

# The first chunk must be IHDR with length 13: bytes 8-11 length, 12-15 type.
assert_eq "0 0 0 13 73 72 68 82" "$(bytes "$png" 8 8)" "first chunk length and type (13, 'IHDR')"

# be32 B0 B1 B2 B3: a big-endian 32-bit number.
be32() { echo $((($1 << 24) | ($2 << 16) | ($3 << 8) | $4)); }
read -r -a wh <<< "$(bytes "$png" 16 8)"
width=$(be32 "${wh[@]:0:4}")
height=$(be32 "${wh[@]:4:4}")
assert_eq "1024x768" "${width}x${height}" "PNG size from IHDR"

# Bit depth and colour type (bytes 24-25): 8-bit RGB (2) or RGBA (6), what a viewer expects.
read -r depth ctype <<< "$(bytes "$png" 24 2)"
[[ $depth == 8 && ($ctype == 2 || $ctype == 6) ]] ||
    fail "PNG is bit depth $depth, colour type $ctype; expected 8-bit RGB (2) or RGBA (6)"

# The file ends with the IEND chunk (a truncated write would not).
assert_eq "0 0 0 0 73 69 78 68 174 66 96 130" "$(bytes "$png" $(($(file_size "$png") - 12)) 12)" \
    "last 12 bytes (empty IEND chunk and its CRC)"

if command -v file > /dev/null; then
    file -b "$png" | grep -q '^PNG image data, 1024 x 768' ||
        fail "file(1) does not see a 1024 x 768 PNG: $(file -b "$png")"
fi

note "ok: capture wrote a ${width}x${height} PNG ($(file_size "$png") bytes)"
