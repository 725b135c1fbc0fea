"""The build cache never serves stale output, whatever sequence of edits a writer makes.

A randomized differential test: each seed draws a sequence of realistic edits (post text and front
matter, new, deleted and renamed posts, authors, pages, images, site.yaml, a two-level theme and
the packaged one, static files, and now and then a mistake that is fixed at the next save). After
every build, the output folder must hold exactly what a build from nothing gives, byte for byte.

Each case runs sitegen the way one of its commands does:

- cli: a new Builder for every build, as `sitegen build` (snapshot, edit index, key memos, the
  nothing-changed shortcut and the quick rebuild after a text edit);
- watch: one long-lived Builder told the changed files, as `sitegen build --watch`;
- serve: the same with drafts and a base URL into .sitegen-cache/serve/, with the quick page of an
  edited post first, as `sitegen serve`;
- mixed: `sitegen serve` running while `sitegen build` is run now and then: two builders, one cache;
- no-cache: as cli, with `sitegen build --no-cache` into the same output/ now and then.

More cases: SITEGEN_FUZZ_SEEDS=200 (seeds 0-199; also "17,42" or "100-299"), SITEGEN_FUZZ_STEPS=40,
SITEGEN_FUZZ_PATHS=cli,watch. SITEGEN_FUZZ_STATS=FILE appends what each case covered, as JSON lines.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import json
import os
import random
import shutil
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import pytest
from conftest import AUTHOR_BEN, NOW, SITE_YAML, Site, picture, post
from test_cache import CHILD_TEMPLATES, PARENT_THEME, themed_site

from sitegen.engine.builder import Builder, build
from sitegen.engine.memory import Lifetime
from sitegen.engine.options import BuildOptions, BuildReport, Route
from sitegen.engine.store import discard
from sitegen.errors import SiteError, SiteErrors
from sitegen.output.writer import MARKER

DEFAULT_SEEDS = {"cli": range(6), "watch": range(5), "serve": range(5), "mixed": range(4), "no-cache": (0, 1, 9)}
"""Fixed seeds, so that CI runs the same cases every time."""
DEFAULT_STEPS = 12
SERVE_URL = "http://127.0.0.1:8000/"

WORDS = (
    "letter", "reach", "out", "connection", "friend", "note", "why", "café", "naïve", "東京", "手紙",
    "coffee", "question", "answer", "follow", "listen", "network", "trust", "weekly", "essay",
)
TAGS = ("writing", "Writing", "networking", "mental health", "日本語", "café", "notes")
PAGE_SLUGS = ("subscribe", "colophon", "now", "uses", "elsewhere")
PERMALINKS = ('{post: "/posts/{slug}/"}', '{post: "/{year}/{slug}/"}', '{post: "/blog/{year}/{month}/{slug}/"}')


def _q(text: str) -> str:
    """A YAML scalar for any text (JSON is YAML)."""
    return json.dumps(text, ensure_ascii=False)


@dataclass
class PostSpec:
    """One post as the writer has it; `text()` is its file."""

    title: str
    date: str
    blocks: list[str]
    tags: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    """Empty: site.yaml's default author."""
    summary: str | None = None
    subtitle: str | None = None
    updated: str | None = None
    draft: bool = False
    toc: bool = False
    image: str | None = None
    image_alt: str | None = None
    issue: int | None = None
    slug: str | None = None
    typo: bool = False
    """A misspelt key (`tittle:`): a warning."""
    broken: str | None = None
    """A mistake the next save fixes: "no title", "bad date", "impossible date" or "unknown author"."""

    def text(self) -> str:
        meta: dict[str, str] = {}
        authors = ["anna"] if self.broken == "unknown author" else self.authors
        if len(authors) == 1:
            meta["author"] = authors[0]
        elif authors:
            meta["authors"] = "[" + ", ".join(authors) + "]"
        optional = {
            "subtitle": self.subtitle and _q(self.subtitle),
            "updated": self.updated,
            "tags": "[" + ", ".join(_q(t) for t in self.tags) + "]" if self.tags else None,
            "summary": self.summary and _q(self.summary),
            "slug": self.slug,
            "draft": "true" if self.draft else None,
            "image": self.image,
            "image_alt": self.image_alt and _q(self.image_alt),
            "issue": None if self.issue is None else str(self.issue),
            "toc": "true" if self.toc else None,
            "tittle": _q("a misspelt key") if self.typo else None,
        }
        meta.update({k: v for k, v in optional.items() if v})
        written = {"bad date": "the fifth of March", "impossible date": "2024-02-30"}.get(self.broken or "", self.date)
        text = post(_q(self.title), written, "\n\n".join(self.blocks) + "\n", **meta)
        return text.replace(f"title: {_q(self.title)}\n", "", 1) if self.broken == "no title" else text


@dataclass
class PageSpec:
    """A standalone page."""

    title: str
    blocks: list[str]
    draft: bool = False
    slug: str | None = None

    def text(self) -> str:
        meta = [f"title: {_q(self.title)}"] + (["draft: true"] if self.draft else [])
        meta += [f"slug: {self.slug}"] if self.slug else []
        return "---\n" + "\n".join(meta) + "\n---\n" + "\n\n".join(self.blocks) + "\n"


@dataclass
class AuthorSpec:
    """An author file."""

    name: str
    bio: str
    tagline: str | None = None
    email: str | None = None
    photo: str | None = None
    linkedin: bool = False

    def text(self) -> str:
        meta = [f"name: {_q(self.name)}"]
        meta += [f"tagline: {_q(self.tagline)}"] if self.tagline else []
        meta += [f"email: {self.email}"] if self.email else []
        meta += [f"photo: {self.photo}"] if self.photo else []
        if self.linkedin:
            meta += ["links:", '  - {label: LinkedIn, url: "https://www.linkedin.com/in/example/"}']
        return "---\n" + "\n".join(meta) + "\n---\n" + self.bio + "\n"


