"""Route of the dev server: rewrite the page of one edited post at once, before the full rebuild
that follows, so that the writer sees it in tens of milliseconds even on a large site."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ...errors import SiteError
from ...markup.parse import parse_source
from ...model.assemble import post_from
from ...output.writer import Stager, output_owner
from ...render.context import post_context
from ...source.records import SourcePost
from ...source.textfile import read_bytes
from ..memory import BuildMemory
from ..store import BuildCache


def attempt(memory: BuildMemory, cache: BuildCache, out_dir: Path, paths: list[str]) -> list[str]:
    """Rewrite the page of the one post saved (`paths`), when the edit keeps its address, date
    and status; otherwise (or on any error) do nothing and leave it all to the full build.
    Returns the output files written."""
    last = memory.last_render
    file = memory.file_at(paths[0]) if len(paths) == 1 else None
    if last is None or file is None or file.section != "posts":
        return []
    index = last.plan.number_of(file.src_path)
    if index is None:
        return []
    old = last.site.posts[index]
    try:
        parsed = parse_source(last.config, file, read_bytes(file.abs_path))
        assert isinstance(parsed.record, SourcePost)
        rendered = parsed.rendered.with_text(parsed.html, parsed.text)
        new = post_from(last.config, parsed.record, rendered, {a.id: a for a in last.site.authors})
    except (SiteError, KeyError, AssertionError):
        return []
    if (new.url, new.date, new.draft) != (old.url, old.date, old.draft):
        return []
    if new.issue is None and old.issue is not None and last.config.numbering_auto:
        # its place among the posts is the same, and so is the number numbering: auto gave it
        new = dataclasses.replace(new, issue=old.issue)
    # After `sitegen clean` (or a build by another) the folder is not the one the memory
    # describes: its folders may be gone, and one made here would lack the marker.
    if cache.identity != memory.cache_identity or output_owner(out_dir) != cache.identity:
        return []
    newer, older = last.plan.neighbours[old.url]
    related = last.plan.related[old.url]
    try:
        page = last.renderer.render("post.html", new.url, post_context(new, newer, older, related))
        stager = Stager(out_dir)
        staged = stager.stage_bytes(page.dest_path, page.data or b"")
        if staged is not None:
            os.replace(os.path.join(stager.staging, staged[0]), stager.target(page.dest_path)[0])
    except (SiteError, LookupError, OSError):
        return []
    return [] if staged is None else [page.dest_path]
