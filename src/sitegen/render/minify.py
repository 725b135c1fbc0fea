"""A theme's stylesheets and scripts as a reader downloads them: without comments and indentation.

The one module that imports rcssmin and rjsmin. Both keep `/*! ... */` comments (licences)."""

from __future__ import annotations

import rcssmin
import rjsmin

MINIFIED_SUFFIXES = (".css", ".js")


def minified(name: str, data: bytes) -> bytes:
    """`data`, the file `name`, minified when it is a stylesheet or a script; else as it is."""
    if name.endswith(".css"):
        return rcssmin.cssmin(data, keep_bang_comments=True)  # type: ignore[no-any-return]
    if name.endswith(".js"):
        return rjsmin.jsmin(data, keep_bang_comments=True)  # type: ignore[no-any-return]
    return data
