"""`sitegen serve` in a real subprocess, driven by a real headless Chromium."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import SITE_YAML, Site, post
from playwright.sync_api import Browser, Page

from sitegen.engine.builder import build
from sitegen.engine.options import BuildOptions
from sitegen.serve.server import LiveState, bind, is_local

INJECTED = re.compile(r'<script src="/__sitegen/live\.js" data-base="/"></script>')
SECOND = "content/posts/second.md"


@dataclass
class Server:
    """A running `sitegen serve`."""

    process: subprocess.Popen[str]
    url: str
    site: Site

    def get(self, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
        request = urllib.request.Request(self.url + path.lstrip("/"), method=method)
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def wait_for(self, check: Callable[[], bool], timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while not check():
            assert time.monotonic() < deadline, "timed out"
            assert self.process.poll() is None, "the server died"
            time.sleep(0.05)

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        out, err = self.process.communicate(timeout=15)
        return self.process.returncode, out + err


def start(site: Site, *args: str) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(site.root), "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    for _ in range(50):
        line = process.stdout.readline()
        if match := re.search(r"at (http://127\.0\.0\.1:\d+/)", line):
            return Server(process, match[1], site)
    process.kill()
    raise AssertionError(f"no server started: {process.communicate()}")


@pytest.fixture
def server(make_site: Callable[..., Site]) -> Iterator[Server]:
    site = make_site()
    site.write({
        "site.yaml": SITE_YAML + "theme: child\n",
        "themes/child/theme.yaml": "parent: default\n",
        "themes/child/static/extra.css": "p { color: rgb(1, 2, 3); }\n",
        "themes/child/templates/base.html": (REPO_THEME / "templates/base.html").read_text().replace(
            "{% block styles %}{% endblock %}",
            "<link rel=\"stylesheet\" href=\"{{ '/extra.css' | asset }}\">{% block styles %}{% endblock %}",
        ),
    })
    running = start(site)
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


REPO_THEME = Path(__file__).resolve().parent.parent / "src/sitegen/themes/default"


def open_page(browser: Browser, url: str) -> Page:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_function("() => window.__loaded = true")  # a mark a full reload would erase
    return page


FIRST = "content/posts/first.md"
LONG_BODY = "".join(f"Paragraph {n} of a letter long enough to scroll.\n\n" for n in range(40))


def first_post(body: str) -> dict[str, str]:
    return {FIRST: post("First post", "2024-01-05", LONG_BODY + body, tags="[writing, Networking]")}


def test_a_saved_post_is_morphed_into_the_open_page(server: Server, browser: Browser) -> None:
    """The open page takes a save without a reload: the reader's place, focus and open <details>
    stay, the copy-note button keeps what connect.js made of it, and a stylesheet the new
    text needs (a callout's) arrives with it."""
    server.site.write(first_post("The last words.\n"))
    server.wait_for(lambda: b"Paragraph 39" in server.get("/posts/first/")[2])
    page = open_page(browser, server.url + "posts/first/")
    copy_open = "() => document.querySelector('a[data-copy-open]').textContent"
    page.wait_for_function(f"() => ({copy_open})().startsWith('Copy the note')")  # connect.js ran
    assert page.locator("link[href*='extras.css']").count() == 0
    server.site.write(first_post("The last words.\n\n??? tip \"More to read\"\n    Folded words.\n"))
    page.wait_for_function("() => document.querySelector('details.callout') !== null", timeout=15000)
    assert page.evaluate("window.__loaded") is True  # morphed, not reloaded
    border = "() => getComputedStyle(document.querySelector('.callout')).borderInlineStartWidth"
    page.wait_for_function(f"() => ({border})() === '4px'")  # extras.css came with the callout

    page.locator("details.callout summary").click()  # opens it, and it has the focus
    page.evaluate("window.scrollTo(0, 600)")
    page.evaluate("document.body.appendChild(Object.assign(document.createElement('p'), {id: 'toast'}))")
    server.site.write(first_post("The *new* last words.\n\n??? tip \"More to read\"\n    Folded words.\n"))
    page.wait_for_function("() => document.body.innerText.includes('The new last words.')", timeout=15000)
    assert page.evaluate("window.__loaded") is True
    assert page.evaluate("document.querySelector('details.callout').open") is True
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    assert 550 <= page.evaluate("window.scrollY") <= 650
    assert page.evaluate(copy_open).startswith("Copy the note")
    assert page.locator("#toast").count() == 1  # what a script added, the server never sent: kept


def test_follow_takes_the_open_page_to_the_post_being_edited(make_site: Callable[..., Site], browser: Browser) -> None:
    running = start(make_site(), "--follow")
    try:
        page = open_page(browser, running.url + "about/")
        running.site.write({SECOND: post("Second post", "2025-02-10 09:30", "Followed words.\n", author="ben")})
        page.wait_for_url(running.url + "posts/second/", timeout=15000)
        page.wait_for_function("() => document.body.innerText.includes('Followed words.')")
    finally:
        running.stop()


def test_without_follow_the_open_page_stays(server: Server, browser: Browser) -> None:
    page = open_page(browser, server.url + "about/")
    server.site.write({SECOND: post("Second post", "2025-02-10 09:30", "Unfollowed words.\n", author="ben")})
    server.wait_for(lambda: b"Unfollowed words." in server.get("/posts/second/")[2])
    time.sleep(0.5)  # what a page that follows would take to go
    assert page.url == server.url + "about/"
    assert page.evaluate("window.__loaded") is True


def test_the_morphing_library_is_the_one_npm_ships() -> None:
    """sitegen serve ships a copy of idiomorph (src/sitegen/serve/vendor/): the version package.json
    pins, byte for byte (the test command installs it with npm ci)."""
    repository = REPO_THEME.parents[3]
    pinned = json.loads((repository / "package.json").read_text())["devDependencies"]["idiomorph"]
    installed = repository / "node_modules" / "idiomorph"
    assert json.loads((installed / "package.json").read_text())["version"] == pinned
    vendored = repository / "src" / "sitegen" / "serve" / "vendor"
    assert (vendored / "idiomorph.min.js").read_bytes() == (installed / "dist" / "idiomorph.min.js").read_bytes()
    assert (vendored / "idiomorph.LICENSE").read_bytes() == (installed / "LICENSE").read_bytes()


def test_a_page_whose_scripts_change_is_reloaded(server: Server, browser: Browser) -> None:
    """A morph cannot run a script the page did not have: a new one reloads the page."""
    page = open_page(browser, server.url + "posts/second/")
    page.evaluate("window.scrollTo(0, 100)")
    base = (server.site.root / "themes/child/templates/base.html").read_text()
    server.site.write({
        "themes/child/static/extra.js": "document.documentElement.dataset.extra = 'ran';\n",
        "themes/child/templates/base.html": base.replace(
            "{% block scripts %}", "<script src=\"{{ '/extra.js' | asset }}\" defer></script>{% block scripts %}"
        ),
    })
    page.wait_for_function("() => document.documentElement.dataset.extra === 'ran'", timeout=15000)
    assert page.evaluate("window.__loaded") is None  # reloaded: the mark is gone
    page.wait_for_function("() => window.scrollY > 50")  # and the reader's place is kept


def test_a_broken_post_shows_an_overlay_and_fixing_it_clears_it(server: Server, browser: Browser) -> None:
    page = open_page(browser, server.url + "posts/second/")
    server.site.write({SECOND: "---\ntitle: [unclosed\ndate: 2025-02-10\n---\nWords.\n"})
    overlay = page.locator("#sitegen-overlay .overlay")  # in its shadow root (Playwright looks inside)
    overlay.wait_for(state="visible", timeout=15000)
    assert "content/posts/second.md:2:8: invalid YAML: this '[' is never closed" in overlay.inner_text()
    assert "title: [unclosed" in overlay.inner_text()  # the offending lines
    status, _, body = server.get("/posts/second/")  # the last good site is still served...
    assert status == 200 and b"More words." in body
    assert b'id="sitegen-overlay"' in body  # ...with the overlay on a fresh load too
    fresh = open_page(browser, server.url)
    assert fresh.locator("#sitegen-overlay .overlay").is_visible()
    server.site.write({SECOND: post("Second post", "2025-02-10 09:30", "Fixed words.\n", author="ben")})
    page.wait_for_function("() => document.body.innerText.includes('Fixed words.')", timeout=15000)
    assert page.locator("#sitegen-overlay").count() == 0
    fresh.locator("#sitegen-overlay").wait_for(state="detached", timeout=15000)


@pytest.mark.parametrize("how", ["open page", "fresh load"])
def test_the_overlay_is_untouched_by_the_page_styles_and_passes_axe(
    server: Server, browser: Browser, how: str
) -> None:
    """A theme's `pre` rule (pygments.css) once made the error line black on dark red, and the
    page's title showed through a 94 % opaque background."""
    from axe_playwright_python.sync_playwright import Axe

    server.site.write({"content/posts/code.md": post("Code", "2025-03-01", "```python\nprint('x')\n```\n")})
    server.wait_for(lambda: server.get("/posts/code/")[0] == 200)
    page = open_page(browser, server.url + "posts/code/")
    server.site.write({SECOND: "---\ntitle: [unclosed\ndate: 2025-02-10\n---\nWords.\n"})
    page.locator("#sitegen-overlay .overlay").wait_for(state="visible", timeout=15000)
    if how == "fresh load":
        page = open_page(browser, server.url + "posts/code/")
    at = page.locator("#sitegen-overlay .at")
    styles = at.evaluate("e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color]")
    assert styles == ["rgb(122, 38, 20)", "rgb(255, 255, 255)"]
    box = page.locator("#sitegen-overlay .overlay").evaluate("e => getComputedStyle(e).backgroundColor")
    assert box == "rgb(20, 18, 16)"  # opaque: nothing of the page shows through
    results = Axe().run(page, context={"include": [["#sitegen-overlay"]]}, options={
        "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag2aaa"]}
    })
    assert results.response["violations"] == [], results.generate_report()


