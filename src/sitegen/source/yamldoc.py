"""The only importer of PyYAML: parse a YAML mapping and remember where each key is."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import SiteError
from .textfile import CONTROL_CHARACTER, control_character_message

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
MAX_CHARACTERS = 2_000_000
"""Most characters the texts of a file may hold once its aliases are expanded."""
_KINDS = {"tag:yaml.org,2002:timestamp": "date", "tag:yaml.org,2002:int": "number", "tag:yaml.org,2002:float": "number"}


@dataclass(frozen=True, slots=True)
class YamlMapping:
    """A parsed YAML mapping with the 1-based (line, column) of each top-level key."""

    data: Mapping[str, Any]
    positions: Mapping[str, tuple[int, int]]
    path: Path
    first_line: int
    """The 1-based line of the file on which the YAML text starts."""
    node: yaml.Node | None = field(default=None, compare=False, repr=False)
    """The parsed document, for errors inside its values (see error_at)."""

    def where(self, key: str) -> tuple[int, int]:
        """Return the position of `key`, or of the start of the mapping when it is absent."""
        return self.positions.get(key, (self.first_line, 1))

    def error(self, key: str, message: str, hint: str | None = None) -> SiteError:
        """Build a SiteError that points at `key`."""
        line, column = self.where(key)
        return SiteError(message, self.path, line, column, hint)

    def error_at(self, where: tuple[str | int, ...], message: str, hint: str | None = None) -> SiteError:
        """Build a SiteError that points inside a value: ("responses", 1, "name") is the key `name`
        of the second item of `responses` (or the nearest thing written, when it is not)."""
        line, column = self.where(str(where[0]))
        node = self.node
        for step in where:
            found = _child(node, step) if node is not None else None
            if found is None:
                break
            node, mark = found
            line, column = self.first_line + mark.line, mark.column + 1
        return SiteError(message, self.path, line, column, hint)


def _child(node: yaml.Node, step: str | int) -> tuple[yaml.Node, yaml.Mark] | None:
    """The value at `step` of a mapping (by key) or a list (by index), and where it is written:
    a mapping's key where the key is, a list's item where the item is."""
    if isinstance(node, yaml.MappingNode) and isinstance(step, str):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == step:
                return value, key.start_mark
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        item = node.value[step]
        return item, item.start_mark
    return None


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
    return YamlMapping(data, positions, path, first_line, node)


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
        if "\\" in text:  # only escapes in double-quoted values make characters the text does not show
            _check_characters(node, path, first_line)
        return node, loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise _explained(exc, text, path, first_line) from None
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


def _explained(exc: yaml.MarkedYAMLError, text: str, path: Path, first_line: int) -> SiteError:
    """A YAML error as a writer can act on it: the three mistakes writers make every week (a
    colon in a title, a tab, an unclosed bracket) said in their words and pointed at the cause."""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line if mark else 0
    column = mark.column if mark else 0
    problem = exc.problem or exc.context or "invalid YAML"
    hint = None
    if problem.startswith("mapping values are not allowed"):
        key, _, value = text.splitlines()[line].partition(":")
        problem = "a colon followed by a space inside a value"
        hint = f"put the value in quotes: {key.strip()}: {json.dumps(value.strip(), ensure_ascii=False)}"
    elif "cannot start any token" in problem and text.splitlines()[line][column : column + 1] == "\t":
        problem = "a tab: YAML indents with spaces only"
    elif exc.context in ("while parsing a flow sequence", "while parsing a flow mapping") and exc.context_mark:
        opening, closing = ("[", "]") if "sequence" in exc.context else ("{", "}")
        line, column = exc.context_mark.line, exc.context_mark.column
        problem = f"this '{opening}' is never closed: add '{closing}' after its last item"
    return SiteError(f"invalid YAML: {problem}", path, first_line + line, column + 1, hint)


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
        if isinstance(node, yaml.MappingNode):
            _check_keys(node, path, first_line)
        todo.extend((child, depth + 1) for child in _children(node) if isinstance(child, yaml.CollectionNode))


def _check_keys(mapping: yaml.MappingNode, path: Path, first_line: int) -> None:
    """Refuse a key given twice in one mapping: YAML readers keep the last one, silently."""
    seen: dict[str, int] = {}
    for key, _value in mapping.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        line = first_line + key.start_mark.line
        if key.value in seen:
            where = f"on line {line}" if seen[key.value] == line else f"(lines {seen[key.value]} and {line})"
            message = f"'{key.value}' is given twice {where}: keep one"
            raise SiteError(message, path, line, key.start_mark.column + 1)
        seen[key.value] = line


def _check_characters(root: yaml.Node, path: Path, first_line: int) -> None:
    """Refuse control characters written as escapes ("\\e", "\\x0c") in double-quoted values:
    invisible in a page, they break feeds (see textfile.py for those typed as they are)."""
    todo, seen = [root], set()
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.style == '"':
            found = CONTROL_CHARACTER.search(node.value)
            if found:
                mark = node.start_mark
                raise SiteError(control_character_message(found.group()), path, first_line + mark.line, mark.column + 1)
        todo.extend(_children(node))


def _check_size(root: yaml.Node, path: Path, first_line: int) -> None:
    """Refuse aliases that multiply into more than MAX_VALUES values (a "billion laughs": in
    site.yaml, nine levels of lists of nine aliases each made the build hang), or into texts longer
    than MAX_CHARACTERS in all (a 1 MB text repeated 2,000 times took 4 GB)."""
    size: dict[int, int] = {}
    characters: dict[int, int] = {}
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
        own = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
        characters[id(node)] = own + sum(characters[id(child)] for child in _children(node))
        todo.pop()
    if size[id(root)] > MAX_VALUES:
        raise SiteError(f"invalid YAML: aliases make more than {MAX_VALUES:,} values", path, first_line, 1)
    if characters[id(root)] > MAX_CHARACTERS:
        message = f"invalid YAML: aliases make texts of more than {MAX_CHARACTERS:,} characters"
        raise SiteError(message, path, first_line, 1)


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
