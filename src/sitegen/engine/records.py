"""What the build cache keeps between builds, as typed records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import IntFlag
from typing import NamedTuple

from ..errors import SiteWarning
from ..markup.rendered import Rendered
from ..model.site import Picture
from ..source.records import Record


class Reads(IntFlag):
    """The parts of the site a page's template read, besides the item the page is about: a change
    to one of them renders the page again (see engine.plan)."""

    NOTHING = 0
    POSTS = 1
    """The site's posts (what lists show of them: titles, dates, summaries...)."""
    PAGES = 2
    AUTHORS = 4
    BODIES = 8
    """The content of posts other than its own: then the posts it shows count whole."""


READS = tuple(Reads(value) for value in range(16))
"""Every combination, by value: making a flag from an int for each of 11,000 outputs was slow."""
FRAME = Reads.PAGES | Reads.AUTHORS
"""What a site without its posts holds (see model.assemble.site_frame)."""


class OutputState(NamedTuple):
    """What produced one output file last time: its key and what its template read of the site.
    (A named tuple: a build loads one per output file, and tuples are the fastest to make.)"""

    key: str
    reads: Reads


class FileState(NamedTuple):
    """What a source file looked like at the last build."""

    stamp: str
    """See keys.file_stamp."""
    digest: str
    """See keys.file_digest."""


@dataclass(frozen=True, slots=True)
class CachedParse:
    """One Markdown file's parse result, without its HTML (kept apart, see markup.bodies)."""

    record: Record
    rendered: Rendered
    """Its `key` is the file's parse key, under which its HTML is stored."""
    warnings: tuple[SiteWarning, ...]


class BuildCounts(NamedTuple):
    """What a build made, for its summary."""

    posts: int
    pages: int
    feeds: int
    static: int
    drafts: int = 0
    """Drafts left out (without --drafts)."""
    scheduled: int = 0
    """Posts dated in the future, left out until their date (without --drafts)."""


class LastBuild(NamedTuple):
    """The last successful build into one output folder, so an unchanged site is done at once."""

    inputs_key: str
    """See keys.inputs_key."""
    next_publish: datetime | None
    """When the first future post comes due, which changes the site by itself."""
    counts: BuildCounts
    warnings: tuple[SiteWarning, ...]

    def came_due(self, now: datetime) -> bool:
        """Whether a future post has come due since: the site changed with nothing edited."""
        return self.next_publish is not None and now >= self.next_publish


class FeedEntry(NamedTuple):
    """One feed as the last build made it (see EditIndex)."""

    title: str
    folder: str
    with_json: bool
    dests: tuple[str, ...]
    """Its files in the output folder."""
    posts: tuple[str, ...]
    """The src_path of each post it carries."""


class EditIndex(NamedTuple):
    """What a rebuild after editing only the text of posts needs to know of the last build into
    one output folder (see engine.routes.text_edit)."""

    inputs_key: str
    """The LastBuild.inputs_key this index belongs to."""
    order: tuple[str, ...]
    """The src_path of every published post, newest first."""
    whole: frozenset[str]
    """The posts a list page shows whole, body and all."""
    feeds: tuple[FeedEntry, ...]
    sizes: dict[str, int]
    """The size of each cover image the feeds show, by URL."""
    issues: dict[str, int]
    """Each numbered post's issue number, by src_path (numbering: auto counts every post)."""
    related: tuple[tuple[int, ...], ...]
    """For each post of `order`, the posts its page lists as related, by their place in `order`
    (see related_to): numbers, as the cache keeps them, so a build reads back no 30,000 paths
    to use three."""
    pictures: dict[str, Picture]
    """The pictures the site shows, by output path (images and copied files are unchanged when
    this route runs, so these hold)."""

    def related_to(self, number: int) -> tuple[str, ...]:
        """The src_paths of the posts the page of the post at `number` in `order` lists as related."""
        return tuple(self.order[n] for n in self.related[number])
