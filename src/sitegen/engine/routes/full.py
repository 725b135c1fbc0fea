"""Route: the full build. Load every file (parsing what changed), assemble the site, render what
changed, write it, and record what the next build starts from."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ...errors import SiteError
from ...model.assemble import assemble_site
from ...model.site import Site
from ...output.files import OutputFile
from ...output.writer import DiskFull, WriteReport, stale_files
from ...render.feeds import FeedWriter
from ...render.fonts import font_files
from ...render.meta import hosting_files
from ...render.redirects import redirect_page, site_redirects
from ...render.templates import TEMPLATES, Renderer
from ...render.theme import static_files
from ...source.config import CONFIG_NAME
from ...source.plugins import Plugins
from ...source.records import Sources
from .. import keys, search
from ..collisions import Origins, check_outputs, check_redirects
from ..links import broken_links, clipped_emails, missing_images
from ..loading import load_sources
from ..memory import LastRender, Lifetime
from ..options import BuildReport, Route
from ..pictures import CopyJob, plan_pictures
from ..plan import CardJob, FeedJob, HtmlJob, SitePlan, feed_jobs
from ..records import BuildCounts, LastBuild, OutputState, Reads
from ..rendering import META_FILES, Outputs, absolute_for, render_changed, stage_meta_and_copies
from ..session import Session
from ..store import KeyMemos
from .text_edit import edit_index

SNAPSHOT_SLACK = 0.05
"""Share of page keys that may be new before the key memos are saved again."""


def run(session: Session) -> BuildReport:
    """Build the site, making only the outputs whose key changed.

    Raises:
        SiteError: or SiteErrors, for anything wrong in the site; the output is then untouched.
    """
    options, memory, cache = session.options, session.memory, session.cache
    sources, bodies, parsed = session.timed("load", lambda: load_sources(session))
    if session.site_key != memory.site_key:  # posts and page keys made under other settings
        memory.forget_site(session.site_key)
        # page keys of the last run under these settings: most stay valid, and making them
        # again is a third of a rebuild at 10,000 posts
        memory.meta_keys, memory.hashes = cache.key_memos(session.site_key)
    site = session.timed(
        "assemble", lambda: assemble_site(session.config, sources, bodies, session.now, options.drafts, memory.posts)
    )
    copies = _copies(session, sources) + plugin_outputs(session.plugins, site)
    files = {c.dest_path: c.source for c in copies if c.source is not None}
    site, picture_copies, picture_warnings = session.timed(
        "pictures", lambda: plan_pictures(site, files, memory.pictures, options.root)
    )
    plan = SitePlan(site, session.site_key, memory.meta_keys, memory.hashes)
    upcoming = [p.date for p in sources.posts if not p.draft and p.date > session.now and not options.drafts]
    drafts = 0 if options.drafts else sum(p.draft for p in sources.posts)
    sizes = {"/" + a.dest_path: a.abs_src_path.stat().st_size for a in sources.assets}
    jobs = plan.jobs()
    cards: list[CardJob | CopyJob] = [*plan.card_jobs(session.theme.card_colours), *picture_copies]
    feeds = feed_jobs(site, session.config_key, sizes)
    dests = [*(j.dest for j in jobs), *(c.dest for c in cards), *(d for f in feeds for d in f.dests), *META_FILES]
    dests += [c.dest_path for c in copies]
    moved = _redirect_pages(session, site, sources, set(dests))
    copies += moved
    dests += [page.dest_path for page in moved]
    previous = previous_outputs(session)
    search_before = sorted(d for d in previous if d.startswith(search.FOLDER))
    dests += search_before if session.config.search else []  # kept, unless the index is made anew
    planned = set(dests)
    cover_lines = {p.src_path: p.positions.get("image", (1, 1))[0] for p in sources.posts if p.image}
    missing_images(site, planned, cover_lines)
    warnings = (*sources.warnings, *picture_warnings, *broken_links(site, planned))
    if planned != previous.keys():  # the same files as the last build's cannot clash: they did not
        positions = {p.src_path: p.positions for p in sources.posts}
        positions.update((p.src_path, p.positions) for p in sources.pages)
        check_outputs(Origins(site, jobs, feeds, copies, positions, options.root, cards), dests)
    if memory.lifetime is Lifetime.ONE_SHOT:
        # A one-off build needs no parse results once the site is assembled: let them go before
        # the render workers fork, so that they do not copy them page by page.
        memory.parses = {}
        sources, bodies = dataclasses.replace(sources, posts=(), pages=(), authors=()), {}
    renderer = Renderer(site, session.theme, session.compiled_templates, session.plugins)
    renderer.check_templates(TEMPLATES + (("search.html",) if session.config.search else ()))
    feed_writer = FeedWriter(site, absolute_for(session.config), sizes)
    # into a new folder, nothing but this build's files can be there: no need to look for others
    known = set(previous) if previous or not options.out_dir.exists() else None
    outputs = Outputs(session.writer(), previous, {})
    try:

        def stage(into: Outputs) -> int:
            return _stage(session, plan, renderer, feed_writer, (jobs, cards), feeds, copies, into)

        try:
            rendered = stage(outputs)
        except DiskFull:
            # Room for the new files may be where the files the site no longer produces are: remove
            # those (the output is then unfinished, see output/writer.py), and stage again, once.
            outputs.writer.abort()
            stale = stale_files(options.out_dir, planned, known)
            if not stale:
                raise
            outputs.writer.commit(stale)
            outputs = Outputs(outputs.writer, outputs.previous, {})
            outputs.writer.unchanged = 0
            rendered = stage(outputs)
        stale = stale_files(options.out_dir, planned, known)
        written, removed = session.timed("commit", lambda: outputs.writer.commit(stale))
        if session.config.search:
            made, unmade = session.timed("search", lambda: _index(session, site, outputs, search_before))
            written, removed = written + made, removed + unmade
    except BaseException:
        outputs.writer.abort()
        raise
    warnings += tuple(clipped_emails(site, options.out_dir))
    feed_files = sum(len(j.dests) for j in feeds)
    counts = BuildCounts(len(site.posts), len(jobs), feed_files, len(copies), drafts, len(upcoming))
    # a fresh process read `previous` from the cache: write only the rows that differ
    rows_before = outputs.previous if memory.outputs is None and outputs.previous else None
    memory.outputs, memory.hashes = outputs.states, plan.hashes
    memory.last_render = LastRender(session.config, site, plan, renderer)
    last = LastBuild(_inputs_key(session), min(upcoming, default=None), counts, warnings)
    session.timed("record", lambda: _record(session, plan, outputs, rows_before, last, site, jobs, feeds, sizes))
    outputs.writer.finish()
    return session.report(
        Route.FULL,
        counts,
        WriteReport(len(written), len(outputs.states) - len(written), len(removed)),
        warnings,
        parsed=parsed,
        rendered=rendered,
        changed_paths=written + removed,
    )


def _stage(
    session: Session,
    plan: SitePlan,
    renderer: Renderer,
    feed_writer: FeedWriter,
    pages: tuple[list[HtmlJob], list[CardJob | CopyJob]],
    feeds: list[FeedJob],
    copies: list[OutputFile],
    outputs: Outputs,
) -> int:
    """Render and stage what changed (pages, link-preview cards and smaller copies of images), then
    the sitemap and copies;
    return how many pages rendered."""
    jobs, cards = pages
    rendered = session.timed(
        "render", lambda: render_changed(session, plan, renderer, feed_writer, jobs, feeds, outputs, cards)
    )
    session.timed("write", lambda: stage_meta_and_copies(session, plan, copies, outputs))
    return rendered


def _index(session: Session, site: Site, outputs: Outputs, before: list[str]) -> tuple[list[str], list[str]]:
    """Make the search index again when a letter changed (see engine/search.py), and commit it;
    return the files (written, removed)."""
    config, writer = session.config, outputs.writer
    key = search.search_key(session.site_key, ((p.url, p.source_key) for p in site.posts))
    if before and all(outputs.up_to_date(dest, key) for dest in before):
        outputs.states.update((dest, OutputState(key, Reads.NOTHING)) for dest in before)
        return [], []
    into = Path(writer.stager.staging) / "search-index"
    made = [name for name in search.make_index(session.options.out_dir, into, search.post_glob(config.post_permalink))
            if not name.startswith(search.UNUSED)]
    kept = set()
    for name in made:
        dest = search.FOLDER + name.replace(os.sep, "/")
        writer.stage(OutputFile(dest, source=into / name))
        outputs.states[dest] = OutputState(key, Reads.NOTHING)
        kept.add(dest)
    gone = [dest for dest in before if dest not in kept]
    for dest in gone:
        outputs.states.pop(dest, None)
    return writer.commit(gone)


def _redirect_pages(session: Session, site: Site, sources: Sources, made: set[str]) -> list[OutputFile]:
    """The pages at the site's old addresses (see render/redirects.py), none over a file in `made`.

    Raises:
        SiteError: or SiteErrors, at the line that asks for a redirect that clashes.
    """
    redirects = site_redirects(site)
    if not redirects:
        return []
    options = session.options
    positions = {p.src_path: p.positions for p in sources.posts}
    check_redirects(redirects, made, positions, options.config or options.root / CONFIG_NAME)
    absolute = absolute_for(session.config)
    return [redirect_page(r, absolute, session.config.language) for r in redirects]


def plugin_outputs(plugins: Plugins, site: Site) -> list[OutputFile]:
    """The files the site's plugins add (see source/plugins.py), after the site is put together.

    Raises:
        SiteError: when a plugin fails, or gives something other than (path, bytes).
    """
    found = []
    for make in plugins.api.outputs:
        try:
            for dest, data in make(site):
                if not isinstance(dest, str) or not isinstance(data, bytes):
                    raise TypeError(f"gave {type(dest).__name__} and {type(data).__name__}, not a path and bytes")
                path = dest.lstrip("/")
                if not path or path.endswith("/") or "\0" in path:
                    raise ValueError(f"{dest!r} is not the name of a file in the output")
                found.append(OutputFile(path, data))  # the writer refuses one outside the output folder
        except SiteError:
            raise
        except Exception as exc:
            raise SiteError(f"a plugin's output failed: {type(exc).__name__}: {exc}") from None
    return found


def _copies(session: Session, sources: Sources) -> list[OutputFile]:
    """The files copied as they are: the theme's static files, assets, the self-hosted font, and the
    host's files."""
    assets = [OutputFile(a.dest_path, source=a.abs_src_path) for a in sources.assets]
    return static_files(session.theme) + assets + font_files(session.config) + hosting_files(session.config)


