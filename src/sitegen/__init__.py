"""sitegen: a static site generator for people who write a newsletter and want to own it."""

from __future__ import annotations

__version__ = "0.2.0"
