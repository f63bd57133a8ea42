/* SPDX-License-Identifier: MIT */
/* <linux/export.h>: symbol exports.  Everything in one process is visible already. */
#ifndef _UKMEM_LINUX_EXPORT_H
#define _UKMEM_LINUX_EXPORT_H
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS(sym, ns)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)
#define THIS_MODULE	((struct module *)0)
#endif
