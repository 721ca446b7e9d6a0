import datetime as dt

import pytest

from eventledger.extract.dates import find_dates, latest_named_month
from eventledger.normalize.days import local_date
from eventledger.normalize.text import normalize_text

TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
# Saturday 18 February 2023, 09:15 Tehran = 29 Bahman 1401
PUB = dt.datetime(2023, 2, 18, 9, 15, tzinfo=TEHRAN)


def dates(text, lang, pub=PUB):
    return [(d.day, d.precision) for d in find_dates(normalize_text(text), pub, lang)]


def test_persian_jalali_date_with_persian_digits():
    assert dates("در تاریخ ۲۸ بهمن ۱۴۰۱ شعار نوشتند", "fa") == [(dt.date(2023, 2, 17), "day")]


def test_persian_month_without_year_takes_the_most_recent_past_one():
    assert dates("شامگاه ۲۹ اسفند", "fa", dt.datetime(2023, 3, 21, 8, 0, tzinfo=TEHRAN)) == [
        (dt.date(2023, 3, 20), "day")
    ]
    # 29 Esfand seen from 29 Bahman 1401 is the coming one, a month ahead (a plan), not a year back
    assert [(d.day, d.future) for d in find_dates("۲۹ اسفند", PUB, "fa")] == [(dt.date(2023, 3, 20), True)]


def test_day_and_month_without_year_can_be_a_coming_day():
    pub = dt.datetime(2012, 10, 7, 12, 0, tzinfo=TEHRAN)  # 16 Mehr 1391
    (d,) = find_dates("۱۸ مهر ماه تجمع برگزار می‌کنند", pub, "fa")
    assert (d.day, d.future) == (dt.date(2012, 10, 9), True)
    (d,) = find_dates("۱۴ مهر تجمع کردند", pub, "fa")
    assert (d.day, d.future) == (dt.date(2012, 10, 5), False)


def test_the_next_day_is_coming_unless_it_has_begun_somewhere_east():
    # coder rules/1.13: published at noon in Tehran on 21 Bahman, «22 بهمن» is tomorrow everywhere
    noon = dt.datetime(2005, 2, 9, 12, 0, tzinfo=TEHRAN)
    (d,) = find_dates("با حضور در راهپیمایی ۲۲ بهمن", noon, "fa")
    assert (d.day, d.future) == (dt.date(2005, 2, 10), True)
    # late in the Tehran evening the next day has begun east of Tehran: an act there may be dated so
    late = dt.datetime(2005, 2, 9, 22, 0, tzinfo=TEHRAN)
    (d,) = find_dates("۲۲ بهمن", late, "fa")
    assert (d.day, d.future) == (dt.date(2005, 2, 10), False)


def test_ordinal_days_of_both_calendars_compound_ones_too():
    # coder rules/1.15: «سوم ژوئن» (an ordinal day of a Gregorian month), «بیست و هفتم دسامبر»
    pub = dt.datetime(2019, 12, 30, 12, 0, tzinfo=TEHRAN)
    assert [(d.text, d.day) for d in find_dates("روز سوم ژوئن معترضان کشته شدند", pub, "fa")] == [
        ("سوم ژوئن", dt.date(2019, 6, 3))
    ]
    assert [d.day for d in find_dates("حمله بیست و هفتم دسامبر به پایگاه", pub, "fa")] == [
        dt.date(2019, 12, 27)
    ]
    assert [d.day for d in find_dates("بیست‌و‌یکم آذر", pub, "fa")] == [dt.date(2019, 12, 12)]
    assert [d.day for d in find_dates("سی و یکم اردیبهشت", pub, "fa")] == [dt.date(2019, 5, 21)]
    # coder rules/1.24: «ماه» (month) between a day in words and its month: «روز سوم ماه ژانویه»; after a
    # number it counts months («۳ ماه ژانویه» is no date)
    later = dt.datetime(2020, 2, 17, 12, 0, tzinfo=TEHRAN)
    assert [(d.text, d.day) for d in find_dates("حمله روز سوم ماه ژانویه به فرودگاه", later, "fa")] == [
        ("سوم ماه ژانویه", dt.date(2020, 1, 3))
    ]
    assert [d.day for d in find_dates("بیست و دوم ماه بهمن", later, "fa")] == [dt.date(2020, 2, 11)]
    assert find_dates("۳ ماه ژانویه گذشت", later, "fa") == []


def test_a_jalali_year_of_the_1200s_and_months_named_without_a_day():
    from eventledger.extract.dates import month_references

    pub = dt.datetime(2020, 3, 1, 12, 0, tzinfo=TEHRAN)  # 11 Esfand 1398
    text = normalize_text("۷ بهمن ۱۲۹۶ قزاق‌ها شهر را آتش زدند")
    assert [d.day for d in find_dates(text, pub, "fa")] == [dt.date(1918, 1, 27)]
    # coder rules/1.16: a month with «ماه», a year or «گذشته» is a month; «۲۲ بهمن ماه» is a date and
    # «تیر» alone a bullet
    assert [last for _, _, last in month_references("در آبان ماه گذشته", pub)] == [dt.date(2019, 11, 21)]
    assert [last for _, _, last in month_references(normalize_text("اعتراضات آبان ۹۸"), pub)] == [
        dt.date(2019, 11, 21)
    ]
    assert [last for _, _, last in month_references("در ماه نوامبر گذشته", pub)] == [dt.date(2019, 11, 30)]
    assert month_references("راهپیمایی ۲۲ بهمن ماه", pub) == []
    # coder rules/1.38: «خرداد امسال» is this year's month (May–June 2019 for a report of 13 November 2019)
    assert [
        last for _, _, last in month_references("که خرداد امسال", dt.datetime(2019, 11, 13, tzinfo=TEHRAN))
    ] == [dt.date(2019, 6, 21)]
    assert month_references("شلیک تیر هوایی", pub) == []
    # coder rules/1.50: «ماه» written joined to the name («آبانماه»); a word that only begins like a month is none
    assert [last for _, _, last in month_references("در تجمعات آبانماه", pub)] == [dt.date(2019, 11, 21)]
    assert month_references("دیماهی", pub) == []


