"""A worked example of a sitegen plugin, as a package would ship it (its pyproject.toml names
`register` in the entry points: [project.entry-points."sitegen.plugins"] mark = "sitegen_mark:register").

It adds ==highlighted text== to Markdown (a markdown-it inline rule), a `shout` filter and a
`plugin_greeting` global for templates, and a humans.txt listing the site's writers."""

from __future__ import annotations

from typing import Any


def _mark(state: Any, silent: bool) -> bool:
    """==text== -> <mark>text</mark>."""
    start = state.pos
    if not state.src.startswith("==", start):
        return False
    end = state.src.find("==", start + 2)
    if end < 0 or end == start + 2:
        return False
    if not silent:
        state.push("mark_open", "mark", 1)
        text = state.push("text", "", 0)
        text.content = state.src[start + 2 : end]
        state.push("mark_close", "mark", -1)
    state.pos = end + 2
    return True


def register(api: Any) -> None:
    """What sitegen calls: everything the plugin adds, through `api` (sitegen.source.plugins.PluginApi)."""
    api.markdown(lambda md: md.inline.ruler.before("emphasis", "mark", _mark))
    api.filter("shout", lambda text: str(text).upper())
    api.template_global("plugin_greeting", "Hello from a plugin")
    api.output(lambda site: [("humans.txt", ("\n".join(a.name for a in site.authors) + "\n").encode())])
