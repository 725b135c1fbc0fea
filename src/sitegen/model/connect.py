"""The connect call-to-action: a personal note under LinkedIn's 200 characters, and a mailto."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

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
    subscribe: Link | None


def fill_note(template: str, author: Author, title: str, url: str) -> str:
    """Fill {author} (first name), {title} and {url}, shortening the title to fit the limit."""

    def fill(shown_title: str) -> str:
        return (
            template.replace("{author}", author.first_name)
            .replace("{title}", shown_title)
            .replace("{url}", url)
        )

    note = fill(title)
    excess = len(note) - (NOTE_LIMIT - 1)
    if excess > 0:
        keep = max(0, len(title) - excess - 1)
        note = fill(title[:keep].rstrip() + "…")
    return note[: NOTE_LIMIT - 1]


def mailto_for(email: str, note: str, title: str) -> str:
    """A mailto: URL with the subject and body prefilled (RFC 6068: %20, not +)."""
    subject = f"After reading “{title}”" if title else "Hello"
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject)}&body={quote(note)}"


def connect_action(template: str, author: Author, title: str, url: str) -> Connect:
    """Build the call-to-action of `author` for a reader of the post `title` at `url`."""
    note = fill_note(template, author, title, url)
    return Connect(
        author=author,
        note=note,
        note_template=template,
        title=title,
        mailto=mailto_for(author.email, note, title) if author.email else None,
        links=author.links,
        subscribe=author.subscribe,
    )
