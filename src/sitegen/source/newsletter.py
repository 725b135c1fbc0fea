"""The newsletter's settings: how readers subscribe (a mail service's form), the email edition, and
readers' responses quoted under a post; each read from YAML and validated."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import quote, urlsplit

from ..errors import did_you_mean
from . import fields
from .urls import is_safe_url
from .yamldoc import YamlMapping

FORM_KEYS = ("provider", "user", "action", "url", "email_field", "method", "hidden", "label", "note")
PROVIDERS = {
    "buttondown": ("https://buttondown.com/api/emails/embed-subscribe/{user}", "email", ()),
    "kit": ("https://app.kit.com/forms/{user}/subscriptions", "email_address", ()),
    "convertkit": ("https://app.kit.com/forms/{user}/subscriptions", "email_address", ()),
    "substack": ("https://{user}.substack.com/api/v1/free?nojs=true", "email", ()),
    "emailoctopus": ("https://eomail1.com/form/{user}", "field_0", ()),
}
"""Mail services whose sign-up form has an address made from one name (their `user`, for Kit its
form's number): (form action, the email field's name, hidden fields)."""
DEFAULT_LABEL = "Subscribe"


@dataclass(frozen=True, slots=True)
class Subscribe:
    """How a reader subscribes: a mail service's sign-up form, or a link to a sign-up page."""

    label: str = DEFAULT_LABEL
    """The button's words."""
    note: str = ""
    """A sentence beside the form: what readers get, how often."""
    action: str | None = None
    """The form's address (the mail service's); None for a link."""
    url: str | None = None
    """A sign-up page to link to, when there is no form."""
    email_field: str = "email"
    method: str = "post"
    hidden: tuple[tuple[str, str], ...] = ()
    """Fields the service wants sent with the address (a list's id...)."""

    @property
    def is_form(self) -> bool:
        """Whether readers type their address here (else they follow a link)."""
        return self.action is not None


def subscribe_of(doc: YamlMapping, key: str, value: Any) -> Subscribe | None:
    """A `subscribe:` value: a link ("https://…" or {label, url}), a provider's preset
    ({provider: buttondown, user: ana}) or any service's form ({action, email_field, hidden…}).

    Raises:
        SiteError: at `key` for anything else.
    """
    if value is None:
        return None
    if isinstance(value, str):
        return Subscribe(url=_url(doc, key, value))
    section = _mapping(doc, key, value)
    texts = {name: _text(doc, key, name, section[name]) for name in section if name != "hidden"}
    label, note = texts.get("label", DEFAULT_LABEL), texts.get("note", "")
    if "provider" in texts:
        return _preset(doc, key, texts, label, note)
    if "action" in texts:
        action = texts["action"]
        if not is_safe_url(action) or urlsplit(action).scheme not in ("http", "https"):
            raise doc.error(key, f"'{key}.action' must be the http(s) address of the form, not {action!r}")
        method = texts.get("method", "post").lower()
        if method not in ("post", "get"):
            raise doc.error(key, f"'{key}.method' must be post or get, not {method!r}")
        hidden = _hidden(doc, key, section.get("hidden", {}))
        return Subscribe(label, note, action, None, texts.get("email_field", "email"), method, hidden)
    if "url" in texts:
        return Subscribe(label, note, url=_url(doc, key, texts["url"]))
    raise doc.error(key, f"'{key}' needs an action (a form's address), a url, or a provider and a user")


def _preset(doc: YamlMapping, key: str, texts: dict[str, str], label: str, note: str) -> Subscribe:
    provider = texts["provider"].lower()
    if provider not in PROVIDERS:
        hint = did_you_mean(provider, list(PROVIDERS)) or f"known: {', '.join(PROVIDERS)}; else give its action:"
        raise doc.error(key, f"'{key}.provider' {provider!r} is not one sitegen knows", hint)
    user = texts.get("user")
    if not user:
        raise doc.error(key, f"'{key}' with provider {provider} needs user: (your name there)")
    action, email_field, hidden = PROVIDERS[provider]
    return Subscribe(label, note, action.format(user=quote(user, safe="")), None, email_field, "post", hidden)


