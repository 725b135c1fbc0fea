"""`sitegen email SLUG`: a letter's email edition, as files, on stdout, as a .eml message, or sent
to one address as a test. sitegen keeps no subscriber list: sending to readers is the mail
service's job (see the README's "Send a letter by email")."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine import options as engine
from ..engine.builder import Builder
from ..engine.options import BuildOptions
from ..errors import SiteError, did_you_mean
from ..model.connect import quoted_within
from ..model.site import Post, Site
from ..output.files import dest_for_url
from ..source.newsletter import Smtp
from .show import say, say_result, show_notices, show_warnings
from .site import Commands, add_command, add_site_arguments, add_trust_argument

if TYPE_CHECKING:
    from email.message import EmailMessage

# The email package, smtplib and ssl are imported by the command that uses them: every `sitegen
# build` would otherwise pay for them at start.

PASSWORD_VARIABLE = "SITEGEN_SMTP_PASSWORD"
SMTP_TIMEOUT = 30.0
"""Seconds to wait for the mail server at each step."""


def add_email_command(commands: Commands) -> None:
    """Add `email` to the command line."""
    m = add_command(commands, "email", "a letter's email edition: its files, a .eml, or a test send", """
sitegen email reaching-out                    # the paths of its email.html and email.txt
sitegen email reaching-out --stdout text      # the plain-text edition
sitegen email reaching-out --eml letter.eml   # a message to open in a mail client, or: sendmail -t < letter.eml
SITEGEN_SMTP_PASSWORD=... sitegen email reaching-out --send-test me@example.com
""")
    m.add_argument("slug", help="the post's slug (the last part of its address)")
    add_site_arguments(m)
    m.add_argument("--output", "-o", type=Path, metavar="DIR", help="the output folder, if not SITE/output/")
    m.add_argument("--drafts", "-D", action="store_true", help="include drafts (builds them, like build --drafts)")
    add_trust_argument(m)
    show = m.add_mutually_exclusive_group()
    show.add_argument("--stdout", choices=("html", "text"), help="print the HTML or the plain-text edition")
    show.add_argument("--eml", type=Path, metavar="FILE", help="write a ready-to-send message (RFC 5322) to FILE")
    show.add_argument("--send-test", metavar="ADDRESS", help="send it to ADDRESS through site.yaml's email: smtp:")
    m.set_defaults(func=_email)


def _email(args: argparse.Namespace) -> int:
    options = BuildOptions(
        root=args.path, output=args.output, config=args.config, drafts=args.drafts, trust_plugins=args.trust_plugins
    )
    report, site = Builder(options).build_site()
    show_notices(report.notices)
    show_warnings(report.warnings, args.path)
    post = find_letter(site, args.slug, args.drafts)
    html_path = options.out_dir / dest_for_url(post.url + "email.html")
    text_path = options.out_dir / dest_for_url(post.url + "email.txt")
    if args.stdout:
        sys.stdout.write((html_path if args.stdout == "html" else text_path).read_text(encoding="utf-8"))
        return 0
    if not (args.eml or args.send_test):
        say_result(str(html_path))
        say_result(str(text_path))
        return 0
    from ..render.message import letter_message

    settings = site.config.email
    html, text = html_path.read_text(encoding="utf-8"), text_path.read_text(encoding="utf-8")
    message = letter_message(post, settings, html, text, engine.default_now())
    if args.eml:
        data = message.as_bytes()
        args.eml.write_bytes(data)
        say(f"wrote {args.eml} ({len(data) / 1000:.0f} KB): open it in a mail client, or send it with sendmail -t")
        return 0
    if settings.smtp is None:
        hint = "add email: {smtp: {host: smtp.example.com, user: you}}"
        raise SiteError("--send-test needs a mail server", "site.yaml", hint=hint)
    message["To"] = args.send_test
    send(message, settings.smtp)
    say(f"sent “{quoted_within(post.title)}” to {args.send_test} through {settings.smtp.host}:{settings.smtp.port}")
    return 0


def find_letter(site: Site, slug: str, drafts: bool) -> Post:
    """The post of `site` whose slug is `slug`.

    Raises:
        SiteError: naming the nearest slug when there is none.
    """
    found = next((post for post in site.posts if post.slug == slug), None)
    if found is not None:
        return found
    slugs = [post.slug for post in site.posts]
    hint = did_you_mean(slug, slugs)
    if hint is None and not drafts:
        hint = "a draft or a scheduled post? add --drafts"
    raise SiteError(f"no post with the slug {slug!r}", hint=hint)


def send(message: EmailMessage, smtp: Smtp) -> None:
    """Send `message` through `smtp`, signing in when it names a user.

    Raises:
        SiteError: when the password is not in the environment, or the server refuses.
    """
    import smtplib
    import ssl

    password = os.environ.get(PASSWORD_VARIABLE)
    if smtp.user and not password:
        raise SiteError(f"set {PASSWORD_VARIABLE} to the password of {smtp.user} at {smtp.host}")
    context = ssl.create_default_context()
    try:
        if smtp.port == 465:  # TLS from the start (the others upgrade with STARTTLS)
            server: smtplib.SMTP = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=SMTP_TIMEOUT, context=context)
        else:
            server = smtplib.SMTP(smtp.host, smtp.port, timeout=SMTP_TIMEOUT)
        with server:
            if smtp.starttls and smtp.port != 465:
                server.starttls(context=context)
            if smtp.user and password:
                server.login(smtp.user, password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise SiteError(f"could not send through {smtp.host}:{smtp.port}: {exc}") from None
