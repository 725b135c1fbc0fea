"""The output folder is the last good site, the new one, or marked unfinished: never a mix, never a
temporary file, never anything outside it; whatever stops a build (kill -9, a full disk, a
second build at the same time)."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOW, Run, Site, post

from sitegen.engine.builder import build
from sitegen.engine.options import BuildOptions
from sitegen.output.lock import OutputLock
from sitegen.output.writer import JOURNAL, MARKER, STAGING

KILLS = int(os.environ.get("SITEGEN_KILLS", "8"))
"""Builds killed at a random moment by the harness (more: SITEGEN_KILLS=200)."""


def site_files(out: Path) -> dict[str, bytes]:
    """The files of a built site (sitegen's own marker aside)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MARKER
    }


def fresh(site: Site, tmp_path: Path, name: str, **options: object) -> dict[str, bytes]:
    out = tmp_path / name
    shutil.rmtree(out, ignore_errors=True)
    build(BuildOptions(root=site.root, output=out, now=NOW, use_cache=False, **options))  # type: ignore[arg-type]
    return site_files(out)


def letters(count: int, words: str) -> dict[str, str | bytes]:
    return {
        f"content/posts/p{n:03}.md": post(f"Letter {n}", f"2025-{n % 12 + 1:02}-{n % 28 + 1:02}",
                                          f"{words} {n}.\n\n## Part\n\nMore.\n", tags=f"[t{n % 9}]")
        for n in range(count)
    }


