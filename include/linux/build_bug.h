/* SPDX-License-Identifier: MIT */
/* <linux/build_bug.h>: compile-time assertions. */
#ifndef _UKMEM_LINUX_BUILD_BUG_H
#define _UKMEM_LINUX_BUILD_BUG_H
#include <linux/compiler.h>
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define BUILD_BUG_ON_MSG(cond, msg)	_Static_assert(!(cond), msg)
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON failed: " #cond)
#define BUILD_BUG()		_Static_assert(0, "BUILD_BUG")
#define static_assert(expr, ...) _Static_assert(expr, #expr)
#endif
