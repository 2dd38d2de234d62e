/* packer.h: Packer's boot_command strings ("<enter><wait5>text<leftCtrlOn>c
 * <leftCtrlOff>"), a format people already know, turned into actions: key
 * taps, key downs and ups, text, waits. Parsing only; the `boot` statement
 * runs the actions. */
#ifndef VNCBOT_PACKER_H
#define VNCBOT_PACKER_H

#include <stddef.h>
#include <stdint.h>

enum packer_kind {
	PACKER_TAP,  /* press and release keysym */
	PACKER_DOWN, /* <leftShiftOn> */
	PACKER_UP,   /* <leftShiftOff> */
	PACKER_TEXT, /* type text[0..len) */
	PACKER_WAIT, /* <wait>, <wait5>, <wait1m30s> */
};

struct packer_action {
	enum packer_kind kind;
	uint32_t keysym;  /* TAP, DOWN, UP */
	const char *text; /* TEXT: points into the parsed string */
	size_t len;
	long ms;          /* WAIT */
	size_t offset;    /* byte offset of the action in the string */
};

/* Parse s[0..len). Returns the number of actions written to out (at most
 * max; a longer sequence is an error), or -1 with a message and the byte
 * offset of the problem (unknown <name>, bad wait, unclosed '<'). */
long packer_parse(const char *s, size_t len, struct packer_action *out, size_t max,
		  char *msg, size_t msgsize, size_t *bad_offset);

#endif
