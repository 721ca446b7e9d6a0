"""HTML from hostile sources reduced to text in bounded time: pages, .html files, Telegram previews."""

from __future__ import annotations

import time

import pytest

from eventledger.errors import InputError
from eventledger.normalize import html as markup
from eventledger.normalize.html import decode, extract_article, html_to_fields

TWO_MB = 2 * 1024 * 1024
# what kept the standard library's html.parser busy for minutes (one case over 400 s), or made it raise
UNCLOSED = ["<!--", "</", "<a ", "<?", "<![", "<", "&#x110000;", "<p>", "<br>", "<div>", "a\x00"]


@pytest.mark.parametrize("piece", UNCLOSED)
def test_two_megabytes_of_unclosed_markup_are_read_in_seconds(piece):
    page = "<html><body><p>Workers protested in Arak.</p>" + piece * (TWO_MB // len(piece))
    started = time.perf_counter()
    fields = html_to_fields(page)
    assert time.perf_counter() - started < 15
    assert fields["text"].startswith("Workers protested in Arak.")


@pytest.mark.parametrize("piece", ["<p>", "<br>", "<div><span>x</span></div>", "<![", "<a "])
def test_article_extraction_stays_within_its_budget(piece):
    # trafilatura needs over a minute for 60,000 elements: such a page is read by the linear extractor
    page = (
        "<html><body><article><p>Workers protested in Arak.</p>"
        + piece * 300_000
        + "</article></body></html>"
    )
    started = time.perf_counter()
    article = extract_article(page, "http://news.example/a")
    assert time.perf_counter() - started < 30
    assert article is not None and article.text.startswith("Workers protested in Arak.")


def test_text_title_and_metadata_without_markup():
    fields = html_to_fields(
        "<html><head><title> Page  title </title><meta property='og:site_name' content='Monitor'>"
        "<meta name='date' content='2023-02-17'></head><body><nav>Menu</nav><h1>Head</h1>"
        "<p>one<br>two</p><script>alert(1)</script><p>&lt;b&gt; &#x110000; x\ud800y</p></body></html>"
    )
    assert (
        fields["title"] == "Page title"
        and fields["outlet"] == "Monitor"
        and fields["published"] == "2023-02-17"
    )
    assert fields["text"] == "Head\none\ntwo\n<b> \ufffd x?y"


def test_a_document_over_the_budget_is_an_error_not_a_stall(monkeypatch):
    monkeypatch.setattr(markup, "MAX_HTML_BYTES", 1000)
    with pytest.raises(InputError, match=r"page\.html: HTML larger than 1000 bytes"):
        html_to_fields("<p>" + "x" * 2000, "page.html")


def test_control_characters_in_a_page_are_dropped_not_a_crash():
    fields = html_to_fields("<html><body><p>abc\x10def</p><p>x\x1fy\x7f</p></body></html>")
    assert fields["text"] == "abcdef\nxy"


def test_non_characters_in_a_page_are_dropped_not_a_crash():
    # U+FFFF is text to the HTML parser but not allowed in the tree element_text changes (found by fuzzing)
    fields = html_to_fields("<html><body><p>abc\uffffdef</p><p>x\ufffey</p></body></html>")
    assert fields["text"] == "abcdef\nxy"


def test_a_few_invalid_bytes_do_not_change_a_declared_charset():
    # one hostile post with bytes invalid in UTF-8 made the whole Telegram page decode as UTF-16
    page = "<html><body><p>کارگران در تبریز تجمع کردند</p></body></html>".encode() + b"<p>\xed\xa0\x80</p>"
    assert "کارگران" in decode(page, "text/html; charset=utf-8")
    assert "کارگران" in decode(page)  # no charset declared: UTF-8 with its few bad bytes replaced
    # a page mostly invalid in its declared charset is mislabelled: its real charset is detected
    words = "كارگران در تبريز تجمع كردند. "  # Arabic kaf and yeh, as windows-1256 has them
    legacy = ("<html><body><p>" + words * 20 + "</p></body></html>").encode("cp1256")
    assert words in decode(legacy, "text/html; charset=utf-8")


def test_utf16_pages_are_read_and_hostile_bytes_never_make_one():
    page = "<html><body><p>کارگران در تبریز تجمع کردند</p></body></html>"
    assert "کارگران" in decode(page.encode("utf-16"))  # byte-order mark
    assert "کارگران" in decode(page.encode("utf-16"), "text/html; charset=utf-8")  # the mark wins
    assert "کارگران" in decode(page.encode("utf-16-le"))  # no mark: NUL every other byte
    # a UTF-8 page with a post full of invalid bytes stays UTF-8 (it was detected as UTF-16)
    hostile = page.encode() + b"<p>" + b"\xed\xa0\x80" * 400 + b"\x00</p>"
    assert "کارگران" in decode(hostile, "text/html; charset=utf-8")
    assert "کارگران" in decode(hostile)
