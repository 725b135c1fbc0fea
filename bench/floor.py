#!/usr/bin/env python3
# ruff: noqa  (copied unchanged from the shared benchmark kit, ../shared/bench/, so figures compare)
"""Python 'floor' for a markdown-it-py based generator: read every post, split the YAML
front matter (PyYAML, CSafeLoader when available), render the body with markdown-it-py
('commonmark' preset + GFM tables).  Writes nothing.

    python floor.py CONTENT_DIR [--procs N]

--procs 1 runs in this process; N > 1 uses multiprocessing.Pool(N) (fork), chunks of 32 files.
"""
import argparse
import os
import sys

import yaml
from markdown_it import MarkdownIt

try:
    from yaml import CSafeLoader as Loader
    LOADER = "CSafeLoader"
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as Loader
    LOADER = "SafeLoader"

_md = None


def _init():
    global _md
    _md = MarkdownIt("commonmark").enable("table")


def process(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    meta = {}
    body = text
    if text.startswith("---\n"):
        end = text.index("\n---\n", 3)
        meta = yaml.load(text[4:end], Loader=Loader)
        body = text[end + 5:]
    html = _md.render(body)
    return len(html) + len(meta)


def list_posts(root):
    out = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        out.extend(os.path.join(d, f) for f in sorted(files) if f.endswith(".md"))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("content")
    ap.add_argument("--procs", type=int, default=1)
    a = ap.parse_args()
    paths = list_posts(a.content)
    if a.procs <= 1:
        _init()
        total = sum(process(p) for p in paths)
    else:
        import multiprocessing as mp
        with mp.get_context("fork").Pool(a.procs, initializer=_init) as pool:
            total = sum(pool.imap_unordered(process, paths, chunksize=32))
    print(f"{len(paths)} posts, {total} html bytes, loader={LOADER}, procs={a.procs}", file=sys.stderr)


if __name__ == "__main__":
    main()
