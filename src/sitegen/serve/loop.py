"""The rebuild loop of `sitegen serve` and `build --watch`: wait for saves, rebuild, report.

Changes made while a rebuild runs queue up and start the next rebuild, which takes everything
queued at once (an editor's temp file, rename and touch give one rebuild). A failed build keeps
the last good output.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from ..engine.options import BuildReport
from ..errors import SiteError, SiteErrors
from .watch import Watchers, relevant

log = logging.getLogger("sitegen")
BUG_HINT = "this is sitegen's fault, not yours: please report it, with the file you saved"


class Rebuilder(Protocol):
    """What the loop rebuilds with: a long-lived Builder, or one in a process of its own (builds.py)."""

    def build(self, changed: Iterable[str] | None = None) -> BuildReport:
        """Build the site, looking again at the files `changed`."""

    def quick_page(self, changed: Iterable[str]) -> list[str]:
        """Rewrite the page of one edited post at once; return the files written."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """One rebuild: its report, or the errors that stopped it."""

    report: BuildReport | None
    errors: tuple[SiteError, ...] = ()
    seconds: float = 0.0
    changed_sources: tuple[str, ...] = ()


def build_once(builder: Rebuilder, changed: tuple[str, ...] = ()) -> Outcome:
    """Build, turning a site error into an Outcome instead of an exception."""
    started = time.perf_counter()
    try:
        report = builder.build(changed or None)
    except SiteError as exc:
        return Outcome(None, (exc,), time.perf_counter() - started, changed)
    except SiteErrors as exc:
        return Outcome(None, exc.errors, time.perf_counter() - started, changed)
    except Exception as exc:  # a bug: said, and the last good site stays served
        log.debug("the build failed", exc_info=True)
        error = SiteError(f"sitegen failed: {type(exc).__name__}: {exc}", hint=BUG_HINT)
        return Outcome(None, (error,), time.perf_counter() - started, changed)
    return Outcome(report, (), time.perf_counter() - started, changed)


def rebuild_forever(
    builder: Rebuilder,
    watchers: Watchers,
    on_outcome: Callable[[Outcome], None],
    on_quick: Callable[[list[str], float], None] | None = None,
) -> None:
    """Rebuild after each batch of changes (and whatever queued up meanwhile) until the watchers
    stop.

    With `on_quick`, an edited post's own page is rewritten first (see Builder.quick_page) and
    reported before the full rebuild."""
    changes, root, stop = watchers.changes, watchers.root, watchers.stop
    while not stop.is_set():
        try:
            batch = changes.get(timeout=0.2)
        except queue.Empty:
            continue
        while True:  # take everything saved so far: one rebuild for a burst of writes
            try:
                batch |= changes.get_nowait()
            except queue.Empty:
                break
        watchers.follow(batch)
        changed = relevant(batch, root)
        if not changed:
            continue
        if on_quick is not None:
            started = time.perf_counter()
            try:
                written = builder.quick_page(changed)
            except Exception:  # the full build that follows says what went wrong
                log.debug("the quick page failed", exc_info=True)
                written = []
            if written:
                on_quick(written, time.perf_counter() - started)
        on_outcome(build_once(builder, tuple(sorted(changed))))
