"""Plain data (what json gives) checked and turned back into values: the building blocks of codec.py.

Each reader checks the type of what it reads and raises CacheCorrupt on anything else."""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

Json = None | bool | int | float | str | list["Json"] | dict[str, "Json"]
T = TypeVar("T")


class CacheCorrupt(Exception):
    """A record of the cache is not one sitegen wrote."""


def refusing(read: Callable[[object], T]) -> Callable[[object], T]:
    """`read`, with any error on data of the wrong shape raised as CacheCorrupt."""

    def refusing(data: object) -> T:
        try:
            return read(data)
        except (TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError) as exc:
            raise CacheCorrupt(f"{type(exc).__name__}: {exc}") from None

    return refusing


def check(value: object, kind: type[T]) -> T:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise CacheCorrupt(f"expected {kind.__name__}, found {type(value).__name__}")
    return value


def read_optional(read: Callable[[object], T]) -> Callable[[object], T | None]:
    return lambda value: None if value is None else read(value)


def read_text(value: object) -> str:
    return check(value, str)


def read_texts(value: object) -> tuple[str, ...]:
    items = check(value, list)
    all_of(str, *items)
    return tuple(items)


def read_int(value: object) -> int:
    return check(value, int)


def read_flag(value: object) -> bool:
    return check(value, bool)


# -- values of any shape (front matter's free-form keys) --------------------------------------


def encode_value(value: object) -> Json:
    """Any value YAML gives as JSON: dicts keep their key types and order, and dates, sets and
    bytes are tagged (a dict is {"$d": [[key, value], ...]}, so no tag can be mistaken for one)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [encode_value(item) for item in value]
    if isinstance(value, Mapping):
        return {"$d": [[encode_value(k), encode_value(v)] for k, v in value.items()]}
    if isinstance(value, datetime):
        return {"$datetime": moment_data(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, set | frozenset):
        return {"$set": [encode_value(item) for item in value]}
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    raise TypeError(f"cannot keep a {type(value).__name__} in the build cache")


def decode_value(data: object) -> object:
    """A value written by encode_value.

    Raises:
        CacheCorrupt: for anything encode_value does not write.
    """
    if data is None or isinstance(data, bool | int | float | str):
        return data
    if isinstance(data, list):
        return [decode_value(item) for item in data]
    if isinstance(data, dict) and len(data) == 1:
        (tag, inner), = data.items()
        if tag in _TAGGED:
            try:
                return _TAGGED[tag](inner)
            except (TypeError, ValueError) as exc:  # an unhashable key, bad base64
                raise CacheCorrupt(str(exc)) from None
    raise CacheCorrupt("a value sitegen does not write")


def _mapping(data: object) -> dict[object, object]:
    pairs = [check(pair, list) for pair in check(data, list)]
    if any(len(pair) != 2 for pair in pairs):
        raise CacheCorrupt("a mapping's item is not a pair")
    return {decode_value(key): decode_value(value) for key, value in pairs}


_TAGGED: dict[str, Callable[[object], object]] = {
    "$d": _mapping,
    "$datetime": lambda data: read_moment(data),
    "$date": lambda data: read_day(data),
    "$set": lambda data: {decode_value(item) for item in check(data, list)},
    "$bytes": lambda data: base64.b64decode(read_text(data), validate=True),
}


def read_day(data: object) -> date:
    try:
        return date.fromisoformat(read_text(data))
    except ValueError as exc:
        raise CacheCorrupt(str(exc)) from None


def moment_data(moment: datetime) -> Json:
    """A datetime with its zone: a named zone by name (its offsets and the fold of an hour that
    happens twice kept), any other by its offset."""
    zone = moment.tzinfo
    if isinstance(zone, ZoneInfo):
        return [moment.replace(tzinfo=None).isoformat(), zone.key, moment.fold]
    return [moment.isoformat(), None, moment.fold]


def read_moment(data: object) -> datetime:
    parts = check(data, list)
    if len(parts) != 3:
        raise CacheCorrupt("a date is three values")
    written, zone, fold = read_text(parts[0]), read_optional(read_text)(parts[1]), read_int(parts[2])
    try:
        moment = datetime.fromisoformat(written)
        if zone is not None:
            moment = moment.replace(tzinfo=ZoneInfo(zone), fold=fold)
    except (ValueError, KeyError, OSError) as exc:  # a zone that does not exist, or a bad name
        raise CacheCorrupt(str(exc)) from None
    return moment


def read_extra(data: object) -> MappingProxyType[str, object]:
    if data == _NO_EXTRA:  # most posts: no keys of their own
        return MappingProxyType({})
    found = decode_value(data)
    if not isinstance(found, dict) or not all(type(key) is str for key in found):
        raise CacheCorrupt("front matter's other keys are not a mapping of texts")
    return MappingProxyType(found)


_NO_EXTRA: Json = {"$d": []}


def all_of(kind: type, *values: object) -> None:
    """Each of `values` is exactly of `kind` (an int is not a bool here). (The types are gathered
    in C, by map and set: a loop in Python made this the slowest part of loading a cache.)"""
    if values and set(map(type, values)) != {kind}:
        raise CacheCorrupt(f"expected {kind.__name__}s")


def all_optional(kind: type, *values: object) -> None:
    """Each of `values` is exactly of `kind`, or None."""
    if not set(map(type, values)) <= {kind, type(None)}:
        raise CacheCorrupt(f"expected {kind.__name__}s or nothing")
