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
# A mutex's initialiser takes its own address, which a thread variable's is not: mutex_init.
A_MUTEX = dict(decl='static __thread struct mutex {v};\n\tmutex_init(&{v});', expr='&{v}')
# A reader-writer semaphore: per thread, initialised as a driver's kzalloc'd one would be.
A_RWSEM = dict(decl='static __thread struct rw_semaphore {v};\n\tinit_rwsem(&{v});', expr='&{v}')
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
    ('void \\*', 'base', None, dict(decl='char {v}[64 * 64] = "ukmem first call";', expr='{v}')),
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
    ('struct rw_semaphore \\*', None, None, A_RWSEM),
    ('struct lock_class_key \\*', None, None,
     dict(decl='static struct lock_class_key {v};', expr='&{v}')),
    ('(const )?struct resource \\*', 'parent|root', None, dict(expr='&iomem_resource')),
    ('(const )?struct resource \\*', None, None,
     dict(decl='struct resource {v} = DEFINE_RES_MEM_NAMED(FC_RES_START, 0x1000, "fc");',
          expr='&{v}')),
    ('struct rcu_head \\*', None, None,
     dict(decl='struct rcu_head *{v} = malloc(sizeof(*{v}));', expr='{v}')),
    ('rcu_callback_t', None, None, dict(expr='fc_rcu_free')),
    ('cmp_func_t', None, None, dict(expr='fc_cmp')),
    ('cmp_r_func_t', None, None, dict(expr='fc_cmp_r')),
    ('swap_func_t|swap_r_func_t', None, None, dict(expr='NULL')),
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
    # scatterlist iterators and append tables: zeroed (an iterator over no entries)
    ('struct sg_page_iter \\*', None, None, dict(decl='struct sg_page_iter {v} = { 0 };', expr='&{v}')),
    ('struct sg_dma_page_iter \\*', None, None,
     dict(decl='struct sg_dma_page_iter {v} = { 0 };', expr='&{v}')),
    ('struct sg_mapping_iter \\*', None, None,
     dict(decl='struct sg_mapping_iter {v} = { 0 };', expr='&{v}')),
    ('struct sg_append_table \\*', None, None,
     dict(decl='struct sg_append_table {v} = { 0 };', expr='&{v}', cleanup='sg_free_append_table(&{v});')),
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
    ('', 'sem', None, A_RWSEM),
    ('', 'nest_lock', None, A_MUTEX),
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
    ('kasprintf_strarray', 'kfree_strarray({r}, {a2});'),
    ('kstrdup_quotable', 'kfree({r});'),
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
    # a device found on a bus comes with a reference (another racing thread's device, too)
    ('bus_find_device(_by_name)?|bus_find_next_device', 'put_device({r});'),
    # locks and contexts: leave things as they were
    ('device_lock', 'device_unlock({a0});'),
    ('device_lock_interruptible', 'if (!{r}) device_unlock({a0});'),
    ('device_trylock', 'if ({r}) device_unlock({a0});'),
    ('mutex_lock(_nested)?', 'mutex_unlock({a0});'),
    ('mutex_lock_(interruptible|killable)(_nested)?', 'if (!{r}) mutex_unlock({a0});'),
    ('mutex_trylock|_raw_spin_trylock|spin_trylock', 'if ({r}) UNLOCK({a0});'),
    ('raw_spin_trylock', 'if ({r}) raw_spin_unlock({a0});'),
    ('raw_spin_trylock_irqsave', 'if ({r}) raw_spin_unlock_irqrestore({a0}, {a1});'),
    ('spin_trylock_irqsave', 'if ({r}) spin_unlock_irqrestore({a0}, {a1});'),
    ('spin_trylock_irq', 'if ({r}) spin_unlock_irq({a0});'),
    ('spin_trylock_bh', 'if ({r}) spin_unlock_bh({a0});'),
    ('_raw_read_trylock|read_trylock', 'if ({r}) _raw_read_unlock({a0});'),
    ('_raw_write_trylock|write_trylock', 'if ({r}) _raw_write_unlock({a0});'),
    ('read_lock_irq', 'read_unlock_irq({a0});'),
    ('write_lock_irq', 'write_unlock_irq({a0});'),
    ('read_lock_bh', 'read_unlock_bh({a0});'),
    ('write_lock_bh', 'write_unlock_bh({a0});'),
    ('down_read(_nested|_non_owner)?', 'up_read({a0});'),
    ('down_read_(interruptible|killable)(_nested)?', 'if (!{r}) up_read({a0});'),
    ('down_read_trylock', 'if ({r}) up_read({a0});'),
    ('down_write(_nested|_nest_lock)?', 'up_write({a0});'),
    ('down_write_killable(_nested)?', 'if (!{r}) up_write({a0});'),
    ('down_write_trylock', 'if ({r}) up_write({a0});'),
    ('downgrade_write', 'up_read({a0});'),
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
    ('up_read', 'down_read({a0});'),
    ('up_read_non_owner', 'down_read_non_owner({a0});'),
    ('up_write|downgrade_write', 'down_write({a0});'),
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
    ('read_unlock_irq', 'read_lock_irq({a0});'),
    ('write_unlock_irq', 'write_lock_irq({a0});'),
    ('read_unlock_bh', 'read_lock_bh({a0});'),
    ('write_unlock_bh', 'write_lock_bh({a0});'),
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
    'sg_miter_start': dict(args=[None, None, None, 'SG_MITER_FROM_SG']),
    # a group left open when its device goes is reported as lost: release it
    'devres_open_group': dict(cleanup='if ({r})\n\t\tdevres_release_group({a0}, {r});'),
    # the device model: reference and registration calls come in their pairs
    'device_initialize': dict(decl=FC_DEV_DECL, args=['&fc_dev'], cleanup='put_device(&fc_dev);'),
    # naming is for a device not yet added: a registered device's name is read by other
    # threads' bus walks (the kernel renames one with device_rename)
    'dev_set_name': dict(decl=FC_DEV_DECL + '\n\tdevice_initialize(&fc_dev);', args=['&fc_dev', '"fc_name"'],
                         cleanup='if ({r} || strcmp(dev_name(&fc_dev), "fc_name"))\n\t\tfc_fail("dev_set_name");\n'
                                 '\tput_device(&fc_dev);'),
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
    'down_read_killable_nested': dict(value=True),
    'down_write_killable_nested': dict(value=True),
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
PENDING = ()
EXCLUDE.update({n: 'pending: not yet called validly as a first call (docs/robustness.md)'
                for n in PENDING})
# The driver half's entry points that the defaults above cannot call validly: each gets its
# valid arguments here (a mapping of an emulated device for the accessors, a device for the
# devm_ and DMA calls, the pair of each release call), or an EXCLUDE reason below.
_FC_MAP = ('fc_mmio_once();\n\tvoid __iomem *fc_io = ioremap(FC_MMIO_START, 0x1000);\n'
           '\tif (!fc_io)\n\t\tfc_fail("ioremap");\n\tchar fc_buf[64];')
_FC_REGS = ('fc_regs_once();\n\tvoid __iomem *fc_io = ioremap(FC_REGS_START, 0x1000);\n'
            '\tif (!fc_io)\n\t\tfc_fail("ioremap");\n\tchar fc_buf[64];\n\tunsigned long fc_val = 0;')
_FC_UNMAP = 'iounmap(fc_io);'
# A kmalloc buffer mapped for the device of argument 0 (streaming DMA), and its undoing.
_FC_DMA_MAP = ('void *fc_buf = kmalloc(64, GFP_KERNEL);\n\tif (!fc_buf)\n\t\tfc_fail("kmalloc");\n'
               '\tdma_addr_t fc_h = dma_map_single({a0}, fc_buf, 64, DMA_BIDIRECTIONAL);\n'
               '\tif (dma_mapping_error({a0}, fc_h))\n\t\tfc_fail("dma_map_single");')
_FC_DMA_UNMAP = 'dma_unmap_single({a0}, fc_h, 64, DMA_BIDIRECTIONAL);\n\tkfree(fc_buf);'
_FC_SG = ('struct scatterlist fc_sg[2], *fc_s;\n\tint fc_i;\n\tchar *fc_sgbuf = kmalloc(128, GFP_KERNEL);\n'
          '\tif (!fc_sgbuf)\n\t\tfc_fail("kmalloc");\n\tsg_init_table(fc_sg, 2);\n'
          '\tsg_set_buf(&fc_sg[0], fc_sgbuf, 64);\n\tsg_set_buf(&fc_sg[1], fc_sgbuf + 64, 64);')
_FC_SGT = ('struct sg_table fc_sgt;\n\tstruct scatterlist *fc_s;\n\tint fc_i;\n'
           '\tchar *fc_sgbuf = kmalloc(128, GFP_KERNEL);\n'
           '\tif (!fc_sgbuf || sg_alloc_table(&fc_sgt, 2, GFP_KERNEL))\n\t\tfc_fail("sg_alloc_table");\n'
           '\tsg_set_buf(&fc_sgt.sgl[0], fc_sgbuf, 64);\n\tsg_set_buf(&fc_sgt.sgl[1], fc_sgbuf + 64, 64);')
_FC_SGT_FREE = 'sg_free_table(&fc_sgt);\n\tkfree(fc_sgbuf);'
_FC_SGT_MAP = ('if (dma_map_sgtable({a0}, &fc_sgt, DMA_BIDIRECTIONAL, 0))\n'
               '\t\tfc_fail("dma_map_sgtable");')
_FC_SGT_UNMAP = 'dma_unmap_sgtable({a0}, &fc_sgt, DMA_BIDIRECTIONAL, 0);\n\t' + _FC_SGT_FREE
# A devres of the device of argument 0 (released with the device).
_FC_DR = ('void *fc_res = devres_alloc(fc_dr_release, 64, GFP_KERNEL);\n\tif (!fc_res)\n'
          '\t\tfc_fail("devres_alloc");\n\tdevres_add({a0}, fc_res);')
# Per-thread names and ranges: racing threads each register or claim their own.
_FC_NAME = ('char fc_name[32];\n\tsnprintf(fc_name, sizeof(fc_name), "fc%lx", '
            '(unsigned long)pthread_self());')
_FC_IOPORT = 'FC_IO_START + 8 * fc_slot()'
_FC_IOMEM = 'FC_RES_START + 0x1000 * fc_slot()'
_FC_IRQ = 'static __thread int fc_irqdev;'
_FC_PDRVS = ('static __thread struct platform_driver fc_drv[2];\n'
             '\tstatic __thread char fc_drvname[2][32];\n'
             '\tstruct platform_driver *const fc_drvs[2] = { &fc_drv[0], &fc_drv[1] };\n'
             '\tmemset(fc_drv, 0, sizeof(fc_drv));\n\tfor (int i = 0; i < 2; i++) {\n'
             '\t\tsnprintf(fc_drvname[i], sizeof(fc_drvname[i]), "fc_drv%d_%lx", i,\n'
             '\t\t\t (unsigned long)pthread_self());\n\t\tfc_drv[i].driver.name = fc_drvname[i];\n\t}')
