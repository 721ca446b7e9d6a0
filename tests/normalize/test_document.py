import datetime as dt

from eventledger.model import RawReport, RecordError
from eventledger.normalize.document import content_hash, to_document

PUB = dt.datetime(2023, 2, 18, 6, 0, tzinfo=dt.UTC)


def test_hash_ignores_letter_and_digit_variants_and_spacing():
    assert content_hash("كارگران در ري ۱۲ نفر", "2023-02-18") == content_hash(
        "کارگران  در ری 12 نفر", "2023-02-18"
    )
    assert content_hash("same text", "2023-02-18") != content_hash("same text", "2023-02-19")


def test_outlet_falls_back_to_the_url_host_and_language_is_detected():
    doc = to_document(
        RawReport(
            text="Workers gathered in Tehran and said that they were not paid.",
            origin="x:1",
            url="https://www.iran-monitor.example/a",
            published=PUB,
        )
    )
    assert not isinstance(doc, RecordError)
    assert (doc.outlet, doc.lang, doc.lang_detected) == ("iran-monitor.example", "en", True)


def test_text_empty_after_cleaning_is_an_error():
    err = to_document(RawReport(text="\u200b\x00 ", origin="f.jsonl:7", published=PUB))
    assert isinstance(err, RecordError) and err.origin == "f.jsonl:7"