# Templates of the child theme (which extends the parent's base.html), each with variants that
# read different parts of the site: titles only, whole bodies, every post, the authors...
_BLOCK = "{% extends 'base.html' %}{% block content %}"
_END = "{% endblock %}"
CHILD_VARIANTS: dict[str, tuple[str, ...]] = {
    "post.html": (
        PARENT_THEME["themes/child/templates/post.html"],
        _BLOCK + "<h1>{{ post.title }}</h1>{% if post.subtitle %}<p>{{ post.subtitle }}</p>{% endif %}"
        "<p>{{ post.date | date }} · {{ post.reading_minutes }} min · "
        "{% for a in post.authors %}{{ a.name }} {% endfor %}"
        "{% for t in post.tags %}<a href=\"{{ t.url | url }}\">{{ t.name }}</a>{% endfor %}</p>"
        "{% if post.toc_enabled %}<ol>{% for h in post.toc %}<li>{{ h.text }}</li>{% endfor %}</ol>{% endif %}"
        "{% if post.image %}<img src=\"{{ post.image | url }}\" alt=\"\">{% endif %}{{ post.html | safe }}"
        "{% if newer %}<a rel=next href=\"{{ newer.url | url }}\">{{ newer.title }}: {{ newer.summary }}</a>"
        "{% endif %}{% if older %}<a rel=prev href=\"{{ older.url | url }}\">{{ older.title }}</a>{% endif %}" + _END,
        _BLOCK + "{{ post.html | safe }}<aside>{% for p in site.posts[:3] %}{{ p.title }} {% endfor %}</aside>" + _END,
        _BLOCK + "{{ post.html | safe }}{% if older %}<section>{{ older.html | safe }}</section>{% endif %}" + _END,
    ),
    "index.html": (
        _BLOCK + "x" + _END,
        _BLOCK + "{% for p in paginator.posts %}<h2>{{ p.title }}</h2><p>{{ p.summary }}</p>{% endfor %}"
        "{% if paginator.next_url %}<a href=\"{{ paginator.next_url | url }}\">older</a>{% endif %}" + _END,
        _BLOCK + "{% for p in paginator.posts %}{{ p.html | safe }}{% endfor %}" + _END,
    ),
    "tag.html": (
        _BLOCK + "x" + _END,
        _BLOCK + "{{ tag.name }}{% for p in tag.posts %} {{ p.title }}{% endfor %}"
        "{% for f in tag_feeds %}<a href=\"{{ f.url | url }}\">{{ f.title }}</a>{% endfor %}" + _END,
        _BLOCK + "{% for p in tag.posts %}{{ p.html | safe }}{% endfor %}" + _END,
    ),
    "author.html": (
        _BLOCK + "x" + _END,
        _BLOCK + "{{ author.name }} {{ author.tagline }}{{ author.bio.html | safe }}"
        "{% for p in posts %} {{ p.title }}{% endfor %}"
        "{% for f in author_feeds %}<a href=\"{{ f.url | url }}\">{{ f.title }}</a>{% endfor %}" + _END,
    ),
    "archive.html": (
        _BLOCK + "x" + _END,
        _BLOCK + "{% for y in years %}<h2>{{ y.year }}</h2>"
        "{% for p in y.posts %}{{ p.title }} {{ p.date | isodate }}{% endfor %}{% endfor %}" + _END,
    ),
    "tags.html": (
        _BLOCK + "x" + _END,
        _BLOCK + "{% for t in site.tags %}{{ t.name }} ({{ t.posts | length }}) {% endfor %}" + _END,
    ),
    "page.html": (_BLOCK + "x" + _END, _BLOCK + "<h1>{{ page.title }}</h1>{{ page.html | safe }}" + _END),
    "404.html": (_BLOCK + "x" + _END, _BLOCK + "{% for p in site.posts[:2] %}{{ p.title }}{% endfor %}" + _END),
}
BASE = PARENT_THEME["themes/parent/templates/base.html"]
BASE_VARIANTS = (
    BASE,
    BASE.replace("parent footer", "{% for a in site.authors %}{{ a.name }} {% endfor %}"),
    BASE.replace("<main>", "{% for f in feeds %}<link rel=alternate href=\"{{ f.url | url }}\">{% endfor %}"
                 "<p>{{ site.config.description }}</p><main>"),
)
KID_PAGE = (
    "{% extends 'base.html' %}{% block title %}{{ page.title }}{% endblock %}"
    "{% block content %}<article><h1>{{ page.title }}</h1>{{ page.html | safe }}</article>{% endblock %}"
)
THEME_FILES = {
    "themes/kid/theme.yaml": "parent: default\n",  # a child of the packaged theme
    "themes/kid/templates/page.html": KID_PAGE,
}


