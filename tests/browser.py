"""Serve a built site on 127.0.0.1 and drive Debian's chromium with Playwright."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def static_server() -> Iterator[tuple[ThreadingHTTPServer, list[Path]]]:
    """A file server on a free port; set `holder[0]` to the folder to serve before requests."""
    holder: list[Path] = []

    class Handler(_QuietHandler):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, directory=str(holder[0]), **kwargs)  # type: ignore[arg-type]

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server, holder
    finally:
        server.shutdown()
        server.server_close()


def server_url(server: ThreadingHTTPServer) -> str:
    """The http://127.0.0.1:PORT/ of a running server."""
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"


