list(APPEND UKMEM_SOURCES
  src/debug/fault.c
  src/debug/kmemleak.c)
