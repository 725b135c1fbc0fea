"""`sitegen serve` and `sitegen build --watch`: the commands, and what they print."""

from __future__ import annotations

import argparse
import threading
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..engine.options import BuildOptions
from ..engine.store import CACHE_DIR
from ..errors import SiteError, SiteWarning
from ..render.theme import load_theme
from ..source.boundary import Boundary
from ..source.config import load_config, normalize_url
from .show import say, show_errors, show_notices, show_warnings
from .site import Commands, add_command, add_site_arguments, add_trust_argument

if TYPE_CHECKING:
    from ..serve.loop import Outcome
    from ..serve.watch import Watchers

# The server and the watcher (watchfiles) are imported when serving starts: `sitegen build`,
# which imports this module for its command line, never needs them.

SERVE_DIR = "serve"
"""Where `serve` builds, inside the build cache: never mixed with `sitegen build`'s output."""


def add_serve_command(commands: Commands) -> None:
    """Register `sitegen serve`."""
    s = add_command(commands, "serve", "build, serve on 127.0.0.1 and rebuild on every save, with live reload", """
sitegen serve                    # http://127.0.0.1:8000/, drafts shown
sitegen serve --port auto --open # 8000 or the next free port, opened in the browser
sitegen serve --base-url /my-letters/
sitegen serve --follow           # the open page goes to the post you save
""")
    add_site_arguments(s)
    s.add_argument(
        "--port", "-p", default="8000", help="port (default 8000); 0: any free one; auto: 8000 or the next free one"
    )
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    s.add_argument("--drafts", dest="drafts", action="store_true", default=True, help="show drafts (the default)")
    add_trust_argument(s)
    s.add_argument("--no-drafts", dest="drafts", action="store_false", help="leave drafts and future posts out")
    s.add_argument("--open", action="store_true", help="open the site in the browser")
    s.add_argument(
        "--follow", action="store_true", help="open pages go to the post you are editing at each save of its text"
    )
    s.add_argument("--base-url", metavar="URL", help="serve as if published at URL's path (default: the server's)")
    s.set_defaults(func=run_serve)


def _port(text: str) -> int | None:
    if text == "auto":
        return None
    if not text.isdigit() or int(text) > 65535:
        raise SiteError(f"--port must be a number from 0 to 65535, or auto, not {text!r}")
    return int(text)


def print_outcome(outcome: Outcome, root: Path, first: bool) -> None:
    """The terminal's line about a build: what changed, or the one-line errors."""
    if outcome.report is None:
        for error in outcome.errors:
            show_errors(error, root)
        return
    report = outcome.report
    show_notices(report.notices)
    show_warnings(report.warnings, root)
    what = "built" if first else "rebuilt"
    changed = len(report.changed_paths)
    detail = ", ".join(report.changed_paths[:3]) + (", …" if changed > 3 else "")
    files = f"{changed} file{'s' if changed != 1 else ''} changed" + (f" ({detail})" if changed else "")
    say(f"{what} in {outcome.seconds * 1000:.0f} ms: {files}")


def run_serve(args: argparse.Namespace) -> int:
    """Serve the site until Ctrl-C."""
    from ..serve.builds import BuilderProcess
    from ..serve.live import publish_outcome, publish_quick
    from ..serve.loop import build_once, rebuild_forever
    from ..serve.server import CannotListen, LiveState, bind, is_local

    root: Path = args.path
    config = load_config(root, file=args.config)  # a broken site.yaml is reported before anything starts
    port = _port(args.port)
    local = is_local(args.host)
    folder = root / CACHE_DIR / SERVE_DIR
    state = LiveState(folder, "/", follow=args.follow)
    try:
        server = bind(args.host, port, state)
    except CannotListen as exc:
        raise SiteError(str(exc)) from None
    if not local:
        show_warnings([SiteWarning(f"listening on {args.host}: other machines can see your drafts")], root)
    host, bound = server.server_address[:2]
    shown_host = {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "[::1]"}.get(str(host), str(host))
    if ":" in shown_host and not shown_host.startswith("["):
        shown_host = f"[{shown_host}]"  # an IPv6 address in a URL
    address = f"http://{shown_host}:{bound}/"
    base_url = normalize_url(args.base_url) if args.base_url else address
    state.base_path = urlsplit(base_url).path or "/"
    folder.mkdir(parents=True, exist_ok=True)
    options = BuildOptions(
        root=root, output=folder, config=args.config, drafts=args.drafts, base_url=base_url,
        trust_plugins=args.trust_plugins,
    )
    builder = BuilderProcess(options)
    watchers = _watchers(root, args.config)

    def on_outcome(outcome: Outcome, first: bool = False) -> None:
        print_outcome(outcome, root, first)
        publish_outcome(state, outcome, root)

    def on_quick(written: list[str], seconds: float) -> None:
        say(f"updated {', '.join(written)} in {seconds * 1000:.0f} ms")
        publish_quick(state, written)

    try:
        watchers.start()  # before the first build: a save made during it counts
        on_outcome(build_once(builder), first=True)
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True).start()
        say(f"Serving {config.title} at {address.rstrip('/')}{state.base_path} (Ctrl-C to stop)")
        if args.open:
            webbrowser.open(address.rstrip("/") + state.base_path)
        builder.prepare_quick_page()  # so that the first save shows as fast as the next ones
        rebuild_forever(builder, watchers, on_outcome, on_quick)
    except KeyboardInterrupt:
        say("\nstopped")
    finally:
        watchers.close()
        server.stop()
        builder.close()
    return 0


def config_theme_dirs(root: Path, config: Path | None = None) -> list[Path]:
    """The folders of the theme in use and its parents (sitegen's own included)."""
    try:
        return list(load_theme(load_config(root, file=config)).dirs)
    except SiteError:
        return []


def _watchers(root: Path, config: Path | None) -> Watchers:
    from ..serve.watch import Watchers, watch_roots

    def roots() -> tuple[list[Path], list[Path]]:
        try:
            boundary = load_config(root, file=config).boundary()
        except SiteError:  # the build says what is wrong
            boundary = Boundary.of(root)
        return watch_roots(root, config_theme_dirs(root, config), boundary, config)

    return Watchers(root, roots)


def watch_build(options: BuildOptions) -> int:
    """`sitegen build --watch`: the first build is done; rebuild on every save until Ctrl-C."""
    from ..serve.builds import BuilderProcess
    from ..serve.loop import build_once, rebuild_forever

    builder = BuilderProcess(options)  # before the watchers' threads start (see serve.builds)
    watchers = _watchers(options.root, options.config)

    def report(outcome: Outcome) -> None:
        print_outcome(outcome, options.root, False)

    try:
        watchers.start()
        report(build_once(builder))  # catches a save made since the first build (nothing else to do)
        say("watching for changes (Ctrl-C to stop)")
        rebuild_forever(builder, watchers, report)
    except KeyboardInterrupt:
        say("\nstopped")
    finally:
        watchers.close()
        builder.close()
    return 0
