"""The site's search index (search: true), made with Pagefind (its only importer) from the pages
as the build left them: each letter's title and text, its topics and authors as filters. Drafts,
email editions and every other page carry no data-pagefind-body and are left out.

Pagefind indexes a whole site at once (about 2.7 s for 1,000 long letters on two cores), so the
index is made again only when what it covers changed (see search_key).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Coroutine, Iterable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from ..errors import SiteError
from . import keys

FOLDER = "pagefind/"
"""Where the index goes in the output (the theme's search.js loads pagefind/pagefind.js from it)."""
UNUSED = ("pagefind-ui", "pagefind-component-ui", "pagefind-modular-ui", "pagefind-highlight")
"""Pagefind's own interfaces, which the theme's search page does without: not published."""


def search_key(site_key: str, posts: Iterable[tuple[str, str]]) -> str:
    """What the index covers: each letter's (address, source key), under these settings and
    theme (`site_key`), by this Pagefind. (Not the pages' own keys: those change with the menu
    when the About page is edited, which the index does not hold.)"""
    try:
        made_by = version("pagefind")
    except PackageNotFoundError:  # pragma: no cover - a dependency
        made_by = "?"
    return keys.hash_parts(("search", made_by, site_key, *(f"{url}={key}" for url, key in sorted(posts))))


def make_index(site_dir: Path, into: Path, glob: str) -> list[str]:
    """Index the pages of `site_dir` that match `glob` into the folder `into` (made anew); return
    the files made, relative to `into`.

    Raises:
        SiteError: when Pagefind cannot be started or fails.
    """
    try:
        from pagefind.index import IndexConfig, PagefindIndex
    except ImportError:
        raise SiteError(
            "search: true needs Pagefind, which is not installed", hint="pip install 'pagefind[bin]'"
        ) from None

    async def run() -> None:
        async with PagefindIndex(IndexConfig(output_path=str(into))) as index:
            await index.add_directory(str(site_dir), glob=glob)

    shutil.rmtree(into, ignore_errors=True)
    try:
        _run_alone(run)
    except SiteError:
        raise
    except Exception as exc:  # the binary missing, or failing: one line, not a traceback
        raise SiteError(f"the search index could not be made: {type(exc).__name__}: {exc}") from None
    return sorted(
        os.path.relpath(os.path.join(folder, name), into) for folder, _dirs, names in os.walk(into) for name in names
    )


def _run_alone(job: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run the coroutine `job` makes to its end, in an event loop of its own: in a thread of its
    own when this one already runs a loop (sitegen called from asynchronous code). (asyncio is
    imported here: a build without search has no use for its 12 ms.)"""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(job())
        return
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: asyncio.run(job())).result()


def post_glob(permalink: str) -> str:
    """The pages of letters, as a glob of the output: /posts/{slug}/ -> posts/*/index.html."""
    parts = [("*" if "{" in part else part) for part in permalink.strip("/").split("/")]
    return "/".join([*parts, "index.html"])
