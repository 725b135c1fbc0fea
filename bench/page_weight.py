#!/usr/bin/env python3
"""What a reader downloads for each kind of page of the example newsletter: HTML + CSS + JS.

    python bench/page_weight.py [--budget-kb 40] [--work /dev/shm/sitegen-weight]

Copies the example site (this repository's content/ and site.yaml), adds a 1,500-word
text-only letter, builds it, and for one page of each kind sums the bytes of the page and of the
stylesheets and scripts it links (uncompressed; images and fonts are left out, as the budget
leaves them out). Exits 1 if a page is over the budget.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
LONG_LETTER = "a-long-letter-of-plain-text"
LINKED = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


@dataclass(frozen=True)
class Weight:
    page: str
    html: int
    css: int
    js: int

    @property
    def total(self) -> int:
        return self.html + self.css + self.js


def example_words() -> list[str]:
    """The words of the example's letters, in order, without Markdown's marks or links' addresses."""
    words = []
    for path in sorted((REPOSITORY / "content" / "posts").rglob("*.md")):
        body = path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        words += re.findall(r"[^\W\d_][\w\u2019'.,;:?!—-]*", re.sub(r"\]\([^)]*\)|<[^>]*>", "", body))
    return words


def long_letter(words: int = 1500) -> str:
    """A text-only letter of `words` words of the example's own prose: paragraphs of 60-120 words,
    a heading every four."""
    rng = random.Random(1500)
    source = example_words()
    paragraphs, written = [], 0
    while written < words:
        size = min(rng.randint(60, 120), words - written)
        text = " ".join(source[(written + n) % len(source)] for n in range(size))
        paragraphs.append(text[0].upper() + text[1:])
        written += size
        if len(paragraphs) % 4 == 0 and written < words:
            paragraphs.append(f"## Part {len(paragraphs) // 4 + 1}")
    front = (
        "---\ntitle: A long letter of plain text\ndate: 2026-11-02\nauthor: ana\ntags: [writing]\n"
        f"summary: Fifteen hundred words and nothing else.\nslug: {LONG_LETTER}\n---\n\n"
    )
    return front + "\n\n".join(paragraphs) + "\n"


def copy_example(site: Path) -> None:
    """The repository's example site (its content and settings; its theme is sitegen's own) copied to `site`."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(REPOSITORY / "content", site / "content")
    shutil.copy(REPOSITORY / "site.yaml", site / "site.yaml")


def build_example(work: Path) -> Path:
    """A copy of the example with the long letter, built; returns the output folder."""
    shutil.rmtree(work, ignore_errors=True)
    site = work / "site"
    copy_example(site)
    (site / "content" / "posts" / f"{LONG_LETTER}.md").write_text(long_letter(), encoding="utf-8")
    output = work / "output"
    subprocess.run(
        [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(output), "--quiet"], check=True
    )
    return output


def page_kinds(output: Path) -> dict[str, Path]:
    """One page of each kind the example makes."""
    first_tag = sorted(path for path in (output / "tags").iterdir() if path.is_dir())[0]
    first_author = sorted(path for path in (output / "authors").iterdir() if path.is_dir())[0]
    return {
        "home": output / "index.html",
        "home, page 2": output / "page" / "2" / "index.html",
        "post (1,500 words, text only)": output / "posts" / LONG_LETTER / "index.html",
        "archive": output / "archive" / "index.html",
        "topics": output / "tags" / "index.html",
        "topic": first_tag / "index.html",
        "author": first_author / "index.html",
        "page (About)": output / "about" / "index.html",
        "search": output / "search" / "index.html",
        "not found": output / "404.html",
    }


def weigh(output: Path, base: str, name: str, page: Path) -> Weight:
    html = page.read_text(encoding="utf-8")
    css = js = 0
    for link in LINKED.findall(html):
        path = output / link.split("?")[0].lstrip("/").removeprefix(base)
        size = path.stat().st_size
        if path.suffix == ".css":
            css += size
        else:
            js += size
    return Weight(name, len(html.encode()), css, js)


def base_path(output: Path) -> str:
    """The site's path under its host (`human-connections/`), which its links start with."""
    canonical = re.search(r'<link rel="canonical" href="https?://[^/]+/([^"]*)"', (output / "index.html").read_text())
    return canonical[1] if canonical else ""


def weights(output: Path) -> list[Weight]:
    base = base_path(output)
    return [weigh(output, base, name, page) for name, page in page_kinds(output).items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--budget-kb", type=float, default=40)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/sitegen-weight"))
    args = parser.parse_args()
    rows = weights(build_example(args.work))
    print("| page | HTML | CSS | JS | total |\n|---|---|---|---|---|")
    for row in rows:
        print(
            f"| {row.page} | {row.html / 1024:.1f} KB | {row.css / 1024:.1f} KB | {row.js / 1024:.1f} KB | "
            f"**{row.total / 1024:.1f} KB** |"
        )
    over = [row.page for row in rows if row.total > args.budget_kb * 1024]
    if over:
        raise SystemExit(f"over the {args.budget_kb:g} KB budget: {', '.join(over)}")


if __name__ == "__main__":
    main()
