"""From nothing to a published site: `sitegen init`, `sitegen new`, `theme eject`, the GitHub Pages
workflow, and every URL right at the root of a domain and under a project-pages base path."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import feedparser
import pytest
from conftest import REPO, Run
from htmlpage import HtmlPage

from sitegen.check.links import OutputIndex, check_output
from sitegen.errors import SiteError
from sitegen.render.meta import hosting_files
from sitegen.render.theme import PACKAGED_THEMES
from sitegen.source.config import load_config

WORKFLOWS = {
    "example repository": REPO / ".github/workflows/pages.yml",
    "sitegen init": REPO / "src/sitegen/starter/github/workflows/pages.yml",
}
RELEASE = REPO / ".github/workflows/release.yml"
STARTER_FILES = [
    ".github/workflows/pages.yml",
    ".gitignore",
    "content/authors/ana-example.md",
    "content/pages/about.md",
    "content/posts/welcome.md",
    "requirements.txt",
    "site.yaml",
]


@pytest.fixture(autouse=True)
def toronto(monkeypatch: pytest.MonkeyPatch) -> None:
    """init writes the machine's time zone into site.yaml: make it one that is not UTC."""
    monkeypatch.setenv("TZ", "America/Toronto")


def init(run_cli: Callable[..., Run], where: Path, *args: str) -> Path:
    result = run_cli(where, "init", "site", "--author", "Ana Example", *args)
    assert result.status == 0, result.err
    return where / "site"


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- sitegen init ----------------------------------------------------------------------------


