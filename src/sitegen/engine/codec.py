"""The build cache's records as plain JSON, and back: nothing read from the cache can run code.

A site's .sitegen-cache/ may come with the site (a cloned repository that force-added it, a CI
cache restored for a stranger's pull request), so its records are data to check, not objects to
revive: every value is read back by a converter that checks its type, and anything else in its
place raises CacheCorrupt (the build then starts a new cache). JSON and not pickle: a pickled
record names any callable to run as it loads.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from types import MappingProxyType

from ..errors import SiteWarning
from ..markup.rendered import BodyLink, Heading, Rendered
from ..model.site import Picture
from ..source.newsletter import Response, Subscribe
from ..source.records import Record, SourceAuthor, SourcePage, SourcePost
from .plaindata import (
    CacheCorrupt,
    Json,
    all_of,
    all_optional,
    check,
    encode_value,
    moment_data,
    read_day,
    read_extra,
    read_flag,
    read_int,
    read_moment,
    read_optional,
    read_text,
    read_texts,
    refusing,
)
from .records import BuildCounts, CachedParse, EditIndex, FeedEntry, LastBuild

__all__ = ["CacheCorrupt"]

# -- records ----------------------------------------------------------------------------------
# Each record is a list of its fields in a fixed order, read back by a function that checks every
# type at once: checking value by value made loading the records of 10,000 posts 3 times slower.


def _positions_data(positions: Mapping[str, tuple[int, int]]) -> Json:
    return [part for key, (line, column) in positions.items() for part in (key, line, column)]


def _positions(data: object) -> MappingProxyType[str, tuple[int, int]]:
    flat = check(data, list)
    keys, lines, columns = flat[0::3], flat[1::3], flat[2::3]
    if len(keys) != len(columns) or set(map(type, keys)) - {str} or set(map(type, lines + columns)) - {int}:
        raise CacheCorrupt("positions are a key, a line and a column, again and again")
    return MappingProxyType(dict(zip(keys, zip(lines, columns, strict=True), strict=True)))


def _post_data(post: SourcePost) -> Json:
    return [
        "post", post.src_path, post.title, post.slug, moment_data(post.date), post.url, list(post.author_ids),
        post.body_line, post.subtitle, None if post.updated is None else moment_data(post.updated), list(post.tags),
        post.summary, post.draft, post.image, post.canonical_url, post.feed_id, post.toc, encode_value(post.extra),
        _positions_data(post.positions), [_response_data(r) for r in post.responses],
        post.issue, post.image_alt, post.image_credit, list(post.aliases),
    ]


def _post(data: list[object]) -> SourcePost:
    if len(data) != 24:
        raise CacheCorrupt("a post record is 24 values")
    (_kind, src_path, title, slug, when, url, author_ids, body_line, subtitle, updated, tags, summary, draft,
     image, canonical_url, feed_id, toc, extra, positions, responses, issue, image_alt, image_credit, aliases) = data
    author_ids, tags, aliases = check(author_ids, list), check(tags, list), check(aliases, list)
    all_of(str, src_path, title, slug, url, *author_ids, *tags, *aliases)
    all_optional(str, subtitle, summary, image, canonical_url, feed_id, image_alt, image_credit)
    if type(body_line) is not int or type(draft) is not bool or type(toc) is not bool:
        raise CacheCorrupt("a post's line or flags are not numbers and true/false")
    if issue is not None and type(issue) is not int:
        raise CacheCorrupt("an issue number is a whole number")
    return SourcePost(
        src_path=src_path, title=title, slug=slug, date=read_moment(when), url=url,  # type: ignore[arg-type]
        author_ids=tuple(author_ids), body="", body_line=body_line,
        subtitle=subtitle, updated=None if updated is None else read_moment(updated),  # type: ignore[arg-type]
        tags=tuple(tags), summary=summary, draft=draft, image=image,  # type: ignore[arg-type]
        canonical_url=canonical_url, feed_id=feed_id, toc=toc,  # type: ignore[arg-type]
        extra=read_extra(extra), positions=_positions(positions),
        responses=tuple(_response(r) for r in check(responses, list)),
        issue=issue, image_alt=image_alt, image_credit=image_credit, aliases=tuple(aliases),  # type: ignore[arg-type]
    )


def _response_data(response: Response) -> Json:
    when = None if response.date is None else response.date.isoformat()
    return [response.name, response.text, response.tagline, when, response.age, response.url, response.html]


def _response(data: object) -> Response:
    parts = check(data, list)
    if len(parts) != 7:
        raise CacheCorrupt("a response is 7 values")
    name, text, tagline, when, age, url, html = parts
    all_of(str, name, text, html)
    all_optional(str, tagline, when, age, url)
    return Response(name, text, tagline, None if when is None else read_day(when), age, url, html)


def _subscribe_data(subscribe: Subscribe | None) -> Json:
    if subscribe is None:
        return None
    hidden: list[Json] = [part for pair in subscribe.hidden for part in pair]
    return [subscribe.label, subscribe.note, subscribe.action, subscribe.url, subscribe.email_field,
            subscribe.method, hidden]


def _subscribe(data: object) -> Subscribe | None:
    if data is None:
        return None
    parts = check(data, list)
    if len(parts) != 7:
        raise CacheCorrupt("a subscribe setting is 7 values")
    label, note, action, url, email_field, method, hidden = parts
    all_of(str, label, note, email_field, method, *check(hidden, list))
    all_optional(str, action, url)
    pairs = tuple(zip(hidden[0::2], hidden[1::2], strict=True))
    return Subscribe(label, note, action, url, email_field, method, pairs)


def _page_data(page: SourcePage) -> Json:
    return [
        "page", page.src_path, page.title, page.slug, page.url, page.subtitle, page.summary, page.draft, page.image,
        page.toc, encode_value(page.extra), _positions_data(page.positions),
    ]


def _page(data: list[object]) -> SourcePage:
    if len(data) != 12:
        raise CacheCorrupt("a page record is 12 values")
    _kind, src_path, title, slug, url, subtitle, summary, draft, image, toc, extra, positions = data
    all_of(str, src_path, title, slug, url)
    all_optional(str, subtitle, summary, image)
    all_of(bool, draft, toc)
    return SourcePage(
        src_path=src_path, title=title, slug=slug, url=url, body="", subtitle=subtitle,  # type: ignore[arg-type]
        summary=summary, draft=draft, image=image, toc=toc, extra=read_extra(extra),  # type: ignore[arg-type]
        positions=_positions(positions),
    )


def _author_data(author: SourceAuthor) -> Json:
    return [
        "author", author.id, author.src_path, author.name, author.tagline, author.photo, author.email,
        [list(link) for link in author.links], _subscribe_data(author.subscribe),
    ]


def _author(data: list[object]) -> SourceAuthor:
    if len(data) != 9:
        raise CacheCorrupt("an author record is 9 values")
    _kind, id_, src_path, name, tagline, photo, email, links, subscribe = data
    all_of(str, id_, src_path, name, tagline)
    all_optional(str, photo, email)
    return SourceAuthor(
        id=id_, src_path=src_path, name=name, tagline=tagline, photo=photo, email=email,  # type: ignore[arg-type]
        links=tuple(_pair(link) for link in check(links, list)),
        subscribe=_subscribe(subscribe), body="",
    )


def _pair(data: object) -> tuple[str, str]:
    items = check(data, list)
    if len(items) != 2:
        raise CacheCorrupt("a link is a label and a URL")
    all_of(str, *items)
    return (items[0], items[1])


def _record_data(record: Record) -> Json:
    if isinstance(record, SourcePost):
        return _post_data(record)
    if isinstance(record, SourcePage):
        return _page_data(record)
    return _author_data(record)


_READERS: dict[object, Callable[[list[object]], Record]] = {"post": _post, "page": _page, "author": _author}


def _record(data: object) -> Record:
    found = check(data, list)
    read = _READERS.get(found[0]) if found and type(found[0]) is str else None
    if read is None:
        raise CacheCorrupt("no such kind of record")
    return read(found)


def _warning_data(warning: SiteWarning) -> Json:
    return list(warning.as_tuple())


def _warning(data: object) -> SiteWarning:
    parts = check(data, list)
    if len(parts) != 5:
        raise CacheCorrupt("a warning is five values")
    message, path, line, column, hint = parts
    return SiteWarning(
        read_text(message), read_optional(read_text)(path), read_optional(read_int)(line),
        read_optional(read_int)(column), read_optional(read_text)(hint),
    )


def parse_data(parse: CachedParse) -> Json:
    """One parse result as plain data."""
    rendered = parse.rendered
    toc: list[Json] = [part for h in rendered.toc for part in (h.level, h.text, h.id)]
    warnings = [_warning_data(w) for w in parse.warnings]
    links: list[Json] = [part for link in rendered.links for part in link]
    return [_record_data(parse.record), toc, rendered.words, rendered.first_paragraph, rendered.key,
            rendered.markdown_only, warnings, links]


@refusing
def parse_of(data: object) -> CachedParse:
    """One parse result from its plain data.

    Raises:
        CacheCorrupt: for data parse_data does not write.
    """
    found = check(data, list)
    if len(found) != 8:
        raise CacheCorrupt("a parse result is 8 values")
    record, toc, words, first_paragraph, key, markdown_only, warnings, links = found
    flat = check(toc, list)
    levels, texts, ids = flat[0::3], flat[1::3], flat[2::3]
    if len(levels) != len(ids):
        raise CacheCorrupt("headings come in threes")
    all_of(int, *levels, words)
    all_of(str, *texts, *ids, first_paragraph, key)
    if type(markdown_only) is not bool:
        raise CacheCorrupt("expected true or false")
    headings = tuple(map(Heading, levels, texts, ids))
    flat_links = check(links, list)
    images, urls, lines = flat_links[0::3], flat_links[1::3], flat_links[2::3]
    if len(images) != len(lines) or set(map(type, images)) - {bool}:
        raise CacheCorrupt("links come in threes")
    all_of(str, *urls)
    all_of(int, *lines)
    found_links = tuple(map(BodyLink, images, urls, lines))
    rendered = Rendered(headings, words, first_paragraph, key, None, markdown_only, found_links)
    return CachedParse(_record(record), rendered, tuple(_warning(w) for w in check(warnings, list)))


def _loads(data: bytes | str) -> object:
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise CacheCorrupt(f"not JSON: {type(exc).__name__}") from None


def dump_parse(parse: CachedParse) -> bytes:
    """One parse result as bytes."""
    return json.dumps(parse_data(parse), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_parse(data: bytes) -> CachedParse:
    """One parse result from its bytes (see parse_of)."""
    return parse_of(_loads(data))


def dump_parses(parses: Mapping[str, CachedParse]) -> bytes:
    """Parse results by key as bytes."""
    document = {key: parse_data(parse) for key, parse in parses.items()}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_parses(data: bytes) -> dict[str, CachedParse]:
    """Parse results by key from their bytes (see parse_of)."""
    return {key: parse_of(value) for key, value in check(_loads(data), dict).items()}


def dump_key_memos(site_key: str, meta: Mapping[str, str], hashes: Mapping[tuple[str, ...], str]) -> bytes:
    """The page-key memos of one build (see engine.plan) as bytes."""
    document = {"site_key": site_key, "meta": dict(meta), "hashes": [[*parts, key] for parts, key in hashes.items()]}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def load_key_memos(data: bytes) -> tuple[str, dict[str, str], dict[tuple[str, ...], str]]:
    """The page-key memos of one build from their bytes.

    Raises:
        CacheCorrupt: for data dump_key_memos does not write.
    """
    return _key_memos(_loads(data))


@refusing
def _key_memos(data: object) -> tuple[str, dict[str, str], dict[tuple[str, ...], str]]:
    found = check(data, dict)
    meta = {read_text(k): read_text(v) for k, v in check(found["meta"], dict).items()}
    hashes = {}
    for row in check(found["hashes"], list):
        *parts, key = read_texts(row)
        hashes[tuple(parts)] = key
    return read_text(found["site_key"]), meta, hashes


def dump_last_build(last: LastBuild) -> str:
    """A LastBuild as JSON."""
    data = {
        "inputs_key": last.inputs_key,
        "next_publish": None if last.next_publish is None else moment_data(last.next_publish),
        "counts": list(last.counts),
        "warnings": [_warning_data(w) for w in last.warnings],
    }
    return json.dumps(data, ensure_ascii=False)


def load_last_build(text: str) -> LastBuild:
    """A LastBuild from JSON.

    Raises:
        CacheCorrupt: for JSON that is not a LastBuild.
    """
    return _last_build(_loads(text))


@refusing
def _last_build(data: object) -> LastBuild:
    found = check(data, dict)
    counts = BuildCounts(*(read_int(n) for n in check(found["counts"], list)))
    warnings = tuple(_warning(w) for w in check(found["warnings"], list))
    next_publish = read_optional(read_moment)(found["next_publish"])
    return LastBuild(read_text(found["inputs_key"]), next_publish, counts, warnings)


def dump_edit_index(index: EditIndex) -> str:
    """An EditIndex as JSON, without its inputs_key (kept beside it: see BuildCache.edit_index)."""
    data = {
        "order": list(index.order),
        "whole": sorted(index.whole),
        "feeds": [[f.title, f.folder, f.with_json, list(f.dests), list(f.posts)] for f in index.feeds],
        "sizes": index.sizes,
        "issues": index.issues,
        "related": [list(numbers) for numbers in index.related],
        "pictures": {path: [p.width, p.height, [list(c) for c in p.copies]] for path, p in index.pictures.items()},
    }
    return json.dumps(data, ensure_ascii=False)


def load_edit_index(text: str, inputs_key: str) -> EditIndex:
    """An EditIndex from JSON, for the build whose inputs_key it was saved with.

    Raises:
        CacheCorrupt: for JSON that is not an EditIndex.
    """
    return _edit_index(_loads(text))._replace(inputs_key=inputs_key)


@refusing
def _edit_index(data: object) -> EditIndex:
    found = check(data, dict)
    feeds = []
    for entry in check(found["feeds"], list):
        title, folder, with_json, dests, posts = check(entry, list)
        files, posts_of = read_texts(dests), read_texts(posts)
        feeds.append(FeedEntry(read_text(title), read_text(folder), read_flag(with_json), files, posts_of))
    sizes = {read_text(url): read_int(size) for url, size in check(found["sizes"], dict).items()}
    issues = {read_text(path): read_int(number) for path, number in check(found["issues"], dict).items()}
    order, whole = read_texts(found["order"]), frozenset(read_texts(found["whole"]))
    shown = check(found["related"], list)
    if len(shown) != len(order):
        raise CacheCorrupt("related posts for another list of posts")
    all_of(list, *shown)
    numbers = [n for row in shown for n in row]
    all_of(int, *numbers)
    if numbers and not 0 <= min(numbers) <= max(numbers) < len(order):  # a negative one would count from the end
        raise CacheCorrupt("related posts that are not numbers of posts")
    related = tuple(map(tuple, shown))
    pictures = {read_text(path): _picture(value) for path, value in check(found.get("pictures", {}), dict).items()}
    return EditIndex("", order, whole, tuple(feeds), sizes, issues, related, pictures)


def _picture(value: object) -> Picture:
    width, height, copies = check(value, list)
    named = tuple((read_text(name), read_int(w)) for name, w in (check(c, list) for c in check(copies, list)))
    return Picture(read_int(width), read_int(height), named)