class SiteFuzzer:
    """A writer at work on a site: each edit changes files on disk and says what it did.

    Every write sets the file's modification time to a value later than any before, so that sitegen
    always can tell a change (two same-size writes within one clock tick are missed by design)."""

    def __init__(self, root: Path, rng: random.Random) -> None:
        self.root = root
        self.rng = rng
        self.clock = time.time_ns() // 10**9 * 10**9 + 10**9
        self.changed: set[str] = set()
        """Absolute paths written or deleted since last asked, as a watcher reports them."""
        self.kinds: Counter[str] = Counter()
        self.fix: Callable[[], str] | None = None
        """Undoes the mistake of the last step, if it made one."""
        self.counter = 10
        self.posts: dict[str, PostSpec] = {}
        self.before: dict[str, PostSpec] = {}
        """Each edited post as it was before its last edit, for an undo."""
        self.pages: dict[str, PageSpec] = {}
        self.authors: dict[str, AuthorSpec] = {}
        self.config: dict[str, str] = {}
        self.theme: dict[str, str] = {}
        self.binary: dict[str, bytes] = {}
        """Images and other files copied as they are, by path."""

    # -- files ---------------------------------------------------------------------------------

    def write(self, rel: str, data: str | bytes) -> None:
        """Write a file, noting it (and any folder made for it) as a watcher would."""
        path = self.root / rel
        folder = path.parent
        while not folder.exists():
            self.changed.add(str(folder))
            folder = folder.parent
        path.parent.mkdir(parents=True, exist_ok=True)
        data = data.encode() if isinstance(data, str) else data
        if path.exists() and self.rng.random() < 0.25:
            # as editors that save safely do: a temporary file renamed over the old one (a new
            # inode), which a watcher sees too when it is in the same folder
            temp = path.with_name(f".{path.name}.swp")
            temp.write_bytes(data)
            os.replace(temp, path)
            if self.rng.random() < 0.5:
                self.changed.add(str(temp))
        else:
            path.write_bytes(data)
        self.clock += 10**9
        os.utime(path, ns=(self.clock, self.clock))
        self.changed.add(str(path))

    def delete(self, rel: str) -> None:
        """Delete a file, and its folder when that leaves it empty (a bundle)."""
        path = self.root / rel
        path.unlink()
        self.changed.add(str(path))
        if path.parent.name not in ("posts", "pages", "authors", "static", "content") and not any(
            path.parent.iterdir()
        ):
            path.parent.rmdir()
            self.changed.add(str(path.parent))

    def rename(self, old: str, new: str) -> None:
        """Move a file as `mv` does: same inode and modification time, another path."""
        source, target = self.root / old, self.root / new
        folder = target.parent
        while not folder.exists():
            self.changed.add(str(folder))
            folder = folder.parent
        target.parent.mkdir(parents=True, exist_ok=True)
        os.rename(source, target)
        self.changed |= {str(source), str(target)}
        if source.parent.name != "posts" and not any(source.parent.iterdir()):
            source.parent.rmdir()
            self.changed.add(str(source.parent))

    def take_changed(self) -> set[str]:
        changed, self.changed = self.changed, set()
        return changed

    def save_post(self, path: str) -> None:
        self.write(path, self.posts[path].text())

    def save_config(self) -> None:
        self.write("site.yaml", "".join(f"{key}: {value}\n" for key, value in self.config.items()))

    # -- text ------------------------------------------------------------------------------------

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(count))

    def sentence(self, count: int = 8) -> str:
        return self.words(count).capitalize() + "."

    def post_date(self, future: bool = False) -> str:
        """A date before NOW (or after it), in one of the forms writers use."""
        start, days = (date(2026, 6, 3), 500) if future else (date(2023, 1, 1), 1245)
        day = start + timedelta(days=self.rng.randrange(days))
        form = self.rng.randrange(3)
        if form == 0:
            return day.isoformat()
        if form == 1:
            return f"{day.isoformat()} {self.rng.randrange(24):02}:{self.rng.choice((0, 30)):02}"
        return f"{day.isoformat()}T08:00:00-05:00"

    def new_name(self) -> str:
        self.counter += 1
        return f"p{self.counter}"

    # -- the site at the start -------------------------------------------------------------------

    def setup(self) -> None:
        """The themed site of test_cache.py, with posts, pages and authors this fuzzer knows."""
        self.config = dict(line.split(": ", 1) for line in SITE_YAML.splitlines())
        self.authors = {
            "content/authors/ana.md": AuthorSpec(
                "Ana Example", "Ana writes about **reaching out**.", "Writer and coach", "ana@example.com",
                linkedin=True,
            ),
            "content/authors/ben.md": AuthorSpec("Ben Okafor", AUTHOR_BEN.split("---\n")[-1].strip()),
        }
        self.posts = {
            "content/posts/first.md": PostSpec("First post", "2024-01-05", ["The *first* words."],
                                               tags=["writing", "Networking"]),
            "content/posts/second.md": PostSpec("Second post", "2025-02-10 09:30", ["More words."],
                                                tags=["writing"], authors=["ben"]),
            "content/posts/third.md": PostSpec("Third: “quoted” 世界", "2026-03-01T08:00:00-05:00", ["Last words."]),
            "content/posts/harbour/index.md": PostSpec(
                "Harbour at dawn", "2025-08-03", ["![The harbour](cover.jpg)", "Boats and gulls."],
                image="cover.jpg", tags=["notes"],
            ),
            "content/posts/p10.md": PostSpec(
                "Notes with parts", "2025-11-20 18:00",
                ["An opening paragraph.", "## A part", "Words of the part.[^1]", "```python\nprint('hi')\n```",
                 "[^1]: A footnote."],
                toc=True, authors=["ana", "ben"],
            ),
        }
        self.pages = {"content/pages/about.md": PageSpec("About", ["About this newsletter."])}
        self.binary = {"content/posts/harbour/cover.jpg": picture(48, 32)}
        # each seed starts from its own templates and settings: what pages read decides what the
        # cache must follow, and a state reached only after many edits would be rarely tested
        self.theme = {**PARENT_THEME, **THEME_FILES}
        self.theme["themes/parent/templates/base.html"] = self.rng.choice(BASE_VARIANTS)
        for name in CHILD_TEMPLATES:
            self.theme[f"themes/child/templates/{name}.html"] = self.rng.choice(CHILD_VARIANTS[f"{name}.html"])
        # mostly post pages that read nothing of the site but its frame, which the quick paths need
        self.theme["themes/child/templates/post.html"] = self.rng.choices(CHILD_VARIANTS["post.html"], (3, 3, 1, 1))[0]
        self.config["theme"] = self.rng.choice(("child", "child", "child", "child", "default", "kid"))
        self.config["paginate"] = str(self.rng.randrange(1, 4))
        for path in list(self.root.joinpath("content/posts").glob("*.md")):
            path.unlink()  # basic_files()'s posts: written again below, from the specs
        for path, spec in [*self.posts.items(), *self.pages.items(), *self.authors.items()]:
            self.write(path, spec.text())
        for path, data in [*self.theme.items(), *self.binary.items()]:
            self.write(path, data)
        self.save_config()
        for _ in range(self.rng.randrange(3)):
            self.add_post()
        self.take_changed()

    # -- one step --------------------------------------------------------------------------------

    def step(self) -> list[str]:
        """Make the edits of one save (one to three files), or fix the last step's mistake."""
        done = []
        if self.fix is not None:
            done.append(self.fix())
            self.fix = None
        if self.rng.random() < 0.07 and not done:
            mistake = self.mistake()
            if mistake:
                self.kinds["mistake"] += 1
                return [mistake]
        count = self.rng.choices((1, 2, 3), (70, 20, 10))[0]
        while len(done) < count:
            edits = self.edits
            name = self.rng.choices(list(edits), [weight for weight, _ in edits.values()])[0]
            result = edits[name][1]()
            if result:
                self.kinds[name] += 1
                done.append(result)
        return done

    @property
    def edits(self) -> dict[str, tuple[int, Callable[[], str | None]]]:
        """Every kind of edit, with its weight."""
        return {
            "post text": (24, self.post_text),  # often alone in a step: the quick rebuild of edited posts
            "post body": (8, self.post_body),
            "post front matter": (12, self.post_front_matter),
            "undo": (2, self.undo),
            "touch": (2, self.touch),
            "add post": (3, self.add_post),
            "delete post": (2, self.delete_post),
            "rename post": (2, self.rename_post),
            "cover image": (3, self.cover_image),
            "asset": (2, self.asset),
            "author": (3, self.author),
            "page": (3, self.page),
            "site.yaml": (5, self.site_yaml),
            "template": (4, self.template),
            "theme css": (2, self.theme_css),
        }

    # -- posts -----------------------------------------------------------------------------------

    def pick_post(self) -> tuple[str, PostSpec]:
        path = self.rng.choice(sorted(self.posts))
        self.before[path] = copy.deepcopy(self.posts[path])
        return path, self.posts[path]

    def post_text(self) -> str:
        """Change a word of a later paragraph: what lists show of the post stays (the quick path)."""
        path, spec = self.pick_post()
        later = [i for i, b in enumerate(spec.blocks) if i and b[:1].isalpha()]
        if not later:
            spec.blocks.append(self.sentence())
            self.save_post(path)
            return f"{path}: a second paragraph"
        number = self.rng.choice(later)
        words = spec.blocks[number].split(" ")
        words[self.rng.randrange(len(words))] = self.rng.choice(WORDS)
        spec.blocks[number] = " ".join(words)
        self.save_post(path)
        return f"{path}: a word of block {number} is now {spec.blocks[number]!r}"

    def post_body(self) -> str:
        """A bigger edit of the text: a paragraph, a heading, code, a footnote, a quote..."""
        path, spec = self.pick_post()
        footnote = sum(b.startswith("[^") for b in spec.blocks) + 1
        others = [self.slug_of(p) for p in sorted(self.posts) if p != path]
        additions = {
            "a paragraph": [self.sentence(self.rng.randrange(3, 20))],
            "a new first paragraph": [],
            "a heading": [f"## {self.words(2).capitalize()}", self.sentence()],
            "a code fence": ["```python\nprint(" + _q(self.words(2)) + ")\n```"],
            "a footnote": [f"{self.sentence()}[^{footnote}]", f"[^{footnote}]: {self.sentence(4)}"],
            "a pull quote": ["{.pullquote}\n> " + self.sentence(6)],
            "a list": ["- " + self.words(2) + "\n- [x] " + self.words(3)],
            "raw HTML": ['<p class="aside">' + self.words(3) + "</p>"],
            "a link to another post": [f"[{self.words(2)}](../{self.rng.choice(others)}/)"] if others else [],
            "a long paragraph": [self.sentence(300)],
            "one block less": [],
        }
        what = self.rng.choice(sorted(additions))
        if what == "a new first paragraph":
            spec.blocks[0] = self.sentence(self.rng.randrange(3, 12))
        elif what == "one block less" and len(spec.blocks) > 1:
            del spec.blocks[self.rng.randrange(1, len(spec.blocks))]
        else:
            spec.blocks.extend(additions[what] or [self.sentence()])
        self.save_post(path)
        return f"{path}: {what}"

    def post_front_matter(self) -> str:
        path, spec = self.pick_post()
        changes: dict[str, Callable[[], object]] = {
            "title": lambda: self.sentence(self.rng.randrange(1, 5))[:-1],
            "subtitle": lambda: self.rng.choice((None, self.sentence(4))),
            "summary": lambda: self.rng.choice((None, self.sentence(6))),
            "date": self.post_date,
            "date (future)": lambda: self.post_date(future=True),
            "updated": lambda: self.rng.choice((None, "2026-05-02T10:00:00-04:00", "2025-12-24")),
            "tags": lambda: self.rng.sample(TAGS, self.rng.randrange(4)),
            "draft": lambda: not spec.draft,
            "toc": lambda: not spec.toc,
            "authors": lambda: self.rng.choice(self.author_choices()),
            "slug": lambda: self.rng.choice((None, f"s{self.new_name()}")),
            "typo": lambda: not spec.typo,
            "issue": lambda: self.rng.choice((None, self.rng.randrange(1, 40))),
            "image_alt": lambda: self.rng.choice((None, self.sentence(3)[:-1])),
        }
        what = self.rng.choice(sorted(changes))
        value = changes[what]()
        setattr(spec, what.split()[0], value)
        self.save_post(path)
        return f"{path}: {what} = {value!r}"

    def slug_of(self, path: str) -> str:
        spec = self.posts[path]
        return spec.slug or (Path(path).parent.name if path.endswith("/index.md") else Path(path).stem)

    def author_choices(self) -> list[list[str]]:
        ids = [Path(p).stem for p in self.authors]
        return [[], *([i] for i in ids), ["ana", "ben"]]

    def undo(self) -> str | None:
        """The writer takes back their last edit of a post: its old bytes, a new modification time."""
        known = {Path(p).stem for p in self.authors}
        paths = sorted(p for p in self.before if p in self.posts and set(self.before[p].authors) <= known)
        if not paths:
            return None  # (an author it named may be gone since)
        path = self.rng.choice(paths)
        self.posts[path], self.before[path] = self.before[path], self.posts[path]
        self.save_post(path)
        return f"{path}: undo its last edit"

    def touch(self) -> str:
        """Saved without a change: the same bytes, a new modification time."""
        files = sorted([*self.posts, *self.pages, *self.authors, "site.yaml"])
        path = self.rng.choice(files)
        self.write(path, (self.root / path).read_bytes())
        return f"{path}: saved unchanged"

    def add_post(self) -> str:
        name = self.new_name()
        bundle = self.rng.random() < 0.3
        path = f"content/posts/{name}/index.md" if bundle else f"content/posts/{name}.md"
        spec = PostSpec(
            self.sentence(3)[:-1], self.post_date(future=self.rng.random() < 0.15),
            [self.sentence(), self.sentence(12)], tags=self.rng.sample(TAGS, self.rng.randrange(3)),
            authors=self.rng.choice(self.author_choices()), draft=self.rng.random() < 0.15,
        )
        if bundle and self.rng.random() < 0.5:
            spec.image = "cover.jpg"
            self.binary[f"content/posts/{name}/cover.jpg"] = self.rng.choice(COVERS)
            self.write(f"content/posts/{name}/cover.jpg", self.binary[f"content/posts/{name}/cover.jpg"])
        self.posts[path] = spec
        self.save_post(path)
        return f"{path}: new post {spec.title!r}, {spec.date}" + (" (draft)" if spec.draft else "")

    def bundle_files(self, path: str) -> list[str]:
        folder = path.rsplit("/", 1)[0]
        return sorted(p for p in self.binary if p.startswith(folder + "/")) if path.endswith("/index.md") else []

    def delete_post(self) -> str | None:
        if len(self.posts) <= 2:
            return None
        path = self.rng.choice(sorted(self.posts))
        for asset in self.bundle_files(path):
            del self.binary[asset]
            self.delete(asset)
        del self.posts[path]
        self.before.pop(path, None)
        self.delete(path)
        return f"{path}: deleted"

    def rename_post(self) -> str:
        """mv a post: to a new name, into a bundle of its own name (same URL), or a bundle to a new name."""
        path = self.rng.choice(sorted(self.posts))
        stem = Path(path).parent.name if path.endswith("/index.md") else Path(path).stem
        if path.endswith("/index.md"):
            name = self.new_name()
            new = f"content/posts/{name}/index.md"
            for asset in self.bundle_files(path):
                moved = f"content/posts/{name}/{Path(asset).name}"
                self.binary[moved] = self.binary.pop(asset)
                self.rename(asset, moved)
        else:
            new = self.rng.choice((f"content/posts/{self.new_name()}.md", f"content/posts/{stem}/index.md"))
        self.rename(path, new)
        self.posts[new] = self.posts.pop(path)
        if path in self.before:
            self.before[new] = self.before.pop(path)
        return f"mv {path} {new}"

    def cover_image(self) -> str | None:
        """Add, replace (same size or not) or delete the cover image of a bundle post."""
        bundles = sorted(p for p in self.posts if p.endswith("/index.md"))
        if not bundles:
            return None
        path = self.rng.choice(bundles)
        spec, image = self.posts[path], path.replace("index.md", "cover.jpg")
        if image not in self.binary:
            self.binary[image] = self.rng.choice(COVERS)
            self.write(image, self.binary[image])
            spec.image = "cover.jpg"
            self.save_post(path)
            return f"{image}: added, and image: cover.jpg"
        what = self.rng.choice(("same size", "longer", "another picture", "deleted", "deleted, image: kept"))
        if what.startswith("deleted"):
            del self.binary[image]
            self.delete(image)
            if what == "deleted":
                spec.image = None
                self.save_post(path)
        elif what == "another picture":  # another size, or none a browser can show
            self.binary[image] = self.rng.choice([c for c in COVERS if c != self.binary[image]])
            self.write(image, self.binary[image])
        else:
            old = self.binary[image]
            self.binary[image] = old[:-1] + bytes([(old[-1] + 1) % 256]) if what == "same size" else old + b"!"
            self.write(image, self.binary[image])
        return f"{image}: {what}"

    def asset(self) -> str:
        """A file copied as it is: beside every flat post, under content/images, in static/, or the
        author photo (beside every author)."""
        path = self.rng.choice(
            ("content/posts/shared.png", "content/images/logo.png", "static/notes.txt", "static/social.png",
             "content/pages/photo.jpg", "content/authors/ana.jpg")
        )
        if path in self.binary and self.rng.random() < 0.4:
            del self.binary[path]
            self.delete(path)
            return f"{path}: deleted"
        old = self.binary.get(path, b"")
        self.binary[path] = self.rng.choice((old + b"more", old[:-1] + b"#" if old else b"first"))
        self.write(path, self.binary[path])
        if path == "content/authors/ana.jpg":
            self.authors["content/authors/ana.md"].photo = "ana.jpg"
            self.write("content/authors/ana.md", self.authors["content/authors/ana.md"].text())
        return f"{path}: {len(self.binary[path])} bytes"

    # -- authors and pages -----------------------------------------------------------------------

    def author(self) -> str | None:
        cy = "content/authors/cy.md"
        if self.rng.random() < 0.2:
            if cy not in self.authors:
                self.authors[cy] = AuthorSpec("Cy Ng", "Cy draws.")
                self.write(cy, self.authors[cy].text())
                return f"{cy}: new author"
            if any("cy" in p.authors for p in self.posts.values()) or self.config.get("author") == "cy":
                return None
            del self.authors[cy]
            self.delete(cy)
            return f"{cy}: deleted"
        path = self.rng.choice(sorted(self.authors))
        spec = self.authors[path]
        what = self.rng.choice(("name", "bio", "tagline", "email", "linkedin"))
        values = {
            "name": lambda: self.sentence(2)[:-1].title(),
            "bio": lambda: self.sentence(self.rng.randrange(2, 9)),
            "tagline": lambda: self.rng.choice((None, self.sentence(3))),
            "email": lambda: self.rng.choice((None, f"{Path(path).stem}@example.org")),
            "linkedin": lambda: not spec.linkedin,
        }
        setattr(spec, what, values[what]())
        self.write(path, spec.text())
        return f"{path}: {what} = {getattr(spec, what)!r}"

    def page(self) -> str:
        free = [s for s in PAGE_SLUGS if f"content/pages/{s}.md" not in self.pages]
        if free and self.rng.random() < 0.3:
            path = f"content/pages/{self.rng.choice(free)}.md"
            self.pages[path] = PageSpec(self.sentence(2)[:-1], [self.sentence()])
            self.write(path, self.pages[path].text())
            return f"{path}: new page"
        path = self.rng.choice(sorted(self.pages))
        spec = self.pages[path]
        what = self.rng.choice(("title", "text", "draft", "delete"))
        if what == "delete" and len(self.pages) > 1:
            del self.pages[path]
            self.delete(path)
            return f"{path}: deleted"
        what = "text" if what == "delete" else what
        if what == "title":
            spec.title = self.sentence(2)[:-1]
        elif what == "draft":
            spec.draft = not spec.draft
        else:
            spec.blocks.append(self.sentence())
        self.write(path, spec.text())
        return f"{path}: {what}"

    # -- site.yaml and the theme -----------------------------------------------------------------

    def site_yaml(self) -> str:
        values: dict[str, Callable[[], str | None]] = {
            "title": lambda: _q(self.sentence(2)[:-1]),
            "description": lambda: self.rng.choice((None, _q(self.sentence(5)))),
            "paginate": lambda: str(self.rng.randrange(1, 5)),
            "feed": lambda: self.rng.choice((None, "{limit: 2}", "{limit: 3, content: summary}", "{content: summary}")),
            "permalinks": lambda: self.rng.choice(PERMALINKS),
            "theme": lambda: self.rng.choice(("child", "child", "default", "kid")),
            "numbering": lambda: self.rng.choice((None, "auto", "{auto: true, in_titles: true}")),
            "font": lambda: self.rng.choice((None, "source-serif")),
            "timezone": lambda: self.rng.choice(("UTC", "America/Toronto", "Asia/Tokyo")),
            "language": lambda: self.rng.choice((None, "fr", "ja", "ar")),
            "strings": lambda: self.rng.choice(
                (None, "{archive: Every letter}", "{letters_count: {one: a letter, other: '{count} of them'}}")
            ),
            "images": lambda: self.rng.choice((None, "{copies: false}", "{warn_over_kb: 1}")),
            "redirects": lambda: self.rng.choice((None, "{/old-about/: /about/}", "{/gone/: https://example.com/}")),
            "search": lambda: self.rng.choice((None, "true")),
            "markdown": lambda: self.rng.choice(
                (None, "{html: false}", "{typographer: false}", "{callouts: false, figures: false}")
            ),
            "image": lambda: self.rng.choice((None, "/social.png")),
            "domain": lambda: self.rng.choice((None, "letters.example.com")),
            "author": lambda: self.rng.choice(("ana", "ben")),
            "connect": lambda: self.rng.choice((None, '{note: "Hi {author}, about {title}: let us talk."}')),
            "extra": lambda: self.rng.choice((None, "{color: teal}")),
        }
        key = self.rng.choice(sorted(values))
        value = values[key]()
        if value is None:
            self.config.pop(key, None)
        else:
            self.config[key] = value
        self.save_config()
        return f"site.yaml: {key}: {value}"

    def template(self) -> str:
        """A template of the child theme, of its parent, or of the packaged theme's child."""
        choice = self.rng.randrange(10)
        if choice < 7:
            name = self.rng.choice(sorted(CHILD_VARIANTS))
            path, text = f"themes/child/templates/{name}", self.rng.choice(CHILD_VARIANTS[name])
        elif choice < 9:
            path, text = "themes/parent/templates/base.html", self.rng.choice(BASE_VARIANTS)
        else:
            path = "themes/kid/templates/page.html"
            text = KID_PAGE.replace("<article>", f"<article data-v={self.rng.randrange(100)}>")
        if text == self.theme[path]:
            text += "\n"  # saved with a new last line: a change
        self.theme[path] = text
        self.write(path, text)
        return f"{path}: variant {text[:60]!r}…"

    def theme_css(self) -> str:
        """The parent's stylesheet, a child's copy hiding it, or a stylesheet of the packaged theme's child."""
        path = self.rng.choice(("themes/parent/static/site.css", "themes/child/static/site.css",
                                "themes/kid/static/style.css"))
        if path in self.theme and path != "themes/parent/static/site.css" and self.rng.random() < 0.4:
            del self.theme[path]
            self.delete(path)
            return f"{path}: deleted"
        self.theme[path] = self.theme.get(path, "") + f"p {{ color: #{self.rng.randrange(4096):03x}; }}\n"
        self.write(path, self.theme[path])
        return f"{path}: a new rule"

    # -- mistakes --------------------------------------------------------------------------------

    def mistake(self) -> str | None:
        """Break the site in one file; the next step puts the file back as it was."""
        kinds = ("no title", "bad date", "impossible date", "unknown author", "template", "site.yaml", "page slug")
        kind = self.rng.choice(kinds)
        if kind in kinds[:4]:
            path = self.rng.choice(sorted(self.posts))
            self.posts[path].broken = kind
            self.save_post(path)

            def fix() -> str:
                self.posts[path].broken = None
                self.save_post(path)
                return f"{path}: fixed"

            self.fix = fix
            return f"{path}: mistake: {kind}"
        if kind == "template":
            theme = self.config["theme"]
            path = {"child": "themes/child/templates/post.html", "kid": "themes/kid/templates/page.html"}.get(theme)
            if path is None:
                return None  # the packaged theme is not ours to break
            return self.broken_file(path, self.theme[path] + "{% if %}", "template syntax error")
        if kind == "site.yaml":
            return self.broken_file("site.yaml", (self.root / "site.yaml").read_text() + "titel: x\n", "unknown key")
        taken = sorted(self.pages)[0]
        slug = self.pages[taken].slug or Path(taken).stem
        return self.extra_file("content/pages/zz-copy.md", f"---\ntitle: Copy\nslug: {slug}\n---\nx\n", "same URL")

    def broken_file(self, path: str, text: str, what: str) -> str:
        good = (self.root / path).read_bytes()
        self.write(path, text)

        def fix() -> str:
            self.write(path, good)
            return f"{path}: fixed"

        self.fix = fix
        return f"{path}: mistake: {what}"

    def extra_file(self, path: str, text: str, what: str) -> str:
        self.write(path, text)

        def fix() -> str:
            self.delete(path)
            return f"{path}: deleted again"

        self.fix = fix
        return f"{path}: mistake: {what}"


