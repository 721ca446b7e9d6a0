"""Sentence spans: where a sentence ends in Persian and English report text."""

from __future__ import annotations

from eventledger.extract.sentences import sentence_spans


def _sentences(text: str, **kw: bool) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, **kw)]


def test_a_persian_sentence_wrapped_over_lines_is_one():
    # Telegram posts wrap by hand: a line that ends on a word or a comma and a next line that opens with a
    # word no sentence opens with («به», «را», «و», «در» …) are one sentence
    text = "ارتش آمریکا شب گذشته با موشک\nبه دکل مرکز کنترل حمله کرد.\nاعتراضات که بالا گرفت،\nبه جایگاه حمله کردند."
    assert _sentences(text) == [
        "ارتش آمریکا شب گذشته با موشک\nبه دکل مرکز کنترل حمله کرد.",
        "اعتراضات که بالا گرفت،\nبه جایگاه حمله کردند.",
    ]
    # the lines of the same text, each its own sentence, where asked (labels written before the join)
    assert len(_sentences(text, wrapped=False)) == 4


def test_a_line_ending_midway_goes_on_whatever_opens_the_next():
    # coder rules/1.37: a line that ends on a comma or on a word no sentence ends with («… نیز دست به») goes on
    text = "درگیری شدید در حاشیه رود لیتانی،\nجنگنده‌های اسرائیلی نیز دست به\nحملات هوایی زده‌اند.\nنتانیاهو: ماموریت تمام نشده است\n🔹\nیک سال پیش"
    assert _sentences(text) == [
        "درگیری شدید در حاشیه رود لیتانی،\nجنگنده‌های اسرائیلی نیز دست به\nحملات هوایی زده‌اند.",
        "نتانیاهو: ماموریت تمام نشده است",
        "🔹",
        "یک سال پیش",
    ]


def test_headlines_hashtags_paragraphs_and_english_lines_stay_apart():
    text = (
        "حمله هوایی به مقر حشد الشعبی\nبه گزارش خبرگزاری‌ها، جنگنده‌ها دیشب چند مقر را بمباران کردند.\n"
        "#اخبار_مشهد\nدر فضای مجازی\nپایان خبر\n\nو سپس خبر دیگر\nThe army said\nthat it had fired."
    )
    assert _sentences(text) == [
        "حمله هوایی به مقر حشد الشعبی",
        "به گزارش خبرگزاری‌ها، جنگنده‌ها دیشب چند مقر را بمباران کردند.",
        "#اخبار_مشهد",
        "در فضای مجازی",
        "پایان خبر",
        "و سپس خبر دیگر",
        "The army said",
        "that it had fired.",
    ]
