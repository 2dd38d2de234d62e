# embed.cmake: turns a machine file into a C source holding its bytes, so the
# default machine built into vncbot-practice and practice/machines/broken.reg
# are one source of truth. Run as: cmake -DIN=file.reg -DOUT=file.c -P embed.cmake
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" hexlen)
math(EXPR len "${hexlen} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "((0x..,){16})" "\\1\n\t" bytes "${bytes}")
file(WRITE "${OUT}.tmp"
  "/* Generated from ${IN} by practice/machines/embed.cmake: do not edit. */\n"
  "#include <stddef.h>\n\n"
  "const unsigned char machine_default_reg[] = {\n\t${bytes}\n};\n"
  "const size_t machine_default_reg_len = ${len};\n")
file(RENAME "${OUT}.tmp" "${OUT}")
