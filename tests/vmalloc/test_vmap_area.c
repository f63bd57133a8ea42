/* SPDX-License-Identifier: MIT */
/*
 * The address-space allocator under random sizes and alignments: every area lies in the
 * window, is aligned as asked, and overlaps no other live area (guard pages included);
 * alignments that no address of the window has fail cleanly; once everything is freed the
 * free spans have merged back into one, so the whole window can be reserved at once.
 */
#include "vmtest.h"

#define SLOTS	512
#define OPS	12000

struct slot {
	char *p;
	unsigned long start, end;	/* the span, guard page included */
};

static unsigned int next_rand(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static int cmp_slot(const void *a, const void *b)
{
	const struct slot *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static void check_disjoint(const struct slot *slots)
{
	struct slot live[SLOTS];
	int n = 0;

	for (int i = 0; i < SLOTS; i++)
		if (slots[i].p)
			live[n++] = slots[i];
	qsort(live, n, sizeof(live[0]), cmp_slot);
	for (int i = 1; i < n; i++)
		if (live[i].start < live[i - 1].end)
			KT_FAIL("areas [%lx, %lx) and [%lx, %lx) overlap", live[i - 1].start,
				live[i - 1].end, live[i].start, live[i].end);
}

int main(void)
{
	static struct slot slots[SLOTS];
	unsigned int seed = 88172645;
	struct vm_struct *all;

	KT_EQ(ukmem_init(""), 0);
	for (int op = 0; op < OPS; op++) {
		struct slot *s = &slots[next_rand(&seed) % SLOTS];

		if (s->p) {
			if (s->p[0] != (char)(s - slots) || s->p[s->end - s->start - PAGE_SIZE - 1] != 7)
				KT_FAIL("area %p lost its content", s->p);
			vfree(s->p);
			s->p = NULL;
			continue;
		}
		{
			unsigned long pages = next_rand(&seed) % 64 + 1;
			unsigned int shift = 12 + next_rand(&seed) % 13;	/* up to 16 MiB */
			unsigned long align = 1UL << shift;

			struct vm_struct *vm;

			s->p = __vmalloc_node(pages << PAGE_SHIFT, align, GFP_KERNEL, NUMA_NO_NODE,
					      __builtin_return_address(0));
			if (!s->p)
				KT_FAIL("op %d: %lu pages aligned to 2^%u: no area", op, pages, shift);
			vm = find_vm_area(s->p);
			KT_ASSERT(vm && vm->addr == s->p);
			s->start = (unsigned long)s->p;
			s->end = s->start + vm->size;
			KT_EQ(s->start % align, 0);
			KT_EQ(vm->size, (pages + 1) << PAGE_SHIFT);
			KT_ASSERT(is_vmalloc_addr((void *)(s->end - 1)));
			KT_ASSERT(find_vm_area((void *)(s->end - 1)) == vm);
			s->p[0] = (char)(s - slots);
			s->p[(pages << PAGE_SHIFT) - 1] = 7;
		}
		if (op % 1000 == 0)
			check_disjoint(slots);
	}
	check_disjoint(slots);
	for (int i = 0; i < SLOTS; i++)
		vfree(slots[i].p);
	vm_unmap_aliases();
	/* Everything merged back: the whole window in one piece. */
	all = get_vm_area(VMALLOC_TOTAL, VM_NO_GUARD);
	KT_ASSERT(all);
	KT_EQ((unsigned long)all->addr, VMALLOC_START);
	KT_ASSERT(get_vm_area(PAGE_SIZE, 0) == NULL);		/* full */
	free_vm_area(all);
	all = get_vm_area(VMALLOC_TOTAL, VM_NO_GUARD);
	KT_ASSERT(all);
	free_vm_area(all);
	/* A 64 GiB window always holds a multiple of 32 GiB. */
	if (VMALLOC_TOTAL >= (1UL << 36)) {
		char *p = __vmalloc_node(PAGE_SIZE, 1UL << 35, GFP_KERNEL, NUMA_NO_NODE,
					 __builtin_return_address(0));

		KT_ASSERT(p);
		KT_EQ((unsigned long)p % (1UL << 35), 0);
		*p = 1;
		vfree(p);
	}
	printf("test_vmap_area: ok\n");
	return 0;
}