def previous_outputs(session: Session) -> dict[str, OutputState]:
    """What the last build into the output folder made."""
    out_dir = session.options.out_dir
    if not out_dir.is_dir():
        return {}
    remembered = session.memory.previous_outputs(out_dir)
    return remembered if remembered is not None else session.cache.outputs(out_dir)


def _inputs_key(session: Session) -> str:
    """Every file's key now, the files this build read included (see keys.inputs_key)."""
    scan = session.memory.scan
    return keys.inputs_key(session.site_key, scan.copied_key, scan.keys) if scan else ""


def _record(
    session: Session,
    plan: SitePlan,
    outputs: Outputs,
    rows_before: dict[str, OutputState] | None,
    last: LastBuild,
    site: Site,
    jobs: list[HtmlJob],
    feeds: list[FeedJob],
    sizes: dict[str, int],
) -> None:
    """What the next build starts from."""
    cache, out_dir = session.cache, session.options.out_dir
    cache.save_outputs(out_dir, outputs.states, rows_before)
    cache.save_last_build(out_dir, last)
    if session.memory.lifetime.saves_for_next_run:
        if plan.memo_changed(SNAPSHOT_SLACK):
            cache.save_key_memos(session.site_key, KeyMemos(plan.meta_keys_used(), plan.hashes))
        index = edit_index(last.inputs_key, site, jobs, feeds, outputs.states, sizes, plan.related)
        cache.save_edit_index(out_dir, index)