def test_init_makes_a_site_that_builds_and_checks_at_once(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli(tmp_path, "init", "my-letters", "--author", "Ana Example")
    assert result.status == 0, result.err
    site = tmp_path / "my-letters"
    assert files_under(site) == STARTER_FILES
    assert result.out.splitlines()[:2] == ["Created a new site in my-letters:", "  site.yaml"]
    config = load_config(site)
    assert (config.title, config.url, config.author, config.timezone) == (
        "My Letters", "https://example.github.io/my-letters/", "ana-example", "America/Toronto"
    )
    assert (site / ".gitignore").read_text().splitlines()[-2:] == ["output/", ".sitegen-cache/"]
    assert "date: 2026-06-01 08:00\n" in (site / "content/posts/welcome.md").read_text()  # NOW in Toronto
    build = run_cli(site, "build", "--check")
    assert build.status == 0, build.out + build.err
    assert build.out.splitlines()[-1].endswith(": no broken links")
    assert "Welcome" in HtmlPage.load(site / "output/index.html").text("//main")


def test_site_yaml_has_every_setting_commented() -> None:
    from sitegen.source.config import KNOWN_KEYS

    text = (REPO / "src/sitegen/starter/site.yaml").read_text()
    for key in KNOWN_KEYS:
        match = re.search(rf"^(# )?{key}:", text, re.MULTILINE)
        assert match, f"{key} is missing from the starter site.yaml"
        before = text[: match.start()].rstrip("\n").splitlines()[-1]
        assert before.startswith("# "), f"{key} has no comment above it"


def test_init_quotes_a_title_yaml_would_misread(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path, "--title", 'Tom & Jerry: "letters" #1')
    assert load_config(site).title == 'Tom & Jerry: "letters" #1'
    assert run_cli(site, "build", "--check").status == 0


def test_init_refuses_a_non_empty_folder(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site/notes.txt").write_text("mine")
    result = run_cli(tmp_path, "init", "site")
    assert result.status == 1
    assert result.err == (
        "error: site is not empty: sitegen init makes a site in a new or empty folder "
        "(--force writes into it, replacing files of the same names)\n"
    )
    assert files_under(tmp_path / "site") == ["notes.txt"]


def test_init_with_force_writes_beside_and_over_existing_files(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    (tmp_path / "site/notes.txt").write_text("mine")
    (tmp_path / "site/site.yaml").write_text("title: old\n")
    init(run_cli, tmp_path, "--force")
    assert (tmp_path / "site/notes.txt").read_text() == "mine"
    assert load_config(tmp_path / "site").title == "Site"


def test_init_accepts_a_fresh_clone_holding_only_git(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    (tmp_path / "site/.git").mkdir(parents=True)
    (tmp_path / "site/.git/HEAD").write_text("ref: refs/heads/main\n")
    init(run_cli, tmp_path)
    assert (tmp_path / "site/site.yaml").is_file()


def test_init_refuses_a_bad_url(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli(tmp_path, "init", "site", "--url", "ana.github.io/letters")
    assert result.status == 1
    assert result.err == (
        "error: --url must be an absolute http(s) address such as https://you.github.io/letters/: "
        "'ana.github.io/letters'\n"
    )
    assert not (tmp_path / "site").exists()


def test_init_can_eject_the_theme_and_the_site_then_uses_it(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path, "--eject-theme")
    packaged = files_under(PACKAGED_THEMES / "default")
    assert files_under(site / "themes/default") == packaged
    base = site / "themes/default/templates/base.html"
    base.write_text(base.read_text().replace('class="site-footer__colophon"', 'class="site-footer__colophon ours"'))
    words = site / "themes/default/i18n/en.yaml"  # the theme's words came along: they are its own now
    words.write_text(words.read_text().replace("Made with care", "Made by hand"))
    assert run_cli(site, "build").status == 0
    page = (site / "output/index.html").read_text()
    assert '<p class="site-footer__colophon ours">Made by hand' in page


def test_theme_eject_later_and_never_over_an_edited_copy(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path)
    result = run_cli(site, "theme", "eject")
    assert result.status == 0, result.err
    assert result.out.startswith("copied sitegen's default theme into themes/default (")
    style = site / "themes/default/static/style.css"
    style.write_text("/* mine */")
    again = run_cli(site, "theme", "eject")
    assert again.status == 1
    assert again.err == "error: themes/default already exists: not replacing it (--force replaces its files)\n"
    assert style.read_text() == "/* mine */"
    assert run_cli(site, "theme", "eject", "--force").status == 0
    assert style.read_bytes() == (PACKAGED_THEMES / "default/static/style.css").read_bytes()


# --- sitegen new -----------------------------------------------------------------------------


def test_new_post_is_a_draft_dated_now_by_the_default_author(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path)
    result = run_cli(site, "new", "How Reaching Out Pays")
    assert (result.status, result.out, result.err) == (0, "content/posts/how-reaching-out-pays.md\n", "")
    text = (site / "content/posts/how-reaching-out-pays.md").read_text()
    assert text.startswith(
        "---\ntitle: How Reaching Out Pays\ndate: 2026-06-01 08:00\nauthor: ana-example\ntags: []\n"
    )
    assert "\ndraft: true" in text
    assert run_cli(site, "build").status == 0
    assert not (site / "output/posts/how-reaching-out-pays").exists(), "a draft is not published"
    assert run_cli(site, "build", "--drafts").status == 0
    page = HtmlPage.load(site / "output/posts/how-reaching-out-pays/index.html")
    assert page.text("//h1") == "How Reaching Out Pays"
    assert page.attrs("//time/@datetime")[0] == "2026-06-01T08:00:00-04:00"


def test_new_keeps_a_title_with_quotes_colons_and_cjk(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path)
    title = 'Tom & Jerry: "quotes" 東京の手紙'
    result = run_cli(site, "new", title)
    assert result.out == "content/posts/tom-jerry-quotes-東京の手紙.md\n"
    assert run_cli(site, "build", "--drafts").status == 0
    shown = HtmlPage.load(site / "output/posts/tom-jerry-quotes-東京の手紙/index.html").text("//h1")
    assert shown == "Tom & Jerry: \u201cquotes\u201d 東京の手紙"  # the typographer's quotes


def test_new_refuses_to_overwrite(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path)
    assert run_cli(site, "new", "Hello again").status == 0
    (site / "content/posts/hello-again.md").write_text("my words")
    result = run_cli(site, "new", "Hello Again")
    assert result.status == 1
    assert result.err == "error: content/posts/hello-again.md already exists: not overwriting it\n"
    assert (site / "content/posts/hello-again.md").read_text() == "my words"
    from_outside = run_cli(tmp_path, "new", "--page", "About", "site")
    assert from_outside.err == "error: site/content/pages/about.md already exists: not overwriting it\n"


def test_new_page_and_new_author(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path)
    assert run_cli(site, "new", "--page", "Subscribe").out == "content/pages/subscribe.md\n"
    assert run_cli(site, "new", "--author", "ben-okafor").out == "content/authors/ben-okafor.md\n"
    assert run_cli(site, "new", "--author", "cy", "Cy Twombly").out == "content/authors/cy.md\n"
    assert run_cli(site, "build", "--check").status == 0
    assert HtmlPage.load(site / "output/subscribe/index.html").text("//h1") == "Subscribe"
    assert HtmlPage.load(site / "output/authors/ben-okafor/index.html").text("//h1") == "Ben Okafor"
    assert HtmlPage.load(site / "output/authors/cy/index.html").text("//h1") == "Cy Twombly"
    again = run_cli(site, "new", "--author", "cy")
    assert again.err == "error: content/authors/cy.md already exists: not overwriting it\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["new"], 'error: give a title, such as: sitegen new "How reaching out pays"\n'),
        (["new", "!!!"], "error: cannot make a file name from the title '!!!': give it some letters or digits\n"),
        (
            ["new", "--author", "../x"],
            "error: author id '../x' must be letters, digits, '-' or '_' (such as ana or ben-okafor)\n",
        ),
    ],
)
def test_new_explains_what_it_needs(
    run_cli: Callable[..., Run], tmp_path: Path, args: list[str], message: str
) -> None:
    site = init(run_cli, tmp_path)
    result = run_cli(site, *args)
    assert (result.status, result.err) == (1, message)


def test_new_outside_a_site(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    result = run_cli(tmp_path, "new", "Hello")
    assert result.status == 1
    assert result.err == (
        f"error: no site.yaml in {tmp_path} or any folder above it: is this a sitegen site? "
        "(give its folder, or make one with sitegen init DIR)\n"
    )
    (tmp_path / "empty").mkdir()
    given = run_cli(tmp_path, "new", "Hello", "empty")
    assert given.err == "empty/site.yaml: no site.yaml here: is this a sitegen site? (run `sitegen init` to make one)\n"


# --- every URL right at / and under a base path ----------------------------------------------

COVER = b"\xff\xd8 a cover"


def _richer_site(run_cli: Callable[..., Run], where: Path) -> Path:
    """An init'ed site with what makes URLs hard: pages of posts, images, a CJK tag, an author
    with a photo, an email and links, a site image and a draft made by `sitegen new`."""
    site = init(run_cli, where)
    assert run_cli(site, "new", "Cover story").status == 0
    post = site / "content/posts/cover-story.md"
    post.write_text(
        post.read_text()
        .replace("tags: []", "tags: [東京, news]")
        .replace("# image: cover.jpg", "image: cover.jpg")
        .replace("Start writing here.", "![The cover](cover.jpg) and a [note](#note).\n\n## Note\n\nEnd.")
    )
    (site / "content/posts/cover.jpg").write_bytes(COVER)
    author = site / "content/authors/ana-example.md"
    author.write_text(
        author.read_text()
        .replace("# photo: ana-example.jpg", "photo: ana-example.jpg")
        .replace("# email: you@example.com", "email: ana@example.com")
        .replace("# links:", "links:")
        .replace('#   - {label: LinkedIn', '  - {label: LinkedIn')
    )
    (site / "content/authors/ana-example.jpg").write_bytes(b"\xff\xd8 a photo")
    config = site / "site.yaml"
    config.write_text(
        config.read_text()
        .replace("paginate: 10", "paginate: 1")
        .replace("# image: /images/social.png", "image: /images/social.png")
        .replace("I would like to connect.", "Read at {url}")
    )
    (site / "content/images").mkdir()
    (site / "content/images/social.png").write_bytes(b"\x89PNG")
    return site


def _absolute_urls(out: Path) -> Iterator[tuple[str, str]]:
    """(file, URL) of every absolute URL a page, feed, sitemap or robots.txt names."""
    for path in sorted(out.rglob("*")):
        name = path.relative_to(out).as_posix()
        if path.suffix == ".html":
            page = HtmlPage.load(path)
            for url in page.attrs("//link/@href | //meta[starts-with(@property, 'og:')]/@content"):
                if url.startswith("http"):
                    yield name, url
            for ld in page.texts("//script[@type='application/ld+json']"):
                yield from ((name, u) for u in re.findall(r'"(https?://[^"]+)"', ld))
        elif path.name in ("feed.xml", "atom.xml"):
            feed = feedparser.parse(path.read_bytes())
            yield name, feed.feed.link
            for entry in feed.entries:
                yield name, entry.link
                yield from ((name, e.href) for e in entry.get("enclosures", []))
        elif path.name == "feed.json":
            data = json.loads(path.read_text())
            yield from ((name, data[k]) for k in ("home_page_url", "feed_url"))
            yield from ((name, item["url"]) for item in data["items"])
        elif path.name == "sitemap.xml":
            yield from ((name, u) for u in re.findall(r"<loc>([^<]+)</loc>", path.read_text()))
        elif path.name == "robots.txt":
            yield from ((name, u) for u in re.findall(r"^Sitemap: (\S+)$", path.read_text(), re.MULTILINE))


@pytest.mark.parametrize("base_url", ["https://example.org/", "https://example.org/some/base/path/"])
def test_every_url_is_right_at_the_root_and_under_a_base_path(
    run_cli: Callable[..., Run], tmp_path: Path, base_url: str
) -> None:
    site = _richer_site(run_cli, tmp_path)
    result = run_cli(site, "build", "--drafts", "--base-url", base_url, "--check")
    assert result.status == 0, result.out + result.err
    out = site / "output"
    assert (out / "page/2/index.html").is_file(), "pagination: one post a page"

    report = check_output(out, base_url)
    assert report.problems == ()
    assert report.internal > 200
    # the one external link is the author's, besides the share links; every other absolute URL is the site's own
    shares = ("https://www.linkedin.com/sharing/", "https://bsky.app/", "https://s2f.kytta.dev/", "https://x.com/")
    assert [url for url in report.external if not url.startswith(shares)] == ["https://www.linkedin.com/in/your-profile/"]

    index = OutputIndex(out, base_url)
    site_urls = [(f, u) for f, u in _absolute_urls(out) if "linkedin.com" not in u and "schema.org" not in u]
    assert len(site_urls) > 100
    named_by = {name for name, _ in site_urls}
    assert {"feed.xml", "atom.xml", "feed.json", "sitemap.xml", "robots.txt", "404.html"} <= named_by
    assert {"tags/東京/feed.xml", "authors/ana-example/atom.xml", "page/2/index.html"} <= named_by
    for name, url in site_urls:
        assert url.startswith(base_url), f"{name}: {url}"
        target = index.target(url, "index.html")
        assert target is not None and index.problem(target) is None, f"{name}: {url}"

    base_path = urlsplit(base_url).path
    post = HtmlPage.load(out / "posts/cover-story/index.html")
    assert post.attrs("//meta[@property='og:image']/@content") == [base_url + "posts/cover-story/cover.jpg"]
    assert post.attrs("//link[@rel='canonical']/@href") == [base_url + "posts/cover-story/"]
    assert base_path + "tags/%E6%9D%B1%E4%BA%AC/" in post.links
    assert post.attrs("//img[@class='avatar']/@src") == [base_path + "authors/ana-example/ana-example.jpg"]
    home = HtmlPage.load(out / "index.html")
    assert home.attrs("//meta[@property='og:image']/@content") == [base_url + "images/social.png"]
    assert base_path + "page/2/" in home.links

    # GitHub Pages serves 404.html at any address: its links and assets must not be relative
    missing = HtmlPage.load(out / "404.html")
    refs = missing.attrs("//@href | //@src")
    assert refs and all(r.startswith((base_path, "#", "https://")) for r in refs), refs

    mailto = next(link for link in post.links if link.startswith("mailto:") and not link.startswith("mailto:?"))
    address, _, query = mailto.removeprefix("mailto:").partition("?")
    assert address == "ana@example.com" and " " not in mailto
    assert base_url + "posts/cover-story/" in unquote(query), "the note names the post by its real address"


# --- GitHub Pages: the workflows and the files the host reads ------------------------------


def _init_workflow(run_cli: Callable[..., Run], tmp_path: Path) -> Path:
    return init(run_cli, tmp_path) / ".github/workflows/pages.yml"


def test_workflows_pass_actionlint(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    files = [WORKFLOWS["example repository"], RELEASE, _init_workflow(run_cli, tmp_path)]
    result = subprocess.run(
        ["node", str(REPO / "tests/actionlint.mjs"), *map(str, files)],
        capture_output=True, text=True, check=False, cwd=REPO,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_actionlint_finds_a_mistake(tmp_path: Path) -> None:
    bad = tmp_path / "pages.yml"
    bad.write_text(WORKFLOWS["example repository"].read_text().replace("id-token: write", "id-token: writ"))
    result = subprocess.run(
        ["node", str(REPO / "tests/actionlint.mjs"), str(bad)], capture_output=True, text=True, check=False, cwd=REPO
    )
    assert result.returncode == 1
    assert f'{bad}:15:13: "writ" is invalid for permission of scope "id-token"' in result.stdout


def test_workflows_match_the_github_workflow_schema(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    files = [WORKFLOWS["example repository"], RELEASE, _init_workflow(run_cli, tmp_path)]
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok -- validation done" in result.stdout


@pytest.mark.parametrize("name", list(WORKFLOWS))
def test_workflow_builds_with_the_pages_address_and_deploys(name: str) -> None:
    text = WORKFLOWS[name].read_text()
    expected = [
        "on:\n  push:\n    branches: [main]\n  workflow_dispatch:\n",
        "permissions:\n  contents: read\n  pages: write\n  id-token: write\n",
        "concurrency:\n  group: pages\n  cancel-in-progress: false\n",
        "cache: pip\n",
        "- id: pages\n        uses: actions/configure-pages@v5\n",
        "uses: actions/cache@v4\n        with:\n          path: .sitegen-cache\n",
        '- run: sitegen build --check --base-url "${{ steps.pages.outputs.base_url }}/"\n',
        "uses: actions/upload-pages-artifact@v3\n        with:\n          path: output\n",
        "needs: build",
        "uses: actions/deploy-pages@v4",
    ]
    for piece in expected:
        assert piece in text, piece
    install = "- run: pip install .\n" if name == "example repository" else "- run: pip install -r requirements.txt\n"
    assert install in text


def test_init_workflow_installs_what_requirements_txt_names(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    text = _init_workflow(run_cli, tmp_path).read_text()
    assert "- run: pip install -r requirements.txt\n" in text
    assert "cache-dependency-path: requirements.txt\n" in text
    assert "__" not in text.replace("${{", "")


def test_domain_must_be_a_bare_host_name(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nurl: https://letters.example.com/\ndomain: Letters.Example.com\n")
    config = load_config(tmp_path)
    assert config.domain == "letters.example.com"
    assert [(f.dest_path, f.data) for f in hosting_files(config)] == [
        (".nojekyll", b""),
        ("CNAME", b"letters.example.com\n"),
    ]
    (tmp_path / "site.yaml").write_text("title: T\nurl: https://x.org/\ndomain: https://letters.example.com/\n")
    with pytest.raises(SiteError) as caught:
        load_config(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path / 'site.yaml'}:3:1: 'domain' must be a bare host name such as letters.example.com "
        "(no https://, port or path), not 'https://letters.example.com/'"
    )


def test_without_domain_only_nojekyll(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nurl: https://x.org/\n")
    assert [f.dest_path for f in hosting_files(load_config(tmp_path))] == [".nojekyll"]


def test_build_writes_nojekyll_and_cname(run_cli: Callable[..., Run], tmp_path: Path) -> None:
    site = init(run_cli, tmp_path)
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("# domain: letters.example.com", "domain: letters.example.com"))
    assert run_cli(site, "build").status == 0
    assert (site / "output/.nojekyll").read_bytes() == b""
    assert (site / "output/CNAME").read_bytes() == b"letters.example.com\n"
    config.write_text(config.read_text().replace("domain: letters.example.com", "# domain: letters.example.com"))
    assert run_cli(site, "build").status == 0
    assert not (site / "output/CNAME").exists(), "a removed domain removes CNAME"
    assert (site / "output/.nojekyll").exists()
