# SPDX-License-Identifier: MIT
"""
How the first-call test calls each entry point (read by gen_firstcall.py).

An argument is synthesised from, in order:
  1. OVERRIDES[function]['args'] (a list, one C expression per parameter; None = default);
  2. PARAM_RULES: the first rule whose type and parameter-name patterns match (for a macro
     the type is unknown, '' , and the macro's name must match the rule's 'macro' pattern);
an entry point with a parameter no rule matches is emitted as a failing case naming it.

A rule is a dict with:
  expr     the argument (C), '{v}' is this argument's own variable name
  decl     declarations/statements before the call ('{v}' as above)
  cleanup  statements after the call (skipped for a parameter the function consumes)
  api      True when the argument is made by a ukmem call (the entry point is then not the
           process's very first call; the test lists it as "after setup")
Per function, OVERRIDES may also give: decl, pre (statements just before the call), cleanup
(after it; '{r}' is the result, '{a0}', '{a1}' ... the arguments), consumes (parameter
indexes whose rule cleanup is skipped), reports (BUG/WARN reports the valid call makes),
api (as above), value (a macro that yields a value: capture it as {r}).
RESULT_CLEANUP gives cleanups by name pattern (free what an allocation returned).

To add an entry point the defaults cannot call: add an OVERRIDES entry (or a PARAM_RULES
rule for a new parameter type, which then serves every function using it); if it cannot be
called faithfully as a first call at all, add it to EXCLUDE with the reason.
"""
import re

INT_TYPES = {
    'size_t', 'ssize_t', 'int', 'unsigned', 'unsigned int', 'long', 'long int', 'unsigned long',
    'unsigned long int', 'long long', 'unsigned long long', 'short', 'unsigned short', 'char',
    'unsigned char', 'signed char', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64',
    '__u8', '__u16', '__u32', '__u64', 'phys_addr_t', 'resource_size_t', 'dma_addr_t',
    'loff_t', 'pgoff_t', 'uintptr_t', 'irq_hw_number_t', 'uint8_t', 'uint16_t', 'uint32_t',
    'uint64_t', 'int8_t', 'int16_t', 'int32_t', 'int64_t', 'off_t', 'fmode_t',
}

def _int(t):
    t = re.sub(r'^const ', '', t)
    return t in INT_TYPES

def _intptr(t):
    return t.endswith(' *') and (_int(t[:-2]) or t[:-2] == 'bool')

A_PAGE = dict(decl='struct page *{v} = alloc_pages(GFP_KERNEL, 1);', expr='{v}',
              cleanup='__free_pages({v}, 1);', api=True)
A_OBJ = dict(decl='void *{v} = kmalloc(64, GFP_KERNEL);', expr='{v}', cleanup='kfree({v});',
             api=True)
# Locks are per thread: racing threads each initialise, take and check their own.
A_RAW = dict(decl='static __thread raw_spinlock_t {v} = __RAW_SPIN_LOCK_UNLOCKED({v});',
             expr='&{v}')
A_SPIN = dict(decl='static __thread spinlock_t {v} = __SPIN_LOCK_UNLOCKED({v});', expr='&{v}')
A_RW = dict(decl='static __thread rwlock_t {v} = __RW_LOCK_UNLOCKED({v});', expr='&{v}')
A_MUTEX = dict(decl='static __thread DEFINE_MUTEX({v});', expr='&{v}')
A_FLAGS = dict(decl='unsigned long {v} = 0;', expr='{v}')

# A platform device registered for the call and unregistered after it (its devres with it).
A_PDEV = dict(decl='struct platform_device *{v}_pd = '
                   'platform_device_register_simple("fc", PLATFORM_DEVID_AUTO, NULL, 0);\n'
                   '\tif (IS_ERR({v}_pd))\n\t\tfc_fail("platform_device_register_simple");',
              expr='{v}_pd', cleanup='platform_device_unregister({v}_pd);', api=True)
A_DEV = dict(A_PDEV, expr='&{v}_pd->dev')
# A driver on the platform bus, named per thread (racing threads each register their own).
FC_PDRV_DECL = ('static __thread struct platform_driver {v};\n\tstatic __thread char {v}_name[32];\n'
                '\tmemset(&{v}, 0, sizeof({v}));\n'
                '\tsnprintf({v}_name, sizeof({v}_name), "fc_drv%lx", (unsigned long)pthread_self());\n'
                '\t{v}.driver.name = {v}_name;')
A_PDRV = dict(decl=FC_PDRV_DECL + '\n\tif (platform_driver_register(&{v}))\n'
                   '\t\tfc_fail("platform_driver_register");',
              expr='&{v}', cleanup='platform_driver_unregister(&{v});', api=True)
A_DRV = dict(A_PDRV, expr='&{v}.driver')

# A per-CPU variable of the test program's own section (registered by its constructor).
A_PCPU = dict(decl='static DEFINE_PER_CPU(long, {v});', expr='{v}')

