/* SPDX-License-Identifier: MIT */
/* <linux/bottom_half.h> */
#ifndef _UKMEM_LINUX_BOTTOM_HALF_H
#define _UKMEM_LINUX_BOTTOM_HALF_H
#include <linux/preempt.h>
#endif
