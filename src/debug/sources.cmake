# Debugging aids: slub_debug, the KASAN-class mode, KFENCE, sanitizer/valgrind annotations.
list(APPEND UKMEM_SOURCES
  src/debug/kasan.c
  src/debug/kfence.c
  src/debug/slab_track.c
  src/debug/slub_debug.c)