# (type pattern or callable, parameter-name pattern, macro-name pattern, rule).  Patterns are
# full-match regular expressions; None matches anything.  Macros have type ''.
PARAM_RULES = [
    # scalars
    ('(const )?gfp_t', None, None, dict(expr='GFP_KERNEL')),
    ('slab_flags_t', None, None, dict(expr='0')),
    ('pgprot_t', None, None, dict(expr='PAGE_KERNEL')),
    ('(const )?bool', None, None, dict(expr='true')),
    ('va_list', None, None, dict(expr='fc_ap')),	# see the va_list wrapper
    (_int, 'node|nid|preferred_nid|numa_node', None, dict(expr='NUMA_NO_NODE')),
    (_int, 'order', None, dict(expr='1')),
    (_int, 'align', None, dict(expr='8')),
    (_int, 'base', None, dict(expr='10')),
    (_int, 'rowsize', None, dict(expr='16')),
    (_int, 'groupsize', None, dict(expr='1')),
    (_int, 'line', None, dict(expr='__LINE__')),
    (_int, 'c|flags|addr|preempt_offset|prefix_type|useroffset|usersize|caller|.*type', None,
     dict(expr='0')),
    (_int, 'nents|orig_nents|nents_to_alloc|n_pages', None, dict(expr='2')),	# a scatterlist's, a page array's
    (_int, '.*', None, dict(expr='64')),
    # strings and buffers
    ('const char \\*', 'fmt', None, dict(expr='"first call\\n"')),
    ('const char \\*', 'level|log_lvl', None, dict(expr='KERN_INFO')),
    ('const char \\*', 's|ptr|str|cp', None, dict(expr='"12"')),
    ('const char \\*', 'file', None, dict(expr='__FILE__')),
    ('const char \\*', 'func', None, dict(expr='__func__')),
    ('const char \\*', '.*', None, dict(expr='"fc_name"')),
    ('char \\*', None, None, dict(decl='char {v}[4096];', expr='{v}')),
    ('char \\*\\*', None, None, dict(decl='char *{v} = NULL;', expr='&{v}')),
    (_intptr, None, None, dict(decl='__typeof__(*(TYPE)0) {v} = 0;', expr='&{v}')),
    ('(const )?void \\*', 'src|buf|s|from|data', None,
     dict(decl='static const char {v}[4096] = "ukmem first call";', expr='(void *){v}')),
    ('(const )?void \\*', None, None, dict(expr='NULL')),
    ('void \\*\\*', None, None, dict(decl='void *{v}[64] = { 0 };', expr='{v}')),
    ('FILE \\*', None, None, dict(decl='FILE *{v} = fopen("/dev/null", "w");', expr='{v}',
                                  cleanup='fclose({v});')),
    # kernel objects
    ('struct kmem_cache \\*', None, None, dict(expr='kmalloc_caches[KMALLOC_NORMAL][6]')),
    ('(const )?struct page \\*', None, None, A_PAGE),
    ('struct page \\*\\*', None, None,
     dict(decl='struct page *{v}[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };',
          expr='{v}', cleanup='__free_page({v}[0]); __free_page({v}[1]);', api=True)),
    ('struct mutex \\*', None, None, A_MUTEX),
    ('spinlock_t \\*', None, None, A_SPIN),
    ('raw_spinlock_t \\*', None, None, A_RAW),
    ('rwlock_t \\*', None, None, A_RW),
    ('(const )?struct resource \\*', 'parent|root', None, dict(expr='&iomem_resource')),
    ('(const )?struct resource \\*', None, None,
     dict(decl='struct resource {v} = DEFINE_RES_MEM_NAMED(FC_RES_START, 0x1000, "fc");',
          expr='&{v}')),
    ('struct rcu_head \\*', None, None,
     dict(decl='struct rcu_head *{v} = malloc(sizeof(*{v}));', expr='{v}')),
    ('rcu_callback_t', None, None, dict(expr='fc_rcu_free')),
    ('struct sysinfo \\*', None, None, dict(decl='struct sysinfo {v};', expr='&{v}')),
    ('struct zone \\*|struct list_lru \\*', None, None, dict(expr='NULL')),
    ('struct vm_struct \\*', None, None,
     dict(decl='struct vm_struct *{v} = get_vm_area(2 * PAGE_SIZE, VM_IOREMAP);', expr='{v}',
          cleanup='free_vm_area({v});', api=True)),
    # the driver half: a registered platform device per call (each racing thread its own)
    ('(const )?struct device \\*', None, None, A_DEV),
    ('struct platform_device \\*', None, None, A_PDEV),
    ('struct bus_type \\*', None, None, dict(expr='&platform_bus_type')),
    ('struct device_driver \\*', None, None, A_DRV),
    ('struct platform_driver \\*', None, None, A_PDRV),
    ('struct module \\*', None, None, dict(expr='THIS_MODULE')),
    ('dr_release_t', None, None, dict(expr='fc_dr_release')),
    ('irq_handler_t', None, None, dict(expr='fc_irq_handler')),
    ('const struct ukmem_mmio_ops \\*', None, None, dict(expr='NULL')),	# memory-backed
    ('struct atomic_notifier_head \\*', None, None,
     dict(decl='static __thread ATOMIC_NOTIFIER_HEAD({v});', expr='&{v}')),
    ('struct blocking_notifier_head \\*', None, None,
     dict(decl='static __thread BLOCKING_NOTIFIER_HEAD({v});', expr='&{v}')),
    ('struct raw_notifier_head \\*', None, None,
     dict(decl='static __thread RAW_NOTIFIER_HEAD({v});', expr='&{v}')),
    ('struct notifier_block \\*', None, None,
     dict(decl='static __thread struct notifier_block {v} = { .notifier_call = fc_notifier };',
          expr='&{v}')),
    ('struct fault_attr \\*', None, None,
     dict(decl='static __thread DECLARE_FAULT_ATTR({v});', expr='&{v}')),
    # two entries of 64 bytes each, in one kmalloc buffer
    ('struct scatterlist \\*', None, None,
     dict(decl='struct scatterlist {v}[2];\n\tchar *{v}_buf = kmalloc(128, GFP_KERNEL);\n'
               '\tif (!{v}_buf)\n\t\tfc_fail("kmalloc");\n\tsg_init_table({v}, 2);\n'
               '\tsg_set_buf(&{v}[0], {v}_buf, 64);\n\tsg_set_buf(&{v}[1], {v}_buf + 64, 64);',
          expr='{v}', cleanup='kfree({v}_buf);', api=True)),
    ('struct sg_table \\*', None, None, dict(decl='struct sg_table {v} = { 0 };', expr='&{v}')),
    ('struct gen_pool \\*', None, None,
     dict(decl='struct gen_pool *{v} = gen_pool_create(3, NUMA_NO_NODE);\n'
               '\tvoid *{v}_mem = kmalloc(4096, GFP_KERNEL);\n'
               '\tif (!{v} || !{v}_mem || gen_pool_add({v}, (unsigned long){v}_mem, 4096, NUMA_NO_NODE))\n'
               '\t\tfc_fail("gen_pool_create");',
          expr='{v}', cleanup='gen_pool_destroy({v});\n\tkfree({v}_mem);', api=True)),
    ('genpool_algo_t', None, None, dict(expr='gen_pool_first_fit')),
    # no device tree: a node is NULL (the of_* helpers answer "not found" for it)
    ('(const )?struct device_node \\*', None, None, dict(expr='NULL')),
    ('const struct of_device_id \\*', None, None,
     dict(decl='static const struct of_device_id {v}[] = { { .compatible = "fc,dev" }, { } };',
          expr='{v}')),
    ('mempool_alloc_t \\*', None, None, dict(expr='mempool_kmalloc')),
    ('mempool_free_t \\*', None, None, dict(expr='mempool_kfree')),
    ('mempool_t \\*', None, None,
     dict(decl='mempool_t *{v} = mempool_create_kmalloc_pool(2, 64);', expr='{v}',
          cleanup='mempool_destroy({v});', api=True)),
    ('struct dma_pool \\*', None, None,
     dict(decl=A_PDEV['decl'] + '\n\tstruct dma_pool *{v} = dma_pool_create("fc", &{v}_pd->dev, 64, 8, 0);',
          expr='{v}', cleanup='dma_pool_destroy({v});\n\t' + A_PDEV['cleanup'], api=True)),
    ('.*\\(\\*\\)\\(.*\\)', None, None, dict(expr='NULL')),	# function pointers
    # macros (no types): by the macro's and the parameter's names
    ('', 'l|lock', 'raw_spin_.*', A_RAW),
    ('', 'l|lock', 'spin_.*|assert_spin_locked', A_SPIN),
    ('', 'l|lock', '(read|write)_.*', A_RW),
    ('', 'l|lock', 'mutex_.*', A_MUTEX),
    ('', 'lock', 'local_(un)?lock.*', dict(decl='static __thread local_lock_t {v} = INIT_LOCAL_LOCK({v});',
                                          expr='&{v}')),
    ('', 'f|flags', '.*(irqsave|irq_save|irq_restore|irqrestore|save_flags).*', A_FLAGS),
    ('', 'sub|taint', None, dict(expr='0')),
    ('', 'cond|condition', '(VM_)?WARN.*', dict(expr='1')),
    ('', 'cond|condition', None, dict(expr='0')),
    ('', 'fmt', None, dict(expr='"first call\\n"')),
    ('', 'size|n', None, dict(expr='64')),
    ('', 'flags|gfp', None, dict(expr='GFP_KERNEL')),
    ('', 'node|nid', None, dict(expr='NUMA_NO_NODE')),
    ('', 'order', None, dict(expr='1')),
    ('', 'page', None, A_PAGE),
    ('', 'x|kaddr', None, A_OBJ),
    ('', 'pfn|phys|addr', None, dict(expr='0')),
    ('', 'dev|d', '(dev|devm|dma)_.*', A_DEV),
    ('', 'pcp', None, A_PCPU),
    ('', 'var', '.*per_cpu.*|get_cpu_var|put_cpu_var|per_cpu', A_PCPU),
    ('', 'ptr', '.*cpu_ptr', dict(decl=A_PCPU['decl'], expr='&{v}')),
    ('', 'cpu', 'for_each_.*', dict(decl='int {v};', expr='{v}')),
    ('', 'cpu', None, dict(expr='0')),
    ('', 'release', 'devres_.*', dict(expr='fc_dr_release')),
]

