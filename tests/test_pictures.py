"""Images: every <img> of a post gets its width and height (nothing moves as it loads), lazy
loading below the first screen, and, when wider than the text, smaller WebP copies in a srcset,
made once and kept; covers show at their real shape; unreadable and heavy images are named."""

from __future__ import annotations

import io
from collections.abc import Callable

from conftest import SITE_YAML, Site, picture, post
from htmlpage import HtmlPage
from PIL import Image

from sitegen.engine.options import Route

WIDE = picture(2000, 1000)
SMALL = picture(300, 200, "PNG")


def _photo_site(make_site: Callable[..., Site], yaml: str = "") -> Site:
    site = make_site()
    body = "![A wide harbour](harbour.jpg)\n\nWords between.\n\n![A small boat](/images/boat.png)\n"
    site.write({
        "site.yaml": SITE_YAML + yaml,
        "content/posts/photos/index.md": post("Photos", "2025-03-01", body),
        "content/posts/photos/harbour.jpg": WIDE,
        "static/images/boat.png": SMALL,
    })
    return site


def _page(site: Site) -> HtmlPage:
    return HtmlPage.load(site.out / "posts/photos/index.html")


def test_images_get_their_size_and_load_lazily_below_the_first(make_site: Callable[..., Site]) -> None:
    site = _photo_site(make_site)
    assert site.build().warnings == ()
    page = _page(site)
    sizes = [page.attrs(f"//div[@class='prose']//img/@{name}") for name in ("src", "width", "height", "loading")]
    assert sizes == [["harbour.jpg", "/letters/images/boat.png"], ["2000", "300"], ["1000", "200"], ["lazy"]]
    assert page.attrs("//img[@src='/letters/images/boat.png']/@decoding") == ["async"]


