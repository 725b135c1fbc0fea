"""The raster images a site shows: their size (for width and height in every <img>, so nothing
moves as they load) and their smaller WebP copies (for a srcset), planned as jobs keyed by the
image's bytes so that a rebuild never encodes an unchanged image again."""

from __future__ import annotations

import dataclasses
import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from ..errors import SiteWarning
from ..model.site import Page, Picture, Post, Site, output_path
from ..render.pictures import MEASURED, Measured, measure
from . import keys

COPY_WIDTHS = (640, 960, 1280)
"""Widths of the WebP copies: the theme's measure (40rem) at 1x, 1.5x and 2x."""
MEASURE = 640
"""An image no wider than this shows at its own size: it gets no copies."""
WEBP_MOST = 16383
COPY_VERSION = "1"
"""Part of every copy's key: change it when copies are made differently."""


@dataclass(frozen=True, slots=True)
class CopyJob:
    """A smaller WebP copy of an image (see render.pictures.webp_copy)."""

    source: Path
    dest: str
    width: int
    key: str
    of: str
    """The image's output path, for errors."""


@dataclass(frozen=True, slots=True)
class _Seen:
    """What reading one file gave, kept while its stamp holds."""

    stamp: str
    size: int
    """Its bytes."""
    measured: Measured | None
    digest: str


class PictureReader:
    """Reads images' sizes and hashes, remembering them by file stamp (a long-lived builder keeps
    one between builds: the dev server reads no unchanged image twice)."""

    def __init__(self) -> None:
        self._seen: dict[str, _Seen] = {}

    def read(self, path: Path, copies: bool) -> _Seen:
        """The size of the image at `path`, and the hash of its bytes when copies may be made."""
        stat = os.stat(path)
        stamp = keys.file_stamp(stat)
        seen = self._seen.get(str(path))
        if seen is None or seen.stamp != stamp or (copies and not seen.digest and _wide(seen.measured)):
            measured = measure(path)
            digest = hashlib.sha256(path.read_bytes()).hexdigest() if copies and _wide(measured) else ""
            seen = self._seen[str(path)] = _Seen(stamp, stat.st_size, measured, digest)
        return seen


def _wide(measured: Measured | None) -> bool:
    return measured is not None and measured.resizable and measured.width > MEASURE


def shown_images(site: Site) -> Iterator[str]:
    """The output path of each image a page shows in its text or as a cover: those get a size
    and copies. (Authors' photos are shown at a size of their own, in a
    square, and the site's image only in link previews: neither is offered as copies.)"""
    for author in site.authors:
        for link in author.bio.links:
            if link.image and (path := output_path(author.url, link.url)):
                yield path
    items: tuple[Post | Page, ...] = (*site.posts, *site.pages)
    for item in items:
        cover = item.image if isinstance(item, Post) else None
        if cover and (path := output_path(item.url, cover)):
            yield path
        for link in item.body.links:
            if link.image and (path := output_path(item.url, link.url)):
                yield path


def copy_name(dest: str, width: int) -> str:
    """The file name of the copy of the image at `dest` that is `width` pixels wide (harbour.jpg:
    harbour-jpg-640w.webp, which harbour.png's copies cannot clash with)."""
    stem, _, suffix = dest.rsplit("/", 1)[-1].rpartition(".")
    return f"{stem}-{suffix.lower()}-{width}w.webp"


def picture_of(dest: str, seen: _Seen, copies: bool) -> Picture | None:
    """How pages show the image at `dest`, from what reading it gave."""
    measured = seen.measured
    if measured is None:
        return None
    widths: list[int] = []
    if copies and _wide(measured):
        widths = [w for w in COPY_WIDTHS if w < measured.width]
        if measured.width < COPY_WIDTHS[-1] and measured.format != "WEBP":
            widths.append(measured.width)  # the whole image, as WebP, for screens of 2x
        # WebP's sides stop at 16,383 pixels: a full-page screenshot gets no copy that tall
        widths = [w for w in widths if measured.height * w / measured.width <= WEBP_MOST]
    named = tuple((copy_name(dest, w), w) for w in widths)
    if named and measured.format == "WEBP":
        named += ((dest.rsplit("/", 1)[-1], measured.width),)
    return Picture(measured.width, measured.height, named)


def plan_pictures(
    site: Site, files: Mapping[str, Path], reader: PictureReader, root: Path
) -> tuple[Site, list[CopyJob], list[SiteWarning]]:
    """`site` with the pictures it shows, the copies to make of them, and a warning for each image
    that cannot be read or is larger than site.yaml's `images: {warn_over_kb}`.

    Args:
        files: the files the build copies, by output path.
    """
    config = site.config
    pictures: dict[str, Picture] = {}
    jobs: list[CopyJob] = []
    warnings: list[SiteWarning] = []
    done: set[str] = set()
    for dest in shown_images(site):
        source = files.get(dest)
        if dest in done or source is None or not dest.lower().endswith(MEASURED):
            continue
        done.add(dest)
        seen = reader.read(source, config.image_copies)
        shown = _shown(source, root)
        picture = picture_of(dest, seen, config.image_copies)
        if picture is None:
            warnings.append(SiteWarning(
                "this is not an image browsers can show (or it is over 50 million pixels)", shown, None, None,
                "export it again as JPEG, PNG or WebP",
            ))
            continue
        pictures[dest] = picture
        size_kb = seen.size / 1000
        if size_kb > config.image_warn_kb:
            warnings.append(SiteWarning(
                f"this image is {size_kb:,.0f} KB, over images.warn_over_kb ({config.image_warn_kb:,} KB): "
                "readers on a phone wait for it", shown, None, None,
                "save it smaller (2,000 pixels wide is plenty), or raise images: {warn_over_kb: ...} in site.yaml",
            ))
        folder = dest.rsplit("/", 1)[0] + "/" if "/" in dest else ""
        for name, width in picture.copies:
            if name == dest.rsplit("/", 1)[-1]:
                continue  # a WebP original stands for itself
            key = keys.hash_parts((keys.versions(), "webp", COPY_VERSION, seen.digest, str(width)))
            jobs.append(CopyJob(source, folder + name, width, key, dest))
    return dataclasses.replace(site, pictures=MappingProxyType(pictures)), jobs, warnings


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)


def picture_tokens(site: Site, page_url: str, refs: Iterable[str | None]) -> tuple[str, ...]:
    """What a page's key holds of the pictures it shows (see Picture.token)."""
    if not site.pictures:
        return ()
    found = []
    for ref in refs:
        picture = site.picture(page_url, ref)
        if picture is not None:
            found.append(f"{ref}={picture.token}")
    return tuple(found)
