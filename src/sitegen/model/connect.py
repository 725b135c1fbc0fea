"""The connect call-to-action: a personal note under LinkedIn's 200 characters, and a mailto."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from ..source.newsletter import Subscribe
from .site import Author, Link

NOTE_LIMIT = 200
"""LinkedIn's limit for invitation notes on free accounts: the note must stay under it."""


@dataclass(frozen=True, slots=True)
class Connect:
    """What a theme shows to turn a reader into a connection."""

    author: Author
    note: str
    """The note, ready to paste: names the post the reader read."""
    note_template: str
    """The raw template, for the script that renames the post on the author page."""
    title: str
    """The post title the note names."""
    mailto: str | None
    links: tuple[Link, ...]
    subscribe: Subscribe | None

    @property
    def profile(self) -> Link | None:
        """Where the note is sent: the author's LinkedIn profile, else their first link."""
        linkedin = (link for link in self.links if "linkedin.com/" in link.url.lower())
        return next(linkedin, self.links[0] if self.links else None)


def fill_note(template: str, author: Author, title: str, url: str) -> str:
    """Fill {author} (first name), {title} and {url}, shortening the title to fit the limit, then
    the rest of the text if need be: never the address, which a cut would break."""
    limit = NOTE_LIMIT - 1
    if "“{title}”" in template:
        title = quoted_within(title)

    def fill(shown_title: str) -> str:  # {url} stays a placeholder until the end
        return template.replace("{author}", author.first_name).replace("{title}", shown_title)

    def length(note: str) -> int:
        return len(note.replace("{url}", url))

    note = fill(title)
    excess = length(note) - limit
    if excess > 0:
        keep = max(0, len(title) - excess - 1)
        note = fill(title[:keep].rstrip() + "…")
    if length(note) > limit:
        pieces = note.split("{url}")
        room = limit - len(url) * (len(pieces) - 1)
        if room < len(pieces) - 1:  # an address longer than the note may be: leave it out
            pieces, url = ["".join(pieces)], ""
            room = limit
        pieces = _shortened(pieces, room)
        note = "{url}".join(pieces)
    return note.replace("{url}", url)


def _shortened(pieces: list[str], room: int) -> list[str]:
    """The texts around the addresses, cut from the end (at a word) until they fit in `room`."""
    pieces = list(pieces)
    for index in reversed(range(len(pieces))):
        excess = sum(map(len, pieces)) - room
        if excess <= 0:
            break
        text = pieces[index]
        lead = text[: len(text) - len(text.lstrip())]  # the space that keeps an address apart
        tail = " " if index < len(pieces) - 1 and text.endswith(" ") else ""
        kept = text.strip()[: max(0, len(text) - excess - 1 - len(lead) - len(tail))]
        kept = kept.rsplit(" ", 1)[0] if " " in kept else kept
        pieces[index] = lead + kept.rstrip() + "…" + tail if text.strip() else text
    return pieces


def quoted_within(title: str) -> str:
    """A title to write inside “double quotes”: its own double quotes made single, curly or
    straight (How Reaching Out To "Humans" Pays, in a note, quotes Humans in single quotes)."""
    title = re.sub(r'"([^"]*)"', "\u2018\\1\u2019", title)
    return title.replace("\u201c", "\u2018").replace("\u201d", "\u2019")


SUBJECT, HELLO = "After reading “{title}”", "Hello"
"""The subject of the email a reader sends an author, about a letter or not (English: a theme's
words give others)."""


def mailto_for(email: str, note: str, title: str, subject: str = SUBJECT, hello: str = HELLO) -> str:
    """A mailto: URL with the subject (`subject` naming the letter `title`, else `hello`) and body
    prefilled (RFC 6068: %20, not +)."""
    said = subject.replace("{title}", quoted_within(title)) if title else hello
    return f"mailto:{quote(email, safe='@')}?subject={quote(said)}&body={quote(note)}"


def connect_action(
    template: str, author: Author, title: str, url: str, subject: str = SUBJECT, hello: str = HELLO
) -> Connect:
    """Build the call-to-action of `author` for a reader of the post `title` at `url`, the email's
    subject written as `subject` (or `hello`, about no letter)."""
    note = fill_note(template, author, title, url)
    return Connect(
        author=author,
        note=note,
        note_template=template,
        title=title,
        mailto=mailto_for(author.email, note, title, subject, hello) if author.email else None,
        links=author.links,
        subscribe=author.subscribe,
    )