# -- running sitegen, and the oracle --------------------------------------------------------------


@dataclass
class Target:
    """sitegen run on the site one way, and the saves its watcher has seen since its last build."""

    name: str
    options: BuildOptions
    long_lived: bool
    quick: bool = False
    every: float = 1.0
    """Chance that it builds at a step where builds happen (a `sitegen build` now and then; the dev
    server while saves pile up during its last rebuild)."""
    variants: tuple[dict[str, object], ...] = ()
    """Options a one-off build is run with now and then, into the same folder (`--drafts`...)."""
    builder: Builder | None = None
    pending: set[str] = field(default_factory=set)
    used: BuildOptions | None = None
    """The options of its last build."""

    def build(self, rng: random.Random) -> BuildReport:
        """One build, as the command would run it."""
        changed, self.pending = sorted(self.pending), set()
        self.used = self.options
        if not self.long_lived:
            if self.variants and rng.random() < 0.25:
                self.used = dataclasses.replace(self.options, **rng.choice(self.variants))  # type: ignore[arg-type]
            return Builder(self.used).build()
        if self.builder is None:
            self.builder = Builder(self.options, Lifetime.LONG_LIVED)  # as `sitegen serve` and `build --watch`
            return self.builder.build()
        if self.quick:
            self.builder.quick_page(changed)
        return self.builder.build(changed)


