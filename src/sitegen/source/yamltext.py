"""Write a text as a YAML value: plain when YAML reads it back unchanged, else double-quoted."""

from __future__ import annotations

import json
import re

# Words YAML 1.1 reads as true, false or null when left unquoted.
_SPECIAL = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"])
# Starts with a letter (not a digit, quote or YAML indicator such as - [ { & * ! | > % @ `).
_PLAIN = re.compile(r"[^\W\d_][^\n]*")


def yaml_text(text: str) -> str:
    """`text` as a YAML scalar: "How Reaching Out Pays" stays as it is, "Tom & Jerry: a review"
    is quoted (JSON's double-quoted strings are valid YAML)."""
    plain = (
        _PLAIN.fullmatch(text) is not None
        and text.isprintable()
        and text == text.strip()
        and ": " not in text
        and " #" not in text
        and not text.endswith(":")
        and text.lower() not in _SPECIAL
    )
    return text if plain else json.dumps(text, ensure_ascii=False)
