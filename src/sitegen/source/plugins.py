"""Plugins: code a site asks for by name in site.yaml (`plugins: [name, ...]`), to add Markdown
rules, Jinja filters and globals, and output files, without forking sitegen.

A plugin is a function `register(api: PluginApi) -> None`, found as an entry point of the
`sitegen.plugins` group of an installed package (pip install sitegen-something), or, for a
one-off, as plugins/<name>.py in the site folder. A site folder may come from a stranger's pull
request, so code in it runs only when the one who builds says so (`--trust-plugins`, or
SITEGEN_TRUST_PLUGINS=1); an installed package was chosen by whoever set up the machine.

Each plugin's name and version (a local one's hash) is part of the build cache's keys: an
upgraded plugin never serves stale pages.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from ..errors import SiteError

GROUP = "sitegen.plugins"
"""The entry-point group installed plugins are found in."""
TRUST_VARIABLE = "SITEGEN_TRUST_PLUGINS"

MarkdownRule = Callable[[Any], None]
"""Given the markdown-it parser (MarkdownIt), adds to it: md.use(some_mdit_plugin), a core rule..."""
OutputMaker = Callable[[Any], Iterable[tuple[str, bytes]]]
"""Given the assembled Site, gives (path in the output, bytes) of each file to add."""


@dataclass
class PluginApi:
    """What a plugin's `register(api)` adds to sitegen: use its methods, once each thing."""

    markdown_rules: list[MarkdownRule] = field(default_factory=list)
    filters: dict[str, Callable[..., Any]] = field(default_factory=dict)
    template_globals: dict[str, object] = field(default_factory=dict)
    outputs: list[OutputMaker] = field(default_factory=list)

    def markdown(self, rule: MarkdownRule) -> None:
        """Change the Markdown parser: `rule(md)` is called with each markdown-it parser sitegen makes."""
        self.markdown_rules.append(rule)

    def filter(self, name: str, function: Callable[..., Any]) -> None:
        """A Jinja filter templates can use: `{{ post.title | name }}`."""
        self.filters[name] = function

    def template_global(self, name: str, value: object) -> None:
        """A name every template can read (a value, or a function to call)."""
        self.template_globals[name] = value

    def output(self, make: OutputMaker) -> None:
        """Files to add to the output: `make(site)` gives (path, bytes) pairs, after the site is put together."""
        self.outputs.append(make)


@dataclass(frozen=True)
class Plugins:
    """The plugins a site uses, loaded and registered."""

    ids: tuple[str, ...] = ()
    """Each one's name and version ("sitegen-mark==1.2", "local:stamp#3f2a..."), for the cache's keys."""
    api: PluginApi = field(default_factory=PluginApi)


NO_PLUGINS = Plugins()


def load_plugins(root: Path, asked: Iterable[tuple[str, int]], trusted: bool, settings: str = "site.yaml") -> Plugins:
    """Find, load and register the plugins site.yaml asks for (name, line).

    Raises:
        SiteError: at the line of a plugin that is not installed, is site code nobody trusted,
            or fails as it registers.
    """
    asked = list(asked)
    if not asked:
        return NO_PLUGINS
    installed = {ep.name: ep for ep in entry_points(group=GROUP)}
    api = PluginApi()
    ids = []
    for name, line in asked:
        local = root / "plugins" / f"{name}.py"
        if local.is_symlink():  # a link could lead out of the site: never followed to run code
            message = f"plugins/{name}.py is a link: a plugin of the site must be a file in it"
            raise SiteError(message, settings, line, 3)
        if name not in installed and not local.is_file():
            known = ", ".join(sorted(installed)) or "none"
            raise SiteError(
                f"no plugin named {name!r} (installed: {known}; none in plugins/)", settings, line, 3,
                f"pip install the package that provides it, or add plugins/{name}.py",
            )
        if name not in installed and not trusted:
            raise SiteError(
                f"plugin {name!r} is code in the site folder (plugins/{name}.py), which runs only when "
                "you trust it", settings, line, 3, f"build with --trust-plugins, or set {TRUST_VARIABLE}=1",
            )
        try:
            register, made_by = _installed(installed[name]) if name in installed else _local(name, local)
            register(api)
        except SiteError:
            raise
        except Exception as exc:  # a plugin's own failure (as it loads or registers): named, located
            raise SiteError(f"plugin {name!r} failed: {type(exc).__name__}: {exc}", settings, line, 3) from None
        ids.append(made_by)
    return Plugins(tuple(ids), api)


def _installed(point: EntryPoint) -> tuple[Callable[[PluginApi], None], str]:
    version = point.dist.version if point.dist is not None else "?"
    return point.load(), f"{point.name}={point.value}=={version}"


def _local(name: str, path: Path) -> tuple[Callable[[PluginApi], None], str]:
    code = path.read_bytes()  # run as read: the hash in the cache's keys is of the code that ran
    module = ModuleType(f"sitegen_site_plugin_{name}")
    module.__file__ = str(path)
    exec(compile(code, str(path), "exec"), module.__dict__)  # the site's plugin, trusted (see load_plugins)
    register = getattr(module, "register", None)
    if not callable(register):
        raise SiteError(f"plugins/{name}.py has no register(api) function", path.as_posix(), 1, 1)
    return register, f"local:{name}#{hashlib.sha256(code).hexdigest()[:16]}"


def trusted_by_environment() -> bool:
    """Whether the environment says to run the site's own plugins (SITEGEN_TRUST_PLUGINS=1)."""
    return os.environ.get(TRUST_VARIABLE, "") not in ("", "0")
