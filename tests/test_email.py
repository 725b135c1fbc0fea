"""The email edition of every letter: email.html and email.txt beside its page, `sitegen email`,
the .eml it writes and the test letter it sends, as a mail client and a mail server see them."""

from __future__ import annotations

import email
import email.policy
import shutil
import socket
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from conftest import NOW, REPO, Run, Site, post
from playwright.sync_api import Browser

from sitegen.engine.builder import build
from sitegen.engine.options import BuildOptions

BASE = "https://example.github.io/human-connections/"
UNSUBSCRIBE = "{{ unsubscribe_url }}"
"""The example site's unsubscribe placeholder (Buttondown's)."""
VNU = REPO / "node_modules/vnu-jar/build/dist/vnu.jar"


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example newsletter, built."""
    out = tmp_path_factory.mktemp("example") / "output"
    build(BuildOptions(root=REPO, output=out, now=NOW, use_cache=False))
    return out


def editions(out: Path) -> list[Path]:
    found = sorted(out.glob("posts/*/email.html"))
    assert len(found) == len(list(out.glob("posts/*/index.html"))) > 5
    return found


def test_every_letter_has_an_email_edition_a_mail_client_can_show(example: Path) -> None:
    for path in editions(example):
        html = path.read_text(encoding="utf-8")
        tree = lxml.html.fromstring(html)
        page_url = BASE + path.parent.relative_to(example).as_posix() + "/"
        assert len(html.encode()) < 102_000, path
        assert not tree.xpath("//script | //form | //link[@rel='stylesheet'] | //iframe"), path
        # the one <style> left is dark mode's: the layout does not depend on it
        styles = tree.xpath("//style")
        assert len(styles) == 1 and "prefers-color-scheme: dark" in styles[0].text
        for tag in ("h1", "p", "a"):
            elements = tree.xpath(f"//{tag}")
            assert elements and all(e.get("style") for e in elements), (path, tag)
        assert tree.xpath("//meta[@name='robots']/@content") == ["noindex"]
        assert "max-width: 600px" in tree.xpath("//div[@class='letter']/@style")[0], "one column of 600 px"
        assert '<!--[if mso]><table role="presentation" width="600"' in html, "and for Outlook, which ignores max-width"
        for url in tree.xpath("//@href | //@src"):
            if url == UNSUBSCRIBE:
                continue
            parts = urlsplit(url)
            assert parts.scheme in ("https", "mailto"), (path, url)
            if parts.scheme == "https" and parts.netloc == "example.github.io":
                assert parts.path.startswith("/human-connections/"), (path, url)
        assert page_url in tree.xpath("//a/@href"), "a link to the letter on the web"
        assert f'href="{UNSUBSCRIBE}"' in html, "the placeholder, verbatim for the mail service"
        for image in tree.xpath("//img"):
            assert image.get("alt") is not None


def test_quotes_code_and_headings_keep_their_look_without_a_style_element(example: Path) -> None:
    tree = lxml.html.fromstring((example / "posts/the-best-connection-request-says-why/email.html").read_bytes())
    assert "border-left" in tree.xpath("//blockquote/@style")[0]
    assert "font-size" in tree.xpath("//h2/@style")[0]
    cross = lxml.html.fromstring((example / "posts/cross-posting-without-losing-yourself/email.html").read_bytes())
    assert "monospace" in cross.xpath("//pre/@style")[0]
    # the code's colours, one style per highlighted token
    assert any("color:" in s for s in cross.xpath("//pre//span/@style"))
    preheader = tree.xpath("//div[contains(@class, 'preheader')]")[0]
    assert "display: none" in preheader.get("style")
    assert preheader.text_content().startswith("Most connection requests arrive with no note at all.")


def test_the_plain_text_edition_is_readable(example: Path) -> None:
    text = (example / "posts/the-best-connection-request-says-why/email.txt").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "Human Connections · 5 March 2024"
    assert lines[2:4] == ["The Best Connection Request Says Why", "=" * 36]
    assert f"Read it on the web: {BASE}posts/the-best-connection-request-says-why/" in lines
    assert "What an empty request asks of the other person" in lines
    long_lines = [line for line in lines if len(line) > 72 and " " in line.strip() and "://" not in line]
    assert long_lines == []
    # the image is its alt text, its address a numbered reference at the end
    assert "[Image: A writing desk by a window: an open laptop, a notebook, a mug of" in lines
    reference = next(line for line in lines if line.startswith("coffee and a small plant] ["))
    number = reference.split("[")[-1].rstrip("]")
    assert f"[{number}] {BASE}posts/the-best-connection-request-says-why/desk.jpg" in lines
    assert "Unsubscribe: {{ unsubscribe_url }}" in lines
    assert "Responses" not in text  # not in the email edition unless email: {responses: true}


def test_email_editions_are_not_in_the_sitemap_the_feeds_or_the_lists(example: Path) -> None:
    for name in ("sitemap.xml", "feed.xml", "atom.xml", "feed.json", "index.html", "archive/index.html"):
        assert "email.html" not in (example / name).read_text(encoding="utf-8"), name
        assert "email.txt" not in (example / name).read_text(encoding="utf-8"), name


def test_every_email_edition_is_valid_html(example: Path) -> None:
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "gnu", *map(str, editions(example))],
        capture_output=True,
        text=True,
        check=False,
    )
    # Outlook's own property that hides the preheader is the one thing the checker does not know
    # nor the placeholder of the unsubscribe link, which the mail service replaces as it sends
    errors = [line for line in result.stderr.splitlines() if "mso-hide" not in line and UNSUBSCRIBE not in line]
    assert errors == []


@pytest.mark.parametrize("width", [600, 375])
def test_the_email_fits_a_phone_and_a_desktop_client_without_scrolling_sideways(
    example: Path, browser: Browser, width: int, tmp_path: Path
) -> None:
    for path in editions(example):
        page = browser.new_page(viewport={"width": width, "height": 800})
        page.goto(path.as_uri())
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        assert scroll <= client, (path, width)
        column = page.evaluate("document.querySelector('.letter').getBoundingClientRect().width")
        assert column <= min(600, width)
        page.screenshot(path=str(tmp_path / f"{path.parent.name}-{width}.png"))
        page.close()


# -- sitegen email ------------------------------------------------------------------------


@pytest.fixture
def letters(tmp_path: Path) -> Path:
    """A copy of the example newsletter (its own cache and output, not the repository's)."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "content", site / "content")
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    return site


def test_sitegen_email_builds_and_prints_the_editions(letters: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli(letters, "email", "keep-in-touch")
    assert result.status == 0, result.err
    folder = letters / "output/posts/keep-in-touch"
    assert result.out.splitlines() == [str(Path("output/posts/keep-in-touch/email.html")),
                                       str(Path("output/posts/keep-in-touch/email.txt"))]
    text = run_cli(letters, "email", "keep-in-touch", "--stdout", "text")
    assert text.out == (folder / "email.txt").read_text(encoding="utf-8")
    html = run_cli(letters, "email", "keep-in-touch", "--stdout", "html")
    assert html.out == (folder / "email.html").read_text(encoding="utf-8")


def test_sitegen_email_names_the_nearest_slug(letters: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli(letters, "email", "keep-in-toch")
    assert (result.status, result.err) == (
        1, "error: no post with the slug 'keep-in-toch' (did you mean 'keep-in-touch'?)\n"
    )
    draft = run_cli(letters, "email", "twelve-small-letters")
    assert draft.err == (
        "error: no post with the slug 'twelve-small-letters' (a draft or a scheduled post? add --drafts)\n"
    )
    assert run_cli(letters, "email", "twelve-small-letters", "--drafts").status == 0


def test_the_eml_is_a_ready_to_send_message(letters: Path, run_cli: Callable[..., Run], tmp_path: Path) -> None:
    (letters / "site.yaml").write_text(
        (letters / "site.yaml").read_text() + "  list_unsubscribe: mailto:leave@example.com\n", encoding="utf-8"
    )
    eml = tmp_path / "letter.eml"
    result = run_cli(letters, "email", "keep-in-touch", "--eml", str(eml))
    assert result.status == 0, result.err
    assert result.out.startswith(f"wrote {eml} (")
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "“Keep in touch” — 連絡を取り合う"
    assert message["From"] == "Ana Moreau <letters@example.com>"
    assert message["List-Unsubscribe"] == "<mailto:leave@example.com>"
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()  # type: ignore[attr-defined]
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content_charset() == html.get_content_charset() == "utf-8"
    folder = letters / "output/posts/keep-in-touch"
    assert text.get_content() == (folder / "email.txt").read_text(encoding="utf-8")
    assert html.get_content() == (folder / "email.html").read_text(encoding="utf-8")
    assert max(len(line) for line in eml.read_bytes().splitlines()) <= 998  # what mail servers accept


class Inbox:
    """What a local SMTP server received."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, envelope.content))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def smtp_server() -> Iterator[tuple[int, Inbox]]:
    """A real SMTP server on 127.0.0.1, on a free port."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:  # a free port (the controller checks it is up by connecting)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_a_test_letter_goes_through_the_sites_smtp_server(
    letters: Path, run_cli: Callable[..., Run], smtp_server: tuple[int, Inbox]
) -> None:
    port, inbox = smtp_server
    config = (letters / "site.yaml").read_text()
    (letters / "site.yaml").write_text(
        config + f"  smtp: {{host: 127.0.0.1, port: {port}, starttls: false}}\n", encoding="utf-8"
    )
    result = run_cli(letters, "email", "keep-in-touch", "--send-test", "me@example.net")
    assert result.status == 0, result.err
    title = "\u2018Keep in touch\u2019 — 連絡を取り合う"  # its own quotes made single, within the message's
    assert result.out == f"sent “{title}” to me@example.net through 127.0.0.1:{port}\n"
    [(sender, recipients, data)] = inbox.messages
    assert (sender, recipients) == ("letters@example.com", ["me@example.net"])
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert message["To"] == "me@example.net"
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]  # type: ignore[attr-defined]


def test_a_test_letter_needs_the_password_from_the_environment(
    letters: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SITEGEN_SMTP_PASSWORD", raising=False)
    config = (letters / "site.yaml").read_text()
    (letters / "site.yaml").write_text(config + "  smtp: {host: 127.0.0.1, user: ana}\n", encoding="utf-8")
    result = run_cli(letters, "email", "keep-in-touch", "--send-test", "me@example.net")
    assert (result.status, result.err) == (1, "error: set SITEGEN_SMTP_PASSWORD to the password of ana at 127.0.0.1\n")
    (letters / "site.yaml").write_text(config + "  smtp: {host: 127.0.0.1, password: hunter2}\n", encoding="utf-8")
    in_file = run_cli(letters, "email", "keep-in-touch", "--send-test", "me@example.net")
    line = next(n for n, text in enumerate([*config.splitlines(), "x"], 1) if text == "x")
    assert in_file.err == (
        f"site.yaml:{line}:27: the SMTP password is read from SITEGEN_SMTP_PASSWORD, never from a file in the "
        "repository (remove it, and change it: it was in the repository)\n"
    )


# -- settings, the theme, the cache -----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("'x\" onmouseover=\"alert(1)'", "'email.unsubscribe' cannot hold '\"': it is written into a link as is"),
        ("javascript:alert(1)", "'email.unsubscribe' must be an http(s) or mailto: address, or a placeholder, "
         "not 'javascript:alert(1)'"),
        ("[1, 2]", "'email.unsubscribe' must be a text: a URL or your mail service's placeholder"),
    ],
)
def test_an_unsubscribe_link_that_would_break_the_email_is_refused(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], value: str, message: str
) -> None:
    site = make_site()
    config = (site.root / "site.yaml").read_text()
    site.write({"site.yaml": config + f"email:\n  unsubscribe: {value}\n"})
    result = run_cli(site.root, "build")
    line = len(config.splitlines()) + 2
    assert (result.status, result.err) == (1, f"site.yaml:{line}:3: {message}\n")


