"""What every command shares: its help (a line and examples), -v and -q, and the site it works on
(the folder given, the folder of --config, or the nearest folder holding site.yaml, as git finds
its repository)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TypeAlias

from ..errors import SiteError
from ..source.config import CONFIG_NAME

Commands: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def loudness() -> argparse.ArgumentParser:
    """The -q and -v every command takes (a parent parser)."""
    parent = argparse.ArgumentParser(add_help=False)
    loud = parent.add_mutually_exclusive_group()
    loud.add_argument("--quiet", "-q", action="store_true", help="print only errors, warnings and results")
    loud.add_argument("--verbose", "-v", action="store_true", help="say more, and show a traceback with an error")
    return parent


def add_command(commands: Commands, name: str, summary: str, examples: str) -> argparse.ArgumentParser:
    """A subcommand whose --help starts with `summary` and ends with `examples` (one per line)."""
    lines = "\n".join(f"  {line}" for line in examples.strip().splitlines())
    return commands.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=f"examples:\n{lines}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        parents=[loudness()],
    )


def add_site_arguments(parser: argparse.ArgumentParser) -> None:
    """The site folder (a positional) and --config."""
    parser.add_argument(
        "path", nargs="?", type=Path, metavar="SITE",
        help=f"the site folder (default: the nearest folder with a {CONFIG_NAME}, here or above)",
    )
    parser.add_argument(
        "--config", type=Path, metavar="FILE", help=f"read the settings from FILE instead of SITE/{CONFIG_NAME}"
    )


def add_trust_argument(parser: argparse.ArgumentParser) -> None:
    """--trust-plugins: for every command that builds the site."""
    parser.add_argument(
        "--trust-plugins", action="store_true",
        help="run the site's own plugins (plugins/*.py): code from the site folder, never from a stranger's",
    )


def find_site(given: Path | None, config: Path | None, here: Path | None = None) -> Path:
    """The site folder: `given`, else the folder of `config`, else the nearest folder holding
    site.yaml from `here` (the current folder) up.

    Raises:
        SiteError: when `given` or `config` is missing, or no folder above holds site.yaml.
    """
    if config is not None and not config.is_file():
        raise SiteError(f"no settings file {config} (given with --config)")
    if given is not None:
        if not given.is_dir():
            raise SiteError(f"no folder {given}: give the site's folder (the one holding {CONFIG_NAME})")
        return given
    if config is not None:
        return config.parent
    start = (here or Path.cwd()).absolute()
    for folder in (start, *start.parents):
        if (folder / CONFIG_NAME).is_file():
            return _relative(folder, start)
    raise SiteError(
        f"no {CONFIG_NAME} in {start} or any folder above it: is this a sitegen site? "
        "(give its folder, or make one with sitegen init DIR)"
    )


def _relative(folder: Path, start: Path) -> Path:
    """`folder` as short as it can be written from `start` (".", "..", "../.."), for messages."""
    if folder == start:
        return Path(".")
    return Path(*([".."] * (len(start.parts) - len(folder.parts))))
