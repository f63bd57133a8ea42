# Interrupt tests.
ukmem_test(test_irq irq/test_irq.c THREADS LIBS Threads::Threads)
ukmem_test(test_irq_fork irq/test_irq_fork.c LIBS Threads::Threads TIMEOUT 60)
ukmem_test(test_irq_edges irq/test_irq_edges.c)