def _mapping(doc: YamlMapping, key: str, value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise doc.error(key, f"'{key}' must be a link or a mapping such as {{provider: buttondown, user: you}}")
    for name in value:
        if name not in FORM_KEYS:
            raise doc.error(key, f"unknown key '{key}.{name}'", did_you_mean(str(name), FORM_KEYS))
    return value


def _text(doc: YamlMapping, key: str, name: str, value: Any) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
        raise doc.error(key, f"'{key}.{name}' must be a non-empty text")
    return str(value).strip()


def _url(doc: YamlMapping, key: str, url: str) -> str:
    if not is_safe_url(url):
        raise doc.error(key, fields.unsafe_url(key, url))
    return url


def _hidden(doc: YamlMapping, key: str, value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict) or not all(isinstance(v, str | int) for v in value.values()):
        raise doc.error(key, f"'{key}.hidden' must map field names to values, such as {{list: news}}")
    return tuple((str(name), str(field)) for name, field in value.items())


# -- the email edition ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Smtp:
    """The mail server a test letter is sent through (`sitegen email --send-test`)."""

    host: str
    port: int = 587
    user: str | None = None
    """The password comes from SITEGEN_SMTP_PASSWORD only, never from a file."""
    starttls: bool = True


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """site.yaml's `email:`."""

    from_address: str | None = None
    """The address letters come from (the author's name goes with it)."""
    unsubscribe: str = ""
    """The unsubscribe link as the mail service wants it: a URL, or its placeholder written as is
    ({{ unsubscribe_url }}, *|UNSUB|*, {{UnsubscribeURL}}…)."""
    list_unsubscribe: str | None = None
    """The List-Unsubscribe header of a .eml (a mailto: or https address)."""
    responses: bool = False
    """Whether readers' responses go in the email edition too."""
    smtp: Smtp | None = None


NO_EMAIL_SETTINGS = EmailSettings()
"""The email edition's settings when site.yaml has none."""
EMAIL_KEYS = ("from", "unsubscribe", "list_unsubscribe", "responses", "smtp")
SMTP_KEYS = ("host", "port", "user", "starttls")


def email_settings_of(doc: YamlMapping, value: Any) -> EmailSettings:
    """site.yaml's `email:` section.

    Raises:
        SiteError: at `email` for a value of the wrong kind.
    """
    section = fields.section(doc, "email", value, EMAIL_KEYS)
    sender = section.get("from")
    if sender is not None and (not isinstance(sender, str) or "@" not in sender or " " in sender.strip()):
        message = f"'email.from' must be an email address such as letters@example.com, not {sender!r}"
        raise doc.error_at(("email", "from"), message)
    unsubscribe = _unsubscribe(doc, section.get("unsubscribe", ""))
    header = section.get("list_unsubscribe")
    if header is not None and (not isinstance(header, str) or urlsplit(header).scheme not in ("mailto", "https")):
        raise doc.error_at(("email", "list_unsubscribe"), "'email.list_unsubscribe' must be a mailto: or https address")
    smtp = _smtp(doc, section["smtp"]) if "smtp" in section else None
    responses = fields.flag_value(doc, "email", section.get("responses", False))
    return EmailSettings(sender.strip() if sender else None, unsubscribe.strip(), header, responses, smtp)


UNSAFE_IN_HREF = re.compile(r"[\"'<>`\x00-\x1f\x7f]")
"""What would end the href it is written into verbatim, or hide a scheme from the check below."""
SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")


def _unsubscribe(doc: YamlMapping, value: Any) -> str:
    """The unsubscribe link, written into the email verbatim: a URL, or a mail service's
    placeholder that it replaces when it sends ({{ unsubscribe_url }}, *|UNSUB|*...)."""
    if not isinstance(value, str):
        message = "'email.unsubscribe' must be a text: a URL or your mail service's placeholder"
        raise doc.error_at(("email", "unsubscribe"), message)
    bad = UNSAFE_IN_HREF.search(value)
    if bad:
        message = f"'email.unsubscribe' cannot hold {bad.group()!r}: it is written into a link as is"
        raise doc.error_at(("email", "unsubscribe"), message)
    scheme = SCHEME.match(value)
    if scheme and scheme.group(1).lower() not in ("http", "https", "mailto"):
        message = f"'email.unsubscribe' must be an http(s) or mailto: address, or a placeholder, not {value!r}"
        raise doc.error_at(("email", "unsubscribe"), message)
    return value.strip()


def _smtp(doc: YamlMapping, value: Any) -> Smtp:
    if not isinstance(value, dict):
        raise doc.error_at(("email", "smtp"), "'email.smtp' must be a mapping, such as {host: smtp.example.com}")
    if "password" in value:
        message = "the SMTP password is read from SITEGEN_SMTP_PASSWORD, never from a file in the repository"
        raise doc.error_at(("email", "smtp", "password"), message, "remove it, and change it: it was in the repository")
    for name in value:
        if name not in SMTP_KEYS:
            hint = did_you_mean(str(name), SMTP_KEYS)
            raise doc.error_at(("email", "smtp", str(name)), f"unknown key 'email.smtp.{name}'", hint)
    section: dict[str, Any] = value
    host = fields.text(doc, "email", section.get("host"))
    port = section.get("port", 587)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise doc.error_at(("email", "smtp", "port"), f"'email.smtp.port' must be a port number, not {port!r}")
    user = section.get("user")
    starttls = fields.flag_value(doc, "email", section.get("starttls", True))
    return Smtp(host, port, None if user is None else fields.text(doc, "email", user), starttls)


# -- readers' responses ----------------------------------------------------------------------

RESPONSE_KEYS = ("name", "tagline", "date", "age", "text", "url")


@dataclass(frozen=True, slots=True)
class Response:
    """A reader's response, quoted under a post."""

    name: str
    text: str
    """Markdown: inline, or a few short paragraphs."""
    tagline: str | None = None
    date: date | None = None
    age: str | None = None
    """As written ("2 yrs", "2 年"): when the response came, in the words of where it came from."""
    url: str | None = None
    """The response where it was first written."""
    html: str = ""
    """The text rendered (by markup.parse)."""


def responses_of(doc: YamlMapping) -> tuple[Response, ...]:
    """A post's `responses:`, each entry checked like front matter.

    Raises:
        SiteError: at `responses` for a missing name or text, a wrong type, or an unknown key.
    """
    value = doc.data.get("responses")
    if value is None:
        return ()
    if not isinstance(value, list):
        raise doc.error("responses", "'responses' must be a list of {name: ..., text: ...}")
    return tuple(_response(doc, number, entry) for number, entry in enumerate(value, 1))


def _response(doc: YamlMapping, number: int, entry: Any) -> Response:
    where = f"response {number}"
    at = ("responses", number - 1)
    if not isinstance(entry, dict):
        raise doc.error_at(at, f"{where} must be a mapping such as {{name: Ana, text: Thank you}}")
    for name in entry:
        if name not in RESPONSE_KEYS:
            hint = did_you_mean(str(name), RESPONSE_KEYS)
            raise doc.error_at((*at, str(name)), f"unknown key '{name}' in {where}", hint)
    texts: dict[str, str | None] = {}
    for name in ("name", "text", "tagline", "age", "url"):
        found = entry.get(name)
        if found is not None and (isinstance(found, bool) or not isinstance(found, str | int | float)):
            raise doc.error_at((*at, name), f"the {name} of {where} must be text")
        texts[name] = str(found).strip() if found is not None and str(found).strip() else None
    for required in ("name", "text"):
        if texts[required] is None:
            raise doc.error_at(at, f"{where} needs a {required}:")
    when = entry.get("date")
    if when is not None and not isinstance(when, date):
        raise doc.error_at((*at, "date"), f"the date of {where} must be a date such as 2024-03-05, not {when!r}")
    url = texts["url"]
    if url is not None and not is_safe_url(url):
        message = f"the url of {where} must be an http, https or mailto address, or one within the site, not {url!r}"
        raise doc.error_at((*at, "url"), message)
    day = when.date() if isinstance(when, datetime) else when
    return Response(
        str(texts["name"]), str(texts["text"]), texts["tagline"], day, texts["age"], url,
    )
