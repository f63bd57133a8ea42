/* SPDX-License-Identifier: MIT */
/*
 * Which sanitizer this file is being compiled under, decided once for every file.  Plain C
 * with no kernel types, so that the liburcu bridge (src/slab/rcu_host.c, which cannot include
 * core.h) tests the same macro as the rest of ukmem.
 *
 * UKMEM_TSAN: defined when ThreadSanitizer instruments this file (gcc announces it with
 * __SANITIZE_THREAD__, clang through __has_feature).
 */
#ifndef UKMEM_SANITIZER_H
#define UKMEM_SANITIZER_H

#if defined(__SANITIZE_THREAD__)
#define UKMEM_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UKMEM_TSAN 1
#endif
#endif

#endif
