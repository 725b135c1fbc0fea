"""One build at a time into an output folder: a lock on the folder's marker file.

Two builds into one folder at once (a second terminal, an editor's build on save) staged and
moved the same files, and one crashed halfway. The second now waits a little for the first, then
says which process holds the folder. The lock is the operating system's (flock): it goes with its
process, however that process ends. (Where there is no flock, as on Windows, builds are not locked.)
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from types import TracebackType

from ..errors import SiteError
from .writer import MARKER, STAGING, cannot_write

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

WAIT_SECONDS = 10.0
"""How long a build waits for another one to finish with the folder."""
HOLDER = "build.pid"
"""In the staging folder: which process holds the lock, for the message of one that waits."""


class OutputLock:
    """The lock of one output folder; taken once the folder exists (see `take`)."""

    def __init__(self, out_dir: Path, wait_seconds: float | None = None) -> None:
        self.out_dir = out_dir
        self.wait_seconds = WAIT_SECONDS if wait_seconds is None else wait_seconds
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        """Whether this process holds the lock."""
        return self._fd is not None

    def take(self) -> None:
        """Take the lock, if the folder exists and it is not held yet; wait for another build.

        Raises:
            SiteError: when another process keeps it longer than `wait_seconds`.
        """
        if self._fd is not None or fcntl is None or not (self.out_dir / MARKER).is_file():
            return
        fd = os.open(self.out_dir / MARKER, os.O_RDWR)
        deadline = time.monotonic() + self.wait_seconds
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise SiteError(self._held_by()) from None
                time.sleep(0.05)
        self._fd = fd
        with contextlib.suppress(OSError):  # only for the message of a build that waits
            (self.out_dir / STAGING).mkdir(exist_ok=True)
            (self.out_dir / STAGING / HOLDER).write_text(f"{os.getpid()}\n", encoding="ascii")

    def _held_by(self) -> str:
        try:
            pid = int((self.out_dir / STAGING / HOLDER).read_text(encoding="ascii"))
            who = f"sitegen (process {pid})"
        except (OSError, ValueError):
            who = "sitegen"
        return f"another {who} is building into {self.out_dir}: wait for it to end, or stop it, and build again"

    def release(self) -> None:
        """Let the next build in (leaving nothing of its own in the folder)."""
        if self._fd is not None:
            with contextlib.suppress(OSError):
                (self.out_dir / STAGING / HOLDER).unlink()
                (self.out_dir / STAGING).rmdir()  # if the build left it empty
            os.close(self._fd)  # closing the file lets go of its lock
            self._fd = None

    def __enter__(self) -> OutputLock:
        try:
            self.take()
        except OSError as exc:
            raise cannot_write(exc, str(self.out_dir)) from None
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.release()
