#!/usr/bin/env python3
"""Cycles per loop iteration of the native kernels, counted in Xtensa (lx106) disassembly.

Used by scripts/xtensa-estimate.sh, which compiles native/onebit_kernels with Debian's xtensa-lx106-elf-gcc and passes
the objects here. For every function it finds the natural loops of the control-flow graph (back edges to a dominating
block) and their nesting, and prices one iteration of each loop's own blocks (its blocks minus those of its inner
loops, whose iterations are priced separately): the longest path from the loop header to a back edge, with inner
loops as free nodes, either over all paths or only over the paths that avoid (or enter) the inner loops, so that a
loop body with two exclusive arms (the residual's identity and pooled shortcut, the quantizer's affine and threshold
modes) is priced arm by arm. The cycle assumptions are the constants below; docs/xtensa-estimate.md explains them.

Output (stdout): the table native/onebit_kernels/xtensa/xtensa-cycles.tsv, one row per (optimisation level, role):
  opt  role  insns  loads  stores  branches  calls  cycles
where role names a loop of a kernel (conv.b2.word, residual.identity ...) whose iteration count the C# cost model
(host-tools/OneBit.Conversion/Inspection/XtensaCostModel.cs) derives from the layer shapes, and cycles is what the
assumptions give for one iteration (calls included). `--tree` prints every function's loop tree instead.
"""
import collections
import functools
import re
import subprocess
import sys

OBJDUMP = 'xtensa-lx106-elf-objdump'

# Cycle assumptions (ESP32 Xtensa LX6 at 240 MHz, code in IRAM, data in internal DRAM; docs/xtensa-estimate.md).
ALU = 1                 # every ALU, move, shift and extract instruction
LOAD, STORE = 1, 1      # internal SRAM, no wait states
LOAD_USE = 1            # extra cycle when the next instruction reads the loaded register (5-stage pipeline)
MUL = 2                 # MULL (MUL32 option)
TAKEN, NOT_TAKEN = 3, 1 # branch or jump taken: 2-cycle refill of the 5-stage pipeline; not taken: 1
CALL = 3                # call0 + ret.n into a local function, beyond the callee's own instructions
# libgcc routines the lx106 objects call; on the ESP32 (MUL32_HIGH, DIV32 options) GCC emits most of them inline.
LIBGCC = {
    '__muldi3': 8,      # 64-bit product: MULL + MULUH/MULSH and adds on the LX6
    '__ashldi3': 6, '__ashrdi3': 6, '__lshrdi3': 6,   # SSL/SRC pairs on the LX6
    '__divsi3': 12, '__modsi3': 12, '__udivsi3': 12, '__umodsi3': 12,  # QUOS/REMS (DIV32 option), assumed latency
    '__divdi3': 120, '__moddi3': 120, '__udivdi3': 120, '__umoddi3': 120,  # software 64-bit division on both cores
    'memset': 20,       # the quantizer's 8-word plane clear
}

FUNC = re.compile(r'^([0-9a-f]+) <([^>]+)>:$')
INS = re.compile(r'^\s*([0-9a-f]+):\s+(\S+)\s*(.*)$')
BRANCH = re.compile(r'^b[a-z]+(\.n)?$')
REG = re.compile(r'\ba(\d+)\b')


def parse(path):
    out = subprocess.run([OBJDUMP, '-dr', '--no-show-raw-insn', path], capture_output=True, text=True, check=True).stdout
    funcs, cur = collections.OrderedDict(), None
    for line in out.splitlines():
        m = FUNC.match(line)
        if m:
            cur = m.group(2)
            funcs[cur] = []
            continue
        if cur is None:
            continue
        if 'R_XTENSA_SLOT0_OP' in line:
            if funcs[cur] and funcs[cur][-1][1].startswith('call'):
                a, mn, _ = funcs[cur][-1]
                funcs[cur][-1] = (a, mn, line.split()[-1])
            continue
        m = INS.match(line)
        if m and not m.group(2).startswith('.'):
            funcs[cur].append((int(m.group(1), 16), m.group(2), m.group(3).strip()))
    return funcs


def target(ops):
    m = re.search(r'([0-9a-f]+) <', ops)
    return int(m.group(1), 16) if m else None


def is_load(mn):
    return mn.startswith(('l32i', 'l16', 'l8ui', 'l32r'))


