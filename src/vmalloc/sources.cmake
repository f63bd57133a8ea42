list(APPEND UKMEM_SOURCES
  src/vmalloc/areas.c
  src/vmalloc/fault_report.c
  src/vmalloc/init.c
  src/vmalloc/kvmalloc.c
  src/vmalloc/vmalloc.c
  src/vmalloc/vmap.c
  src/vmalloc/vmap_area.c)
