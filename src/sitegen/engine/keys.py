"""Every key of the build cache, in one place: what a key is made of decides what a change rebuilds.

A key is a hash of everything an output (or a parse result) was made from. If one input is left
out, an edit of it serves stale output; so each formula is written once, here, and
tests/test_keys.py checks that each key changes when each of its inputs does.

    versions      sitegen's version and code, and its libraries' versions
    parse key     versions, the settings parsing reads, a file's section, path and bytes
    site key      versions, every setting, the theme's files, drafts or not
    inputs key    the site key, every Markdown file's parse key, every copied file's stamp
    feed key      versions, settings, the feed's title and folder, its posts and their authors
                  (their parse keys) and cover sizes
    meta key      versions, settings, what the sitemap lists of posts, pages and authors
    page key      the site key, the template, the URL, what the page shows of the site (see
                  engine.plan: the post it is about, what it shows of the posts it lists, and the
                  parts of the site its template read)

A post's own identity in these keys is `model.assemble.source_key`: the parse keys of its file and
of its authors' files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from .. import __version__
from ..model.feedsets import FeedSet
from ..model.site import Post
from ..render.theme import Theme
from ..source.config import SiteConfig

LIBRARIES = (
    "markdown-it-py", "mdit-py-plugins", "Pygments", "Jinja2", "PyYAML", "feedgen", "lxml", "css-inline", "Pillow",
    "babel",
)
PACKAGE = Path(__file__).resolve().parent.parent


def hash_parts(parts: Iterable[str]) -> str:
    """The hash of some texts, in order: the one hash function of every key. (Each text ends in a
    NUL; joined first, they are hashed in one call, which made a rebuild's 10,000 parse keys
    40 % cheaper than one call per text.)"""
    texts = list(parts)
    joined = "\0".join(texts) + "\0" if texts else ""  # no parts hash no byte, as one empty part does not
    return hashlib.blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


@cache
def versions() -> str:
    """sitegen's version and code, and the versions of the libraries that shape its output."""
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={version(name)}")
        except PackageNotFoundError:  # pragma: no cover - installed as dependencies
            found.append(f"{name}=?")
    return ";".join([f"sitegen={__version__}+{code_digest()}", *found])


def code_digest() -> str:
    """A hash of every module of sitegen, in every subpackage: a writer who installs from a git
    checkout gets new code under the same version number, and no cache made by the old code may
    serve it."""
    hasher = hashlib.blake2b(digest_size=8)
    for module in sorted(PACKAGE.rglob("*.py")):
        hasher.update(module.relative_to(PACKAGE).as_posix().encode() + b"\0" + module.read_bytes())
    return hasher.hexdigest()


def file_digest(data: bytes) -> str:
    """The content hash of a file's bytes."""
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_stamp(stat: os.stat_result) -> str:
    """What says a file is unchanged without reading it: modification time, size and inode."""
    return f"{stat.st_mtime_ns}:{stat.st_size}:{stat.st_ino}"


def config_key(config: SiteConfig) -> str:
    """A hash of every setting of site.yaml (the site's folder aside)."""
    settings = {name: getattr(config, name) for name in config.__dataclass_fields__ if name != "root"}
    return hashlib.sha256(json.dumps(settings, sort_keys=True, default=str).encode()).hexdigest()