CLI_VARIANTS: tuple[dict[str, object], ...] = ({"drafts": True}, {"base_url": "https://preview.example/letters/"})
"""`sitegen build --drafts` and `--base-url`, into output/ like the plain build."""
NO_CACHE_VARIANTS = (*CLI_VARIANTS, {"use_cache": False}, {"use_cache": False, "drafts": True})
"""And `sitegen build --no-cache` into output/ too."""


def flags(options: BuildOptions) -> str:
    """The options of a one-off build as its command line says them."""
    given = [("--drafts", options.drafts), (f"--base-url {options.base_url}", options.base_url),
             ("--no-cache", not options.use_cache)]
    return " ".join(["sitegen build", *(flag for flag, on in given if on)])


def targets_for(path: str, root: Path) -> list[Target]:
    plain = BuildOptions(root, root / "output", now=NOW)
    served = BuildOptions(root, root / ".sitegen-cache/serve", drafts=True, base_url=SERVE_URL, now=NOW)
    return {
        "cli": [Target("cli", plain, long_lived=False, variants=CLI_VARIANTS)],
        "watch": [Target("watch", plain, long_lived=True)],
        "serve": [Target("serve", served, long_lived=True, quick=True)],
        "mixed": [
            Target("serve", served, long_lived=True, quick=True, every=0.8),
            Target("cli", plain, long_lived=False, every=0.5, variants=CLI_VARIANTS),
        ],
        "no-cache": [Target("cli", plain, long_lived=False, variants=NO_CACHE_VARIANTS)],
    }[path]


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def site_files(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files of a built site, its marker's content aside (it names the cache that built it)."""
    return {dest: b"" if dest == MARKER else data for dest, data in files.items()}


def stamps_of(out: Path) -> dict[str, tuple[bytes, int]]:
    return {k: (v, (out / k).stat().st_mtime_ns) for k, v in files_of(out).items()}


def route(report: BuildReport) -> str:
    """Which way the build went: nothing to do, the quick rebuild of edited posts, or in full."""
    return {Route.FULL: "full", Route.TEXT_EDIT: "quick edit", Route.UNCHANGED: "unchanged"}[report.route]


def messages(error: Exception) -> list[str]:
    return sorted(str(e) for e in error.errors) if isinstance(error, SiteErrors) else [str(error)]


def first_difference(dest: str, cached: bytes, fresh: bytes) -> str:
    """Where one output file first differs, with a little context (pages are often one long line)."""
    ours, theirs = cached.decode("utf-8", "replace").splitlines(), fresh.decode("utf-8", "replace").splitlines()
    pairs = enumerate(zip(ours, theirs, strict=False))
    number = next((i for i, (a, b) in pairs if a != b), min(len(ours), len(theirs)))
    a, b = (ours[number] if number < len(ours) else "<end>"), (theirs[number] if number < len(theirs) else "<end>")
    column = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, column - 120)
    return (
        f"first difference in {dest}, line {number + 1}, column {column + 1}:\n"
        f"  cached: …{a[start:column + 200]!r}\n  fresh:  …{b[start:column + 200]!r}"
    )