def test_a_stylesheet_change_swaps_styles_without_a_reload(server: Server, browser: Browser) -> None:
    page = open_page(browser, server.url + "about/")
    color = "() => getComputedStyle(document.querySelector('main p')).color"
    assert page.evaluate(color) == "rgb(1, 2, 3)"
    server.site.write({"themes/child/static/extra.css": "p { color: rgb(4, 5, 6); }\n"})
    page.wait_for_function(f"() => ({color})() === 'rgb(4, 5, 6)'", timeout=15000)
    assert page.evaluate("window.__loaded") is True  # no reload


def test_a_deleted_post_is_gone(server: Server) -> None:
    assert server.get("/posts/second/")[0] == 200
    (server.site.root / SECOND).unlink()
    server.wait_for(lambda: server.get("/posts/second/")[0] == 404)
    _, headers, body = server.get("/posts/second/")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<title>Page not found" in body  # the site's own 404 page


def test_quick_saves_all_land(server: Server) -> None:
    for n in range(5):  # faster than a rebuild: later saves arrive while one runs
        server.site.write({SECOND: post("Second post", "2025-02-10 09:30", f"Save number {n}.\n", author="ben")})
        time.sleep(0.03)
    server.wait_for(lambda: b"Save number 4." in server.get("/posts/second/")[2])


