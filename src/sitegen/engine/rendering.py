"""Stage: render (on every core) and stage the pages and feeds whose key changed, then the
sitemap, robots.txt and the copied files."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urljoin

from ..errors import SiteError
from ..output.files import OutputFile
from ..output.writer import OutputWriter
from ..render.feeds import FeedWriter
from ..render.meta import render_robots, render_sitemap
from ..render.templates import URL_SAFE, Renderer
from ..source.config import SiteConfig
from . import keys
from .pictures import CopyJob
from .plan import CardJob, FeedJob, HtmlJob, SitePlan
from .records import OutputState, Reads
from .session import Session
from .workers import RenderState, inherited, render_one, run_all, shared_with_workers

META_FILES = ("sitemap.xml", "robots.txt")


def absolute_for(config: SiteConfig) -> Callable[[str], str]:
    """A function turning a site-relative URL into an absolute, percent-encoded one."""
    base = config.url

    def absolute(site_url: str) -> str:
        return urljoin(base, quote(site_url.lstrip("/"), safe=URL_SAFE))

    return absolute


@dataclass
class Outputs:
    """What a build stages into the output folder, and the state of each output for the next build."""

    writer: OutputWriter
    previous: dict[str, OutputState]
    """What the last build into the folder made."""
    states: dict[str, OutputState]
    """What this build made (or found up to date)."""

    def up_to_date(self, dest: str, key: str) -> bool:
        """Whether the output folder holds `dest` as the last build made it, with this key."""
        before = self.previous.get(dest)
        return before is not None and before.key == key and os.path.isfile(os.path.join(self.writer.stager.top, dest))


def render_changed(
    session: Session,
    plan: SitePlan,
    renderer: Renderer,
    feed_writer: FeedWriter,
    jobs: list[HtmlJob],
    feed_jobs: list[FeedJob],
    outputs: Outputs,
    card_jobs: Sequence[CardJob | CopyJob] = (),
) -> int:
    """Render and stage the feeds, link-preview cards, copies of images and pages whose key changed, on every core;
    return how many pages.

    Raises:
        SiteError: the first error of a template (the output is then left as it was).
    """
    writer, states = outputs.writer, outputs.states
    todo: list[HtmlJob | FeedJob | CardJob | CopyJob] = []
    for feed_job in feed_jobs:
        if all(outputs.up_to_date(d, feed_job.key) for d in feed_job.dests):
            writer.add_staged([None] * len(feed_job.dests))
        else:
            todo.append(feed_job)  # first: they take longest
        states.update((d, OutputState(feed_job.key, Reads.NOTHING)) for d in feed_job.dests)
    for job in jobs:
        before = outputs.previous.get(job.dest)
        if before is None:  # new: rendered, and keyed by what it reads once it is
            todo.append(job)
            continue
        key = plan.key(job, before.reads)
        if outputs.up_to_date(job.dest, key):
            states[job.dest] = OutputState(key, before.reads)
            writer.add_staged([None])
        else:
            todo.append(job)
    for card in card_jobs:
        if outputs.up_to_date(card.dest, card.key):
            writer.add_staged([None])
        else:
            todo.append(card)
        states[card.dest] = OutputState(card.key, Reads.NOTHING)
    progress = session.options.progress("rendering", len(todo))
    errors: list[SiteError] = []
    state = RenderState(plan, renderer, feed_writer, writer.stager, todo)
    try:
        with inherited(state), shared_with_workers():
            results = run_all(render_one, range(len(todo)), session.workers, lambda _r: progress.advance())
            for done, result in zip(todo, results, strict=True):
                if result.error is not None:
                    errors.append(result.error)
                    continue
                writer.add_staged(result.staged)
                if isinstance(done, HtmlJob):
                    states[done.dest] = OutputState(plan.key(done, result.reads), result.reads)
    finally:
        progress.close()
    if errors:
        raise errors[0]
    return sum(isinstance(done, HtmlJob) for done in todo)


def stage_meta_and_copies(session: Session, plan: SitePlan, copies: list[OutputFile], outputs: Outputs) -> None:
    """sitemap.xml and robots.txt when the site's list of pages changed; copies of changed files.

    Raises:
        SiteError: when two files would be written to one path.
    """
    writer, states = outputs.writer, outputs.states
    key = keys.meta_files_key(session.config_key, plan.meta_listed())
    meta_dests = META_FILES
    if all(outputs.up_to_date(d, key) for d in meta_dests):
        writer.add_staged([None, None])
    else:
        absolute = absolute_for(session.config)
        writer.stage(render_sitemap(plan.site, absolute))
        writer.stage(render_robots(absolute))
    states.update((d, OutputState(key, Reads.NOTHING)) for d in meta_dests)
    for file in copies:
        if file.dest_path in states:
            raise SiteError(f"two files would be written to {file.dest_path}: rename one of them")
        writer.stage(file)
        states[file.dest_path] = OutputState("copy", Reads.NOTHING)