_FC_PCPU = 'static DEFINE_PER_CPU(long, fc_pcpu);'
# Appended last: only a parameter no earlier rule matches reaches them, so no call above changes.
PARAM_RULES += [
    ('enum dma_data_direction', None, None, dict(expr='DMA_BIDIRECTIONAL')),
    ('enum string_size_units', None, None, dict(expr='STRING_UNITS_2')),
    ('const struct device_driver \\*', None, None, A_DRV),
    ('struct pci_dev \\*', None, None, dict(expr='NULL')),	# no PCI bus: no pci_dev exists
    ('dr_match_t', None, None, dict(expr='NULL')),	# NULL: any devres of that release
    ('', 'val|nval|o|oval', '(__)?(this|raw)_cpu_.*|__ukmem_pcpu_.*', dict(expr='1')),
]
OVERRIDES.update({
    # register accessors: a memory-backed device's mapping (the inline fast path) ...
    **{f: dict(decl=_FC_MAP, args=['fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('__raw_readb', '__raw_readw', '__raw_readl')},
    **{f: dict(decl=_FC_MAP, args=['0x5a', 'fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('__raw_writeb', '__raw_writew', '__raw_writel')},
    **{f: dict(decl=_FC_MAP, args=['fc_io', 'fc_buf', '8'], cleanup=_FC_UNMAP, api=True)
       for f in ('readsb', 'readsw', 'readsl')},
    **{f: dict(decl=_FC_MAP, args=['fc_io', None, '8'], cleanup=_FC_UNMAP, api=True)
       for f in ('writesb', 'writesw', 'writesl')},
    'memcpy_fromio': dict(decl=_FC_MAP, args=['fc_buf', 'fc_io', '64'], cleanup=_FC_UNMAP, api=True),
    'memcpy_toio': dict(decl=_FC_MAP, args=['fc_io', None, '64'], cleanup=_FC_UNMAP, api=True),
    'memset_io': dict(decl=_FC_MAP, args=['fc_io', '0xa5', '64'], cleanup=_FC_UNMAP, api=True),
    **{f: dict(decl=_FC_MAP, args=['fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('readb', 'readw', 'readl', 'readq', '__raw_readq', 'readb_relaxed',
                 'readw_relaxed', 'readl_relaxed', 'readq_relaxed')},
    **{f: dict(decl=_FC_MAP, args=['0x5a', 'fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('writeb', 'writew', 'writel', 'writeq', '__raw_writeq', 'writeb_relaxed',
                 'writew_relaxed', 'writel_relaxed', 'writeq_relaxed')},
    'readsq': dict(decl=_FC_MAP, args=['fc_io', 'fc_buf', '8'], cleanup=_FC_UNMAP, api=True),
    'writesq': dict(decl=_FC_MAP, args=['fc_io', None, '8'], cleanup=_FC_UNMAP, api=True),
    # ... and a callback device's (the out-of-line path to its read and write callbacks)
    **{f: dict(decl=_FC_REGS, args=['fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('ioread64_hi_lo', 'ioread64_lo_hi', 'hi_lo_readq', 'hi_lo_readq_relaxed',
                 'lo_hi_readq', 'lo_hi_readq_relaxed')},
    **{f: dict(decl=_FC_REGS, args=['0x5a', 'fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('hi_lo_writeq', 'hi_lo_writeq_relaxed', 'lo_hi_writeq', 'lo_hi_writeq_relaxed')},
    **{f: dict(decl=_FC_REGS, args=['fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('ioread8', 'ioread16', 'ioread16be', 'ioread32', 'ioread32be', 'ioread64',
                 'ioread64be')},
    **{f: dict(decl=_FC_REGS, args=['0x5a', 'fc_io'], cleanup=_FC_UNMAP, api=True)
       for f in ('iowrite8', 'iowrite16', 'iowrite16be', 'iowrite32', 'iowrite32be',
                 'iowrite64', 'iowrite64be', 'iowrite64_hi_lo', 'iowrite64_lo_hi')},
    **{f: dict(decl=_FC_REGS, args=['fc_io', 'fc_buf', '8'], cleanup=_FC_UNMAP, api=True)
       for f in ('ioread8_rep', 'ioread16_rep', 'ioread32_rep')},
    **{f: dict(decl=_FC_REGS, args=['fc_io', None, '8'], cleanup=_FC_UNMAP, api=True)
       for f in ('iowrite8_rep', 'iowrite16_rep', 'iowrite32_rep')},
    '__ukmem_mmio_read': dict(decl=_FC_REGS, args=['fc_io', '4'], cleanup=_FC_UNMAP, api=True),
    '__ukmem_mmio_write': dict(decl=_FC_REGS, args=['fc_io', '4', '0x5a'], cleanup=_FC_UNMAP,
                               api=True),
    # the poll helpers: the register reads 1, 2, 3, ...: the condition holds at the third read
    **{f: dict(decl=_FC_REGS, args=['fc_io', 'fc_val', 'fc_val >= 3', '1', '1000000'], value=True,
               cleanup='if ({r})\n\t\tfc_fail("%s timed out");\n\t%s' % (f, _FC_UNMAP), api=True)
       for f in ('readb_poll_timeout', 'readb_poll_timeout_atomic', 'readb_relaxed_poll_timeout',
                 'readw_poll_timeout', 'readw_poll_timeout_atomic', 'readl_poll_timeout',
                 'readl_poll_timeout_atomic', 'readl_relaxed_poll_timeout',
                 'readl_relaxed_poll_timeout_atomic', 'readq_poll_timeout',
                 'readq_poll_timeout_atomic')},
    **{f: dict(decl=_FC_REGS, args=['readl', 'fc_io', 'fc_val', 'fc_val >= 3', '1', '1000000'],
               value=True, cleanup='if ({r})\n\t\tfc_fail("%s timed out");\n\t%s' % (f, _FC_UNMAP),
               api=True)
       for f in ('readx_poll_timeout', 'readx_poll_timeout_atomic')},
    **{f: dict(decl=_FC_REGS, args=['readl', 'fc_val', 'fc_val >= 3', '1', '1000000', 'true', 'fc_io'],
               value=True, cleanup='if ({r})\n\t\tfc_fail("%s timed out");\n\t%s' % (f, _FC_UNMAP),
               api=True)
       for f in ('read_poll_timeout', 'read_poll_timeout_atomic')},
    # port I/O: a port with no device (as inb), and a cookie of a port device's
    **{f: dict(args=['64']) for f in ('inb_p', 'inw_p', 'inl_p')},
    **{f: dict(args=['0x5a', '64']) for f in ('outb_p', 'outw_p', 'outl_p')},
    '__ukmem_pio_read': dict(decl='fc_regs_once();\n\tvoid __iomem *fc_io = ioport_map(FC_PORT_START, 8);',
                             args=['fc_io', '4'], cleanup='ioport_unmap(fc_io);', api=True),
    '__ukmem_pio_write': dict(decl='fc_regs_once();\n\tvoid __iomem *fc_io = ioport_map(FC_PORT_START, 8);',
                              args=['fc_io', '4', '0x5a'], cleanup='ioport_unmap(fc_io);', api=True),
    '__ukmem_pio_bad': dict(decl='fc_regs_once();\n\tvoid __iomem *fc_io = ioport_map(FC_PORT_START, 8);',
                            args=['fc_io', '"return inb(port)"'],
                            cleanup='if ({r})\n\t\tfc_fail("a port cookie taken for a bad one");\n'
                                    '\tioport_unmap(fc_io);', api=True),
    'ukmem_mmio_set_hook': dict(decl='fc_mmio_once();', args=['FC_MMIO_START', 'fc_mmio_hook', 'NULL'],
                                cleanup='if ({r})\n\t\tfc_fail("ukmem_mmio_set_hook");\n'
                                        '\tukmem_mmio_set_hook(FC_MMIO_START, NULL, NULL);', api=True),
    # no PCI bus: pci_iomap answers NULL; pci_iounmap undoes an ioremap
    'pci_iomap': dict(args=[None, '0', '0']),
    'pci_iomap_range': dict(args=[None, '0', '0', '0']),
    'pci_iounmap': dict(decl=_FC_MAP, args=[None, 'fc_io'], api=True),
    # per-CPU data: a DEFINE_PER_CPU variable of the test's own; the __this_cpu_ forms with
    # preemption disabled, as the kernel requires
    **{f: dict(pre='preempt_disable();', cleanup='preempt_enable();')
       for f in ('__this_cpu_add', '__this_cpu_and', '__this_cpu_or', '__this_cpu_sub',
                 '__this_cpu_write')},
    **{f: dict(pre='preempt_disable();', cleanup='preempt_enable();', value=True)
       for f in ('__this_cpu_add_return', '__this_cpu_sub_return', '__this_cpu_xchg',
                 '__this_cpu_cmpxchg')},
    **{f: dict(value=True) for f in ('this_cpu_add_return', 'this_cpu_sub_return', 'this_cpu_xchg',
                                     'this_cpu_cmpxchg', 'raw_cpu_add_return', 'raw_cpu_sub_return',
                                     'raw_cpu_xchg', 'raw_cpu_cmpxchg')},
    '__ukmem_pcpu_op': dict(args=[None, 'fetch_add', '1']),
    '__ukmem_pcpu_op_return': dict(args=[None, 'add_fetch', '1'], value=True),
    '__ukmem_pcpu_cmpxchg': dict(value=True),
    '__ukmem_per_cpu_ptr': dict(decl=_FC_PCPU, args=['&fc_pcpu', '0']),
    '__ukmem_per_cpu_ptr_slow': dict(decl=_FC_PCPU, args=['&fc_pcpu', '0']),
    'get_cpu_ptr': dict(decl=_FC_PCPU, args=['&fc_pcpu'], cleanup='put_cpu_ptr(&fc_pcpu);'),
    'put_cpu_ptr': dict(decl=_FC_PCPU, args=['&fc_pcpu'], pre='get_cpu_ptr(&fc_pcpu);'),
    'get_cpu_var': dict(cleanup='put_cpu_var({a0});'),
    'put_cpu_var': dict(pre='get_cpu_var({a0});'),
    'alloc_percpu': dict(args=['long'], value=True),
    'alloc_percpu_gfp': dict(args=['long', None], value=True),
    '__irq_enter_raw': dict(cleanup='__irq_exit_raw();'),
    '__irq_exit_raw': dict(pre='__irq_enter_raw();'),
    'raw_spin_trylock': dict(value=True),
    '__local_bh_enable_ip': dict(args=['0', 'SOFTIRQ_DISABLE_OFFSET'], pre='local_bh_disable();'),
    **{f: dict(value=True) for f in ('raw_spin_trylock_irqsave', 'spin_trylock_irqsave',
                                      'spin_trylock_irq', 'spin_trylock_bh', 'read_trylock',
                                      'write_trylock')},
    # devres: what is added is released with the device; a removal undoes an addition
    '__devres_alloc_node': dict(cleanup='if (!{r})\n\t\tfc_fail("__devres_alloc_node");\n\tdevres_free({r});'),
    'devres_alloc': dict(value=True, cleanup='if (!{r})\n\t\tfc_fail("devres_alloc");\n\tdevres_free({r});'),
    'devres_alloc_node': dict(value=True,
                              cleanup='if (!{r})\n\t\tfc_fail("devres_alloc_node");\n\tdevres_free({r});'),
    'devres_add': dict(pre='void *fc_res = devres_alloc(fc_dr_release, 64, GFP_KERNEL);\n'
                           '\tif (!fc_res)\n\t\tfc_fail("devres_alloc");', args=[None, 'fc_res']),
    'devres_find': dict(pre=_FC_DR, cleanup='if ({r} != fc_res)\n\t\tfc_fail("devres_find");'),
    'devres_get': dict(pre='void *fc_res = devres_alloc(fc_dr_release, 64, GFP_KERNEL);\n'
                           '\tif (!fc_res)\n\t\tfc_fail("devres_alloc");', args=[None, 'fc_res', None, None],
                       cleanup='if ({r} != fc_res)\n\t\tfc_fail("devres_get");'),
    'devres_remove': dict(pre=_FC_DR, cleanup='if ({r} != fc_res)\n\t\tfc_fail("devres_remove");\n'
                                             '\tdevres_free({r});'),
    'devres_destroy': dict(pre=_FC_DR, cleanup='if ({r})\n\t\tfc_fail("devres_destroy");'),
    'devres_release': dict(pre=_FC_DR, cleanup='if ({r})\n\t\tfc_fail("devres_release");'),
    'devres_for_each_res': dict(pre=_FC_DR + '\n\tint fc_n = 0;', args=[None, None, None, None,
                                                                        'fc_dr_each', '&fc_n'],
                                cleanup='if (fc_n != 1)\n\t\tfc_fail("devres_for_each_res");'),
    **{f: dict(pre='void *fc_grp = devres_open_group({a0}, NULL, GFP_KERNEL);\n\tif (!fc_grp)\n'
                   '\t\tfc_fail("devres_open_group");', args=[None, 'fc_grp'])
       for f in ('devres_close_group', 'devres_remove_group')},
    **{f: dict(args=[None, 'fc_action', 'NULL'], cleanup='if ({r})\n\t\tfc_fail("%s");' % f)
       for f in ('devm_add_action', 'devm_add_action_or_reset')},
    **{f: dict(args=[None, 'fc_action', 'NULL'],
               pre='if (devm_add_action({a0}, fc_action, NULL))\n\t\tfc_fail("devm_add_action");')
       for f in ('devm_remove_action', 'devm_release_action')},
    'devm_free_pages': dict(pre='unsigned long fc_addr = devm_get_free_pages({a0}, GFP_KERNEL, 0);\n'
                                '\tif (!fc_addr)\n\t\tfc_fail("devm_get_free_pages");',
                            args=[None, 'fc_addr']),
    'devm_alloc_percpu': dict(args=[None, 'long'], value=True,
                              cleanup='if (!{r})\n\t\tfc_fail("devm_alloc_percpu");'),
    'devm_free_percpu': dict(pre='void __percpu *fc_pcpu = __devm_alloc_percpu({a0}, 8, 8);\n'
                                 '\tif (!fc_pcpu)\n\t\tfc_fail("__devm_alloc_percpu");',
                             args=[None, 'fc_pcpu']),
    'devm_ioport_unmap': dict(pre='void __iomem *fc_p = devm_ioport_map({a0}, FC_IO_START, 8);\n'
                                  '\tif (!fc_p)\n\t\tfc_fail("devm_ioport_map");', args=[None, 'fc_p']),
    **{f: dict(decl='fc_mmio_once();', args=[None, 'FC_MMIO_START', '0x1000'],
               cleanup='if (!{r})\n\t\tfc_fail("%s");' % f)
       for f in ('devm_ioremap', 'devm_ioremap_uc', 'devm_ioremap_wc')},
    'devm_iounmap': dict(decl='fc_mmio_once();',
                         pre='void __iomem *fc_p = devm_ioremap({a0}, FC_MMIO_START, 0x1000);\n'
                             '\tif (!fc_p)\n\t\tfc_fail("devm_ioremap");', args=[None, 'fc_p']),
    'devm_memunmap': dict(decl='fc_mmio_once();',
                          pre='void *fc_p = devm_memremap({a0}, FC_MMIO_START, 0x1000, MEMREMAP_WB);\n'
                              '\tif (IS_ERR_OR_NULL(fc_p))\n\t\tfc_fail("devm_memremap");',
                          args=[None, 'fc_p']),
    # a platform device with a memory resource inside the emulated device, one per thread
    'devm_platform_get_and_ioremap_resource': dict(
        decl='fc_mmio_once();\n\tstruct resource fc_r0 = DEFINE_RES_MEM(FC_MMIO_START + 0x400 * fc_slot(), 0x400);\n'
             '\tstruct resource *fc_got = NULL;\n'
             '\tstruct platform_device *fc_pd = platform_device_register_simple("fc", PLATFORM_DEVID_AUTO, &fc_r0, 1);\n'
             '\tif (IS_ERR(fc_pd))\n\t\tfc_fail("platform_device_register_simple");',
        args=['fc_pd', '0', '&fc_got'], api=True,
        cleanup='if (IS_ERR({r}) || !fc_got)\n\t\tfc_fail("devm_platform_get_and_ioremap_resource");\n'
                '\tplatform_device_unregister(fc_pd);'),
    'devm_request_region': dict(args=[None, _FC_IOPORT, '8', '"fc"'], value=True,
                                cleanup='if (!{r})\n\t\tfc_fail("devm_request_region");'),
    'devm_request_mem_region': dict(args=[None, _FC_IOMEM, '0x1000', '"fc"'], value=True,
                                    cleanup='if (!{r})\n\t\tfc_fail("devm_request_mem_region");'),
    'devm_release_region': dict(args=[None, _FC_IOPORT, '8'],
                                pre='if (!devm_request_region({a0}, {a1}, {a2}, "fc"))\n'
                                    '\t\tfc_fail("devm_request_region");'),
    'devm_release_mem_region': dict(args=[None, _FC_IOMEM, '0x1000'],
                                    pre='if (!devm_request_mem_region({a0}, {a1}, {a2}, "fc"))\n'
                                        '\t\tfc_fail("devm_request_mem_region");'),
    '__devm_release_region': dict(args=[None, None, _FC_IOMEM, '0x1000'],
                                  pre='if (!__devm_request_region({a0}, {a1}, {a2}, {a3}, "fc"))\n'
                                      '\t\tfc_fail("__devm_request_region");'),
    # interrupts: a shared line, each thread its own dev_id; each request is freed
    'request_irq': dict(decl=_FC_IRQ, args=['64', None, 'IRQF_SHARED', None, '&fc_irqdev'],
                        cleanup='if ({r})\n\t\tfc_fail("request_irq");\n\tfree_irq(64, &fc_irqdev);'),
    'request_threaded_irq': dict(decl=_FC_IRQ, args=['64', None, None, 'IRQF_SHARED', None, '&fc_irqdev'],
                                 cleanup='if ({r})\n\t\tfc_fail("request_threaded_irq");\n'
                                         '\tfree_irq(64, &fc_irqdev);'),
    'request_any_context_irq': dict(decl=_FC_IRQ, args=['64', None, 'IRQF_SHARED', None, '&fc_irqdev'],
                                    cleanup='if ({r} < 0)\n\t\tfc_fail("request_any_context_irq");\n'
                                            '\tfree_irq(64, &fc_irqdev);'),
    'free_irq': dict(decl=_FC_IRQ, args=['64', '&fc_irqdev'],
                     pre='if (request_irq(64, fc_irq_handler, IRQF_SHARED, "fc", &fc_irqdev))\n'
                         '\t\tfc_fail("request_irq");'),
    'devm_free_irq': dict(args=[None, '64', '&fc_a0_pd->dev'],
                          pre='if (devm_request_irq({a0}, 64, fc_irq_handler, IRQF_SHARED, "fc", {a0}))\n'
                              '\t\tfc_fail("devm_request_irq");'),
    'enable_irq': dict(args=['64'], pre='disable_irq(64);'),
    'disable_irq_wake': dict(args=['64'], pre='enable_irq_wake(64);'),
    # DMA: coherent allocations are freed, mappings unmapped, syncs done on a mapping
    'dma_alloc_attrs': dict(args=[None, '64', None, None, '0'],
                            cleanup='if (!{r})\n\t\tfc_fail("dma_alloc_attrs");\n'
                                    '\tdma_free_attrs({a0}, 64, {r}, *{a2}, 0);'),
    'dma_alloc_coherent': dict(args=[None, '64'],
                               cleanup='if (!{r})\n\t\tfc_fail("dma_alloc_coherent");\n'
                                       '\tdma_free_coherent({a0}, 64, {r}, *{a2});'),
    'dma_alloc_noncoherent': dict(args=[None, '64'],
                                  cleanup='if (!{r})\n\t\tfc_fail("dma_alloc_noncoherent");\n'
                                          '\tdma_free_noncoherent({a0}, 64, {r}, *{a2}, {a3});'),
    'dma_alloc_pages': dict(args=[None, '64'],
                            cleanup='if (!{r})\n\t\tfc_fail("dma_alloc_pages");\n'
                                    '\tdma_free_pages({a0}, 64, {r}, *{a2}, {a3});'),
    'dma_free_noncoherent': dict(pre='dma_addr_t fc_h;\n\tvoid *fc_v = dma_alloc_noncoherent({a0}, 64, &fc_h, '
                                     'DMA_BIDIRECTIONAL, GFP_KERNEL);\n\tif (!fc_v)\n'
                                     '\t\tfc_fail("dma_alloc_noncoherent");',
                                 args=[None, '64', 'fc_v', 'fc_h']),
    'dma_free_pages': dict(pre='dma_addr_t fc_h;\n\tstruct page *fc_p = dma_alloc_pages({a0}, 64, &fc_h, '
                               'DMA_BIDIRECTIONAL, GFP_KERNEL);\n\tif (!fc_p)\n\t\tfc_fail("dma_alloc_pages");',
                           args=[None, '64', 'fc_p', 'fc_h']),
    'dmam_free_coherent': dict(pre='dma_addr_t fc_h;\n\tvoid *fc_v = dmam_alloc_coherent({a0}, 64, &fc_h, '
                                   'GFP_KERNEL);\n\tif (!fc_v)\n\t\tfc_fail("dmam_alloc_coherent");',
                               args=[None, '64', 'fc_v', 'fc_h']),
    'dma_map_single_attrs': dict(decl='void *fc_buf = kmalloc(64, GFP_KERNEL);',
                                 args=[None, 'fc_buf', '64', None, '0'], api=True,
                                 cleanup='if (dma_mapping_error({a0}, {r}))\n\t\tfc_fail("dma_map_single_attrs");\n'
                                         '\tdma_unmap_single({a0}, {r}, 64, DMA_BIDIRECTIONAL);\n\tkfree(fc_buf);'),
    'dma_map_single': dict(decl='void *fc_buf = kmalloc(64, GFP_KERNEL);',
                           args=[None, 'fc_buf', '64', 'DMA_BIDIRECTIONAL'], value=True, api=True,
                           cleanup='if (dma_mapping_error({a0}, {r}))\n\t\tfc_fail("dma_map_single");\n'
                                   '\tdma_unmap_single({a0}, {r}, 64, DMA_BIDIRECTIONAL);\n\tkfree(fc_buf);'),
    'dma_unmap_single': dict(pre=_FC_DMA_MAP, args=[None, 'fc_h', '64', 'DMA_BIDIRECTIONAL'],
                             cleanup='kfree(fc_buf);'),
    'dma_unmap_single_attrs': dict(pre=_FC_DMA_MAP, args=[None, 'fc_h', '64', None, '0'],
                                   cleanup='kfree(fc_buf);'),
    **{f: dict(pre=_FC_DMA_MAP, args=[None, 'fc_h', '64', None], cleanup=_FC_DMA_UNMAP)
       for f in ('dma_sync_single_for_cpu', 'dma_sync_single_for_device')},
    **{f: dict(pre=_FC_DMA_MAP, args=[None, 'fc_h', '0', '64', None], cleanup=_FC_DMA_UNMAP)
       for f in ('dma_sync_single_range_for_cpu', 'dma_sync_single_range_for_device')},
    'ukmem_dma_read': dict(pre=_FC_DMA_MAP + '\n\tchar fc_rd[64];', args=[None, 'fc_h', 'fc_rd', '64'],
                           cleanup='if ({r})\n\t\tfc_fail("ukmem_dma_read");\n\t' + _FC_DMA_UNMAP),
    'ukmem_dma_write': dict(pre=_FC_DMA_MAP, args=[None, 'fc_h', None, '64'],
                            cleanup='if ({r})\n\t\tfc_fail("ukmem_dma_write");\n\t' + _FC_DMA_UNMAP),
    'dma_map_page_attrs': dict(args=[None, None, '0', '64', None, '0'],
                               cleanup='if (dma_mapping_error({a0}, {r}))\n\t\tfc_fail("dma_map_page_attrs");\n'
                                       '\tdma_unmap_page({a0}, {r}, 64, DMA_BIDIRECTIONAL);'),
    'dma_map_page': dict(decl='struct page *fc_pg = alloc_page(GFP_KERNEL);',
                         args=[None, 'fc_pg', '0', '64', 'DMA_BIDIRECTIONAL'], value=True, api=True,
                         cleanup='if (dma_mapping_error({a0}, {r}))\n\t\tfc_fail("dma_map_page");\n'
                                 '\tdma_unmap_page({a0}, {r}, 64, DMA_BIDIRECTIONAL);\n\t__free_page(fc_pg);'),
    **{f: dict(decl='struct page *fc_pg = alloc_page(GFP_KERNEL);', api=True,
               pre='dma_addr_t fc_h = dma_map_page({a0}, fc_pg, 0, 64, DMA_BIDIRECTIONAL);\n'
                   '\tif (dma_mapping_error({a0}, fc_h))\n\t\tfc_fail("dma_map_page");',
               args=[None, 'fc_h', '64', 'DMA_BIDIRECTIONAL'] + (['0'] if f.endswith('attrs') else []),
               cleanup='__free_page(fc_pg);')
       for f in ('dma_unmap_page', 'dma_unmap_page_attrs')},
    'dma_map_resource': dict(decl='fc_mmio_once();', args=[None, 'FC_MMIO_START', '64', None, '0'], api=True,
                             cleanup='if (dma_mapping_error({a0}, {r}))\n\t\tfc_fail("dma_map_resource");\n'
                                     '\tdma_unmap_resource({a0}, {r}, 64, DMA_BIDIRECTIONAL, 0);'),
    'dma_unmap_resource': dict(decl='fc_mmio_once();', api=True,
                               pre='dma_addr_t fc_h = dma_map_resource({a0}, FC_MMIO_START, 64, '
                                   'DMA_BIDIRECTIONAL, 0);\n\tif (dma_mapping_error({a0}, fc_h))\n'
                                   '\t\tfc_fail("dma_map_resource");',
                               args=[None, 'fc_h', '64', None, '0']),
    'dma_map_sg_attrs': dict(args=[None, None, '2', None, '0'],
                             cleanup='if (!{r})\n\t\tfc_fail("dma_map_sg_attrs");\n'
                                     '\tdma_unmap_sg({a0}, {a1}, 2, DMA_BIDIRECTIONAL);'),
    'dma_map_sg': dict(decl=_FC_SG, args=[None, 'fc_sg', '2', 'DMA_BIDIRECTIONAL'], value=True, api=True,
                       cleanup='if (!{r})\n\t\tfc_fail("dma_map_sg");\n'
                               '\tdma_unmap_sg({a0}, fc_sg, 2, DMA_BIDIRECTIONAL);\n\tkfree(fc_sgbuf);'),
    'dma_unmap_sg': dict(decl=_FC_SG, args=[None, 'fc_sg', '2', 'DMA_BIDIRECTIONAL'], api=True,
                         pre='if (!dma_map_sg({a0}, fc_sg, 2, DMA_BIDIRECTIONAL))\n\t\tfc_fail("dma_map_sg");',
                         cleanup='kfree(fc_sgbuf);'),
    'dma_unmap_sg_attrs': dict(args=[None, None, '2', None, '0'],
                               pre='if (!dma_map_sg({a0}, {a1}, 2, DMA_BIDIRECTIONAL))\n'
                                   '\t\tfc_fail("dma_map_sg");'),
    **{f: dict(args=[None, None, '2', None],
               pre='if (!dma_map_sg({a0}, {a1}, 2, DMA_BIDIRECTIONAL))\n\t\tfc_fail("dma_map_sg");',
               cleanup='dma_unmap_sg({a0}, {a1}, 2, DMA_BIDIRECTIONAL);')
       for f in ('dma_sync_sg_for_cpu', 'dma_sync_sg_for_device')},
    'dma_map_sgtable': dict(decl=_FC_SGT, args=[None, '&fc_sgt', None, '0'], api=True,
                            cleanup='if ({r})\n\t\tfc_fail("dma_map_sgtable");\n\t' + _FC_SGT_UNMAP),
    'dma_unmap_sgtable': dict(decl=_FC_SGT, args=[None, '&fc_sgt', None, '0'], api=True,
                              pre=_FC_SGT_MAP, cleanup=_FC_SGT_FREE),
    **{f: dict(decl=_FC_SGT, args=[None, '&fc_sgt', None], api=True, pre=_FC_SGT_MAP,
               cleanup=_FC_SGT_UNMAP)
       for f in ('dma_sync_sgtable_for_cpu', 'dma_sync_sgtable_for_device')},
    'for_each_sg': dict(decl=_FC_SG, args=['fc_sg', 'fc_s', '2', 'fc_i'], api=True,
                        cleanup='if (fc_s || fc_i != 2)\n\t\tfc_fail("for_each_sg");\n\tkfree(fc_sgbuf);'),
    'for_each_sgtable_sg': dict(decl=_FC_SGT, args=['&fc_sgt', 'fc_s', 'fc_i'], api=True,
                                cleanup='if (fc_i != 2)\n\t\tfc_fail("for_each_sgtable_sg");\n\t' + _FC_SGT_FREE),
    'for_each_sgtable_dma_sg': dict(decl=_FC_SGT + '\n\t' + A_PDEV['decl'].replace('{v}', 'fc_p'), api=True,
                                    pre=_FC_SGT_MAP.replace('{a0}', '&fc_p_pd->dev'),
                                    args=['&fc_sgt', 'fc_s', 'fc_i'],
                                    cleanup=_FC_SGT_UNMAP.replace('{a0}', '&fc_p_pd->dev') +
                                    '\n\tplatform_device_unregister(fc_p_pd);'),
    'dma_pool_alloc': dict(cleanup='if (!{r})\n\t\tfc_fail("dma_pool_alloc");\n\tdma_pool_free({a0}, {r}, *{a2});'),
    'dma_pool_zalloc': dict(cleanup='if (!{r})\n\t\tfc_fail("dma_pool_zalloc");\n\tdma_pool_free({a0}, {r}, *{a2});'),
    'dma_pool_free': dict(pre='dma_addr_t fc_h;\n\tvoid *fc_v = dma_pool_alloc({a0}, GFP_KERNEL, &fc_h);\n'
                              '\tif (!fc_v)\n\t\tfc_fail("dma_pool_alloc");', args=[None, 'fc_v', 'fc_h']),
    'dmam_pool_destroy': dict(decl=A_PDEV['decl'].replace('{v}', 'fc_p') +
                              '\n\tstruct dma_pool *fc_pool = dmam_pool_create("fc", &fc_p_pd->dev, 64, 8, 0);\n'
                              '\tif (!fc_pool)\n\t\tfc_fail("dmam_pool_create");',
                              args=['fc_pool'], cleanup='platform_device_unregister(fc_p_pd);', api=True),
    # scatterlists, pages, vmalloc
    'sg_alloc_table_from_pages_segment': dict(args=[None, None, '2', '0', '2 * PAGE_SIZE', 'PAGE_SIZE', None]),
    'sg_alloc_append_table_from_pages': dict(args=[None, None, '2', '0', '2 * PAGE_SIZE', 'PAGE_SIZE',
                                                   '0', None]),
    # the page iterators: over a two-entry list in one page, then over a mapped table
    'for_each_sg_page': dict(decl=_FC_SG + '\n\tstruct sg_page_iter fc_pi;', api=True,
                             args=['fc_sg', '&fc_pi', '2', '0'], cleanup='kfree(fc_sgbuf);'),
    'for_each_sgtable_page': dict(decl=_FC_SGT + '\n\tstruct sg_page_iter fc_pi;', api=True,
                                  args=['&fc_sgt', '&fc_pi', '0'], cleanup=_FC_SGT_FREE),
    **{f: dict(decl=_FC_SGT + '\n\tstruct sg_dma_page_iter fc_di;\n\t' +
               A_PDEV['decl'].replace('{v}', 'fc_p'), api=True,
               pre=_FC_SGT_MAP.replace('{a0}', '&fc_p_pd->dev'), args=args,
               cleanup=_FC_SGT_UNMAP.replace('{a0}', '&fc_p_pd->dev') +
               '\n\tplatform_device_unregister(fc_p_pd);')
       for f, args in (('for_each_sg_dma_page', ['fc_sgt.sgl', '&fc_di', 'fc_sgt.nents', '0']),
                       ('for_each_sgtable_dma_page', ['&fc_sgt', '&fc_di', '0']))},
    'bitmap_free': dict(decl='unsigned long *fc_bm = bitmap_zalloc(64, GFP_KERNEL);', args=['fc_bm'],
                        api=True),
    'mempool_alloc_pages': dict(args=[None, '(void *)0'],
                                cleanup='if (!{r})\n\t\tfc_fail("mempool_alloc_pages");\n'
                                        '\tmempool_free_pages({r}, {a1});'),
    'mempool_free_pages': dict(decl='void *fc_e = mempool_alloc_pages(GFP_KERNEL, (void *)0);',
                               args=['fc_e', '(void *)0'], api=True),
    'mempool_free_slab': dict(decl='void *fc_e = kmem_cache_alloc(kmalloc_caches[KMALLOC_NORMAL][6], GFP_KERNEL);',
                              args=['fc_e', 'kmalloc_caches[KMALLOC_NORMAL][6]'], api=True),
    'gen_pool_fixed_alloc': dict(decl='unsigned long fc_map[1] = { 0 };\n'
                                      '\tstruct genpool_data_fixed fc_fixed = { .offset = 16 };',
                                 args=['fc_map', '64', '0', '1', '&fc_fixed', None, '0'],
                                 cleanup='if ({r} != 2)\n\t\tfc_fail("gen_pool_fixed_alloc");'),
    'gen_pool_for_each_chunk': dict(decl='int fc_n = 0;', args=[None, 'fc_chunk_each', '&fc_n'],
                                    cleanup='if (fc_n != 1)\n\t\tfc_fail("gen_pool_for_each_chunk");'),
    'gen_pool_free_owner': dict(decl='void *fc_owner;', args=[None, 'fc_addr', '64', '&fc_owner'],
                                pre='unsigned long fc_addr = gen_pool_alloc({a0}, 64);\n'
                                    '\tif (!fc_addr)\n\t\tfc_fail("gen_pool_alloc");'),
    # a frame that is not RAM: refused with a message (docs: vmap_pfn maps nothing here)
    'vmap_pfn': dict(decl='unsigned long fc_pfn = FC_MMIO_START >> PAGE_SHIFT;', args=['&fc_pfn', '1', None]),
    'vunmap_range': dict(decl='void *fc_v = vmalloc(2 * PAGE_SIZE);\n\tif (!fc_v)\n\t\tfc_fail("vmalloc");',
                         args=['(unsigned long)fc_v', '(unsigned long)fc_v + 2 * PAGE_SIZE'],
                         cleanup='vfree(fc_v);', api=True),
    'kmemleak_vmalloc': dict(decl='struct vm_struct *fc_vm = get_vm_area(2 * PAGE_SIZE, VM_IOREMAP);\n'
                                  '\tif (!fc_vm)\n\t\tfc_fail("get_vm_area");',
                             args=['fc_vm', 'PAGE_SIZE', None], api=True,
                             cleanup='kmemleak_free(fc_vm->addr);\n\tfree_vm_area(fc_vm);'),
    **{f: dict(decl='void *fc_v = vmalloc_user(2 * PAGE_SIZE);\n'
                    '\tvoid *fc_u = mmap(NULL, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);\n'
                    '\tstruct vm_area_struct fc_vma = { .vm_start = (unsigned long)fc_u,\n'
                    '\t\t.vm_end = (unsigned long)fc_u + 2 * PAGE_SIZE, .vm_page_prot = PAGE_KERNEL };\n'
                    '\tif (!fc_v || fc_u == MAP_FAILED)\n\t\tfc_fail("vmalloc_user");',
               args=(['&fc_vma', 'fc_v', '0'] if f == 'remap_vmalloc_range' else
                     ['&fc_vma', '(unsigned long)fc_u', 'fc_v', '0', '2 * PAGE_SIZE']), api=True,
               cleanup='if ({r})\n\t\tfc_fail("%s");\n\tmunmap(fc_u, 2 * PAGE_SIZE);\n\tvfree(fc_v);' % f)
       for f in ('remap_vmalloc_range', 'remap_vmalloc_range_partial')},
    # the device model: buses, roots, drivers and platform devices of the test's own
    'bus_unregister': dict(decl='static __thread struct bus_type fc_bus;\n\tstatic __thread char fc_busname[32];\n'
                                '\tmemset(&fc_bus, 0, sizeof(fc_bus));\n'
                                '\tsnprintf(fc_busname, sizeof(fc_busname), "fcbus%lx", (unsigned long)pthread_self());\n'
                                '\tfc_bus.name = fc_busname;\n\tif (bus_register(&fc_bus))\n\t\tfc_fail("bus_register");',
                           args=['&fc_bus'], api=True),
    'root_device_register': dict(decl=_FC_NAME, args=['fc_name'], value=True,
                                 cleanup='if (IS_ERR({r}))\n\t\tfc_fail("root_device_register");\n'
                                         '\troot_device_unregister({r});'),
    'root_device_unregister': dict(decl=_FC_NAME + '\n\tstruct device *fc_root = root_device_register(fc_name);\n'
                                   '\tif (IS_ERR(fc_root))\n\t\tfc_fail("root_device_register");',
                                   args=['fc_root'], api=True),
    'device_bind_driver': dict(pre='device_lock({a0});\n\t({a0})->driver = &fc_drv.driver;',
                               decl=FC_PDRV_DECL.replace('{v}', 'fc_drv') +
                               '\n\tif (platform_driver_register(&fc_drv))\n\t\tfc_fail("platform_driver_register");',
                               cleanup='device_unlock({a0});\n\tif ({r})\n\t\tfc_fail("device_bind_driver");\n'
                                       '\tdevice_release_driver({a0});\n\tplatform_driver_unregister(&fc_drv);'),
    'device_match_devt': dict(args=[None, '&fc_a0_pd->dev.devt'],
                              cleanup='if (!{r})\n\t\tfc_fail("device_match_devt");'),
    'device_match_name': dict(args=[None, 'dev_name(&fc_a0_pd->dev)'],
                              cleanup='if (!{r})\n\t\tfc_fail("device_match_name");'),
    # the override string is the platform device's: freed with it
    'driver_set_override': dict(args=[None, '&fc_a0_pd->driver_override', '"fc-nobody"', '9'],
                                cleanup='if ({r} || strcmp(fc_a0_pd->driver_override, "fc-nobody"))\n'
                                        '\t\tfc_fail("driver_set_override");'),
    'platform_find_device_by_driver': dict(args=['NULL', None], cleanup='put_device({r});'),
    '__platform_register_drivers': dict(decl=_FC_PDRVS, args=['fc_drvs', '2', None],
                                        cleanup='if ({r})\n\t\tfc_fail("__platform_register_drivers");\n'
                                                '\tplatform_unregister_drivers(fc_drvs, 2);'),
    'platform_register_drivers': dict(decl=_FC_PDRVS, args=['fc_drvs', '2'], value=True,
                                      cleanup='if ({r})\n\t\tfc_fail("platform_register_drivers");\n'
                                              '\tplatform_unregister_drivers(fc_drvs, 2);'),
    'platform_unregister_drivers': dict(decl=_FC_PDRVS, args=['fc_drvs', '2'], api=True,
                                        pre='if (platform_register_drivers(fc_drvs, 2))\n'
                                            '\t\tfc_fail("platform_register_drivers");'),
    'platform_driver_probe': dict(decl=FC_PDRV_DECL.replace('{v}', 'fc_drv') + '\n\t' + A_PDEV['decl'].replace(
                                      '{v}', 'fc_p').replace('"fc"', 'fc_drv_name'),
                                  args=['&fc_drv', 'fc_probe'], value=True, api=True,
                                  cleanup='if ({r})\n\t\tfc_fail("platform_driver_probe");\n'
                                          '\tplatform_device_unregister(fc_p_pd);\n'
                                          '\tplatform_driver_unregister(&fc_drv);'),
    'platform_add_devices': dict(decl='struct platform_device *fc_pds[2] = {\n'
                                      '\t\tplatform_device_alloc("fc", PLATFORM_DEVID_AUTO),\n'
                                      '\t\tplatform_device_alloc("fc", PLATFORM_DEVID_AUTO) };\n'
                                      '\tif (!fc_pds[0] || !fc_pds[1])\n\t\tfc_fail("platform_device_alloc");',
                                 args=['fc_pds', '2'], api=True,
                                 cleanup='if ({r})\n\t\tfc_fail("platform_add_devices");\n'
                                         '\tplatform_device_unregister(fc_pds[0]);\n'
                                         '\tplatform_device_unregister(fc_pds[1]);'),
    'platform_device_add_resources': dict(
        decl='struct platform_device *fc_pd = platform_device_alloc("fc", PLATFORM_DEVID_AUTO);\n'
             '\tif (!fc_pd)\n\t\tfc_fail("platform_device_alloc");',
        args=['fc_pd', None, '1'], api=True,
        cleanup='if ({r})\n\t\tfc_fail("platform_device_add_resources");\n\tplatform_device_put(fc_pd);'),
    'platform_device_alloc': dict(args=['"fc"', 'PLATFORM_DEVID_AUTO'],
                                  cleanup='if (!{r})\n\t\tfc_fail("platform_device_alloc");\n'
                                          '\tplatform_device_put({r});'),
    'platform_device_register_full': dict(
        decl='const struct platform_device_info fc_info = { .name = "fc", .id = PLATFORM_DEVID_AUTO };',
        args=['&fc_info'],
        cleanup='if (IS_ERR({r}))\n\t\tfc_fail("platform_device_register_full");\n'
                '\tplatform_device_unregister({r});'),
    # printing from a device
    'dev_printk': dict(args=['KERN_INFO', None, '"first call\\n"']),
    'dev_WARN': dict(args=[None, '"first call %d\\n"', '1'], reports=1),
    'dev_WARN_ONCE': dict(args=[None, '1', '"first call %d\\n"', '1'], reports=1),
    # module parameters' operations on a variable of the test's own
    **{'param_set_' + t: dict(decl='%s fc_var = 0;\n'
                                   '\tconst struct kernel_param fc_kp = { .name = "fc", .arg = &fc_var };' % c,
                              args=['"1"', '&fc_kp'],
                              cleanup='if ({r})\n\t\tfc_fail("param_set_%s");' % t)
       for t, c in (('byte', 'unsigned char'), ('short', 'short'), ('ushort', 'unsigned short'),
                    ('int', 'int'), ('uint', 'unsigned int'), ('long', 'long'),
                    ('ulong', 'unsigned long'), ('ullong', 'unsigned long long'),
                    ('hexint', 'unsigned int'), ('bool', 'bool'), ('invbool', 'bool'),
                    ('charp', 'const char *'))},
    **{'param_get_' + t: dict(decl='%s fc_var = %s;\n'
                                   '\tconst struct kernel_param fc_kp = { .name = "fc", .arg = &fc_var };' % (c, v),
                              args=[None, '&fc_kp'],
                              cleanup='if ({r} <= 0)\n\t\tfc_fail("param_get_%s");' % t)
       for t, c, v in (('int', 'int', '1'), ('uint', 'unsigned int', '1'), ('long', 'long', '1'),
                       ('ulong', 'unsigned long', '1'), ('bool', 'bool', 'true'),
                       ('charp', 'const char *', '"first call"'))},
    **{f: dict(decl='char fc_str[16] = "";\n'
                    '\tconst struct kparam_string fc_ks = { .maxlen = sizeof(fc_str), .string = fc_str };\n'
                    '\tconst struct kernel_param fc_kp = { .name = "fc", .str = &fc_ks };',
               args=(['"first call"', '&fc_kp'] if f == 'param_set_copystring' else [None, '&fc_kp']),
               cleanup=('if ({r})\n\t\tfc_fail("%s");' if f == 'param_set_copystring' else
                        'if ({r} < 0)\n\t\tfc_fail("%s");') % f)
       for f in ('param_set_copystring', 'param_get_string')},
})
# Hooks of the constructors and destructors that the initcall and module_param macros define
# at file scope, each for its own static record (the macros are in EXCLUDE above; tests/base
# checks them).
for _n in ('__ukmem_initcall_register', '__ukmem_initcall_unregister'):
    EXCLUDE[_n] = 'internal: called only by the constructor module_init/*_initcall define for their record'
for _n in ('__ukmem_param_register', '__ukmem_param_unregister'):
    EXCLUDE[_n] = 'internal: called only by the constructor module_param* define for their record'
# The same for the KUnit API and the driver-support cores (clk, hwrng, watchdog, time and
# randomness), which landed after the rules above were written: none left (see below).
PENDING_CORES = (
)
EXCLUDE.update({n: 'pending: not yet called validly as a first call (docs/robustness.md)'
                for n in PENDING_CORES})
# The KUnit API and the driver-support cores, called with valid arguments (they were in
# PENDING_CORES).  A struct kunit is initialised as the runner initialises one before a case
# (kunit_init_test), with the runner's landing point for an assertion that leaves the case
# (sigsetjmp; kunit_try_catch_throw lands there), and its resources are released after the
# call (kunit_cleanup).  Each check is called so that it fails (a passing check calls
# nothing in the library): the call must mark the test failed, and an assertion or
# kunit_skip must also leave through the landing point.  A suite is one case
# (fc_kunit_case) run by the runner itself, forked per case as by default.  Clocks are a
# handle on "fc_clk", which the first caller registers; generators and watchdogs are the
# calling thread's own, registered first where the entry point needs that.
A_KUNIT = dict(decl='struct kunit {v};\n\tsigjmp_buf {v}_env;\n'
                    '\tkunit_init_test(&{v}, "fc_test", NULL);\n\t{v}.try_catch.env = &{v}_env;',
               expr='&{v}', cleanup='kunit_cleanup(&{v});', api=True)
FC_SUITE = ('struct kunit_case {v}_cases[] = { KUNIT_CASE(fc_kunit_case), { .run_case = NULL } };\n'
            '\tstruct kunit_suite {v} = { .name = "fc_suite", .test_cases = {v}_cases };')
FC_SUITES = (FC_SUITE.replace('{v}', 'fc_s') + '\n\tstruct kunit_suite *fc_ss[] = { &fc_s };\n'
             '\tchar *fc_argv[] = { "fc", NULL };')
FC_SUITE_OK = 'if (kunit_suite_has_succeeded(&fc_s) != KUNIT_SUCCESS)\n\t\tfc_fail("the suite did not pass");'
FC_LAND = 'if (!sigsetjmp(fc_a0_env, 0))'	# the call runs unless it left the case
FC_NEED0 = 'if ({r})\n\t\tfc_fail("%s failed");'
FC_NEED = 'if (!{r})\n\t\tfc_fail("%s failed");'
A_CLK = dict(decl='struct clk *{v} = fc_clk_get();', expr='{v}', cleanup='clk_put({v});', api=True)
A_HWRNG = dict(decl='char {v}_name[32];\n\tstruct hwrng {v} = { .name = {v}_name, .read = fc_hwrng_read };\n'
                    '\tsnprintf({v}_name, sizeof({v}_name), "fc_rng%lx", (unsigned long)pthread_self());',
               expr='&{v}')
FC_RNG_REG = 'if (hwrng_register({a%d}))\n\t\tfc_fail("hwrng_register");'
FC_WDT_REG = 'if (watchdog_register_device({a0}))\n\t\tfc_fail("watchdog_register_device");'
FC_WDT_START = FC_WDT_REG + '\n\tif (ukmem_watchdog_start({a0}))\n\t\tfc_fail("ukmem_watchdog_start");'
FC_WDT_DONE = 'ukmem_watchdog_stop({a0});\n\twatchdog_unregister_device({a0});'
# A failing check's arguments after the test, by the check's name.
FC_KUNIT_FAILING = {
    'EQ': ['1', '2'], 'NE': ['1', '1'], 'LT': ['2', '1'], 'LE': ['2', '1'], 'GT': ['1', '2'],
    'GE': ['1', '2'], 'PTR_EQ': ['(const void *)"fc"', 'NULL'], 'PTR_NE': ['NULL', 'NULL'],
    'NULL': ['(const void *)"fc"'], 'NOT_NULL': ['NULL'], 'NOT_ERR_OR_NULL': ['ERR_PTR(-ENOMEM)'],
    'STREQ': ['"a"', '"b"'], 'STRNEQ': ['"a"', '"a"'], 'MEMEQ': ['"ab"', '"ac"', '2'],
    'MEMNEQ': ['"ab"', '"ab"', '2'], 'TRUE': ['0'], 'FALSE': ['1'],
}


def _kunit_failed(name, leaves, status='KUNIT_FAILURE'):
    """The checks after a call that must fail (or skip) the test, and leave it if @leaves."""
    d = dict(cleanup='if (fc_a0.status != %s%s)\n\t\tfc_fail("%s did not %s the test%s");'
             % (status, ' || fc_a0.try_catch.try_result != -EINTR' if leaves else '', name,
                'skip' if status == 'KUNIT_SKIPPED' else 'fail', ' and leave it' if leaves else ''))
    if leaves:
        d['pre'] = FC_LAND
    return d


PARAM_RULES[0:0] = [	# types and macro parameters only the entries below use
    ('struct kunit \\*', None, None, A_KUNIT),
    ('struct kunit_try_catch \\*', None, None, dict(A_KUNIT, expr='&{v}.try_catch')),
    ('struct kunit_suite \\*', None, None, dict(decl=FC_SUITE, expr='&{v}')),
    ('const struct kunit_loc \\*', None, None,
     dict(decl='static const struct kunit_loc {v} = KUNIT_CURRENT_LOC;', expr='&{v}')),
    ('enum kunit_assert_type', None, None, dict(expr='KUNIT_EXPECTATION')),
    ('const char \\*', 'op', None, dict(expr='"=="')),
    ('struct kunit_resource \\*', None, None,
     dict(decl='struct kunit_resource {v};\n\tmemset(&{v}, 0, sizeof({v}));', expr='&{v}')),
    ('kunit_resource_init_t', None, None, dict(expr='fc_kunit_res_init')),
    ('kunit_resource_free_t', None, None, dict(expr='fc_kunit_res_free')),
    ('kunit_resource_match_t', None, None, dict(expr='kunit_resource_instance_match')),
    ('kunit_action_t \\*', None, None, dict(expr='fc_kunit_action')),
    ('', 'test|test_or_suite', 'KUNIT_.*|__KUNIT_.*|kunit_.*', A_KUNIT),
    ('(const )?struct clk \\*', None, None, A_CLK),
    ('struct hwrng \\*', None, None, A_HWRNG),
    ('struct watchdog_device \\*', None, None,
     dict(decl='struct watchdog_device {v};\n\tfc_wdt_init(&{v});', expr='&{v}')),
    ('struct kref \\*', None, None, dict(decl='struct kref {v};\n\tkref_init(&{v});', expr='&{v}')),
    # high enough that the default count (64) taken away leaves it above 0: no warning
    ('refcount_t \\*', None, None, dict(decl='refcount_t {v} = REFCOUNT_INIT(100);', expr='&{v}')),
    ('struct rnd_state \\*', None, None,
     dict(decl='struct rnd_state {v};\n\tprandom_seed_state(&{v}, 42);', expr='&{v}')),
]
OVERRIDES.update({
    # KUnit: the checks, each made to fail
    **{'KUNIT_%s_%s%s' % (k, c, m): dict(args=[None] + a, **_kunit_failed(
        'KUNIT_%s_%s%s' % (k, c, m), k == 'ASSERT'))
       for k in ('EXPECT', 'ASSERT') for c, a in FC_KUNIT_FAILING.items() for m in ('', '_MSG')},
    'KUNIT_FAIL': _kunit_failed('KUNIT_FAIL', False),
    'KUNIT_ASSERT_FAILURE': _kunit_failed('KUNIT_ASSERT_FAILURE', True),
    'KUNIT_FAIL_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION'],
                                 **_kunit_failed('KUNIT_FAIL_ASSERTION', True)),
    'KUNIT_UNARY_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '0', 'true'],
                                  **_kunit_failed('KUNIT_UNARY_ASSERTION', True)),
    'KUNIT_TRUE_MSG_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '0'],
                                     **_kunit_failed('KUNIT_TRUE_MSG_ASSERTION', True)),
    'KUNIT_FALSE_MSG_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '1'],
                                      **_kunit_failed('KUNIT_FALSE_MSG_ASSERTION', True)),
    'KUNIT_BINARY_INT_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '1', '==', '2'],
                                       **_kunit_failed('KUNIT_BINARY_INT_ASSERTION', True)),
    'KUNIT_BINARY_PTR_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '(const void *)"fc"', '==', 'NULL'],
                                       **_kunit_failed('KUNIT_BINARY_PTR_ASSERTION', True)),
    '__KUNIT_BINARY_PTR_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '(const void *)"fc"', '==', 'NULL'],
                                         **_kunit_failed('__KUNIT_BINARY_PTR_ASSERTION', True)),
    'KUNIT_BINARY_STR_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '"a"', '==', '"b"'],
                                       **_kunit_failed('KUNIT_BINARY_STR_ASSERTION', True)),
    'KUNIT_MEM_ASSERTION': dict(args=[None, 'KUNIT_ASSERTION', '"ab"', '==', '"ac"', '2'],
                                **_kunit_failed('KUNIT_MEM_ASSERTION', True)),
    'KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION': dict(
        args=[None, 'KUNIT_ASSERTION', 'NULL'],
        **_kunit_failed('KUNIT_PTR_NOT_ERR_OR_NULL_MSG_ASSERTION', True)),
    '__KUNIT_LEAVE_IF_ASSERT': dict(args=[None, 'KUNIT_ASSERTION'], pre=FC_LAND,
                                    cleanup='if (fc_a0.try_catch.try_result != -EINTR)\n'
                                            '\t\tfc_fail("__KUNIT_LEAVE_IF_ASSERT did not leave");'),
    **{f: _kunit_failed(f, False) for f in ('__kunit_fail_msg', '__kunit_fail_bool', '__kunit_fail_int',
                                            '__kunit_fail_ptr', '__kunit_fail_str',
                                            '__kunit_fail_err_or_null')},
    '__kunit_fail_mem': dict(args=[None, None, None, None, None, '"ab"', None, '"ac"', '2'],
                             **_kunit_failed('__kunit_fail_mem', False)),
    'kunit_skip': _kunit_failed('kunit_skip', True, 'KUNIT_SKIPPED'),
    'kunit_mark_skipped': _kunit_failed('kunit_mark_skipped', False, 'KUNIT_SKIPPED'),
    'kunit_try_catch_throw': dict(pre=FC_LAND, cleanup='if (fc_a0.try_catch.try_result != -EINTR)\n'
                                                       '\t\tfc_fail("kunit_try_catch_throw did not leave");'),
    'kunit_log': dict(args=['KERN_INFO', None, None]),
    'kunit_printk': dict(args=['KERN_INFO', None, None]),
    # KUnit: the test's life, resources and actions
    'kunit_init_test': dict(decl='struct kunit fc_t;', args=['&fc_t', None, 'NULL'],
                            cleanup='if (fc_t.status != KUNIT_SUCCESS || !list_empty(&fc_t.resources))\n'
                                    '\t\tfc_fail("kunit_init_test");'),
    'kunit_cleanup': dict(pre='int fc_ran = 0;\n\tif (kunit_add_action({a0}, fc_kunit_action, &fc_ran))\n'
                              '\t\tfc_fail("kunit_add_action");',
                          cleanup='if (fc_ran != 1 || !list_empty(&({a0})->resources))\n'
                                  '\t\tfc_fail("kunit_cleanup did not release the action");'),
    **{f: dict(cleanup=FC_NEED0 % f) for f in ('kunit_add_action', 'kunit_add_action_or_reset',
                                              '__kunit_add_resource', 'kunit_add_resource',
                                              'kunit_add_named_resource')},
    **{f: dict(args=[None, None, '&fc_ran'],
               pre='int fc_ran = 0;\n\tif (kunit_add_action({a0}, {a1}, &fc_ran))\n\t\tfc_fail("kunit_add_action");',
               cleanup='if (fc_ran != %d)\n\t\tfc_fail("%s");' % (n, f))
       for f, n in (('kunit_remove_action', 0), ('kunit_release_action', 1))},
    'kunit_alloc_and_get_resource': dict(cleanup=FC_NEED % 'kunit_alloc_and_get_resource' +
                                         '\n\tkunit_put_resource({r});'),
    'kunit_alloc_resource': dict(args=[None, None, None, None, '(void *)"fc"'],
                                 cleanup=FC_NEED % 'kunit_alloc_resource'),
    **{f: dict(args=[None, None, '(void *)fc_key'],
               pre='static const char fc_key[] = "fc";\n\tstruct kunit_resource fc_res = { 0 };\n'
                   '\tif (kunit_add_resource({a0}, NULL, NULL, &fc_res, (void *)fc_key))\n'
                   '\t\tfc_fail("kunit_add_resource");',
               cleanup=c)
       for f, c in (('kunit_find_resource', 'if ({r} != &fc_res)\n\t\tfc_fail("kunit_find_resource");\n'
                                            '\tkunit_put_resource({r});'),
                    ('kunit_destroy_resource', FC_NEED0 % 'kunit_destroy_resource'))},
    **{f: dict(pre='struct kunit_resource fc_res = { 0 };\n'
                   '\tif (kunit_add_named_resource({a0}, NULL, NULL, &fc_res, {a1}, NULL))\n'
                   '\t\tfc_fail("kunit_add_named_resource");',
               cleanup=c)
       for f, c in (('kunit_find_named_resource', 'if ({r} != &fc_res)\n\t\tfc_fail("kunit_find_named_resource");\n'
                                                  '\tkunit_put_resource({r});'),
                    ('kunit_destroy_named_resource', FC_NEED0 % 'kunit_destroy_named_resource'))},
    'kunit_remove_resource': dict(pre='if (kunit_add_resource({a0}, NULL, fc_kunit_res_free, {a1}, NULL))\n'
                                      '\t\tfc_fail("kunit_add_resource");',
                                  cleanup='if (!list_empty(&({a0})->resources))\n'
                                          '\t\tfc_fail("kunit_remove_resource");'),
    **{f: dict(decl='struct kunit fc_t;\n\tkunit_init_test(&fc_t, "fc_test", NULL);\n'
                    '\tstruct kunit_resource *fc_res = kunit_alloc_and_get_resource(&fc_t, fc_kunit_res_init,\n'
                    '\t\t\t\t\t\t\tfc_kunit_res_free, GFP_KERNEL, NULL);\n'
                    '\tif (!fc_res)\n\t\tfc_fail("kunit_alloc_and_get_resource");',
               args=['fc_res'], api=True,
               cleanup='if (kref_read(&fc_res->refcount) != %d)\n\t\tfc_fail("%s");\n\t%s'
                       'kunit_cleanup(&fc_t);' % (n, f, 'kunit_put_resource(fc_res);\n\t' * (n - 1)))
       for f, n in (('kunit_get_resource', 3), ('kunit_put_resource', 1))},
    **{f: dict(cleanup=FC_NEED % f) for f in ('kunit_kmalloc', 'kunit_kzalloc', 'kunit_kcalloc',
                                             'kunit_kmalloc_array')},
    'kunit_kfree': dict(args=[None, 'fc_p'],
                        pre='void *fc_p = kunit_kmalloc({a0}, 64, GFP_KERNEL);\n\tif (!fc_p)\n'
                            '\t\tfc_fail("kunit_kmalloc");',
                        cleanup='if (({a0})->status != KUNIT_SUCCESS || !list_empty(&({a0})->resources))\n'
                                '\t\tfc_fail("kunit_kfree");'),
    # KUnit: suites, run by the runner
    'kunit_test_case_num': dict(args=[None, '&fc_a0_cases[0]'],
                                cleanup='if ({r} != 1)\n\t\tfc_fail("kunit_test_case_num");'),
    'kunit_suite_num_test_cases': dict(cleanup='if ({r} != 1)\n\t\tfc_fail("kunit_suite_num_test_cases");'),
    'kunit_suite_has_succeeded': dict(cleanup='if ({r} != KUNIT_SUCCESS)\n\t\tfc_fail("kunit_suite_has_succeeded");'),
    'kunit_run_tests': dict(cleanup='if (kunit_suite_has_succeeded({a0}) != KUNIT_SUCCESS)\n'
                                    '\t\tfc_fail("kunit_run_tests: the suite did not pass");'),
    '__kunit_test_suites_init': dict(decl=FC_SUITES, args=['fc_ss', '1'], cleanup=FC_SUITE_OK),
    '__kunit_test_suites_exit': dict(decl=FC_SUITES, args=['fc_ss', '1']),
    'ukmem_kunit_run_suites': dict(decl=FC_SUITES, args=['fc_ss', 'fc_ss + 1', '1', 'fc_argv'],
                                   cleanup=FC_NEED0 % 'ukmem_kunit_run_suites' + '\n\t' + FC_SUITE_OK),
    'ukmem_kunit_run': dict(decl='char *fc_argv[] = { "fc", NULL };', args=['1', 'fc_argv'],
                            cleanup=FC_NEED0 % 'ukmem_kunit_run'),
    # clocks: prepare and enable counts come in their pairs
    'clk_prepare': dict(cleanup=FC_NEED0 % 'clk_prepare' + '\n\tclk_unprepare({a0});'),
    'clk_unprepare': dict(pre='if (clk_prepare({a0}))\n\t\tfc_fail("clk_prepare");'),
    'clk_enable': dict(pre='if (clk_prepare({a0}))\n\t\tfc_fail("clk_prepare");',
                       cleanup=FC_NEED0 % 'clk_enable' + '\n\tclk_disable({a0});\n\tclk_unprepare({a0});'),
    'clk_disable': dict(pre='if (clk_prepare_enable({a0}))\n\t\tfc_fail("clk_prepare_enable");',
                        cleanup='clk_unprepare({a0});'),
    'clk_prepare_enable': dict(cleanup=FC_NEED0 % 'clk_prepare_enable' + '\n\tclk_disable_unprepare({a0});'),
    'clk_disable_unprepare': dict(pre='if (clk_prepare_enable({a0}))\n\t\tfc_fail("clk_prepare_enable");'),
    'clk_get_rate': dict(cleanup='if ({r} != 1000000)\n\t\tfc_fail("clk_get_rate");'),
    'clk_set_rate': dict(args=[None, '1000000'],
                         cleanup=FC_NEED0 % 'clk_set_rate' + '\n\tif (clk_get_rate({a0}) != 1000000)\n'
                                 '\t\tfc_fail("clk_set_rate");'),
    'clk_round_rate': dict(args=[None, '1000000'], cleanup='if ({r} != 1000000)\n\t\tfc_fail("clk_round_rate");'),
    'clk_is_match': dict(cleanup=FC_NEED % 'clk_is_match'),
    'clk_put': dict(consumes=[0]),
    'devm_clk_put': dict(args=[None, 'fc_clk'],
                         pre='fc_clk_add();\n\tstruct clk *fc_clk = devm_clk_get({a0}, "fc_clk");\n'
                             '\tif (IS_ERR(fc_clk))\n\t\tfc_fail("devm_clk_get");'),
    # hardware random number generators
    'hwrng_register': dict(cleanup=FC_NEED0 % 'hwrng_register' + '\n\thwrng_unregister({a0});'),
    'hwrng_unregister': dict(pre=FC_RNG_REG % 0, api=True),
    'devm_hwrng_register': dict(cleanup=FC_NEED0 % 'devm_hwrng_register'),
    'devm_hwrng_unregister': dict(pre='if (devm_hwrng_register({a0}, {a1}))\n\t\tfc_fail("devm_hwrng_register");'),
    'hwrng_msleep': dict(args=[None, '1'], pre=FC_RNG_REG % 0, api=True,
                         cleanup='if ({r})\n\t\tfc_fail("hwrng_msleep returned early");\n\thwrng_unregister({a0});'),
    'hwrng_yield': dict(pre=FC_RNG_REG % 0, api=True,
                        cleanup='if ({r})\n\t\tfc_fail("hwrng_yield returned early");\n\thwrng_unregister({a0});'),
    # watchdogs: registered first where the entry point needs it, stopped and removed after
    'watchdog_register_device': dict(cleanup=FC_NEED0 % 'watchdog_register_device' +
                                     '\n\twatchdog_unregister_device({a0});'),
    'watchdog_unregister_device': dict(pre=FC_WDT_REG, api=True),
    'devm_watchdog_register_device': dict(cleanup=FC_NEED0 % 'devm_watchdog_register_device'),
    'watchdog_init_timeout': dict(args=[None, '20', 'NULL'],
                                  cleanup='if ({r} || ({a0})->timeout != 20)\n\t\tfc_fail("watchdog_init_timeout");'),
    'watchdog_set_restart_priority': dict(cleanup='if (({a0})->restart_nb.priority != 64)\n'
                                                  '\t\tfc_fail("watchdog_set_restart_priority");'),
    'watchdog_notify_pretimeout': dict(pre=FC_WDT_REG, api=True, cleanup='watchdog_unregister_device({a0});'),
    'ukmem_watchdog_start': dict(pre=FC_WDT_REG, api=True,
                                 cleanup=FC_NEED0 % 'ukmem_watchdog_start' + '\n\tif (!watchdog_active({a0}))\n'
                                         '\t\tfc_fail("ukmem_watchdog_start: not active");\n\t' + FC_WDT_DONE),
    'ukmem_watchdog_stop': dict(pre=FC_WDT_START, api=True,
                                cleanup=FC_NEED0 % 'ukmem_watchdog_stop' + '\n\tif (watchdog_active({a0}))\n'
                                        '\t\tfc_fail("ukmem_watchdog_stop: still active");\n\t' + FC_WDT_DONE),
    'ukmem_watchdog_ping': dict(pre=FC_WDT_START, api=True,
                                cleanup=FC_NEED0 % 'ukmem_watchdog_ping' + '\n\t' + FC_WDT_DONE),
    'ukmem_watchdog_set_timeout': dict(args=[None, '20'], pre=FC_WDT_START, api=True,
                                       cleanup='if ({r} || ({a0})->timeout != 20)\n'
                                               '\t\tfc_fail("ukmem_watchdog_set_timeout");\n\t' + FC_WDT_DONE),
    # time, randomness and references
    'ssleep': dict(args=['0']),		# a whole second would cost every run a second
    'time_is_after_jiffies': dict(args=['jiffies + 60 * HZ'], value=True, cleanup=FC_NEED % 'time_is_after_jiffies'),
    'time_is_after_eq_jiffies': dict(args=['jiffies + 60 * HZ'], value=True,
                                     cleanup=FC_NEED % 'time_is_after_eq_jiffies'),
    # The macros read jiffies again, before or after their argument (the order is the
    # compiler's): an argument a whole second away holds across a tick between the two reads.
    'time_is_before_jiffies': dict(args=['jiffies - HZ'], value=True, cleanup=FC_NEED % 'time_is_before_jiffies'),
    'time_is_before_eq_jiffies': dict(args=['jiffies - HZ'], value=True,
                                      cleanup=FC_NEED % 'time_is_before_eq_jiffies'),
    **{f: dict(decl='char fc_buf[64];', args=['fc_buf', '64']) for f in ('get_random_bytes', 'get_random_bytes_wait')},
    'prandom_bytes_state': dict(decl='char fc_buf[64];', args=[None, 'fc_buf', '64']),
    'kref_get': dict(cleanup='if (kref_read({a0}) != 2)\n\t\tfc_fail("kref_get");'),
    'kref_put': dict(args=[None, 'fc_kref_release'], cleanup='if ({r} != 1)\n\t\tfc_fail("kref_put");'),
    # the last put returns with the lock held (the release function would drop it)
    'kref_put_mutex': dict(args=[None, 'fc_kref_release', None],
                           cleanup='if ({r} != 1)\n\t\tfc_fail("kref_put_mutex");\n\tmutex_unlock({a2});'),
    'kref_put_lock': dict(args=[None, 'fc_kref_release', None],
                          cleanup='if ({r} != 1)\n\t\tfc_fail("kref_put_lock");\n\tspin_unlock({a2});'),
})
# Called by the constructor <linux/percpu-defs.h> adds to every file, with that file's own
# section bounds: there are no valid arguments a test can make up.
EXCLUDE['__ukmem_percpu_section'] = 'constructor-only: takes the bounds of an ELF section (tests/mm/test_percpu)'
# Called by the inline refcount_t operations when they find a count gone wrong: it warns and
# saturates the count on purpose (tests/lib/test_refcount).
EXCLUDE['refcount_warn_saturate'] = 'internal to refcount_t: warns about a count gone wrong, on purpose'
# The loop the read_poll_timeout forms share; it is called through them (their rules).
EXCLUDE['__ukmem_poll_loop'] = 'internal: the shared loop of read_poll_timeout and its _atomic form'
# Declared for upstream library code that brings its own body (lib/memcat_p.c is compiled
# with the program that uses it, as in the kernel tree), not part of ukmem.
for _n in ('__memcat_p', 'memcat_p'):
    EXCLUDE[_n] = 'defined by lib/memcat_p.c, which the program builds (not part of ukmem)'
# Calls whose default arguments were not valid (they crashed now and then: docs/robustness.md).
# The walk's callback is called for the drivers after this thread's own, which other threads
# register and unregister meanwhile: a NULL one crashed whenever the walk met one.  The same
# holds for the devices after this thread's own.
OVERRIDES['bus_for_each_drv'] = dict(args=[None, None, None, 'fc_drv_visit'])
OVERRIDES['bus_for_each_dev'] = dict(args=[None, None, None, 'fc_dev_visit'])
OVERRIDES['bus_find_device'] = dict(args=[None, None, None, 'fc_dev_match'])
# One resource, not the default count of 64 (kmemdup read 63 more past it, off the stack's
# end now and then); each racing thread a page of its own and an automatic id; given back.
FC_RES_OWN = ('static int fc_res_next;\n\tstruct resource fc_res = DEFINE_RES_MEM_NAMED(FC_RES_START'
              ' + 0x1000 * __atomic_fetch_add(&fc_res_next, 1, __ATOMIC_RELAXED), 0x1000, "fc");')
FC_PDEV_OWN = dict(decl=FC_RES_OWN, cleanup='if (IS_ERR({r}))\n\t\tfc_fail("no device");\n'
                   '\tplatform_device_unregister({r});')
OVERRIDES['platform_device_register_simple'] = dict(
    FC_PDEV_OWN, args=[None, 'PLATFORM_DEVID_AUTO', '&fc_res', '1'])
OVERRIDES['platform_device_register_resndata'] = dict(
    FC_PDEV_OWN, args=[None, None, 'PLATFORM_DEVID_AUTO', '&fc_res', '1'])

# Wait queues and completions (<linux/wait.h>, <linux/completion.h>): each racing thread its
# own, initialised; a completion is completed first, so that every wait on it passes.
A_WQ = dict(decl='static __thread struct wait_queue_head {v};\n\tinit_waitqueue_head(&{v});',
            expr='&{v}')
A_COMPLETION = dict(decl='static __thread struct completion {v};\n\tinit_completion(&{v});'
                         '\n\tcomplete(&{v});', expr='&{v}')
PARAM_RULES[0:0] = [
    ('struct wait_queue_head \\*', None, None, A_WQ),
    ('struct completion \\*', None, None, A_COMPLETION),
    ('', 'wq_head', 'wait_event.*|__ukmem_wait_event.*', dict(A_WQ, expr='{v}')),
    ('', 'x', 'wake_up.*', A_WQ),
    ('', 'nr', 'wake_up.*', dict(expr='1')),
    ('', 'work', 'COMPLETION_INITIALIZER_ONSTACK',
     dict(decl='struct completion {v};', expr='{v}')),
    ('', 'timeout', 'wait_event.*|__ukmem_wait_event.*', dict(expr='1')),
    ('', 'condition', 'wait_event.*|__ukmem_wait_event.*', dict(expr='1')),	# else: for ever
]
# Tasks and kernel threads (<linux/sched.h>, <linux/sched/task.h>, <linux/kthread.h>): a task
# is a kthread of the racing thread's own, created (not woken) for the call and stopped after
# it.  The questions a kthread asks about itself, asked outside one, are to_kthread()'s
# WARNING (once); kthread_exit() ends the calling thread.
A_TASK = dict(decl='struct task_struct *{v} = kthread_create(fc_kthread_fn, NULL, "fc-kthread");'
                   '\n\tif (IS_ERR({v}))\n\t\tfc_fail("kthread_create");',
              expr='{v}', cleanup='kthread_stop({v});', api=True)
PARAM_RULES[0:0] = [('struct task_struct \\*', None, None, A_TASK)]
FC_KTHREAD_STOP = 'if (IS_ERR({r}))\n\t\tfc_fail("no kthread");\n\tkthread_stop({r});'
OVERRIDES['kthread_create_on_node'] = dict(
    args=['fc_kthread_fn', 'NULL', 'NUMA_NO_NODE', '"fc-kthread"'], cleanup=FC_KTHREAD_STOP)
OVERRIDES['kthread_create_on_cpu'] = dict(
    args=['fc_kthread_fn', 'NULL', '0', '"fc-kthread/%u"'], cleanup=FC_KTHREAD_STOP)
OVERRIDES['kthread_run_on_cpu'] = dict(OVERRIDES['kthread_create_on_cpu'])
OVERRIDES['kthread_create'] = dict(args=['fc_kthread_fn', 'NULL', '"fc-kthread/%d"', '1'],
                                   value=True, cleanup=FC_KTHREAD_STOP)
OVERRIDES['kthread_run'] = dict(OVERRIDES['kthread_create'])
OVERRIDES['set_current_state'] = dict(args=['TASK_RUNNING'])
OVERRIDES['__set_current_state'] = dict(args=['TASK_RUNNING'])
OVERRIDES['kthread_stop'] = dict(consumes=[0])
OVERRIDES['kthread_bind'] = dict(args=[None, '0'])
OVERRIDES['wake_up_state'] = dict(args=[None, 'TASK_NORMAL'])
OVERRIDES['get_task_struct'] = dict(cleanup='put_task_struct({a0});')
OVERRIDES['put_task_struct'] = dict(pre='get_task_struct({a0});')
# <linux/string.h>'s helpers: one element to fill (the default count ran past the variable);
# a two-string array to search.
for _n in ('memset16', 'memset32', 'memset64'):
    OVERRIDES[_n] = dict(args=[None, None, '1'])
FC_STRS = 'static const char *const fc_strs[] = { "a", "b" };'
for _n in ('match_string', '__sysfs_match_string'):
    OVERRIDES[_n] = dict(decl=FC_STRS, args=['fc_strs', '2', '"b"'])
OVERRIDES['sysfs_match_string'] = dict(decl=FC_STRS, args=['fc_strs', '"b"'], value=True)
# <linux/string_helpers.h>: the escapers read the default string's own 7 bytes (not the
# default count); the unescapers get a NUL-terminated escaped string to work on (the default
# char * buffer is not initialised, and the in-place forms have no bound); kfree_strarray
# frees what kasprintf_strarray made.
OVERRIDES['string_escape_mem'] = dict(args=[None, '7', None, None, None, None])
OVERRIDES['string_escape_mem_any_np'] = dict(args=[None, '7', None, None, None])
FC_ESC = 'char fc_esc[16] = "a\\\\tb\\\\x41";'
OVERRIDES['string_unescape'] = dict(decl=FC_ESC, args=['fc_esc', None, None, None])
OVERRIDES['string_unescape_any'] = dict(decl=FC_ESC, args=['fc_esc', None, None])
OVERRIDES['string_unescape_inplace'] = dict(decl=FC_ESC, args=['fc_esc', None])
OVERRIDES['string_unescape_any_inplace'] = dict(decl=FC_ESC, args=['fc_esc'])
OVERRIDES['kfree_strarray'] = dict(decl='char **fc_sa = kasprintf_strarray(GFP_KERNEL, "fc", 2);',
                                   args=['fc_sa', '2'], api=True)
for _n in ('kthread_should_stop', 'kthread_should_park', 'kthread_parkme',
           'kthread_freezable_should_stop'):
    OVERRIDES[_n] = dict(reports=1)
for _n in ('kthread_exit', 'kthread_complete_and_exit'):
    EXCLUDE[_n] = 'ends the calling thread, a kthread (tests/lib/test_kthread.c)'

# The waiting side's pieces, which the wait_event macros call in order (their rules).
for _n in ('__ukmem_wait_ticket', '__ukmem_wait_untick', '__ukmem_wait_sleep', '__ukmem_wait_event',
           '__ukmem_wait_event_state', '__ukmem_wait_event_in', '__ukmem_wait_event_timeout_in'):
    EXCLUDE[_n] = 'internal: the steps of the wait_event macros, called through them'



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
        post = o.get('cleanup')
        if post is None:
            post = _first(RESULT_CLEANUP, name)
            if post and post.split('(')[0] in FREES and kind != 'macro' and '*' not in ret:
                post = None		# not an allocation after all (kmalloc_size_roundup)
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