def difference(cached: dict[str, bytes], fresh: dict[str, bytes]) -> str | None:
    """What differs between two output folders, or None."""
    only_cached = sorted(cached.keys() - fresh.keys())
    only_fresh = sorted(fresh.keys() - cached.keys())
    differ = sorted(k for k in cached.keys() & fresh.keys() if cached[k] != fresh[k])
    if not (only_cached or only_fresh or differ):
        return None
    lines = [
        f"only in the cached build's output: {only_cached}",
        f"only in the build from nothing: {only_fresh}",
        f"different bytes: {differ}",
    ]
    if differ:
        lines.append(first_difference(differ[0], cached[differ[0]], fresh[differ[0]]))
    lines += [f"unified diff of {differ[0]} (first lines):"] if differ else []
    if differ:
        diff = difflib.unified_diff(
            cached[differ[0]].decode("utf-8", "replace").splitlines(),
            fresh[differ[0]].decode("utf-8", "replace").splitlines(),
            "cached", "fresh", lineterm="", n=1,
        )
        lines += [line[:300] for line in list(diff)[:20]]
    return "\n".join(lines)


@dataclass
class Outcome:
    """A build's report, or the site error it raised."""

    report: BuildReport | None = None
    error: SiteError | SiteErrors | None = None


def attempt(func: Callable[[], BuildReport]) -> Outcome:
    try:
        return Outcome(report=func())
    except (SiteError, SiteErrors) as exc:
        return Outcome(error=exc)