# Results to give back, by entry-point name ({r}: the result, {aN}: argument N).
RESULT_CLEANUP = [
    ('vmalloc_to_.*|vmalloc_nr_pages|is_vmalloc.*', ''),	# not allocations
    ('kmem_cache_create.*|KMEM_CACHE.*', 'kmem_cache_destroy({r});'),
    # the driver half's allocations
    ('__alloc_percpu(_gfp)?|alloc_percpu(_gfp)?', 'free_percpu({r});'),
    ('bitmap_z?alloc', 'bitmap_free({r});'),
    ('dma_pool_create', 'dma_pool_destroy({r});'),
    ('gen_pool_create', 'gen_pool_destroy({r});'),
    ('mempool_create.*', 'mempool_destroy({r});'),
    ('mempool_alloc', 'mempool_free({r}, {a0});'),
    ('sg_alloc_table(_from_pages(_segment)?)?', 'if (!{r}) sg_free_table({a0});'),
    ('gen_pool_alloc(_algo)?(_owner)?', 'if ({r}) gen_pool_free({a0}, {r}, {a1});'),
    ('gen_pool_dma_z?alloc(_algo|_align)?', 'if ({r}) gen_pool_free({a0}, (unsigned long){r}, {a1});'),
    ('ioremap(_uc|_wc|_wt|_cache|_encrypted|_prot)?', 'iounmap({r});'),
    ('kmem_cache_(z?alloc|alloc_node|alloc_lru)', 'kmem_cache_free({a0}, {r});'),
    ('kmem_cache_alloc_bulk', 'kmem_cache_free_bulk({a0}, {r}, {a3});'),
    ('kv.*alloc.*|kvcalloc|kvrealloc', 'kvfree({r});'),
    ('k.*alloc.*|kcalloc.*|krealloc.*|kstrn?dup|kmemdup.*|kv?asprintf|__kmalloc.*'
     '|kmalloc.*track_caller', 'kfree({r});'),
    ('kstrdup_const|kvasprintf_const', 'kfree_const({r});'),
    ('v.*alloc.*|__v.*alloc.*|vcalloc|__vcalloc', 'vfree({r});'),
    ('alloc_pages(_node)?|__alloc_pages(_node)?', '__free_pages({r}, 1);'),
    ('alloc_page', '__free_page({r});'),
    ('__get_free_pages|__get_dma_pages', 'free_pages({r}, 1);'),
    ('__get_free_page|get_zeroed_page', 'free_page({r});'),
    ('alloc_pages_exact(_nid)?', 'free_pages_exact({r}, 64);'),
    ('get_vm_area.*', 'free_vm_area({r});'),
    ('vmap', 'vunmap({r});'),
    ('vm_map_ram', 'vm_unmap_ram({r}, 2);'),
    ('__request_region', 'if ({r}) __release_region({a0}, {a1}, {a2});'),
    ('request_region', 'if ({r}) release_region(FC_IO_START, 8);'),
    ('request_mem_region.*', 'if ({r}) release_mem_region(FC_RES_START, 0x1000);'),
    ('request_resource|insert_resource', 'if (!{r}) release_resource({a1});'),
    ('request_resource_conflict', 'if (!{r}) release_resource({a1});'),
    # locks and contexts: leave things as they were
    ('device_lock', 'device_unlock({a0});'),
    ('device_lock_interruptible', 'if (!{r}) device_unlock({a0});'),
    ('device_trylock', 'if ({r}) device_unlock({a0});'),
    ('mutex_lock(_nested)?', 'mutex_unlock({a0});'),
    ('mutex_lock_(interruptible|killable)(_nested)?', 'if (!{r}) mutex_unlock({a0});'),
    ('mutex_trylock|_raw_spin_trylock|spin_trylock', 'if ({r}) UNLOCK({a0});'),
    ('raw_spin_trylock', 'if ({r}) raw_spin_unlock({a0});'),
    ('_raw_spin_lock|spin_lock|raw_spin_lock|spin_lock_nested', 'UNLOCK({a0});'),
    ('_raw_spin_lock_irq|spin_lock_irq|raw_spin_lock_irq', 'UNLOCK_IRQ({a0});'),
    ('_raw_spin_lock_bh|spin_lock_bh|raw_spin_lock_bh', 'UNLOCK_BH({a0});'),
    ('_raw_spin_lock_irqsave', '_raw_spin_unlock_irqrestore({a0}, {r});'),
    ('spin_lock_irqsave(_nested)?', 'spin_unlock_irqrestore({a0}, {a1});'),
    ('raw_spin_lock_irqsave', 'raw_spin_unlock_irqrestore({a0}, {a1});'),
    ('_raw_read_lock|read_lock', '_raw_read_unlock({a0});'),
    ('_raw_write_lock|write_lock', '_raw_write_unlock({a0});'),
    ('read_lock_irqsave', 'read_unlock_irqrestore({a0}, {a1});'),
    ('write_lock_irqsave', 'write_unlock_irqrestore({a0}, {a1});'),
    ('arch_local_irq_disable|local_irq_disable', 'local_irq_enable();'),
    ('arch_local_irq_save', 'arch_local_irq_restore({r});'),
    ('(raw_)?local_irq_save', 'local_irq_restore({a0});'),
    ('local_bh_disable', 'local_bh_enable();'),
    ('preempt_disable(_notrace)?', 'preempt_enable();'),
    ('preempt_count_add', 'preempt_count_sub({a0});'),
    ('get_cpu', 'put_cpu();'),
    ('migrate_disable', 'migrate_enable();'),
    ('rcu_read_lock', 'rcu_read_unlock();'),
    ('rcu_read_lock_bh', 'rcu_read_unlock_bh();'),
    ('rcu_read_lock_sched', 'rcu_read_unlock_sched();'),
    ('local_lock', 'local_unlock({a0});'),
    ('local_lock_irq', 'local_unlock_irq({a0});'),
    ('local_lock_irqsave', 'local_unlock_irqrestore({a0}, {a1});'),
]

FREES = {'kfree', 'kvfree', 'vfree', 'kfree_const', 'kmem_cache_free', 'kmem_cache_destroy',
         'free_vm_area', 'vunmap', 'vm_unmap_ram', '__free_pages', '__free_page'}

# The opposite of an unlock runs first (an unlock is valid only after its lock).
_PRE = [
    ('device_unlock', 'device_lock({a0});'),
    ('mutex_unlock', 'mutex_lock({a0});'),
    ('_raw_spin_unlock|spin_unlock|raw_spin_unlock', 'LOCK({a0});'),
    ('_raw_spin_unlock_irq|spin_unlock_irq|raw_spin_unlock_irq', 'LOCK_IRQ({a0});'),
    ('_raw_spin_unlock_bh|spin_unlock_bh|raw_spin_unlock_bh', 'LOCK_BH({a0});'),
    ('_raw_spin_unlock_irqrestore', '{a1} = _raw_spin_lock_irqsave({a0});'),
    ('spin_unlock_irqrestore', 'spin_lock_irqsave({a0}, {a1});'),
    ('raw_spin_unlock_irqrestore', 'raw_spin_lock_irqsave({a0}, {a1});'),
    ('_raw_read_unlock|read_unlock', '_raw_read_lock({a0});'),
    ('_raw_write_unlock|write_unlock', '_raw_write_lock({a0});'),
    ('read_unlock_irqrestore', 'read_lock_irqsave({a0}, {a1});'),
    ('write_unlock_irqrestore', 'write_lock_irqsave({a0}, {a1});'),
    ('arch_local_irq_enable|local_irq_enable', 'local_irq_disable();'),
    ('arch_local_irq_restore', '{a0} = arch_local_irq_save();'),
    ('(raw_)?local_irq_restore', 'local_irq_save({a0});'),
    ('local_bh_enable', 'local_bh_disable();'),
    ('preempt_enable(_no_resched|_notrace)?', 'preempt_disable();'),
    ('preempt_count_sub', 'preempt_count_add({a0});'),
    ('put_cpu', 'get_cpu();'),
    ('migrate_enable', 'migrate_disable();'),
    ('rcu_read_unlock', 'rcu_read_lock();'),
    ('rcu_read_unlock_bh', 'rcu_read_lock_bh();'),
    ('rcu_read_unlock_sched', 'rcu_read_lock_sched();'),
    ('local_unlock', 'local_lock({a0});'),
    ('local_unlock_irq', 'local_lock_irq({a0});'),
    ('local_unlock_irqrestore', 'local_lock_irqsave({a0}, {a1});'),
    # valid only in atomic context
    ('cant_sleep|__cant_sleep', 'preempt_disable();'),
]
_POST_ATOMIC = [('cant_sleep|__cant_sleep', 'preempt_enable();')]

