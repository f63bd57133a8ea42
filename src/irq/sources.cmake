list(APPEND UKMEM_SOURCES
  src/irq/handle.c
  src/irq/manage.c)
