/* font.h: the practice console's own 8x16 bitmap font for printable ASCII,
 * plus a box glyph drawn for anything it has no glyph for. */
#ifndef PRACTICE_FONT_H
#define PRACTICE_FONT_H

#include <stddef.h>
#include <stdint.h>

#define FONT_WIDTH 8
#define FONT_HEIGHT 16

/* Check the font sheet in font.c: every row well formed. Returns 0, or -1
 * with a message naming the bad row in msg. Run once at startup so a slip
 * in editing the sheet fails every test instead of drawing garbage. */
int font_check(char *msg, size_t msgsize);

/* The glyph of a character: FONT_HEIGHT bytes, one per row, top first,
 * bit 7 the leftmost pixel. Characters outside 0x20..0x7e get the box glyph.
 * Points into static storage; never NULL. */
const uint8_t *font_glyph(unsigned int ch);

#endif
