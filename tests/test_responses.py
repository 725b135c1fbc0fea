"""Readers' responses quoted under a post: `responses:` in front matter, checked like the rest of it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import Run, Site, post
from htmlpage import HtmlPage

RESPONSES = """
  - name: Priya Raman
    tagline: Engineering manager
    age: 2 yrs
    text: |-
      I started adding *one line* to every request.

      People reply now. <script>alert(1)</script>
    url: https://www.linkedin.com/feed/update/urn:li:activity:1/
  - name: 佐藤 由美
    age: 2 年
    text: 素敵な記事をありがとうございます。
  - name: Marc
    date: 2024-03-07
    text: Fair.
"""


def with_responses(site: Site, responses: str) -> None:
    site.write({"content/posts/first.md": (
        "---\ntitle: First post\ndate: 2024-01-05\nresponses:" + responses + "---\nThe *first* words.\n"
    )})


def test_responses_are_quoted_under_the_post_after_the_author_box(make_site: Callable[..., Site]) -> None:
    site = make_site()
    with_responses(site, RESPONSES)
    site.build()
    html = HtmlPage.load(site.out / "posts/first/index.html")
    assert html.text("//section[@class='responses']/h2") == "Responses (3)"
    main = html.text("//main")
    assert main.index("About the author") < main.index("Responses (3)")
    quotes = html.tree.xpath("//section[@class='responses']//figure")
    assert [q.xpath("string(.//span[@class='response__name'])") for q in quotes] == ["Priya Raman", "佐藤 由美", "Marc"]
    first = quotes[0]
    assert first.xpath(".//blockquote/p[1]/em/text()") == ["one line"]
    # a reader's words are escaped like every other text: no raw HTML
    assert "<script>alert(1)</script>" in first.xpath("string(.//blockquote)")
    assert not html.tree.xpath("//section[@class='responses']//script")
    assert first.xpath(".//blockquote/@cite") == ["https://www.linkedin.com/feed/update/urn:li:activity:1/"]
    assert " ".join(first.xpath("string(.//figcaption)").split()) == (
        "P Priya Raman Engineering manager 2 yrs · Read it where it was written (Priya Raman)"
    )
    assert quotes[1].xpath("string(.//span[@class='response__when'])").strip() == "2 年"  # as written
    assert quotes[2].xpath(".//time/@datetime") == ["2024-03-07"]
    assert quotes[2].xpath("string(.//time)") == "7 March 2024"


def test_responses_are_not_part_of_the_feeds(make_site: Callable[..., Site]) -> None:
    site = make_site()
    with_responses(site, RESPONSES)
    site.build()
    for feed in ("feed.xml", "atom.xml", "feed.json"):
        text = site.read(feed)
        assert "first" in text and "words" in text  # the post is there, its responses are not
        assert "Priya" not in text and "Marc" not in text


@pytest.mark.parametrize(
    ("responses", "message"),
    [
        ("\n  - {tagline: Reader, text: Hello}\n", "5:5: response 1 needs a name:"),
        ("\n  - {name: Ana, text: Hi}\n  - {name: Ben}\n", "6:5: response 2 needs a text:"),
        ("\n  - {name: Ana, txt: Hi}\n", "5:17: unknown key 'txt' in response 1 (did you mean 'text'?)"),
        ("\n  - {name: Ana, text: Hi, date: last week}\n", "5:27: the date of response 1 must be a date such as "
         "2024-03-05, not 'last week'"),
        ("\n  - {name: [Ana], text: Hi}\n", "5:6: the name of response 1 must be text"),
        ("\n  - Nice post\n", "5:5: response 1 must be a mapping such as {name: Ana, text: Thank you}"),
        (" Nice post\n", "4:1: 'responses' must be a list of {name: ..., text: ...}"),
        ("\n  - {name: Ana, text: Hi, url: 'javascript:alert(1)'}\n", "5:27: the url of response 1 must be an "
         "http, https or mailto address, or one within the site, not 'javascript:alert(1)'"),
    ],
)
def test_a_response_that_cannot_be_shown_is_a_located_error(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], responses: str, message: str
) -> None:
    site = make_site()
    with_responses(site, responses)
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, f"content/posts/first.md:{message}\n")


def test_a_post_with_responses_keeps_its_page_address_and_date(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    site.write({"content/posts/first.md": post("First post", "2024-01-05", "Words.\n", responses="[]")})
    assert run_cli(site.root, "build", "-q").status == 0
    assert not HtmlPage.load(site.out / "posts/first/index.html").tree.xpath("//section[@class='responses']")