def theme_key(theme: Theme) -> str:
    """A hash of every file of the theme and its parents, by name (see Theme.files)."""
    digest = hashlib.sha256()
    for name, path in theme.files:
        digest.update(name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def parse_settings_key(config: SiteConfig) -> str:
    """The versions and the settings that parsing a file depends on: a change re-parses every file."""
    settings = (
        config.timezone, config.author, config.post_permalink, config.markdown_html,
        config.markdown_typographer, config.language, config.markdown_extras, config.plugin_ids,
    )
    return hash_parts((versions(), repr(settings)))


def parse_key(settings_key: str, section: str, src_path: str, digest: str) -> str:
    """The key of one Markdown file's parse result (and of its HTML in the body store)."""
    return hash_parts((settings_key, section, src_path, digest))


def site_key(config_key: str, theme_key: str, drafts: bool) -> str:
    """What every page depends on: the versions, the settings, the theme and the drafts option."""
    return hash_parts((versions(), config_key, theme_key, str(drafts)))


def copied_files_key(stamps: Iterable[tuple[str, str]]) -> str:
    """A hash of every copied file's path and stamp: an image replaced beside a post is a change."""
    return hash_parts(f"{src_path}={stamp}" for src_path, stamp in stamps)


def inputs_key(site_key: str, copied_key: str, parse_keys: Mapping[str, str]) -> str:
    """Everything a build is made from: when it equals the last build's, nothing changed."""
    files = (f"{path}={key}" for path, key in sorted(parse_keys.items()))
    return hash_parts((site_key, copied_key, *files))


def feed_key(config_key: str, feed: FeedSet, sizes: Mapping[str, int]) -> str:
    """The key of one feed's files: the posts it carries, their authors and cover sizes."""
    images = [str(sizes.get(p.image or "", "")) for p in feed.posts]
    issues = [str(p.issue) for p in feed.posts]  # titles may carry them (numbering: in_titles)
    posts = (p.source_key for p in feed.posts)
    return hash_parts((versions(), config_key, feed.title, feed.folder, *posts, *images, *issues))


def meta_files_key(config_key: str, listed: Iterable[str]) -> str:
    """The key of sitemap.xml and robots.txt: what they list of posts, pages and authors."""
    return hash_parts((versions(), config_key, *listed))


def post_meta_key(post: Post, cover: str = "") -> str:
    """What a list of posts shows of one: everything but its body, so that editing a paragraph
    does not render the archive of 10,000 posts again; and the size of its `cover` (Picture.token)."""
    fields = (cover,
        post.url, post.title, post.subtitle, post.date, post.updated, post.summary, post.image,
        post.canonical_url, post.draft, post.feed_id, post.toc_enabled, post.reading_minutes,
        post.body.toc, [t.name for t in post.tags], [a.bio.key for a in post.authors],
        sorted(post.extra.items(), key=lambda item: item[0]), post.issue, post.image_alt, post.image_credit,
    )
    return hash_parts((repr(fields),))


def post_page_parts(
    source_key: str,
    issue: int | None,
    newer_meta: str,
    older_meta: str,
    related_metas: tuple[str, ...] = (),
    pictures: tuple[str, ...] = (),
) -> tuple[str, ...]:
    """What a post's page shows: the post, its issue number (numbering: auto gives it from the
    other posts), what it shows of its neighbours and related posts (meta keys), and the sizes
    of its images (see engine.pictures.picture_tokens)."""
    return (source_key, str(issue), newer_meta, older_meta, *related_metas, "pictures", *pictures)


def post_page_own_parts(
    source_key: str, issue: int | None, has_newer: bool, has_older: bool, pictures: tuple[str, ...] = ()
) -> tuple[str, ...]:
    """A post's page without its neighbours, for a key that adds their whole source (see page_key)."""
    return (source_key, str(issue), str(not has_newer), str(not has_older), *pictures)


def email_parts(source_key: str) -> tuple[str, ...]:
    """What a post's email edition shows: the post and its authors (no neighbours, no lists)."""
    return ("email", source_key)


def list_page_parts(own: tuple[str, ...], listed: str) -> tuple[str, ...]:
    """What a page of a list shows: its own parts (page number, tag...) and the posts it lists."""
    return (*own, listed)


def page_key_parts(site_key: str, template: str, url: str, shows: str, groups: Iterable[str]) -> tuple[str, ...]:
    """The parts of a page's key: the site key, its template and URL, what it shows (`shows`),
    and the keys of the parts of the site its template read (see engine.plan)."""
    return (site_key, template, url, shows, *groups)