def test_responses_go_in_the_email_only_when_asked(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/posts/first.md": post(
        "First post", "2024-01-05", "The *first* words.\n",
        responses="[{name: Priya, text: Thank you for *this*., age: 2 yrs}]",
    )})
    site.build()
    assert "Priya" not in site.read("posts/first/email.html")
    site.write({"site.yaml": (site.root / "site.yaml").read_text() + "email: {responses: true}\n"})
    site.build()
    html = lxml.html.fromstring(site.read("posts/first/email.html"))
    assert "Responses (1)" in html.text_content()
    assert "Thank you for this." in html.text_content()
    assert "> Thank you for *this*.\n  Priya · 2 yrs" in site.read("posts/first/email.txt")


def test_a_long_letter_is_warned_of_before_gmail_clips_it(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    paragraph = "A sentence that goes on for a while, as long letters do. " * 20 + "\n\n"
    site.write({"content/posts/long.md": post("Long", "2025-05-05", paragraph * 120)})
    result = run_cli(site.root, "build", "-q")
    size = (site.out / "posts/long/email.html").stat().st_size
    assert size > 102_000
    assert result.err == (
        f"warning: content/posts/long.md:1:1: its email edition is {size / 1000:.0f} KB: Gmail clips messages over "
        "102 KB (shorten the letter, or send fewer or smaller images and code blocks in it)\n"
    )
    again = run_cli(site.root, "build", "-q")  # nothing rebuilt: still said
    assert again.err == result.err


def test_a_theme_restyles_the_email_and_an_older_theme_still_gets_one(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = make_site()
    packaged = REPO / "src/sitegen/themes/default"
    shutil.copytree(packaged, site.root / "themes/old", ignore=shutil.ignore_patterns("*email*"))
    site.write({"site.yaml": (site.root / "site.yaml").read_text() + "theme: old\n"})
    site.build()
    assert "Read it on the web" in site.read("posts/first/email.html")  # sitegen's own, for a theme without
    site.write({"themes/old/templates/email.txt": "{{ post.title }} for {{ site.title }}\n"})
    report = site.build()
    assert site.read("posts/first/email.txt") == "First post for Letters & Notes"
    assert set(report.changed_paths) == {f"posts/{slug}/email.txt" for slug in ("first", "second", "third")}


def test_the_email_editions_follow_an_edit_of_the_site_settings_they_show(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    site.write({"site.yaml": (site.root / "site.yaml").read_text() + "email: {unsubscribe: '*|UNSUB|*'}\n"})
    site.build()
    assert 'href="*|UNSUB|*"' in site.read("posts/first/email.html")
    assert "Unsubscribe: *|UNSUB|*" in site.read("posts/first/email.txt")


def test_the_code_colours_of_the_email_are_pygments_own() -> None:
    from sitegen.markup.markdown import email_code_css

    shipped = (REPO / "src/sitegen/themes/default/templates/_email_code.css").read_text(encoding="utf-8")
    assert shipped == email_code_css(), (
        "regenerate: python -c \"from sitegen.markup.markdown import email_code_css; print(email_code_css(), end='')\""
        " > src/sitegen/themes/default/templates/_email_code.css"
    )
