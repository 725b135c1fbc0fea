"""One build in progress: what every route of it reads (settings, theme, cache, memory, the scan),
its clock and timings, and the one way its report is made."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ..errors import SiteWarning
from ..output.lock import OutputLock
from ..output.writer import OutputWriter, WriteReport
from ..render.theme import Theme
from ..source.config import SiteConfig
from ..source.plugins import Plugins
from .memory import BuildMemory, ScanResult
from .options import BuildOptions, BuildReport, Route
from .records import BuildCounts
from .store import BuildCache, compiled_templates_dir
from .workers import worker_count

log = logging.getLogger("sitegen")
T = TypeVar("T")


@dataclass
class Session:
    """One build: made by the Builder, read by each route it tries."""

    options: BuildOptions
    memory: BuildMemory
    cache: BuildCache
    config: SiteConfig
    theme: Theme
    now: datetime
    config_key: str
    """See keys.config_key."""
    plugins: Plugins
    """The site's plugins, loaded (see source/plugins.py)."""
    site_key: str
    """See keys.site_key."""
    scan: ScanResult
    lock: OutputLock
    """The output folder's lock: held from the start when the folder exists, else once it is made."""
    notices: tuple[str, ...] = ()
    """Things worth saying that are not problems, such as a discarded cache."""
    started: float = field(default_factory=time.perf_counter)
    timings: dict[str, float] = field(default_factory=dict)
    """Seconds each step took, by name (shown with --verbose)."""

    def writer(self) -> OutputWriter:
        """A writer into the output folder, made and locked.

        Raises:
            SiteError: when the folder cannot be made, or another build holds it.
        """
        writer = OutputWriter(self.options.out_dir, self.cache.identity)
        writer.prepare()
        self.lock.take()
        return writer

    @property
    def compiled_templates(self) -> Path | None:
        """Where compiled templates are kept between builds (none with --no-cache)."""
        return compiled_templates_dir() if self.options.use_cache else None

    @property
    def workers(self) -> int:
        """How many processes to parse and render with."""
        return self.options.workers or worker_count()

    def timed(self, name: str, func: Callable[[], T]) -> T:
        """Run one step of the build and note how long it took (shown with --verbose)."""
        begun = time.perf_counter()
        result = func()
        self.timings[name] = time.perf_counter() - begun
        log.debug("%-10s %7.1f ms", name, self.timings[name] * 1000)
        return result

    def report(
        self,
        route: Route,
        counts: BuildCounts,
        write: WriteReport,
        warnings: Sequence[SiteWarning],
        parsed: int = 0,
        rendered: int = 0,
        changed_paths: Sequence[str] = (),
    ) -> BuildReport:
        """The report of this build, which went by `route`."""
        return BuildReport(
            route=route,
            counts=counts,
            write=write,
            seconds=time.perf_counter() - self.started,
            timings=self.timings,
            warnings=tuple(warnings),
            parsed=parsed,
            rendered=rendered,
            notices=self.notices,
            changed_paths=tuple(changed_paths),
        )
