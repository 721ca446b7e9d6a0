import datetime as dt

import pytest

from eventledger.aggregate.periods import (
    FIRST_DAY,
    LAST_DAY,
    Period,
    from_jalali,
    is_jalali_leap,
    jalali_iso,
    month_key,
    months_in,
    parse_period,
    to_jalali,
)
from eventledger.errors import PeriodError


def test_year_1401_boundaries():
    p = parse_period("1401")
    assert (p.calendar, p.start, p.end) == ("jalali", dt.date(2022, 3, 21), dt.date(2023, 3, 20))
    assert p.days == 365
    assert not p.contains(dt.date(2022, 3, 20)) and p.contains(dt.date(2022, 3, 21))
    assert p.contains(dt.date(2023, 3, 20)) and not p.contains(dt.date(2023, 3, 21))


def test_leap_year_1403_has_30_esfand():
    assert is_jalali_leap(1403) and not is_jalali_leap(1401) and not is_jalali_leap(1402)
    p = parse_period("1403")
    assert p.days == 366 and p.end == dt.date(2025, 3, 20)
    assert from_jalali(1403, 12, 30) == dt.date(2025, 3, 20)
    assert parse_period("1403-12").days == 30
    assert parse_period("1401-12").days == 29
    with pytest.raises(PeriodError):
        from_jalali(1401, 12, 30)


def test_1404_starts_after_leap_day():
    assert parse_period("1404").start == dt.date(2025, 3, 21)
    assert to_jalali(dt.date(2025, 3, 21)) == (1404, 1, 1)


def test_gregorian_periods_and_auto_calendar():
    assert parse_period("2022").as_json() == {
        "calendar": "gregorian",
        "label": "2022",
        "start": "2022-01-01",
        "end": "2022-12-31",
    }
    assert parse_period("2024-02").end == dt.date(2024, 2, 29)
    assert parse_period("2022", "gregorian").calendar == "gregorian"


def test_persian_digits_and_ranges():
    assert parse_period("۱۴۰۱").start == dt.date(2022, 3, 21)
    r = parse_period("1401-12-25..1402-01-05")
    assert (r.start, r.end, r.kind) == (dt.date(2023, 3, 16), dt.date(2023, 3, 25), "range")


@pytest.mark.parametrize("bad", ["", "14o1", "1401-13", "2023-03-05..2023-03-01", "1401-12-30..1402-01-01"])
def test_bad_periods_are_clear_errors(bad):
    with pytest.raises(PeriodError):
        parse_period(bad)


def test_months_in_jalali_year():
    months = list(months_in(parse_period("1401")))
    assert months == [f"1401-{m:02d}" for m in range(1, 13)]


def test_jalali_iso():
    assert jalali_iso(dt.date(2023, 2, 17)) == "1401-11-28"


def _months_day_by_day(p: Period) -> list[str]:
    keys: list[str] = []
    day = p.start
    while day <= p.end:
        if not keys or keys[-1] != month_key(day, p.calendar):
            keys.append(month_key(day, p.calendar))
        day += dt.timedelta(days=1)
    return keys


@pytest.mark.parametrize(
    "expr",
    [
        "1401",
        "1403-12",
        "2024-02",
        "1401-11-25..1402-01-10",
        "2022-12-31..2023-01-01",
        "1380-01-01..1429-12-29",
    ],
)
def test_months_in_steps_a_month_at_a_time_and_agrees_with_a_walk_over_the_days(expr):
    p = parse_period(expr)
    assert list(months_in(p)) == _months_day_by_day(p)


@pytest.mark.parametrize(
    ("expr", "calendar", "says"),
    [
        ("9999", None, "outside the supported days 1900-01-01 .. 2100-12-31"),
        ("0001", None, "outside the supported days"),  # Solar Hijri year 1 is 622 CE
        ("1401", "gregorian", "outside the supported days"),
        ("9999-12-31..9999-12-31", "gregorian", "outside the supported days"),
        ("0001-01-01..9998-12-31", "gregorian", "outside the supported days"),
        ("1899-12-31..1900-01-01", None, "outside the supported days"),
        ("1950-01-01..2000-01-01", None, "longer than 50 years"),
        ("1300-01-01..1399-12-29", None, "longer than 50 years"),
    ],
)
def test_periods_outside_the_supported_days_or_too_long_are_clear_errors(expr, calendar, says):
    with pytest.raises(PeriodError, match=says):
        parse_period(expr, calendar)


def test_the_supported_edges_and_the_longest_period_are_accepted():
    assert parse_period("1900-01-01..1949-12-31").days == 18262
    assert parse_period("2051-01-01..2100-12-31").end == LAST_DAY
    assert parse_period("1900").start == FIRST_DAY and parse_period("2100").end == LAST_DAY
    assert len(list(months_in(parse_period("2051-01-01..2100-12-31")))) == 600
