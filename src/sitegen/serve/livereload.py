"""What `sitegen serve` adds to HTML responses (never to files on disk): the live-reload script,
and, while the last build failed, an overlay naming the error."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

LIVE_PREFIX = "__sitegen/"
"""URLs under the base path that the dev server answers itself."""

SCRIPT = """\
(function () {
  "use strict";
  var base = document.currentScript.dataset.base;
  var here = decodeURIComponent(location.pathname).slice(base.length);
  if (here === "" || here.slice(-1) === "/") here += "index.html";
  var key = "sitegen-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.addEventListener("load", function () { window.scrollTo(0, +saved); });
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function showError(error) {
    var box = document.getElementById("sitegen-overlay");
    if (!box) {
      box = document.createElement("div");
      box.id = "sitegen-overlay";
      box.setAttribute("role", "alert");
      document.body.appendChild(box);
    }
    box.style.cssText = error.style;
    box.innerHTML = error.html;
  }
  function clearError() {
    var box = document.getElementById("sitegen-overlay");
    if (box) box.remove();
  }
  function swapStyles(paths) {
    document.querySelectorAll('link[rel="stylesheet"]').forEach(function (link) {
      var url = new URL(link.href);
      var path = decodeURIComponent(url.pathname).slice(base.length);
      if (paths.indexOf(path) !== -1) {
        url.searchParams.set("sitegen-live", String(Date.now()));
        link.href = url.toString();
      }
    });
  }
  var events = new EventSource(base + "__sitegen/events");
  var lost = false;
  events.onerror = function () { lost = true; };
  events.onmessage = function (message) {
    var data = JSON.parse(message.data);
    if (data.type === "hello") {
      // a restarted server may have built a different site while we were away
      if (lost) reload();
      return;
    }
    if (data.type === "error") { showError(data); return; }
    if (data.type !== "change") return;
    clearError();
    if (data.pages.indexOf(here) !== -1 || data.other.length || data.removed.indexOf(here) !== -1) {
      reload();
    } else if (data.css.length) {
      swapStyles(data.css);
    }
  };
})();
"""

OVERLAY_STYLE = (
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;padding:2rem;"
    "background:rgba(20,18,16,.94);color:#f6f1ea;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace"
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
            f'<div style="{"background:#7a2614;" if number == self.line else ""}">'
            f'<span style="display:inline-block;width:4em;opacity:.6">{number} </span>{html.escape(text)}</div>'
            for number, text in self.excerpt
        )
        return (
            '<p style="margin:0 0 1rem;font-weight:700;color:#ff9d7a">'
            "The site did not build: showing the last good version.</p>"
            f'<p style="margin:0 0 1rem;white-space:pre-wrap">{html.escape(self.message)}</p>'
            f'<pre style="margin:0;white-space:pre-wrap">{rows}</pre>'
            '<p style="margin:1rem 0 0;opacity:.7">Fix the file and save: this page updates by itself.</p>'
        )

    def overlay(self) -> str:
        """The overlay element, for a page served while the error lasts."""
        return f'<div id="sitegen-overlay" role="alert" style="{OVERLAY_STYLE}">{self.overlay_html()}</div>'

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
