/* SPDX-License-Identifier: MIT */
/* <linux/stat.h>: the C library's mode bits plus the kernel's user/group/other groupings
 * (module parameters use them for their sysfs permissions). */
#ifndef _UKMEM_LINUX_STAT_H
#define _UKMEM_LINUX_STAT_H
#include <sys/stat.h>

#define S_IRWXUGO	(S_IRWXU | S_IRWXG | S_IRWXO)
#define S_IALLUGO	(S_ISUID | S_ISGID | S_ISVTX | S_IRWXUGO)
#define S_IRUGO		(S_IRUSR | S_IRGRP | S_IROTH)
#define S_IWUGO		(S_IWUSR | S_IWGRP | S_IWOTH)
#define S_IXUGO		(S_IXUSR | S_IXGRP | S_IXOTH)
#endif
