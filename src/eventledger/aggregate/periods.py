"""Calendar periods: Solar Hijri (Jalali) and Gregorian years, months and explicit ranges.

Conversions go through ``jdatetime`` (checked day by day against two other libraries from
1950 to 2089; see ../shared/notes/dependencies.md). ``1401`` is 2022-03-21 .. 2023-03-20;
1403 is a leap year, so 30 Esfand 1403 exists (2025-03-20).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import jdatetime

from eventledger.errors import PeriodError
from eventledger.normalize.text import normalize_text

Calendar = Literal["jalali", "gregorian"]

JALALI_MONTHS_EN = (
    "Farvardin", "Ordibehesht", "Khordad", "Tir", "Mordad", "Shahrivar",
    "Mehr", "Aban", "Azar", "Dey", "Bahman", "Esfand",
)  # fmt: skip
JALALI_MONTHS_FA = (
    "فروردین", "اردیبهشت", "خرداد", "تیر", "مرداد", "شهریور",
    "مهر", "آبان", "آذر", "دی", "بهمن", "اسفند",
)  # fmt: skip
GREGORIAN_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
GREGORIAN_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)  # fmt: skip

# A bare year below this is read as Solar Hijri when no calendar is given.
JALALI_YEAR_LIMIT = 1700
# The days a period (and a reviewed date) may cover, and the longest period one can ask for.
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2100, 12, 31)
MAX_SPAN_YEARS = 50


@functools.lru_cache(maxsize=8192)
def to_jalali(day: dt.date) -> tuple[int, int, int]:
    """Gregorian date → (Jalali year, month, day)."""
    j = jdatetime.date.fromgregorian(date=day)
    return j.year, j.month, j.day


def from_jalali(year: int, month: int, day: int) -> dt.date:
    """(Jalali year, month, day) → Gregorian date; raises :class:`PeriodError` for a day that does not exist."""
    try:
        return jdatetime.date(year, month, day).togregorian()  # type: ignore[no-any-return]
    except (ValueError, TypeError) as exc:
        raise PeriodError(f"{year:04d}-{month:02d}-{day:02d} is not a Solar Hijri date: {exc}") from exc


def jalali_month_length(year: int, month: int) -> int:
    if month <= 6:
        return 31
    if month <= 11:
        return 30
    return 30 if jdatetime.date(year, 1, 1).isleap() else 29


def is_jalali_leap(year: int) -> bool:
    return bool(jdatetime.date(year, 1, 1).isleap())


def jalali_iso(day: dt.date) -> str:
    y, m, d = to_jalali(day)
    return f"{y:04d}-{m:02d}-{d:02d}"


@dataclass(frozen=True)
class Period:
    """A closed range of days in one calendar, with a human label."""

    calendar: Calendar
    label: str
    start: dt.date
    end: dt.date  # inclusive
    kind: Literal["year", "month", "range"] = "year"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_json(self) -> dict[str, str]:
        return {
            "calendar": self.calendar,
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def jalali_year(year: int) -> Period:
    start = from_jalali(year, 1, 1)
    end = from_jalali(year + 1, 1, 1) - dt.timedelta(days=1)
    return Period("jalali", str(year), start, end, "year")


def jalali_month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} does not exist (1..12)")
    start = from_jalali(year, month, 1)
    end = start + dt.timedelta(days=jalali_month_length(year, month) - 1)
    return Period("jalali", f"{year:04d}-{month:02d}", start, end, "month")


def gregorian_year(year: int) -> Period:
    return Period("gregorian", str(year), dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def gregorian_month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"month {month} does not exist (1..12)")
    start = dt.date(year, month, 1)
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return Period("gregorian", f"{year:04d}-{month:02d}", start, nxt - dt.timedelta(days=1), "month")


_YEAR_RE = re.compile(r"^(\d{4})$")
_MONTH_RE = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_RANGE_RE = re.compile(
    r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})\s*(?:\.\.|/|–|—)\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})$"
)


CALENDARS: tuple[Calendar, ...] = ("jalali", "gregorian")


def as_calendar(value: str | None) -> Calendar | None:
    """A calendar name as typed (CLI option, page or API parameter) → the calendar, or PeriodError."""
    if value is None or value == "":
        return None
    for c in CALENDARS:
        if value == c:
            return c
    raise PeriodError(f"calendar {value!r} is not one of {', '.join(CALENDARS)}")


def parse_period(expr: str, calendar: str | None = None) -> Period:
    """Parse ``1401``, ``1401-12``, ``2022``, ``2022-03`` or ``2022-03-21..2023-03-20``.

    Without ``calendar`` (``jalali`` or ``gregorian``), a year below 1700 is Solar Hijri and anything
    else Gregorian.
    Persian and Arabic-Indic digits are accepted. Ranges are inclusive and written in the
    given calendar. A period lies between 1900-01-01 and 2100-12-31 (Solar Hijri 1278-10-11 ..
    1479-10-10) and spans at most 50 years.
    """
    return _supported(_parse_period(expr, as_calendar(calendar)), expr)


def _supported(p: Period, expr: str) -> Period:
    if p.start < FIRST_DAY or p.end > LAST_DAY:
        raise PeriodError(
            f"period {expr!r} ({p.start} .. {p.end}) is outside the supported days {FIRST_DAY} .. {LAST_DAY}"
        )
    if p.end >= _add_years(p.start, MAX_SPAN_YEARS):
        raise PeriodError(f"period {expr!r} is longer than {MAX_SPAN_YEARS} years")
    return p


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _parse_period(expr: str, calendar: Calendar | None) -> Period:
    text = normalize_text(expr.strip())
    if calendar not in (None, "jalali", "gregorian"):
        raise PeriodError(f"unknown calendar {calendar!r}: use jalali or gregorian")

    def cal_for(year: int) -> Calendar:
        return calendar or ("jalali" if year < JALALI_YEAR_LIMIT else "gregorian")

    try:
        if m := _YEAR_RE.match(text):
            year = int(m.group(1))
            return jalali_year(year) if cal_for(year) == "jalali" else gregorian_year(year)
        if m := _MONTH_RE.match(text):
            year, month = int(m.group(1)), int(m.group(2))
            return jalali_month(year, month) if cal_for(year) == "jalali" else gregorian_month(year, month)
        if m := _RANGE_RE.match(text):
            a = tuple(int(x) for x in m.group(1, 2, 3))
            b = tuple(int(x) for x in m.group(4, 5, 6))
            cal = cal_for(a[0])
            if cal == "jalali":
                start, end = from_jalali(*a), from_jalali(*b)
            else:
                start, end = dt.date(*a), dt.date(*b)
            if end < start:
                raise PeriodError(f"period {expr!r} ends before it starts")
            return Period(cal, text.replace(" ", ""), start, end, "range")
    except ValueError as exc:
        raise PeriodError(f"invalid period {expr!r}: {exc}") from exc
    raise PeriodError(
        f"cannot read period {expr!r}: use a year (1401, 2022), a month (1401-12, 2022-03) "
        "or a range (1401-11-01..1401-12-29)"
    )


def month_key(day: dt.date, calendar: Calendar) -> str:
    """``YYYY-MM`` of ``day`` in the given calendar."""
    if calendar == "jalali":
        y, m, _ = to_jalali(day)
        return f"{y:04d}-{m:02d}"
    return f"{day.year:04d}-{day.month:02d}"


def months_in(period: Period) -> Iterator[str]:
    """The ``YYYY-MM`` keys of every month that overlaps ``period``, in order (one step a month)."""
    key, stop = month_key(period.start, period.calendar), month_key(period.end, period.calendar)
    year, month = int(key[:4]), int(key[5:7])
    while (key := f"{year:04d}-{month:02d}") <= stop:
        yield key
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_label(key: str, calendar: str, lang: str = "en") -> str:
    year, month = (int(x) for x in key.split("-"))
    if as_calendar(calendar) == "jalali":
        names = JALALI_MONTHS_FA if lang == "fa" else JALALI_MONTHS_EN
    else:
        names = GREGORIAN_MONTHS_FA if lang == "fa" else GREGORIAN_MONTHS_EN
    return f"{names[month - 1]} {year}"