# A device of the test's own, zeroed, with a release that does nothing (it is static).
FC_DEV_DECL = ('static __thread struct device fc_dev;\n'
               '\tmemset(&fc_dev, 0, sizeof(fc_dev));\n\tfc_dev.release = fc_dev_release;')
FC_DEV_NAMED = FC_DEV_DECL + '\n\tdev_set_name(&fc_dev, "fc%lx", (unsigned long)pthread_self());'

OVERRIDES = {
    # the device model: reference and registration calls come in their pairs
    'device_initialize': dict(decl=FC_DEV_DECL, args=['&fc_dev'], cleanup='put_device(&fc_dev);'),
    'device_register': dict(decl=FC_DEV_NAMED, args=['&fc_dev'],
                            cleanup='if (!{r}) device_unregister(&fc_dev); else put_device(&fc_dev);',
                            api=True),
    'device_add': dict(decl=FC_DEV_NAMED + '\n\tdevice_initialize(&fc_dev);', args=['&fc_dev'],
                       cleanup='if (!{r}) device_del(&fc_dev);\n\tput_device(&fc_dev);', api=True),
    'device_del': dict(decl=FC_DEV_NAMED + '\n\tif (device_register(&fc_dev))\n\t\treturn;',
                       args=['&fc_dev'], cleanup='put_device(&fc_dev);', api=True),
    'device_unregister': dict(decl=FC_DEV_NAMED + '\n\tif (device_register(&fc_dev))\n\t\treturn;',
                              args=['&fc_dev'], api=True),
    'get_device': dict(cleanup='put_device({a0});'),
    'driver_register': dict(decl=FC_PDRV_DECL.replace('{v}', 'fc_drv') +
                            '\n\tfc_drv.driver.bus = &platform_bus_type;',
                            args=['&fc_drv.driver'],
                            cleanup='if (!{r}) driver_unregister(&fc_drv.driver);'),
    '__platform_driver_register': dict(decl=FC_PDRV_DECL.replace('{v}', 'fc_drv'),
                                       args=['&fc_drv'],
                                       cleanup='if (!{r}) platform_driver_unregister(&fc_drv);'),
    'platform_driver_unregister': dict(consumes=[0]),
    'platform_driver_register': dict(decl=FC_PDRV_DECL.replace('{v}', 'fc_drv'), args=['&fc_drv'],
                                     cleanup='if (!{r}) platform_driver_unregister(&fc_drv);',
                                     value=True),
    'driver_unregister': dict(consumes=[0]),
    'mempool_destroy': dict(consumes=[0]),
    **{f: dict(decl='static __thread mempool_t fc_mp;\n\tmemset(&fc_mp, 0, sizeof(fc_mp));',
               args=['&fc_mp'], cleanup='if (!{r}) mempool_exit(&fc_mp);')
       for f in ('mempool_init', 'mempool_init_node', 'mempool_init_kmalloc_pool',
                 'mempool_init_page_pool', 'mempool_init_slab_pool')},
    'mempool_init': dict(decl='static __thread mempool_t fc_mp;\n\tmemset(&fc_mp, 0, sizeof(fc_mp));',
                         args=['&fc_mp', '2', None, None, '(void *)64'],
                         cleanup='if (!{r}) mempool_exit(&fc_mp);'),
    'mempool_init_node': dict(decl='static __thread mempool_t fc_mp;\n\tmemset(&fc_mp, 0, sizeof(fc_mp));',
                              args=['&fc_mp', '2', None, None, '(void *)64'],
                              cleanup='if (!{r}) mempool_exit(&fc_mp);'),
    'gen_pool_free': dict(args=[None, 'fc_addr', '64'],
                          pre='unsigned long fc_addr = gen_pool_alloc({a0}, 64);\n'
                              '\tif (!fc_addr)\n\t\tfc_fail("gen_pool_alloc");'),
    'mempool_create': dict(args=['2', None, None, '(void *)64']),
    'mempool_create_node': dict(args=['2', None, None, '(void *)64', None, None]),
    'gen_pool_destroy': dict(decl='struct gen_pool *fc_gp = gen_pool_create(3, NUMA_NO_NODE);',
                             args=['fc_gp'], api=True),
    # ioremap of an emulated memory-backed device (added once per process, kept to its end)
    **{f: dict(decl='fc_mmio_once();', args=['FC_MMIO_START', '0x1000'] + ([None] if f == 'ioremap_prot' else []),
               api=True)
       for f in ('ioremap', 'ioremap_uc', 'ioremap_wc', 'ioremap_wt', 'ioremap_cache',
                 'ioremap_encrypted', 'ioremap_prot')},
    'put_device': dict(pre='get_device({a0});'),
    'platform_device_unregister': dict(consumes=[0]),
    # copies into a buffer need a writable one
    **{f: dict(decl='char fc_buf[128];', args=[None, None, 'fc_buf'])
       for f in ('sg_copy_to_buffer', 'sg_pcopy_to_buffer')},
    'sg_copy_buffer': dict(decl='char fc_buf[128];', args=[None, None, 'fc_buf', None, '0', 'true']),
    **{f: dict(decl='struct platform_device *fc_pd = platform_device_alloc("fc", PLATFORM_DEVID_AUTO);\n'
                    '\tif (!fc_pd)\n\t\tfc_fail("platform_device_alloc");',
               args=['fc_pd'], api=True,
               cleanup='if (!{r}) platform_device_unregister(fc_pd); else platform_device_put(fc_pd);')
       for f in ('platform_device_register', 'platform_device_add')},
    'platform_device_del': dict(consumes=[0], cleanup='platform_device_put({a0});'),
    'dma_pool_destroy': dict(consumes=[0]),
    'platform_device_put': dict(pre='get_device(&{a0}->dev);'),
    'ukmem_init': dict(args=['getenv("UKMEM_CMDLINE")']),
    'ukmem_show': dict(args=['"meminfo"', None]),
    '__ukmem_warn': dict(reports=1),
    '__WARN': dict(reports=1),
    'WARN': dict(reports=1), 'WARN_ON': dict(reports=1), 'WARN_ONCE': dict(reports=1),
    'WARN_ON_ONCE': dict(reports=1), 'WARN_TAINT': dict(reports=1),
    'WARN_TAINT_ONCE': dict(reports=1), '__WARN_printf': dict(reports=1),
    'VM_WARN_ON': dict(reports=1), 'VM_WARN_ON_ONCE': dict(reports=1),
    'kmem_cache_destroy': dict(args=['NULL']),
    'kmem_cache_free': dict(decl='void *fc_obj = kmem_cache_alloc(kmalloc_caches[KMALLOC_NORMAL][6], GFP_KERNEL);',
                            args=[None, 'fc_obj'], api=True),
    'kmem_cache_free_bulk': dict(args=[None, '0', None]),
    'kfree_bulk': dict(args=['0', None]),
    'kmem_cache_alloc_bulk': dict(args=[None, None, '8', None]),
    '__free_pages': dict(consumes=[0]), 'split_page': dict(cleanup='__free_page({a0}); __free_page({a0} + 1);', consumes=[0]),
    '__free_page': dict(decl='struct page *fc_pg = alloc_page(GFP_KERNEL);', args=['fc_pg'],
                        api=True),
    'assert_spin_locked': dict(pre='LOCK({a0});', cleanup='UNLOCK({a0});'),
    'put_page': dict(pre='get_page({a0});'),
    'get_page': dict(cleanup='put_page({a0});'),
    'get_page_unless_zero': dict(cleanup='if ({r}) put_page({a0});'),
    'free_pages': dict(decl='unsigned long fc_addr = __get_free_pages(GFP_KERNEL, 1);',
                       args=['fc_addr', None], api=True),
    'free_page': dict(decl='unsigned long fc_addr = __get_free_page(GFP_KERNEL);',
                      args=['fc_addr'], api=True),
    'free_pages_exact': dict(decl='void *fc_obj = alloc_pages_exact(64, GFP_KERNEL);',
                             args=['fc_obj', '64'], api=True),
    'free_vm_area': dict(consumes=[0]),
    'vmap': dict(args=[None, '2', 'VM_MAP', None]),
    'vm_map_ram': dict(args=[None, '2', None]),
    'vm_unmap_ram': dict(decl='struct page *fc_pg[2] = { alloc_page(GFP_KERNEL), alloc_page(GFP_KERNEL) };\n'
                              '\tvoid *fc_obj = vm_map_ram(fc_pg, 2, NUMA_NO_NODE);',
                         args=['fc_obj', '2'], cleanup='__free_page(fc_pg[0]); __free_page(fc_pg[1]);',
                         api=True),
    '__vmalloc_node_range': dict(args=[None, None, 'VMALLOC_START', 'VMALLOC_END', None, None,
                                       None, None, '__builtin_return_address(0)']),
    '__vmalloc_node': dict(args=[None, None, None, None, '__builtin_return_address(0)']),
    'get_vm_area': dict(args=[None, 'VM_IOREMAP']),
    'get_vm_area_caller': dict(args=[None, 'VM_IOREMAP', '__builtin_return_address(0)']),
    'request_resource_conflict': dict(args=[None, None]),
    'insert_resource': dict(args=[None, None]),
    'release_resource': dict(pre='if (request_resource(&iomem_resource, {a0})) return;'),
    '__release_region': dict(args=[None, 'FC_RES_START', '0x1000'],
                             pre='if (!__request_region({a0}, {a1}, {a2}, "fc", 0)) return;'),
    '__request_region': dict(args=[None, 'FC_RES_START', '0x1000', None, '0']),
    'request_region': dict(args=['FC_IO_START', '8', '"fc"'], value=True),
    'request_mem_region': dict(args=['FC_RES_START', '0x1000', '"fc"'], value=True),
    'request_mem_region_exclusive': dict(args=['FC_RES_START', '0x1000', '"fc"'], value=True),
    'release_region': dict(args=['FC_IO_START', '8'],
                           pre='if (!request_region({a0}, {a1}, "fc")) return;'),
    'release_mem_region': dict(args=['FC_RES_START', '0x1000'],
                               pre='if (!request_mem_region({a0}, {a1}, "fc")) return;'),
    'kvfree_call_rcu': dict(decl='struct fc_obj *fc_obj = kmalloc(sizeof(*fc_obj), GFP_KERNEL);',
                            args=['&fc_obj->rcu', '(rcu_callback_t)offsetof(struct fc_obj, rcu)'],
                            api=True),
    'kfree_rcu': dict(decl='struct fc_obj *fc_obj = kmalloc(sizeof(*fc_obj), GFP_KERNEL);',
                      args=['fc_obj', 'rcu'], api=True),
    'kvfree_rcu': dict(decl='struct fc_obj *fc_obj = kvmalloc(sizeof(*fc_obj), GFP_KERNEL);',
                       args=['fc_obj', 'rcu'], api=True),
    'kvfree_rcu_arg_2': dict(decl='struct fc_obj *fc_obj = kvmalloc(sizeof(*fc_obj), GFP_KERNEL);',
                             args=['fc_obj', 'rcu'], api=True),
    'kvfree_rcu_arg_1': dict(decl='void *fc_obj = kvmalloc(64, GFP_KERNEL);', args=['fc_obj'],
                             api=True),
    'kfree_rcu_mightsleep': dict(decl='void *fc_obj = kmalloc(64, GFP_KERNEL);', args=['fc_obj'],
                                 api=True),
    'kvfree_rcu_mightsleep': dict(decl='void *fc_obj = kvmalloc(64, GFP_KERNEL);', args=['fc_obj'],
                                  api=True),
    '_raw_spin_unlock_irqrestore': dict(decl='unsigned long fc_flags;', args=[None, 'fc_flags']),
    'spin_unlock_irqrestore': dict(decl='unsigned long fc_flags;', args=[None, 'fc_flags']),
    'arch_local_irq_restore': dict(decl='unsigned long fc_flags;', args=['fc_flags']),
    'KMEM_CACHE': dict(args=['fc_obj', '0'], value=True),
    'KMEM_CACHE_USERCOPY': dict(args=['fc_obj', '0', 'data'], value=True),
    'kmalloc_track_caller': dict(value=True),
    'kmalloc_node_track_caller': dict(value=True),
    'alloc_page': dict(value=True), '__alloc_pages_node': dict(value=True),
    '__get_free_page': dict(value=True), '__get_dma_pages': dict(value=True),
    'alloc_pages_exact_nid': dict(value=True),
    'get_cpu': dict(value=True),
    'mutex_lock_interruptible_nested': dict(value=True),
    'memparse': dict(args=['"12"', None]),
    'kmemdup_nul': dict(args=['"ukmem first call"', '8', None]),
    'kvrealloc': dict(args=['NULL', '0', None, None]),	# NULL holds 0 bytes to copy
    'print_hex_dump': dict(args=[None, None, None, None, None, None, '32', None]),
    'VM_BUG_ON_PAGE': dict(args=['0', None]),
    'kmem_dump_obj': dict(args=['fc_obj'], decl='void *fc_obj = kmalloc(64, GFP_KERNEL);',
                          cleanup='kfree(fc_obj);', api=True),
}

