"""What a build is asked to do, and what it reports."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from ..errors import SiteWarning
from ..output.writer import WriteReport
from .records import BuildCounts


class Progress(Protocol):
    """Something that shows how far a stage is (the command line's progress bar)."""

    def advance(self, count: int = 1) -> None:
        """Mark `count` more items done."""

    def close(self) -> None:
        """The stage is over."""


ProgressFactory = Callable[[str, int], Progress]
"""Makes the Progress of a stage from its label and its number of items."""


class NoProgress:
    """Shows nothing."""

    def advance(self, count: int = 1) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to erase."""


def no_progress(_label: str, _total: int) -> Progress:
    """A ProgressFactory that shows nothing."""
    return NoProgress()


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where, into what, and with which overrides."""

    root: Path
    output: Path | None = None
    """Defaults to root/output."""
    config: Path | None = None
    """The settings file named with --config (default: root/site.yaml)."""
    drafts: bool = False
    base_url: str | None = None
    now: datetime | None = None
    """The build's clock (tests freeze it); posts dated later are future posts."""
    use_cache: bool = True
    """Read and update .sitegen-cache/ (False: a throwaway cache, everything rebuilt)."""
    progress: ProgressFactory = no_progress
    """Shows the progress of the long stages (the CLI draws a bar on terminals)."""
    workers: int = 0
    """Processes to use; 0 means one per CPU."""
    trust_plugins: bool = False
    """Run the site's own plugins (plugins/*.py): code from the site folder (see source/plugins.py)."""

    @property
    def out_dir(self) -> Path:
        """The folder the site is written to."""
        return self.output if self.output is not None else self.root / "output"


class Route(StrEnum):
    """The way a build went (see engine.builder)."""

    UNCHANGED = "unchanged"
    """Nothing changed since the last build: no file read or written."""
    TEXT_EDIT = "text edit"
    """Only the text of posts changed: their pages and feeds made, the site not assembled."""
    FULL = "full"
    """The site assembled, and every output whose key changed made again."""


@dataclass(frozen=True)
class BuildReport:
    """What a build produced, for the summary line."""

    route: Route
    counts: BuildCounts
    write: WriteReport
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[SiteWarning, ...] = ()
    parsed: int = 0
    """Markdown files read and rendered (the others came from the cache)."""
    rendered: int = 0
    """Pages rendered (the others were up to date)."""
    notices: tuple[str, ...] = ()
    """Things worth saying that are not problems, such as a discarded cache."""
    changed_paths: tuple[str, ...] = ()
    """Output files written or removed (paths in the output folder), for live reload."""

    @property
    def changed(self) -> bool:
        """Whether the output folder changed at all."""
        return bool(self.write.written or self.write.removed)

    @property
    def posts(self) -> int:
        """Posts published."""
        return self.counts.posts

    @property
    def pages(self) -> int:
        """HTML pages made."""
        return self.counts.pages

    @property
    def feeds(self) -> int:
        """Feed files made."""
        return self.counts.feeds

    @property
    def static(self) -> int:
        """Files copied as they are."""
        return self.counts.static


def default_now() -> datetime:
    """The build's clock when none is given: now, in UTC."""
    return datetime.now(UTC)
