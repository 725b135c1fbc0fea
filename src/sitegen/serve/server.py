"""The development server: serves a built output folder, with live reload, safely.

Only files inside the folder are served (no `..`, encoded or not, no symlink out, no dotfiles);
unknown paths get the site's own 404 page; every response says `Cache-Control: no-store`, so a
reload after a rebuild never shows a stale page.
"""

from __future__ import annotations

import errno
import hashlib
import json
import mimetypes
import queue
import re
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

try:
    import resource
except ImportError:  # pragma: no cover - Windows
    resource = None  # type: ignore[assignment]

from .livereload import LIVE_PREFIX, LiveError, inject, live_script

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
}
ASSET_HASH = re.compile(rb"\?v=[0-9a-f]{10}")
KEEPALIVE_SECONDS = 15
IDLE_SECONDS = 5.0
"""How long a connection may stay silent before the server closes it (the event stream of an open
page is written to every KEEPALIVE_SECONDS)."""


def content_type(path: Path) -> str:
    """The Content-Type of a file, UTF-8 for text."""
    suffix = path.suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


class LiveState:
    """What the server threads share: the folder served, the current build error, the open pages."""

    def __init__(self, folder: Path, base_path: str, follow: bool = False) -> None:
        self.folder = folder.resolve()
        self.base_path = base_path
        self.follow = follow
        """Whether open pages go to the post being edited (`serve --follow`)."""
        self.error: LiveError | None = None
        self._clients: list[queue.SimpleQueue[str | None]] = []
        self._lock = threading.Lock()
        self._served: dict[str, str] = {}
        """dest -> hash of the page as last served, asset hashes left out (see `classify`)."""

    def subscribe(self) -> queue.SimpleQueue[str | None]:
        """A queue of events for one open page."""
        events: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        with self._lock:
            self._clients.append(events)
        return events

    def unsubscribe(self, events: queue.SimpleQueue[str | None]) -> None:
        """Forget a page that went away."""
        with self._lock:
            if events in self._clients:
                self._clients.remove(events)

    def publish(self, event: str) -> None:
        """Send an event (JSON) to every open page."""
        with self._lock:
            for client in self._clients:
                client.put(event)

    def close(self) -> None:
        """End every open event stream."""
        with self._lock:
            for client in self._clients:
                client.put(None)

    def remember(self, dest: str, page: bytes) -> None:
        """Note what a page looked like when served."""
        with self._lock:
            self._served[dest] = _page_hash(page)

    def classify(self, changed: list[str]) -> dict[str, list[str]]:
        """Sort changed output files for the browser: stylesheets (swapped in place), pages whose
        content changed (morphed into open pages; a page that only links a new stylesheet hash is
        not), the rest."""
        css = [p for p in changed if p.endswith(".css")]
        pages, other, removed = [], [], []
        for path in changed:
            file = self.folder / path
            if not file.is_file():
                removed.append(path)
            elif path.endswith(".html"):
                with self._lock:
                    before = self._served.get(path)
                if before is None or before != _page_hash(file.read_bytes()):
                    pages.append(path)
            elif not path.endswith((".css", ".xml", ".json", ".txt")):
                other.append(path)
        return {"css": css, "pages": pages, "other": other, "removed": removed}


def _page_hash(page: bytes) -> str:
    return hashlib.blake2b(ASSET_HASH.sub(b"", page), digest_size=16).hexdigest()