EXCLUDE = {
    **{m: 'defines an initcall at file scope (tests/base checks module and initcall start-up)'
       for m in ('__initcall', '__ukmem_initcall_level', 'arch_initcall', 'core_initcall',
                 'device_initcall', 'fs_initcall', 'late_initcall', 'postcore_initcall',
                 'pure_initcall', 'subsys_initcall', 'module_init', 'module_exit',
                 'builtin_platform_driver', 'builtin_platform_driver_probe',
                 'module_platform_driver', 'module_platform_driver_probe', 'builtin_driver',
                 'module_driver')},
    **{m: 'defines a module parameter at file scope (tests/base checks parameters)'
       for m in ('core_param', 'module_param', 'module_param_cb', 'module_param_named',
                 'module_param_string', 'module_param_unsafe', '__module_param_call')},
    '__ukmem_bug': 'BUG(): ends the process by design (tests/core checks its report)',
    'BUG': 'ends the process by design (tests/core checks its report)',
}

# Entry points of the driver half that the test cannot call validly yet: no argument rule,
# arguments the rules do not make valid (an MMIO address, a driver-less device), or a report
# or leak not yet examined (docs/robustness.md).  Listed by name so the test passes while
# they are worked through, and so that an entry point added later without a rule still
# fails the test.  Remove a name once a rule or override calls it validly.
PENDING = (
    '__devm_release_region',
    '__devres_alloc_node',
    '__irq_enter_raw',
    '__irq_exit_raw',
    '__platform_register_drivers',
    '__raw_readb',
    '__raw_readl',
    '__raw_readw',
    '__raw_writeb',
    '__raw_writel',
    '__raw_writew',
    '__this_cpu_add',
    '__this_cpu_add_return',
    '__this_cpu_and',
    '__this_cpu_cmpxchg',
    '__this_cpu_or',
    '__this_cpu_sub',
    '__this_cpu_sub_return',
    '__this_cpu_write',
    '__this_cpu_xchg',
    '__ukmem_initcall_register',
    '__ukmem_initcall_unregister',
    '__ukmem_mmio_read',
    '__ukmem_mmio_write',
    '__ukmem_param_register',
    '__ukmem_param_unregister',
    '__ukmem_pcpu_cmpxchg',
    '__ukmem_pcpu_op',
    '__ukmem_pcpu_op_return',
    '__ukmem_per_cpu_ptr',
    '__ukmem_per_cpu_ptr_slow',
    '__ukmem_pio_read',
    '__ukmem_pio_write',
    'alloc_percpu',
    'alloc_percpu_gfp',
    'bitmap_free',
    'bus_unregister',
    'dev_WARN',
    'dev_WARN_ONCE',
    'dev_printk',
    'device_bind_driver',
    'device_match_devt',
    'device_match_name',
    'devm_add_action',
    'devm_add_action_or_reset',
    'devm_free_irq',
    'devm_free_pages',
    'devm_ioport_unmap',
    'devm_ioremap',
    'devm_ioremap_uc',
    'devm_ioremap_wc',
    'devm_iounmap',
    'devm_memunmap',
    'devm_platform_get_and_ioremap_resource',
    'devm_release_action',
    'devm_release_mem_region',
    'devm_release_region',
    'devm_remove_action',
    'devm_request_mem_region',
    'devm_request_region',
    'devres_add',
    'devres_alloc',
    'devres_alloc_node',
    'devres_close_group',
    'devres_destroy',
    'devres_find',
    'devres_for_each_res',
    'devres_get',
    'devres_release',
    'devres_remove',
    'devres_remove_group',
    'disable_irq_wake',
    'dma_alloc_attrs',
    'dma_alloc_coherent',
    'dma_alloc_noncoherent',
    'dma_alloc_pages',
    'dma_free_noncoherent',
    'dma_free_pages',
    'dma_map_page',
    'dma_map_page_attrs',
    'dma_map_resource',
    'dma_map_sg',
    'dma_map_sg_attrs',
    'dma_map_sgtable',
    'dma_map_single',
    'dma_map_single_attrs',
    'dma_pool_alloc',
    'dma_pool_free',
    'dma_pool_zalloc',
    'dma_sync_sg_for_cpu',
    'dma_sync_sg_for_device',
    'dma_sync_sgtable_for_cpu',
    'dma_sync_sgtable_for_device',
    'dma_sync_single_for_cpu',
    'dma_sync_single_for_device',
    'dma_sync_single_range_for_cpu',
    'dma_sync_single_range_for_device',
    'dma_unmap_page',
    'dma_unmap_page_attrs',
    'dma_unmap_resource',
    'dma_unmap_sg',
    'dma_unmap_sg_attrs',
    'dma_unmap_sgtable',
    'dma_unmap_single',
    'dma_unmap_single_attrs',
    'dmam_free_coherent',
    'dmam_pool_destroy',
    'enable_irq',
    'for_each_sg',
    'for_each_sgtable_dma_sg',
    'for_each_sgtable_sg',
    'free_irq',
    'gen_pool_fixed_alloc',
    'gen_pool_for_each_chunk',
    'gen_pool_free_owner',
    'get_cpu_ptr',
    'get_cpu_var',
    'inb_p',
    'inl_p',
    'inw_p',
    'ioread16',
    'ioread16_rep',
    'ioread16be',
    'ioread32',
    'ioread32_rep',
    'ioread32be',
    'ioread64',
    'ioread64be',
    'ioread8',
    'ioread8_rep',
    'iowrite16',
    'iowrite16_rep',
    'iowrite16be',
    'iowrite32',
    'iowrite32_rep',
    'iowrite32be',
    'iowrite64',
    'iowrite64_hi_lo',
    'iowrite64_lo_hi',
    'iowrite64be',
    'iowrite8',
    'iowrite8_rep',
    'kmem_dump_obj',
    'kmemleak_vmalloc',
    'memcpy_fromio',
    'memcpy_toio',
    'mempool_alloc_pages',
    'mempool_free_pages',
    'mempool_free_slab',
    'memset_io',
    'of_driver_match_device',
    'outb_p',
    'outl_p',
    'outw_p',
    'param_get_bool',
    'param_get_charp',
    'param_get_int',
    'param_get_long',
    'param_get_string',
    'param_get_uint',
    'param_get_ulong',
    'param_set_bool',
    'param_set_byte',
    'param_set_charp',
    'param_set_copystring',
    'param_set_hexint',
    'param_set_int',
    'param_set_invbool',
    'param_set_long',
    'param_set_short',
    'param_set_uint',
    'param_set_ullong',
    'param_set_ulong',
    'param_set_ushort',
    'pci_iomap',
    'pci_iomap_range',
    'pci_iounmap',
    'platform_add_devices',
    'platform_device_add_resources',
    'platform_device_alloc',
    'platform_device_register_full',
    'platform_driver_probe',
    'platform_find_device_by_driver',
    'platform_register_drivers',
    'platform_unregister_drivers',
    'put_cpu_ptr',
    'put_cpu_var',
    'raw_cpu_add',
    'raw_cpu_add_return',
    'raw_cpu_and',
    'raw_cpu_cmpxchg',
    'raw_cpu_or',
    'raw_cpu_sub',
    'raw_cpu_sub_return',
    'raw_cpu_write',
    'raw_cpu_xchg',
    'raw_spin_trylock',
    'read_poll_timeout',
    'read_poll_timeout_atomic',
    'readb_poll_timeout',
    'readb_poll_timeout_atomic',
    'readb_relaxed_poll_timeout',
    'readl_poll_timeout',
    'readl_poll_timeout_atomic',
    'readl_relaxed_poll_timeout',
    'readl_relaxed_poll_timeout_atomic',
    'readq_poll_timeout',
    'readq_poll_timeout_atomic',
    'readsb',
    'readsl',
    'readsw',
    'readw_poll_timeout',
    'readw_poll_timeout_atomic',
    'readx_poll_timeout',
    'readx_poll_timeout_atomic',
    'remap_vmalloc_range',
    'remap_vmalloc_range_partial',
    'request_any_context_irq',
    'request_irq',
    'request_threaded_irq',
    'root_device_register',
    'root_device_unregister',
    'sg_alloc_table_from_pages_segment',
    'split_page',
    'this_cpu_add',
    'this_cpu_add_return',
    'this_cpu_and',
    'this_cpu_cmpxchg',
    'this_cpu_or',
    'this_cpu_sub',
    'this_cpu_sub_return',
    'this_cpu_write',
    'this_cpu_xchg',
    'ukmem_dma_read',
    'ukmem_dma_write',
    'ukmem_mmio_set_hook',
    'vm_unmap_ram',
    'vmap_pfn',
    'vunmap_range',
    'writesb',
    'writesl',
    'writesw',
)
EXCLUDE.update({n: 'pending: not yet called validly as a first call (docs/robustness.md)'
                for n in PENDING})
