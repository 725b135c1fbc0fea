"""A theme's stylesheets and scripts as a reader downloads them: without comments and indentation.

The one module that imports rcssmin and rjsmin. Both keep `/*! ... */` comments (licences)."""

from __future__ import annotations

import rcssmin
import rjsmin

MINIFIED_SUFFIXES = (".css", ".js")


def minified(name: str, data: bytes) -> bytes:
    """`data`, the file `name`, minified when it is a stylesheet or a script; else as it is. A file
    already minified (`.min.css`, `.min.js`) is left alone, and so is a script with a template
    literal: rjsmin predates them and would take spaces out of their text."""
    if name.endswith((".min.css", ".min.js")):
        return data
    if name.endswith(".css"):
        return rcssmin.cssmin(data, keep_bang_comments=True)  # type: ignore[no-any-return]
    if name.endswith(".js") and b"`" not in data:
        return rjsmin.jsmin(data, keep_bang_comments=True)  # type: ignore[no-any-return]
    return data