class Handler(BaseHTTPRequestHandler):
    """GET and HEAD for the output folder, plus the live-reload script and event stream."""

    server: DevServer
    protocol_version = "HTTP/1.1"
    timeout = IDLE_SECONDS

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: the terminal is for build results and errors."""

    def do_HEAD(self) -> None:
        """Headers only."""
        self._respond(head=True)

    def do_GET(self) -> None:
        """A file, the live script, the event stream, or the site's 404 page."""
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        state = self.server.state
        path = urlsplit(self.path).path
        if path == "/" and state.base_path != "/":  # served as if published under a path
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", state.base_path)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == state.base_path + LIVE_PREFIX + "live.js":
            self._send(HTTPStatus.OK, live_script(), TYPES[".js"], head)
        elif path == state.base_path + LIVE_PREFIX + "events" and not head:
            self._stream_events()
        else:
            self._serve_file(path, head)

    def _serve_file(self, path: str, head: bool) -> None:
        state = self.server.state
        target, redirect = resolve(state.folder, state.base_path, path)
        if redirect:
            self.send_response(HTTPStatus.MOVED_PERMANENTLY)
            self.send_header("Location", redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        status = HTTPStatus.OK
        if target is None:
            status, target = HTTPStatus.NOT_FOUND, state.folder / "404.html"
            if not target.is_file():  # no site built yet: a bare page that can show the error overlay
                page = b"<!doctype html><html lang=en><title>Not found</title><body><p>Not found.</p></body></html>"
                self._send(status, inject(page, state.base_path, state.error), TYPES[".html"], head)
                return
        try:
            body = target.read_bytes()
        except OSError:  # removed by a rebuild between the check and the read
            self._send(HTTPStatus.NOT_FOUND, b"Not found", TYPES[".txt"], head)
            return
        kind = content_type(target)
        if kind.startswith("text/html"):
            if status == HTTPStatus.OK:
                state.remember(target.relative_to(state.folder).as_posix(), body)
            body = inject(body, state.base_path, state.error)
        self._send(status, body, kind, head)

    def _send(self, status: HTTPStatus, body: bytes, kind: str, head: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _stream_events(self) -> None:
        state = self.server.state
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        events = state.subscribe()
        try:
            self._write_event(json.dumps({"type": "hello"}))
            if state.error:
                self._write_event(state.error.event())
            while not self.server.stopping.is_set():
                try:
                    event = events.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    continue
                if event is None:
                    break
                self._write_event(event)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            pass
        finally:
            state.unsubscribe(events)

    def _write_event(self, data: str) -> None:
        self.wfile.write(f"data: {data}\n\n".encode())
        self.wfile.flush()


def resolve(folder: Path, base_path: str, url_path: str) -> tuple[Path | None, str | None]:
    """The file a URL path names inside `folder`, or a redirect (a folder without its slash).

    Returns (None, None) for anything outside the folder, hidden, or missing.
    """
    decoded = unquote(url_path)
    if not decoded.startswith(base_path) or "\0" in decoded or "\\" in decoded:
        return None, None
    relative = PurePosixPath(decoded[len(base_path) :])
    if any(part in ("..", ".") or part.startswith(".") for part in relative.parts):
        return None, None
    target = folder / relative
    try:  # a name too long for the file system, a loop of links: no such page
        real = target.resolve()
        if not real.is_relative_to(folder):
            return None, None
        if real.is_dir():
            if not url_path.endswith("/"):
                return None, url_path + "/"
            target = real / "index.html"
        return (target, None) if target.is_file() else (None, None)
    except OSError:
        return None, None


class DevServer(ThreadingHTTPServer):
    """A threaded server with a deep listen queue (a browser opens many connections at once), that
    drops idle connections and holds no more than the process's files allow."""

    daemon_threads = True
    request_queue_size = 128
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], state: LiveState, family: int = socket.AF_INET) -> None:
        self.state = state
        self.stopping = threading.Event()
        self.started = False
        self.address_family = family
        # each connection holds a file: past the process's limit, accept() fails for everyone
        limit = resource.getrlimit(resource.RLIMIT_NOFILE)[0] if resource else 1024
        self._slots = threading.BoundedSemaphore(max(8, min(512, limit - 64)))
        super().__init__(address, Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        """Serve a connection in a thread of its own, or close it at once when all slots are taken."""
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection, then free its slot."""
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away is no news: say nothing of it (anything else is a bug: its
        traceback, as socketserver prints it)."""
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError | OSError):
            super().handle_error(request, client_address)

    def serve_forever(self, poll_interval: float = 0.5) -> None:
        """Serve until `stop`."""
        self.started = True
        super().serve_forever(poll_interval)

    def stop(self) -> None:
        """Stop serving and end the event streams."""
        self.stopping.set()
        self.state.close()
        if self.started:  # shutdown() waits for a serve_forever that must have begun
            self.shutdown()
        self.server_close()


class CannotListen(Exception):
    """The server cannot listen where it was asked to: the message says why."""


def _family(host: str) -> int:
    """The address family of `host` (IPv6 for "::" and "::1").

    Raises:
        CannotListen: when the name has no address.
    """
    try:
        return int(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)[0][0])
    except (OSError, UnicodeError):
        raise CannotListen(f"no address for the host {host!r}: give a name this machine knows, or an address") from None


def _why(exc: OSError, host: str, port: int) -> str:
    if exc.errno == errno.EADDRINUSE:
        return f"port {port} is already in use: choose another with --port, or --port auto"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this machine: listen on one of its own (127.0.0.1 for it alone)"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"not allowed to listen on port {port} (ports below 1024 need special rights): choose another"
    return f"cannot listen on {host} port {port}: {exc.strerror or exc}"


def bind(host: str, port: int | None, state: LiveState, first: int = 8000) -> DevServer:
    """A server on `host:port`; port None means the first free one from `first` up.

    Raises:
        CannotListen: saying why (the port is taken, the address is not this machine's...).
    """
    family = _family(host)
    if port is not None:
        try:
            return DevServer((host, port), state, family)
        except OSError as exc:
            raise CannotListen(_why(exc, host, port)) from None
    for candidate in range(first, first + 100):
        try:
            return DevServer((host, candidate), state, family)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:
                raise CannotListen(_why(exc, host, candidate)) from None
    return DevServer((host, 0), state, family)


def is_local(host: str) -> bool:
    """Whether `host` only accepts connections from this machine."""
    try:
        addresses = [str(info[4][0]) for info in socket.getaddrinfo(host, None)]
        return all(a == "::1" or a.startswith("127.") for a in addresses)
    except OSError:
        return False
