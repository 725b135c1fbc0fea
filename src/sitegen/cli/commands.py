"""The commands around a build: `init`, `new`, `theme eject` and `check` (wired into cli.py)."""

from __future__ import annotations

import argparse
import shlex
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..create.newfile import new_author, new_page, new_post
from ..engine import options as engine
from ..errors import SiteError
from ..output.writer import is_unfinished
from ..source.config import CONFIG_NAME, load_config
from .show import say

if TYPE_CHECKING:
    from ..check.links import CheckReport

# The link checker (urllib, ssl) and the scaffolding are imported by the commands that use them:
# every `sitegen build` would otherwise pay for them at start.


def _now() -> datetime:
    # through the build module, so that a test that freezes the build's clock freezes this one
    return engine.default_now()


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `init`, `new`, `theme` and `check` to the command line."""
    i = commands.add_parser("init", help="make a new site, ready to publish on GitHub Pages")
    i.add_argument("folder", type=Path, help="the new site's folder (made if missing)")
    i.add_argument("--title", help="the newsletter's name (default: from the folder's name)")
    i.add_argument("--author", metavar="NAME", default="Your Name", help="your name (default: Your Name)")
    i.add_argument("--url", help="the site's address (default: https://example.github.io/FOLDER/)")
    i.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing files")
    i.add_argument("--eject-theme", action="store_true", help="copy the default theme into themes/ to edit it")
    i.set_defaults(func=_init)

    n = commands.add_parser("new", help="start a post (a draft), a page or an author file")
    n.add_argument("title", nargs="?", help="the title (with --author: the author's name)")
    n.add_argument("path", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    kind = n.add_mutually_exclusive_group()
    kind.add_argument("--page", action="store_true", help="a page of content/pages/ instead of a post")
    kind.add_argument("--author", metavar="ID", help="an author file content/authors/ID.md")
    n.set_defaults(func=_new)

    t = commands.add_parser("theme", help="work with themes")
    actions = t.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = actions.add_parser("eject", help="copy the default theme into themes/default/ to edit it")
    e.add_argument("path", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    e.add_argument("--force", action="store_true", help="replace the files of an existing themes/default/")
    e.set_defaults(func=_eject)

    c = commands.add_parser("check", help="check every link of the built site (no network)")
    c.add_argument("output", nargs="?", default=Path("output"), type=Path, help="the built site (default: output)")
    c.add_argument("--base-url", metavar="URL", help="the address the site was built for (default: from the build)")
    c.add_argument("--external", action="store_true", help="also fetch every external link")
    c.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per external link (default: 10)")
    c.add_argument("--verbose", "-v", action="store_true", help="list the external links")
    c.set_defaults(func=_check)


def _init(args: argparse.Namespace) -> int:
    from ..create.scaffold import NewSite, default_title, default_url, init_site, local_timezone

    folder: Path = args.folder
    url = args.url or default_url(folder)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise SiteError(f"--url must be an absolute http(s) address such as https://you.github.io/letters/: {url!r}")
    site = NewSite(
        title=(args.title or "").strip() or default_title(folder),
        url=url.rstrip("/") + "/",
        author_name=args.author.strip() or "Your Name",
        timezone=local_timezone(),
        now=_now(),
    )
    written = init_site(folder, site, force=args.force, eject_theme=args.eject_theme)
    names = (p.relative_to(folder).as_posix() for p in written)
    shown = sorted(names, key=lambda p: (p != "site.yaml", p[0] == ".", p))  # site.yaml first, hidden files last
    themes = [p for p in shown if p.startswith("themes/")]
    say(f"Created a new site in {folder}:")
    for name in (p for p in shown if not p.startswith("themes/")):
        say(f"  {name}")
    if themes:
        say(f"  themes/default/ ({len(themes)} files)")
    say(
        "Next:\n"
        f"  cd {shlex.quote(str(folder))}\n"
        '  sitegen new "The title of your first letter"\n'
        "  sitegen build --check\n"
        "Then put it on GitHub and publish it: see \"Publish on GitHub Pages\" in sitegen's README."
    )
    return 0


def _new(args: argparse.Namespace) -> int:
    config = load_config(args.path)
    if args.author is not None:
        path = new_author(config, args.author, args.title)
    elif not args.title or not args.title.strip():
        raise SiteError('give a title, such as: sitegen new "How reaching out pays"')
    elif args.page:
        path = new_page(config, args.title.strip())
    else:
        path = new_post(config, args.title.strip(), _now())
    say(str(path))
    return 0


def _eject(args: argparse.Namespace) -> int:
    from ..create.scaffold import eject_theme

    written = eject_theme(args.path, force=args.force)
    say(f"copied sitegen's default theme into {args.path / 'themes' / 'default'} ({len(written)} files)")
    say("sitegen now uses this copy: edit its templates/ and static/ as you like.")
    return 0


def _base_url(output: Path, given: str | None) -> str:
    """The address the site was built for: --base-url, else the build's robots.txt, else site.yaml
    here, else only the path "/"."""
    from ..check.links import base_url_from_robots

    if given:
        return given
    found = base_url_from_robots(output)
    if found:
        return found
    if Path(CONFIG_NAME).is_file():
        return load_config(Path(".")).url
    return "/"


def _check(args: argparse.Namespace) -> int:
    return run_check(args.output, args.base_url, args.verbose, args.external, args.timeout)


def run_check(output: Path, base_url: str | None, verbose: bool, external: bool = False, timeout: float = 10) -> int:
    """Check the site built in `output`, print the report, and return the exit status."""
    from ..check.links import check_output

    if not output.is_dir():
        raise SiteError(f"no folder {output}: build the site first (sitegen build)")
    if is_unfinished(output):
        raise SiteError(f"{output} is unfinished: a build was stopped while publishing it; sitegen build finishes it")
    report = check_output(output, _base_url(output, base_url))
    for problem in report.problems:
        say(str(problem))
    broken = len(report.problems)
    if external:
        broken += _fetch_external(report, timeout)
    elif verbose:
        for url in report.external:
            say(f"external: {url}")
    say(_check_summary(report, external, broken))
    return 1 if broken else 0


def _fetch_external(report: CheckReport, timeout: float) -> int:
    """Fetch every external link; print each that fails; return how many are broken."""
    from ..check.external import check_external

    broken = 0
    for result in check_external(report.external, timeout):
        if result.problem is None:
            continue
        pages = report.external[result.url]
        for page in pages:
            say(f"{page}: {result.url}: {result.problem}")
        broken += 0 if result.refused else len(pages)
    return broken


def _check_summary(report: CheckReport, external: bool, broken: int) -> str:
    count = len(report.external)
    others = _counted(count, "external link")
    if not external:
        others += " (not fetched; --external fetches them)" if count else ""
    verdict = _counted(broken, "broken link") if broken else "no broken links"
    editions = f" and {_counted(report.editions, 'email edition')}" if report.editions else ""
    pages, links = _counted(report.pages, "page"), _counted(report.internal, "internal link")
    return f"checked {pages}{editions} at {report.base_url}: {links}, {others}: {verdict}"


def _counted(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"
