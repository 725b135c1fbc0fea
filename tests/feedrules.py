"""The rules the W3C Feed Validation Service applies, as functions that list what a feed breaks.

RSS 2.0: https://www.rssboard.org/rss-specification; Atom: RFC 4287; dates: RFC 822 (with a
four-digit year, as the validator wants) and RFC 3339. Each function returns a list of problems,
empty for a valid feed, so a test can show every one at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import lxml.etree
import lxml.html

ATOM = "{http://www.w3.org/2005/Atom}"
NS = {"a": "http://www.w3.org/2005/Atom"}
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d{2}:\d{2}:\d{2} [+-]\d{4}$"
)
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
EMAIL_AND_NAME = re.compile(r"^[^@\s()]+@[^@\s()]+\.[^@\s()]+( \(.+\))?$")


def is_absolute(url: str) -> bool:
    """An http(s) URL with a host: what a feed reader can follow from anywhere."""
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def is_iri(value: str) -> bool:
    """An absolute IRI (Atom ids): a scheme followed by something."""
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$", value))


def relative_urls(html: str) -> Iterator[str]:
    """Every link, image or srcset candidate in an HTML fragment that is not absolute."""
    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        for name in ("href", "src"):
            value = element.get(name)
            # links within the page (#fn1) are fine anywhere; mailto: has no host by design
            if value is not None and not value.startswith(("#", "mailto:")) and not is_absolute(value):
                yield value
        for candidate in (element.get("srcset") or "").split(","):
            url = candidate.strip().split(" ")[0]
            if url and not is_absolute(url):
                yield url


UNSAFE_ELEMENTS = frozenset({"script", "style", "iframe", "object", "embed", "applet", "frame", "frameset", "form"})
"""Elements the validator's HTMLValidator calls a SecurityRisk in feed content."""
TAG_URI = re.compile(r"^tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:[\x21-\x7e]*$")
"""RFC 4151, as the validator's rfc2396 check reads it (InvalidTAG): ASCII only."""


def unsafe_markup(html: str) -> Iterator[str]:
    """What the validator's HTMLValidator flags in HTML content: SecurityRisk (script, style,
    iframe...), SecurityRiskAttr (event handlers, role, aria-*, which it does not accept) and
    DangerousStyleAttr (a style beyond text alignment)."""
    if not html.strip():
        return
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in UNSAFE_ELEMENTS:
            yield f"<{element.tag}> element"
        for name, value in element.attrib.items():
            if name.startswith(("on", "aria-")) or name == "role":
                yield f"{name} attribute on <{element.tag}>"
            if name == "style" and not re.fullmatch(r"\s*text-align:\s*(left|right|center)\s*;?\s*", value):
                yield f"style {value!r} on <{element.tag}>"


def _rfc822(value: str | None, where: str) -> list[str]:
    if value is None:
        return []
    if not RFC822.match(value):
        return [f"{where}: {value!r} is not an RFC 822 date with a 4-digit year and a numeric zone"]
    try:
        parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return [f"{where}: {value!r} is not a real date"]
    return []


def _rfc3339(value: str | None, where: str, required: bool = True) -> list[str]:
    if value is None:
        return [f"{where}: missing"] if required else []
    if not RFC3339.match(value):
        return [f"{where}: {value!r} is not an RFC 3339 date-time with a zone"]
    return []


def rss_problems(data: bytes, self_url: str, language: str) -> list[str]:
    """What the RSS 2.0 document `data`, published at `self_url`, gets wrong."""
    problems: list[str] = []
    root = lxml.etree.fromstring(data)
    if root.tag != "rss" or root.get("version") != "2.0":
        return ["root element is not <rss version='2.0'>"]
    channels = root.findall("channel")
    if len(channels) != 1:
        return [f"{len(channels)} <channel> elements, expected 1"]
    channel = channels[0]
    for name in ("title", "link", "description"):
        if not (channel.findtext(name) or "").strip():
            problems.append(f"channel: missing <{name}>")
    if not is_absolute(channel.findtext("link") or ""):
        problems.append("channel: <link> is not an absolute URL")
    if channel.findtext("language") != language:
        problems.append(f"channel: <language> is {channel.findtext('language')!r}, expected {language!r}")
    self_links = [link.get("href") for link in channel.findall(f"{ATOM}link") if link.get("rel") == "self"]
    if self_links != [self_url]:
        problems.append(f"channel: atom:link rel=self is {self_links}, expected [{self_url!r}]")
    problems += _rfc822(channel.findtext("lastBuildDate"), "channel lastBuildDate")
    problems += _rfc822(channel.findtext("pubDate"), "channel pubDate")
    guids: set[str] = set()
    for index, item in enumerate(channel.findall("item"), 1):
        problems += _rss_item_problems(item, f"item {index}", guids)
    return problems


