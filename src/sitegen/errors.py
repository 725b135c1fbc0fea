"""What a writer is told about their site: errors and warnings, each located in their files."""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Self


@dataclass(frozen=True)
class Located:
    """A message about the writer's site, located as precisely as we can."""

    message: str
    path: Path | str | None = None
    """The file at fault: relative to the site folder, or absolute."""
    line: int | None = None
    """1-based line number."""
    column: int | None = None
    """1-based column number."""
    hint: str | None = None
    """A suggestion, such as "did you mean 'title'?"."""

    def location(self) -> str:
        """Return `path:line:col` (as much of it as is known)."""
        if self.path is None:
            return ""
        parts = [Path(self.path).as_posix()]
        if self.line is not None:
            parts.append(str(self.line))
            parts.append(str(self.column if self.column is not None else 1))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        text = f"{where}: {self.message}" if where else self.message
        if self.hint:
            text += f" ({self.hint})"
        return text

    def for_display(self, root: Path, cwd: Path) -> Self:
        """A copy whose path is relative to `cwd` when it lies inside it, else absolute.

        Paths are either absolute or relative to the site folder `root`.
        """
        if self.path is None:
            return self
        full = root / self.path
        path = Path(os.path.realpath(full.parent)) / full.name  # the link itself, when it is one
        if path.is_relative_to(cwd.resolve()):
            path = path.relative_to(cwd.resolve())
        return dataclasses.replace(self, path=path)

    def as_tuple(self) -> tuple[str, str | None, int | None, int | None, str | None]:
        """The fields as plain data (for the build cache)."""
        path = self.path if self.path is None or isinstance(self.path, str) else self.path.as_posix()
        return (self.message, path, self.line, self.column, self.hint)


@dataclass(frozen=True)
class SiteError(Located, Exception):
    """A problem that stops the build."""

    def __reduce__(self) -> tuple[type[SiteError], tuple[object, ...]]:
        # frozen dataclass fields, not Exception.args: rebuild from the fields (worker processes)
        return (type(self), (self.message, self.path, self.line, self.column, self.hint))


_EXCEPTION_STATE = frozenset({"__traceback__", "__context__", "__cause__", "__suppress_context__", "__notes__"})
_frozen_setattr = SiteError.__setattr__


def _setattr(self: SiteError, name: str, value: object) -> None:
    # Python sets these on any exception it passes along (contextlib does as the error leaves a
    # `with` block): frozen means the fields, not the exception's own bookkeeping.
    if name in _EXCEPTION_STATE:
        BaseException.__setattr__(self, name, value)
    else:
        _frozen_setattr(self, name, value)


SiteError.__setattr__ = _setattr  # type: ignore[method-assign,assignment]


@dataclass(frozen=True)
class SiteWarning(Located):
    """A problem worth telling that does not stop the build (unless --strict)."""


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """Return a "did you mean" hint for a misspelt key, or None when nothing is close."""
    import difflib

    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.7)
    if not close:  # "anthony" for "anthony-carnevale": a short name for a long one
        close = [c for c in choices if c.startswith(word + "-") or c.startswith(word + "_")][:2]
        close = close if len(close) == 1 else []
    return f"did you mean '{close[0]}'?" if close else None


class SiteErrors(Exception):
    """Several SiteErrors found in one pass, reported together (at most `LIMIT`)."""

    LIMIT = 50

    def __init__(self, errors: list[SiteError] | tuple[SiteError, ...]) -> None:
        self.errors = tuple(errors[: self.LIMIT])
        self.total = len(errors)
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (_rebuild_errors, (self.errors, self.total))


def _rebuild_errors(errors: tuple[SiteError, ...], total: int) -> SiteErrors:
    rebuilt = SiteErrors(errors)
    rebuilt.total = total
    return rebuilt


def raise_collected(errors: list[SiteError]) -> None:
    """Raise the single error, or all of them together; do nothing when there are none."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise SiteErrors(errors)
