"""Orchestration: parse what changed, render what changed, write what changed, and report.

A cold build parses every file and renders every page on every core. A rebuild reads no file
whose modification time, size and inode are unchanged, re-parses only files whose bytes changed,
and renders only the outputs whose key (see pages.py) changed; the rest stays as it is on disk.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import logging
import os
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, TypeVar
from urllib.parse import quote, urljoin

from . import __version__, bodystore
from .assemble import assemble_site, authors_by_id, post_from, site_frame
from .cache import BuildCache, EditIndex, LastBuild, OutputState, digest, stamp_of, versions
from .config import SiteConfig, load_config
from .content import (
    ContentLoader,
    ContentScan,
    ParsedFile,
    SourceFile,
    asset_files,
    parse_config_fingerprint,
    parse_source,
    prepare_parsing,
    scan_content,
)
from .errors import SiteError
from .feeds import FeedWriter
from .feedsets import FeedSet, feed_sets
from .hosting import hosting_files
from .model import Post, Rendered, Site
from .outputs import OutputFile
from .pages import PageJob, SitePages, read_groups
from .pool import run_all, worker_count
from .progress import Progress
from .seo import render_robots, render_sitemap
from .sources import SourcePost, Sources
from .textfile import read_bytes
from .theme import TEMPLATES, URL_SAFE, Renderer, Theme, load_theme, static_files
from .writer import OutputWriter, WriteReport, check_output_dir, output_owner, remove_stale, stage_bytes

log = logging.getLogger("sitegen")
T = TypeVar("T")
SNAPSHOT_SLACK = 0.05
"""Share of files that may differ from the snapshot before it is written again."""
QUICK_EDIT_LIMIT = 16
"""Most edited files a rebuild makes the pages of without assembling the site (see _edited_bodies)."""
STORE_BATCH = 256
"""Parse results written to the cache at a time."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build: where, into what, and with which overrides."""

    root: Path
    output: Path | None = None
    """Defaults to root/output."""
    drafts: bool = False
    base_url: str | None = None
    now: datetime | None = None
    """The build's clock (tests freeze it); posts dated later are future posts."""
    use_cache: bool = True
    """Read and update .sitegen-cache/ (False: a throwaway cache, everything rebuilt)."""
    progress: bool = False
    """Draw a progress bar on stderr (the CLI turns it on for terminals)."""
    workers: int = 0
    """Processes to use; 0 means one per CPU."""

    @property
    def out_dir(self) -> Path:
        """The folder the site is written to."""
        return self.output if self.output is not None else self.root / "output"


@dataclass(frozen=True)
class BuildReport:
    """What a build produced, for the summary line."""

    posts: int
    pages: int
    feeds: int
    static: int
    write: WriteReport
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
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


def default_now() -> datetime:
    """The build's clock when none is given: now, in UTC."""
    return datetime.now(UTC)


def absolute_for(config: SiteConfig) -> Callable[[str], str]:
    """A function turning a site-relative URL into an absolute, percent-encoded one."""
    base = config.url

    def absolute(site_url: str) -> str:
        return urljoin(base, quote(site_url.lstrip("/"), safe=URL_SAFE))

    return absolute


def _hash(*parts: str) -> str:
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


# State the worker processes inherit by fork: set just before a pool starts.
_parse_state: tuple[SiteConfig, str, frozenset[str], Path | None] | None = None
_worker_cache: BuildCache | None = None
PARSE_CHUNK = 32
"""Files a worker parses per task: one cache transaction for all of them."""
_render_state: tuple[SitePages, Renderer, FeedWriter, Path, list[PageJob | FeedJob]] | None = None


