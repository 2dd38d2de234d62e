/* mask.h: secrets out of text read off a screen. A console that echoes a
 * secret shows it, and OCR reads it back split, recased or a little wrong;
 * what goes to variables, the evidence and the MCP client must still never
 * hold it. */
#ifndef VNCBOT_MASK_H
#define VNCBOT_MASK_H

#include "script/vars.h"

/* text with each secret's value shown as <secret NAME>, also where OCR
 * read it with spaces in it or in other case (a value of 4 characters or
 * more; shorter ones only as written), or, for one of 6 or more, with up to
 * a quarter of its characters wrong, missing or added. values may be NULL.
 * The caller frees the result. */
char *secrets_mask(const char *text, const struct vars *values);

#endif