def is_store(mn):
    return mn.startswith(('s32i', 's16i', 's8i'))


class Function:
    def __init__(self, name, ins, funcs):
        self.name, self.funcs = name, funcs
        addrs = [a for a, _, _ in ins]
        leaders = {addrs[0]}
        for i, (a, mn, ops) in enumerate(ins):
            if BRANCH.match(mn) or mn in ('j', 'ret', 'ret.n', 'jx'):
                t = target(ops)
                if t is not None:
                    leaders.add(t)
                if i + 1 < len(ins):
                    leaders.add(ins[i + 1][0])
        self.blocks, cur = collections.OrderedDict(), None
        for a, mn, ops in ins:
            if a in leaders:
                cur = a
                self.blocks[cur] = []
            self.blocks[cur].append((a, mn, ops))
        keys = list(self.blocks)
        self.succ, self.fall = {}, {}
        for i, b in enumerate(keys):
            a, mn, ops = self.blocks[b][-1]
            nxt = keys[i + 1] if i + 1 < len(keys) else None
            self.fall[b] = None if mn in ('j', 'ret', 'ret.n', 'jx') else nxt
            s = [target(ops)] if mn == 'j' else [] if mn in ('ret', 'ret.n', 'jx') else [target(ops), nxt] if BRANCH.match(mn) else [nxt]
            self.succ[b] = [x for x in dict.fromkeys(s) if x in self.blocks]
        pred = {b: [] for b in keys}
        for b in keys:
            for s in self.succ[b]:
                pred[s].append(b)
        dom = {b: set(keys) for b in keys}
        dom[keys[0]] = {keys[0]}
        changed = True
        while changed:
            changed = False
            for b in keys[1:]:
                ps = [dom[p] for p in pred[b]]
                new = ({b} | set.intersection(*ps)) if ps else {b}
                if new != dom[b]:
                    dom[b], changed = new, True
        self.loops = collections.OrderedDict()
        for b in keys:
            for s in self.succ[b]:
                if s in dom[b]:
                    body, stack = self.loops.setdefault(s, {s}), [b]
                    while stack:
                        x = stack.pop()
                        if x not in body:
                            body.add(x)
                            stack.extend(pred[x])
        hs = list(self.loops)
        self.parent = {h: min((p for p in hs if p != h and self.loops[h] < self.loops[p]), key=lambda p: len(self.loops[p]), default=None) for h in hs}
        self.children = collections.defaultdict(list)
        for h in hs:
            self.children[self.parent[h]].append(h)
        for h in self.children:
            self.children[h].sort()

    def roots(self):
        return self.children[None]

    def depth(self, h):
        return 1 + max((self.depth(c) for c in self.children[h]), default=0)

    def calls_in(self, h):
        """Callee names in the loop's own blocks."""
        own = self.own(h)
        return [ops for b in sorted(own) for _, mn, ops in self.blocks[b] if mn.startswith('call')]

    def own(self, h):
        inner = set().union(*[self.loops[c] for c in self.children[h]]) if self.children[h] else set()
        return self.loops[h] - inner

    def block_cost(self, b, nxt):
        """Cycles and counts of block b when control leaves it to nxt."""
        ins = self.blocks[b]
        c = collections.Counter()
        for i, (a, mn, ops) in enumerate(ins):
            c['insns'] += 1
            if is_load(mn):
                c['loads'] += 1
                cyc = LOAD
                if i + 1 < len(ins):
                    dest = REG.findall(ops)[:1]
                    n_ops = ins[i + 1][2]
                    srcs = REG.findall(n_ops) if (is_store(ins[i + 1][1]) or BRANCH.match(ins[i + 1][1])) else REG.findall(n_ops)[1:]
                    if dest and dest[0] in srcs:
                        cyc += LOAD_USE
            elif is_store(mn):
                c['stores'] += 1
                cyc = STORE
            elif BRANCH.match(mn):
                c['branches'] += 1
                cyc = NOT_TAKEN if nxt is not None and nxt == self.fall[b] else TAKEN
            elif mn == 'j':
                c['branches'] += 1
                cyc = TAKEN
            elif mn.startswith('call'):
                c['calls'] += 1
                cyc = CALL + self.callee_cycles(ops)
            elif mn == 'mull':
                cyc = MUL
            else:
                cyc = ALU
            c['cycles'] += cyc
        return c

    def callee_cycles(self, target):
        # A relocation names a global callee, or a static one as .text+offset (its address in the section).
        name, _, offset = target.partition('+')
        if name == '.text':
            at = int(offset or '0', 16)
            name = next((f for f, ins in self.funcs.items() if ins and ins[0][0] == at), target)
        if name in LIBGCC:
            return LIBGCC[name]
        if name in self.funcs:
            f = Function(name, self.funcs[name], self.funcs)
            if f.loops:
                raise SystemExit(f'{self.name}: call into {name}, which has loops: not priced')
            return f.longest(None, 'any')['cycles']
        raise SystemExit(f'{self.name}: call to {name}, which has no price (add it to LIBGCC)')

    def longest(self, h, mode='any', avoid=(), without_calls=(), through=()):
        """Most expensive iteration of loop h's own blocks (h None: the function body from entry to a return).
        mode 'any': every path; 'avoid': paths through no inner loop; 'enter': paths through an inner loop.
        avoid: inner loops no path may enter; without_calls: callees no path may call; through: the inner loops that
        count as entered for mode 'enter' (default all)."""
        if h is None:
            nodes, header, inner = set(self.blocks), next(iter(self.blocks)), {}
        else:
            nodes, header = self.loops[h], h
            inner = {b: c for c in self.children[h] for b in self.loops[c]}
        kids = set(self.children[h]) if h is not None else set()

        def exits(n):
            if n in kids:
                return [(s, None) for b in self.loops[n] for s in self.succ[b] if s not in self.loops[n]]
            return [(s, n) for s in self.succ[n]]

        def allowed(b):
            return not any(mn.startswith('call') and ops.partition('+')[0] in without_calls for _, mn, ops in self.blocks[b])

        active = set()

        @functools.lru_cache(maxsize=None)
        def go(n, entered):
            if n not in kids and not allowed(n):
                return None
            active.add(n)
            try:
                return step_from(n, entered)
            finally:
                active.discard(n)

        def step_from(n, entered):
            results = []
            for s, frm in exits(n):
                step = self.block_cost(frm, s) if frm is not None else collections.Counter()
                if h is not None and s == header:
                    if mode == 'any' or (mode == 'avoid' and not entered) or (mode == 'enter' and entered):
                        results.append(step)
                    continue
                if s not in nodes:
                    continue
                m, into = inner.get(s, s), s in inner
                if into and (mode == 'avoid' or inner[s] in avoid):
                    continue
                if m in active:
                    # A second entry into this loop's body (irreducible flow GCC's layout can make): the iteration
                    # ends here, as at a back edge.
                    if mode == 'any' or (mode == 'avoid' and not entered) or (mode == 'enter' and entered):
                        results.append(step)
                    continue
                rest = go(m, entered or (into and (not through or inner[s] in through)))
                if rest is not None:
                    results.append(step + rest)
            if h is None and n not in kids and not self.succ[n]:
                results.append(self.block_cost(n, None))
            return max(results, key=lambda c: c['cycles'], default=None)

        r = go(header, False)
        if r is None:
            raise SystemExit(f'{self.name}: no path through loop {h:#x} in mode {mode}')
        return r


