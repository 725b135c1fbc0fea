"""`sitegen build` and `sitegen clean`."""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from ..engine.builder import build
from ..engine.options import BuildOptions, BuildReport, no_progress
from ..engine.store import CACHE_DIR
from ..engine.store import discard as discard_cache
from ..errors import SiteError
from ..output.writer import MARKER
from .commands import run_check
from .progress import terminal_progress
from .serve import watch_build
from .show import say, say_error, show_notices, show_warnings
from .site import Commands, add_command, add_site_arguments, add_trust_argument


def add_build_commands(commands: Commands) -> None:
    """Add `build` and `clean` to the command line."""
    b = add_command(commands, "build", "build the site into output/", """
sitegen build                         # the site here (or in a folder above), into output/
sitegen build --check                 # then check every link of the built site
sitegen build my-letters -o /tmp/out  # another site, into another folder
sitegen build --drafts --base-url http://localhost:9000/
""")
    add_site_arguments(b)
    b.add_argument("--output", "-o", type=Path, metavar="DIR", help="write here instead of SITE/output/")
    b.add_argument("--drafts", "-D", action="store_true", help="include drafts and future posts")
    add_trust_argument(b)
    b.add_argument("--base-url", metavar="URL", help="override site.yaml's url (previews, project pages)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--no-cache", action="store_true", help="ignore .sitegen-cache/ and build everything")
    b.add_argument("--watch", "-w", action="store_true", help="then rebuild on every save until Ctrl-C")
    b.add_argument("--check", action="store_true", help="then check every link of the built site (sitegen check)")
    b.set_defaults(func=_build)
    c = add_command(commands, "clean", "delete the built output and the build cache", """
sitegen clean             # output/ and .sitegen-cache/ of the site here
sitegen clean my-letters
""")
    add_site_arguments(c)
    c.add_argument("--output", "-o", type=Path, metavar="DIR", help="the output folder, if not SITE/output/")
    c.set_defaults(func=_clean)


def summary(report: BuildReport, out_dir: Path) -> str:
    """The lines a build ends with."""
    w = report.write
    if report.changed:
        outcome = f"written {w.written} · unchanged {w.unchanged} · removed {w.removed} → {out_dir}"
    else:
        outcome = f"nothing changed: no file written in {out_dir}"
    left_out = _left_out(report.counts.drafts, report.counts.scheduled)
    return (
        f"posts {report.posts} · pages {report.pages} · feeds {report.feeds} · "
        f"static files {report.static}\n"
        + (f"{left_out} not published (--drafts shows them)\n" if left_out else "")
        + f"{outcome}\n"
        f"built in {report.seconds * 1000:.0f} ms (parsed {report.parsed} files, rendered {report.rendered} pages)"
    )


def _left_out(drafts: int, scheduled: int) -> str:
    parts = [f"{drafts} draft{'s' if drafts != 1 else ''}"] if drafts else []
    parts += [f"{scheduled} scheduled post{'s' if scheduled != 1 else ''}"] if scheduled else []
    return " and ".join(parts)


def _build(args: argparse.Namespace) -> int:
    root: Path = args.path
    options = BuildOptions(
        root=root,
        output=args.output,
        config=args.config,
        drafts=args.drafts,
        base_url=args.base_url,
        use_cache=not args.no_cache,
        progress=terminal_progress if not args.quiet and sys.stderr.isatty() else no_progress,
        trust_plugins=args.trust_plugins,
    )
    report = build(options)
    show_notices(report.notices)
    show_warnings(report.warnings, root)
    if args.strict and report.warnings:
        say_error(f"error: {len(report.warnings)} warning(s) and --strict")
        return 1
    say(summary(report, options.out_dir))
    if args.check:  # the base URL comes from the robots.txt the build just wrote
        status = run_check(root, options.out_dir, None, verbose=False)
        if status or not args.watch:
            return status
    if args.watch:
        return watch_build(options)
    return 0


def _clean(args: argparse.Namespace) -> int:
    root: Path = args.path
    out_dir: Path = args.output if args.output is not None else root / "output"
    removed = []
    if out_dir.is_symlink():
        raise SiteError(f"{out_dir} is a link: sitegen clean deletes folders it made, not links (delete it yourself)")
    if out_dir.exists() and not out_dir.is_dir():
        raise SiteError(f"{out_dir} is a file, not a folder sitegen made: not deleting it")
    if out_dir.is_dir():
        if any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
            raise SiteError(f"{out_dir} was not made by sitegen: not deleting it")
        shutil.rmtree(out_dir)
        removed.append(str(out_dir))
    if discard_cache(root):
        removed.append(str(root / CACHE_DIR))
    say(f"removed {' and '.join(removed)}" if removed else "nothing to remove")
    return 0
