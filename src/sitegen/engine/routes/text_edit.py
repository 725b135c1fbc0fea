"""Route: only the text of a few posts changed. Render their own pages and the feeds that carry
them, without assembling the site: at 10,000 posts, assembling is most of a rebuild.

The route gives way to the full build (returns None) unless no other output can change: the last
build into this folder was made from these very files but the edited ones (same settings, theme
and copied files); each edited post keeps its front matter and what other pages show of it
(title, summary, table of contents, reading time); its body shows on no other output (a feed, a
list of whole posts); its page reads nothing of the site but its pages and authors; and every
output of the last build is still there.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import NamedTuple

from ...errors import SiteError
from ...markup import bodies
from ...markup.parse import ParsedFile, parse_source
from ...model.assemble import authors_by_id, post_from, site_frame
from ...model.feedsets import FeedSet
from ...model.site import Post, Site
from ...output.writer import OutputWriter, WriteReport
from ...render.context import email_context, post_context
from ...render.email import CLIPPED_BYTES
from ...render.feeds import FeedWriter
from ...render.templates import Renderer
from ...source.records import SourceAuthor, SourcePage, SourcePost
from ...source.textfile import read_bytes
from .. import keys
from ..memory import Lifetime, ScanResult
from ..options import BuildReport, Route
from ..plan import FeedJob, HtmlJob, SitePlan, reads_of
from ..records import FRAME, CachedParse, EditIndex, FeedEntry, LastBuild, OutputState, Reads
from ..rendering import absolute_for
from ..session import Session
from ..store import FileRecord, StoredParse
from ..workers import cached_parse
from .unchanged import outputs_in_place

log = logging.getLogger("sitegen")

Recorded = Callable[[str], OutputState | None]
"""What the last build recorded of one of its files (see BuildCache.output_state)."""

QUICK_EDIT_LIMIT = 16
"""Most edited files this route takes: parsed here one by one, more are faster on the full build's pool."""


class Fresh(NamedTuple):
    """An edited file, read and parsed again."""

    stamp: str
    digest: str
    key: str
    parsed: ParsedFile


@dataclass(frozen=True, slots=True)
class EditPlan:
    """What a rebuild of edited posts alone stands on."""

    last: LastBuild
    index: EditIndex
    old_keys: dict[str, str]
    """src_path -> parse key at the last build, for each edited file."""
    keys: dict[str, str]
    """src_path -> parse key at the last build, for every file."""
    position: dict[str, int]
    """src_path -> place among the published posts, newest first."""

    @property
    def feeds(self) -> list[FeedEntry]:
        """The feeds that carry an edited post."""
        return [feed for feed in self.index.feeds if not self.old_keys.keys().isdisjoint(feed.posts)]

    def wanted(self, scan: ScanResult) -> list[str]:
        """The parse results to load: pages, authors, the edited posts, their neighbours, and the
        posts of the feeds that carry them."""
        order = self.index.order
        around = {
            order[n]
            for path in self.old_keys
            for n in (self.position[path] - 1, self.position[path] + 1)
            if 0 <= n < len(order)
        }
        in_feeds = {path for feed in self.feeds for path in feed.posts}
        related = {shown for path in self.old_keys for shown in self.index.related_to(self.position[path])}
        paths = {f.src_path for f in scan.scan.markdown if f.section != "posts"} | around | in_feeds | related
        return sorted(self.keys[path] for path in paths | set(self.old_keys))


