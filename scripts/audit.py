#!/usr/bin/env python3
"""Measure the default theme's quality: Lighthouse 12 and axe-core scores for pages of the example site.

The repository root is the example site. The script builds it into a temporary folder, serves that
folder on 127.0.0.1 (a free port), and for each chosen page runs Lighthouse 12 (performance,
accessibility, best practices, SEO; mobile, and desktop too with --desktop) and axe-core in light and
dark colour schemes. It prints a Markdown table of the scores, the date and tool versions, and what
failed (Lighthouse audits scoring below 1 in any category under 100, axe violations with their
elements), so a developer knows what to fix.

Usage:
    python scripts/audit.py                       # all pages, mobile Lighthouse
    python scripts/audit.py --desktop             # also Lighthouse's desktop preset
    python scripts/audit.py --pages home,post     # only some pages
    python scripts/audit.py --json audit.json     # also write the results as JSON

Pages: home, post, tag, archive, author, 404. A page whose usual path is missing from the output is
replaced by the first post/tag/author folder that exists (the report says so).

Lighthouse is installed on first use with `npm install --no-save --prefix CACHE lighthouse@12`
(CACHE is --cache-dir, by default ~/.cache/sitegen-audit). Chromium is /usr/bin/chromium (Debian);
Playwright is used with it and never downloads a browser.

Exit status: 0 when every score is 100 and axe finds no violation, 1 otherwise, 2 when the audit could
not run (the build failed, Lighthouse could not be installed or crashed, the browser did not start).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Literal

REPO = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LIGHTHOUSE_SPEC = "lighthouse@12"
LIGHTHOUSE_MAJOR = "12."
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES: dict[str, str] = {
    "home": "",
    "post": "posts/the-best-connection-request-says-why/",
    "tag": "tags/networking/",
    "archive": "archive/",
    "author": "authors/ana/",
    "404": "404.html",
    "search": "search/?q=connection",
    "callouts": "posts/a-writing-habit-for-busy-weeks/",
}
FALLBACK_SECTION = {"post": "posts", "tag": "tags", "author": "authors"}
SCHEMES: tuple[Literal["light"], Literal["dark"]] = ("light", "dark")
LIGHTHOUSE_TIMEOUT = 240.0


class AuditError(Exception):
    """The audit could not be run (as opposed to: it ran and found problems)."""


# --- results -----------------------------------------------------------------------------------


@dataclass
class FailingAudit:
    """A Lighthouse audit that scored below 1 in a category scoring below 100."""

    category: str
    id: str
    title: str
    score: float
    display_value: str = ""
    selectors: list[str] = field(default_factory=list)


@dataclass
class LighthouseRun:
    """One Lighthouse run of one page with one form factor."""

    form_factor: str
    scores: dict[str, int | None]
    failing: list[FailingAudit]
    version: str
    seconds: float


@dataclass
class AxeViolation:
    """One axe rule violated on a page, with up to a few of the offending elements."""

    id: str
    impact: str
    help: str
    nodes: int
    targets: list[str]


@dataclass
class AxeRun:
    """axe-core's violations on one page in one colour scheme."""

    scheme: str
    violations: list[AxeViolation]


@dataclass
class PageResult:
    """Everything measured on one page."""

    name: str
    path: str
    url: str
    note: str = ""
    lighthouse: list[LighthouseRun] = field(default_factory=list)
    axe: list[AxeRun] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        """Every category at 100 and no axe violation."""
        scores_ok = all(s == 100 for run in self.lighthouse for s in run.scores.values())
        return scores_ok and not any(run.violations for run in self.axe)


