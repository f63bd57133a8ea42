/* SPDX-License-Identifier: MIT */
/* <linux/pfn.h> */
#ifndef _UKMEM_LINUX_PFN_H
#define _UKMEM_LINUX_PFN_H
#include <asm/page.h>
#endif
