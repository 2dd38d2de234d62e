/* nla_verdict.h: the tests' verdict on a practice registry: can NLA work
 * after a restart? Lsa\Security Packages lists tspkg and
 * SecurityProviders\SecurityProviders lists credssp.dll, each entry matched
 * whole and without regard to case (tspkgx is not tspkg). Only the tests
 * judge a fix; the practice console itself has no opinion. */
#ifndef TESTS_NLA_VERDICT_H
#define TESTS_NLA_VERDICT_H

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "registry.h"

#define NLA_LSA "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa"
#define NLA_SECPROV "HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders"

/* Whether the sep-separated list holds want, blanks around entries ignored. */
static inline bool nla_list_has(const char *list, char sep, const char *want)
{
	size_t wlen = strlen(want);

	while (*list) {
		const char *end = strchr(list, sep);
		size_t len = end ? (size_t)(end - list) : strlen(list);
		const char *s = list;
		size_t n = len;

		while (n && isspace((unsigned char)*s))
			s++, n--;
		while (n && isspace((unsigned char)s[n - 1]))
			n--;
		if (n == wlen && strncasecmp(s, want, n) == 0)
			return true;
		list += len;
		if (*list)
			list++;
	}
	return false;
}

static inline bool registry_nla_ready(const struct registry *reg)
{
	const struct registry_value *pk = registry_get(reg, NLA_LSA, "Security Packages");
	const struct registry_value *sp = registry_get(reg, NLA_SECPROV, "SecurityProviders");
	bool tspkg = false;
	size_t i;

	if (pk && pk->type == REGISTRY_MULTI_SZ)
		for (i = 0; i < pk->count; i++)
			tspkg = tspkg || strcasecmp(pk->items[i], "tspkg") == 0;
	return tspkg && sp && (sp->type == REGISTRY_SZ || sp->type == REGISTRY_EXPAND_SZ) &&
	       nla_list_has(sp->text, ',', "credssp.dll");
}

#endif
