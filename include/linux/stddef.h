/* SPDX-License-Identifier: MIT */
/* <linux/stddef.h>: the UAPI header plus the kernel's offsetofend/sizeof_field. */
#ifndef _UKMEM_LINUX_STDDEF_H
#define _UKMEM_LINUX_STDDEF_H
#include_next <linux/stddef.h>
#include <stddef.h>
#define sizeof_field(TYPE, MEMBER)	sizeof((((TYPE *)0)->MEMBER))
#define offsetofend(TYPE, MEMBER)	(offsetof(TYPE, MEMBER) + sizeof_field(TYPE, MEMBER))
#endif
