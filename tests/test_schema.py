"""The JSON Schema of site.yaml that editors read agrees with the loader: the same keys at every
level, what one accepts the other accepts, and what one refuses the other refuses."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from conftest import REPO, Run

from sitegen.errors import SiteError
from sitegen.source.config import KNOWN_KEYS, load_config
from sitegen.source.newsletter import EMAIL_KEYS, FORM_KEYS, SMTP_KEYS
from sitegen.source.schema import SCHEMA_FILE, SCHEMA_URL

SCHEMA = json.loads(SCHEMA_FILE.read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
BASE = {"title": "Letters", "url": "https://example.org/letters/"}

# Settings that load: together they use every key the schema knows, at every level.
VALID: list[dict[str, Any]] = [
    {
        "description": "Letters on reaching out.", "language": "fr", "timezone": "Europe/Paris", "theme": "default",
        "author": "ana", "paginate": 5,
        "permalinks": {"post": "/{year}/{slug}/", "redirect_old": ["/posts/{slug}/"]},
        "redirects": {"/old/": "/new/", "/talk": "https://talks.example/"},
        "plugins": ["mark"],
        "strings": {"archive": "Letters", "letters_count": {"one": "one letter", "other": "{count} letters"}},
        "markdown": {"html": False, "typographer": False, "callouts": False, "definitions": False,
                     "autolinks": False, "figures": False},
        "font": "source-serif", "numbering": {"auto": True, "in_titles": True},
        "social_cards": False, "images": {"copies": False, "warn_over_kb": 2000}, "search": True,
        "feed": {"content": "summary", "limit": 10}, "connect": {"note": "Hi {author}, I read {title}."},
        "image": "/social.png", "domain": "letters.example.com", "allow_outside": [], "extra": {"color": "teal"},
        "tags": {"C#": {"slug": "csharp", "title": "C#", "description": "About C#."}},
        "subscribe": {"provider": "buttondown", "user": "ana", "label": "Join", "note": "Every Sunday."},
        "email": {
            "from": "letters@example.org", "unsubscribe": "{{ unsubscribe_url }}",
            "list_unsubscribe": "mailto:leave@example.org", "responses": True,
            "smtp": {"host": "smtp.example.org", "port": 587, "user": "ana", "starttls": True},
        },
    },
    {"subscribe": {"action": "https://forms.example.org/s", "email_field": "addr", "method": "get",
                   "hidden": {"list": "42"}}},
    {"subscribe": {"url": "https://example.org/join"}},
    {"subscribe": "https://example.org/join", "description": None},
]

# Settings both refuse.
INVALID: list[dict[str, Any]] = [
    {"titel": "typo"},
    {"paginate": 0},
    {"paginate": "ten"},
    {"feed": {"content": "some"}},
    {"markdown": {"html": "yes"}},
    {"markdown": {"admonitions": True}},
    {"redirects": {"old/": "/new/"}},
    {"strings": {"archive": 12}},
    {"strings": {"letters_count": {"one": "1 letter"}}},
    {"redirects": {"/old/": "javascript:alert(1)"}},
    {"permalinks": {"redirect_old": "/posts/"}},
    {"font": "Georgia"},
    {"images": {"warn_over_kb": 0}},
    {"images": {"sizes": [640]}},
    {"numbering": "sometimes"},
    {"numbering": {"auto": "yes"}},
    {"theme": "../elsewhere"},
    {"subscribe": {"provider": "mailchimp", "user": "ana"}},
    {"subscribe": {"label": "Join"}},
    {"email": {"smtp": {"host": "smtp.example.org", "password": "hunter2"}}},
    {"email": {"list_unsubscribe": "http://example.org/leave"}},
    {"tags": {"C#": {"slug": "a/b"}}},
    {"url": "letters.example.org"},
]


def _paths(schema: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """Every key path the schema names (tags' entries under "tags.*")."""
    for name, sub in schema.get("properties", {}).items():
        yield prefix + name
        yield from _paths(sub, f"{prefix}{name}.")
        for choice in sub.get("oneOf", []):
            yield from _paths(choice, f"{prefix}{name}.")
    entry = schema.get("additionalProperties")
    if isinstance(entry, dict):
        yield from _paths(entry, f"{prefix}*.")


def _used(data: Any, prefix: str = "", in_tags: bool = False) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            name = "*" if in_tags else key
            if not prefix.endswith(("extra.", "hidden.")):
                yield prefix + name
            yield from _used(value, f"{prefix}{name}.", key == "tags" and not prefix)


def _load(tmp_path: Path, data: dict[str, Any]) -> None:
    (tmp_path / "site.yaml").write_text(yaml.safe_dump(data, allow_unicode=True))
    load_config(tmp_path)


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA_URL.endswith("/src/sitegen/source/site.schema.json")


def test_the_schema_and_the_loader_know_the_same_keys() -> None:
    properties = SCHEMA["properties"]
    assert sorted(properties) == sorted(KNOWN_KEYS)
    form = next(choice for choice in properties["subscribe"]["oneOf"] if choice.get("type") == "object")
    assert sorted(form["properties"]) == sorted(FORM_KEYS)
    assert sorted(properties["email"]["properties"]) == sorted(EMAIL_KEYS)
    assert sorted(properties["email"]["properties"]["smtp"]["properties"]) == sorted(SMTP_KEYS)


def test_the_samples_use_every_key_of_the_schema() -> None:
    used = {path for sample in VALID for path in _used(sample)}
    assert sorted(set(_paths(SCHEMA)) - used - set(BASE)) == []


@pytest.mark.parametrize("index", range(len(VALID)))
def test_what_the_schema_accepts_loads(index: int, tmp_path: Path) -> None:
    data = BASE | VALID[index]
    assert list(VALIDATOR.iter_errors(data)) == []
    _load(tmp_path, data)


@pytest.mark.parametrize("index", range(len(INVALID)))
def test_what_the_loader_refuses_the_schema_flags(index: int, tmp_path: Path) -> None:
    data = BASE | INVALID[index]
    assert list(VALIDATOR.iter_errors(data)) != [], data
    with pytest.raises(SiteError):
        _load(tmp_path, data)


def test_an_unknown_key_is_flagged_at_every_level(tmp_path: Path) -> None:
    full = BASE | VALID[0]
    for section in ("permalinks", "markdown", "feed", "connect", "email", "subscribe"):
        data = json.loads(json.dumps(full))
        data[section]["colour"] = "teal"
        assert list(VALIDATOR.iter_errors(data)) != [], section
        with pytest.raises(SiteError, match="unknown key"):
            _load(tmp_path, data)


def test_the_starter_and_the_example_are_valid_and_name_the_schema(
    run_cli: Callable[..., Run], tmp_path: Path
) -> None:
    assert run_cli(tmp_path, "init", "site", "-q").status == 0
    starter = (tmp_path / "site/site.yaml").read_text()
    assert starter.splitlines()[0] == f"# yaml-language-server: $schema={SCHEMA_URL}"
    example = (REPO / "site.yaml").read_text()
    assert example.splitlines()[0] == "# yaml-language-server: $schema=src/sitegen/source/site.schema.json"
    for text in (starter, example):
        assert list(VALIDATOR.iter_errors(yaml.safe_load(text))) == []
