list(APPEND UKMEM_SOURCES
  src/irq/devres.c
  src/irq/handle.c
  src/irq/manage.c)