class Run:
    """One case: a seed, a way of running sitegen, and the steps so far (for the failure message)."""

    def __init__(self, path: str, seed: int, steps: int, site: Site, tmp_path: Path) -> None:
        self.path, self.seed, self.steps = path, seed, steps
        self.root, self.tmp = site.root, tmp_path
        self.rng = random.Random(f"{path}:{seed}")  # when to build: the edits come from their own
        self.fuzzer = SiteFuzzer(site.root, random.Random(seed))
        self.targets = targets_for(path, site.root)
        self.history: list[str] = []
        self.routes: Counter[str] = Counter()
        self.fresh: dict[tuple[bool, str | None], tuple[Outcome, dict[str, bytes]]] = {}

    def fail(self, step: int, target: Target, problem: str) -> None:
        test_id = f"tests/test_cache_fuzz.py::test_the_cache_never_serves_stale_output[{self.path}-{self.seed}]"
        used = target.used or target.options
        how = flags(used) if not target.long_lived else f"{target.name}: drafts={used.drafts}, {used.base_url}"
        pytest.fail(
            f"{problem}\nseed {self.seed}, path {self.path} ({how}), step {step} of {self.steps}\n"
            f"reproduce: SITEGEN_FUZZ_SEEDS={self.seed},{self.seed} SITEGEN_FUZZ_STEPS={self.steps} "
            f"python -m pytest '{test_id}'\nedits so far:\n  " + "\n  ".join(self.history),
            pytrace=False,
        )

    def from_nothing(self, step: int, options: BuildOptions) -> tuple[Outcome, dict[str, bytes]]:
        """A build with no cache into a new empty folder (once per step and set of options)."""
        key = (options.drafts, options.base_url)
        if key not in self.fresh:
            out = self.tmp / f"fresh-{step}-{len(self.fresh)}"
            fresh_options = BuildOptions(
                self.root, out, drafts=options.drafts, base_url=options.base_url, now=NOW, use_cache=False
            )
            outcome = attempt(lambda: build(fresh_options))
            self.fresh[key] = (outcome, files_of(out) if out.exists() else {})
            shutil.rmtree(out, ignore_errors=True)
        return self.fresh[key]

    def check(self, step: int, target: Target) -> None:
        """Build, and compare with a build from nothing."""
        out = target.options.out_dir
        before = stamps_of(out) if out.exists() else {}
        try:
            ours = attempt(lambda: target.build(self.rng))
        except Exception:  # a crash is a failure of its own, with the same context
            self.fail(step, target, f"crash:\n{traceback.format_exc()}")
        assert target.used is not None
        if target.used != target.options:
            self.history[-1] += f" [{flags(target.used)}]"
        fresh, expected = self.from_nothing(step, target.used)
        if ours.error is not None or fresh.error is not None:
            self.check_errors(step, target, ours, fresh, before)
            return
        assert ours.report is not None and fresh.report is not None
        self.routes[route(ours.report)] += 1
        problem = difference(site_files(files_of(out)), site_files(expected))
        if problem is not None:
            self.fail(step, target, f"stale output (the cached build went the {route(ours.report)} way)\n{problem}")
        if sorted(map(str, ours.report.warnings)) != sorted(map(str, fresh.report.warnings)):
            self.fail(step, target, f"warnings {ours.report.warnings} != {fresh.report.warnings} from nothing")

    def check_errors(
        self, step: int, target: Target, ours: Outcome, fresh: Outcome, before: dict[str, tuple[bytes, int]]
    ) -> None:
        """A broken site fails the same way with or without the cache, and the last good output stays."""
        if ours.error is None or fresh.error is None:
            self.fail(step, target, f"cached build: {ours.error!r}; build from nothing: {fresh.error!r}")
        assert ours.error is not None and fresh.error is not None
        if messages(ours.error) != messages(fresh.error):
            self.fail(step, target, f"errors {messages(ours.error)} != {messages(fresh.error)} from nothing")
        out = target.options.out_dir
        after = stamps_of(out) if out.exists() else {}
        if after != before and (before or set(after) - {MARKER}):  # (a new folder may keep its marker)
            self.fail(step, target, "a failed build changed the output folder")
        self.routes["error"] += 1

    def run(self) -> None:
        self.history.append("step 0: the site as it starts, built")
        for target in self.targets:
            self.check(0, target)
        for step in range(1, self.steps + 1):
            self.fresh = {}
            edits = self.fuzzer.step()
            self.history.append(f"step {step}: " + "; ".join(edits))
            changed = self.fuzzer.take_changed()
            for target in self.targets:
                target.pending |= changed
            if self.fuzzer.fix is None and step < self.steps and self.rng.random() < 0.2:
                self.history[-1] += " (no build: saved while the last one ran)"
                continue
            if self.rng.random() < 0.03:
                # `sitegen clean` (in another terminal, while the dev server runs): what follows starts from nothing
                shutil.rmtree(self.root / "output", ignore_errors=True)
                discard(self.root)
                self.history[-1] += " (then sitegen clean)"
            for target in self.rng.sample(self.targets, len(self.targets)):
                if step == self.steps or self.rng.random() < target.every:
                    self.check(step, target)
                else:
                    self.history[-1] += f" (no {target.name} build)"

    def stats(self) -> dict[str, object]:
        return {"path": self.path, "seed": self.seed, "steps": self.steps, "edits": dict(self.fuzzer.kinds),
                "builds": dict(self.routes)}


