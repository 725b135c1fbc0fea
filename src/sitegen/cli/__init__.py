"""The command line: the only part of sitegen that prints."""

from __future__ import annotations

from .main import main, run

__all__ = ["main", "run"]