# The same for the KUnit API and the driver-support cores (clk, hwrng, watchdog, time and
# randomness), which landed after the rules above were written.
PENDING_CORES = (
    'KUNIT_ASSERT_EQ',
    'KUNIT_ASSERT_EQ_MSG',
    'KUNIT_ASSERT_FAILURE',
    'KUNIT_ASSERT_FALSE',
    'KUNIT_ASSERT_FALSE_MSG',
    'KUNIT_ASSERT_GE',
    'KUNIT_ASSERT_GE_MSG',
    'KUNIT_ASSERT_GT',
    'KUNIT_ASSERT_GT_MSG',
    'KUNIT_ASSERT_LE',
    'KUNIT_ASSERT_LE_MSG',
    'KUNIT_ASSERT_LT',
    'KUNIT_ASSERT_LT_MSG',
    'KUNIT_ASSERT_MEMEQ',
    'KUNIT_ASSERT_MEMEQ_MSG',
    'KUNIT_ASSERT_MEMNEQ',
    'KUNIT_ASSERT_MEMNEQ_MSG',
    'KUNIT_ASSERT_NE',
    'KUNIT_ASSERT_NE_MSG',
    'KUNIT_ASSERT_NOT_ERR_OR_NULL',
    'KUNIT_ASSERT_NOT_ERR_OR_NULL_MSG',
    'KUNIT_ASSERT_NOT_NULL',
    'KUNIT_ASSERT_NOT_NULL_MSG',
    'KUNIT_ASSERT_NULL',
    'KUNIT_ASSERT_NULL_MSG',
    'KUNIT_ASSERT_PTR_EQ',
    'KUNIT_ASSERT_PTR_EQ_MSG',
    'KUNIT_ASSERT_PTR_NE',
    'KUNIT_ASSERT_PTR_NE_MSG',
    'KUNIT_ASSERT_STREQ',
    'KUNIT_ASSERT_STREQ_MSG',
    'KUNIT_ASSERT_STRNEQ',
    'KUNIT_ASSERT_STRNEQ_MSG',
    'KUNIT_ASSERT_TRUE',
    'KUNIT_ASSERT_TRUE_MSG',
    'KUNIT_BINARY_INT_ASSERTION',
    'KUNIT_BINARY_PTR_ASSERTION',
    'KUNIT_BINARY_STR_ASSERTION',
    'KUNIT_EXPECT_EQ',
    'KUNIT_EXPECT_EQ_MSG',
    'KUNIT_EXPECT_FALSE',
    'KUNIT_EXPECT_FALSE_MSG',
    'KUNIT_EXPECT_GE',
    'KUNIT_EXPECT_GE_MSG',
    'KUNIT_EXPECT_GT',
    'KUNIT_EXPECT_GT_MSG',
    'KUNIT_EXPECT_LE',
    'KUNIT_EXPECT_LE_MSG',
    'KUNIT_EXPECT_LT',
    'KUNIT_EXPECT_LT_MSG',
    'KUNIT_EXPECT_MEMEQ',
    'KUNIT_EXPECT_MEMEQ_MSG',
    'KUNIT_EXPECT_MEMNEQ',
    'KUNIT_EXPECT_MEMNEQ_MSG',
    'KUNIT_EXPECT_NE',
    'KUNIT_EXPECT_NE_MSG',
    'KUNIT_EXPECT_NOT_ERR_OR_NULL',
    'KUNIT_EXPECT_NOT_ERR_OR_NULL_MSG',
    'KUNIT_EXPECT_NOT_NULL',
    'KUNIT_EXPECT_NOT_NULL_MSG',
    'KUNIT_EXPECT_NULL',
    'KUNIT_EXPECT_NULL_MSG',
    'KUNIT_EXPECT_PTR_EQ',
    'KUNIT_EXPECT_PTR_EQ_MSG',
    'KUNIT_EXPECT_PTR_NE',
    'KUNIT_EXPECT_PTR_NE_MSG',
    'KUNIT_EXPECT_STREQ',
    'KUNIT_EXPECT_STREQ_MSG',
    'KUNIT_EXPECT_STRNEQ',
    'KUNIT_EXPECT_STRNEQ_MSG',
    'KUNIT_EXPECT_TRUE',
    'KUNIT_EXPECT_TRUE_MSG',
    'KUNIT_FAIL',
    'KUNIT_FAIL_ASSERTION',
    'KUNIT_FALSE_MSG_ASSERTION',
    'KUNIT_MEM_ASSERTION',
    'KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION',
    'KUNIT_TRUE_MSG_ASSERTION',
    'KUNIT_UNARY_ASSERTION',
    '__KUNIT_LEAVE_IF_ASSERT',
    '__kunit_add_resource',
    '__kunit_fail_bool',
    '__kunit_fail_err_or_null',
    '__kunit_fail_int',
    '__kunit_fail_mem',
    '__kunit_fail_msg',
    '__kunit_fail_ptr',
    '__kunit_fail_str',
    '__kunit_test_suites_exit',
    '__kunit_test_suites_init',
    'clk_disable',
    'clk_disable_unprepare',
    'clk_enable',
    'clk_get_rate',
    'clk_is_enabled_when_prepared',
    'clk_is_match',
    'clk_prepare',
    'clk_prepare_enable',
    'clk_put',
    'clk_round_rate',
    'clk_set_rate',
    'clk_unprepare',
    'devm_clk_put',
    'devm_hwrng_register',
    'devm_hwrng_unregister',
    'devm_watchdog_register_device',
    'get_random_bytes',
    'get_random_bytes_wait',
    'hwrng_msleep',
    'hwrng_register',
    'hwrng_unregister',
    'hwrng_yield',
    'kref_get',
    'kref_put',
    'kunit_add_action',
    'kunit_add_action_or_reset',
    'kunit_add_named_resource',
    'kunit_add_resource',
    'kunit_alloc_and_get_resource',
    'kunit_alloc_resource',
    'kunit_cleanup',
    'kunit_destroy_named_resource',
    'kunit_destroy_resource',
    'kunit_err',
    'kunit_find_named_resource',
    'kunit_find_resource',
    'kunit_get_resource',
    'kunit_info',
    'kunit_init_test',
    'kunit_kcalloc',
    'kunit_kfree',
    'kunit_kmalloc',
    'kunit_kmalloc_array',
    'kunit_kzalloc',
    'kunit_log',
    'kunit_mark_skipped',
    'kunit_printk',
    'kunit_put_resource',
    'kunit_release_action',
    'kunit_remove_action',
    'kunit_remove_resource',
    'kunit_run_tests',
    'kunit_skip',
    'kunit_suite_has_succeeded',
    'kunit_suite_num_test_cases',
    'kunit_test_case_num',
    'kunit_try_catch_throw',
    'kunit_warn',
    'prandom_bytes_state',
    'prandom_u32_state',
    'ssleep',
    'time_is_after_eq_jiffies',
    'time_is_after_jiffies',
    'time_is_before_eq_jiffies',
    'time_is_before_jiffies',
    'ukmem_kunit_run',
    'ukmem_kunit_run_suites',
    'ukmem_watchdog_ping',
    'ukmem_watchdog_set_timeout',
    'ukmem_watchdog_start',
    'ukmem_watchdog_stop',
    'watchdog_init_timeout',
    'watchdog_notify_pretimeout',
    'watchdog_register_device',
    'watchdog_set_restart_priority',
    'watchdog_unregister_device',
)
EXCLUDE.update({n: 'pending: not yet called validly as a first call (docs/robustness.md)'
                for n in PENDING_CORES})