def test_numeric_jalali_and_gregorian():
    assert dates("۱۴۰۱/۱۱/۲۲", "fa") == [(dt.date(2023, 2, 11), "day")]
    assert dates("on 2023-02-12", "en") == [(dt.date(2023, 2, 12), "day")]


def test_english_gregorian_and_transliterated_jalali():
    assert dates("on 12 February 2023", "en") == [(dt.date(2023, 2, 12), "day")]
    assert dates("on February 12", "en") == [(dt.date(2023, 2, 12), "day")]
    assert dates("on 28 Bahman 1401 (17 February 2023)", "en") == [
        (dt.date(2023, 2, 17), "day"),
        (dt.date(2023, 2, 17), "day"),
    ]


def test_may_and_march_as_words_are_not_dates():
    assert dates("protesters may march 3 times", "en") == []


def test_relative_days():
    assert dates("last night", "en") == [(dt.date(2023, 2, 17), "relative")]
    assert dates("yesterday", "en") == [(dt.date(2023, 2, 17), "relative")]
    assert dates("on Thursday night", "en") == [(dt.date(2023, 2, 16), "relative")]
    assert dates("on Saturday", "en") == [(dt.date(2023, 2, 18), "relative")]
    assert dates("دیشب", "fa") == [(dt.date(2023, 2, 17), "relative")]
    assert dates("پنجشنبه‌شب", "fa") == [(dt.date(2023, 2, 16), "relative")]
    assert dates("شب جمعه", "fa") == [(dt.date(2023, 2, 16), "relative")]
    assert dates("روز سه‌شنبه", "fa") == [(dt.date(2023, 2, 14), "relative")]


def test_weekday_inside_another_weekday_is_not_matched():
    # «یکشنبه» contains «شنبه»
    assert dates("روز یکشنبه", "fa") == [(dt.date(2023, 2, 12), "relative")]


def test_relative_day_resolved_in_tehran_time_across_the_year_boundary():
    # posted 1 Farvardin 1402 at 00:30 Tehran (20 March 21:00 UTC): "last night" = 29 Esfand 1401
    pub = dt.datetime(2023, 3, 20, 21, 0, tzinfo=dt.UTC)
    assert local_date(pub) == dt.date(2023, 3, 21)
    assert dates("دیشب", "fa", pub) == [(dt.date(2023, 3, 20), "relative")]


def test_invalid_and_future_dates_are_ignored():
    assert dates("۳۰ اسفند ۱۴۰۱", "fa") == []  # 1401 is not a leap year
    # after publication: read, but marked as a coming day (an act dated so is a plan)
    assert [d.future for d in find_dates("on 25 March 2023", PUB, "en")] == [True]
    assert dates("on 25 March 2030", "en") == []  # too far ahead to be a plan either


@pytest.mark.parametrize("text", ["۱۲ تیر", "12 Tir"])
def test_month_names_that_are_words(text):
    lang = "fa" if "تیر" in text else "en"
    assert dates(text, lang) == [(dt.date(2022, 7, 3), "day")]


def test_a_day_and_month_that_names_a_street_or_square_is_no_date():
    # Iranian streets and squares are named after days («میدان ۱۵ خرداد», «خیابان ۱۷ شهریور»)
    assert dates("کارگران در میدان ۱۵ خرداد تجمع کردند", "fa") == []
    assert dates("در خیابان ۱۷ شهریور و روز ۲۸ بهمن", "fa") == [(dt.date(2023, 2, 17), "day")]
    assert dates("About 50 people held a rally at the May 18 Square on 16 February.", "en") == [
        (dt.date(2023, 2, 16), "day")
    ]


def test_a_bare_month_named_as_one():
    from eventledger.extract.dates import month_references

    # coder rules/1.26: «اواخر / اوایل / اواسط» make any month one; «در / از / تا / طی» a Gregorian one, whose
    # names are no other words («مه» is fog, «تیر» a bullet)
    pub = dt.datetime(2026, 8, 7, 12, 0, tzinfo=TEHRAN)
    assert [last for _, _, last in month_references("در اواخر فوریه", pub)] == [dt.date(2026, 2, 28)]
    assert [last for _, _, last in month_references("حمله در فوریه آغاز شد", pub)] == [dt.date(2026, 2, 28)]
    assert [last for _, _, last in month_references("اوایل تیر", pub)] == [dt.date(2026, 7, 22)]
    assert month_references("در تیر اندازی", pub) == []
    assert month_references("در مه غلیظ", pub) == []
    assert month_references("۲۸ فوریه", pub) == []


def test_the_latest_month_an_undated_report_names_with_its_year():
    text = "Talks resumed in March 2019. In October 2018, an attack took place; on November 27, 2017 another one."
    assert latest_named_month(text) == dt.date(2019, 3, 1)
    # a month without its year, or a year alone, tells nothing
    assert latest_named_month("The attack of June 7 was condemned in 2019.") is None
