"""OutputFile: one file of the built site, as bytes or as a file to copy."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class OutputFile:
    """A file to write at `dest_path` (POSIX, relative to the output folder)."""

    dest_path: str
    data: bytes | None = None
    source: Path | None = None
    """A file to copy when `data` is None; else the file `data` was made from (a theme's stylesheet,
    minified), named when two outputs clash."""


def dest_for_url(url: str) -> str:
    """The output path of a site-relative URL: /posts/x/ -> posts/x/index.html."""
    path = url.lstrip("/")
    return path + "index.html" if path.endswith("/") or not path else path
