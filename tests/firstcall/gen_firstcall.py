#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
Generates the first-call test's cases from the public headers.

Every function and function-like macro declared under include/ is an entry point.  The
generator lists them with universal-ctags, then:
  - leaves out the ones that touch no library state (an inline function or macro whose body
    names no library function, no library variable and no other such entry point,
    transitively): they cannot need start-up, and the listing says so;
  - for every other one, synthesises a call with valid arguments from rules.py (defaults by
    parameter type and name, overrides by function name) and emits a case function;
  - an entry point it cannot call (a parameter no rule knows) becomes a case that fails with
    the reason, unless rules.EXCLUDE names it with a reason.
So a header added later is covered as soon as it is merged: its functions are either called
or make the test fail until a rule says how to call them.

Usage: gen_firstcall.py INCLUDE_DIR OUT.c [--list]
"""
import json
import os
import re
import subprocess
import sys

sys.dont_write_bytecode = True		# nothing written into the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rules  # noqa: E402

IDENT = re.compile(r'[A-Za-z_][A-Za-z0-9_]*')
QUALIFIERS = {'const', 'volatile', '__force', '__user', '__iomem', '__rcu', '__percpu',
              'restrict', '__restrict', 'struct', 'union', 'enum', 'unsigned', 'signed',
              'long', 'short', 'int', 'char', 'void', 'bool', '_Bool'}


def ctags(include_dir):
    out = subprocess.run(
        [os.environ.get('UKMEM_CTAGS', 'ctags'), '-R', '--languages=C', '--langmap=C:.h', '--kinds-C=pfdx',
         '--fields=+S+t+K+e+n', '--output-format=json', '-f', '-', include_dir],
        check=True, stdout=subprocess.PIPE, text=True).stdout
    tags = []
    for line in out.splitlines():
        t = json.loads(line)
        if t.get('_type') == 'tag':
            tags.append(t)
    return tags


def strip_comments(text):
    text = re.sub(r'/\*.*?\*/', ' ', text, flags=re.S)
    return re.sub(r'//[^\n]*', ' ', text)


def body_of(tag, files):
    lines = files[tag['path']]
    end = tag.get('end', tag['line'])
    return strip_comments('\n'.join(lines[tag['line'] - 1:end]))


def split_params(sig):
    """'(const char *s, void (*f)(void *))' -> ['const char *s', 'void (*f)(void *)']"""
    sig = sig.strip()[1:-1]
    parts, depth, cur = [], 0, ''
    for ch in sig:
        if ch == ',' and depth == 0:
            parts.append(cur.strip())
            cur = ''
            continue
        depth += ch == '('
        depth -= ch == ')'
        cur += ch
    if cur.strip():
        parts.append(cur.strip())
    if parts == ['void']:
        return []
    return parts


def parse_param(text, i):
    """-> (type, name).  The type is normalised: single spaces, 'T *' for pointers."""
    text = ' '.join(text.split())
    m = re.match(r'(.*)\(\s*\*\s*([A-Za-z_]\w*)?\s*\)\s*(\(.*\))$', text)
    if m:			# function pointer
        return ('%s (*)%s' % (m.group(1).strip(), m.group(3)), m.group(2) or 'p%d' % i)
    if text == '...':
        return ('...', '')
    m = re.match(r'(.*?)([A-Za-z_]\w*)\s*(\[\s*\w*\s*\])?$', text)
    name = m.group(2) if m else ''
    typ = text
    if m and name not in QUALIFIERS and not re.match(r'^\w+_t$', name) and m.group(1).strip():
        typ = m.group(1) + ('*' if m.group(3) else '')
    else:
        name = 'p%d' % i
    typ = re.sub(r'\s*\*\s*', ' *', typ.strip())
    typ = typ.replace('* *', '**').strip()
    for q in ('__force', '__user', '__iomem', '__rcu', '__percpu', 'volatile'):
        typ = re.sub(r'\b%s\b\s*' % q, '', typ).strip()
    typ = re.sub(r'\s+', ' ', typ)
    return (typ, name)


def collect(include_dir):
    tags = ctags(include_dir)
    files = {}
    for t in tags:
        if t['path'] not in files:
            with open(t['path'], encoding='utf-8') as f:
                files[t['path']] = f.read().split('\n')
    protos, inlines, macros, externs = {}, {}, {}, set()
    for t in tags:
        k, n = t['kind'], t['name']
        if k == 'prototype':
            protos[n] = t
        elif k == 'function':
            inlines[n] = t
        elif k == 'macro':
            macros[n] = t
        elif k == 'externvar':
            externs.add(n)
    # A "function" that is a function-like macro's name is that macro invoked at file scope
    # (a macro that defines functions): the macro stands for it.  An object-like macro of a
    # function's own name ('#define readl readl', telling generic code that it exists) is
    # not: the function stands for itself.
    for n in list(inlines):
        if n in macros:
            if 'signature' in macros[n]:
                del inlines[n]
            else:
                del macros[n]
    for n in protos:
        inlines.pop(n, None)
    return protos, inlines, macros, externs, files


def classify(protos, inlines, macros, externs, files):
    """Names of inline functions and macros that reach library state (fixpoint)."""
    bodies = {}
    for n, t in list(inlines.items()) + list(macros.items()):
        body = body_of(t, files)
        if n in macros:
            body = re.sub(r'^\s*#\s*define\s+\w+', ' ', body)
        else:
            body = body[body.find('{'):] if '{' in body else body
        bodies[n] = set(IDENT.findall(body)) - {n}
    impure = set(protos) | externs
    changed = True
    while changed:
        changed = False
        for n, ids in bodies.items():
            if n not in impure and ids & impure:
                impure.add(n)
                changed = True
    return impure, bodies


def main():
    include_dir, out = sys.argv[1], sys.argv[2]
    listing = '--list' in sys.argv
    protos, inlines, macros, externs, files = collect(include_dir)
    impure, bodies = classify(protos, inlines, macros, externs, files)
    entries = []
    for n, t in sorted(protos.items()):
        entries.append(('function', n, t))
    for n, t in sorted(inlines.items()):
        entries.append(('inline', n, t))
    for n, t in sorted(macros.items()):
        if 'signature' in t:
            entries.append(('macro', n, t))
    gen = rules.Generator()
    for kind, n, t in entries:
        where = '%s:%d' % (os.path.relpath(t['path'], os.path.dirname(include_dir)), t['line'])
        if kind != 'function' and n not in impure:
            gen.pure(n, kind, where)
            continue
        if n in rules.EXCLUDE:
            gen.exclude(n, kind, where, rules.EXCLUDE[n])
            continue
        if kind == 'macro':
            params = [('', p.strip()) for p in split_params(t['signature']) if p.strip()]
        else:
            params = [parse_param(p, i) for i, p in enumerate(split_params(t['signature']))]
        ret = t.get('typeref', '').split(':', 1)[-1]
        if not ret or ret == '-':	# ctags gives up after an attribute macro: the pattern
            pat = t.get('pattern', '')[2:]
            ret = re.sub(r'\w+\([^)]*\)', ' ', pat[:pat.find(n + '(')]).strip() or 'int'
        # ctags keeps an attribute macro in the type ('__printf (2,3)void'): drop it.
        ret = re.sub(r'\b__\w+\s*\([^()]*\)', ' ', ret).strip() or 'int'
        # ... and a bare attribute after it ('void __noreturn').
        ret = re.sub(r'\s+__(noreturn|must_check|cold|malloc)\b', '', ret)
        words = ret.replace('*', ' * ').split()
        # Keep the type, not the attributes before it (__always_inline, __printf(...)).
        if '*' not in words and words and words[-1] == 'void':
            ret = 'void'
        gen.case(n, kind, where, ret, params)
    code = gen.emit()
    with open(out + '.tmp', 'w', encoding='utf-8') as f:
        f.write(code)
    os.replace(out + '.tmp', out)
    if listing:
        print(gen.listing())


if __name__ == '__main__':
    main()
