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
from ..errors import SiteError, SiteWarning
from ..output.writer import MARKER, is_unfinished
from ..source.config import CONFIG_NAME, load_config
from ..source.textfile import read_text
from .show import say, say_result, show_notices, show_warnings
from .site import Commands, add_command, add_site_arguments

if TYPE_CHECKING:
    from ..check.links import CheckReport

# The link checker (urllib, ssl) and the scaffolding are imported by the commands that use them:
# every `sitegen build` would otherwise pay for them at start.


def _now() -> datetime:
    # through the build module, so that a test that freezes the build's clock freezes this one
    return engine.default_now()


def add_commands(commands: Commands) -> None:
    """Add `init`, `new`, `theme` and `check` to the command line."""
    i = add_command(commands, "init", "make a new site, ready to publish on GitHub Pages", """
sitegen init my-letters --title "My Letters" --author "Ana Example"
sitegen init . --url https://letters.example.com/   # in an empty folder (or a fresh clone)
""")
    i.add_argument("folder", type=Path, help="the new site's folder (made if missing)")
    i.add_argument("--title", help="the newsletter's name (default: from the folder's name)")
    i.add_argument("--author", metavar="NAME", default="Your Name", help="your name (default: Your Name)")
    i.add_argument("--url", help="the site's address (default: https://example.github.io/FOLDER/)")
    i.add_argument("--force", action="store_true", help="write into a non-empty folder, replacing files")
    i.add_argument("--eject-theme", action="store_true", help="copy the default theme into themes/ to edit it")
    i.set_defaults(func=_init)

    n = add_command(commands, "new", "start a post (a draft), a page or an author file", """
sitegen new "The best connection request says why"   # content/posts/the-best-....md
sitegen new --page "Colophon"                         # content/pages/colophon.md
sitegen new --author ana "Ana Example"                # content/authors/ana.md
""")
    n.add_argument("title", nargs="?", help="the title (with --author: the author's name)")
    add_site_arguments(n)
    kind = n.add_mutually_exclusive_group()
    kind.add_argument("--page", action="store_true", help="a page of content/pages/ instead of a post")
    kind.add_argument("--author", metavar="ID", help="an author file content/authors/ID.md")
    n.set_defaults(func=_new)

    t = add_command(commands, "theme", "work with themes", "sitegen theme eject")
    actions = t.add_subparsers(dest="action", required=True, metavar="ACTION")
    e = add_command(actions, "eject", "copy the default theme into themes/default/ to edit it", """
sitegen theme eject
sitegen theme eject my-letters --force   # replace the files of an earlier copy
""")
    add_site_arguments(e)
    e.add_argument("--force", action="store_true", help="replace the files of an existing themes/default/")
    e.set_defaults(func=_eject)

    c = add_command(commands, "check", "check every link of the built site (no network unless --external)", """
sitegen check                      # the site here, as built into output/
sitegen check my-letters           # my-letters/output/
sitegen check --output /tmp/out    # a site built with build --output /tmp/out
sitegen check --external           # also fetch every link to another site
""")
    add_site_arguments(c)
    c.add_argument("--output", "-o", type=Path, metavar="DIR", help="the built site (default: SITE/output/)")
    c.add_argument("--base-url", metavar="URL", help="the address the site was built for (default: from the build)")
    c.add_argument("--external", action="store_true", help="also fetch every external link")
    c.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="per external link (default: 10)")
    c.set_defaults(func=_check, site_optional=True)  # any built folder can be checked, with --base-url


def _init(args: argparse.Namespace) -> int:
    from ..create.origin import cannot_install, this_sitegen
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
        origin=this_sitegen(),
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
    if site.origin.problem:
        show_warnings([SiteWarning(cannot_install(site.origin))], folder)
    return 0


def _new(args: argparse.Namespace) -> int:
    config = load_config(args.path, file=args.config)
    if args.author is not None:
        path = new_author(config, args.author, args.title)
    elif not args.title or not args.title.strip():
        raise SiteError('give a title, such as: sitegen new "How reaching out pays"')
    elif args.page:
        path = new_page(config, args.title.strip())
    else:
        path = new_post(config, args.title.strip(), _now())
    say_result(str(path))
    return 0


def _eject(args: argparse.Namespace) -> int:
    from ..create.scaffold import eject_theme

    written = eject_theme(args.path, force=args.force)
    say(f"copied sitegen's default theme into {args.path / 'themes' / 'default'} ({len(written)} files)")
    say("sitegen now uses this copy: edit its templates/ and static/ as you like.")
    return 0


def _base_url(root: Path, config: Path | None, output: Path, given: str | None) -> str:
    """The address the site was built for: --base-url, else the build's robots.txt, else the
    site's settings, else only the path "/"."""
    from ..check.links import base_url_from_robots

    if given:
        return given
    found = base_url_from_robots(output)
    if found:
        return found
    if config is not None or (root / CONFIG_NAME).is_file():
        return load_config(root, file=config).url
    return "/"


def _check(args: argparse.Namespace) -> int:
    root: Path = args.path
    output: Path | None = args.output
    built = (root / MARKER).is_file() or (root / "index.html").is_file()
    if output is None and args.config is None and built and not (root / CONFIG_NAME).is_file():
        # `sitegen check output`, as sitegen 0.1 took it: the built site, not the site folder
        show_notices([f"sitegen check {root} checks the site in {root} now: say --output {root} for a built site"])
        output, root = root, root.parent  # the site folder holding output/, as a rule
    return run_check(
        root, output, args.base_url, args.verbose, args.external, args.timeout, config=args.config
    )


def run_check(
    root: Path,
    output: Path | None,
    base_url: str | None,
    verbose: bool,
    external: bool = False,
    timeout: float = 10,
    config: Path | None = None,
) -> int:
    """Check the site at `root`, built in `output` (default: root/output): print the report and
    return the exit status. Also warn when the Pages workflow could not install this sitegen."""
    from ..check.links import check_output

    output = output if output is not None else root / "output"
    if not output.is_dir():
        raise SiteError(f"no folder {output}: build the site first (sitegen build)")
    if is_unfinished(output):
        raise SiteError(f"{output} is unfinished: a build was stopped while publishing it; sitegen build finishes it")
    _warn_of_requirements(root)
    report = check_output(output, _base_url(root, config, output, base_url))
    for problem in report.problems:
        say_result(str(problem))
    broken = len(report.problems)
    if external:
        broken += _fetch_external(report, timeout)
    elif verbose:
        for url in report.external:
            say(f"external: {url}")
    say(_check_summary(report, external, broken))
    return 1 if broken else 0


def _warn_of_requirements(root: Path) -> None:
    """Warn when the site's requirements.txt (which its Pages workflow installs) would not install
    the sitegen that builds it here."""
    from ..create.origin import REQUIREMENTS, requirement_problem

    path = root / REQUIREMENTS
    if not path.is_file() or path.is_symlink():
        return
    problem = requirement_problem(read_text(path))
    if problem is not None:
        show_warnings([SiteWarning(problem.message, REQUIREMENTS, problem.line)], root)


def _fetch_external(report: CheckReport, timeout: float) -> int:
    """Fetch every external link; print each that fails; return how many are broken."""
    from ..check.external import check_external

    broken = 0
    for result in check_external(report.external, timeout):
        if result.problem is None:
            continue
        pages = report.external[result.url]
        for page in pages:
            say_result(f"{page}: {result.url}: {result.problem}")
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
