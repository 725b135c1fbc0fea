"""Where rendered post bodies live during a build: out of the model, so 10,000 posts of HTML are
not held in memory at once, and each worker process reads only the bodies it renders."""

from __future__ import annotations

from collections.abc import Callable

Lookup = Callable[[str], str]

_lookup: Lookup | None = None
_reads: set[str] | None = None


def use(lookup: Lookup | None) -> None:
    """Make `lookup` (a body's key -> its HTML) the store this process reads from."""
    global _lookup
    _lookup = lookup


def html_for(key: str) -> str:
    """The HTML stored under `key`.

    Raises:
        LookupError: when no store is in use or it lacks the key.
    """
    if _lookup is None:
        raise LookupError(f"no body store in use to read {key!r}")
    if _reads is not None:
        _reads.add(key)
    return _lookup(key)


def record_reads() -> set[str]:
    """Start noting which bodies are read (until the next call): the build cache needs to know
    whether a page shows other posts' content or only their titles and summaries."""
    global _reads
    _reads = set()
    return _reads