# Called by the constructor <linux/percpu-defs.h> adds to every file, with that file's own
# section bounds: there are no valid arguments a test can make up.
EXCLUDE['__ukmem_percpu_section'] = 'constructor-only: takes the bounds of an ELF section (tests/mm/test_percpu)'
# Declared for upstream library code that brings its own body (lib/memcat_p.c is compiled
# with the program that uses it, as in the kernel tree), not part of ukmem.
for _n in ('__memcat_p', 'memcat_p'):
    EXCLUDE[_n] = 'defined by lib/memcat_p.c, which the program builds (not part of ukmem)'
# A real failure under investigation: walking the platform bus's drivers from 4 threads
# right after ukmem_exit crashed once in about ten runs (docs/robustness.md).
EXCLUDE['bus_for_each_drv'] = 'known bug: intermittent crash after ukmem_exit from 4 threads'
# The same for these, alone as the first call (a segfault once in a few runs of the whole
# test; not reproduced by a program making the same call 200 times).
for _n in ('platform_device_register_simple', 'platform_device_register_resndata'):
    EXCLUDE[_n] = 'known bug: intermittent crash as the first call, under investigation'



def _full(pat, s):
    return pat is None or re.fullmatch(pat, s) is not None


def param_rule(fname, kind, typ, pname):
    for tpat, npat, mpat, rule in PARAM_RULES:
        if kind == 'macro':
            if tpat != '' or not _full(mpat, fname):
                continue
        else:
            if tpat == '' or mpat is not None:
                continue
            if callable(tpat):
                if not tpat(typ):
                    continue
            elif not _full(tpat, typ):
                continue
        if not _full(npat, pname):
            continue
        return rule
    return None


