/* packer.c: Packer boot_command strings -> actions. The special keys are
 * Packer's (<bs> <del> <enter> <esc> <f1>..<f24> <return> <tab> <up> <down>
 * <left> <right> <spacebar> <insert> <home> <end> <pageUp> <pageDown> <menu>
 * and the eight modifiers <leftAlt>..<rightSuper>), names matched without
 * case, each with an On or Off suffix to hold or release it; <wait> is one
 * second, <waitN> N seconds, <waitDURATION> a duration. Everything else is
 * text. Unlike Packer, an unknown <name> is an error, not text: a typo in a
 * runbook must not be typed into a console. */
#include "script/packer.h"

#include <rfb/keysym.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "script/stmt.h"
#include "util/strdist.h"

static const struct {
	const char *name;
	uint32_t keysym;
} packer_keys[] = {
	{ "bs", XK_BackSpace }, { "del", XK_Delete }, { "enter", XK_Return },
	{ "esc", XK_Escape }, { "return", XK_Return }, { "tab", XK_Tab },
	{ "up", XK_Up }, { "down", XK_Down }, { "left", XK_Left }, { "right", XK_Right },
	{ "spacebar", XK_space }, { "insert", XK_Insert }, { "home", XK_Home },
	{ "end", XK_End }, { "pageUp", XK_Page_Up }, { "pageDown", XK_Page_Down },
	{ "menu", XK_Menu },
	{ "leftAlt", XK_Alt_L }, { "leftCtrl", XK_Control_L }, { "leftShift", XK_Shift_L },
	{ "leftSuper", XK_Super_L }, { "rightAlt", XK_Alt_R }, { "rightCtrl", XK_Control_R },
	{ "rightShift", XK_Shift_R }, { "rightSuper", XK_Super_R },
};

#define NKEYS (sizeof(packer_keys) / sizeof(packer_keys[0]))

/* The keysym of a special key name (without On/Off), or 0. */
static uint32_t key_named(const char *name, size_t n)
{
	size_t i;

	if (n >= 2 && n <= 3 && (name[0] == 'f' || name[0] == 'F')) {
		int k = atoi(name + 1);

		if (k >= 1 && k <= 24 && name[1] >= '0' && name[1] <= '9' &&
		    (n == 2 || (name[2] >= '0' && name[2] <= '9')))
			return XK_F1 + (uint32_t)(k - 1);
	}
	for (i = 0; i < NKEYS; i++)
		if (strlen(packer_keys[i].name) == n && strncasecmp(packer_keys[i].name, name, n) == 0)
			return packer_keys[i].keysym;
	return 0;
}

static int has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n > k && strncasecmp(s + n - k, suffix, k) == 0;
}

/* One <...> tag, name[0..n) between the brackets, into *a. */
static int parse_tag(const char *name, size_t n, struct packer_action *a,
		     char *msg, size_t msgsize)
{
	char buf[64];

	if (n >= 4 && strncasecmp(name, "wait", 4) == 0) {
		a->kind = PACKER_WAIT;
		if (n == 4) {
			a->ms = 1000;
			return 0;
		}
		if (n - 4 >= sizeof(buf))
			goto bad_wait;
		memcpy(buf, name + 4, n - 4);
		buf[n - 4] = '\0';
		if (strspn(buf, "0123456789") == n - 4) {
			/* At most 6 digits (11 days): counted only then, so a
			 * longer number cannot overflow. */
			if (n - 4 > 6)
				goto bad_wait;
			a->ms = atol(buf) * 1000;
			return 0;
		} else if (duration_parse(buf, &a->ms) == 0) {
			return 0;
		}
bad_wait:
		snprintf(msg, msgsize, "bad wait '<%.*s>': write <wait>, <wait5> or <wait1m30s>",
			 (int)(n < 40 ? n : 40), name);
		return -1;
	}
	a->kind = PACKER_TAP;
	if (has_suffix(name, n, "On")) {
		a->kind = PACKER_DOWN;
		n -= 2;
	} else if (has_suffix(name, n, "Off")) {
		a->kind = PACKER_UP;
		n -= 3;
	}
	a->keysym = key_named(name, n);
	if (a->keysym)
		return 0;
	if (n >= 2 && (name[0] == 'f' || name[0] == 'F') && strspn(name + 1, "0123456789") >= n - 1) {
		snprintf(msg, msgsize, "unknown Packer key '<%.*s>': function keys go from "
			 "<f1> to <f24>", (int)(n < 20 ? n : 20), name);
		return -1;
	}
	{
		const char *best = NULL;
		size_t best_d = 99, i;

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < 60 ? n : 60), name);
		for (i = 0; i < NKEYS; i++) {
			size_t d = strdist(buf, packer_keys[i].name);

			if (d < best_d) {
				best_d = d;
				best = packer_keys[i].name;
			}
		}
		if (best && strdist_plausible(buf, best, best_d))
			snprintf(msg, msgsize, "unknown Packer key '<%s>' (did you mean '<%s>'?)",
				 buf, best);
		else
			snprintf(msg, msgsize, "unknown Packer key '<%s>' (to type a '<', "
				 "use a type statement)", buf);
	}
	return -1;
}

long packer_parse(const char *s, size_t len, struct packer_action *out, size_t max,
		  char *msg, size_t msgsize, size_t *bad_offset)
{
	size_t i = 0, n = 0;

	while (i < len) {
		struct packer_action a = { .offset = i };

		if (s[i] == '<') {
			const char *close = memchr(s + i + 1, '>', len - i - 1);

			if (!close) {
				snprintf(msg, msgsize, "'<' without a closing '>'");
				*bad_offset = i;
				return -1;
			}
			if (parse_tag(s + i + 1, (size_t)(close - s - i - 1), &a, msg, msgsize) < 0) {
				*bad_offset = i;
				return -1;
			}
			i = (size_t)(close - s) + 1;
		} else {
			size_t j = i;

			while (j < len && s[j] != '<')
				j++;
			a.kind = PACKER_TEXT;
			a.text = s + i;
			a.len = j - i;
			i = j;
		}
		if (n == max) {
			snprintf(msg, msgsize, "more than %zu actions in one boot string", max);
			*bad_offset = a.offset;
			return -1;
		}
		out[n++] = a;
	}
	return (long)n;
}
