"""Work on every core: a fork-based process pool, the state its workers inherit, what they do
(parse a chunk of files, render a page or a feed), and the garbage collector's policy for both.

Workers are forked, so they start with this process's memory (the parsed site, compiled
templates) and only the items and results travel between processes. The state they need is set
here, in `_state`, for as long as a pool runs (`inherited`); nothing else in sitegen is global.
"""

from __future__ import annotations

import contextlib
import copyreg
import ctypes
import dataclasses
import gc
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

from ..errors import SiteError
from ..markup import bodies
from ..markup.parse import ParsedFile, parse_source
from ..markup.rendered import Heading, Rendered
from ..output.writer import Stager
from ..render.cards import card_image, card_parts
from ..render.feeds import FeedWriter
from ..render.pictures import webp_copy
from ..render.templates import Renderer
from ..source.config import SiteConfig
from ..source.records import SourceAuthor, SourcePage, SourcePost
from ..source.scan import SiteFile
from ..source.textfile import read_bytes
from . import keys
from .pictures import CopyJob
from .plan import CardJob, FeedJob, HtmlJob, SitePlan, reads_of
from .records import CachedParse, Reads
from .store import BuildCache, FileRecord, StoredParse

T = TypeVar("T")
R = TypeVar("R")

PR_SET_PDEATHSIG = 1
"""Linux's prctl option: a signal for this process when its parent ends."""
MIN_PARALLEL_ITEMS = 200
"""Below this, one process is faster than starting others."""
WORKER_GC_THRESHOLD = 50_000
"""Allocations between a worker's collections of its youngest objects (Python's default: 700)."""
PARSE_CHUNK = 32
"""Files a worker parses per task: one cache transaction for all of them."""


def worker_count() -> int:
    """How many processes a build may use: the CPUs this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


# -- what travels between processes ------------------------------------------------------------


def _read_only(data: dict[str, object]) -> MappingProxyType[str, object]:
    return MappingProxyType(data)


def _by_fields(obj: object) -> tuple[type, tuple[object, ...]]:
    return type(obj), tuple(getattr(obj, name) for name in _FIELD_NAMES[type(obj)])


# Parse results travel from the workers as pickles (between sitegen's own processes only: the
# cache keeps plain data, see codec.py). Front matter sits in read-only mappings, which pickle
# as dicts; and frozen dataclasses with slots unpickle through dataclasses' __setstate__, which
# looks up the fields of every object: rebuilding them from their fields' values is 4 times faster.
copyreg.pickle(MappingProxyType, lambda m: (_read_only, (dict(m),)))
_FIELD_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in dataclasses.fields(cls))
    for cls in (Heading, Rendered, SourcePost, SourcePage, SourceAuthor, ParsedFile)
}
for _cls in _FIELD_NAMES:
    copyreg.pickle(_cls, _by_fields)


# -- the garbage collector -------------------------------------------------------------------


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while the block runs. The model is tens of thousands of long-lived objects
    without cycles: the collector's full passes over them cost more than a rebuild. A long-lived
    builder collects between builds, not during them."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


@contextmanager
def shared_with_workers() -> Iterator[None]:
    """Freeze every object made so far while a pool runs: forked workers share the model's memory
    pages with this process, and a collection in a worker would touch, and so copy, every one."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _start_worker() -> None:
    # The parent builds with the collector paused (see collector_paused); a worker turns it on,
    # or the cycles each render leaves behind would pile up for the whole build. Markdown leaves
    # none, but allocates millions of objects: at the default threshold, collecting took 5 % of
    # parsing time.
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()
    # Ctrl-C is the parent's to handle (it ends the pool): a worker printed its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held back while forking
    _die_with_parent()


@contextmanager
def _ctrl_c_held() -> Iterator[None]:
    """Hold back Ctrl-C while the block runs: it arrives as the block ends."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent ends: killed with -9, a build's workers went on
    staging files for a second or more."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # the C library is loaded already
    if os.getppid() == 1:  # the parent ended before the request took effect
        os._exit(1)


# -- the pool --------------------------------------------------------------------------------


def run_all(
    func: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    on_done: Callable[[R], None] | None = None,
    min_items: int = MIN_PARALLEL_ITEMS,
) -> Iterator[R]:
    """Yield func(item) for every item, in order, on `workers` processes (or in this one when the
    job is small: starting workers costs more than a small site takes to build). `func` must
    catch the errors it expects and return them as values."""
    if workers <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            result = func(item)
            yield result
            if on_done:
                on_done(result)
        return
    # about 8 chunks per worker: big enough to amortise the pipes, small enough to balance
    chunk = max(1, min(64, len(items) // (workers * 8)))
    context = multiprocessing.get_context("fork")
    with _ctrl_c_held():  # a Ctrl-C that lands in a fork is lost there (raised in a fork hook)
        pool = context.Pool(workers, initializer=_start_worker)
    with pool:
        for result in pool.imap(func, items, chunksize=chunk):
            yield result
            if on_done:
                on_done(result)


# -- what workers inherit ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParseState:
    """What parsing workers need: the settings, and which parse results the cache has."""

    config: SiteConfig
    settings_key: str
    cached: frozenset[str]
    db_path: Path | None
    """The cache's database, where workers store what they parse; None: they return it."""


@dataclass(frozen=True, slots=True)
class RenderState:
    """What rendering workers need: the site's plan, the renderer, and the jobs by number (a job
    holds the posts it lists, which would be copied, not shared, if it travelled)."""

    plan: SitePlan
    renderer: Renderer
    feed_writer: FeedWriter
    stager: Stager
    todo: list[HtmlJob | FeedJob | CardJob | CopyJob]


