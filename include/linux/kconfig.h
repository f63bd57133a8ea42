/* SPDX-License-Identifier: MIT */
/*
 * <linux/kconfig.h>: IS_ENABLED() and its relatives, which turn a CONFIG_ option into 0 or 1
 * usable in C expressions and in #if.  An option counts as set when it is defined to 1 (as
 * kbuild's autoconf.h writes a "y" option); IS_MODULE() looks for OPTION_MODULE.  ukmem
 * defines no CONFIG_ options itself: a program that builds kernel code with an option on
 * passes -DCONFIG_X=1, as kbuild's -include of autoconf.h would.
 */
#ifndef _UKMEM_LINUX_KCONFIG_H
#define _UKMEM_LINUX_KCONFIG_H

/*
 * An option defined as 1 pastes into __UKMEM_KC_1, which expands to "0," and shifts a 1 into
 * the second argument's place; anything else leaves the junk token first and picks the 0.
 */
#define __UKMEM_KC_1				0,
#define __ukmem_kc_second(ignored, val, ...)	val
#define __ukmem_kc_pick(junk)			__ukmem_kc_second(junk 1, 0)
#define __ukmem_kc_paste(val)			__ukmem_kc_pick(__UKMEM_KC_##val)
#define __is_defined(x)				__ukmem_kc_paste(x)
#define __ukmem_kc_or_pick(junk, y)		__ukmem_kc_second(junk 1, y)
#define __ukmem_kc_or_paste(x, y)		__ukmem_kc_or_pick(__UKMEM_KC_##x, y)
#define __or(x, y)				__ukmem_kc_or_paste(x, y)

#define IS_BUILTIN(option)	__is_defined(option)
#define IS_MODULE(option)	__is_defined(option##_MODULE)
#define IS_ENABLED(option)	__or(IS_BUILTIN(option), IS_MODULE(option))
/* Code built into a program reaches everything linked with it. */
#define IS_REACHABLE(option)	IS_ENABLED(option)
#endif
