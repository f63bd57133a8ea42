list(APPEND UKMEM_SOURCES
  src/core/cmdline.c
  src/core/context.c
  src/core/init.c
  src/core/kstrtox.c
  src/core/oops.c
  src/core/printk.c
  src/core/printk_ptr.c
  src/core/hexdump.c
  src/core/hung_task.c
  src/core/report.c
  src/core/rwsem.c
  src/core/sched.c
  src/core/sort.c
  src/core/string_helpers.c
  src/core/wait.c
  src/core/stack.c)
