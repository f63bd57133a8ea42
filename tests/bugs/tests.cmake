# The bug corpus: one program per bug class, each checking the first report line of a
# buggy version and that a fixed version reports nothing.
foreach(bug leak_kmalloc leak_vmalloc leak_page gfp_kernel_spinlock gfp_kernel_irq
            kcalloc_overflow fail_nth fail_sweep)
  ukmem_test(bug_${bug} bugs/${bug}.c)
endforeach()
