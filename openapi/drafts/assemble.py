#!/usr/bin/env python3
"""Temporary helper: splice draft fragments into a copy of openapi/finpass.yaml.

usage: assemble.py OUT.yaml FRAGMENT.yaml...

A fragment has up to three top-level keys, in this order, written as in the main spec:
  tags:      list items indented 2 spaces   (only tags that are new)
  paths:     path items indented 2 spaces
  schemas:   schema entries indented 2 spaces (re-indented to sit under components.schemas)
"""
import sys, re

def sections(text):
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r'^(tags|paths|schemas):\s*$', line)
        if m:
            cur = m.group(1); out.setdefault(cur, []); continue
        if cur is None:
            if line.strip() and not line.startswith('#'):
                sys.exit(f"fragment line outside tags/paths/schemas: {line!r}")
            continue
        if line and not line.startswith(' ') and not line.startswith('#'):
            sys.exit(f"unexpected top-level line in fragment: {line!r}")
        out[cur].append(line)
    return out

main = open('openapi/finpass.yaml').read().splitlines()
frags = [sections(open(f).read()) for f in sys.argv[2:]]

def end_of_block(lines, header):
    i = lines.index(header) + 1
    while i < len(lines) and (lines[i].startswith(' ') or lines[i] == ''):
        i += 1
    return i

for kind, header, indent in (('tags', 'tags:', ''), ('paths', 'paths:', '')):
    add = [l for f in frags for l in f.get(kind, [])]
    i = end_of_block(main, header)
    main[i:i] = add
schemas = ['  ' + l if l else l for f in frags for l in f.get('schemas', [])]
main += schemas
open(sys.argv[1], 'w').write('\n'.join(main) + '\n')
