"""A long-lived Builder in a process of its own, started before any thread.

The builder forks a pool of workers for every large rebuild. Forking a process that runs other
threads (the dev server's HTTP threads, the file watchers) copies whatever locks those threads
hold at that moment into the child, where nothing will ever release them: the child can deadlock,
and Python 3.12 warns about it. So `sitegen serve` and `build --watch` fork this process first,
before any thread starts; it runs no thread of its own, forks its pools safely, and keeps the
site in memory from one build to the next. A call and its answer cross a pipe in well under a
millisecond.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import pickle
import signal
import threading
import traceback
from collections.abc import Iterable
from multiprocessing.connection import Connection
from types import FrameType
from typing import Any

from ..engine.builder import Builder
from ..engine.memory import Lifetime
from ..engine.options import BuildOptions, BuildReport

STOP_SECONDS = 5.0
"""How long `close` waits for a build to end before ending the process."""


class BuilderProcess:
    """A long-lived Builder (see engine.memory.Lifetime) in a forked process, called like one."""

    def __init__(self, options: BuildOptions) -> None:
        if threading.active_count() > 1:
            raise RuntimeError("the builder's process must start before any thread")
        context = multiprocessing.get_context("fork")
        self._conn, child = context.Pipe()
        target_args = (child, self._conn, options)
        self._process = context.Process(target=_serve_calls, args=target_args, name="sitegen-builder")
        self._process.start()
        child.close()

    def build(self, changed: Iterable[str] | None = None) -> BuildReport:
        """See Builder.build."""
        report = self._call("build", None if changed is None else tuple(changed))
        assert isinstance(report, BuildReport)
        return report

    def quick_page(self, changed: Iterable[str]) -> list[str]:
        """See Builder.quick_page."""
        return list(self._call("quick_page", tuple(changed)))

    def prepare_quick_page(self) -> None:
        """See Builder.prepare_quick_page."""
        self._call("prepare_quick_page")

    def close(self) -> None:
        """End the process: at once when idle; a build under way is stopped after STOP_SECONDS."""
        with contextlib.suppress(BrokenPipeError, OSError):
            self._conn.send(("close", ()))
        self._process.join(STOP_SECONDS)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()

    def _call(self, method: str, *args: object) -> Any:
        self._conn.send((method, args))
        kind, value = self._conn.recv()
        if kind == "raise":
            raise value
        return value


def _serve_calls(conn: Connection, parents_end: Connection, options: BuildOptions) -> None:
    """The builder process: answer calls until told to stop or the parent goes away."""
    parents_end.close()  # else this process holds the pipe open, and never sees its parent go
    # Ctrl-C reaches every process of the terminal: the parent handles it and ends this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_term)  # so that a pool under way ends with it
    builder = Builder(options, Lifetime.LONG_LIVED)
    while True:
        try:
            method, args = conn.recv()
        except (EOFError, OSError):
            return
        if method == "close":
            return
        try:
            answer: tuple[str, object] = ("return", getattr(builder, method)(*args))
        except Exception as exc:  # every error goes back to the caller, which raises it
            answer = ("raise", _portable(exc))
        conn.send(answer)


def _exit_on_term(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


def _portable(exc: Exception) -> Exception:
    """`exc` if it survives the trip through the pipe, else a RuntimeError carrying its traceback."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # any failure to pickle means: send it as text
        text = "".join(traceback.format_exception(exc))
        return RuntimeError(f"the builder failed:\n{text}")
    return exc
