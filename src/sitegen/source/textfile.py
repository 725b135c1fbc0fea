"""Read a user's text file: UTF-8 with or without BOM, any line ending, or a clear error."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SiteError

CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
"""Characters a text file should not hold: invisible, and not allowed in XML (so in feeds)."""
_NAMES = {"\x00": "NUL", "\x08": "backspace", "\x0b": "vertical tab", "\x0c": "form feed", "\x1b": "escape",
          "\x7f": "delete"}


def control_character_message(character: str) -> str:
    """The error of a control character found in a text."""
    name = _NAMES.get(character, "a control character")
    return f"a control character, U+{ord(character):04X} ({name}), which a page or feed cannot show: delete it"


def decode_text(data: bytes, path: Path) -> str:
    """Decode UTF-8 (dropping a BOM) and normalize CRLF and CR line endings to LF.

    Raises:
        SiteError: when the bytes are not UTF-8, pointing at the first bad byte.
    """
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = data.count(b"\n", 0, start) + 1
        column = start - (data.rfind(b"\n", 0, start) + 1) + 1
        raise SiteError(
            f"not valid UTF-8 (byte 0x{data[start]:02x}); save the file as UTF-8",
            path,
            line,
            column,
        ) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    found = CONTROL_CHARACTER.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
        raise SiteError(control_character_message(found.group()), path, line, column)
    return text


def read_bytes(path: Path) -> bytes:
    """Read a file, or raise a SiteError that names it."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SiteError(f"cannot read file: {exc.strerror}", path) from None


def read_text(path: Path) -> str:
    """Read and decode a text file (see `decode_text`)."""
    return decode_text(read_bytes(path), path)
