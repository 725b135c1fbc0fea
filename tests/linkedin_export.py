"""A LinkedIn data export, as LinkedIn writes one, for the importer's tests: articles in
Articles/Articles/, a published one, a draft named by its time (with ':' and spaces), and files
that are not articles. Written at test time: a file name with ':' cannot be checked out everywhere."""
# ruff: noqa: E501, RUF001 - HTML as LinkedIn writes it: long lines, curly apostrophes

from __future__ import annotations

import zipfile
from pathlib import Path

IMAGE_HOST = "http://127.0.0.1:{port}"
"""Where the tests serve the articles' images (LinkedIn's are signed and expire)."""

HEAD = '<html><head><meta charset="UTF-8"><title>{title}</title></head><body>\n'

BEST_REQUEST = HEAD.format(title="The Best Connection Request Says Why") + """\
<img src="{images}/cover.jpg?e=1700000000&amp;t=signed" alt="A  pile of
handwritten notes">
<h1><a href="https://www.linkedin.com/pulse/best-connection-request-says-why-ana-moreau">The Best Connection Request Says Why</a></h1>
<p class="created">Created on 2024-03-04 21:10</p>
<p class="published">Published on 2024-03-05 04:30</p>
<div><p>Every Monday I clear my pending invitations. The ones I remember say <strong>why</strong>.</p>
<p></p>
<h2>What an empty request asks</h2>
<p>It hands all the work to the other person. As <a href="https://example.com/essay">one essay</a> put it, “a note is a gift”.</p>
<figure><img src="{images}/desk.jpg?e=1700000000&amp;t=signed" alt=""><figcaption>My desk, on a Monday</figcaption></figure>
<h3>Three things a good note does</h3>
<ol><li><p>It says where you met.</p></li><li><p>It says what you liked.</p></li><li><p>It asks for nothing.</p></li></ol>
<ul><li><p>Short notes</p><ul><li><p>under 200 characters</p></li><li><p>one question at most</p></li></ul></li><li><p>Real names</p></li></ul>
<blockquote>The best request is the one you would send by letter.</blockquote>
<pre></pre>
<p>A link with no address: <a>see the comments</a>. Not code: if a &lt; b then &lt;script&gt; stays text.</p>
<hr>
<p>連絡を取り合いましょう — let’s keep in touch.</p>
<p>#networking #LinkedIn #careers</p>
</div>
</body></html>
"""

DRAFT = HEAD.format(title="Notes on a second year") + """\
<h1>Notes on a second year</h1>
<p class="created">Created on 2024-05-02 09:18</p>
<p class="published">Published on ---</p>
<div><p>Unfinished thoughts about year two.</p></div>
</body></html>
"""

NOT_AN_ARTICLE = "<html><body><p>Just a note I saved.</p></body></html>\n"

ARTICLES = {
    "best-connection-request-says-why.html": BEST_REQUEST,
    "2024-05-02 09:18:07.0.html": DRAFT,
    "saved-note.html": NOT_AN_ARTICLE,
}
"""File name in Articles/Articles/ -> HTML (with {images} for the image server)."""


def write_export(folder: Path, images: str) -> Path:
    """The export unpacked in `folder`, with other parts of the export beside the articles."""
    (folder / "Articles/Articles").mkdir(parents=True)
    for name, html in ARTICLES.items():
        (folder / "Articles/Articles" / name).write_text(html.replace("{images}", images), encoding="utf-8")
    (folder / "Connections.csv").write_text("First Name,Last Name\nBen,Okafor\n", encoding="utf-8")
    return folder


def zip_export(path: Path, images: str, top: str = "") -> Path:
    """The export as LinkedIn sends it: one ZIP."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, html in ARTICLES.items():
            archive.writestr(f"{top}Articles/Articles/{name}", html.replace("{images}", images))
        archive.writestr(f"{top}Connections.csv", "First Name,Last Name\nBen,Okafor\n")
    return path
