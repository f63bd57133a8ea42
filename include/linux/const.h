/* SPDX-License-Identifier: MIT */
/* <linux/const.h>: UAPI _AC/_BITUL plus the kernel's UL()/ULL()/BIT helpers. */
#ifndef _UKMEM_LINUX_CONST_H
#define _UKMEM_LINUX_CONST_H
#include_next <linux/const.h>
#define UL(x)		(_UL(x))
#define ULL(x)		(_ULL(x))
#endif