def test_served_pages_are_what_build_writes(server: Server, tmp_path: Path) -> None:
    out = tmp_path / "built"
    build(BuildOptions(root=server.site.root, output=out, drafts=True, base_url=server.url))
    for page in ("index.html", "posts/first/index.html", "tags/writing/index.html", "feed.xml", "extra.css"):
        url = "/" + page.removesuffix("index.html")
        _, _, body = server.get(url)
        assert INJECTED.sub("", body.decode()) == (out / page).read_text(), page


def test_the_server_is_safe_to_leave_running(server: Server) -> None:
    for path in ("/..%2f..%2fsite.yaml", "/%2e%2e/%2e%2e/site.yaml", "/../site.yaml", "/.sitegen-output", "/%00"):
        assert server.get(path)[0] == 404, path
    status, headers, body = server.get("/posts/first/", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 1000
    assert headers["Cache-Control"] == "no-store"
    assert server.get("/style.css")[1]["Content-Type"] == "text/css; charset=utf-8"
    assert server.get("/atom.xml")[1]["Content-Type"] == "application/xml; charset=utf-8"
    assert server.get("/about")[0] == 200  # redirected to /about/
    started = time.monotonic()
    with ThreadPoolExecutor(50) as pool:
        statuses = list(pool.map(lambda _: server.get("/posts/first/")[0], range(50)))
    assert statuses == [200] * 50
    assert time.monotonic() - started < 5


def test_ctrl_c_stops_it_cleanly(server: Server) -> None:
    status, output = server.stop()
    assert status == 0
    assert "Traceback" not in output


def test_a_taken_port_is_named(make_site: Callable[..., Site]) -> None:
    site = make_site()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "sitegen", "serve", str(site.root), "--port", str(port)],
            capture_output=True, text=True, timeout=30,
        )
    assert result.returncode == 1
    assert result.stderr == f"error: port {port} is already in use: choose another with --port, or --port auto\n"


