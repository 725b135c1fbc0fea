"""`sitegen serve` and `sitegen build --watch`: build, watch, rebuild, and tell the browser."""

from __future__ import annotations

import argparse
import json
import queue
import sys
import threading
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .build import Builder, BuildOptions, BuildReport
from .cache import CACHE_DIR
from .config import load_config, normalize_url
from .errors import SiteError
from .livereload import LiveError
from .theme import load_theme

if TYPE_CHECKING:
    from .devserver import LiveState
    from .watch import Changes, Outcome

# The server and the watcher (watchfiles) are imported when serving starts: `sitegen build`,
# which imports this module for its command line, never needs them.

SERVE_DIR = "serve"
"""Where `serve` builds, inside the build cache: never mixed with `sitegen build`'s output."""
EXCERPT_LINES = 3


def add_serve_command(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register `sitegen serve`."""
    s = commands.add_parser("serve", help="build, serve on 127.0.0.1 and rebuild on every save, with live reload")
    s.add_argument("path", nargs="?", default=".", type=Path, help="the site folder (default: here)")
    s.add_argument(
        "--port", "-p", default="8000", help="port (default 8000); 0: any free one; auto: 8000 or the next free one"
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--drafts", dest="drafts", action="store_true", default=True, help="show drafts (the default)")
    s.add_argument("--no-drafts", dest="drafts", action="store_false", help="leave drafts and future posts out")
    s.add_argument("--open", action="store_true", help="open the site in the browser")
    s.add_argument("--base-url", metavar="URL", help="serve as if published at URL's path (default: the server's)")
    s.set_defaults(func=run_serve)


def _port(text: str) -> int | None:
    if text == "auto":
        return None
    if not text.isdigit() or int(text) > 65535:
        raise SiteError(f"--port must be a number from 0 to 65535, or auto, not {text!r}")
    return int(text)


def excerpt(error: SiteError, root: Path) -> tuple[tuple[int, str], ...]:
    """The lines around an error's line, from its file."""
    if error.path is None or error.line is None:
        return ()
    try:
        lines = (root / error.path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ()
    first = max(1, error.line - EXCERPT_LINES)
    return tuple((n, lines[n - 1]) for n in range(first, min(len(lines), error.line + EXCERPT_LINES) + 1))


def live_error(errors: tuple[SiteError, ...], root: Path) -> LiveError:
    """What the overlay shows of a failed build: every error, lines of the first one's file."""
    shown = [e.for_display(root, root) for e in errors]  # paths as the writer sees the site
    message = "\n".join(str(e) if e.path else f"error: {e}" for e in shown)
    return LiveError(message, excerpt(errors[0], root), errors[0].line)


def print_outcome(outcome: Outcome, root: Path, first: bool) -> None:
    """The terminal's line about a build: what changed, or the one-line errors."""
    if outcome.report is None:
        for error in outcome.errors:
            shown = error.for_display(root, Path.cwd())
            print(shown if shown.path else f"error: {shown}", file=sys.stderr, flush=True)
        return
    report: BuildReport = outcome.report
    for notice in report.notices:
        print(f"note: {notice}", file=sys.stderr)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    what = "built" if first else "rebuilt"
    changed = len(report.changed_paths)
    detail = ", ".join(report.changed_paths[:3]) + (", …" if changed > 3 else "")
    files = f"{changed} file{'s' if changed != 1 else ''} changed" + (f" ({detail})" if changed else "")
    print(f"{what} in {outcome.seconds * 1000:.0f} ms: {files}", flush=True)


def run_serve(args: argparse.Namespace) -> int:
    """Serve the site until Ctrl-C."""
    from .devserver import LiveState, PortInUse, bind, is_local
    from .watch import build_once, rebuild_forever

    root: Path = args.path
    config = load_config(root)  # a broken site.yaml is reported before anything starts
    port = _port(args.port)
    if not is_local(args.host):
        print(f"warning: listening on {args.host}: other machines can see your drafts", file=sys.stderr)
    folder = root / CACHE_DIR / SERVE_DIR
    state = LiveState(folder, "/")
    try:
        server = bind(args.host, port, state)
    except PortInUse:
        raise SiteError(f"port {port} is already in use: choose another with --port, or --port auto") from None
    host, bound = server.server_address[:2]
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else str(host)
    address = f"http://{shown_host}:{bound}/"
    base_url = normalize_url(args.base_url) if args.base_url else address
    state.base_path = urlsplit(base_url).path or "/"
    folder.mkdir(parents=True, exist_ok=True)
    builder = Builder(BuildOptions(root=root, output=folder, drafts=args.drafts, base_url=base_url))
    builder.keep_snapshot = False
    stop = threading.Event()
    changes = _start_watching(root, stop)  # before the first build: a save made during it counts
    try:
        outcome = build_once(builder)
        on_outcome(outcome, state, root, first=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        print(f"Serving {config.title} at {address.rstrip('/')}{state.base_path} (Ctrl-C to stop)", flush=True)
        if args.open:
            webbrowser.open(address.rstrip("/") + state.base_path)
        builder.prepare_quick_page()  # so that the first save shows as fast as the next ones
        rebuild_forever(
            builder, changes, root, lambda o: on_outcome(o, state, root), stop, lambda w, t: on_quick(w, t, state)
        )
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    finally:
        stop.set()
        server.stop()
    return 0


def config_theme_dirs(root: Path) -> list[Path]:
    """The folders of the theme in use and its parents (sitegen's own included)."""
    try:
        return list(load_theme(load_config(root)).dirs)
    except SiteError:
        return []


def on_quick(written: list[str], seconds: float, state: LiveState) -> None:
    """The edited post's page is rewritten: show it now, the rest of the site follows."""
    print(f"updated {', '.join(written)} in {seconds * 1000:.0f} ms", flush=True)
    if state.error is None:
        state.publish(json.dumps({"type": "change", **state.classify(written)}))


def on_outcome(outcome: Outcome, state: LiveState, root: Path, first: bool = False) -> None:
    """Tell the terminal and the open pages how a build went."""
    print_outcome(outcome, root, first)
    if outcome.report is None:
        state.error = live_error(outcome.errors, root)
        state.publish(state.error.event())
        return
    state.error = None
    state.publish(json.dumps({"type": "change", **state.classify(list(outcome.report.changed_paths))}))


def _start_watching(root: Path, stop: threading.Event) -> queue.SimpleQueue[Changes]:
    from .watch import start_watchers, watch_roots

    deep, flat = watch_roots(root, config_theme_dirs(root))
    return start_watchers(deep, flat, stop)


def watch_build(options: BuildOptions) -> int:
    """`sitegen build --watch`: the first build is done; rebuild on every save until Ctrl-C."""
    from .watch import build_once, rebuild_forever

    builder = Builder(options)
    builder.keep_snapshot = False  # it keeps the parse results in memory instead
    stop = threading.Event()
    changes = _start_watching(options.root, stop)

    def report(outcome: Outcome) -> None:
        print_outcome(outcome, options.root, False)

    try:
        report(build_once(builder))  # catches a save made since the first build (nothing else to do)
        print("watching for changes (Ctrl-C to stop)", flush=True)
        rebuild_forever(builder, changes, options.root, report, stop)
    except KeyboardInterrupt:
        print("\nstopped", flush=True)
    finally:
        stop.set()
    return 0
