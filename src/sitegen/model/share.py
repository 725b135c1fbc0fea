"""Share links: plain addresses of each network's own share page, with the post's address and
title filled in. No script, no button of theirs, no request to them until a reader follows one."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote


@dataclass(frozen=True, slots=True)
class ShareLink:
    """One way to share a post."""

    label: str
    url: str


def _q(text: str) -> str:
    return quote(text, safe="")


def share_links(title: str, url: str) -> tuple[ShareLink, ...]:
    """Where a reader can share the post `title` at `url` (its canonical address)."""
    both = f"{title} {url}"
    return (
        ShareLink("LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={_q(url)}"),
        ShareLink("Bluesky", f"https://bsky.app/intent/compose?text={_q(both)}"),
        # Mastodon has no one address: Share₂Fedi asks the reader for their own server
        ShareLink("Mastodon", f"https://s2f.kytta.dev/?text={_q(both)}"),
        ShareLink("X", f"https://x.com/intent/post?text={_q(title)}&url={_q(url)}"),
        ShareLink("Email", f"mailto:?subject={_q(title)}&body={_q(title + chr(10) + chr(10) + url)}"),
    )
