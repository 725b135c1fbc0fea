"""Files GitHub Pages reads from the root of the built site: .nojekyll and CNAME."""

from __future__ import annotations

from .config import SiteConfig
from .outputs import OutputFile


def hosting_files(config: SiteConfig) -> list[OutputFile]:
    """The host's own files for `config`'s site.

    `.nojekyll` stops a branch-published site from going through Jekyll, which would drop every
    file and folder whose name starts with "_" or "."; `CNAME` names the custom domain of
    site.yaml's `domain:`.
    """
    files = [OutputFile(".nojekyll", b"", kind="meta")]
    if config.domain:
        files.append(OutputFile("CNAME", f"{config.domain}\n".encode("ascii"), kind="meta"))
    return files
