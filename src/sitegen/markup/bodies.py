"""The body store: where rendered post bodies live during a build, out of the model.

This is the seam behind `Rendered.html`. The model is frozen and shared by forked render workers,
so it holds each body's key, not its HTML: at 10,000 posts their HTML is about 150 MB, which a
build would otherwise hold at once and copy into every worker, and each worker reads only the
bodies of the pages it renders. The build sets the store once, for the whole build
(`engine.builder`), to read from the build cache; templates reach it through `post.html`.

It also notes which bodies a page read (`noting_reads`): a page that shows other posts' content,
not only their titles and summaries, depends on their bodies (see `engine.plan`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Lookup = Callable[[str], str]


class _Store:
    """The store in use in this process (forked workers inherit it)."""

    lookup: Lookup | None = None
    text_lookup: Lookup | None = None
    reads: set[str] | None = None


_store = _Store()


@contextmanager
def serving(lookup: Lookup, text_lookup: Lookup) -> Iterator[None]:
    """Read bodies (a body's key -> its HTML) with `lookup`, and their plain text (see text.py)
    with `text_lookup`, until the block ends."""
    before = _store.lookup, _store.text_lookup
    _store.lookup, _store.text_lookup = lookup, text_lookup
    try:
        yield
    finally:
        _store.lookup, _store.text_lookup = before


@contextmanager
def noting_reads() -> Iterator[set[str]]:
    """Note the keys of the bodies read until the block ends, in the set it gives."""
    reads: set[str] = set()
    before, _store.reads = _store.reads, reads
    try:
        yield reads
    finally:
        _store.reads = before


def text_for(key: str) -> str:
    """The plain text stored under `key` (see text.py).

    Raises:
        LookupError: when no store is in use or it lacks the key.
    """
    return _read(_store.text_lookup, key)


def html_for(key: str) -> str:
    """The HTML stored under `key`.

    Raises:
        LookupError: when no store is in use or it lacks the key.
    """
    if _store.reads is not None and _store.lookup is not None:
        _store.reads.add(key)
    return _read(_store.lookup, key)


def _read(lookup: Callable[[str], str] | None, key: str) -> str:
    if lookup is None:
        raise LookupError(f"no body store in use to read {key!r}")
    return lookup(key)
