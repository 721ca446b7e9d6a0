import datetime as dt

from eventledger.aggregate.periods import parse_period
from eventledger.report.statement import fa_number, period_phrase, statement


def test_period_phrases_in_both_calendars():
    assert (
        period_phrase(parse_period("1401"), "en") == "the Iranian year 1401 (21 March 2022 – 20 March 2023)"
    )
    assert period_phrase(parse_period("1401-12"), "en") == "Esfand 1401 (20 February – 20 March 2023)"
    assert (
        period_phrase(parse_period("2023"), "en")
        == "the year 2023 (11 Dey 1401 – 10 Dey 1402 in the Solar Hijri calendar)"
    )
    assert period_phrase(parse_period("1403"), "fa").startswith(
        "سال ۱۴۰۳ خورشیدی (۱ فروردین ۱۴۰۳ تا ۳۰ اسفند ۱۴۰۳"
    )


def test_persian_numbers():
    assert fa_number(3742) == "۳٬۷۴۲"


def test_statement_names_subtypes_and_skips_empty_categories(codebook):
    t = {
        "total": 5,
        "by_category": {"propaganda": 3, "violence": 2, "explosion": 0},
        "by_subtype": {"slogan": 2, "poster": 1, "arson": 2},
        "by_claim_status": {"claimed": 4, "reported": 1, "corroborated": 0},
    }
    text = statement(t, parse_period("1401"), codebook, "en")
    assert (
        "describe 5 events: 3 propaganda and political acts (2 wall slogans and 1 photos, banners and placards) and 2 acts of violence (2 arson)."
        in text
    )
    assert "explosion" not in text
    fa = statement(t, parse_period("1401"), codebook, "fa")
    assert "۵ رویداد" in fa and "۳ اقدامات تبلیغی و سیاسی" in fa
    assert dt.date(2022, 3, 21).isoformat() not in fa
