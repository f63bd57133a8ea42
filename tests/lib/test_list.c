/* SPDX-License-Identifier: MIT */
/*
 * <linux/list.h> beyond add and delete, against 6.1's definitions: rotation, cutting a list
 * in two (list_cut_position, list_cut_before, with their empty and singular cases), swapping
 * entries (adjacent ones too), list_replace_init, the continue/from/safe iterators and the
 * circular neighbours; hash-list insertion before and behind a node and moving a whole hash
 * list.  Each list is checked by the order of its values, both ways round.
 */
#include <linux/list.h>
#include <linux/kernel.h>
#include "ktest.h"

struct item {
	int v;
	struct list_head node;
	struct hlist_node hnode;
};

static struct item items[6];

/* The values of @head in order, as digits; checks the prev links agree. */
static const char *order(struct list_head *head)
{
	static char text[16];
	struct item *it;
	int n = 0;

	list_for_each_entry(it, head, node)
		text[n++] = (char)('0' + it->v);
	text[n] = '\0';
	list_for_each_entry_reverse(it, head, node)
		KT_EQ(text[--n], '0' + it->v);
	return text;
}

static void fill(struct list_head *head, int count)
{
	INIT_LIST_HEAD(head);
	for (int i = 0; i < count; i++) {
		items[i].v = i;
		list_add_tail(&items[i].node, head);
	}
}

static void rotate_and_swap(void)
{
	LIST_HEAD(head);
	LIST_HEAD(empty);

	fill(&head, 5);
	list_rotate_left(&head);
	KT_EQ(strcmp(order(&head), "12340"), 0);
	list_rotate_to_front(&items[3].node, &head);
	KT_EQ(strcmp(order(&head), "34012"), 0);
	list_rotate_left(&empty);
	KT_ASSERT(list_empty(&empty));
	list_swap(&items[4].node, &items[0].node);		/* adjacent */
	KT_EQ(strcmp(order(&head), "30412"), 0);
	list_swap(&items[3].node, &items[2].node);		/* the ends */
	KT_EQ(strcmp(order(&head), "20413"), 0);
	KT_ASSERT(list_is_first(&items[2].node, &head) && list_is_last(&items[3].node, &head));
	KT_ASSERT(list_is_head(&head, &head) && !list_is_head(&items[2].node, &head));

	items[5].v = 5;
	list_replace_init(&items[0].node, &items[5].node);
	KT_EQ(strcmp(order(&head), "25413"), 0);
	KT_ASSERT(list_empty(&items[0].node) && list_empty_careful(&items[0].node));
}

static void cut(void)
{
	LIST_HEAD(head);
	LIST_HEAD(part);

	fill(&head, 5);
	list_cut_position(&part, &head, &items[1].node);
	KT_EQ(strcmp(order(&part), "01"), 0);
	KT_EQ(strcmp(order(&head), "234"), 0);
	list_cut_position(&part, &head, &head);			/* none: part emptied */
	KT_ASSERT(list_empty(&part));
	KT_EQ(strcmp(order(&head), "234"), 0);
	list_cut_before(&part, &head, &items[4].node);
	KT_EQ(strcmp(order(&part), "23"), 0);
	KT_EQ(strcmp(order(&head), "4"), 0);
	list_cut_position(&part, &head, &items[2].node);	/* singular, not its entry */
	KT_EQ(strcmp(order(&part), "23"), 0);
	KT_EQ(strcmp(order(&head), "4"), 0);
	list_cut_before(&part, &head, &items[4].node);		/* before the first: none */
	KT_ASSERT(list_empty(&part));
	list_cut_position(&part, &head, &items[4].node);	/* singular, its entry */
	KT_EQ(strcmp(order(&part), "4"), 0);
	KT_ASSERT(list_empty(&head));
	list_splice_tail_init(&part, &head);
	KT_EQ(strcmp(order(&head), "4"), 0);
	KT_ASSERT(list_empty(&part));
}

static void iterate(void)
{
	LIST_HEAD(head);
	struct list_head *pos, *n;
	struct item *it, *next, *none = NULL;
	int sum = 0, count = 0;

	fill(&head, 5);
	it = &items[2];
	list_for_each_entry_continue_reverse(it, &head, node)
		sum = sum * 10 + it->v;
	KT_EQ(sum, 10);
	it = &items[3];
	sum = 0;
	list_for_each_entry_from(it, &head, node)
		sum = sum * 10 + it->v;
	KT_EQ(sum, 34);
	it = &items[0];
	list_for_each_entry_safe_continue(it, next, &head, node)
		if (it->v % 2)
			list_del(&it->node);
	KT_EQ(strcmp(order(&head), "024"), 0);
	it = &items[2];
	list_for_each_entry_safe_from(it, next, &head, node)
		list_move(&it->node, &head);
	KT_EQ(strcmp(order(&head), "420"), 0);
	list_for_each_prev_safe(pos, n, &head)
		count++;
	KT_EQ(count, 3);
	pos = head.next;
	list_for_each_continue(pos, &head)
		count++;
	KT_EQ(count, 5);
	KT_ASSERT(list_prepare_entry(none, &head, node) == list_entry(&head, struct item, node));
	KT_ASSERT(list_prepare_entry(&items[0], &head, node) == &items[0]);
	KT_EQ(list_next_entry_circular(&items[0], &head, node)->v, 4);
	KT_EQ(list_prev_entry_circular(&items[4], &head, node)->v, 0);
	KT_EQ(list_next_entry_circular(&items[4], &head, node)->v, 2);
}

static void hash_lists(void)
{
	HLIST_HEAD(h);
	HLIST_HEAD(moved);
	struct hlist_node *pos, *n;
	struct item *it;
	int sum = 0;

	for (int i = 0; i < 4; i++)
		items[i].v = i;
	hlist_add_head(&items[2].hnode, &h);
	KT_ASSERT(hlist_is_singular_node(&items[2].hnode, &h));
	hlist_add_before(&items[0].hnode, &items[2].hnode);
	hlist_add_behind(&items[3].hnode, &items[2].hnode);
	hlist_add_behind(&items[1].hnode, &items[0].hnode);
	KT_ASSERT(!hlist_is_singular_node(&items[0].hnode, &h));
	hlist_for_each_entry(it, &h, hnode)
		sum = sum * 10 + it->v;
	KT_EQ(sum, 123);			/* 0123 */
	hlist_move_list(&h, &moved);
	KT_ASSERT(hlist_empty(&h));
	sum = 0;
	hlist_for_each_safe(pos, n, &moved) {
		sum = sum * 10 + hlist_entry(pos, struct item, hnode)->v;
		hlist_del(pos);
	}
	KT_EQ(sum, 123);
	KT_ASSERT(hlist_empty(&moved));
	hlist_add_head(&items[1].hnode, &moved);
	hlist_for_each(pos, &moved)
		KT_ASSERT(pos == &items[1].hnode && pos->pprev == &moved.first);
}

int main(void)
{
	rotate_and_swap();
	cut();
	iterate();
	hash_lists();
	printf("test_list: ok\n");
	return 0;
}
