#!/usr/bin/env python3
"""How fast other Markdown engines render the corpus, and how often their HTML is markdown-it-py's.

    python bench/engines.py CONTENT_DIR [--runs 3]

markdown-it-py ('commonmark' + tables, as bench/floor.py sets it up) is the reference. Every other
engine is timed when it is importable (install them in a throwaway virtualenv:
`pip install markdown-it-pyrs cmarkgfm pyromark mistune`), on the same bodies in the same run, and
its HTML compared byte for byte with markdown-it-py's. This is the evidence behind sitegen's choice
of engine: see "Performance" in the README.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version

Render = Callable[[str], str]


def read_bodies(root: str) -> list[str]:
    """Every Markdown body under `root`, front matter cut off, in a stable order."""
    bodies = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            if name.endswith(".md"):
                with open(os.path.join(folder, name), encoding="utf-8") as file:
                    text = file.read()
                if text.startswith("---\n"):
                    text = text[text.index("\n---\n", 3) + 5 :]
                bodies.append(text)
    return bodies


def markdown_it_py() -> Render:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").enable("table").render  # type: ignore[no-any-return]


def markdown_it_pyrs() -> Render:
    module = importlib.import_module("markdown_it_pyrs")
    return module.MarkdownIt("commonmark").enable("table").render  # type: ignore[no-any-return]


def cmarkgfm() -> Render:
    module = importlib.import_module("cmarkgfm")
    unsafe = importlib.import_module("cmarkgfm.cmark").Options.CMARK_OPT_UNSAFE  # raw HTML, as markdown-it-py
    return lambda text: module.github_flavored_markdown_to_html(text, options=unsafe)  # type: ignore[no-any-return]


def pyromark() -> Render:
    module = importlib.import_module("pyromark")
    return lambda text: module.html(text, options=module.Options.ENABLE_TABLES)  # type: ignore[no-any-return]


def mistune() -> Render:
    module = importlib.import_module("mistune")
    return module.create_markdown(plugins=["table"], escape=False)  # type: ignore[no-any-return]


ENGINES: dict[str, Callable[[], Render]] = {
    "markdown-it-py": markdown_it_py,
    "markdown-it-pyrs": markdown_it_pyrs,
    "cmarkgfm": cmarkgfm,
    "pyromark": pyromark,
    "mistune": mistune,
}


def best_of(runs: int, render: Render, bodies: list[str]) -> tuple[float, list[str]]:
    best, html = float("inf"), []
    for _ in range(runs):
        started = time.perf_counter()
        html = [render(body) for body in bodies]
        best = min(best, time.perf_counter() - started)
    return best, html


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("content")
    parser.add_argument("--runs", type=int, default=3, help="runs per engine (the fastest counts)")
    args = parser.parse_args()
    bodies = read_bodies(args.content)
    print(f"{len(bodies)} bodies, {sum(map(len, bodies)) / 1e6:.1f} MB · Python {sys.version.split()[0]}\n")
    print("| engine | version | seconds (1 process) | speed (markdown-it-py = 1) | identical HTML |")
    print("|---|---|---|---|---|")
    reference: list[str] = []
    reference_seconds = 0.0
    for name, make in ENGINES.items():
        try:
            render = make()
            installed = version(name)
        except (ImportError, PackageNotFoundError):
            print(f"| {name} | not installed | | | |")
            continue
        seconds, html = best_of(args.runs, render, bodies)
        if not reference:
            reference, reference_seconds = html, seconds
        same = sum(a == b for a, b in zip(html, reference, strict=True))
        print(
            f"| {name} | {installed} | {seconds:.2f} | {reference_seconds / seconds:.1f} "
            f"| {same:,} of {len(bodies):,} |"
        )


if __name__ == "__main__":
    main()
