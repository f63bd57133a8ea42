#!/usr/bin/env python3
"""Writes the driver half's hand-made seeds (tests/fuzz/seeds/dev*): each a list of calls, an
opcode byte (240 + the driver-half operation, fuzz_dev.c's fz_dev_op) and its argument bytes in
the order the decoder reads them.  Run from the repository root; the output is deterministic."""
import random

R = random.Random(12)
DEV = 240


def rb():
    return R.randrange(256)


def size(shift_max_byte):            # fz_size_of: a shift byte and a jitter byte
    return [shift_max_byte, rb()]


def devm_alloc(dev, how, shift=8, n=3): return [DEV + 0, dev, how] + size(shift) + [n]
def devm_krealloc(pick, big, dev): return [DEV + 2, pick, big] + size(R.randrange(12)) + [dev]
def devm_kfree(pick): return [DEV + 3, pick]
def action(how, b, dev): return [DEV + 4, how, b, dev]
def group(how, b, dev, by_id): return [DEV + 5, how, b, dev, by_id]
def life(how, dev): return [DEV + 6, how, dev]
def ioremap(region, how, dev, off, length):
    return [DEV + 7, region, how, dev, off >> 8, off & 255, length >> 8, length & 255]
def iounmap(pick, inside): return [DEV + 8, pick, inside]
def mmio(pick, how, at, n, v, v2): return [DEV + 9, pick, how, at >> 8, at & 255, n, v, v2]
def coherent(how, dev, shift, pick=0):
    return [DEV + 10, how, dev] + size(shift) + ([pick] if how % 3 == 2 else [])
def dma_map(dev, dir, big, shift, gfp): return [DEV + 11, dev, dir, big] + size(shift) + [gfp]
def dma_sync(pick, how, off, length): return [DEV + 12, pick, how, off, length]
def dma_io(pick, how, off, length, v): return [DEV + 13, pick, how, off >> 8, off & 255, length, v]
def pool(how, ab, bb, dev, shift): return [DEV + 14, how, ab, bb, dev] + size(shift)
def pool_block(how, b): return [DEV + 14, how, b]
def wrong(how, b, pick): return [DEV + 15, how, b, pick]


def setup():
    s = []
    for d in (0, 1):
        s += devm_alloc(d, 0) + devm_alloc(d, 1, 10) + devm_alloc(d, 2, 4, 5)
        s += action(0, d, d) + group(0, d, d, 1) + devm_alloc(d, 3, 6) + action(1, 5, d)
        s += group(2, 0, d, 0) + group(0, d, d, 0) + devm_alloc(d, 0, 5)
    s += ioremap(0, 0, 0, 0x1234, 0x2000) + ioremap(1, 3, 1, 0x10, 0x1000)
    s += ioremap(2, 1, 0, 0, 0x100)
    s += coherent(0, 0, 13) + coherent(1, 1, 12) + coherent(0, 1, 14)
    for d in (0, 1):
        for dr in (0, 1, 2):
            s += dma_map(d, dr, 0, 12, 1) + dma_map(d, dr, 1, 14, 0)
    s += pool(0, 3, 1, 0, 6) + pool(0, 6, 2, 1, 9)
    for _ in range(4):
        s += pool_block(2, rb()) + pool_block(3, rb())
    return s


def rand_call(op):
    return [DEV + op] + [rb() for _ in range(9)]


seeds = {}
seeds['dev_devres'] = (devm_alloc(0, 0) + devm_alloc(1, 1) + devm_krealloc(0, 1, 0) +
                       action(0, 0, 0) + group(0, 0, 0, 1) + devm_alloc(0, 2) +
                       action(1, 0, 0) + group(1, 0, 0, 0) + devm_alloc(0, 3) +
                       group(2, 0, 0, 0) + devm_alloc(0, 0) + group(4, 0, 0, 1) +
                       devm_kfree(1) + action(2, 0, 0) + life(0, 0) + life(2, 1) +
                       devm_alloc(1, 0) + life(3, 1) + devm_alloc(1, 1) + life(1, 1))
