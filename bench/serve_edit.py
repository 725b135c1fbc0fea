#!/usr/bin/env python3
"""Time `sitegen serve` from saving a post to the writer seeing it: served, and shown in the browser.

    python bench/serve_edit.py SITE [--edits 10] [--no-browser]

Starts the dev server on SITE (a corpus from make_corpus.py, or the example site: `.`), then
appends a line to one post several times and times each save two ways, one after the other:
- served: polling the page over HTTP until it holds the new line;
- shown: with the page open in Chromium (Debian's, through Playwright), until the new line is in
  the page and a frame has been drawn with it. Also counts the reloads: the live script morphs the
  page in place, and a reload means it could not.
Prints each time and the medians; also what the server itself printed (its quick-page and rebuild
times).
"""

from __future__ import annotations

import argparse
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from browser import CHROMIUM, CHROMIUM_FLAGS  # the browser the tests drive, driven alike

SETTLE = 2.0
"""Seconds after a save for the full rebuild to finish before the next one."""
# Runs in the page at every load: notes when each "Saved edit number N" first shows (after a frame
# is drawn with it) and how many times the page was loaded, in sessionStorage, which a reload keeps.
WATCH = """
(() => {
  const loads = +(sessionStorage.getItem("bench:loads") || 0) + 1;
  sessionStorage.setItem("bench:loads", String(loads));
  const seen = JSON.parse(sessionStorage.getItem("bench:seen") || "{}");
  const look = () => {
    for (const match of document.body.textContent.matchAll(/Saved edit number (\\d+) at/g)) {
      if (!(match[1] in seen)) {
        seen[match[1]] = -1;
        requestAnimationFrame(() => {
          seen[match[1]] = Date.now();
          sessionStorage.setItem("bench:seen", JSON.stringify(seen));
        });
      }
    }
  };
  addEventListener("DOMContentLoaded", () => {
    look();
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true, characterData: true });
  });
})();
"""


class Editor:
    """Appends a numbered line to one post of the site (one the server serves, from the middle of
    the list), and puts it back at the end."""

    def __init__(self, site: Path, url: str) -> None:
        posts = sorted((site / "content" / "posts").rglob("*.md"))
        for post in posts[len(posts) // 2 :] + posts[: len(posts) // 2]:
            self.post, self.path = post, post_path(post)
            try:
                urllib.request.urlopen(url + self.path, timeout=10).close()
                break
            except urllib.error.HTTPError:  # a draft, or a letter dated in the future
                continue
        else:
            raise SystemExit(f"the server serves none of the posts of {site}")
        self.original = self.post.read_text(encoding="utf-8")
        self.number = 0

    def save(self) -> tuple[str, float]:
        """Save the next edit; return its line and when it was saved (epoch seconds)."""
        self.number += 1
        marker = f"Saved edit number {self.number} at {time.time()}"
        saved = time.time()
        self.post.write_text(self.original + f"\n{marker}\n", encoding="utf-8")
        return marker, saved

    def restore(self) -> None:
        self.post.write_text(self.original, encoding="utf-8")


def post_path(post: Path) -> str:
    """The address of a post file under the site: its slug, else its (bundle's) name without a date."""
    text = post.read_text(encoding="utf-8")
    slug = re.search(r"^slug: (.+)$", text, re.MULTILINE)
    name = post.parent.name if post.stem == "index" else post.stem
    return f"posts/{slug[1].strip() if slug else re.sub(r'^[0-9]{4}-[0-9]{2}-[0-9]{2}-', '', name)}/"


def served(url: str, editor: Editor, edits: int) -> list[float]:
    """Seconds from each save to the page being served with it."""
    times = []
    for n in range(edits):
        marker, saved = editor.save()
        while marker.encode() not in urllib.request.urlopen(url + editor.path, timeout=10).read():
            if time.time() - saved > 60:
                raise SystemExit(f"edit {n} was not served within 60 s")
            time.sleep(0.002)
        times.append(time.time() - saved)
        print(f"edit {n}: new page served after {times[-1] * 1000:.0f} ms", flush=True)
        time.sleep(SETTLE)
    return times


def shown(url: str, editor: Editor, edits: int) -> tuple[list[float], int]:
    """Seconds from each save to the new line drawn in the open page; and the page's reloads."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.add_init_script(WATCH)
        page.goto(url + editor.path)
        page.wait_for_load_state("load")
        time.sleep(0.5)
        for n in range(edits):
            _, saved = editor.save()
            number = editor.number
            page.wait_for_function(
                f"() => (JSON.parse(sessionStorage.getItem('bench:seen') || '{{}}')['{number}'] || -1) > 0",
                timeout=60000, polling=20,
            )
            seen = page.evaluate(f"JSON.parse(sessionStorage.getItem('bench:seen'))['{number}']")
            times.append(seen / 1000 - saved)
            print(f"edit {n}: new text shown in Chromium after {times[-1] * 1000:.0f} ms", flush=True)
            time.sleep(SETTLE)
        reloads = int(page.evaluate("sessionStorage.getItem('bench:loads')")) - 1
        browser.close()
    return times, reloads


def start_server(site: Path, said: list[str]) -> tuple[subprocess.Popen[str], str]:
    """The server, and its address; what it prints goes on into `said` (read as it comes, so that
    a full pipe never stops it)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(site), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        # Ctrl-C stops it, as it does a writer's: a shell that starts this script in the
        # background has it ignore SIGINT, and the server would inherit that
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert server.stdout is not None
    while True:
        line = server.stdout.readline()
        if not line:
            raise SystemExit("the server did not start")
        if match := re.search(r"at (http://127\.0\.0\.1:\d+/\S*)", line):
            threading.Thread(target=lambda: said.extend(server.stdout or ()), daemon=True).start()
            return server, match[1]


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--no-browser", action="store_true", help="only the HTTP measurement")
    args = parser.parse_args()
    said: list[str] = []
    server, url = start_server(args.site, said)
    editor = Editor(args.site, url)
    results: list[str] = []
    try:
        http = served(url, editor, args.edits)
        results.append(f"save -> new page served (HTTP): median {median_ms(http)} over {len(http)} edits")
        if not args.no_browser and Path(CHROMIUM).exists():
            browser, reloads = shown(url, editor, args.edits)
            results.append(f"save -> new text shown in Chromium: median {median_ms(browser)} over {len(browser)} edits")
            results.append(f"page reloads instead of morphing: {reloads} of {len(browser)}")
    finally:
        editor.restore()
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            said.append("(the server did not stop on Ctrl-C within 60 s)\n")
        time.sleep(0.2)  # the rest of what it printed
    print("\n".join(results))
    print("server said (last lines):\n" + "".join([line for line in said if " ms" in line or "stop" in line][-4:]))


if __name__ == "__main__":
    main()
