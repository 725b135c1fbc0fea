"""Command line: argument parsing, logging, and the one place a SiteError is printed."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .build import BuildOptions, BuildReport, build
from .cache import CACHE_DIR
from .cache import discard as discard_cache
from .commands import add_commands, run_check
from .errors import SiteError, SiteErrors
from .serving import add_serve_command, watch_build
from .writer import MARKER

log = logging.getLogger("sitegen")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sitegen",
        description="Build a newsletter website from Markdown posts.",
    )
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    b = commands.add_parser("build", help="build the site into output/")
    b.add_argument("path", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    b.add_argument("--output", "-o", type=Path, help="write here instead of PATH/output/")
    b.add_argument("--drafts", "-D", action="store_true", help="include drafts and future posts")
    b.add_argument("--base-url", metavar="URL", help="override site.yaml's url (previews, project pages)")
    b.add_argument("--strict", action="store_true", help="treat warnings as errors")
    b.add_argument("--no-cache", action="store_true", help="ignore .sitegen-cache/ and build everything")
    b.add_argument("--watch", "-w", action="store_true", help="then rebuild on every save until Ctrl-C")
    b.add_argument("--check", action="store_true", help="then check every link of the built site (sitegen check)")
    loud = b.add_mutually_exclusive_group()
    loud.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    loud.add_argument("--verbose", "-v", action="store_true", help="print stage timings and tracebacks")
    b.set_defaults(func=_build)
    c = commands.add_parser("clean", help="delete the built output and the build cache")
    c.add_argument("path", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    c.add_argument("--output", "-o", type=Path, help="the output folder, if not PATH/output/")
    c.set_defaults(func=_clean)
    add_commands(commands)
    add_serve_command(commands)
    return parser


def _summary(report: BuildReport, out_dir: Path) -> str:
    w = report.write
    if report.changed:
        outcome = f"written {w.written} · unchanged {w.unchanged} · removed {w.removed} → {out_dir}"
    else:
        outcome = f"nothing changed: no file written in {out_dir}"
    return (
        f"posts {report.posts} · pages {report.pages} · feeds {report.feeds} · "
        f"static files {report.static}\n"
        f"{outcome}\n"
        f"built in {report.seconds * 1000:.0f} ms (parsed {report.parsed} files, rendered {report.rendered} pages)"
    )


def _build(args: argparse.Namespace) -> int:
    root: Path = args.path
    options = BuildOptions(
        root=root,
        output=args.output,
        drafts=args.drafts,
        base_url=args.base_url,
        use_cache=not args.no_cache,
        progress=not args.quiet and sys.stderr.isatty(),
    )
    report = build(options)
    for notice in report.notices:
        print(f"note: {notice}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if args.strict and report.warnings:
        print(f"error: {len(report.warnings)} warning(s) and --strict", file=sys.stderr)
        return 1
    if not args.quiet:
        print(_summary(report, options.out_dir))
    if args.check:  # the base URL comes from the robots.txt the build just wrote
        status = run_check(options.out_dir, None, verbose=False)
        if status or not args.watch:
            return status
    if args.watch:
        return watch_build(options)
    return 0


def _clean(args: argparse.Namespace) -> int:
    root: Path = args.path
    out_dir: Path = args.output if args.output is not None else root / "output"
    removed = []
    if out_dir.is_dir():
        if any(out_dir.iterdir()) and not (out_dir / MARKER).exists():
            raise SiteError(f"{out_dir} was not made by sitegen: not deleting it")
        shutil.rmtree(out_dir)
        removed.append(str(out_dir))
    if discard_cache(root):
        removed.append(str(root / CACHE_DIR))
    print(f"removed {' and '.join(removed)}" if removed else "nothing to remove")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = _parser().parse_args(argv)
    verbose = getattr(args, "verbose", False)
    # only sitegen's own logger: libraries (markdown-it) log every parser step at DEBUG
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    log.setLevel(logging.DEBUG if verbose else logging.WARNING)
    try:
        status: int = args.func(args)
        return status
    except (SiteError, SiteErrors) as exc:
        if verbose:
            raise
        errors = exc.errors if isinstance(exc, SiteErrors) else (exc,)
        root = Path(getattr(args, "path", "."))
        for error in errors:
            shown = error.for_display(root, Path.cwd())
            print(shown if shown.path else f"error: {shown}", file=sys.stderr)
        if isinstance(exc, SiteErrors) and exc.total > len(exc.errors):
            print(f"error: … and {exc.total - len(exc.errors)} more", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def run() -> NoReturn:
    """The `sitegen` command: run the command line, then end the process at once.

    The interpreter's own teardown frees every object one by one, a tenth of a second after a
    build of 10,000 posts, with nothing left to do (as mypy does, for the same reason). Output is
    flushed first; every file and the cache are closed by then.
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can be said
            stream.flush()
    os._exit(status)


if __name__ == "__main__":
    run()
