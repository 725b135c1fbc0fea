"""The only importer of PyYAML: parse a YAML mapping and remember where each key is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..errors import SiteError

# libyaml's C loader is several times faster; fall back to the pure-Python one without it.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
C_LOADER_MAX_LENGTH = 10_000
"""Longest text given to libyaml. Its composer recurses on the C stack, once per level of nesting,
and a level takes a character at least: 40,000 levels (`- - - …` or `[[[…`) crashed Python, 20,000
did not. A longer text, which no real front matter is, goes to the pure-Python loader, whose
recursion ends in a RecursionError."""
# What PyYAML's constructors raise, unmarked, for a value of the right shape that Python refuses.
_UNMAKEABLE = (ValueError, TypeError, AttributeError, OverflowError)
MAX_NESTING = 64
"""Deepest nesting of lists and mappings a file may use. Real front matter uses two or three levels;
pickling a record into the build cache raised RecursionError at about a thousand."""
MAX_VALUES = 100_000
"""Most values a file may hold once its aliases are expanded."""
_KINDS = {"tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:int": "number", "tag:yaml.org,2002:float": "number"}


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
    node, data = _load(text, path, first_line)
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


def _load(text: str, path: Path, first_line: int) -> tuple[yaml.Node | None, Any]:
    """The node tree of `text` and the data made of it, after checking its shape."""
    loader = _Loader(text) if len(text) <= C_LOADER_MAX_LENGTH else yaml.SafeLoader(text)
    node = None
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise _too_deep(path, first_line, 1) from None
        if node is None:
            return None, {}
        _check_nesting(node, path, first_line)
        if "&" in text:  # only anchors let a node be reached twice, and multiply
            _check_size(node, path, first_line)
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        column = (mark.column + 1) if mark else 1
        problem = exc.problem or exc.context or "invalid YAML"
        raise SiteError(f"invalid YAML: {problem}", path, line, column) from None
    except yaml.YAMLError as exc:
        raise SiteError(f"invalid YAML: {exc}", path, first_line, 1) from None
    except _UNMAKEABLE as exc:
        # PyYAML reads 2024-13-45 as a date by its shape and leaves the range to Python's datetime,
        # whose error says neither where nor which key
        if node is None:
            raise SiteError(f"invalid YAML: {exc}", path, first_line, 1) from None
        raise _unmakeable_value(node, exc, path, first_line) from None
    finally:
        loader.dispose()


def _too_deep(path: Path, line: int, column: int) -> SiteError:
    return SiteError(f"invalid YAML: lists and mappings nested more than {MAX_NESTING} deep", path, line, column)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [child for pair in node.value for child in pair]
    return []


def _check_nesting(root: yaml.Node, path: Path, first_line: int) -> None:
    """Refuse lists and mappings (block or flow) nested deeper than MAX_NESTING, and so a list that
    holds itself through an alias (`&a [*a]`). An alias is a second way into a node: each node is
    looked inside again only when reached deeper than before, so shared nodes cost little."""
    deepest: dict[int, int] = {}
    todo: list[tuple[yaml.Node, int]] = [(root, 0)]  # (list or mapping, lists and mappings around it)
    while todo:
        node, depth = todo.pop()
        if deepest.get(id(node), -1) >= depth:
            continue
        if depth > MAX_NESTING:
            raise _too_deep(path, first_line + node.start_mark.line, node.start_mark.column + 1)
        deepest[id(node)] = depth
        todo.extend((child, depth + 1) for child in _children(node) if isinstance(child, yaml.CollectionNode))


def _check_size(root: yaml.Node, path: Path, first_line: int) -> None:
    """Refuse aliases that multiply into more than MAX_VALUES values (a "billion laughs": in
    site.yaml, nine levels of lists of nine aliases each made the build hang)."""
    size: dict[int, int] = {}
    todo = [root]
    while todo:  # sizes from the leaves up; nodes are shared, never circular (see _check_nesting)
        node = todo[-1]
        if id(node) in size:
            todo.pop()
            continue
        missing = [child for child in _children(node) if id(child) not in size]
        if missing:
            todo.extend(missing)
            continue
        size[id(node)] = 1 + sum(size[id(child)] for child in _children(node))
        todo.pop()
    if size[id(root)] > MAX_VALUES:
        raise SiteError(f"invalid YAML: aliases make more than {MAX_VALUES:,} values", path, first_line, 1)


def _unmakeable_value(root: yaml.Node, error: Exception, path: Path, first_line: int) -> SiteError:
    """The error for the first value of `root` (in document order) that PyYAML cannot make."""
    constructor = yaml.constructor.SafeConstructor()
    todo: list[tuple[str | None, yaml.Node]] = [(None, root)]  # the next value last
    while todo:
        key, node = todo.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except _UNMAKEABLE as exc:
                mark = node.start_mark
                kind = _KINDS.get(node.tag, "value")
                named = f"'{key}' is not a valid {kind}" if key else f"not a valid {kind}"
                why = f" ({exc})" if isinstance(exc, ValueError | OverflowError) else ""  # others name internals
                return SiteError(f"{named}: '{node.value}'{why}", path, first_line + mark.line, mark.column + 1)
        elif isinstance(node, yaml.SequenceNode):
            todo.extend((key, item) for item in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            todo.extend((key or str(k.value), v) for k, v in reversed(node.value))
    return SiteError(f"invalid YAML: {error}", path, first_line, 1)
