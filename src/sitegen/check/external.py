"""`sitegen check --external`: ask each linked site whether the page is there (HEAD, else GET)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from .. import __version__

# Statuses that sites such as LinkedIn give to any program instead of the page: not a broken link.
REFUSED = (401, 403, 429, 999)
USER_AGENT = f"sitegen-check/{__version__} (link checker)"


@dataclass(frozen=True, slots=True)
class ExternalResult:
    """What fetching one external link gave."""

    url: str
    problem: str | None
    """None when the page is there."""
    refused: bool = False
    """The site answered, but refuses programs: the link could not be checked."""


def fetch_status(url: str, timeout: float) -> int:
    """The HTTP status of `url` after redirects: HEAD first, GET when the server refuses HEAD.

    Raises:
        OSError: when the site cannot be reached (urllib.error.URLError, a timeout).
    """
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 404, 405, 501):  # some servers answer HEAD wrongly
                continue
            return exc.code
    raise AssertionError("unreachable")


def check_one(url: str, timeout: float, fetch: Callable[[str, float], int] = fetch_status) -> ExternalResult:
    """Fetch `url` and say what is wrong with it, if anything."""
    try:
        status = fetch(url, timeout)
    except (OSError, ValueError) as exc:  # URLError, timeouts, connection resets, bad URLs
        reason = getattr(exc, "reason", exc)
        return ExternalResult(url, f"unreachable ({reason})")
    if status in REFUSED:
        return ExternalResult(url, f"HTTP {status}: the site refuses link checkers", refused=True)
    return ExternalResult(url, f"HTTP {status}" if status >= 400 else None)


def check_external(urls: Iterable[str], timeout: float = 10.0, workers: int = 8) -> list[ExternalResult]:
    """Fetch every URL, a few at a time (waiting is all they do); results in the order given."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(lambda url: check_one(url, timeout), urls))