def attempt(session: Session) -> BuildReport | None:
    """Make the pages and feeds of the edited posts, or return None for the full build."""
    memory, cache, out_dir = session.memory, session.cache, session.options.out_dir
    if not session.scan.to_read or memory.lifetime is not Lifetime.ONE_SHOT:
        return None
    if session.config.search or session.plugins.api.outputs:
        return None  # the search index and plugins' files are made from the whole site
    plan = plan_edit(session)
    fresh = _parse_edited(session) if plan else None
    if plan is None or fresh is None:
        return None
    entries = cache.parses(plan.old_keys.values())
    for path, again in fresh.items():
        old = entries.get(plan.old_keys[path])
        now = (again.parsed.record, again.parsed.warnings, again.parsed.rendered.links)
        if old is None or now != (old.record, old.warnings, old.rendered.links):
            return None  # its front matter changed (lists and feeds may show it), or its links (checked in full)
    wanted = plan.wanted(session.scan)
    entries.update(cache.parses(key for key in wanted if key not in entries))
    if any(key not in entries for key in wanted) or (present := outputs_in_place(session)) is None:
        return None
    folder = str(out_dir.resolve())
    before: dict[str, OutputState | None] = {}  # what the last build recorded of each file this one makes

    def recorded(dest: str) -> OutputState | None:
        if dest not in before:
            before[dest] = cache.output_state(folder, dest)
        return before[dest]

    # its HTML in the cache before its page renders: the body store reads it there
    stored = (StoredParse(f.key, cached_parse(f.parsed, f.key), f.parsed.html, f.parsed.text) for f in fresh.values())
    cache.store(stored, ())
    writer = session.writer()
    states: dict[str, OutputState] | None = None
    try:
        states = _render_edited(session, plan, fresh, entries, recorded, writer)
    except Exception:  # a template error, or anything unforeseen: the full build makes it all, or says why
        log.debug("quick rebuild of edited posts given up", exc_info=True)
    finally:
        if states is None:
            writer.abort()  # the full build does it all
    if states is None:
        return None
    written, _removed = writer.commit()
    cache.store((), (FileRecord(path, f.stamp, f.digest) for path, f in fresh.items()))
    cache.save_outputs(out_dir, states, {dest: state for dest, state in before.items() if state is not None})
    new_keys = {**session.scan.keys, **{path: f.key for path, f in fresh.items()}}
    built_from = keys.inputs_key(session.site_key, session.scan.copied_key, new_keys)
    cache.save_last_build(out_dir, plan.last._replace(inputs_key=built_from))
    cache.save_edit_index_key(out_dir, built_from)  # the index holds: only the text of posts changed
    writer.finish()
    feed_dests = {dest for entry in plan.feeds for dest in entry.dests}
    changed = sum(1 for dest in states if dest not in feed_dests)  # their pages and email editions
    write = WriteReport(len(written), present - len(written), 0)
    report = session.report(Route.TEXT_EDIT, plan.last.counts, write, plan.last.warnings, len(fresh), changed, written)
    return report


def plan_edit(session: Session) -> EditPlan | None:
    """The plan of a rebuild of edited posts alone, or None when the last build into the output
    folder was not made from these files but the edited ones, or something else may have changed."""
    cache, out_dir, scan = session.cache, session.options.out_dir, session.scan
    last, index = cache.last_build(out_dir), cache.edit_index(out_dir)
    if last is None or index is None or index.inputs_key != last.inputs_key or last.came_due(session.now):
        return None
    edited, known = scan.to_read, scan.known
    if len(edited) > QUICK_EDIT_LIMIT:
        return None  # parsed here one by one, many would take longer than the full build's pool
    if any(f.section != "posts" or f.src_path not in known for f in edited):
        return None
    if known.keys() != scan.keys.keys() | {f.src_path for f in edited}:
        return None  # a file was added or removed
    old_keys = {
        f.src_path: keys.parse_key(scan.settings_key, f.section, f.src_path, known[f.src_path].digest) for f in edited
    }
    file_keys = {**scan.keys, **old_keys}
    if keys.inputs_key(session.site_key, scan.copied_key, file_keys) != last.inputs_key:
        return None
    position = {path: number for number, path in enumerate(index.order)}
    if any(f.src_path in index.whole or f.src_path not in position for f in edited):
        return None  # a list shows it whole, or it is not published
    return EditPlan(last, index, old_keys, file_keys, position)


def _parse_edited(session: Session) -> dict[str, Fresh] | None:
    """Read and parse the edited files again; None on any error (the full build reports it)."""
    fresh: dict[str, Fresh] = {}
    for file in session.scan.to_read:
        try:
            stamp = keys.file_stamp(os.stat(file.abs_text))
            data = read_bytes(file.abs_path)
            result = parse_source(session.config, file, data)
        except (OSError, SiteError):
            return None
        digest = keys.file_digest(data)
        key = keys.parse_key(session.scan.settings_key, file.section, file.src_path, digest)
        fresh[file.src_path] = Fresh(stamp, digest, key, result)
    return fresh