_state: ParseState | RenderState | None = None
_worker_cache: BuildCache | None = None
"""A parsing worker's own connection to the cache (SQLite connections cannot be shared)."""


@contextmanager
def inherited(state: ParseState | RenderState) -> Iterator[None]:
    """Make `state` what the workers of the pools started in the block inherit."""
    global _state
    _state = state
    try:
        yield
    finally:
        _state = None
        _close_worker_cache()


def _close_worker_cache() -> None:
    """Close the connection parsing opened in this process (when it ran here, not in workers)."""
    global _worker_cache
    if _worker_cache is not None and _worker_cache.pid == os.getpid():
        _worker_cache.close()
    _worker_cache = None


# -- parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ParseOutcome:
    """What reading one Markdown file gave."""

    src_path: str
    stamp: str
    digest: str
    key: str
    result: ParsedFile | SiteError | None
    """None: the key is in the cache already."""
    stored: bool = False
    """The worker saved the result (and its HTML) in the cache itself."""


def _parse_one(state: ParseState, file: SiteFile) -> ParseOutcome:
    """Read, hash and (unless the cache has it) parse and render one Markdown file."""
    try:
        stat = os.stat(file.abs_text)
        data = read_bytes(file.abs_path)
    except (OSError, SiteError) as exc:
        error = exc if isinstance(exc, SiteError) else SiteError(f"cannot read file: {exc}", file.src_path)
        return ParseOutcome(file.src_path, "", "", "", error)
    digest = keys.file_digest(data)
    key = keys.parse_key(state.settings_key, file.section, file.src_path, digest)
    if key in state.cached:
        return ParseOutcome(file.src_path, keys.file_stamp(stat), digest, key, None)
    try:
        result: ParsedFile | SiteError = parse_source(state.config, file, data)
    except SiteError as exc:
        result = exc
    return ParseOutcome(file.src_path, keys.file_stamp(stat), digest, key, result)


def cached_parse(parsed: ParsedFile, key: str) -> CachedParse:
    """What the cache keeps of a parse result stored under `key`."""
    return CachedParse(parsed.record, parsed.rendered.stored_as(key), parsed.warnings)


def parse_chunk(files: list[SiteFile]) -> list[ParseOutcome]:
    """Parse a few files and save what they gave in the cache straight away, so their HTML never
    travels to the main process (which would then spend a core storing it)."""
    global _worker_cache
    state = _state
    assert isinstance(state, ParseState)
    results = [_parse_one(state, file) for file in files]
    if state.db_path is None:
        return results
    if _worker_cache is None or _worker_cache.db_path != state.db_path or _worker_cache.pid != os.getpid():
        _worker_cache = BuildCache(state.db_path)
    stored = [
        StoredParse(r.key, cached_parse(r.result, r.key), r.result.html, r.result.text)
        for r in results
        if isinstance(r.result, ParsedFile)
    ]
    _worker_cache.store(stored, [FileRecord(r.src_path, r.stamp, r.digest) for r in results if r.stamp])
    return [
        dataclasses.replace(r, result=dataclasses.replace(r.result, html="", text=""), stored=True)
        if isinstance(r.result, ParsedFile)
        else dataclasses.replace(r, stored=True)
        for r in results
    ]


# -- rendering -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RenderOutcome:
    """What rendering one page or feed gave: its staged files (None: unchanged), what it read."""

    staged: tuple[tuple[str, str] | None, ...]
    """(staged file, its place in the output) of each file; None when unchanged."""
    reads: Reads = Reads.NOTHING
    error: SiteError | None = None


def render_page(renderer: Renderer, plan: SitePlan, job: HtmlJob, stager: Stager) -> RenderOutcome:
    """Render one page in its context, note what it read of the site, and stage it if it changed."""
    with bodies.noting_reads() as read:
        page = renderer.render(job.template, job.url, plan.contexts.of(job.kind, job.index))
    reads = reads_of(renderer.reads, bool(read - {job.own_body}))
    return RenderOutcome((stager.stage_bytes(job.dest, page.data or b""),), reads)


def _webp_copy(job: CopyJob) -> bytes:
    """The smaller copy `job` asks for.

    Raises:
        SiteError: when the image cannot be decoded (its header could be read, its pixels not).
    """
    try:
        return webp_copy(job.source, job.width)
    except (OSError, ValueError, SyntaxError) as exc:
        message = f"cannot make a {job.width} pixel wide copy of {job.of}: {exc}"
        raise SiteError(message, job.source, hint="export the image again, or set images: {copies: false}") from exc


def render_one(number: int) -> RenderOutcome:
    """Render and stage the page or feed numbered `number` among the jobs the workers inherited."""
    state = _state
    assert isinstance(state, RenderState)
    job = state.todo[number]
    try:
        if isinstance(job, FeedJob):
            files = state.feed_writer.files(job.feed, job.with_json)
            return RenderOutcome(tuple(state.stager.stage_bytes(f.dest_path, f.data or b"") for f in files))
        if isinstance(job, CardJob):
            post = state.plan.site.posts[job.index]
            data = card_image(job.look, *card_parts(post, state.plan.site.title))
            return RenderOutcome((state.stager.stage_bytes(job.dest, data),))
        if isinstance(job, CopyJob):
            return RenderOutcome((state.stager.stage_bytes(job.dest, _webp_copy(job)),))
        return render_page(state.renderer, state.plan, job, state.stager)
    except SiteError as exc:
        return RenderOutcome((), Reads.NOTHING, exc)
