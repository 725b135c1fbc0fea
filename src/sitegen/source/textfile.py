"""Read a user's text file: UTF-8 with or without BOM, any line ending, or a clear error."""

from __future__ import annotations

from pathlib import Path

from ..errors import SiteError


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
