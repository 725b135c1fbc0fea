"""What `sitegen serve` adds to HTML responses (never to files on disk): the live-reload script,
and, while the last build failed, an overlay naming the error."""

from __future__ import annotations

import functools
import html
import json
from dataclasses import dataclass
from pathlib import Path

LIVE_PREFIX = "__sitegen/"
"""URLs under the base path that the dev server answers itself."""

HERE = Path(__file__).parent
SCRIPT_FILES = (HERE / "vendor" / "idiomorph.min.js", HERE / "live.js")
"""The live script: idiomorph (0BSD, vendored: see vendor/idiomorph.LICENSE; the version is pinned in
package.json, and a test checks the copy against npm's), then sitegen's own."""


@functools.cache
def live_script() -> bytes:
    """What the dev server answers for __sitegen/live.js."""
    return b"\n".join(path.read_bytes() for path in SCRIPT_FILES)


# The overlay lives in a shadow root with its own stylesheet, fully opaque, every text at 7:1 or
# more on its background (AAA), whatever the page's styles say.
OVERLAY_STYLE = (
    ":host{all:initial;position:fixed;inset:0;z-index:2147483647;display:block}"
    ".overlay{box-sizing:border-box;height:100%;overflow:auto;padding:2rem;background:#141210;color:#f6f1ea;"
    "font:15px/1.5 ui-monospace,Menlo,Consolas,monospace}"
    ".title{margin:0 0 1rem;font-weight:700;color:#ff9d7a}"
    ".message{margin:0 0 1rem;white-space:pre-wrap}"
    "pre{margin:0;padding:0;background:#141210;color:#f6f1ea;font:inherit;white-space:pre-wrap}"
    ".number{display:inline-block;width:4em;color:#c9c1b6}"
    ".at{background:#7a2614;color:#ffffff}.at .number{color:#ffe2d6}"
    ".hint{margin:1rem 0 0;color:#d9d2c7}"
)


@dataclass(frozen=True, slots=True)
class LiveError:
    """A failed build, as the browser overlay shows it."""

    message: str
    """The one-line error, as the terminal shows it."""
    excerpt: tuple[tuple[int, str], ...] = ()
    """(line number, text) around the offending line."""
    line: int | None = None

    def overlay_html(self) -> str:
        """The inside of the overlay: the error and the offending lines."""
        rows = "".join(
            f'<div{" class=at" if number == self.line else ""}>'
            f'<span class="number">{number} </span>{html.escape(text)}</div>'
            for number, text in self.excerpt
        )
        return (
            '<div class="overlay" role="alert">'
            '<p class="title">The site did not build: showing the last good version.</p>'
            f'<p class="message">{html.escape(self.message)}</p>'
            f"<pre>{rows}</pre>"
            '<p class="hint">Fix the file and save: this page updates by itself.</p></div>'
        )

    def overlay(self) -> str:
        """The overlay element, for a page served while the error lasts (a declarative shadow root)."""
        return (
            f'<div id="sitegen-overlay"><template shadowrootmode="open"><style>{OVERLAY_STYLE}</style>'
            f"{self.overlay_html()}</template></div>"
        )

    def event(self) -> str:
        """The server-sent event that shows it in open pages."""
        event = {"type": "error", "message": self.message, "html": self.overlay_html(), "style": OVERLAY_STYLE}
        return json.dumps(event)


def inject(page: bytes, base_path: str, error: LiveError | None) -> bytes:
    """The page with the live-reload script (and the error overlay) before </body>."""
    script = f'<script src="{base_path}{LIVE_PREFIX}live.js" data-base="{html.escape(base_path)}"></script>'
    overlay = error.overlay() if error else ""
    addition = (overlay + script).encode("utf-8")
    at = page.rfind(b"</body>")
    return page[:at] + addition + page[at:] if at != -1 else page + addition
