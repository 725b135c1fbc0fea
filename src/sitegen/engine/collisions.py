"""Two outputs that would be one file: found before anything is written.

On macOS and Windows disks, letter case and how an accent is written (one character or two) do
not tell two names apart: `slug: Hello` and `slug: hello`, or content/Feed.xml beside the feed.xml
sitegen makes, overwrite each other there. And a page whose address is a file's name (a page with
`slug: feed.xml`) needs a folder where that file goes.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..errors import SiteError, raise_collected
from ..model.site import Site
from ..output.files import OutputFile
from ..render.redirects import Redirect
from ..source.textfile import read_text
from ..source.urls import site_path
from ..source.yamldoc import parse_yaml_mapping
from .pictures import CopyJob
from .plan import EMAIL_KINDS, CardJob, FeedJob, HtmlJob


def _same_on_any_disk(dest: str) -> str:
    return unicodedata.normalize("NFC", dest).casefold()


def clashes(dests: Iterable[str]) -> list[tuple[str, str]]:
    """(first, second) for each pair of outputs that are one file on some disk, or where one is a
    file and the other needs a folder of the same name."""
    files: dict[str, str] = {}
    found = []
    for dest in dests:
        key = _same_on_any_disk(dest)
        if key in files:
            found.append((files[key], dest))
        else:
            files[key] = dest
    folders: dict[str, str] = {}
    for key, dest in files.items():
        parts = key.split("/")
        for end in range(1, len(parts)):
            folders.setdefault("/".join(parts[:end]), dest)
    found += [(dest, folders[key]) for key, dest in files.items() if key in folders]
    return found


class Origins:
    """Who makes each output, for the errors that name both."""

    def __init__(
        self,
        site: Site,
        jobs: list[HtmlJob],
        feeds: list[FeedJob],
        copies: list[OutputFile],
        positions: Mapping[str, Mapping[str, tuple[int, int]]],
        root: Path,
        cards: Sequence[CardJob | CopyJob] | None = None,
    ) -> None:
        self.site, self.positions, self.root = site, positions, root
        self.jobs = {job.dest: job for job in jobs}
        self.cards = {card.dest: card for card in cards or ()}
        self.feeds = {dest: job for job in feeds for dest in job.dests}
        self.copies = {copy.dest_path: copy for copy in copies}

    def error(self, dest: str, other: str) -> SiteError:
        """The error of `dest` clashing with `other`, located at what makes `dest`."""
        what, where, line, way_out = self.of(dest)
        other_what = self.of(other)[0]
        if dest == other:
            clash = f"as {other_what} is"
        elif _same_on_any_disk(dest) == _same_on_any_disk(other):
            clash = f"the same file as {other} ({other_what}) on disks that ignore letter case or accents"
        else:
            clash = f"in a folder named like the file {other} ({other_what})"
        return SiteError(f"{what} would be {dest}, {clash}", where, line, 1 if line else None, way_out)

    def both_editions(self, dest: str, other: str) -> bool:
        """Whether both are email editions: their posts' pages clash too, and that error is enough."""
        if isinstance(self.cards.get(dest), CardJob) and isinstance(self.cards.get(other), CardJob):
            return True  # link-preview cards, beside their posts' pages
        kinds = {job.kind for job in (self.jobs.get(dest), self.jobs.get(other)) if job is not None}
        return dest in self.jobs and other in self.jobs and kinds <= set(EMAIL_KINDS)

    def of(self, dest: str) -> tuple[str, str | None, int | None, str]:
        """(what makes `dest`, its file, the line, the way out of a clash)."""
        job = self.jobs.get(dest)
        if job is not None and job.kind in ("post", "page", *EMAIL_KINDS):
            item = self.site.pages[job.index] if job.kind == "page" else self.site.posts[job.index]
            line = self.positions.get(item.src_path, {}).get("slug", (1, 1))[0]
            what = "the email edition" if job.kind in EMAIL_KINDS else "the page"
            return f"{what} of {item.src_path}", item.src_path, line, "give one of them another slug:"
        if job is not None and job.kind == "tag":
            name = self.site.tags[job.index].name
            return f"the page of tag {name!r}", None, None, "give the tag another slug in site.yaml's tags:"
        if job is not None and job.kind == "author":
            author = self.site.authors[job.index]
            return f"the page of {author.src_path}", author.src_path, 1, "rename one of the files"
        made = self.cards.get(dest)
        if isinstance(made, CopyJob):
            return f"a smaller copy of {made.of}", None, None, "rename the other file"
        if made is not None:
            post = self.site.posts[made.index]
            return f"the link preview of {post.src_path}", post.src_path, None, "rename the other file"
        if dest in self.feeds:
            return f"the feed of {self.feeds[dest].feed.title}", None, None, "rename the file"
        copy = self.copies.get(dest)
        if copy is not None and copy.source is not None:
            try:
                shown = copy.source.relative_to(self.root).as_posix()
            except ValueError:
                return f"a file of the theme ({copy.source.name})", None, None, "rename one of the files"
            return shown, shown, None, "rename one of the files"
        return "a file sitegen makes", None, None, "rename the other file"


def check_outputs(origins: Origins, dests: Iterable[str]) -> None:
    """Refuse outputs that clash (see `clashes`), naming both and the way out.

    Raises:
        SiteError: or SiteErrors, one per clash.
    """
    found = [(first, second) for first, second in clashes(dests) if not origins.both_editions(first, second)]
    raise_collected([origins.error(second, first) for first, second in found])


def check_redirects(
    redirects: Iterable[Redirect],
    made: set[str],
    positions: Mapping[str, Mapping[str, tuple[int, int]]],
    settings: Path,
) -> None:
    """Refuse a redirect whose page would replace one the site makes, or that another redirect
    already answers, at the line that asked for it.

    Args:
        made: the output paths of everything else the build makes.
        positions: each post's front matter keys' (line, column), by its file.
        settings: site.yaml (or --config's file), read again only to locate an error in it.

    Raises:
        SiteError: or SiteErrors, one per clash.
    """
    errors, seen = [], dict[str, Redirect]()
    for redirect in redirects:
        dest, first = redirect.dest, seen.get(redirect.dest)
        if dest in made:
            message = f"the redirect from {redirect.path} would replace {dest}, which the site makes"
            hint = "remove the redirect: the address is in use"
            errors.append(_located(redirect, message, hint, positions, settings))
        elif first is not None:
            message = f"the redirect from {redirect.path} is asked for twice (also by {first.asked_by})"
            errors.append(_located(redirect, message, "keep one of them", positions, settings))
        seen.setdefault(dest, redirect)
    raise_collected(errors)


def _located(
    redirect: Redirect, message: str, hint: str, positions: Mapping[str, Mapping[str, tuple[int, int]]], settings: Path
) -> SiteError:
    if redirect.asked_by != "site.yaml":
        line, column = positions.get(redirect.asked_by, {}).get(redirect.key, (1, 1))
        return SiteError(message, redirect.asked_by, line, column, hint)
    doc = parse_yaml_mapping(read_text(settings), settings)
    written = doc.data.get("redirects") if redirect.key == "redirects" else None
    if isinstance(written, dict):  # the entry as written: /old or /old/
        key = next((old for old in written if isinstance(old, str) and site_path(old) == redirect.path), "")
        return doc.error_at(("redirects", key), message, hint)
    return doc.error(redirect.key, message, hint)