def tree(funcs):
    for name, ins in funcs.items():
        if not ins:
            continue
        f = Function(name, ins, funcs)

        def show(h, d):
            any_ = f.longest(h, 'any')
            print('  ' * d + f'{hex(h)} depth {f.depth(h)} cycles {any_["cycles"]} insns {any_["insns"]} loads {any_["loads"]} calls {f.calls_in(h)}')
            for c in f.children[h]:
                show(c, d + 1)
        print(f'== {name}')
        for r in f.roots():
            show(r, 0)


def chain(f, h):
    """The loops from h down through its only child (or its first, for a chain that forks)."""
    out = [h]
    while f.children[h]:
        h = f.children[h][0]
        out.append(h)
    return out


def find(funcs, *names):
    for n in names:
        if n in funcs:
            return Function(n, funcs[n], funcs)
    raise SystemExit(f'none of {names} in the objects')


def roles(objs):
    """Role -> Counter for one optimisation level. Each role is located by the loop nesting of its kernel's source."""
    out = collections.OrderedDict()
    conv = find(objs['conv'], 'conv_rows')
    (row,) = conv.roots()
    (pixel,) = conv.children[row]
    out['conv.row'] = conv.longest(row, 'any')
    out['conv.pixel'] = conv.longest(pixel, 'any')
    kids = conv.children[pixel]
    data = [k for k in kids if conv.depth(k) == 4 and conv.calls_in(k)]
    b1 = [k for k in kids if conv.depth(k) == 3]
    bn = [k for k in kids if conv.depth(k) == 4 and not conv.calls_in(k)]
    if len(data) != 1 or len(b1) != 1 or len(bn) != 3:
        raise SystemExit(f'conv_rows: unexpected loop nest (data {len(data)}, 1-plane {len(b1)}, n-plane {len(bn)})')
    for name, h in zip(['conv.data.row', 'conv.data.tap', 'conv.data.plane', 'conv.data.word'], chain(conv, data[0])):
        out[name] = conv.longest(h, 'any')
    for name, h in zip(['conv.b1.output', 'conv.b1.tap', 'conv.b1.word'], chain(conv, b1[0])):
        out[name] = conv.longest(h, 'any')
    # The 2-, 4- and 8-plane copies keep the plane loop (GCC does not unroll it at -O2/-Os); price the dearest copy.
    for i, name in enumerate(['conv.bn.output', 'conv.bn.tap', 'conv.bn.word', 'conv.bn.plane']):
        out[name] = max((conv.longest(chain(conv, k)[i], 'any') for k in bn), key=lambda c: c['cycles'])

    # The gathered-patch loop of 1- and 2-plane layers (src/conv_patch.h), which the device build runs.
    patch = find(objs['conv'], 'conv_rows_patch')
    # Two loop nests: the whole-filter popcounts of z != 0 (outputs, then words), then the rows.
    roots = patch.roots()
    if len(roots) != 2:
        raise SystemExit(f'conv_rows_patch: {len(roots)} outer loops, expected the filter-ones nest and the rows')
    pre, row = sorted(roots, key=patch.depth)
    (pre_word,) = patch.children[pre]
    out['conv.patch.filterones.output'] = patch.longest(pre)
    out['conv.patch.filterones.word'] = patch.longest(pre_word)
    (pixel,) = patch.children[row]
    gathers = [k for k in patch.children[pixel] if patch.depth(k) == 3]
    outs = [k for k in patch.children[pixel] if patch.depth(k) == 2]
    plain = [o for o in outs if len(patch.children[o]) == 1]
    symmetric = [o for o in outs if len(patch.children[o]) == 2]
    if len(gathers) != 1 or len(plain) != 2 or len(symmetric) != 2:
        raise SystemExit('conv_rows_patch: unexpected loop nest')
    out['conv.patch.row'] = patch.longest(row)
    out['conv.patch.pixel'] = patch.longest(pixel)
    (taprow,) = gathers
    (tap,) = patch.children[taprow]
    copy, clear = sorted(patch.children[tap], key=lambda k: -patch.longest(k)['cycles'])
    out['conv.patch.taprow'] = patch.longest(taprow)
    out['conv.patch.tap'] = patch.longest(tap)
    out['conv.patch.gather'] = patch.longest(copy)
    out['conv.patch.clear'] = patch.longest(clear)
    # Four copies of the output loop: z = 0 (the dot loop alone) and z != 0 (the dot loop, then in source order the
    # weight-ones loop of border pixels), each for two planes and one; the two-plane copy's dot loop is the dearer.
    def by_dot(copies):
        return sorted(copies, key=lambda o: -patch.longest(patch.children[o][0])['cycles'])
    for name, o in zip(('conv.patch2', 'conv.patch1'), by_dot(plain)):
        out[name + '.output'] = patch.longest(o)
        out[name + '.word'] = patch.longest(patch.children[o][0])
    for name, o in zip(('conv.patch2', 'conv.patch1'), by_dot(symmetric)):
        dot, ones = patch.children[o]
        out[name + '.sym.output'] = patch.longest(o)
        out[name + '.sym.word'] = patch.longest(dot)
        out[name + '.ones'] = patch.longest(ones)

    # The stem of few channels and a small kernel (stem_rows_small), which every committed model's stem takes: per
    # pixel the taps' sign-pattern tables (rows, taps, channels, patterns) and the channel terms of the base, then per
    # output one table entry per tap.
    small = find(objs['stem'], 'stem_rows_small')
    (row,) = small.roots()
    (pixel,) = small.children[row]
    kids = small.children[pixel]
    tables = [k for k in kids if small.depth(k) == 4]
    base = [k for k in kids if small.depth(k) == 1]
    outs = [k for k in kids if small.depth(k) == 2]
    if len(tables) != 1 or len(base) != 1 or len(outs) != 1:
        raise SystemExit('stem_rows_small: unexpected loop nest')
    out['stem.small.row'] = small.longest(row)
    out['stem.small.pixel'] = small.longest(pixel)
    for name, h in zip(['stem.small.taprow', 'stem.small.tap', 'stem.small.channel', 'stem.small.pattern'], chain(small, tables[0])):
        out[name] = small.longest(h)
    out['stem.small.base'] = small.longest(base[0])
    for name, h in zip(['stem.small.output', 'stem.small.mac'], chain(small, outs[0])):
        out[name] = small.longest(h)

    stem = find(objs['stem'], 'ob_stem_rows')
    (row,) = stem.roots()
    (pixel,) = stem.roots() and stem.children[row]
    taps = [k for k in stem.children[pixel] if stem.depth(k) == 2]
    outs = [k for k in stem.children[pixel] if stem.depth(k) == 3]
    if len(taps) != 1 or len(outs) != 1:
        raise SystemExit('ob_stem_rows: unexpected loop nest')
    out['stem.row'] = stem.longest(row, 'any')
    out['stem.pixel'] = stem.longest(pixel, 'any')
    for name, h in zip(['stem.taprow', 'stem.tap'], chain(stem, taps[0])):
        out[name] = stem.longest(h, 'any')
    for name, h in zip(['stem.output', 'stem.channel', 'stem.mac'], chain(stem, outs[0])):
        out[name] = stem.longest(h, 'any')

    # Threshold mode at 1 or 2 bits (threshold_rows_low_bits): the element loop priced over the sign ±1 arms (the
    # general arm, a 64-bit product, serves signs the blob reader rejects).
    low = find(objs['quantize'], 'threshold_rows_low_bits')
    (row,) = low.roots()
    (pixel,) = low.children[row]
    (word,) = low.children[pixel]
    (elem,) = low.children[word]
    out['quantize.low.row'] = low.longest(row)
    out['quantize.low.pixel'] = low.longest(pixel)
    out['quantize.low.word'] = low.longest(word)
    out['quantize.low.element'] = low.longest(elem, without_calls=('__muldi3',))

    q = find(objs['quantize'], 'ob_quantize_rows')
    (row,) = q.roots()
    (pixel,) = q.children[row]
    (word,) = q.children[pixel]
    elem = [k for k in q.children[word] if q.children[k]]
    store = [k for k in q.children[word] if not q.children[k]]
    if len(elem) != 1 or len(store) != 1 or len(q.children[elem[0]]) != 2:
        raise SystemExit('ob_quantize_rows: unexpected loop nest')
    out['quantize.row'] = q.longest(row, 'any')
    out['quantize.pixel'] = q.longest(pixel, 'any')
    out['quantize.word'] = q.longest(word, 'any')
    out['quantize.store'] = q.longest(store[0], 'any')
    # The element loop's inner loops: the threshold count (no stores) and the plane-bit scatter (stores to plane[]).
    steps = [k for k in q.children[elem[0]] if q.longest(k)['stores'] == 0]
    bits = [k for k in q.children[elem[0]] if q.longest(k)['stores'] > 0]
    if len(steps) != 1 or len(bits) != 1:
        raise SystemExit('ob_quantize_rows: cannot tell the threshold loop from the plane-bit loop')
    out['quantize.affine'] = q.longest(elem[0], 'any', avoid=steps)
    out['quantize.threshold'] = q.longest(elem[0], 'enter', through=steps)
    out['quantize.step'] = q.longest(steps[0])
    out['quantize.bit'] = q.longest(bits[0])

    for wide, fname in (('i32', 'ob_residual_rows'), ('i16', 'ob_residual_rows_i16')):
        r = find(objs['residual'], fname)
        if not r.loops:
            r = find(objs['residual'], 'stream_rows')
        (row,) = r.roots()
        (pixel,) = r.children[row]
        kids = r.children[pixel]
        if len(kids) != 2 or any(len(r.children[k]) != 1 for k in kids):
            raise SystemExit(f'{fname}: unexpected loop nest')
        # The pixel loop holds the pooled cells' setup (rows, then cells) and the element loop (the larger body).
        elem = max(kids, key=lambda k: r.longest(k, 'any')['insns'])
        (setup,) = [k for k in kids if k != elem]
        (cells,) = r.children[elem]
        out[f'residual.{wide}.row'] = r.longest(row, 'any')
        out[f'residual.{wide}.pixel'] = r.longest(pixel, 'any')
        out[f'residual.{wide}.cellrow'] = r.longest(setup, 'any')
        out[f'residual.{wide}.cellsetup'] = r.longest(r.children[setup][0], 'any')
        # The identity shortcut never divides (its ring row is computed per row): paths through the pooled arm's
        # rounding division are not its own.
        out[f'residual.{wide}.identity'] = r.longest(elem, 'avoid', without_calls=('__divdi3', '__moddi3', '__divsi3', '__modsi3'))
        # round_div divides in 32 bits whenever 2·sum + n fits (always for int16 streams); the 64-bit arm is not priced.
        out[f'residual.{wide}.pooled'] = r.longest(elem, 'enter', without_calls=('__divdi3', '__moddi3'))
        out[f'residual.{wide}.poolcell'] = r.longest(cells, 'any')

    pc = objs['popcount']
    for kind in ('swar', 'table'):
        f = find(pc, f'ob_xt_dot_{kind}')
        (loop,) = f.roots()
        out[f'popcount.{kind}.word'] = f.longest(loop)
    f = find(pc, 'ob_xt_dot_csa')
    block, tail = f.roots()
    out['popcount.csa.block8'] = f.longest(block)
    out['popcount.csa.tail'] = f.longest(tail)

    # The preprocessor (src/frame.c): the output-pixel loop holds one window loop per pixel format; the RGB565 one is
    # the row loop whose pixel loop is the longest (the decode by bit replication).
    fr = find(objs['frame'], 'ob_preprocess')
    rows = [h for h in fr.roots() if fr.depth(h) == 4]
    if len(rows) != 1:
        raise SystemExit('ob_preprocess: unexpected loop nest')
    (pixel,) = fr.children[rows[0]]
    windows = [w for w in fr.children[pixel] if len(fr.children[w]) == 1]
    if len(windows) != 3:
        raise SystemExit('ob_preprocess: expected three window loops (gray, RGB565, RGB888)')
    rgb565 = [max(windows, key=lambda w: fr.longest(fr.children[w][0])['insns'])]
    out['frame.row'] = fr.longest(rows[0])
    out['frame.rgb565.output'] = fr.longest(pixel, 'enter', through=rgb565)
    out['frame.rgb565.row'] = fr.longest(rgb565[0])
    out['frame.rgb565.pixel'] = fr.longest(fr.children[rgb565[0]][0])

    p = find(objs['global_pool'], 'ob_pool_rows')
    (row,) = p.roots()
    (pixel,) = p.children[row]
    (cls,) = p.children[pixel]
    out['pool.row'] = p.longest(row, 'any')
    out['pool.pixel'] = p.longest(pixel, 'any')
    out['pool.class'] = p.longest(cls, 'any')
    return out


def main(argv):
    if argv[:1] == ['--tree']:
        funcs = collections.OrderedDict()
        for path in argv[1:]:
            funcs.update(parse(path))
        tree(funcs)
        return
    # argv: OPT=dir ...; each dir holds conv.o stem.o quantize.o residual.o global_pool.o popcount.o frame.o
    print('# opt\trole\tinsns\tloads\tstores\tbranches\tcalls\tcycles')
    for arg in argv:
        opt, d = arg.split('=', 1)
        objs = {k: parse(f'{d}/{k}.o') for k in ('conv', 'stem', 'quantize', 'residual', 'global_pool', 'popcount', 'frame')}
        for role, c in roles(objs).items():
            print(f'{opt}\t{role}\t{c["insns"]}\t{c["loads"]}\t{c["stores"]}\t{c["branches"]}\t{c["calls"]}\t{c["cycles"]}')


if __name__ == '__main__':
    main(sys.argv[1:])
