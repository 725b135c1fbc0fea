"""The build cache's records as bytes and text, and back."""

from __future__ import annotations

import copyreg
import json
import pickle
from dataclasses import fields
from datetime import datetime
from types import MappingProxyType
from typing import Any

from ..errors import SiteWarning
from ..markup.rendered import Heading, Rendered
from ..source.records import SourceAuthor, SourcePage, SourcePost
from .records import BuildCounts, CachedParse, EditIndex, FeedEntry, LastBuild


def read_only(data: dict[str, Any]) -> MappingProxyType[str, Any]:
    """Rebuild a read-only mapping from the cache."""
    return MappingProxyType(data)


# Source records keep their front matter in read-only mappings; pickle them as dicts.
copyreg.pickle(MappingProxyType, lambda m: (read_only, (dict(m),)))

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _by_fields(obj: Any) -> tuple[type, tuple[Any, ...]]:
    return type(obj), tuple(getattr(obj, name) for name in _FIELD_NAMES[type(obj)])


# Frozen dataclasses with slots unpickle through dataclasses' __setstate__, which looks up the
# fields of every object: rebuilding them from their fields' values loads a cache 4 times faster.
for _cls in (Heading, Rendered, SourcePost, SourcePage, SourceAuthor, CachedParse):
    _FIELD_NAMES[_cls] = tuple(f.name for f in fields(_cls))
    copyreg.pickle(_cls, _by_fields)


def dump_parse(parse: CachedParse) -> bytes:
    """One parse result as bytes."""
    return pickle.dumps(parse, protocol=pickle.HIGHEST_PROTOCOL)


def load_parse(data: bytes) -> CachedParse:
    """One parse result from its bytes."""
    parse = pickle.loads(data)
    assert isinstance(parse, CachedParse)
    return parse


def dump_parses(parses: dict[str, CachedParse]) -> bytes:
    """Parse results by key as bytes."""
    return pickle.dumps(parses, protocol=pickle.HIGHEST_PROTOCOL)


def load_parses(data: bytes) -> dict[str, CachedParse]:
    """Parse results by key from their bytes."""
    return dict(pickle.loads(data))


def dump_key_memos(site_key: str, meta: dict[str, str], hashes: dict[tuple[str, ...], str]) -> bytes:
    """The page-key memos of one build (see engine.plan) as bytes."""
    return pickle.dumps((site_key, meta, hashes), protocol=pickle.HIGHEST_PROTOCOL)


def load_key_memos(data: bytes) -> tuple[str, dict[str, str], dict[tuple[str, ...], str]]:
    """The page-key memos of one build from their bytes."""
    site_key, meta, hashes = pickle.loads(data)
    return str(site_key), dict(meta), dict(hashes)


def _warnings_data(warnings: tuple[SiteWarning, ...]) -> list[list[Any]]:
    return [list(w.as_tuple()) for w in warnings]


def _warnings(data: list[list[Any]]) -> tuple[SiteWarning, ...]:
    return tuple(SiteWarning(*item) for item in data)


def dump_last_build(last: LastBuild) -> str:
    """A LastBuild as JSON."""
    data = {
        "inputs_key": last.inputs_key,
        "next_publish": last.next_publish.isoformat() if last.next_publish else None,
        "counts": list(last.counts),
        "warnings": _warnings_data(last.warnings),
    }
    return json.dumps(data)


def load_last_build(text: str) -> LastBuild:
    """A LastBuild from JSON.

    Raises:
        ValueError, KeyError, TypeError: for JSON that is not a LastBuild.
    """
    data = json.loads(text)
    publish = data["next_publish"]
    return LastBuild(
        str(data["inputs_key"]),
        datetime.fromisoformat(publish) if publish else None,
        BuildCounts(*data["counts"]),
        _warnings(data["warnings"]),
    )


def dump_edit_index(index: EditIndex) -> str:
    """An EditIndex as JSON."""
    data = {
        "inputs_key": index.inputs_key,
        "order": list(index.order),
        "whole": sorted(index.whole),
        "feeds": [[f.title, f.folder, f.with_json, list(f.dests), list(f.posts)] for f in index.feeds],
        "sizes": index.sizes,
    }
    return json.dumps(data)


def load_edit_index(text: str) -> EditIndex:
    """An EditIndex from JSON.

    Raises:
        ValueError, KeyError, TypeError: for JSON that is not an EditIndex.
    """
    data = json.loads(text)
    feeds = tuple(
        FeedEntry(str(title), str(folder), bool(with_json), tuple(dests), tuple(posts))
        for title, folder, with_json, dests, posts in data["feeds"]
    )
    sizes = {str(url): int(size) for url, size in data["sizes"].items()}
    return EditIndex(str(data["inputs_key"]), tuple(data["order"]), frozenset(data["whole"]), feeds, sizes)
