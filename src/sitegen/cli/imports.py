"""`sitegen import linkedin EXPORT`: a LinkedIn newsletter's articles as posts (see create/linkedin.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..source.config import load_config
from .show import say, say_error
from .site import Commands, add_command, add_site_arguments

# The importer (BeautifulSoup, markdownify, urllib) is imported by the command that uses it: every
# `sitegen build` would otherwise pay for it at start.


def add_import_command(commands: Commands) -> None:
    """Add `import linkedin` to the command line."""
    example = "sitegen import linkedin Basic_LinkedInDataExport.zip"
    i = add_command(commands, "import", "bring posts in from elsewhere", example)
    sources = i.add_subparsers(dest="source", required=True, metavar="SOURCE")
    li = add_command(sources, "linkedin", "import the articles of LinkedIn's data export (its ZIP, or that folder)", """
sitegen import linkedin ~/Downloads/Basic_LinkedInDataExport_12-05-2026.zip
sitegen import linkedin export/ my-letters --author ana --download-images
""")
    li.add_argument("export", type=Path, help="LinkedIn's data export: the ZIP, or the folder it unpacks to")
    add_site_arguments(li)
    li.add_argument("--author", metavar="ID", help="the author of every post (default: site.yaml's author)")
    li.add_argument(
        "--no-canonical", action="store_true", help="make this site the original (no canonical_url to LinkedIn)"
    )
    li.add_argument(
        "--download-images", action="store_true", help="fetch the images into each post's folder (LinkedIn's expire)"
    )
    li.add_argument("--force", action="store_true", help="replace posts imported before")
    li.set_defaults(func=_import_linkedin)


def _import_linkedin(args: argparse.Namespace) -> int:
    from ..create.linkedin import ImportOptions, import_linkedin

    root: Path = args.path
    config = load_config(root, file=args.config)
    options = ImportOptions(args.author, not args.no_canonical, args.force, args.download_images)
    report = import_linkedin(config, args.export, options)
    for path, draft in report.written:
        say(f"{path.relative_to(root).as_posix()}{' (draft)' if draft else ''}")
    for source, reason in report.skipped:
        say(f"skipped {source}: {reason}")
    for warning in report.warnings:
        say_error(f"warning: {warning}")
    drafts = sum(draft for _path, draft in report.written)
    say(
        f"imported {len(report.written)} article{'s' if len(report.written) != 1 else ''} "
        f"({drafts} draft{'s' if drafts != 1 else ''}), skipped {len(report.skipped)}"
    )
    if report.remote_images:
        say(
            f"note: {report.remote_images} image{'s are' if report.remote_images != 1 else ' is'} still on LinkedIn's "
            "servers, whose addresses expire: import again with --download-images --force to keep copies"
        )
    if drafts:
        say("review the drafts in sitegen serve (it shows drafts), then delete their draft: line to publish them")
    return 0