@dataclass(frozen=True, slots=True)
class _Scan:
    scan: ContentScan
    parse_key: str
    known: dict[str, tuple[str, str]]
    """What each file looked like at the last build: src_path -> (stamp, digest)."""
    cached: frozenset[str]
    keys: dict[str, str]
    """src_path -> parse key, for files whose stamp is unchanged."""
    to_read: list[SourceFile]
    assets_key: str
    """Hash of every copied file's path and stamp: an image replaced beside a post is a change."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    src_path: str
    stamp: str
    digest: str
    key: str
    result: ParsedFile | SiteError | None
    """None: the key is in the cache already."""
    stored: bool = False
    """The worker saved the result (and its HTML) in the cache itself."""


def _parse_one(file: SourceFile) -> _Parsed:
    """Worker: read, hash and (unless the cache has it) parse and render one Markdown file."""
    assert _parse_state is not None
    config, parse_key, cached, _db = _parse_state
    try:
        stat = os.stat(file.abs_text)
        data = read_bytes(file.abs_path)
    except (OSError, SiteError) as exc:
        error = exc if isinstance(exc, SiteError) else SiteError(f"cannot read file: {exc}", file.src_path)
        return _Parsed(file.src_path, "", "", "", error)
    data_digest = digest(data)
    key = _hash(parse_key, file.kind, file.src_path, data_digest)
    if key in cached:
        return _Parsed(file.src_path, stamp_of(stat), data_digest, key, None)
    try:
        result: ParsedFile | SiteError = parse_source(config, file, data)
    except SiteError as exc:
        result = exc
    return _Parsed(file.src_path, stamp_of(stat), data_digest, key, result)


def _parse_chunk(files: list[SourceFile]) -> list[_Parsed]:
    """Worker: parse a few files and save what they gave in the cache straight away, so their
    HTML never travels to the main process (which would then spend a core storing it)."""
    global _worker_cache
    assert _parse_state is not None
    db_path = _parse_state[3]
    results = [_parse_one(file) for file in files]
    if db_path is None:
        return results
    if _worker_cache is None or _worker_cache.db_path != db_path or _worker_cache.pid != os.getpid():
        _worker_cache = BuildCache(db_path)
    done = [r for r in results if isinstance(r.result, ParsedFile)]
    entries = []
    for item in done:
        assert isinstance(item.result, ParsedFile)
        record = (item.result.record, _keyed(item.result.rendered, item.key), item.result.warnings)
        entries.append((item.key, record, item.result.html))
    _worker_cache.store(entries, [(r.src_path, r.stamp, r.digest) for r in results if r.stamp])
    return [
        dataclasses.replace(r, result=dataclasses.replace(r.result, html=""), stored=True)
        if isinstance(r.result, ParsedFile)
        else dataclasses.replace(r, stored=True)
        for r in results
    ]


def _close_worker_cache() -> None:
    """Close the connection parsing opened in this process (when it ran here, not in workers)."""
    global _worker_cache
    if _worker_cache is not None and _worker_cache.pid == os.getpid():
        _worker_cache.close()
    _worker_cache = None


@dataclass(frozen=True, slots=True)
class FeedJob:
    """The RSS and Atom files (and, for the site's feed, the JSON Feed) of one feed set."""

    feed: FeedSet
    with_json: bool
    dests: tuple[str, ...]
    key: str


@dataclass(frozen=True, slots=True)
class _Result:
    temps: tuple[str | None, ...]
    groups: str = ""
    error: SiteError | None = None


def _render_one(number: int) -> _Result:
    """Worker: render one page or feed (by its number in the jobs it inherited: a job holds the
    posts it lists, which would be copied, not shared, if it travelled) and stage what changed."""
    assert _render_state is not None
    pages, renderer, feed_writer, out_dir, jobs = _render_state
    job = jobs[number]
    try:
        if isinstance(job, FeedJob):
            files = feed_writer.render(job.feed) + ([feed_writer.json_feed(job.feed)] if job.with_json else [])
            return _Result(tuple(stage_bytes(out_dir, f.dest_path, f.data or b"") for f in files))
        bodies = bodystore.record_reads()
        page = renderer.render(job.template, job.url, **pages.context(job, renderer))
        others = bool(bodies - {job.own_body})
        return _Result((stage_bytes(out_dir, job.dest, page.data or b""),), read_groups(renderer.reads, others))
    except SiteError as exc:
        return _Result((), "", exc)


class Builder:
    """Builds one site, again and again: parse results stay in memory between builds (for
    `sitegen serve`), and in .sitegen-cache/ between runs."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.timings: dict[str, float] = {}
        self.notices: list[str] = []
        self.changed: set[str] | None = None
        self.out_dir_text = str(options.out_dir)
        self.keep_snapshot = True
        """Save every build's parse results in one piece for the next run; the dev server, which
        keeps them in memory, turns it off: it would cost more than its rebuild."""
        self.cache_identity = ""
        """The cache the state below was made with."""
        self._forget_state()

    def _forget_state(self) -> None:
        """Drop what earlier builds of this process left in memory."""
        self.memo: dict[str, tuple[Any, Rendered, tuple[str, ...]]] = {}
        """Parse results by key, from this process's earlier builds (their HTML is in the cache)."""
        self.site_key = ""
        self.posts_memo: dict[tuple[str, ...], Post] = {}
        self.meta_memo: dict[str, str] = {}
        self.hash_memo: dict[tuple[str, ...], str] = {}
        self.last_outputs: dict[str, OutputState] | None = None
        self.last_scan: _Scan | None = None
        self.last_render: tuple[SiteConfig, Site, SitePages, Renderer] | None = None
        self.last_by_path: dict[str, SourceFile] | None = None

    def stage(self, name: str, func: Callable[[], T]) -> T:
        """Run and time one stage."""
        begun = time.perf_counter()
        result = func()
        self.timings[name] = time.perf_counter() - begun
        log.debug("%-10s %7.1f ms", name, self.timings[name] * 1000)
        return result

    def build(self, changed: Iterable[str] | None = None) -> BuildReport:
        """Build the site into its output folder.

        Args:
            changed: the files saved since the last build, when a watcher knows them: a long-lived
                builder then looks at those alone instead of every file of the site.

        Raises:
            SiteError: or SiteErrors, for anything wrong in the site; the output is then untouched.
        """
        started = time.perf_counter()
        self.timings, self.notices = {}, []
        self.changed = set(changed) if changed is not None else None
        options = self.options
        config = load_config(options.root, options.base_url)
        check_output_dir(options.out_dir, options.root)
        theme = load_theme(config)
        cache, notice = BuildCache.open(options.root, options.use_cache)
        if notice:
            self.notices.append(notice)
        self._trust(cache)
        bodystore.use(self._lookup(cache))
        # The model is tens of thousands of long-lived objects without cycles: the collector's
        # full passes over them cost more than a rebuild. Collect between builds, not during.
        gc.disable()
        try:
            return self._build(config, theme, cache, started)
        except BaseException:
            self.last_scan = None  # changes the failed build saw must not be skipped by the next
            raise
        finally:
            bodystore.use(None)
            cache.close()
            gc.enable()

    def _trust(self, cache: BuildCache) -> None:
        """Forget what the cache and this process know of earlier builds when it no longer holds:
        a new cache (`sitegen clean`, a discarded one, `--no-cache`) has none of the HTML the
        memory points to, and an output folder built since by another (`--no-cache`) is not what
        the cache recorded of it."""
        if cache.identity != self.cache_identity:
            self._forget_state()
            self.cache_identity = cache.identity
        if output_owner(self.options.out_dir) != cache.identity:
            cache.forget_output(self.options.out_dir)
            self.last_outputs = None

    def _lookup(self, cache: BuildCache) -> Callable[[str], str]:
        return cache.html

    def _workers(self) -> int:
        return self.options.workers or worker_count()

    def _build(self, config: SiteConfig, theme: Theme, cache: BuildCache, started: float) -> BuildReport:
        options = self.options
        now = options.now or default_now()
        site_key = _hash(versions(), config.fingerprint(), theme.fingerprint, str(options.drafts))
        scanned = self.stage("scan", lambda: self._scan(config, cache))
        inputs_key = _inputs_key(site_key, scanned.keys, scanned.assets_key)
        if not scanned.to_read and scanned.known.keys() == scanned.keys.keys():
            report = self._unchanged(cache, inputs_key, now, started)
            if report is not None:
                return report
        if scanned.to_read and self.keep_snapshot and self.last_render is None:
            report = self.stage("edit", lambda: self._edited_bodies(config, theme, cache, scanned, site_key, now))
            if report is not None:
                return dataclasses.replace(report, seconds=time.perf_counter() - started, timings=self.timings)
        sources, bodies, parsed = self.stage("load", lambda: self._load(config, cache, scanned))
        if site_key != self.site_key:  # models and keys made under other settings
            self.site_key, self.posts_memo = site_key, {}
            # page keys of the last run under these settings: most stay valid, and making them
            # again is a third of a rebuild at 10,000 posts
            self.meta_memo, self.hash_memo = cache.key_memos(site_key)
        site = self.stage(
            "assemble", lambda: assemble_site(config, sources, bodies, now, options.drafts, self.posts_memo)
        )
        pages = SitePages(site, site_key, self.meta_memo, self.hash_memo)
        upcoming = [p.date for p in sources.posts if not p.draft and p.date > now and not options.drafts]
        if self.keep_snapshot:
            # A one-off build needs no parse results once the site is assembled: let them go before
            # the render workers fork, so that they do not copy them page by page.
            self.memo = {}
            sources = dataclasses.replace(sources, posts=(), pages=(), authors=())
            bodies = {}
        self.out_dir_text = str(options.out_dir)
        previous = self._previous_outputs(cache)
        # into a new folder, nothing but this build's files can be there: no need to look for others
        known_before: set[str] | None = set(previous) if previous or not options.out_dir.exists() else None
        writer = OutputWriter(options.out_dir, cache.identity)
        writer.prepare()
        states: dict[str, OutputState] = {}
        try:
            renderer = Renderer(site, theme, cache.folder_for("templates") if options.use_cache else None)
            renderer.check_templates(TEMPLATES)
            jobs = pages.jobs()
            feed_writer = FeedWriter(site, absolute_for(config), _asset_sizes(sources))
            feed_jobs = self._feed_jobs(site, sources, config)
            rendered = self.stage(
                "render", lambda: self._render(pages, renderer, feed_writer, jobs, feed_jobs, previous, writer, states)
            )
            feed_count = sum(len(j.dests) for j in feed_jobs)
            copies = static_files(theme) + [
                OutputFile(a.dest_path, source=a.abs_src_path, kind="static") for a in sources.assets
            ]
            copies += hosting_files(config)  # .nojekyll, and CNAME when site.yaml sets domain:
            self.stage("write", lambda: self._meta_and_copies(site, pages, config, copies, previous, writer, states))
        except BaseException:
            writer.abort()
            raise
        written = self.stage("commit", writer.commit)
        removed = remove_stale(options.out_dir, set(states), known_before)
        # a fresh process read `previous` from the cache: write only the rows that differ
        rows_before = previous if self.last_outputs is None and previous else None
        self.last_outputs, self.hash_memo = states, pages.hashes
        self.last_render = (config, site, pages, renderer)
        counts = {"posts": len(site.posts), "pages": len(jobs), "feeds": feed_count, "static": len(copies)}

        def record() -> None:
            """What the next build starts from."""
            cache.save_outputs(options.out_dir, states, rows_before)
            if self.keep_snapshot and pages.memo_changed(SNAPSHOT_SLACK):
                cache.save_key_memos(site_key, pages.meta_keys_used(), pages.hashes)
            now_scan = self.last_scan
            # every file's key now, the files read by this build included
            built_from = _inputs_key(site_key, now_scan.keys, now_scan.assets_key) if now_scan else ""
            next_publish = min(upcoming).isoformat() if upcoming else None
            cache.save_last_build(options.out_dir, LastBuild(built_from, next_publish, counts, sources.warnings))
            if self.keep_snapshot:
                index = _edit_index(built_from, site, feed_jobs, jobs, states, feed_writer.file_sizes)
                cache.save_edit_index(options.out_dir, index)

        self.stage("record", record)
        return BuildReport(
            posts=len(site.posts),
            pages=len(jobs),
            feeds=feed_count,
            static=len(copies),
            write=WriteReport(len(written), len(states) - len(written), len(removed)),
            seconds=time.perf_counter() - started,
            timings=self.timings,
            warnings=sources.warnings,
            parsed=parsed,
            rendered=rendered,
            notices=tuple(self.notices),
            changed_paths=tuple(written + removed),
        )

    def quick_page(self, changed: Iterable[str]) -> list[str]:
        """Rewrite the page of one edited post at once, before the full rebuild that follows, so
        the writer sees it in tens of milliseconds even on a large site. Only for an edit that
        keeps the post's address, date and status; otherwise (or on any error) do nothing and
        leave it all to the full build. Returns the output files written."""
        # as in build(): a collection over the whole site's model would cost more than the page
        collecting = gc.isenabled()
        gc.disable()
        try:
            return self._quick_page(list(changed))
        finally:
            if collecting:
                gc.enable()

    def prepare_quick_page(self) -> None:
        """Do now what the first quick page would do on the writer's first save: get the Markdown
        engine ready and index the posts by path. For the dev server, once its first build is done."""
        if self.last_render is not None and self.last_scan is not None:
            prepare_parsing(self.last_render[0])
            self._files_by_path(self.last_scan)

    def _files_by_path(self, scan: _Scan) -> dict[str, SourceFile]:
        """The Markdown files of the last build by absolute path (made once per scan)."""
        if self.last_by_path is None:
            self.last_by_path = {os.path.abspath(f.abs_text): f for f in scan.scan.markdown}
        return self.last_by_path

    def _quick_page(self, paths: list[str]) -> list[str]:
        if len(paths) != 1 or self.last_render is None or self.last_scan is None:
            return []
        config, site, pages, renderer = self.last_render
        file = self._files_by_path(self.last_scan).get(os.path.abspath(paths[0]))
        index = pages.number_of(file.src_path) if file else None
        if file is None or file.kind != "posts" or index is None:
            return []
        old = site.posts[index]
        try:
            parsed = parse_source(config, file, read_bytes(file.abs_path))
            record = parsed.record
            assert isinstance(record, SourcePost)
            rendered = dataclasses.replace(parsed.rendered, inline_html=parsed.html)
            new = post_from(config, record, rendered, {a.id: a for a in site.authors})
        except (SiteError, KeyError, AssertionError):
            return []
        if (new.url, new.date, new.draft) != (old.url, old.date, old.draft):
            return []
        newer, older = pages.neighbours[old.url]
        cache, _ = BuildCache.open(self.options.root, self.options.use_cache)
        bodystore.use(cache.html)
        try:
            # After `sitegen clean` (or a build by another) the folder is not the one the memory
            # describes: its folders may be gone, and one made here would lack the marker.
            if cache.identity != self.cache_identity or output_owner(self.options.out_dir) != cache.identity:
                return []
            page = renderer.render("post.html", new.url, post=new, newer=newer, older=older)
            temp = stage_bytes(self.options.out_dir, page.dest_path, page.data or b"")
        except (SiteError, LookupError, OSError):
            return []
        finally:
            bodystore.use(None)
            cache.close()
        if temp is None:
            return []
        os.replace(temp, self.options.out_dir / page.dest_path)
        return [page.dest_path]

    def _scan_changed(self, parse_key: str) -> _Scan | None:
        """The last build's scan with the watcher's changed files to read again, when every one of
        them is a Markdown file the last build read; None sends the build to a full scan."""
        last = self.last_scan
        if self.changed is None or last is None or last.parse_key != parse_key:
            return None
        by_path = self._files_by_path(last)
        to_read = [by_path.get(os.path.abspath(path)) for path in self.changed]
        if any(f is None or not f.abs_path.is_file() for f in to_read):
            return None  # a new, deleted or non-Markdown file: look at everything
        reread = {f.src_path for f in to_read if f is not None}
        keys = {path: key for path, key in last.keys.items() if path not in reread}
        return _Scan(
            last.scan, parse_key, last.known, frozenset(self.memo), keys, [f for f in to_read if f], last.assets_key
        )

    def _scan(self, config: SiteConfig, cache: BuildCache) -> _Scan:
        """Which files changed since the last build, by modification time, size and inode."""
        parse_key = _hash(versions(), parse_config_fingerprint(config))
        quick = self._scan_changed(parse_key)
        if quick is not None:
            return quick
        scan = scan_content(config)
        known = cache.file_digests()
        cached = frozenset(cache.keys()) | frozenset(self.memo)
        keys: dict[str, str] = {}
        to_read: list[SourceFile] = []
        for file in scan.markdown:
            before = known.get(file.src_path)
            try:
                unchanged = before is not None and stamp_of(os.stat(file.abs_text)) == before[0]
            except OSError:
                unchanged = False
            key = _hash(parse_key, file.kind, file.src_path, before[1]) if unchanged and before else ""
            if key in cached:
                keys[file.src_path] = key
            else:  # new, touched, or parsed under other settings: read it (a worker does)
                to_read.append(file)
        return _Scan(scan, parse_key, known, cached, keys, to_read, _assets_key(scan, config.root))

    def _load(
        self, config: SiteConfig, cache: BuildCache, scanned: _Scan
    ) -> tuple[Sources, dict[str, Rendered], int]:
        """Every Markdown file's record and rendered body, parsing only what the cache lacks."""
        global _parse_state, _worker_cache
        scan, known, keys, to_read = scanned.scan, scanned.known, dict(scanned.keys), scanned.to_read
        snapshot_loaded = bool(self.memo)
        if not self.memo:
            self.memo.update(cache.snapshot())
            snapshot_loaded = bool(self.memo)
        _parse_state = (config, scanned.parse_key, scanned.cached, cache.db_path)
        progress = Progress("reading", len(to_read), self.options.progress)
        errors: list[SiteError] = []
        fresh: list[tuple[str, Any, str]] = []
        files: list[tuple[str, str, str]] = []
        seen: dict[str, tuple[str, str]] = {}
        parsed = 0
        try:
            chunks = [to_read[i : i + PARSE_CHUNK] for i in range(0, len(to_read), PARSE_CHUNK)]
            done = run_all(_parse_chunk, chunks, self._workers(), progress.advance_by_len, min_items=6)
            for item in (item for chunk in done for item in chunk):
                if isinstance(item.result, SiteError):
                    errors.append(item.result)
                    continue
                keys[item.src_path] = item.key
                if not item.stored:
                    files.append((item.src_path, item.stamp, item.digest))
                seen[item.src_path] = (item.stamp, item.digest)
                if item.result is not None:
                    entry = (item.result.record, _keyed(item.result.rendered, item.key), item.result.warnings)
                    self.memo[item.key] = entry
                    if not item.stored:
                        fresh.append((item.key, entry, item.result.html))
                    parsed += 1
                if len(fresh) >= STORE_BATCH:  # never hold every post's HTML at once
                    cache.store(fresh, files)
                    fresh, files = [], []
        finally:
            progress.close()
            _parse_state = None
            _close_worker_cache()
        cache.store(fresh, files)
        missing = [k for k in keys.values() if k not in self.memo]
        self.memo.update(cache.records(missing))
        in_order = [keys[f.src_path] for f in scan.markdown if f.src_path in keys]  # scan order: deterministic
        self.memo = {k: self.memo[k] for k in in_order}  # forget what no file uses any more
        parsed_files = [ParsedFile(*self.memo[k][:2], html="", warnings=self.memo[k][2]) for k in in_order]
        sources = ContentLoader(config).finish(scan, parsed_files, errors)
        gone = set(known) - set(keys)
        if gone:
            cache.forget_files(gone, set(keys.values()))
        # The snapshot is rewritten when much changed; a few files the next build reads one by one.
        stale = parsed + len(gone) + len(missing)
        if self.keep_snapshot and (stale > SNAPSHOT_SLACK * len(keys) or (stale and not snapshot_loaded)):
            self.stage("snapshot", lambda: cache.save_snapshot(self.memo))  # (part of "load")
        bodies = {p.record.src_path: p.rendered for p in parsed_files}
        if not errors:  # what the next build of a long-lived builder starts from
            if scan is not scanned.scan or self.last_scan is None or self.last_scan.scan is not scan:
                self.last_by_path = None
            known_now = {**known, **seen}
            self.last_scan = _Scan(scan, scanned.parse_key, known_now, frozenset(), keys, [], scanned.assets_key)
        return sources, bodies, parsed

    def _edited_bodies(
        self, config: SiteConfig, theme: Theme, cache: BuildCache, scanned: _Scan, site_key: str, now: datetime
    ) -> BuildReport | None:
        """A rebuild after only the text of posts changed renders their own pages and nothing
        else, without assembling the whole site: at 10,000 posts that is most of a rebuild.

        Returns None, for the full build, unless no other output can change: the last build into
        this folder was made from these very files but the edited ones (same settings, theme and
        copied files); each edited post keeps its front matter and what other pages show of it
        (title, summary, table of contents, reading time); its body shows on no other output (a
        feed, a list of whole posts); its page reads nothing of the site but its pages and authors;
        and every output of the last build is still there.
        """
        plan = _edit_plan(cache, self.options.out_dir, scanned, site_key, now)
        fresh = _parse_edited(config, scanned) if plan else None
        if plan is None or fresh is None:
            return None
        entries = cache.records(plan.old_keys.values())
        for path, again in fresh.items():
            old = entries.get(plan.old_keys[path])
            if old is None or (again.parsed.record, again.parsed.warnings) != (old[0], old[2]):
                return None  # its front matter changed: lists and feeds may show it
        wanted = plan.wanted(scanned)
        entries.update(cache.records(key for key in wanted if key not in entries))
        if any(key not in entries for key in wanted):
            return None
        previous = cache.outputs(self.options.out_dir)
        if not all(os.path.isfile(os.path.join(self.out_dir_text, dest)) for dest in previous):
            return None
        writer = OutputWriter(self.options.out_dir, cache.identity)
        writer.prepare()
        html = {again.key: again.parsed.html for again in fresh.values()}
        bodystore.use(lambda key: html[key] if key in html else cache.html(key))
        states: dict[str, OutputState] | None = None
        try:
            states = self._render_edited(config, theme, cache, scanned, plan, fresh, entries, previous, writer)
        except Exception:  # a template error, or anything unforeseen: the full build makes it all, or says why
            log.debug("quick rebuild of edited posts given up", exc_info=True)
            states = None
        finally:
            bodystore.use(self._lookup(cache))
            if states is None:
                writer.abort()  # the full build does it all
        if states is None:
            return None
        written = writer.commit()
        stored = [
            (f.key, (f.parsed.record, _keyed(f.parsed.rendered, f.key), f.parsed.warnings), f.parsed.html)
            for f in fresh.values()
        ]
        cache.store(stored, [(path, f.stamp, f.digest) for path, f in fresh.items()])
        cache.save_outputs(self.options.out_dir, states, {dest: previous[dest] for dest in states})
        new_keys = {**scanned.keys, **{path: f.key for path, f in fresh.items()}}
        built_from = _inputs_key(site_key, new_keys, scanned.assets_key)
        cache.save_last_build(self.options.out_dir, plan.last._replace(inputs_key=built_from))
        cache.save_edit_index(self.options.out_dir, plan.index._replace(inputs_key=built_from))
        counts = plan.last.counts
        return BuildReport(
            posts=counts["posts"],
            pages=counts["pages"],
            feeds=counts["feeds"],
            static=counts["static"],
            write=WriteReport(len(written), len(previous) - len(written), 0),
            seconds=0.0,
            warnings=plan.last.warnings,
            parsed=len(fresh),
            rendered=sum(1 for path, again in fresh.items() if again.key != plan.old_keys[path]),  # their pages
            notices=tuple(self.notices),
            changed_paths=tuple(written),
        )

    def _render_edited(
        self,
        config: SiteConfig,
        theme: Theme,
        cache: BuildCache,
        scanned: _Scan,
        plan: _EditPlan,
        fresh: dict[str, _Fresh],
        entries: dict[str, Any],
        previous: dict[str, OutputState],
        writer: OutputWriter,
    ) -> dict[str, OutputState] | None:
        """Stage the page of every edited post; None when one of them may change more than that."""
        others = [f for f in scanned.scan.markdown if f.kind != "posts"]
        bodies = {f.src_path: entries[plan.keys[f.src_path]][1] for f in others}
        authors = authors_by_id([entries[plan.keys[f.src_path]][0] for f in others if f.kind == "authors"], bodies)
        page_sources = [entries[plan.keys[f.src_path]][0] for f in others if f.kind == "pages"]
        frame = site_frame(config, authors, page_sources, bodies, self.options.drafts)
        pages = SitePages(frame, plan.site_key)
        renderer = Renderer(frame, theme, cache.folder_for("templates"))

        made: dict[str, Post] = {}
        """Posts as they were, by src_path; the edited ones as they are now go in `edited`."""

        def post_of(path: str) -> Post:
            if path not in made:
                record, rendered, _warnings = entries[plan.keys[path]]
                made[path] = post_from(config, record, rendered, authors)
            return made[path]

        def post_at(number: int) -> Post | None:
            return post_of(plan.index.order[number]) if 0 <= number < len(plan.index.order) else None

        states: dict[str, OutputState] = {}
        edited: dict[str, Post] = {}
        for path, again in fresh.items():
            if again.key == plan.old_keys[path]:
                continue  # touched, not changed
            old = post_of(path)
            record, _rendered, _warnings = entries[plan.old_keys[path]]  # as the file's is now
            new = edited[path] = post_from(config, record, _keyed(again.parsed.rendered, again.key), authors)
            if pages.meta_key(old) != pages.meta_key(new):
                return None  # what lists show of it changed (its summary, toc or reading time)
            number = plan.position[path]
            newer, older = post_at(number - 1), post_at(number + 1)
            job = pages.post_job(number, new, newer, older)
            before = previous.get(job.dest)
            if before is None or not _frame_only(before.deps):
                return None
            if pages.key(pages.post_job(number, old, newer, older), before.deps) != before.key:
                return None  # the page as the last build made it is not the one this would make
            bodies_read = bodystore.record_reads()
            page = renderer.render(job.template, job.url, post=new, newer=newer, older=older)
            groups = read_groups(renderer.reads, bool(bodies_read - {job.own_body}))
            if not _frame_only(groups):
                return None  # it reads more of the site this time
            writer.add_staged([stage_bytes(self.options.out_dir, job.dest, page.data or b"")])
            states[job.dest] = OutputState(pages.key(job, groups), groups)
        feeds = self._render_edited_feeds(config, frame, plan, post_of, edited, previous, writer)
        return None if feeds is None else {**states, **feeds}

    def _render_edited_feeds(
        self,
        config: SiteConfig,
        frame: Site,
        plan: _EditPlan,
        post_of: Callable[[str], Post],
        edited: dict[str, Post],
        previous: dict[str, OutputState],
        writer: OutputWriter,
    ) -> dict[str, OutputState] | None:
        """Stage the feeds that carry an edited post; None if one is not as this would make it."""
        states: dict[str, OutputState] = {}
        feed_writer = FeedWriter(frame, absolute_for(config), plan.index.sizes)
        for title, folder, with_json, dests, paths in plan.feeds:
            before = _feed_key(config, FeedSet(title, folder, tuple(post_of(path) for path in paths)), plan.index.sizes)
            if any(dest not in previous or previous[dest].key != before for dest in dests):
                return None  # the feed as the last build made it is not the one this would make
            feed = FeedSet(title, folder, tuple(edited.get(path) or post_of(path) for path in paths))
            files = feed_writer.render(feed) + ([feed_writer.json_feed(feed)] if with_json else [])
            writer.add_staged([stage_bytes(self.options.out_dir, f.dest_path, f.data or b"") for f in files])
            states.update((dest, OutputState(_feed_key(config, feed, plan.index.sizes), "")) for dest in dests)
        return states

    def _previous_outputs(self, cache: BuildCache) -> dict[str, OutputState]:
        """What the last build wrote: kept in memory by a long-lived builder, else from the cache."""
        if not self.options.out_dir.is_dir():
            return {}
        if self.last_outputs is not None:
            return self.last_outputs
        return cache.outputs(self.options.out_dir)

    def _unchanged(self, cache: BuildCache, inputs_key: str, now: datetime, started: float) -> BuildReport | None:
        """The report of a build with nothing to do, or None when there may be something: no
        input changed since the last build into this folder, no post came due, no output is missing."""
        last = cache.last_build(self.options.out_dir)
        if last is None or last.inputs_key != inputs_key:
            return None
        if last.next_publish is not None and now >= datetime.fromisoformat(last.next_publish):
            return None
        outputs = cache.outputs(self.options.out_dir)
        out = str(self.options.out_dir)  # text paths: a Path for each of 11,000 outputs cost 50 ms
        if not all(os.path.isfile(os.path.join(out, dest)) for dest in outputs):
            return None
        return BuildReport(
            posts=last.counts["posts"],
            pages=last.counts["pages"],
            feeds=last.counts["feeds"],
            static=last.counts["static"],
            write=WriteReport(0, len(outputs), 0),
            seconds=time.perf_counter() - started,
            timings=self.timings,
            warnings=last.warnings,
            notices=tuple(self.notices),
        )

    def _up_to_date(self, dest: str, key: str, previous: dict[str, OutputState]) -> bool:
        before = previous.get(dest)
        return before is not None and before.key == key and os.path.isfile(os.path.join(self.out_dir_text, dest))

    def _render(
        self,
        pages: SitePages,
        renderer: Renderer,
        feed_writer: FeedWriter,
        jobs: list[PageJob],
        feed_jobs: list[FeedJob],
        previous: dict[str, OutputState],
        writer: OutputWriter,
        states: dict[str, OutputState],
    ) -> int:
        """Render the feeds and pages whose key changed, on every core; return how many pages."""
        global _render_state
        todo: list[PageJob | FeedJob] = []
        for feed_job in feed_jobs:
            if all(self._up_to_date(d, feed_job.key, previous) for d in feed_job.dests):
                writer.add_staged([None] * len(feed_job.dests))
            else:
                todo.append(feed_job)  # first: they take longest
            states.update((d, OutputState(feed_job.key, "")) for d in feed_job.dests)
        for job in jobs:
            before = previous.get(job.dest)
            if before is None:  # new: rendered, and keyed by what it reads once it is
                todo.append(job)
                continue
            key = pages.key(job, before.deps)
            if self._up_to_date(job.dest, key, previous):
                states[job.dest] = OutputState(key, before.deps)
                writer.add_staged([None])
            else:
                todo.append(job)
        _render_state = (pages, renderer, feed_writer, self.options.out_dir, todo)
        gc.freeze()  # forked workers share the model's memory pages; a collection would copy them
        progress = Progress("rendering", len(todo), self.options.progress)
        errors: list[SiteError] = []
        try:
            results = run_all(_render_one, range(len(todo)), self._workers(), progress.advance_one)
            for done, result in zip(todo, results, strict=True):
                if result.error is not None:
                    errors.append(result.error)
                    continue
                writer.add_staged(list(result.temps))
                if isinstance(done, PageJob):
                    states[done.dest] = OutputState(pages.key(done, result.groups), result.groups)
        finally:
            progress.close()
            _render_state = None
            gc.unfreeze()
        if errors:
            raise errors[0]
        return sum(isinstance(done, PageJob) for done in todo)

    def _feed_jobs(self, site: Site, sources: Sources, config: SiteConfig) -> list[FeedJob]:
        """Every feed set with its key: the posts it carries, their authors and cover sizes."""
        sizes = _asset_sizes(sources)
        jobs = []
        for number, feed in enumerate(feed_sets(site)):
            urls = [feed.rss_url, feed.atom_url] + ([feed.json_url] if number == 0 else [])
            jobs.append(FeedJob(feed, number == 0, tuple(u.lstrip("/") for u in urls), _feed_key(config, feed, sizes)))
        return jobs

    def _meta_and_copies(
        self,
        site: Site,
        pages: SitePages,
        config: SiteConfig,
        copies: list[OutputFile],
        previous: dict[str, OutputState],
        writer: OutputWriter,
        states: dict[str, OutputState],
    ) -> None:
        """sitemap.xml and robots.txt when the site's list of pages changed; copies of changed files."""
        groups = [pages.group_key(g, full=False) for g in ("posts", "pages", "authors")]
        key = _hash(versions(), config.fingerprint(), *groups)
        meta_dests = ("sitemap.xml", "robots.txt")
        if all(self._up_to_date(d, key, previous) for d in meta_dests):
            writer.add_staged([None, None])
        else:
            absolute = absolute_for(config)
            writer.stage(render_sitemap(site, absolute))
            writer.stage(render_robots(absolute))
        states.update((d, OutputState(key, "")) for d in meta_dests)
        for file in copies:
            if file.dest_path in states:
                raise SiteError(f"two files would be written to {file.dest_path}: rename one of them")
            writer.stage(file)
            states[file.dest_path] = OutputState("copy", "")


def _inputs_key(site_key: str, keys: dict[str, str], assets_key: str) -> str:
    """Hash of the site's settings and theme, of every source file's key, in a fixed order, and
    of the files copied as they are."""
    return _hash(site_key, assets_key, *(f"{path}={key}" for path, key in sorted(keys.items())))


class _Fresh(NamedTuple):
    """An edited file, read and parsed again."""

    stamp: str
    digest: str
    key: str
    parsed: ParsedFile


@dataclass(frozen=True, slots=True)
class _EditPlan:
    """What a rebuild of edited posts alone stands on (see Builder._edited_bodies)."""

    last: LastBuild
    index: EditIndex
    site_key: str
    old_keys: dict[str, str]
    """src_path -> parse key at the last build, for each edited file."""
    keys: dict[str, str]
    """src_path -> parse key at the last build, for every file."""
    position: dict[str, int]
    """src_path -> place among the published posts, newest first."""

    @property
    def feeds(self) -> list[tuple[str, str, bool, list[str], list[str]]]:
        """The feeds that carry an edited post (see EditIndex.feeds)."""
        return [feed for feed in self.index.feeds if not self.old_keys.keys().isdisjoint(feed[4])]

    def wanted(self, scanned: _Scan) -> list[str]:
        """The parse results to load: pages, authors, the edited posts, their neighbours, and the
        posts of the feeds that carry them."""
        order = self.index.order
        around = {
            order[n]
            for path in self.old_keys
            for n in (self.position[path] - 1, self.position[path] + 1)
            if 0 <= n < len(order)
        }
        in_feeds = {path for feed in self.feeds for path in feed[4]}
        paths = {f.src_path for f in scanned.scan.markdown if f.kind != "posts"} | around | in_feeds
        return sorted(self.keys[path] for path in paths | set(self.old_keys))


def _edit_plan(cache: BuildCache, out_dir: Path, scanned: _Scan, site_key: str, now: datetime) -> _EditPlan | None:
    """The plan of a rebuild of edited posts alone, or None when the last build into `out_dir`
    was not made from these files but the edited ones, or something else may have changed."""
    last, index = cache.last_build(out_dir), cache.edit_index(out_dir)
    if last is None or index is None or index.inputs_key != last.inputs_key:
        return None
    if last.next_publish is not None and now >= datetime.fromisoformat(last.next_publish):
        return None  # a future post came due
    edited, known = scanned.to_read, scanned.known
    if len(edited) > QUICK_EDIT_LIMIT:
        return None  # parsed here one by one, many would take longer than the full build's pool
    if any(f.kind != "posts" or f.src_path not in known for f in edited):
        return None
    if known.keys() != scanned.keys.keys() | {f.src_path for f in edited}:
        return None  # a file was added or removed
    old_keys = {f.src_path: _hash(scanned.parse_key, f.kind, f.src_path, known[f.src_path][1]) for f in edited}
    keys = {**scanned.keys, **old_keys}
    if _inputs_key(site_key, keys, scanned.assets_key) != last.inputs_key:
        return None
    position = {path: number for number, path in enumerate(index.order)}
    whole = set(index.whole)
    if any(f.src_path in whole or f.src_path not in position for f in edited):
        return None  # a list shows it whole, or it is not published
    return _EditPlan(last, index, site_key, old_keys, keys, position)


def _parse_edited(config: SiteConfig, scanned: _Scan) -> dict[str, _Fresh] | None:
    """Read and parse the edited files again; None on any error (the full build reports it)."""
    fresh: dict[str, _Fresh] = {}
    for file in scanned.to_read:
        try:
            stamp = stamp_of(os.stat(file.abs_text))
            data = read_bytes(file.abs_path)
            result = parse_source(config, file, data)
        except (OSError, SiteError):
            return None
        data_digest = digest(data)
        key = _hash(scanned.parse_key, file.kind, file.src_path, data_digest)
        fresh[file.src_path] = _Fresh(stamp, data_digest, key, result)
    return fresh


def _frame_only(groups: str) -> bool:
    """Whether a page that read `groups` of the site read only what a site frame holds."""
    return not set(groups.split(",")) - {"", "authors", "pages"}


def _feed_key(config: SiteConfig, feed: FeedSet, sizes: Mapping[str, int]) -> str:
    """The key of a feed's files: the posts it carries, their authors and cover sizes."""
    post_keys = [p.body.key + ":" + ":".join(a.bio.key for a in p.authors) for p in feed.posts]
    images = [str(sizes.get(p.image or "", "")) for p in feed.posts]
    return _hash(versions(), config.fingerprint(), feed.title, feed.folder, *post_keys, *images)


def _edit_index(
    inputs_key: str,
    site: Site,
    feed_jobs: list[FeedJob],
    jobs: list[PageJob],
    states: dict[str, OutputState],
    sizes: Mapping[str, int],
) -> EditIndex:
    """The post order, the posts some list shows whole (a page whose template read the bodies of
    the posts it lists, or of all posts when it read `posts`), and every feed's posts."""
    whole: set[str] = set()
    for job in jobs:
        deps = states[job.dest].deps.split(",")
        if "bodies" in deps:
            whole.update(p.src_path for p in (site.posts if "posts" in deps else job.listed))
    feeds = [
        (job.feed.title, job.feed.folder, job.with_json, list(job.dests), [p.src_path for p in job.feed.posts])
        for job in feed_jobs
    ]
    shown = {p.image: sizes[p.image] for job in feed_jobs for p in job.feed.posts if p.image and p.image in sizes}
    return EditIndex(inputs_key, [p.src_path for p in site.posts], sorted(whole), feeds, shown)


def _assets_key(scan: ContentScan, root: Path) -> str:
    stamps = []
    for src_path, abs_path in asset_files(scan, root):
        try:
            stamps.append(f"{src_path}={stamp_of(os.stat(abs_path))}")
        except OSError:  # gone since the scan: the next build sees it
            stamps.append(f"{src_path}=?")
    return _hash(*stamps)


def _keyed(rendered: Rendered, key: str) -> Rendered:
    """The same rendering, its HTML now read from the body store under `key`."""
    return Rendered(
        rendered.toc, rendered.words, rendered.first_paragraph, key=key, markdown_only=rendered.markdown_only
    )


def _asset_sizes(sources: Sources) -> dict[str, int]:
    return {"/" + a.dest_path: a.abs_src_path.stat().st_size for a in sources.assets}


def build(options: BuildOptions) -> BuildReport:
    """Build the site at `options.root` once (see Builder.build)."""
    return Builder(options).build()


def describe(report: BuildReport) -> Iterable[str]:
    """Lines about the engine's work, for --verbose."""
    yield f"parsed {report.parsed} files · rendered {report.rendered} of {report.pages} pages"
    yield f"sitegen {__version__}"
