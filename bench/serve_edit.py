#!/usr/bin/env python3
"""Time `sitegen serve` from saving a post to the new page being served, as a writer waits for it.

    python bench/serve_edit.py SITE [--edits 5]

Starts the dev server on SITE (a corpus from make_corpus.py), then appends a line to one post
several times, and for each save polls the page until it holds the new line. Prints each time
and the median; also what the server itself printed (its quick-page and rebuild times).
"""

from __future__ import annotations

import argparse
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("site", type=Path)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    server = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "serve", str(args.site), "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert server.stdout is not None
    url = ""
    while not url:
        line = server.stdout.readline()
        if not line:
            raise SystemExit("the server did not start")
        if match := re.search(r"at (http://127\.0\.0\.1:\d+/)", line):
            url = match[1]
    posts = sorted((args.site / "content" / "posts").rglob("*.md"))
    post = posts[len(posts) // 2]
    original = post.read_text(encoding="utf-8")
    slug = re.search(r"^slug: (.+)$", original, re.MULTILINE)
    page = url + f"posts/{slug[1] if slug else post.stem}/"
    times = []
    try:
        for n in range(args.edits):
            marker = f"Saved edit number {n} at {time.time()}"
            started = time.perf_counter()
            post.write_text(original + f"\n{marker}\n", encoding="utf-8")
            while marker.encode() not in urllib.request.urlopen(page, timeout=10).read():
                time.sleep(0.002)
            times.append(time.perf_counter() - started)
            print(f"edit {n}: new page served after {times[-1] * 1000:.0f} ms", flush=True)
            time.sleep(1.5)  # let the full rebuild finish before the next save
    finally:
        post.write_text(original, encoding="utf-8")
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=30)
    print(f"median: {statistics.median(times) * 1000:.0f} ms over {len(times)} edits")
    print("server said:\n" + "\n".join(line for line in output.splitlines() if "ms" in line))


if __name__ == "__main__":
    main()
