list(APPEND UKMEM_SOURCES
  src/slab/kmalloc.c
  src/slab/rcu.c
  src/slab/rcu_host.c
  src/slab/slabinfo.c
  src/slab/slub.c
  src/slab/util.c)
