"""The JSON Schema of site.yaml, for editors: `# yaml-language-server: $schema=...` in a site's
site.yaml makes them complete its keys and flag typos (tests/test_schema.py keeps it and the
loader in agreement)."""

from __future__ import annotations

from pathlib import Path

from .. import __version__

SCHEMA_FILE = Path(__file__).with_name("site.schema.json")
SCHEMA_URL = (
    "https://raw.githubusercontent.com/sitegen-newsletter/sitegen/"
    f"v{__version__}/src/sitegen/source/site.schema.json"
)
"""Where editors fetch it: the file of the release that made the site."""
