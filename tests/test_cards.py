"""Link previews: a letter without a cover gets a 1200x630 card with its title, made at build
time, named in og:image with its size, and made again only when what it shows changes."""

from __future__ import annotations

import io
from collections.abc import Callable

from conftest import Run, Site, picture, post
from htmlpage import HtmlPage
from PIL import Image

CARD = "posts/second/social-card.jpg"


def _card(site: Site, dest: str = CARD) -> Image.Image:
    return Image.open(io.BytesIO((site.out / dest).read_bytes()))


def _near(pixel: object, colour: tuple[int, int, int]) -> bool:
    """Whether a pixel of a JPEG is `colour`, give or take its compression."""
    assert isinstance(pixel, tuple)
    return all(abs(a - b) <= 3 for a, b in zip(pixel, colour, strict=True))


def test_a_letter_without_a_cover_shares_a_card_of_its_own(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    card = _card(site)
    assert (card.format, card.size) == ("JPEG", (1200, 630))
    page = HtmlPage.load(site.out / "posts/second/index.html")
    assert page.attrs("//meta[@property='og:image']/@content") == [f"https://example.org/letters/{CARD}"]
    assert page.attrs("//meta[@name='twitter:image']/@content") == [f"https://example.org/letters/{CARD}"]
    sizes = [page.attrs(f"//meta[@property='og:image:{name}']/@content") for name in ("width", "height", "alt")]
    assert sizes == [["1200"], ["630"], ["Second post"]]
    assert page.attrs("//meta[@name='twitter:card']/@content") == ["summary_large_image"]


def test_the_card_changes_with_the_title_and_only_then(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    first, made = (site.out / CARD).read_bytes(), (site.out / CARD).stat().st_ino
    body = "Other words.\n\nMore.\n"
    site.write({"content/posts/second.md": post("Second post", "2025-02-10 09:30", body, author="ben")})
    site.build()
    assert (site.out / CARD).stat().st_ino == made  # not written again: it shows no word of the body
    site.write({"content/posts/second.md": post("A new title", "2025-02-10 09:30", body, author="ben")})
    site.build()
    assert (site.out / CARD).read_bytes() != first


def test_a_cover_or_a_title_the_face_cannot_draw_gets_no_card(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/second/index.md": post(
            "Second post", "2025-02-10 09:30", "Words.\n", author="ben", image="cover.jpg", image_alt='""'
        ),
        "content/posts/second/cover.jpg": picture(),
    })
    (site.root / "content/posts/second.md").unlink()
    site.build()
    assert not (site.out / CARD).exists()
    cover = HtmlPage.load(site.out / "posts/second/index.html")
    own = "https://example.org/letters/posts/second/cover.jpg"
    assert cover.attrs("//meta[@property='og:image']/@content") == [own]
    sizes = [cover.attrs(f"//meta[@property='og:image:{name}']/@content") for name in ("width", "height")]
    assert sizes == [["32"], ["24"]]  # the cover's own
    assert not (site.out / "posts/third/social-card.jpg").exists()  # its title has 世界: the face lacks it
    assert HtmlPage.load(site.out / "posts/third/index.html").attrs("//meta[@property='og:image']/@content") == []


def test_cards_can_be_turned_off(make_site: Callable[..., Site]) -> None:
    from conftest import SITE_YAML

    site = make_site()
    site.build()
    site.write({
        "site.yaml": SITE_YAML + "social_cards: false\nimage: /social.png\n", "static/social.png": picture(kind="PNG")
    })
    site.build()
    assert not (site.out / CARD).exists()  # and the card of the build before is gone
    page = HtmlPage.load(site.out / "posts/second/index.html")
    assert page.attrs("//meta[@property='og:image']/@content") == ["https://example.org/letters/social.png"]


def test_a_theme_restyles_the_card_in_its_colours(make_site: Callable[..., Site]) -> None:
    from conftest import SITE_YAML

    site = make_site()
    site.build()
    assert _near(_card(site).getpixel((600, 600)), (0xFB, 0xF9, 0xF5))  # the default paper
    site.write({
        "site.yaml": SITE_YAML + "theme: night\n",
        "themes/night/theme.yaml": "parent: default\ncard:\n  paper: '#102030'\n  accent: '#f0c000'\n",
    })
    site.build()
    card = _card(site)
    paper, stripe = card.getpixel((600, 600)), card.getpixel((5, 300))
    assert _near(paper, (0x10, 0x20, 0x30)) and _near(stripe, (0xF0, 0xC0, 0x00))


def test_a_card_colour_that_is_not_one_is_located(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    from conftest import SITE_YAML

    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: night\n",
        "themes/night/theme.yaml": "parent: default\ncard:\n  paper: navy\n",
    })
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (
        1, "themes/night/theme.yaml:3:3: card: paper must be a colour written #rrggbb or #rgb, not 'navy'\n"
    )