def _rss_item_problems(item: lxml.etree._Element, where: str, guids: set[str]) -> list[str]:
    problems: list[str] = []
    if not (item.findtext("title") or item.findtext("description")):
        problems.append(f"{where}: needs a <title> or a <description>")
    for name in ("title", "link", "description", "author", "guid", "pubDate", "comments", "source"):
        if len(item.findall(name)) > 1:
            problems.append(f"{where}: <{name}> appears {len(item.findall(name))} times")
    link = item.findtext("link")
    if link is not None and not is_absolute(link):
        problems.append(f"{where}: <link> {link!r} is not absolute")
    problems += _guid_problems(item.find("guid"), where, guids)
    problems += _rfc822(item.findtext("pubDate"), f"{where} pubDate")
    author = item.findtext("author")
    if author is not None and not EMAIL_AND_NAME.match(author):
        problems.append(f"{where}: <author> {author!r} is not an email address")
    if author is not None and item.find(DC_CREATOR) is not None:
        problems.append(f"{where}: both <author> and <dc:creator> (the validator's DuplicateItemSemantics)")
    for enclosure in item.findall("enclosure"):
        problems += _enclosure_problems(enclosure, where)
    for html in (item.findtext(CONTENT), item.findtext("description")):
        problems += [f"{where}: relative URL {url!r} in content" for url in relative_urls(html or "")]
        problems += [f"{where}: {found} in content (SecurityRisk)" for found in unsafe_markup(html or "")]
    if item.find("title") is not None and not (item.findtext("title") or "").strip():
        problems.append(f"{where}: empty <title> (NotBlank)")
    if any(not (c.text or "").strip() for c in item.findall("category")):
        problems.append(f"{where}: empty <category> (NotBlank)")
    return problems


def _guid_problems(guid: lxml.etree._Element | None, where: str, guids: set[str]) -> list[str]:
    if guid is None or not (guid.text or "").strip():
        return [f"{where}: missing <guid>"]
    problems = [f"{where}: duplicate guid {guid.text!r}"] if guid.text in guids else []
    guids.add(guid.text or "")
    if guid.get("isPermaLink", "true") == "true" and not is_absolute(guid.text or ""):
        problems.append(f"{where}: guid is a permalink but {guid.text!r} is not an absolute URL")
    return problems


def _enclosure_problems(enclosure: lxml.etree._Element, where: str) -> list[str]:
    problems = []
    if not is_absolute(enclosure.get("url") or ""):
        problems.append(f"{where}: enclosure url is not absolute")
    if not (enclosure.get("length") or "").isdigit():
        problems.append(f"{where}: enclosure length {enclosure.get('length')!r} is not a number")
    if "/" not in (enclosure.get("type") or ""):
        problems.append(f"{where}: enclosure type {enclosure.get('type')!r} is not a MIME type")
    return problems


def atom_problems(data: bytes, self_url: str, language: str) -> list[str]:
    """What the Atom document `data`, published at `self_url`, gets wrong (RFC 4287)."""
    problems: list[str] = []
    root = lxml.etree.fromstring(data)
    if root.tag != f"{ATOM}feed":
        return ["root element is not an Atom <feed>"]
    if root.get(XML_LANG) != language:
        problems.append(f"feed: xml:lang is {root.get(XML_LANG)!r}, expected {language!r}")
    for name in ("id", "title", "updated"):
        if len(root.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"feed: needs exactly one <{name}>")
    if not is_iri(root.findtext(f"{ATOM}id") or ""):
        problems.append("feed: <id> is not an absolute IRI")
    problems += _rfc3339(root.findtext(f"{ATOM}updated"), "feed updated")
    links = root.findall(f"{ATOM}link")
    if [link.get("href") for link in links if link.get("rel") == "self"] != [self_url]:
        problems.append(f"feed: needs one link rel=self to {self_url!r}")
    if not any(link.get("rel", "alternate") == "alternate" and is_absolute(link.get("href") or "") for link in links):
        problems.append("feed: needs an absolute link rel=alternate")
    feed_has_author = root.find(f"{ATOM}author") is not None
    ids: set[str] = set()
    for index, entry in enumerate(root.findall(f"{ATOM}entry"), 1):
        problems += _atom_entry_problems(entry, f"entry {index}", ids, feed_has_author)
    updated = [str(u) for u in root.xpath("//a:entry/a:updated/text()", namespaces=NS)]
    stamps = [datetime.fromisoformat(u) for u in updated if RFC3339.match(u)]
    feed_updated = root.findtext(f"{ATOM}updated") or ""
    if stamps and (not RFC3339.match(feed_updated) or datetime.fromisoformat(feed_updated) != max(stamps)):
        problems.append("feed: <updated> is not its newest entry's")
    return problems


