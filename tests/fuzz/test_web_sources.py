"""Hostile feeds, sitemaps, pages and channel previews served on 127.0.0.1 and read by ``watch``."""

from __future__ import annotations

from hypothesis import example, given

from tests.fuzz.harness import Env, check_feed, check_pages, check_sitemap, check_telegram_web, fuzz_settings
from tests.fuzz.hostile import cdata
from tests.fuzz.strategies import (
    FeedCase,
    FeedItem,
    HtmlPage,
    NestedSitemap,
    PageCase,
    SitemapCase,
    TelegramWebCase,
    UrlEntry,
    feed_cases,
    page_cases,
    sitemap_cases,
    telegram_web_cases,
)

RFC822 = "Sat, 18 Feb 2023 09:15:00 +0330"
PROLOG = '<?xml version="1.0" encoding="utf-8"?>'
RSS = "application/rss+xml; charset=utf-8"


@fuzz_settings()
@given(case=feed_cases())
@example(
    case=FeedCase(False, (0, FeedItem("bad-1", "http://127.0.0.1:abc/", "t", "d", RFC822), 1), PROLOG, RSS)
)
@example(
    case=FeedCase(True, (0, FeedItem("bad-1", None, "t", cdata("<p>x <![ y</p>"), RFC822), 1), PROLOG, RSS)
)
def test_feed_items_are_stored_or_refused_by_url(fuzz_env: Env, case: FeedCase) -> None:
    check_feed(fuzz_env, case)


@fuzz_settings()
@given(case=sitemap_cases())
@example(case=SitemapCase((0, NestedSitemap("http://[::1/"), 1), index=False))
@example(case=SitemapCase((0, UrlEntry("\r", "2023-02-18"), 1), index=False))  # a <loc> of white space
def test_sitemap_pages_are_stored_or_refused_by_url(fuzz_env: Env, case: SitemapCase) -> None:
    check_sitemap(fuzz_env, case)


@fuzz_settings()
@given(case=page_cases())
@example(case=PageCase((0, HtmlPage("utf-8", "text/html", "t", "<p>x <![ y</p>"), 1)))
# a start tag that never ends, at the end of the page: HTMLParser's work grows with its square
@example(case=PageCase((0, HtmlPage("utf-8", "text/html", "t", "x", ((1.0, b"<a " * 12_000),)), 1)))
def test_hostile_pages_do_not_cost_their_good_neighbours(fuzz_env: Env, case: PageCase) -> None:
    check_pages(fuzz_env, case)


HOSTILE_TIME = (
    '<div class="tgme_widget_message" data-post="fuzzchan/1000"><div class="tgme_widget_message_text">x</div>'
    '<a class="tgme_widget_message_date"><time datetime="9999-12-31T23:59:59-14:00"></time></a></div>'
)


@fuzz_settings()
@given(case=telegram_web_cases())
@example(case=TelegramWebCase((0, HOSTILE_TIME), "Fuzz", b"</body></html>"))
def test_channel_preview_posts_are_stored_or_refused_by_post(fuzz_env: Env, case: TelegramWebCase) -> None:
    check_telegram_web(fuzz_env, case)