def _frame_only(reads: Reads) -> bool:
    """Whether a page that read `reads` of the site read only what a site frame holds."""
    return not reads & ~FRAME


class _Posts:
    """The posts the edit touches, made from their parse results on demand, as the last build had them."""

    def __init__(self, session: Session, plan: EditPlan, entries: Mapping[str, CachedParse]) -> None:
        self.session, self.plan, self.entries = session, plan, entries
        others = [f for f in session.scan.scan.markdown if f.section != "posts"]
        found = {f.src_path: entries[plan.keys[f.src_path]] for f in others}
        bodies_by_path = {path: parse.rendered for path, parse in found.items()}
        author_sources = [p.record for p in found.values() if isinstance(p.record, SourceAuthor)]
        self.authors = authors_by_id(author_sources, bodies_by_path)
        page_sources = [p.record for p in found.values() if isinstance(p.record, SourcePage)]
        drafts = session.options.drafts
        frame = site_frame(session.config, self.authors, page_sources, bodies_by_path, drafts)
        self.frame: Site = dataclasses.replace(frame, pictures=MappingProxyType(plan.index.pictures))
        self._made: dict[str, Post] = {}

    def of(self, path: str) -> Post:
        """The post made from `path` as the last build had it."""
        if path not in self._made:
            parse = self.entries[self.plan.keys[path]]
            assert isinstance(parse.record, SourcePost)
            made = post_from(self.session.config, parse.record, parse.rendered, self.authors)
            self._made[path] = self._numbered(path, made)
        return self._made[path]

    def _numbered(self, path: str, post: Post) -> Post:
        """`post` with the issue number the last build gave it (numbering: auto counts every post)."""
        issue = self.plan.index.issues.get(path)
        return post if issue == post.issue else dataclasses.replace(post, issue=issue)

    def at(self, number: int) -> Post | None:
        """The published post at `number`, newest first, if there is one."""
        order = self.plan.index.order
        return self.of(order[number]) if 0 <= number < len(order) else None

    def edited(self, path: str, again: Fresh) -> Post:
        """The post made from `path` as it is now: its record (unchanged) and its new body."""
        record = self.entries[self.plan.old_keys[path]].record
        assert isinstance(record, SourcePost)
        made = post_from(self.session.config, record, again.parsed.rendered.stored_as(again.key), self.authors)
        return self._numbered(path, made)


def _render_edited(
    session: Session,
    plan: EditPlan,
    fresh: dict[str, Fresh],
    entries: Mapping[str, CachedParse],
    recorded: Recorded,
    writer: OutputWriter,
) -> dict[str, OutputState] | None:
    """Stage the page of every edited post; None when one of them may change more than that."""
    posts = _Posts(session, plan, entries)
    site_plan = SitePlan(posts.frame, session.site_key)
    renderer = Renderer(posts.frame, session.theme, session.compiled_templates, session.plugins)
    states: dict[str, OutputState] = {}
    edited: dict[str, Post] = {}
    for path, again in fresh.items():
        if again.key == plan.old_keys[path]:
            continue  # touched, not changed
        old, new = posts.of(path), posts.edited(path, again)
        edited[path] = new
        if site_plan.meta_key(old) != site_plan.meta_key(new):
            return None  # what lists show of it changed (its summary, toc or reading time)
        number = plan.position[path]
        newer, older = posts.at(number - 1), posts.at(number + 1)
        related = tuple(posts.of(shown) for shown in plan.index.related_to(number))
        job = site_plan.post_job(number, new, newer, older, related)
        before = recorded(job.dest)
        if before is None or not _frame_only(before.reads):
            return None
        if site_plan.key(site_plan.post_job(number, old, newer, older, related), before.reads) != before.key:
            return None  # the page as the last build made it is not the one this would make
        email_jobs = site_plan.email_jobs(number, new)
        old_email_jobs = site_plan.email_jobs(number, old)
        for before_job, email_job in zip(old_email_jobs, email_jobs, strict=True):
            before = recorded(email_job.dest)
            if before is None or not _frame_only(before.reads) or site_plan.key(before_job, before.reads) != before.key:
                return None
        pages: list[tuple[HtmlJob, Mapping[str, object]]] = [(job, post_context(new, newer, older, related))]
        pages += [(email_job, email_context(posts.frame, new)) for email_job in email_jobs]
        for page_job, context in pages:
            reads, size = _stage_post(renderer, writer, page_job, context)
            if not _frame_only(reads):
                return None  # it reads more of the site this time
            if page_job.template == "email.html" and size > CLIPPED_BYTES:
                return None  # the full build warns of it
            states[page_job.dest] = OutputState(site_plan.key(page_job, reads), reads)
    feeds = _render_edited_feeds(session, plan, posts, edited, recorded, writer)
    return None if feeds is None else {**states, **feeds}


