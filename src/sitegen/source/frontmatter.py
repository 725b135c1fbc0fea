"""Split a Markdown file into its `---` front matter block and its body."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SiteError
from .yamldoc import YamlMapping, parse_yaml_mapping


@dataclass(frozen=True, slots=True)
class SplitFile:
    """A Markdown file cut in two."""

    meta: YamlMapping
    body: str
    body_line: int
    """The 1-based line of the file on which the body starts."""


def split_front_matter(text: str, path: Path, required: bool = True) -> SplitFile:
    """Split `text` (already LF-normalized) at its front matter fences.

    Args:
        text: the whole file.
        path: the file, for errors.
        required: when False a file without front matter is all body.

    Raises:
        SiteError: for a missing or unclosed block, or invalid YAML inside it.
    """
    if not text.startswith("---\n") and text.rstrip("\n") != "---":
        if required:
            raise SiteError("expected front matter: the file must start with a '---' line", path, 1, 1)
        return SplitFile(parse_yaml_mapping("", path, 1), text, 1)
    end = _closing_fence(text)
    if end is None:
        raise SiteError("front matter is never closed: add a '---' line after it", path, 1, 1)
    yaml_text = text[4:end]
    after = text.find("\n", end + 1)
    body = "" if after == -1 else text[after + 1 :]
    body_line = yaml_text.count("\n") + 3
    return SplitFile(parse_yaml_mapping(yaml_text, path, 2), body, body_line)


def _closing_fence(text: str) -> int | None:
    """Return the offset of the closing `---` (or `...`) line, if there is one."""
    pos = 3
    while True:
        pos = text.find("\n", pos)
        if pos == -1:
            return None
        line_end = text.find("\n", pos + 1)
        line = text[pos + 1 : line_end if line_end != -1 else len(text)]
        if line.rstrip() in ("---", "..."):
            return pos + 1
        pos += 1
