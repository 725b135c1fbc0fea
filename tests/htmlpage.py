"""Read a built HTML page the way a test needs: text, links, ids."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import lxml.html


@dataclass
class HtmlPage:
    """A parsed page."""

    tree: lxml.html.HtmlElement

    @classmethod
    def load(cls, path: Path) -> HtmlPage:
        """Parse the file at `path`."""
        return cls(lxml.html.fromstring(path.read_bytes()))

    def text(self, xpath: str = "//body") -> str:
        """The whitespace-normalized text of the first element matching `xpath`."""
        found = self.tree.xpath(xpath)
        return " ".join(found[0].text_content().split()) if found else ""

    def texts(self, xpath: str) -> list[str]:
        """The text of every element matching `xpath`."""
        return [" ".join(e.text_content().split()) for e in self.tree.xpath(xpath)]

    def attrs(self, xpath: str) -> list[str]:
        """Attribute values selected by an xpath ending in /@name."""
        return [str(v) for v in self.tree.xpath(xpath)]

    @property
    def links(self) -> list[str]:
        """Every href of an <a>."""
        return self.attrs("//a/@href")
