# Debugging aids: slub_debug, the KASAN-class mode, KFENCE, sanitizer/valgrind annotations,
# kmemleak and fault injection.
list(APPEND UKMEM_SOURCES
  src/debug/fault.c
  src/debug/kasan.c
  src/debug/kfence.c
  src/debug/kmemleak.c
  src/debug/slab_track.c
  src/debug/slub_debug.c)