def test_build_watch_rebuilds_on_save(make_site: Callable[..., Site]) -> None:
    site = make_site()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", str(site.root), "--watch"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert process.stdout is not None
        while "watching" not in process.stdout.readline():
            pass
        time.sleep(0.3)
        site.write({SECOND: post("Second post", "2025-02-10 09:30", "Watched words.\n", author="ben")})
        deadline = time.monotonic() + 15
        target = site.out / "posts/second/index.html"
        while "Watched words." not in target.read_text():
            assert time.monotonic() < deadline
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=15)
    assert process.returncode == 0 and "Traceback" not in err


def test_port_auto_takes_the_next_free_one(tmp_path: Path) -> None:
    state = LiveState(tmp_path, "/")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        server = bind("127.0.0.1", None, state, first=port)
        try:
            assert server.server_address[1] > port
        finally:
            server.server_close()


def test_only_loopback_addresses_count_as_local() -> None:
    assert is_local("127.0.0.1") and is_local("localhost") and is_local("::1")
    assert not is_local("0.0.0.0")


def test_a_symlinked_content_folder_is_watched(make_site: Callable[..., Site], tmp_path: Path) -> None:
    site = make_site()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.md").write_text(post("Linked post", "2026-01-01", "Linked words.\n"))
    (site.root / "content/posts/more").symlink_to(elsewhere, target_is_directory=True)
    site.write({"site.yaml": SITE_YAML + "allow_outside: [../elsewhere]\n"})
    running = start(site)
    try:
        assert b"Linked words." in running.get("/posts/linked/")[2]
        (elsewhere / "linked.md").write_text(post("Linked post", "2026-01-01", "Saved elsewhere.\n"))
        running.wait_for(lambda: b"Saved elsewhere." in running.get("/posts/linked/")[2])
    finally:
        running.stop()


FORK_WATCH = """\
import os, sys, threading
flag = sys.argv[1]
def note_fork():
    if threading.active_count() > 1:  # forking now copies the locks the other threads hold
        with open(flag, "a") as out:
            out.write(f"fork with {threading.active_count()} threads in {os.getpid()}\\n")
os.register_at_fork(before=note_fork)
sys.argv[1:] = sys.argv[2:]
from sitegen.cli import run  # the `sitegen` command itself, which ends the process without teardown
run()
"""