def _first(table, name):
    for pat, tmpl in table:
        if re.fullmatch(pat, name):
            return tmpl
    return None


def _subst(tmpl, args, r='fc_r', v=None):
    def rep(m):
        k = m.group(1)
        if k == 'r':
            return r
        if k == 'v':
            return v
        return args[int(k[1:])]
    return re.sub(r'\{(r|v|a\d+)\}', rep, tmpl)


class Generator:
    """Collects the cases and writes the C file."""

    def __init__(self):
        self.cases, self.skips, self.helpers = [], [], []

    def pure(self, name, kind, where):
        self.skips.append((name, kind, where, 'touches no library state (computed)'))

    def exclude(self, name, kind, where, why):
        self.skips.append((name, kind, where, 'excluded: ' + why))

    def case(self, name, kind, where, ret, params):
        o = OVERRIDES.get(name, {})
        idx = len(self.cases)
        fn = 'fc_case_%d' % idx
        decls, cleanups, args, api = [], [], [], bool(o.get('api'))
        if o.get('decl'):
            decls.append(o['decl'])
        variadic = any(t == '...' or n == '...' for t, n in params)
        params = [(t, n) for t, n in params if t != '...' and n != '...']
        over = o.get('args')
        if over is not None and kind == 'macro' and variadic:
            params = [('', 'p%d' % i) for i in range(len(over))] if len(over) > len(params) else params
        has_va = any(t == 'va_list' for t, n in params)
        for i, (t, n) in enumerate(params):
            v = 'fc_a%d' % i
            if over is not None and i < len(over) and over[i] is not None:
                args.append(over[i])
                continue
            rule = param_rule(name, kind, t, n)
            if rule is None:
                self.cases.append((name, kind, where, None, 0, False,
                                   'no argument rule for parameter %r (type %r): add one to '
                                   'tests/firstcall/rules.py' % (n, t or '(macro)')))
                return
            if rule.get('decl'):
                decls.append(_subst(rule['decl'], args, v=v).replace('TYPE', t))
            args.append(_subst(rule['expr'], args, v=v))
            if rule.get('cleanup') and i not in o.get('consumes', []):
                cleanups.insert(0, _subst(rule['cleanup'], args, v=v))
            api = api or bool(rule.get('api'))
        callee = name
        if has_va:
            callee = self.va_wrapper(name, ret, params)
        call = '%s(%s)' % (callee, ', '.join(a for a in args if a != 'fc_ap'))
        has_value = (kind != 'macro' and ret != 'void') or o.get('value')
        body = ['\t' + d for d in decls]
        pre = o.get('pre') or _first(_PRE, name)
        if pre:
            body.append('\t' + _subst(pre, args))
        if has_value:
            body.append('\t__auto_type fc_r = %s;' % call)
            body.append('\t(void)fc_r;')
        else:
            body.append('\t%s;' % call)
        post = o.get('cleanup') or _first(RESULT_CLEANUP, name)
        if post and post.split('(')[0] in FREES and kind != 'macro' and '*' not in ret:
            post = None			# not an allocation after all (kmalloc_size_roundup)
        if post and has_value and post.split('(')[0] in FREES and '{r}' in post:
            # an allocation with valid arguments and memory to spare must succeed
            body.append('\tif (!fc_r || IS_ERR((const void *)(uintptr_t)fc_r))\n'
                        '\t\tfc_fail("%s returned no memory");' % name)
        if post and ('{r}' not in post or has_value):
            body.append('\t' + _subst(post, args))
        post2 = _first(_POST_ATOMIC, name)
        if post2:
            body.append('\t' + post2)
        body += ['\t' + c for c in cleanups]
        self.helpers.append('static void %s(void)\n{\n%s\n}\n' % (fn, '\n'.join(body)))
        self.cases.append((name, kind, where, fn, o.get('reports', 0), api, None))

    def va_wrapper(self, name, ret, params):
        w = 'fc_va_%s' % name
        decl = ', '.join('%s %s' % (t, n) for t, n in params if t != 'va_list')
        names = ', '.join(n if t != 'va_list' else 'fc_ap' for t, n in params)
        last = [n for t, n in params if t != 'va_list'][-1]
        res = '' if ret == 'void' else '__typeof__(%s(%s)) fc_r = ' % (name, names)
        self.helpers.append(
            'static %s %s(%s, ...)\n{\n\tva_list fc_ap;\n\n\tva_start(fc_ap, %s);\n'
            '\t%s%s(%s);\n\tva_end(fc_ap);\n%s}\n'
            % (ret, w, decl, last, res, name, names, '' if ret == 'void' else '\treturn fc_r;\n'))
        return w

    def emit(self):
        out = ['/* Generated by tests/firstcall/gen_firstcall.py from include/: do not edit. */',
               '#include "firstcall.h"', '']
        out += self.helpers
        out.append('const struct fc_case fc_cases[] = {')
        for name, kind, where, fn, reports, api, err in self.cases:
            out.append('\t{ "%s", "%s", "%s", %s, %d, %d, %s },' % (
                name, kind, where, fn or 'NULL', reports, int(api),
                '"%s"' % err.replace('"', '\\"') if err else 'NULL'))
        out.append('};')
        out.append('const unsigned int fc_nr_cases = %d;' % len(self.cases))
        out.append('const struct fc_skip fc_skips[] = {')
        for name, kind, where, why in self.skips:
            out.append('\t{ "%s", "%s", "%s", "%s" },' % (name, kind, where, why))
        out.append('};')
        out.append('const unsigned int fc_nr_skips = %d;' % len(self.skips))
        return '\n'.join(out) + '\n'

    def listing(self):
        lines = ['%-40s %-8s %s' % (c[0], c[1], 'CANNOT CALL: ' + c[6] if c[6] else
                                    ('after setup' if c[5] else 'first call'))
                 for c in self.cases]
        lines += ['%-40s %-8s %s' % (s[0], s[1], s[3]) for s in self.skips]
        return '\n'.join(lines)
