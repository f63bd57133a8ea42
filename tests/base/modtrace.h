/* SPDX-License-Identifier: MIT */
/* What the test modules record: the order their inits and exits ran in. */
#ifndef UKMEM_MODTRACE_H
#define UKMEM_MODTRACE_H
extern char modtrace[256];
static inline void modtrace_add(const char *what)
{
	size_t n = strlen(modtrace);

	snprintf(modtrace + n, sizeof(modtrace) - n, "%s%s", n ? " " : "", what);
}
#endif
