#!/usr/bin/env python3
# ruff: noqa  (copied unchanged from the shared benchmark kit, ../shared/bench/, so figures compare)
"""Deterministic synthetic blog/newsletter corpus for static-site-generator benchmarks.

stdlib only.  See README.md next to this file for the exact layout.

    python3 make_corpus.py --posts 1000 --out corpus-1k --seed 42 [--flavor sitegen|yaml|pelican]

--flavor sitegen (the default) writes a whole sitegen site: site.yaml, content/authors/<id>.md and
posts whose `author:` is an author id. yaml: generic YAML front matter with the author's display
name (Hugo, Eleventy). pelican: 'Key: value' metadata for Pelican's Markdown reader.

Post i is generated from its own RNG seeded with "<seed>:<i>", so for a fixed seed
the first N posts are identical whatever --posts is (a 1k corpus is a subset of the
10k corpus).  --flavor only changes the metadata block; bodies are byte-identical.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import shutil
import sys

AUTHORS = ["Ada Lindqvist", "Tomás Okafor", "Mei Nakamura", "Priya Raman", "Jonah Whitfield"]

TAGS = [
    "python", "rust", "go", "javascript", "typescript", "css", "html", "web", "performance",
    "databases", "postgres", "sqlite", "devops", "kubernetes", "docker", "linux", "security",
    "privacy", "testing", "ci", "git", "open-source", "design", "ux", "accessibility",
    "machine-learning", "data", "statistics", "visualization", "career", "management",
    "writing", "productivity", "books", "reviews", "tutorial", "release-notes", "announcements",
    "community", "events", "conferences", "interviews", "opinion", "history", "hardware",
    "networking", "cloud", "serverless", "api", "architecture", "refactoring", "compilers",
    "functional-programming", "concurrency", "mobile", "newsletter", "meta", "static-sites",
    "markdown", "typography",
]
assert len(TAGS) == 60

WORDS = (
    "the of and to in is that for it as was with be by on not he this are or his from at which "
    "but have an they you were her she there been one all we their has would when if so no what "
    "up out about into than them can only other new some could time these two may then do first "
    "any my now such like our over man me even most made after also did many before must through "
    "back years where much your way well down should because each just those people how too little "
    "state good very make world still own see men work long get here between both life being under "
    "never day same another know while last might us great old year off come since against go came "
    "right used take three system program build release feature cache server client request latency "
    "throughput memory thread process queue index query schema table column migration deploy config "
    "template render page feed archive draft editor reader subscriber inbox issue week month library "
    "module function class method variable compiler runtime benchmark profile regression baseline "
    "pipeline commit branch review merge patch bug fix test coverage fixture mock interface network "
    "packet socket protocol browser layout style font image asset bundle script markup heading link "
    "paragraph list quote table footnote summary excerpt metadata taxonomy category tag author date "
    "careful simple small fast slow quiet honest useful strange familiar obvious subtle gentle modest "
    "practical curious stubborn elegant clumsy reliable fragile rough steady bright narrow broad "
    "quickly slowly rarely often usually finally clearly simply perhaps almost already always "
    "understand remember notice measure compare explain improve replace remove change write read "
    "learn teach share publish ship wait start stop keep try move turn follow open close"
).split()

NOUNS = (
    "cache server client request queue index schema template feed archive editor reader library "
    "module compiler runtime benchmark pipeline branch patch fixture interface protocol browser layout "
    "font asset bundle heading paragraph footnote taxonomy newsletter garden kitchen notebook lighthouse "
    "river bicycle workshop harbour signal pattern habit mistake lesson question answer deadline"
).split()

ADJS = (
    "careful simple small fast slow quiet honest useful strange familiar obvious subtle gentle modest "
    "practical curious stubborn elegant clumsy reliable fragile rough steady bright narrow broad hidden "
    "boring lazy incremental static dynamic"
).split()

VERBS = (
    "understand remember notice measure compare explain improve replace remove change write read learn "
    "teach share publish ship rebuild profile refactor cache render"
).split()

CJK = ["日本語", "中文", "漢字", "東京", "簡単", "文章", "静的サイト", "한국어", "写真", "读者"]

DOMAINS = ["example.com", "example.org", "example.net", "docs.example.com", "blog.example.org"]

CODE_SNIPPETS = {
    "python": [
        'def render(post, template):\n    """Render one post."""\n    body = markdown(post.body)\n'
        '    return template.render(title=post.title, body=body)\n\n\nfor post in posts:\n'
        '    write(post.url, render(post, tpl))',
        'import pathlib\n\ncounts = {}\nfor path in pathlib.Path("content").rglob("*.md"):\n'
        '    text = path.read_text(encoding="utf-8")\n    counts[path.stem] = len(text.split())\n'
        'print(sorted(counts.items(), key=lambda kv: kv[1])[-5:])',
        'class Feed:\n    def __init__(self, items, limit=20):\n        self.items = sorted(items, key=lambda i: i.date, reverse=True)[:limit]\n\n'
        '    def __len__(self):\n        return len(self.items)',
    ],
    "js": [
        "const posts = await loadPosts('content/posts');\nfor (const post of posts) {\n"
        "  const html = render(post.body);\n  await write(`public/${post.slug}/index.html`, html);\n}",
        "function debounce(fn, ms = 100) {\n  let t;\n  return (...args) => {\n    clearTimeout(t);\n"
        "    t = setTimeout(() => fn(...args), ms);\n  };\n}\n\nwindow.addEventListener('resize', debounce(layout));",
    ],
    "bash": [
        "set -euo pipefail\nfor f in content/posts/*/*.md; do\n  wc -w \"$f\"\ndone | sort -n | tail -5",
        "git log --since='1 year ago' --pretty=format:'%h %s' -- content/ \\\n  | grep -i draft \\\n  | head -20",
        "python3 -m venv .venv\n. .venv/bin/activate\npip install -r requirements.txt\nmake build && make serve",
    ],
}

START = dt.datetime(2015, 1, 1, tzinfo=dt.timezone.utc)
SPAN_SECONDS = int((dt.datetime(2024, 12, 31, 23, 59, tzinfo=dt.timezone.utc) - START).total_seconds())


def slugify(s: str) -> str:
    s = s.lower()
    s = re.sub(r"[^a-z0-9]+", "-", s)
    return s.strip("-")


class PostGen:
    def __init__(self, rng: random.Random):
        self.r = rng
        self.words = 0

    # --- inline text --------------------------------------------------------
    def _plain_words(self, n: int) -> list[str]:
        return [self.r.choice(WORDS) for _ in range(n)]

    def sentence(self, markup: bool = True) -> str:
        r = self.r
        n = r.randint(7, 22)
        w = self._plain_words(n)
        if markup:
            # decorate a few spans with inline markup
            roll = r.random()
            if roll < 0.18:
                i = r.randrange(n)
                w[i] = f"*{w[i]}*"
            elif roll < 0.30:
                i = r.randrange(max(1, n - 1))
                w[i] = f"**{w[i]}"
                w[i + 1 if i + 1 < n else i] += "**"
            elif roll < 0.42:
                i = r.randrange(n)
                w[i] = "`" + r.choice(["build()", "--drafts", "config.toml", "render_page", "npm run", "index.html", "yaml.safe_load", "git push", "SITE_URL", "posts/*.md"]) + "`"
            elif roll < 0.52:
                i = r.randrange(max(1, n - 2))
                span = " ".join(w[i:i + 2])
                url = f"https://{r.choice(DOMAINS)}/{r.choice(NOUNS)}/{r.choice(NOUNS)}-{r.randint(1, 999)}"
                w[i:i + 2] = [f"[{span}]({url})"]
            elif roll < 0.58:
                i = r.randrange(n)
                w[i] = f"“{w[i]}”"
            elif roll < 0.62:
                i = r.randrange(n)
                w[i] = f"{w[i]} {r.choice(CJK)}"
            elif roll < 0.68:
                i = r.randrange(max(1, n - 1))
                w[i] = f"{w[i]} —"
            elif roll < 0.72:
                i = r.randrange(n)
                w[i] = f"{w[i]}’s"
        self.words += len(w)
        s = " ".join(w)
        s = s[0].upper() + s[1:]
        return s + r.choice([".", ".", ".", ".", "?", "!", ";", "."]).replace(";", ".")

    def paragraph(self, lo: int = 3, hi: int = 7) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def heading_text(self) -> str:
        r = self.r
        forms = [
            lambda: f"Why the {r.choice(ADJS)} {r.choice(NOUNS)} matters",
            lambda: f"{r.choice(VERBS).capitalize()} the {r.choice(NOUNS)} first",
            lambda: f"A {r.choice(ADJS)} look at {r.choice(NOUNS)}s",
            lambda: f"What I learned about the {r.choice(NOUNS)}",
            lambda: f"The {r.choice(NOUNS)} and the {r.choice(NOUNS)}",
            lambda: f"{r.choice(ADJS).capitalize()} {r.choice(NOUNS)}s — {r.choice(ADJS)} {r.choice(NOUNS)}s",
        ]
        t = r.choice(forms)()
        self.words += len(t.split())
        return t

    # --- blocks -------------------------------------------------------------
    def bullet_list(self) -> str:
        items = []
        for _ in range(self.r.randint(3, 6)):
            s = self.sentence()
            items.append(f"- {s}")
        return "\n".join(items)

    def numbered_list(self) -> str:
        return "\n".join(f"{k}. {self.sentence()}" for k in range(1, self.r.randint(3, 6) + 1))

    def blockquote(self) -> str:
        s = " ".join(self.sentence() for _ in range(self.r.randint(1, 3)))
        who = self.r.choice(AUTHORS)
        self.words += 2
        return f"> {s}\n>\n> — {who}"

    def code_block(self) -> str:
        lang = self.r.choice(list(CODE_SNIPPETS))
        code = self.r.choice(CODE_SNIPPETS[lang])
        self.words += len(code.split())
        return f"```{lang}\n{code}\n```"

    def table(self) -> str:
        r = self.r
        cols = r.randint(3, 4)
        head = ["Tool", "Pages", "Seconds", "Notes"][:cols]
        rows = [
            "| " + " | ".join(head) + " |",
            "|" + "|".join([" --- "] + [" ---: "] * (cols - 2) + [" --- "]) + "|",
        ]
        for _ in range(r.randint(3, 6)):
            cells = [r.choice(NOUNS), str(r.randint(10, 20000)), f"{r.uniform(0.1, 99):.2f}",
                     " ".join(self._plain_words(r.randint(2, 5)))][:cols]
            rows.append("| " + " | ".join(cells) + " |")
        self.words += 6 * cols
        return "\n".join(rows)

    def image(self) -> str:
        r = self.r
        name = f"{r.choice(NOUNS)}-{r.randint(1, 500)}.jpg"
        alt = " ".join(self._plain_words(3))
        return f"![{alt}](/images/{name} \"{alt.capitalize()}\")"

    # --- whole post ---------------------------------------------------------
    def body(self) -> str:
        r = self.r
        target = r.randint(800, 1500)
        blocks: list[str] = [self.paragraph(2, 5)]
        # blocks each post must have somewhere; optional ones by chance
        must = ["bullets", "numbered", "quote", "unicode"]
        if r.random() < 0.35:
            must.append("code")
        if r.random() < 0.20:
            must.append("table")
        if r.random() < 0.30:
            must.append("image")
        r.shuffle(must)
        n_sections = 0
        while self.words < target or must or n_sections < 3:
            n_sections += 1
            blocks.append("## " + self.heading_text())
            for _ in range(r.randint(1, 3)):
                blocks.append(self.paragraph())
                if must and r.random() < 0.6:
                    kind = must.pop()
                    if kind == "bullets":
                        blocks.append(self.bullet_list())
                    elif kind == "numbered":
                        blocks.append(self.numbered_list())
                    elif kind == "quote":
                        blocks.append(self.blockquote())
                    elif kind == "code":
                        blocks.append(self.code_block())
                    elif kind == "table":
                        blocks.append(self.table())
                    elif kind == "image":
                        blocks.append(self.image())
                    elif kind == "unicode":
                        blocks.append(
                            f"A note on ‘{r.choice(NOUNS)}’ — readers in {r.choice(CJK)} "
                            f"({r.choice(CJK)}) asked about “{r.choice(ADJS)} {r.choice(NOUNS)}s”. "
                            + self.paragraph(1, 3))
                        self.words += 10
                if self.words >= target and not must:
                    break
            if r.random() < 0.5 and (self.words < target or must):
                blocks.append("### " + self.heading_text())
                blocks.append(self.paragraph())
        return "\n\n".join(blocks) + "\n"


def make_post(seed: int, i: int):
    r = random.Random(f"{seed}:{i}")
    date = START + dt.timedelta(seconds=r.randrange(SPAN_SECONDS))
    date = date.replace(second=0)
    forms = [
        lambda: f"The {r.choice(ADJS)} {r.choice(NOUNS)}",
        lambda: f"How we {r.choice(VERBS)} the {r.choice(NOUNS)}",
        lambda: f"Notes on {r.choice(ADJS)} {r.choice(NOUNS)}s",
        lambda: f"{r.choice(VERBS).capitalize()}, {r.choice(VERBS)}, {r.choice(VERBS)}: a {r.choice(NOUNS)} story",
        lambda: f"Week {r.randint(1, 52)} — {r.choice(ADJS)} {r.choice(NOUNS)}s and {r.choice(NOUNS)}s",
        lambda: f"On the {r.choice(NOUNS)} of {r.choice(NOUNS)}s",
    ]
    title = r.choice(forms)()
    author = r.choice(AUTHORS)
    tags = r.sample(TAGS, r.randint(1, 4))
    g = PostGen(r)
    summary = " ".join(g.sentence(markup=False) for _ in range(r.randint(1, 2)))
    has_draft = r.random() < 0.5
    body = g.body()
    return {
        "title": title, "date": date, "author": author, "tags": tags,
        "summary": summary, "draft_field": has_draft, "body": body,
    }


def front_matter(p: dict, slug: str, flavor: str) -> str:
    if flavor in ("yaml", "sitegen"):
        author = slugify(p["author"]) if flavor == "sitegen" else json.dumps(p["author"], ensure_ascii=False)
        lines = [
            "---",
            f"title: {json.dumps(p['title'], ensure_ascii=False)}",
            f"date: {p['date'].strftime('%Y-%m-%dT%H:%M:%SZ')}",
            f"author: {author}",
            "tags: [" + ", ".join(p["tags"]) + "]",
            f"summary: {json.dumps(p['summary'], ensure_ascii=False)}",
            f"slug: {slug}",
        ]
        if p["draft_field"]:
            lines.append("draft: false")
        lines.append("---")
        return "\n".join(lines) + "\n\n"
    # pelican: Python-Markdown 'meta' extension style, "Key: value", ends at first blank line
    lines = [
        f"Title: {p['title']}",
        f"Date: {p['date'].strftime('%Y-%m-%d %H:%M')}",
        f"Author: {p['author']}",
        "Tags: " + ", ".join(p["tags"]),
        f"Summary: {p['summary']}",
        f"Slug: {slug}",
    ]
    if p["draft_field"]:
        lines.append("Status: published")
    return "\n".join(lines) + "\n\n"


def write_site_files(out: str, content: str) -> None:
    """site.yaml and one author file per author, so the corpus is a complete sitegen site."""
    os.makedirs(os.path.join(content, "authors"), exist_ok=True)
    for name in AUTHORS:
        with open(os.path.join(content, "authors", slugify(name) + ".md"), "w", encoding="utf-8") as f:
            f.write(f"---\nname: {json.dumps(name, ensure_ascii=False)}\n"
                    f"email: {slugify(name)}@example.com\n---\n{name} writes about software and people.\n")
    with open(os.path.join(out, "site.yaml"), "w", encoding="utf-8") as f:
        f.write("title: Benchmark Letters\nurl: https://example.org/letters/\nlanguage: en\n"
                "timezone: UTC\nauthor: " + slugify(AUTHORS[0]) + "\npaginate: 10\n"
                # link-preview cards (about 7 ms a letter, once) are off: the peers make none
                "social_cards: false\n")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--posts", type=int, required=True, help="number of posts")
    ap.add_argument("--out", required=True, help="output directory (DIR/content/posts/YYYY/slug.md)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--flavor", choices=["sitegen", "yaml", "pelican"], default="sitegen",
                    help="sitegen: a whole sitegen site (site.yaml, authors, posts); "
                         "yaml: '---' YAML front matter (Hugo, Eleventy, generic); "
                         "pelican: 'Key: value' header for Pelican's Markdown reader")
    ap.add_argument("--force", action="store_true", help="delete DIR/content first if it exists")
    a = ap.parse_args(argv)

    content = os.path.join(a.out, "content")
    if os.path.exists(content):
        if not a.force:
            print(f"{content} exists; use --force to replace it", file=sys.stderr)
            return 2
        shutil.rmtree(content)
    used: set[str] = set()
    total_words = 0
    total_bytes = 0
    for i in range(a.posts):
        p = make_post(a.seed, i)
        base = slugify(p["title"]) or f"post-{i}"
        slug, k = base, 2
        while slug in used:
            slug, k = f"{base}-{k}", k + 1
        used.add(slug)
        d = os.path.join(content, "posts", p["date"].strftime("%Y"))
        os.makedirs(d, exist_ok=True)
        text = front_matter(p, slug, a.flavor) + p["body"]
        data = text.encode("utf-8")
        with open(os.path.join(d, slug + ".md"), "wb") as f:
            f.write(data)
        total_words += len(p["body"].split())
        total_bytes += len(data)
    if a.flavor == "sitegen":
        write_site_files(a.out, content)
    print(f"wrote {a.posts} posts ({a.flavor}) to {content}: "
          f"{total_bytes / 1e6:.1f} MB, {total_words} body words "
          f"({total_words / max(1, a.posts):.0f}/post)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