def _lines_of(process: subprocess.Popen[str], wait: float = 120.0) -> Callable[[], str]:
    """A reader of the process's output, a line at a time, that fails after `wait` seconds
    without one rather than hanging the suite (a server that never says "rebuilt")."""
    import queue
    import threading

    found: queue.Queue[str] = queue.Queue()
    assert process.stdout is not None
    stream = process.stdout
    def read() -> None:
        for line in stream:
            found.put(line)

    threading.Thread(target=read, daemon=True).start()

    def next_line() -> str:
        try:
            return found.get(timeout=wait)
        except queue.Empty:
            pytest.fail(f"no line from the server in {wait:.0f} s")

    return next_line


@pytest.mark.parametrize("command", ["serve", "build --watch"])
def test_no_process_forks_while_the_servers_threads_run(
    make_site: Callable[..., Site], tmp_path: Path, command: str
) -> None:
    """The builder's pools fork; a fork while the HTTP or watcher threads run can deadlock the
    child (Python 3.12 warns: -W error turns the warning into a failure there)."""
    site = make_site()
    site.write({f"content/posts/p{n:03}.md": post(f"Post {n}", "2025-01-01", f"Words {n}.\n") for n in range(240)})
    flag = tmp_path / "forks.txt"
    args = [*command.split(), str(site.root), *(["--port", "0"] if command == "serve" else [])]
    process = subprocess.Popen(
        [sys.executable, "-W", "error::DeprecationWarning", "-c", FORK_WATCH, str(flag), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    lines = _lines_of(process)
    try:
        while not re.search(r"^(Serving|watching)", lines()):
            assert process.poll() is None, process.communicate()
        # a new time zone: every file parsed again and every page rendered, by the pools
        site.write({"site.yaml": SITE_YAML.replace("America/Toronto", "Europe/Paris")})
        while not lines().startswith("rebuilt"):
            assert process.poll() is None, process.communicate()
    finally:
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
    assert process.returncode == 0 and "Traceback" not in err, err
    assert not flag.exists(), flag.read_text()


def test_odd_requests_get_an_answer_and_no_traceback(server: Server) -> None:
    assert server.get("/" + "a" * 300 + "/")[0] == 404  # a name too long for the file system
    with socket.create_connection(("127.0.0.1", int(server.url.split(":")[-1].strip("/")))) as dropped:
        dropped.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: x\r\n\r\n")
        dropped.recv(10)  # and goes away mid-stream
    assert server.get("/")[0] == 200
    status, output = server.stop()
    assert status == 0 and "Traceback" not in output


def test_many_idle_connections_do_not_stop_the_others(make_site: Callable[..., Site]) -> None:
    """300 clients that open a connection and say nothing, with macOS's default of 256 open files."""
    import resource

    site = make_site()
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(site.root), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256)),
    )
    assert process.stdout is not None
    while not (match := re.search(r"at http://127\.0\.0\.1:(\d+)/", process.stdout.readline())):
        assert process.poll() is None
    port = int(match[1])
    idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]
    try:
        running = Server(process, f"http://127.0.0.1:{port}/", site)
        deadline = time.monotonic() + 20
        while True:
            try:
                assert running.get("/")[0] == 200
                break
            except (OSError, urllib.error.URLError):
                assert time.monotonic() < deadline, "no answer while idle clients held the server"
                time.sleep(0.5)
    finally:
        for connection in idle:
            connection.close()
        status, output = running.stop()
    assert status == 0 and "Traceback" not in output


@pytest.mark.parametrize(
    ("host", "message"),
    [
        ("no-such-host.invalid", "error: no address for the host 'no-such-host.invalid': give a name this machine "
                                 "knows, or an address\n"),
        ("192.0.2.1", "error: 192.0.2.1 is not an address of this machine: listen on one of its own (127.0.0.1 for "
                      "it alone)\n"),
    ],
)
def test_where_it_cannot_listen_it_says_why(make_site: Callable[..., Site], host: str, message: str) -> None:
    site = make_site()
    result = subprocess.run(
        [sys.executable, "-m", "sitegen", "serve", str(site.root), "--host", host, "--port", "0"],
        capture_output=True, text=True, timeout=30,
    )
    assert (result.returncode, result.stderr.splitlines()[-1] + "\n") == (1, message)


