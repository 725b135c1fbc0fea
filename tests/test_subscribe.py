"""Subscribing: the sign-up form of the writer's mail service, on the home page, every post and the
author pages, with no JavaScript and no request to the service until the reader presses the button."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from conftest import AUTHOR_ANA, Run, Site
from htmlpage import HtmlPage

BUTTONDOWN = "https://buttondown.com/api/emails/embed-subscribe/letters"


def with_config(site: Site, extra: str) -> None:
    site.write({"site.yaml": (site.root / "site.yaml").read_text() + extra})


def page(site: Site, dest: str) -> HtmlPage:
    return HtmlPage.load(site.out / dest)


def test_the_sites_form_leads_the_home_page_ends_every_post_and_is_on_author_pages(
    make_site: Callable[..., Site],
) -> None:
    site = make_site()
    site.write({"content/authors/ana.md": AUTHOR_ANA.replace(
        'subscribe: {label: Subscribe by email, url: "https://buttondown.com/ana"}\n', ""
    )})
    with_config(site, "subscribe: {provider: buttondown, user: letters, note: One letter a month.}\n")
    site.build()
    for dest in ("index.html", "posts/first/index.html", "posts/second/index.html", "authors/ana/index.html"):
        html = page(site, dest)
        [form] = html.tree.xpath("//section[@id='subscribe']//form")
        assert (form.get("action"), form.get("method")) == (BUTTONDOWN, "post"), dest
        [field] = form.xpath(".//input[@type='email']")
        assert {name: field.get(name) for name in ("name", "autocomplete", "inputmode")} == {
            "name": "email", "autocomplete": "email", "inputmode": "email"
        }
        assert field.get("required") is not None
        assert form.xpath(f".//label[@for='{field.get('id')}']/text()") == ["Your email address"]
        assert html.texts("//section[@id='subscribe']//button") == ["Subscribe"]
        assert html.text("//section[@id='subscribe']//p[@class='subscribe__lead']") == "One letter a month."
        assert html.attrs("//a[contains(@class, 'site-subscribe')]/@href") == ["#subscribe"]
        assert not html.tree.xpath("//section[@id='subscribe']//script | //script[contains(@src, 'buttondown')]")
    home = page(site, "index.html")
    text = home.text("//main")
    assert text.index("The latest letter") < text.index("Get new letters by email") < text.index("More letters")
    # pages without a form send the header's button to the home page's
    assert page(site, "about/index.html").attrs("//a[contains(@class, 'site-subscribe')]/@href") == [
        "/letters/#subscribe"
    ]
    # the form is not part of the connect box: following is not connecting
    post = page(site, "posts/first/index.html")
    assert not post.tree.xpath("//*[contains(@class, 'connect')]//form")


def test_an_authors_own_form_overrides_the_sites_on_their_pages_and_posts(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.write({"content/authors/ana.md": AUTHOR_ANA.replace(
        'subscribe: {label: Subscribe by email, url: "https://buttondown.com/ana"}',
        "subscribe: {action: 'https://list.example.com/subscription/form', email_field: addr, "
        "label: Join Ana\u2019s list, hidden: {l: 3f2a, nonce: ''}}",
    )})
    with_config(site, "subscribe: {provider: buttondown, user: letters}\n")
    site.build()
    ana = page(site, "posts/first/index.html")
    assert ana.attrs("//section[@id='subscribe']//form/@action") == ["https://list.example.com/subscription/form"]
    assert ana.attrs("//section[@id='subscribe']//input[@type='email']/@name") == ["addr"]
    assert ana.attrs("//section[@id='subscribe']//input[@type='hidden']/@name") == ["l", "nonce"]
    assert ana.attrs("//section[@id='subscribe']//input[@type='hidden']/@value") == ["3f2a", ""]
    assert ana.texts("//section[@id='subscribe']//button") == ["Join Ana\u2019s list"]
    assert page(site, "authors/ana/index.html").attrs("//section[@id='subscribe']//form/@action") == [
        "https://list.example.com/subscription/form"
    ]
    ben = page(site, "posts/second/index.html")
    assert ben.attrs("//section[@id='subscribe']//form/@action") == [BUTTONDOWN]
    assert page(site, "index.html").attrs("//section[@id='subscribe']//form/@action") == [BUTTONDOWN]


@pytest.mark.parametrize(
    ("provider", "action", "field"),
    [
        ("kit", "https://app.kit.com/forms/4411/subscriptions", "email_address"),
        ("convertkit", "https://app.kit.com/forms/4411/subscriptions", "email_address"),
        ("substack", "https://4411.substack.com/api/v1/free?nojs=true", "email"),
        ("emailoctopus", "https://eomail1.com/form/4411", "field_0"),
        ("Buttondown", "https://buttondown.com/api/emails/embed-subscribe/4411", "email"),
    ],
)
def test_a_preset_makes_the_form_of_a_known_service(
    make_site: Callable[..., Site], provider: str, action: str, field: str
) -> None:
    site = make_site()
    with_config(site, f"subscribe: {{provider: {provider}, user: 4411}}\n")
    site.build()
    home = page(site, "index.html")
    assert home.attrs("//section[@id='subscribe']//form/@action") == [action]
    assert home.attrs("//section[@id='subscribe']//input[@type='email']/@name") == [field]


def test_without_a_service_the_block_offers_the_feed(make_site: Callable[..., Site]) -> None:
    site = make_site()
    site.build()
    home = page(site, "index.html")
    assert home.text("//section[@id='subscribe']//h2") == "Follow new letters"
    assert home.attrs("//section[@id='subscribe']//a/@href") == ["/letters/feed.xml"]
    assert home.texts("//a[contains(@class, 'site-subscribe')]") == ["Follow"]
    # one feed for readers in the footer, not three formats; feed readers still find all three
    assert home.texts("//footer//a[@type]") == ["RSS feed"]
    assert len(home.attrs("//link[@rel='alternate']/@href")) == 3


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{provider: buttondwn, user: me}", "'subscribe.provider' 'buttondwn' is not one sitegen knows "
         "(did you mean 'buttondown'?)"),
        ("{provider: kit}", "'subscribe' with provider kit needs user: (your name there)"),
        ("{action: 'javascript:alert(1)'}", "'subscribe.action' must be the http(s) address of the form, "
         "not 'javascript:alert(1)'"),
        ("{action: 'https://x.example/f', method: put}", "'subscribe.method' must be post or get, not 'put'"),
        ("{acton: 'https://x.example/f'}", "unknown key 'subscribe.acton' (did you mean 'action'?)"),
        ("{label: Join}", "'subscribe' needs an action (a form's address), a url, or a provider and a user"),
    ],
)
def test_a_subscribe_setting_that_cannot_work_is_a_located_error(
    make_site: Callable[..., Site], run_cli: Callable[..., Run], value: str, message: str
) -> None:
    site = make_site()
    lines = len((site.root / "site.yaml").read_text().splitlines())
    with_config(site, f"subscribe: {value}\n")
    result = run_cli(site.root, "build")
    assert (result.status, result.err) == (1, f"site.yaml:{lines + 1}:1: {message}\n")


def test_sitegen_check_refuses_a_form_that_posts_to_plain_http(
    make_site: Callable[..., Site], run_cli: Callable[..., Run]
) -> None:
    site = make_site()
    with_config(site, "subscribe: {action: 'http://list.example.com/join'}\n")
    result = run_cli(site.root, "build", "-q", "--check")
    assert result.status == 1
    assert "index.html: http://list.example.com/join: a form that posts must send to an https:// address " \
        "(its service's)" in result.out.splitlines()
