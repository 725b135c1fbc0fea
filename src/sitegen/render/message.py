"""A letter's email edition as one RFC 5322 message, made with the standard library's `email`
package: what `sitegen email --eml` writes and `--send-test` sends."""

from __future__ import annotations

from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ..errors import SiteError
from ..model.site import Post
from ..source.newsletter import EmailSettings


def sender(post: Post, settings: EmailSettings) -> Address:
    """Who the letter comes from: its author's name, at site.yaml's `email: from:` address (else
    the author's own address).

    Raises:
        SiteError: when neither is set.
    """
    address = settings.from_address or post.author.email
    if not address:
        raise SiteError(
            "a letter needs an address to come from",
            "site.yaml",
            hint="add email: {from: letters@example.com} to site.yaml",
        )
    user, _, domain = address.rpartition("@")
    return Address(post.author.name, user, domain)


def letter_message(post: Post, settings: EmailSettings, html: str, text: str, now: datetime) -> EmailMessage:
    """The letter as a multipart/alternative message: its plain text, then its HTML, in UTF-8.

    Raises:
        SiteError: when the letter has no address to come from (see `sender`).
    """
    origin = sender(post, settings)
    message = EmailMessage()
    message["Subject"] = post.title
    message["From"] = origin
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=origin.domain)
    if settings.list_unsubscribe:
        message["List-Unsubscribe"] = f"<{settings.list_unsubscribe}>"
    # quoted-printable: mail servers refuse lines over 998 characters, which inlined HTML has
    message.set_content(text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message