seeds['dev_groups'] = (group(0, 0, 0, 1) + devm_alloc(0, 0) + group(0, 0, 0, 1) +
                       action(0, 0, 0) + group(1, 0, 0, 1) + action(1, 0, 0) +
                       group(2, 1, 0, 1) + devm_alloc(0, 1) + group(2, 0, 0, 0) +
                       action(0, 0, 0) + group(4, 0, 0, 1) + group(3, 1, 0, 1) +
                       group(0, 0, 1, 1) + action(0, 0, 1) + group(4, 0, 1, 0) +
                       group(0, 0, 0, 1) + action(1, 0, 0) + life(0, 0))
seeds['dev_io'] = (ioremap(0, 0, 0, 0, 0x10000) + ioremap(0, 2, 0, 0x0ffd, 0x20) +
                   ioremap(1, 3, 0, 0x7ff, 0x801) + ioremap(2, 1, 1, 0x10, 0x80))
io = []
for h in range(8):
    for k in range(4):
        io += mmio(k, h, R.randrange(0x4000), rb(), rb(), rb())
for at in (1, 2, 3, 6):             # unaligned block accesses to the callback device (map 3)
    io += mmio(3, 4, at, 5, 0x30 + at, 0) + mmio(3, 7, at, 5, 0, 0)
    io += mmio(3, 5, at + 8, 5, 0x40 + at, 0) + mmio(3, 7, 0, 40, 0, 0)
seeds['dev_io'] += io + iounmap(1, 7) + life(0, 0) + ioremap(2, 3, 1, 0, 0x100) + \
    mmio(3, 2, 0x40, 1, 0x5a, 7) + life(3, 1)
dma = setup()
for _ in range(40):
    dma += dma_io(rb(), rb() % 3, R.randrange(0x3000), rb(), rb())
    dma += dma_sync(rb(), 1 + rb() % 3, rb(), rb())
dma += dma_sync(0, 0, 0, 0) + coherent(2, 0, 0, 5) + life(0, 1) + life(0, 0)
seeds['dev_dma'] = dma
# Bounced mappings on fuzz_dev.1 (kmalloc memory above 4 GiB, 32-bit masks) in slots 0..2
# (bidirectional, to the device, from the device), direct ones on fuzz_dev.0 in 3..5: the
# device and the CPU write, syncs and unmaps, each read back on both sides.
bo = []
for d in (1, 0):
    bo += dma_map(d, 0, 0, 10, 1) + dma_map(d, 1, 0, 9, 1) + dma_map(d, 2, 0, 11, 1)
for base in (0, 3):
    bo += dma_io(base, 1, 0, 100, 0x11) + dma_io(base + 2, 1, 5, 50, 0x22)
    bo += dma_io(base, 0, 0, 255, 0) + dma_io(base + 1, 2, 3, 40, 0x33)
    bo += dma_io(base + 1, 0, 0, 255, 0) + dma_sync(base + 1, 2, 0, 0)
    bo += dma_io(base + 1, 0, 0, 255, 0) + dma_sync(base + 2, 3, 1, 9)
    bo += dma_sync(base + 2, 1, 0, 0) + dma_io(base, 2, 7, 20, 0x44)
    bo += dma_sync(base, 3, 2, 30) + dma_sync(base, 3, 3, 30) + dma_io(base, 1, 9, 80, 0x55)
for k in range(6):
    bo += dma_sync(k, 0, 0, 0)
seeds['dev_bounce'] = bo
pl = setup()
for _ in range(20):
    pl += pool_block(2 + rb() % 4, rb())
pl += pool(1, 0, 0, 0, 0) + pool(0, 7, 3, 0, 2) + pool_block(3, 0) + life(3, 0)
seeds['dev_pool'] = pl
wr = setup()
for h in range(14):
    for _ in range(6):
        wr += wrong(h, rb(), rb())
seeds['dev_wrong'] = wr
for op in range(16):
    s = setup()
    for _ in range(12):
        s += rand_call(op)
    seeds['devop%02d' % op] = s

for name, data in seeds.items():
    with open('tests/fuzz/seeds/' + name, 'wb') as f:
        f.write(bytes(b & 255 for b in data))
