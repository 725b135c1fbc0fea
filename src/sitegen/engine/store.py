"""The build cache in .sitegen-cache/: parsed files, their HTML, and the key of every output.

One SQLite file (the standard library's sqlite3: atomic commits, and a torn or foreign file is
detected rather than misread). A cache from another format or another version of sitegen or its
libraries is discarded as a whole, so nothing it holds can be stale for those reasons; everything
else that affects an output is part of that output's key (see keys.py).
"""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from ..errors import SiteError
from . import codec
from .keys import versions
from .plaindata import all_of
from .records import READS, CachedParse, EditIndex, FileState, LastBuild, OutputState

CACHE_DIR = ".sitegen-cache"
DB_NAME = "cache.sqlite3"
FORMAT = "10"

TABLES = {
    "info": "name, value",
    "files": "src_path, stamp, digest",
    "parsed": "key, record, html, text",
    "snapshot": "id, data",
    "outputs": "out_dir, dest, key, reads",
    "folders": "out_dir, folder, names",
}
"""The columns each table is read by: a cache without one of them is not this format's."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS info (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (src_path TEXT PRIMARY KEY, stamp TEXT NOT NULL, digest TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS parsed (key TEXT PRIMARY KEY, record BLOB NOT NULL, html TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id IN (1, 2)), data BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    out_dir TEXT NOT NULL, dest TEXT NOT NULL, key TEXT NOT NULL, reads INTEGER NOT NULL,
    PRIMARY KEY (out_dir, dest)
);
CREATE TABLE IF NOT EXISTS folders (
    out_dir TEXT NOT NULL, folder TEXT NOT NULL, names TEXT NOT NULL, PRIMARY KEY (out_dir, folder)
);
"""


class CacheUnusable(Exception):
    """The cache file cannot be trusted (torn, foreign, or from another version)."""


@contextmanager
def _readable() -> Iterator[None]:
    """Records that are not sitegen's make the whole cache unusable (see Builder.build)."""
    try:
        yield
    except codec.CacheCorrupt as exc:
        raise CacheUnusable(f"a record sitegen did not write: {exc}") from None


def _output_state(key: object, reads: object) -> OutputState:
    """An output's row, checked: the cache may have come with the site (see codec)."""
    if type(key) is not str or type(reads) is not int:
        with _readable():
            raise codec.CacheCorrupt("an output's record that is not a key and a number")
    return OutputState(key, READS[reads & 15])


class StoredParse(NamedTuple):
    """A parse result to store, with its HTML and its plain text."""

    key: str
    parse: CachedParse
    html: str
    text: str


class FileRecord(NamedTuple):
    """What a source file looked like when it was read."""

    src_path: str
    stamp: str
    digest: str


class KeyMemos(NamedTuple):
    """The page keys of the last build under the same settings (see engine.plan.SitePlan)."""

    meta: dict[str, str]
    hashes: dict[tuple[str, ...], str]