def test_a_build_killed_at_any_moment_leaves_the_old_site_the_new_one_or_an_unfinished_one(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    """kill -9 at random moments of rebuilds (drafts or not, edited or not): the folder is then
    entirely the old site or the new one, or says it is unfinished (a journal), holds no file
    staged by the killed build where a deploy would publish it, and the next build makes exactly
    the site a build from nothing makes."""
    site = make_site()
    states = [letters(300, "First words"), letters(300, "Second words")]
    site.write(states[0])
    site.write({"content/posts/secret.md": post("Secret draft", "2026-01-01", "Not yet.\n", draft="true")})
    command = [sys.executable, "-m", "sitegen", "build", str(site.root), "--quiet"]
    subprocess.run(command, check=True)
    started = time.monotonic()
    subprocess.run([*command, "--drafts"], check=True)
    duration = time.monotonic() - started
    rng = random.Random(7)
    expected = {0: site_files(site.out)}
    for kill in range(KILLS):
        target = kill % 2
        site.write(states[target])
        drafts = rng.random() < 0.5
        before = site_files(site.out)
        process = subprocess.Popen([*command, *(["--drafts"] if drafts else [])], stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        after = {k: v for k, v in site_files(site.out).items() if not k.startswith((STAGING, JOURNAL))}
        new = fresh(site, tmp_path, "new", drafts=drafts)
        unfinished = (site.out / JOURNAL).exists()
        assert unfinished or after in (before, new), f"kill {kill}: a mix of the old site and the new"
        subprocess.run(command, check=True)  # the next build, without drafts
        assert not (site.out / STAGING).exists() and not (site.out / JOURNAL).exists()
        assert site_files(site.out) == fresh(site, tmp_path, "plain"), f"kill {kill}: not what a fresh build makes"
        assert "Secret draft" not in str(site_files(site.out))
    assert expected


def test_an_output_folder_that_links_out_loses_the_link_not_the_files(
    make_site: Callable[..., Site], tmp_path: Path
) -> None:
    site = make_site()
    site.write({"content/posts/habit.md": post("Habit", "2025-03-03", "Words.\n", tags="[habits]")})
    site.build()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "index.html").write_text("not sitegen's")
    (elsewhere / "feed.xml").write_text("nor this")
    shutil.rmtree(site.out / "tags/habits")
    (site.out / "tags/habits").symlink_to(elsewhere, target_is_directory=True)
    (site.root / "content/posts/habit.md").unlink()  # the tag's pages are no longer produced
    report = site.build()
    assert sorted(p.name for p in elsewhere.iterdir()) == ["feed.xml", "index.html"]
    assert not (site.out / "tags/habits").exists() and not (site.out / "tags/habits").is_symlink()
    assert report.write.removed >= 1


def test_a_second_build_waits_then_names_the_first(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site()
    site.build()
    monkeypatch.setattr("sitegen.output.lock.WAIT_SECONDS", 0.3)
    holder = OutputLock(site.out)
    holder.take()  # as another sitegen would
    try:
        result = run_cli(site.root, "build")
    finally:
        holder.release()
    assert result.status == 1
    assert result.err == (
        f"error: another sitegen (process {os.getpid()}) is building into output: "
        "wait for it to end, or stop it, and build again\n"
    )
    assert run_cli(site.root, "build").status == 0  # once it is done


def test_check_says_when_a_build_was_stopped_while_publishing(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.build()
    (site.out / JOURNAL).write_text('{"moves": [], "removals": []}')
    result = run_cli(site.root, "check")
    assert (result.status, result.err) == (
        1, "error: output is unfinished: a build was stopped while publishing it; sitegen build finishes it\n"
    )
    assert run_cli(site.root, "build").status == 0
    assert run_cli(site.root, "check").status == 0


def test_ctrl_c_during_a_parallel_build_leaves_nothing_behind(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write(letters(400, "Words"))
    process = subprocess.Popen(
        [sys.executable, "-m", "sitegen", "build", str(site.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not (site.out / STAGING).exists():  # rendering has begun
        assert time.monotonic() < deadline and process.poll() is None
        time.sleep(0.01)
    process.send_signal(signal.SIGINT)
    _out, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert "Traceback" not in err and "ForkPoolWorker" not in err
    assert not (site.out / STAGING).exists()


DISK_FULL = """\
import json, os, shutil, subprocess, sys
site, mount, result = sys.argv[1], sys.argv[2], {}
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1200k", "tmpfs", mount], check=True)
out = os.path.join(mount, "out")
def build(step):
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", site, "--output", out, "--quiet"],
                          capture_output=True, text=True)
    listing = sorted(os.path.relpath(os.path.join(d, f), out) for d, _, fs in os.walk(out) for f in fs)
    result[step] = {"status": done.returncode, "err": done.stderr, "files": listing}
def big(name, size):
    with open(os.path.join(site, "static", name), "wb") as f:
        f.write(os.urandom(size))
big("one.bin", 600_000)
build("first")
big("two.bin", 600_000)
build("full")
os.unlink(os.path.join(site, "static", "one.bin"))
build("freed")
print(json.dumps(result))
"""


@pytest.mark.skipif(shutil.which("unshare") is None, reason="util-linux's unshare is needed to mount a small disk")
def test_a_full_disk_is_one_line_and_the_next_build_recovers(make_site: Callable[..., Site], tmp_path: Path) -> None:
    site = make_site()
    (site.root / "static").mkdir()
    mount = tmp_path / "small-disk"
    mount.mkdir()
    namespace = ["unshare", "--mount"] + ([] if os.geteuid() == 0 else ["--map-root-user"])
    done = subprocess.run(
        [*namespace, sys.executable, "-c", DISK_FULL, str(site.root), str(mount)],
        capture_output=True, text=True, timeout=300, env={**os.environ, "SITEGEN_WORKERS": "1"},
    )
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout)
    assert steps["first"]["status"] == 0 and "one.bin" in steps["first"]["files"]
    assert steps["full"] == {
        "status": 1,
        "err": "error: no space left on the device while writing two.bin: free some space and build again\n",
        "files": steps["first"]["files"],  # the last good site, and nothing staged
    }
    assert steps["freed"]["status"] == 0, steps["freed"]["err"]
    assert "two.bin" in steps["freed"]["files"] and "one.bin" not in steps["freed"]["files"]
    assert not any(f.startswith((STAGING, JOURNAL)) for f in steps["freed"]["files"])


def test_workers_end_with_their_build(make_site: Callable[..., Site]) -> None:
    """kill -9 of a build: its worker processes end with it, at once (they went on staging files)."""
    site = make_site()
    site.write(letters(400, "Words, " * 3000))  # long letters: each task of a worker takes a while
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "build", str(site.root)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    workers: list[int] = []
    while not workers:
        assert time.monotonic() < deadline and process.poll() is None
        workers = [int(p) for p in os.listdir("/proc") if p.isdigit() and _parent(int(p)) == process.pid]
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.1)
    assert [pid for pid in workers if os.path.exists(f"/proc/{pid}") and _state(pid) != "Z"] == []


def _parent(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def _state(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "gone"