# --- server and build --------------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves the built site without logging; a missing file gets the site's 404.html with status 404."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or self.command != "GET" or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    """A threading HTTP server whose listen queue takes a browser's burst of requests."""

    request_queue_size = 64
    daemon_threads = True


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1 at a free port in a thread; yields the base URL ("http://.../")."""
    handler = partial(QuietHandler, directory=str(directory))
    server = Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="audit-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def build_site(output: Path, base_url: str) -> None:
    """Build the repository's example site into `output` with `base_url` as its URL."""
    src = str(REPO / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    try:
        from sitegen.engine.builder import build
        from sitegen.engine.options import BuildOptions
    except Exception as exc:  # any import failure: the tree is mid-edit
        raise AuditError(f"cannot import sitegen.engine: {type(exc).__name__}: {exc}") from exc
    try:
        report = build(BuildOptions(root=REPO, output=output, base_url=base_url))
    except Exception as exc:  # SiteError or anything else: report, stop
        raise AuditError(f"the example site did not build: {type(exc).__name__}: {exc}") from exc
    for warning in report.warnings:
        print(f"build warning: {warning}", file=sys.stderr)
    print(
        f"built {report.posts} posts, {report.pages} pages in {report.seconds:.2f} s into {output}",
        file=sys.stderr,
    )


def exists_in(output: Path, path: str) -> bool:
    """Whether the site-relative `path` (a folder ending in / or a file; a query aside) is in the output."""
    path = path.split("?")[0]
    target = output / path
    return (target / "index.html").is_file() if path == "" or path.endswith("/") else target.is_file()


def resolve_page(output: Path, name: str) -> tuple[str, str]:
    """The path to audit for page `name`, and a note when it had to stand in for a missing one."""
    path = PAGES[name]
    if exists_in(output, path):
        return path, ""
    section = FALLBACK_SECTION.get(name)
    if section is not None and (output / section).is_dir():
        for folder in sorted(p for p in (output / section).iterdir() if p.is_dir()):
            if (folder / "index.html").is_file():
                other = f"{section}/{folder.name}/"
                return other, f"{name}: /{path} is not in the output; audited /{other} instead"
    raise AuditError(f"page {name}: /{path} is not in the output and nothing can stand in for it")


# --- Lighthouse --------------------------------------------------------------------------------


def default_cache_dir() -> Path:
    """~/.cache/sitegen-audit, or under $XDG_CACHE_HOME."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sitegen-audit"


def installed_version(manifest: Path) -> str:
    """The version in an npm package.json, or "" when it cannot be read."""
    try:
        return str(json.loads(manifest.read_text(encoding="utf-8")).get("version", ""))
    except (OSError, ValueError):
        return ""


def ensure_lighthouse(prefix: Path) -> Path:
    """The lighthouse executable under `prefix`, installing Lighthouse 12 there with npm when missing."""
    binary = prefix / "node_modules" / ".bin" / "lighthouse"
    manifest = prefix / "node_modules" / "lighthouse" / "package.json"
    if binary.exists() and installed_version(manifest).startswith(LIGHTHOUSE_MAJOR):
        return binary
    npm = shutil.which("npm")
    if npm is None:
        raise AuditError("npm is not installed; it is needed to install Lighthouse")
    prefix.mkdir(parents=True, exist_ok=True)
    print(f"installing {LIGHTHOUSE_SPEC} into {prefix} ...", file=sys.stderr)
    done = subprocess.run(
        [npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(prefix), LIGHTHOUSE_SPEC],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or not binary.exists():
        raise AuditError(f"npm install {LIGHTHOUSE_SPEC} failed (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return binary


def failing_audits(lhr: dict[str, Any], category: str) -> list[FailingAudit]:
    """The audits of `category` that scored below 1, most important (by weight) first."""
    audits: dict[str, Any] = lhr.get("audits", {})
    refs: list[dict[str, Any]] = lhr["categories"][category].get("auditRefs", [])
    found: list[tuple[float, FailingAudit]] = []
    for ref in refs:
        audit = audits.get(ref["id"], {})
        score = audit.get("score")
        mode = audit.get("scoreDisplayMode")
        if score is None or mode in ("notApplicable", "manual", "informative") or score >= 1:
            continue
        found.append(
            (
                float(ref.get("weight", 0)),
                FailingAudit(
                    category=category,
                    id=ref["id"],
                    title=str(audit.get("title", "")),
                    score=float(score),
                    display_value=str(audit.get("displayValue", "")),
                    selectors=audit_selectors(audit),
                ),
            )
        )
    found.sort(key=lambda pair: -pair[0])
    return [audit for _, audit in found]


def audit_selectors(audit: dict[str, Any], limit: int = 3) -> list[str]:
    """Up to `limit` CSS selectors, URLs or messages of the items an audit complains about."""
    items: list[dict[str, Any]] = (audit.get("details") or {}).get("items") or []
    picked: list[str] = []
    for item in items:
        if not isinstance(item, dict):  # some audits list plain strings
            picked.append(str(item)[:200])
            continue
        node = item.get("node")
        location = item.get("sourceLocation")
        if isinstance(node, dict) and node.get("selector"):
            picked.append(str(node["selector"]))
        elif isinstance(item.get("description"), str):  # console errors, deprecations, issues
            source = location.get("url", "") if isinstance(location, dict) else ""
            picked.append(f"{source} {item['description']}".strip()[:200])
        elif isinstance(item.get("url"), str):
            picked.append(str(item["url"]))
        if len(picked) >= limit:
            break
    return picked


def run_lighthouse(binary: Path, url: str, desktop: bool) -> LighthouseRun:
    """Run Lighthouse once on `url` in a fresh Chromium profile and read its four category scores."""
    form_factor = "desktop" if desktop else "mobile"
    with tempfile.TemporaryDirectory(prefix="sitegen-audit-lh-") as work:
        profile = Path(work) / "profile"
        profile.mkdir()
        report = Path(work) / "report.json"
        flags = " ".join([*CHROME_FLAGS, f"--user-data-dir={profile}"])
        command = [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={flags}",
        ]
        if desktop:
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": CHROMIUM}
        started = time.perf_counter()
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=LIGHTHOUSE_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise AuditError(f"Lighthouse on {url} ({form_factor}) took over {LIGHTHOUSE_TIMEOUT:.0f} s") from exc
        seconds = time.perf_counter() - started
        if done.returncode != 0 or not report.is_file():
            raise AuditError(
                f"Lighthouse on {url} ({form_factor}) failed (exit {done.returncode}):\n{done.stderr[-2000:]}"
            )
        lhr: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
    if lhr.get("runtimeError"):
        raise AuditError(f"Lighthouse on {url} ({form_factor}): {lhr['runtimeError']}")
    scores: dict[str, int | None] = {}
    failing: list[FailingAudit] = []
    for category in CATEGORIES:
        raw = lhr["categories"][category].get("score")
        scores[category] = None if raw is None else round(float(raw) * 100)
        if scores[category] != 100:
            failing.extend(failing_audits(lhr, category))
    return LighthouseRun(form_factor, scores, failing, str(lhr.get("lighthouseVersion", "?")), seconds)


# --- axe ---------------------------------------------------------------------------------------


def run_axe(pages: Sequence[PageResult]) -> None:
    """Run axe-core on every page in light and dark colour schemes; store the violations on each page."""
    from axe_playwright_python.sync_playwright import Axe  # type: ignore[import-untyped,unused-ignore]
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    axe = Axe()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROME_FLAGS)
            try:
                for page_result in pages:
                    for scheme in SCHEMES:
                        page = browser.new_page(color_scheme=scheme)
                        try:
                            page.goto(page_result.url, wait_until="load")
                            response: dict[str, Any] = axe.run(page).response
                        finally:
                            page.close()
                        violations = [
                            AxeViolation(
                                id=str(v["id"]),
                                impact=str(v.get("impact") or ""),
                                help=str(v.get("help") or ""),
                                nodes=len(v.get("nodes", [])),
                                targets=[
                                    " ".join(str(t) for t in node.get("target", [])) for node in v.get("nodes", [])[:3]
                                ],
                            )
                            for v in response.get("violations", [])
                        ]
                        page_result.axe.append(AxeRun(scheme, violations))
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise AuditError(f"axe via Playwright failed: {exc}") from exc


# --- report ------------------------------------------------------------------------------------


def chromium_version() -> str:
    """`chromium --version`, first line of its standard output."""
    try:
        done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unknown ({exc})"
    return (done.stdout.strip().splitlines() or ["unknown"])[0]


def cell(values: Sequence[int | None]) -> str:
    """One table cell: scores joined with " / " (mobile / desktop)."""
    return " / ".join("-" if v is None else str(v) for v in values)


def markdown(results: Sequence[PageResult], meta: dict[str, str], desktop: bool) -> str:
    """The report: a table of scores, the run's date and versions, then what failed."""
    factors = "mobile / desktop" if desktop else "mobile"
    lines = [
        f"Lighthouse scores ({factors}) and axe-core violations (light / dark colour scheme)",
        "",
        "| page | performance | accessibility | best practices | SEO | axe violations (light/dark) |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        cols = [cell([run.scores[c] for run in r.lighthouse]) for c in CATEGORIES]
        axe = " / ".join(str(len(run.violations)) for run in r.axe)
        label = r.name if r.path == PAGES[r.name] else f"{r.name} (/{r.path})"
        lines.append(f"| {label} | {' | '.join(cols)} | {axe} |")
    lines += [
        "",
        f"- date: {meta['date']}",
        f"- chromium: {meta['chromium']}",
        f"- lighthouse: {meta['lighthouse']}",
        f"- axe-core: {meta['axe']}",
        f"- site served at {meta['base_url']}; run took {meta['seconds']} s",
    ]
    notes = [r.note for r in results if r.note]
    if notes:
        lines += ["", "Pages that stood in for missing ones:", *(f"- {n}" for n in notes)]
    problems: list[str] = []
    for r in results:
        for run in r.lighthouse:
            for a in run.failing:
                where = f"; {', '.join(f'`{s}`' for s in a.selectors)}" if a.selectors else ""
                value = f" ({a.display_value})" if a.display_value else ""
                problems.append(
                    f"- {r.name} [{run.form_factor}] {a.category}: `{a.id}` {a.title} "
                    f"— score {a.score:.2f}{value}{where}"
                )
        for axe_run in r.axe:
            for v in axe_run.violations:
                where = ", ".join(f"`{t}`" for t in v.targets)
                problems.append(
                    f"- {r.name} [axe, {axe_run.scheme}]: `{v.id}` ({v.impact}) {v.help} "
                    f"— {v.nodes} element(s): {where}"
                )
    lines += ["", "Failing audits:" if problems else "No failing audits.", *problems]
    return "\n".join(lines)


def axe_version() -> str:
    """The version of the axe-core bundled with axe-playwright-python."""
    try:
        import axe_playwright_python.base as base  # type: ignore[import-untyped,unused-ignore]

        head = Path(base.AXE_FILE_PATH).read_text(encoding="utf-8")[:200]
    except (ImportError, OSError):
        return "unknown"
    marker = "axe v"
    start = head.find(marker)
    return head[start + len(marker) :].split()[0] if start >= 0 else "unknown"


# --- main --------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(
        description="Lighthouse 12 and axe-core scores of the default theme on the example site.",
    )
    parser.add_argument(
        "--pages",
        default=",".join(PAGES),
        help=f"comma-separated pages to audit, of: {', '.join(PAGES)} (default: all)",
    )
    parser.add_argument("--desktop", action="store_true", help="also run Lighthouse with --preset=desktop")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the results to FILE as JSON")
    parser.add_argument(
        "--cache-dir",
        type=Path,
        default=default_cache_dir(),
        help="npm prefix where Lighthouse is installed (default: %(default)s)",
    )
    args = parser.parse_args(argv)
    names = [n.strip() for n in str(args.pages).split(",") if n.strip()]
    unknown = [n for n in names if n not in PAGES]
    if unknown or not names:
        parser.error(f"unknown page(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(PAGES)}")
    args.page_names = list(dict.fromkeys(names))
    return args


def audit(args: argparse.Namespace) -> tuple[list[PageResult], dict[str, str]]:
    """Build, serve and measure; returns the per-page results and the run's metadata."""
    started = time.perf_counter()
    lighthouse = ensure_lighthouse(args.cache_dir)
    shm = Path("/dev/shm")
    temp_root = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="sitegen-audit-", dir=temp_root) as tmp:
        output = Path(tmp) / "site"
        with serve(output) as base_url:
            build_site(output, base_url)
            results: list[PageResult] = []
            for name in args.page_names:
                path, note = resolve_page(output, name)
                if note:
                    print(note, file=sys.stderr)
                results.append(PageResult(name=name, path=path, url=base_url + path, note=note))
            print(f"axe: {len(results)} page(s) x {len(SCHEMES)} colour schemes ...", file=sys.stderr)
            run_axe(results)
            for r in results:
                for desktop in (False, True) if args.desktop else (False,):
                    run = run_lighthouse(lighthouse, r.url, desktop)
                    r.lighthouse.append(run)
                    scores = ", ".join(f"{c} {cell([s])}" for c, s in run.scores.items())
                    print(f"lighthouse {r.name} [{run.form_factor}] {run.seconds:.1f} s: {scores}", file=sys.stderr)
    versions = sorted({run.version for r in results for run in r.lighthouse})
    meta = {
        "date": datetime.now(UTC).astimezone().isoformat(timespec="seconds"),
        "chromium": chromium_version(),
        "lighthouse": ", ".join(versions) or "?",
        "axe": axe_version(),
        "base_url": base_url,
        "seconds": f"{time.perf_counter() - started:.1f}",
    }
    return results, meta


def main(argv: Sequence[str] | None = None) -> int:
    """Run the audit and print the report; the exit status says whether everything scored full marks."""
    args = parse_args(argv)
    try:
        results, meta = audit(args)
    except AuditError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    print(markdown(results, meta, args.desktop))
    ok = all(r.passed for r in results)
    if args.json is not None:
        data = {**meta, "ok": ok, "pages": [{**asdict(r), "passed": r.passed} for r in results]}
        args.json.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
