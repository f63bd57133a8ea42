list(APPEND UKMEM_SOURCES
  src/mm/page_alloc.c
  src/mm/percpu.c
  src/mm/physmem.c
  src/mm/resource.c
  src/mm/show.c)
