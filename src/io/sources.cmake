list(APPEND UKMEM_SOURCES
  src/io/access.c
  src/io/devres.c
  src/io/ioremap.c
  src/io/mmio.c
  src/io/physmap.c)