def _atom_entry_problems(entry: lxml.etree._Element, where: str, ids: set[str], feed_has_author: bool) -> list[str]:
    problems: list[str] = []
    for name in ("id", "title", "updated"):
        if len(entry.findall(f"{ATOM}{name}")) != 1:
            problems.append(f"{where}: needs exactly one <{name}>")
    entry_id = entry.findtext(f"{ATOM}id") or ""
    if not is_iri(entry_id):
        problems.append(f"{where}: <id> {entry_id!r} is not an absolute IRI")
    if entry_id.startswith("tag:") and not TAG_URI.match(entry_id):
        problems.append(f"{where}: <id> {entry_id!r} is not a valid tag: URI (InvalidTAG)")
    if any(not (c.get("term") or "").strip() for c in entry.findall(f"{ATOM}category")):
        problems.append(f"{where}: a <category> without a term (MissingAttribute)")
    if entry_id in ids:
        problems.append(f"{where}: duplicate id {entry_id!r}")
    ids.add(entry_id)
    problems += _rfc3339(entry.findtext(f"{ATOM}updated"), f"{where} updated")
    problems += _rfc3339(entry.findtext(f"{ATOM}published"), f"{where} published", required=False)
    authors = entry.findall(f"{ATOM}author")
    if not authors and not feed_has_author:
        problems.append(f"{where}: no <author> (and the feed has none)")
    if any(not (a.findtext(f"{ATOM}name") or "").strip() for a in authors):
        problems.append(f"{where}: an <author> without <name>")
    alternate_links = [link for link in entry.findall(f"{ATOM}link") if link.get("rel", "alternate") == "alternate"]
    if not all(is_absolute(link.get("href") or "") for link in alternate_links):
        problems.append(f"{where}: link rel=alternate is not absolute")
    kinds = [(link.get("type"), link.get("hreflang")) for link in alternate_links]
    if len(set(kinds)) != len(kinds):
        problems.append(f"{where}: two rel=alternate links with the same type and hreflang")
    return problems + _atom_content_problems(entry, where, has_alternate=bool(alternate_links))


def _atom_content_problems(entry: lxml.etree._Element, where: str, has_alternate: bool) -> list[str]:
    content = entry.find(f"{ATOM}content")
    if content is None:
        if entry.find(f"{ATOM}summary") is None or not has_alternate:
            return [f"{where}: without <content> it needs a <summary> and a link rel=alternate"]
        return []
    if content.get("type") not in ("text", "html", "xhtml"):
        return [f"{where}: content type {content.get('type')!r}"]
    if content.get("type") == "html":
        html = content.text or ""
        return [f"{where}: relative URL {url!r} in content" for url in relative_urls(html)] + [
            f"{where}: {found} in content (SecurityRisk)" for found in unsafe_markup(html)
        ]
    return []


def json_feed_problems(data: bytes, self_url: str) -> list[str]:
    """What the JSON Feed 1.1 document `data` gets wrong (https://jsonfeed.org/version/1.1)."""
    document = json.loads(data)
    problems: list[str] = []
    if document.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version is not JSON Feed 1.1")
    if not document.get("title"):
        problems.append("missing title")
    if document.get("feed_url") != self_url:
        problems.append(f"feed_url is {document.get('feed_url')!r}, expected {self_url!r}")
    if not is_absolute(document.get("home_page_url", "")):
        problems.append("home_page_url is not absolute")
    ids: set[str] = set()
    for index, item in enumerate(document.get("items", []), 1):
        where = f"item {index}"
        if not isinstance(item.get("id"), str) or item["id"] in ids:
            problems.append(f"{where}: id missing, not a string, or a duplicate")
        ids.add(str(item.get("id")))
        if "content_html" not in item and "content_text" not in item:
            problems.append(f"{where}: needs content_html or content_text")
        if not is_absolute(item.get("url", "")):
            problems.append(f"{where}: url is not absolute")
        for key in ("date_published", "date_modified"):
            problems += _rfc3339(item.get(key), f"{where} {key}", required=False)
        problems += [f"{where}: relative URL {url!r} in content" for url in relative_urls(item.get("content_html", ""))]
    return problems
