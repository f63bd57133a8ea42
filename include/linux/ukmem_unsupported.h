/* SPDX-License-Identifier: MIT */
/*
 * UKMEM_UNSUPPORTED(what): a compile-time error for kernel calls ukmem's headers name but do
 * not provide.  A driver that uses one fails to build with a message naming the call, rather
 * than linking against a stub that pretends.  Used as an expression.
 */
#ifndef _UKMEM_LINUX_UNSUPPORTED_H
#define _UKMEM_LINUX_UNSUPPORTED_H
#define UKMEM_UNSUPPORTED(what)							\
	({ _Static_assert(0, "ukmem does not provide " what " (see docs/compatibility.md)"); 0; })
#endif