def _stage_post(
    renderer: Renderer, writer: OutputWriter, job: HtmlJob, context: Mapping[str, object]
) -> tuple[Reads, int]:
    """Render and stage a post's page or email edition; return what it read of the site, and its size."""
    with bodies.noting_reads() as read:
        page = renderer.render(job.template, job.url, context)
    data = page.data or b""
    writer.add_staged([writer.stager.stage_bytes(job.dest, data)])
    return reads_of(renderer.reads, bool(read - {job.own_body})), len(data)


def _render_edited_feeds(
    session: Session,
    plan: EditPlan,
    posts: _Posts,
    edited: dict[str, Post],
    recorded: Recorded,
    writer: OutputWriter,
) -> dict[str, OutputState] | None:
    """Stage the feeds that carry an edited post; None if one is not as this would make it."""
    states: dict[str, OutputState] = {}
    sizes = plan.index.sizes
    feed_writer = FeedWriter(posts.frame, absolute_for(session.config), sizes)
    for entry in plan.feeds:
        before = keys.feed_key(session.config_key, FeedSet(entry.title, entry.folder, _posts(entry, posts.of)), sizes)
        if any((state := recorded(dest)) is None or state.key != before for dest in entry.dests):
            return None  # the feed as the last build made it is not the one this would make
        feed = FeedSet(entry.title, entry.folder, _posts(entry, lambda path: edited.get(path) or posts.of(path)))
        files = feed_writer.files(feed, entry.with_json)
        writer.add_staged([writer.stager.stage_bytes(f.dest_path, f.data or b"") for f in files])
        key = keys.feed_key(session.config_key, feed, sizes)
        states.update((dest, OutputState(key, Reads.NOTHING)) for dest in entry.dests)
    return states


def _posts(entry: FeedEntry, post_of: Callable[[str], Post]) -> tuple[Post, ...]:
    return tuple(post_of(path) for path in entry.posts)


def edit_index(
    inputs_key: str,
    site: Site,
    jobs: list[HtmlJob],
    feeds: list[FeedJob],
    states: Mapping[str, OutputState],
    sizes: Mapping[str, int],
    related: Mapping[str, tuple[Post, ...]],
) -> EditIndex:
    """What this route needs of a full build: the post order, the posts some list shows whole (a
    page whose template read the bodies of the posts it lists, or of all posts when it read
    `posts`), and every feed's posts."""
    whole: set[str] = set()
    for job in jobs:
        reads = states[job.dest].reads
        if reads & Reads.BODIES:
            whole.update(p.src_path for p in (site.posts if reads & Reads.POSTS else job.listed))
    entries = tuple(
        FeedEntry(job.feed.title, job.feed.folder, job.with_json, job.dests, tuple(p.src_path for p in job.feed.posts))
        for job in feeds
    )
    shown = {p.image: sizes[p.image] for job in feeds for p in job.feed.posts if p.image and p.image in sizes}
    issues = {p.src_path: p.issue for p in site.posts if p.issue is not None}
    order = tuple(p.src_path for p in site.posts)
    position = {path: number for number, path in enumerate(order)}
    shows = tuple(tuple(position[r.src_path] for r in related.get(p.url, ())) for p in site.posts)
    return EditIndex(inputs_key, order, frozenset(whole), entries, shown, issues, shows, dict(site.pictures))
