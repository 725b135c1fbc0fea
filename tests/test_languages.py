"""Other languages: the theme's words and dates in the site's language (en, fr, de, es, ja and
zh ship with it), changed in site.yaml or by a site's theme, and right-to-left languages laid
out from the right."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml
from conftest import NOW, REPO, SITE_YAML, Run, Site
from htmlpage import HtmlPage

from sitegen.engine.builder import build
from sitegen.engine.options import BuildOptions
from sitegen.render.theme import PACKAGED_THEMES

WORDS = PACKAGED_THEMES / "default/i18n"
LANGUAGES = ("fr", "de", "es", "ja", "zh")


def _english_fragments() -> set[str]:
    """The runs of words of the English strings between their placeholders (three words or more:
    shorter ones, "Search" or "RSS feed", are names as often as words)."""
    found = set()
    for text in yaml.safe_load((WORDS / "en.yaml").read_text()).values():
        for form in [text] if isinstance(text, str) else text.values():
            for piece in re.split(r"\{\w+\}", form):
                piece = piece.strip(" .,:;()\u201c\u201d\u2019")
                if len(piece.split()) >= 3:
                    found.add(piece)
    return found


def _built(tmp: Path, language: str) -> Path:
    site = tmp / f"site-{language}"
    shutil.copytree(REPO / "content", site / "content")
    settings = (REPO / "site.yaml").read_text().replace("language: en", f"language: {language}")
    (site / "site.yaml").write_text(settings.replace("search: true", "search: false"))  # not what this is about
    out = tmp / f"out-{language}"
    build(BuildOptions(root=site, output=out, now=NOW, base_url="https://example.org/"))
    return out


def _interface_text(out: Path) -> str:
    """Every page of the example, email editions too, as one text."""
    return "\n".join(p.read_text() for p in sorted(out.rglob("*")) if p.suffix in (".html", ".txt"))


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, set[str]]]:
    tmp = tmp_path_factory.mktemp("languages")
    out = _built(tmp, "en")
    content = "\n".join(p.read_text() for p in (REPO / "content").rglob("*.md")) + (REPO / "site.yaml").read_text()
    shown = _interface_text(out)
    # the strings the example shows in English, and that its own letters do not also say
    yield tmp, {f for f in _english_fragments() if f in shown and f not in content}


@pytest.mark.parametrize("language", ["fr", "ja"])
def test_the_example_in_french_and_japanese_keeps_no_english_word_of_the_theme(
    english: tuple[Path, set[str]], language: str
) -> None:
    tmp, fragments = english
    assert len(fragments) > 40  # the check checks something
    text = _interface_text(_built(tmp, language))
    assert sorted(f for f in fragments if f in text) == []
    home = HtmlPage.load(tmp / f"out-{language}/index.html")
    assert home.attrs("/html/@lang") == [language]


def test_every_language_has_every_word_with_its_placeholders() -> None:
    english = yaml.safe_load((WORDS / "en.yaml").read_text())
    names = re.compile(r"\{(\w+)\}")
    for language in LANGUAGES:
        words = yaml.safe_load((WORDS / f"{language}.yaml").read_text())
        assert list(words) == list(english), language
        for key, text in english.items():
            ours = words[key]
            wanted = {n for form in ([text] if isinstance(text, str) else text.values()) for n in names.findall(form)}
            for form in [ours] if isinstance(ours, str) else ours.values():
                assert set(names.findall(form)) == wanted, (language, key, form)


def test_dates_are_written_as_the_language_writes_them(make_site: Callable[..., Site]) -> None:
    site = make_site()
    for language, written in (("fr", "10 février 2025"), ("de", "10. Februar 2025"), ("ja", "2025年2月10日")):
        site.write({"site.yaml": SITE_YAML + f"language: {language}\n"})
        site.build()
        page = HtmlPage.load(site.out / "posts/second/index.html")
        assert page.text("//header//time") == written


def test_a_right_to_left_language_is_laid_out_from_the_right(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "language: ar\n"})
    site.build()
    page = HtmlPage.load(site.out / "index.html")
    assert (page.attrs("/html/@lang"), page.attrs("/html/@dir")) == (["ar"], ["rtl"])
    css = "".join(path.read_text() for path in site.out.glob("*.css"))  # every part of the stylesheet
    assert "lists.css" in [path.name for path in site.out.glob("*.css")]
    assert "margin-left" not in css and "padding-left" not in css and "border-left" not in css


def test_site_yaml_and_a_site_s_theme_change_the_words(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + (
            "language: fr\ntheme: mine\n"
            "strings:\n  archive: Toutes les lettres\n  letters_count: {one: 'une lettre', other: '{count} lettres'}\n"
        ),
        "themes/mine/theme.yaml": "parent: default\n",
        "themes/mine/i18n/fr.yaml": "topics: Thèmes\n",
    })
    site.build()
    home = HtmlPage.load(site.out / "index.html")
    assert home.texts("//nav[@class='site-nav']//a")[:2] == ["Toutes les lettres", "Thèmes"]
    archive = HtmlPage.load(site.out / "archive/index.html")
    assert "une lettre" in archive.texts("//*[@class='archive-year__count']")


def test_a_word_no_theme_has_is_a_located_error(make_site: Callable[..., Site], run_cli: Callable[..., Run]) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + "strings:\n  arhive: Letters\n"})
    result = run_cli(site.root, "build")
    expected = "site.yaml:8:3: strings: unknown string 'arhive' (did you mean 'archive'?)\n"
    assert (result.status, result.err) == (1, expected)


def test_a_site_s_words_reach_nothing_but_the_values_given(make_site: Callable[..., Site]) -> None:
    """str.format would follow {authors.striptags.__globals__[...]} out of the template sandbox,
    to the build machine's environment: the words are filled by name alone."""
    site = make_site()
    leak = "{authors.striptags.__globals__[t].sys.modules[os].environ} {authors}"
    site.write({"site.yaml": SITE_YAML + f'strings:\n  letters_by: "{leak}"\n'})
    site.build()
    shown = HtmlPage.load(site.out / "index.html").text("//p[@class='intro__authors']")
    assert shown == "{authors.striptags.__globals__[t].sys.modules[os].environ} Ana Example and Ben Okafor"


@pytest.mark.parametrize("language", ["/etc/passwd", "../../secrets", "en_US"])
def test_a_language_is_a_tag_never_a_path(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], language: str
) -> None:
    site = make_site()
    site.write({"site.yaml": SITE_YAML + f"language: {language}\n"})
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (
        1, f"site.yaml:7:1: 'language' must be a language tag such as en, fr or pt-BR, not {language!r}\n"
    )