def test_it_listens_on_ipv6_loopback(make_site: Callable[..., Site]) -> None:
    site = make_site()
    running = start_at(site, r"at (http://\[::1\]:\d+/)", "--host", "::1")
    try:
        assert running.get("/")[0] == 200
    finally:
        running.stop()


def test_served_under_a_path_the_root_leads_there(make_site: Callable[..., Site]) -> None:
    site = make_site()
    running = start(site, "--base-url", "https://example.org/letters/")
    try:
        request = urllib.request.Request(running.url, method="GET")
        opener = urllib.request.build_opener(NoRedirect)
        try:
            opener.open(request, timeout=10)
            raise AssertionError("no redirect")
        except urllib.error.HTTPError as answer:
            assert (answer.code, answer.headers["Location"]) == (302, "/letters/")
        assert running.get("/letters/")[0] == 200
    finally:
        running.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def start_at(site: Site, pattern: str, *args: str) -> Server:
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(site.root), "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert process.stdout is not None
    for _ in range(50):
        if match := re.search(pattern, process.stdout.readline()):
            return Server(process, match[1], site)
    process.kill()
    raise AssertionError(f"no server started: {process.communicate()}")


BAD_SAVES = {
    "a form feed": lambda root: (root / SECOND).write_text(post("Second post", "2025-02-10", "A\x0cB\n")),
    "a link to nothing": lambda root: (root / "content/posts/gone.jpg").symlink_to(root / "nowhere.jpg"),
    "a FIFO": lambda root: os.mkfifo(root / "content/pipe"),
    "a name that is not UTF-8": lambda root: (  # which the watcher does not report: a save beside it
        (root / "content/posts").joinpath(os.fsdecode(b"caf\xe9.md")).write_text(post("Cafe", "2025-01-01")),
        (root / "content/pages/about.md").write_text("---\ntitle: About\n---\nSaved again.\n"),
    ),
    "a slug of 300 letters": lambda root: (root / SECOND).write_text(post("Second post", "2025-02-10", slug="a" * 300)),
}


def test_the_server_survives_every_bad_save_and_serves_the_fix(server: Server) -> None:
    """Each bad file in turn: an error in the page and the terminal, the last good site still
    served, the server never gone; then the fix shows."""
    root = server.site.root
    good = post("Second post", "2025-02-10 09:30", "Good words.\n", author="ben")
    for name, save in BAD_SAVES.items():
        save(root)
        server.wait_for(lambda: b"The site did not build" in server.get("/posts/second/")[2])  # the overlay
        assert server.get("/posts/second/")[0] == 200, name  # the last good page, still served
        for leftover in ("content/posts/gone.jpg", "content/pipe"):
            (root / leftover).unlink(missing_ok=True)
        for path in (root / "content/posts").iterdir():
            if path.name.encode("utf-8", "surrogateescape") == b"caf\xe9.md":
                path.unlink()
        server.site.write({SECOND: good})
        server.wait_for(lambda: b"Good words." in server.get("/posts/second/")[2] and b"did not build" not in
                        server.get("/posts/second/")[2])
    status, output = server.stop()
    assert status == 0 and "Traceback" not in output


def test_saves_show_after_content_is_removed_and_restored(server: Server) -> None:
    root = server.site.root
    (root / "content").rename(root / "content-moved")
    server.wait_for(lambda: b"did not build" in server.get("/")[2])
    (root / "content-moved").rename(root / "content")
    server.wait_for(lambda: b"did not build" not in server.get("/")[2])
    time.sleep(0.6)  # the new watcher starts
    server.site.write({SECOND: post("Second post", "2025-02-10 09:30", "Back again.\n", author="ben")})
    server.wait_for(lambda: b"Back again." in server.get("/posts/second/")[2])
