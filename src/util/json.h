/* json.h: writing JSON strings, for the JSON log lines and events.jsonl. */
#ifndef VNCBOT_JSON_H
#define VNCBOT_JSON_H

#include <stdio.h>

/* Write s as a JSON string, quotes included, control bytes escaped. */
void json_put_string(FILE *f, const char *s);

#endif
