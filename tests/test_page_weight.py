"""What a reader downloads: every kind of page of the example stays within 40 KB of HTML, CSS and
JS for a 1,500-word letter, and a page links only the stylesheets its text needs."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import pytest
from conftest import SITE_YAML, Site

REPOSITORY = Path(__file__).resolve().parent.parent
BUDGET = 40 * 1024


def _page_weight() -> ModuleType:
    """bench/page_weight.py, the script that prints the same figures for the README."""
    spec = importlib.util.spec_from_file_location("page_weight", REPOSITORY / "bench" / "page_weight.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["page_weight"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    weight = _page_weight()
    return weight, weight.build_example(tmp_path_factory.mktemp("weight"))


def test_every_kind_of_page_is_within_40_kb(built: tuple[ModuleType, Path]) -> None:
    weight, output = built
    rows = weight.weights(output)
    assert {row.page for row in rows} >= {"home", "post (1,500 words, text only)", "author", "archive", "search"}
    over = {row.page: f"{row.total / 1024:.1f} KB" for row in rows if row.total > BUDGET}
    assert over == {}


def stylesheets(output: Path, page: str) -> list[str]:
    html = (output / page).read_text(encoding="utf-8")
    return [link.split("?")[0].rsplit("/", 1)[1] for link in _page_weight().LINKED.findall(html) if ".css" in link]


def test_a_page_links_only_the_stylesheets_its_text_needs(built: tuple[ModuleType, Path]) -> None:
    weight, output = built
    assert stylesheets(output, f"posts/{weight.LONG_LETTER}/index.html") == ["style.css", "letter.css"]
    # a letter with code gets the code's colours; one with callouts and figures the rarer blocks' rules
    with_code = stylesheets(output, "posts/the-reply-button-is-the-point/index.html")
    assert with_code == ["style.css", "letter.css", "extras.css", "pygments.css"]
    assert stylesheets(output, "posts/a-writing-habit-for-busy-weeks/index.html") == [
        "style.css", "letter.css", "extras.css"
    ]
    assert stylesheets(output, "index.html") == ["style.css", "lists.css"]
    assert stylesheets(output, "authors/ana/index.html") == ["style.css", "lists.css", "letter.css"]


def test_stylesheets_and_scripts_are_published_minified(built: tuple[ModuleType, Path]) -> None:
    _, output = built
    theme = REPOSITORY / "src" / "sitegen" / "themes" / "default" / "static"
    for name in ("style.css", "letter.css", "connect.js"):
        published = (output / name).read_text(encoding="utf-8")
        assert "/*" not in published and "\n  " not in published
        assert len(published) < 0.85 * len((theme / name).read_text(encoding="utf-8"))


def test_a_child_theme_with_a_stylesheet_of_its_own_keeps_its_whole_style(make_site: Callable[..., Site]) -> None:
    """A child theme that replaced style.css alone (as before the stylesheet came in parts) gets
    none of the default theme's parts on top of it; its scripts are published minified unless
    minifying could change them."""
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: mine\n",
        "themes/mine/theme.yaml": "parent: default\n",
        "themes/mine/static/style.css": "/* mine */\nbody {\n  color: #123456;\n}\n",
        "themes/mine/static/app.js": "// hello\nvar greeting = 'Hello';\n",
        "themes/mine/static/templated.js": "const say = (who) => `Hello,   ${who}`;\n",
        "themes/mine/static/vendor.min.js": "var  kept = 1;\n",
    })
    site.build()
    assert stylesheets(site.out, "posts/first/index.html") == ["style.css"]
    assert stylesheets(site.out, "index.html") == ["style.css"]
    assert (site.out / "style.css").read_text() == "body{color:#123456}"
    assert (site.out / "app.js").read_text() == "var greeting='Hello';"
    # rjsmin would take the spaces out of the template literal
    assert (site.out / "templated.js").read_text() == "const say = (who) => `Hello,   ${who}`;\n"
    assert (site.out / "vendor.min.js").read_text() == "var  kept = 1;\n"