# -- the cases --------------------------------------------------------------------------------


def _seeds(path: str) -> list[int]:
    """The default seeds, or SITEGEN_FUZZ_SEEDS: a count, a list "17,42" or a range "100-299"."""
    given = os.environ.get("SITEGEN_FUZZ_SEEDS", "")
    if not given:
        return list(DEFAULT_SEEDS[path])
    if "," in given:
        return sorted({int(s) for s in given.split(",") if s})
    if "-" in given:
        low, high = given.split("-")
        return list(range(int(low), int(high) + 1))
    return list(range(int(given)))


COVERS = (picture(48, 32), picture(700, 350), picture(1400, 700, "PNG"), b"\xff\xd8 not a picture")
"""Covers of every kind: smaller than the text, wider (with copies), a PNG named .jpg, unreadable."""


def _steps() -> int:
    return int(os.environ.get("SITEGEN_FUZZ_STEPS", DEFAULT_STEPS))


def _cases() -> list[object]:
    paths = os.environ.get("SITEGEN_FUZZ_PATHS", ",".join(DEFAULT_SEEDS)).split(",")
    cases = []
    for path in paths:
        for seed in _seeds(path):
            cases.append(pytest.param(path, seed, id=f"{path}-{seed}"))
    return cases


@pytest.mark.parametrize(("path", "seed"), _cases())
def test_the_cache_never_serves_stale_output(
    make_site: Callable[..., Site], tmp_path: Path, path: str, seed: int
) -> None:
    site = themed_site(make_site)
    run = Run(path, seed, _steps(), site, tmp_path)
    run.fuzzer.setup()
    try:
        run.run()
    finally:
        stats = os.environ.get("SITEGEN_FUZZ_STATS")
        if stats:
            with open(stats, "a", encoding="utf-8") as out:
                out.write(json.dumps(run.stats()) + "\n")
