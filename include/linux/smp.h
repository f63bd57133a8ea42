/* SPDX-License-Identifier: MIT */
/* <linux/smp.h> */
#ifndef _UKMEM_LINUX_SMP_H
#define _UKMEM_LINUX_SMP_H
#include <linux/preempt.h>
#endif