class BuildCache:
    """The cache of one site; `None` path means a throwaway in-memory cache (--no-cache)."""

    def __init__(self, db_path: Path | None) -> None:
        self.db_path = db_path
        self.pid = os.getpid()
        """The process this cache object was made in."""
        self._pid = os.getpid()
        self._db = self._connect()
        self._bodies: dict[str, tuple[str, str]] | None = {} if db_path is None else None
        """A throwaway cache keeps bodies (HTML and text) in a dict: forked render workers inherit
        it, where an in-memory SQLite database cannot be shared with them."""

    def _connect(self) -> sqlite3.Connection:
        target = ":memory:" if self.db_path is None else str(self.db_path)
        db = sqlite3.connect(target, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL" if self.db_path else "PRAGMA journal_mode=MEMORY")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=60000")  # worker processes take turns writing
        return db

    @property
    def db(self) -> sqlite3.Connection:
        """This process's connection: a forked worker opens its own (SQLite forbids sharing one)."""
        if os.getpid() != self._pid:
            if self.db_path is None:
                raise CacheUnusable("an in-memory cache cannot be read from another process")
            self._pid, self._db = os.getpid(), self._connect()
        return self._db

    @classmethod
    def open(cls, root: Path, enabled: bool = True) -> tuple[BuildCache, str | None]:
        """Open the site's cache, or start a fresh one; the notice says why an old one was dropped."""
        if not enabled:
            cache = cls(None)
            cache._init(fresh=True)
            return cache, None
        folder = root / CACHE_DIR
        _check_folder(folder)
        try:
            folder.mkdir(exist_ok=True)
            if not (folder / ".gitignore").exists():  # never committed, even without a .gitignore of the site
                (folder / ".gitignore").write_text("*\n")
        except OSError as exc:
            reason = exc.strerror or exc
            raise SiteError(f"cannot make the build cache {folder}: {reason} (or build with --no-cache)") from None
        path = folder / DB_NAME
        try:
            fresh = not path.exists() or not path.stat().st_size  # before connecting creates it
            cache = cls(path)
            cache._init(fresh=fresh)
            return cache, None
        except (sqlite3.DatabaseError, CacheUnusable, OSError) as exc:
            reason = str(exc) or type(exc).__name__
        return cls.replace(root, reason)

    @classmethod
    def replace(cls, root: Path, reason: str) -> tuple[BuildCache, str]:
        """Discard the site's cache and start a new one; the notice says why."""
        discard(root)
        folder = root / CACHE_DIR
        folder.mkdir(exist_ok=True)
        (folder / ".gitignore").write_text("*\n")
        cache = cls(folder / DB_NAME)
        cache._init(fresh=True)
        return cache, f"build cache {CACHE_DIR}/ was unusable ({reason}): discarded, building everything"

    def _init(self, fresh: bool) -> None:
        if not fresh:
            rows = dict(self.db.execute("SELECT name, value FROM info WHERE name IN ('format', 'versions')").fetchall())
            if rows.get("format") != FORMAT:
                raise CacheUnusable(f"cache format {rows.get('format')!r}, expected {FORMAT!r}")
            if rows.get("versions") != versions():
                raise CacheUnusable("made by another version of sitegen or its libraries")
            for table, columns in TABLES.items():  # an error here is a DatabaseError: see open()
                self.db.execute(f"SELECT {columns} FROM {table} LIMIT 0").fetchall()
            return
        self.db.executescript(SCHEMA)
        with self.transaction():
            self.db.executemany(
                "INSERT OR REPLACE INTO info VALUES (?, ?)",
                [("format", FORMAT), ("versions", versions()), ("identity", secrets.token_hex(8))],
            )

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Group writes: one commit instead of one per row."""
        self.db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    # -- source files and their parse results ----------------------------------------------

    def file_states(self) -> dict[str, FileState]:
        """src_path -> what the file looked like when it was last read."""
        rows = self.db.execute("SELECT src_path, stamp, digest FROM files")
        return {src_path: FileState(stamp, digest) for src_path, stamp, digest in rows}

    def keys(self) -> list[str]:
        """The keys of every stored parse result."""
        return [key for (key,) in self.db.execute("SELECT key FROM parsed")]

    def parses(self, keys: Iterable[str]) -> dict[str, CachedParse]:
        """The parse results stored under `keys` (those that exist)."""
        wanted = sorted(set(keys))
        found: dict[str, CachedParse] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on parameters, with room
            batch = wanted[start : start + 500]
            marks = ",".join("?" * len(batch))
            with _readable():
                for key, blob in self.db.execute(f"SELECT key, record FROM parsed WHERE key IN ({marks})", batch):
                    found[key] = codec.load_parse(blob)
        return found

    def snapshot(self) -> dict[str, CachedParse]:
        """Every parse result of the last build in one piece: one read instead of one per file."""
        row = self.db.execute("SELECT data FROM snapshot WHERE id = 1").fetchone()
        with _readable():
            return codec.load_parses(row[0]) if row else {}

    def save_snapshot(self, parses: Mapping[str, CachedParse]) -> None:
        """Keep this build's parse results for the next build to load at once."""
        blob = codec.dump_parses(dict(parses))
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO snapshot VALUES (1, ?)", (blob,))

    def html(self, key: str) -> str:
        """The rendered HTML stored under `key`."""
        return self._body(key, 0, "html")

    def text(self, key: str) -> str:
        """The plain text stored under `key` (see markup.text)."""
        return self._body(key, 1, "text")

    def _body(self, key: str, index: int, column: str) -> str:
        if self._bodies is not None:
            try:
                return self._bodies[key][index]
            except KeyError:
                raise LookupError(f"no rendered body {key!r} in the build cache") from None
        row = self.db.execute(f"SELECT {column} FROM parsed WHERE key = ?", (key,)).fetchone()
        if row is None:
            raise LookupError(f"no rendered body {key!r} in the build cache")
        return str(row[0])

    def store(self, parses: Iterable[StoredParse], files: Iterable[FileRecord]) -> None:
        """Save parse results with their HTML, and what each file read looked like."""
        bodies = self._bodies
        rows = []
        for key, parse, html, text in parses:
            if bodies is not None:
                bodies[key], html, text = (html, text), "", ""
            rows.append((key, codec.dump_parse(parse), html, text))
        with self.transaction():
            self.db.executemany("INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)", rows)
            self.db.executemany("INSERT OR REPLACE INTO files VALUES (?, ?, ?)", files)

    def forget_files(self, src_paths: Iterable[str], keep_keys: set[str]) -> None:
        """Drop files that are gone and parse results no current file uses."""
        with self.transaction():
            self.db.executemany("DELETE FROM files WHERE src_path = ?", ((p,) for p in src_paths))
            stale = [k for (k,) in self.db.execute("SELECT key FROM parsed") if k not in keep_keys]
            self.db.executemany("DELETE FROM parsed WHERE key = ?", ((k,) for k in stale))

    def key_memos(self, site_key: str) -> KeyMemos:
        """The page-key memos the last build saved under the same settings, or empty ones."""
        row = self.db.execute("SELECT data FROM snapshot WHERE id = 2").fetchone()
        if row is None:
            return KeyMemos({}, {})
        with _readable():
            saved_key, meta, hashes = codec.load_key_memos(row[0])
        return KeyMemos(meta, hashes) if saved_key == site_key else KeyMemos({}, {})

    def save_key_memos(self, site_key: str, memos: KeyMemos) -> None:
        """Keep this build's page keys for the next run under the same settings."""
        blob = codec.dump_key_memos(site_key, memos.meta, memos.hashes)
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO snapshot VALUES (2, ?)", (blob,))

    # -- output folders ----------------------------------------------------------------------

    @property
    def identity(self) -> str:
        """A token made with this cache. The output folders it builds carry it (writer.MARKER): one
        built since without it (`--no-cache`, another copy of the site) is not what it recorded."""
        row = self.db.execute("SELECT value FROM info WHERE name = 'identity'").fetchone()
        return str(row[0]) if row else ""

    def forget_output(self, out_dir: Path) -> None:
        """Drop what this cache knows of the last build into `out_dir` (its files, keys, inputs)."""
        folder = str(out_dir.resolve())
        with self.transaction():
            self.db.execute("DELETE FROM outputs WHERE out_dir = ?", (folder,))
            self.db.execute("DELETE FROM folders WHERE out_dir = ?", (folder,))
            self.db.executemany(
                "DELETE FROM info WHERE name = ?",
                [(f"{kind}:{folder}",) for kind in ("last", "edits", "edits-key", "seen")],
            )

    def outputs(self, out_dir: Path) -> dict[str, OutputState]:
        """dest -> what produced it in the last successful build into `out_dir`."""
        rows = self.db.execute("SELECT dest, key, reads FROM outputs WHERE out_dir = ?", (str(out_dir.resolve()),))
        found = {dest: _output_state(key, reads) for dest, key, reads in rows}
        with _readable():
            all_of(str, *found)  # an output path
        return found

    def output_state(self, out_dir: str, dest: str) -> OutputState | None:
        """What produced `dest` in the last successful build into `out_dir` (a resolved path), if
        it made that file: a rebuild of one letter asks for a handful of rows, where reading all of
        them (34,000 at 10,000 posts) took 45 ms."""
        row = self.db.execute("SELECT key, reads FROM outputs WHERE out_dir = ? AND dest = ?", (out_dir, dest))
        found = row.fetchone()
        return None if found is None else _output_state(*found)

    def output_folders(self, out_dir: Path) -> list[tuple[str, str]]:
        """The folders of the last successful build into `out_dir` ("" for its root), each with the
        names of the files it made there, joined by "/" (which no name holds): 10,200 rows where
        its files are 34,000 at 10,000 posts, and a build that checks they are all there splits
        only the names of folders changed since (see routes/unchanged.outputs_exist)."""
        rows = self.db.execute("SELECT folder, names FROM folders WHERE out_dir = ?", (str(out_dir.resolve()),))
        found: list[tuple[str, str]] = rows.fetchall()
        if not all(type(folder) is type(names) is str and "\0" not in folder + names for folder, names in found):
            with _readable():
                raise codec.CacheCorrupt("an output folder that is not text")
        return found

    def save_outputs(
        self, out_dir: Path, states: Mapping[str, OutputState], before: Mapping[str, OutputState] | None = None
    ) -> None:
        """Record the outputs of a successful build.

        Args:
            before: rows of `out_dir` read from this cache by this build (all of them, or those of
                the files it made again): then only the rows that differ are written (a rebuild
                changes a handful of 34,000), and the rows of `before` missing from `states` are
                removed. None: `states` is every output, and replaces the whole record.
        """
        folder = str(out_dir.resolve())
        with self.transaction():
            if before is None:
                self.db.execute("DELETE FROM outputs WHERE out_dir = ?", (folder,))
                changed: Iterable[tuple[str, OutputState]] = states.items()
                moved = True
            else:
                gone = [(folder, dest) for dest in before if dest not in states]
                self.db.executemany("DELETE FROM outputs WHERE out_dir = ? AND dest = ?", gone)
                changed = [(dest, s) for dest, s in states.items() if before.get(dest) != s]
                moved = bool(gone) or not before.keys() >= states.keys()
            self.db.executemany(
                "INSERT OR REPLACE INTO outputs VALUES (?, ?, ?, ?)",
                ((folder, dest, s.key, int(s.reads)) for dest, s in changed),
            )
            if moved:  # a file made or removed: group them by folder again
                self._save_folders(folder)

    def _save_folders(self, folder: str) -> None:
        """Record the outputs of the output folder `folder` by the folder they are in (see output_folders)."""
        names: dict[str, list[str]] = {}
        for (dest,) in self.db.execute("SELECT dest FROM outputs WHERE out_dir = ?", (folder,)):
            parent, _, name = dest.rpartition("/")
            names.setdefault(parent, []).append(name)
        self.db.execute("DELETE FROM folders WHERE out_dir = ?", (folder,))
        rows = ((folder, parent, "/".join(files)) for parent, files in names.items())
        self.db.executemany("INSERT INTO folders VALUES (?, ?, ?)", rows)

    def outputs_seen(self, out_dir: Path) -> int:
        """When (by the output folder's clock, see routes/unchanged.output_clock) every output of the
        last build into `out_dir` was last found there by a build that looked; 0 if none did."""
        text = self._info(f"seen:{out_dir.resolve()}")
        return int(text) if text and text.isdigit() else 0

    def save_outputs_seen(self, out_dir: Path, when_ns: int) -> None:
        """Record that every output was in `out_dir` at `when_ns` (the output clock before looking)."""
        self._save_info(f"seen:{out_dir.resolve()}", str(when_ns))

    def last_build(self, out_dir: Path) -> LastBuild | None:
        """What the last successful build into `out_dir` was made of."""
        text = self._info(f"last:{out_dir.resolve()}")
        try:
            return codec.load_last_build(text) if text else None
        except codec.CacheCorrupt:  # not one this code wrote: build the long way
            return None

    def save_last_build(self, out_dir: Path, last: LastBuild) -> None:
        """Record a successful build into `out_dir`."""
        self._save_info(f"last:{out_dir.resolve()}", codec.dump_last_build(last))

    def edit_index(self, out_dir: Path) -> EditIndex | None:
        """The edit index of the last build into `out_dir`."""
        folder = out_dir.resolve()
        text, inputs_key = self._info(f"edits:{folder}"), self._info(f"edits-key:{folder}")
        try:
            return codec.load_edit_index(text, inputs_key) if text and inputs_key else None
        except codec.CacheCorrupt:  # not one this code wrote: rebuilds go the long way
            return None

    def save_edit_index(self, out_dir: Path, index: EditIndex) -> None:
        """Record the edit index of a build into `out_dir`."""
        folder = out_dir.resolve()
        with self.transaction():
            rows = [(f"edits:{folder}", codec.dump_edit_index(index)), (f"edits-key:{folder}", index.inputs_key)]
            self.db.executemany("INSERT OR REPLACE INTO info VALUES (?, ?)", rows)

    def save_edit_index_key(self, out_dir: Path, inputs_key: str) -> None:
        """Move the edit index of `out_dir` on to a build that changed none of it (see
        routes/text_edit: an edit of a letter's text), without writing it again (25 ms at 10,000 posts)."""
        self._save_info(f"edits-key:{out_dir.resolve()}", inputs_key)

    def _info(self, name: str) -> str | None:
        row = self.db.execute("SELECT value FROM info WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def _save_info(self, name: str, value: str) -> None:
        with self.transaction():
            self.db.execute("INSERT OR REPLACE INTO info VALUES (?, ?)", (name, value))

    def close(self) -> None:
        """Close this process's connection."""
        self.db.close()


def _check_folder(folder: Path) -> None:
    """Refuse a cache "folder" that is a file, or a link (the cache would be written where it leads).

    Raises:
        SiteError: saying what to do.
    """
    if folder.is_symlink():
        raise SiteError(f"{folder} is a link: sitegen keeps its build cache in a folder of the site; remove the link")
    if folder.exists() and not folder.is_dir():
        raise SiteError(f"{folder} is a file: sitegen keeps its build cache in a folder of that name; remove the file")


def discard(root: Path) -> bool:
    """Delete the site's cache folder; True when there was one.

    Raises:
        SiteError: when it is a file or a link (see _check_folder).
    """
    folder = root / CACHE_DIR
    _check_folder(folder)
    if folder.exists():
        shutil.rmtree(folder)
        return True
    return False


def user_cache_dir() -> Path:
    """Where sitegen keeps what is its own and no site's: $XDG_CACHE_HOME/sitegen, else
    ~/.cache/sitegen (%LOCALAPPDATA%/sitegen on Windows)."""
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    return Path(base or Path.home() / ".cache") / "sitegen"


def compiled_templates_dir() -> Path | None:
    """The folder of compiled templates, kept between builds, or None when there can be none.

    Compiled templates are code that runs when loaded, so they are never kept in a site's own
    .sitegen-cache/, which may come with the site: they live in the user's own cache folder,
    which only they can write to.
    """
    folder = user_cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o022):
        return None  # another user's, or others may write to it
    return folder
