"""Run one function over many items on every core: a fork-based process pool, or in this process
when the job is small (starting workers costs more than a small site takes to build)."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_PARALLEL_ITEMS = 200
"""Below this, one process is faster than starting others."""


def worker_count() -> int:
    """How many processes a build may use: the CPUs this process may run on."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


WORKER_GC_THRESHOLD = 50_000
"""Allocations between a worker's collections of its youngest objects (Python's default: 700)."""


def _start_worker() -> None:
    # The parent builds with the garbage collector off (see Builder.build); a worker turns it on,
    # or the cycles each render leaves behind would pile up for the whole build. Markdown leaves
    # none, but allocates millions of objects: at the default threshold, collecting took 5 % of
    # parsing time.
    gc.set_threshold(WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])
    gc.enable()


def run_all(
    func: Callable[[T], R],
    items: Sequence[T],
    workers: int,
    on_done: Callable[[R], None] | None = None,
    min_items: int = MIN_PARALLEL_ITEMS,
) -> Iterator[R]:
    """Yield func(item) for every item, in order.

    Workers are forked, so they start with this process's memory (the parsed site, compiled
    templates) and only the items and results travel between processes. `func` must catch the
    errors it expects and return them as values.
    """
    if workers <= 1 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            result = func(item)
            yield result
            if on_done:
                on_done(result)
        return
    # about 8 chunks per worker: big enough to amortise the pipes, small enough to balance
    chunk = max(1, min(64, len(items) // (workers * 8)))
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, initializer=_start_worker) as pool:
        for result in pool.imap(func, items, chunksize=chunk):
            yield result
            if on_done:
                on_done(result)
