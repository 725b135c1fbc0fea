"""Where rendered post bodies live during a build: out of the model, so 10,000 posts of HTML are
not held in memory at once, and each worker process reads only the bodies it renders."""

from __future__ import annotations

from collections.abc import Callable

Lookup = Callable[[str], str]

_lookup: Lookup | None = None


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
    return _lookup(key)
