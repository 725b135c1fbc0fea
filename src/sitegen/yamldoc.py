"""The only importer of PyYAML: parse a YAML mapping and remember where each key is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import SiteError

# libyaml's C loader is several times faster; fall back to the pure-Python one without it.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True, slots=True)
class YamlMapping:
    """A parsed YAML mapping with the 1-based (line, column) of each top-level key."""

    data: Mapping[str, Any]
    positions: Mapping[str, tuple[int, int]]
    path: Path
    first_line: int
    """The 1-based line of the file on which the YAML text starts."""

    def where(self, key: str) -> tuple[int, int]:
        """Return the position of `key`, or of the start of the mapping when it is absent."""
        return self.positions.get(key, (self.first_line, 1))

    def error(self, key: str, message: str, hint: str | None = None) -> SiteError:
        """Build a SiteError that points at `key`."""
        line, column = self.where(key)
        return SiteError(message, self.path, line, column, hint)


def parse_yaml_mapping(text: str, path: Path, first_line: int = 1) -> YamlMapping:
    """Parse `text` as a YAML mapping (an empty text is an empty mapping).

    Args:
        text: the YAML source.
        path: the file it came from, for error messages.
        first_line: the 1-based line of the file where `text` starts (front matter starts on 2).

    Raises:
        SiteError: on a YAML syntax error, or when the document is not a mapping.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise SiteError(f"invalid YAML: {problem}", path, line, column) from None
    except yaml.YAMLError as exc:
        raise SiteError(f"invalid YAML: {exc}", path, first_line, 1) from None
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SiteError("expected a mapping of 'key: value' lines", path, first_line, 1)
    positions: dict[str, tuple[int, int]] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, _value in node.value:
            mark = key_node.start_mark
            positions[str(key_node.value)] = (first_line + mark.line, mark.column + 1)
    for key in data:
        if not isinstance(key, str):
            raise SiteError(f"keys must be text, not {key!r}", path, first_line, 1)
    return YamlMapping(data, positions, path, first_line)
