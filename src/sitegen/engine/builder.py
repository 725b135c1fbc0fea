"""The Builder: opens what a build reads, then tries its routes in order.

    unchanged   nothing changed since the last build into the folder: done at once
    text edit   only the text of a few posts changed: their pages and feeds, nothing else
    full        everything else: parse what changed, assemble, render what changed, write

A cold build parses every file and renders every page on every core. A rebuild reads no file
whose modification time, size and inode are unchanged, re-parses only files whose bytes changed,
and renders only the outputs whose key (see keys.py) changed. The dev server's quick page
(routes/quick_page.py) is a route of its own, called before a full rebuild.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from ..markup import bodies
from ..markup.parse import prepare_parsing
from ..markup.rules import use_markdown_rules
from ..model.site import Site
from ..output.lock import OutputLock
from ..output.writer import check_output_dir, finish_interrupted, output_owner
from ..render.theme import Theme, load_theme
from ..source.config import CONFIG_NAME, SiteConfig, load_config
from ..source.plugins import NO_PLUGINS, load_plugins, trusted_by_environment
from . import keys
from . import options as build_options
from .changes import scan_for_changes
from .memory import BuildMemory, Lifetime
from .options import BuildOptions, BuildReport
from .routes import quick_page, text_edit, unchanged
from .session import Session
from .store import BuildCache, CacheUnusable
from .workers import collector_paused


def full_build(session: Session) -> BuildReport:
    """The full route (routes/full.py), imported when a build takes it: a rebuild that one of the
    quicker routes finishes never pays for its modules (15 ms of a 0.4 s rebuild)."""
    from .routes import full

    return full.run(session)


ROUTES: tuple[Callable[[Session], BuildReport | None], ...] = (unchanged.attempt, text_edit.attempt, full_build)
"""Tried in order: the first to give a report is the build."""


class Builder:
    """Builds one site, again and again (see Lifetime for what it keeps between builds)."""

    def __init__(self, options: BuildOptions, lifetime: Lifetime = Lifetime.ONE_SHOT) -> None:
        self.options = options
        self.memory = BuildMemory(lifetime)
        self.plugins = NO_PLUGINS

    def build_site(self) -> tuple[BuildReport, Site]:
        """Build the site, and return it as assembled: for commands about one of its posts
        (`sitegen email`). Only the full route assembles it; it writes nothing unchanged."""
        report = self.build(routes=(full_build,))
        last = self.memory.last_render
        assert last is not None, "the full build remembers the site it made"
        return report, last.site

    def build(
        self,
        changed: Iterable[str] | None = None,
        routes: tuple[Callable[[Session], BuildReport | None], ...] = ROUTES,
    ) -> BuildReport:
        """Build the site into its output folder.

        Args:
            changed: the files saved since the last build, when a watcher knows them: a long-lived
                builder then looks at those alone instead of every file of the site.
            routes: the routes to try, in order (see ROUTES).

        Raises:
            SiteError: or SiteErrors, for anything wrong in the site; the output is then untouched.
        """
        started = time.perf_counter()
        options = self.options
        config = load_config(options.root, options.base_url, options.config)
        check_output_dir(options.out_dir, options.root)
        theme = load_theme(config)
        trusted = options.trust_plugins or trusted_by_environment()
        self.plugins = load_plugins(config.root, config.plugins, trusted, _settings_name(options))
        config = dataclasses.replace(config, plugin_ids=self.plugins.ids)
        use_markdown_rules(tuple(self.plugins.api.markdown_rules))  # before the parse workers fork
        with OutputLock(options.out_dir) as lock:
            try:
                with self._cache() as (cache, notice):
                    return self._build(cache, notice, config, theme, changed, started, lock, routes)
            except CacheUnusable as exc:
                reason = str(exc)
            # A record that is not sitegen's (a cache that came with the site): a new cache, from nothing.
            with self._cache(replacing_because=reason) as (cache, notice):
                return self._build(cache, notice, config, theme, None, started, lock, routes)

    def _build(
        self,
        cache: BuildCache,
        notice: str | None,
        config: SiteConfig,
        theme: Theme,
        changed: Iterable[str] | None,
        started: float,
        lock: OutputLock,
        routes: tuple[Callable[[Session], BuildReport | None], ...],
    ) -> BuildReport:
        out_dir = self.options.out_dir
        if out_dir.is_dir() and finish_interrupted(out_dir):  # what the cache recorded may not be so
            cache.forget_output(out_dir)
            self.memory.outputs = None
        self._trust(cache)
        try:
            timings: dict[str, float] = {}
            begun = time.perf_counter()
            scan = scan_for_changes(config, cache, self.memory, changed)
            timings["scan"] = time.perf_counter() - begun
            config_key = keys.config_key(config)
            session = Session(
                options=self.options,
                memory=self.memory,
                cache=cache,
                config=config,
                theme=theme,
                now=self.options.now or build_options.default_now(),  # through the module: tests freeze it
                config_key=config_key,
                plugins=self.plugins,
                site_key=keys.site_key(config_key, keys.theme_key(theme), self.options.drafts),
                scan=scan,
                lock=lock,
                notices=(notice,) if notice else (),
                started=started,
                timings=timings,
            )
            for route in routes:
                report = route(session)
                if report is not None:
                    return report
            raise AssertionError("the full build always gives a report")
        except BaseException:
            self.memory.scan = None  # changes the failed build saw must not be skipped by the next
            raise

    def quick_page(self, changed: Iterable[str]) -> list[str]:
        """Rewrite the page of one edited post at once (see routes/quick_page.py); return the
        output files written."""
        with self._cache() as (cache, _notice):
            return quick_page.attempt(self.memory, cache, self.options.out_dir, list(changed))

    def prepare_quick_page(self) -> None:
        """Do now what the first quick page would do on the writer's first save: get the Markdown
        engine ready and index the posts by path. For the dev server, once its first build is done."""
        last = self.memory.last_render
        if last is not None:
            prepare_parsing(last.config)
            self.memory.index_files()

    @contextmanager
    def _cache(self, replacing_because: str | None = None) -> Iterator[tuple[BuildCache, str | None]]:
        """The site's cache, open (or new, `replacing_because`), as the store of rendered bodies,
        with the collector paused."""
        if replacing_because is None:
            cache, notice = BuildCache.open(self.options.root, self.options.use_cache)
        else:
            cache, notice = BuildCache.replace(self.options.root, replacing_because)
        try:
            with bodies.serving(cache.html, cache.text), collector_paused():
                yield cache, notice
        finally:
            cache.close()

    def _trust(self, cache: BuildCache) -> None:
        """Forget what the cache and the memory know of earlier builds when it no longer holds: a
        new cache (`sitegen clean`, a discarded one, `--no-cache`) has none of the HTML the memory
        points to, and an output folder built since by another (`--no-cache`) is not what the
        cache recorded of it."""
        if cache.identity != self.memory.cache_identity:
            self.memory.forget()
            self.memory.cache_identity = cache.identity
        if output_owner(self.options.out_dir) != cache.identity:
            cache.forget_output(self.options.out_dir)
            self.memory.outputs = None


def build(options: BuildOptions) -> BuildReport:
    """Build the site at `options.root` once (see Builder.build)."""
    return Builder(options).build()


def _settings_name(options: BuildOptions) -> str:
    """How errors name the settings file: site.yaml, or the file --config named."""
    return options.config.name if options.config is not None else CONFIG_NAME