def test_a_wide_image_is_offered_as_smaller_webp_copies(make_site: Callable[..., Site]) -> None:
    site = _photo_site(make_site)
    site.build()
    page = _page(site)
    srcset = page.attrs("//picture/source[@type='image/webp']/@srcset")
    assert srcset == ["harbour-jpg-640w.webp 640w, harbour-jpg-960w.webp 960w, harbour-jpg-1280w.webp 1280w"]
    assert page.attrs("//picture//img/@src") == ["harbour.jpg"]  # the original, for any browser
    for width in (640, 960, 1280):
        copy = Image.open(io.BytesIO((site.out / f"posts/photos/harbour-jpg-{width}w.webp").read_bytes()))
        assert (copy.format, copy.size) == ("WEBP", (width, width // 2))
    assert not list(site.out.glob("images/boat*.webp"))  # no wider than the text: shown as it is
    site.write({"site.yaml": SITE_YAML + "images: {copies: false}\n"})
    site.build()
    assert _page(site).attrs("//picture") == [] and not list(site.out.glob("posts/photos/*.webp"))


def test_a_rebuild_makes_no_copy_again_until_the_image_changes(make_site: Callable[..., Site]) -> None:
    site = _photo_site(make_site)
    site.build()
    copy = site.out / "posts/photos/harbour-jpg-640w.webp"
    made = copy.stat().st_ino
    site.write({"content/posts/photos/index.md": post("Photos", "2025-03-01", "![A wide harbour](harbour.jpg)\n")})
    site.build()
    assert copy.stat().st_ino == made
    site.write({"content/posts/photos/harbour.jpg": picture(1600, 1200, colour="#aa3311")})
    site.build()
    assert Image.open(io.BytesIO(copy.read_bytes())).size == (640, 480)
    assert _page(site).attrs("//div[@class='prose']//img/@height") == ["1200"]
    assert (site.out / "posts/photos/harbour-jpg-1280w.webp").exists()


def test_editing_the_text_keeps_the_sizes_on_the_quick_route(make_site: Callable[..., Site]) -> None:
    site = _photo_site(make_site)
    site.build()
    body = "![A wide harbour](harbour.jpg)\n\nOther words between.\n\n![A small boat](/images/boat.png)\n"
    site.write({"content/posts/photos/index.md": post("Photos", "2025-03-01", body)})
    report = site.build()
    assert report.route is Route.TEXT_EDIT
    page = _page(site)
    assert page.attrs("//div[@class='prose']//img/@width") == ["2000", "300"]
    assert "Other words between." in page.text()


def test_a_cover_shows_at_its_own_shape(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "content/posts/tall/index.md": post("Tall", "2026-05-01", "Words.\n", image="cover.png", image_alt='"A tower"'),
        "content/posts/tall/cover.png": picture(600, 900, "PNG"),
    })
    site.build()
    post_page = HtmlPage.load(site.out / "posts/tall/index.html")
    assert [post_page.attrs(f"//figure[@class='post-cover']//img/@{n}") for n in ("width", "height")] == [
        ["600"], ["900"]
    ]
    home = HtmlPage.load(site.out / "index.html")
    assert home.attrs("//article[@class='featured']//img/@height") == ["900"]
    assert [post_page.attrs(f"//meta[@property='og:image:{n}']/@content") for n in ("width", "height", "alt")] == [
        ["600"], ["900"], ["A tower"]
    ]


def test_an_image_that_cannot_be_read_or_is_heavy_is_named(make_site: Callable[..., Site]) -> None:
    site = _photo_site(make_site, "images: {warn_over_kb: 5}\n")
    site.write({"static/images/boat.png": b"\x89PNG not really"})
    heavy = len(WIDE) / 1000
    warnings = [str(w) for w in site.build().warnings]
    assert warnings == [
        f"content/posts/photos/harbour.jpg: this image is {heavy:,.0f} KB, over images.warn_over_kb (5 KB): "
        "readers on a phone wait for it (save it smaller (2,000 pixels wide is plenty), or raise images: "
        "{warn_over_kb: ...} in site.yaml)",
        "static/images/boat.png: this is not an image browsers can show (or it is over 50 million pixels) "
        "(export it again as JPEG, PNG or WebP)",
    ]
    assert _page(site).attrs("//img[@src='/letters/images/boat.png']/@width") == []


def test_odd_file_names_turned_photos_and_moving_pictures_are_shown_right(make_site: Callable[..., Site]) -> None:
    turned = Image.new("RGB", (400, 300), "#336699")
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the phone held upright: shown 300 wide and 400 tall
    out = io.BytesIO()
    turned.save(out, format="JPEG", exif=exif)
    frames = [Image.new("RGB", (800, 400), colour) for colour in ("#aa0000", "#00aa00")]
    moving = io.BytesIO()
    frames[0].save(moving, format="WEBP", save_all=True, append_images=frames[1:], duration=200)
    site = make_site()
    body = "![A wide harbour](my%20photo.jpg)\n\nText.\n\n![Upright](turned.jpg)\n\nMore.\n\n![Moving](moving.webp)\n"
    site.write({
        "content/posts/photos/index.md": post("Photos", "2025-03-01", body),
        "content/posts/photos/my photo.jpg": WIDE,
        "content/posts/photos/turned.jpg": out.getvalue(),
        "content/posts/photos/moving.webp": moving.getvalue(),
    })
    site.build()
    page = _page(site)
    srcset = page.attrs("//picture/source/@srcset")[0]
    assert srcset.startswith("my%20photo-jpg-640w.webp 640w, ")  # a name a browser reads as one URL
    assert (site.out / "posts/photos/my photo-jpg-640w.webp").is_file()
    assert [page.attrs(f"//img[@src='turned.jpg']/@{n}") for n in ("width", "height")] == [["300"], ["400"]]
    assert page.attrs("//img[@src='moving.webp']/@width") == ["800"]
    assert page.attrs("//img[@src='moving.webp']/ancestor::picture") == []  # a still copy would not move


def test_a_bio_s_images_are_sized_and_kept_current(make_site: Callable[..., Site]) -> None:
    from conftest import AUTHOR_ANA

    site = make_site()
    site.write({
        "content/authors/ana.md": AUTHOR_ANA + "\n![Ana at her desk](/images/desk.jpg)\n",
        "static/images/desk.jpg": picture(1200, 600),
    })
    site.build()
    author = HtmlPage.load(site.out / "authors/ana/index.html")
    assert author.attrs("//div[contains(@class, 'author-bio')]//img/@height") == ["600"]
    site.write({"static/images/desk.jpg": picture(900, 900)})
    site.build()
    author = HtmlPage.load(site.out / "authors/ana/index.html")
    assert author.attrs("//div[contains(@class, 'author-bio')]//img/@height") == ["900"]
    srcset = author.attrs("//div[contains(@class, 'author-bio')]//source/@srcset")[0]
    assert all((site.out / "images" / part.split()[0].rsplit("/", 1)[-1]).is_file() for part in srcset.split(", "))
