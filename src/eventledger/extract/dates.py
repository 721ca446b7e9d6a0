"""Dates in report text: Solar Hijri and Gregorian, Persian and English, explicit and relative.

Works on normalised text (ASCII digits, Persian ی/ک). Each :class:`DateMatch` carries the
resolved Gregorian day, how it was obtained (``day`` = explicit date, ``relative`` = a weekday
or "last night" resolved against the publication time) and its span.

Why not dateparser: it reads ``۱۴۰۱/۱۲/۲۹`` as a Gregorian date without warning, does not know
Persian month names without a slow calendar plug-in (12 parses/s) and accepts 30 Esfand in
common years (measured, ../shared/notes/dependencies.md). Month names and weekdays are a small
closed set; a table-driven extractor is exact and fast.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import jdatetime

from eventledger.aggregate.periods import GREGORIAN_MONTHS_EN, GREGORIAN_MONTHS_FA, JALALI_MONTHS_FA
from eventledger.normalize.days import local_date, local_datetime
from eventledger.records import DatePrecision

# How far after publication an explicit date may lie and still be an event date (time zones,
# a post dated just after midnight).
FUTURE_SLACK = dt.timedelta(days=1)
# The slack is a time zone's only before the day after Tehran's has begun somewhere: at UTC+14, 10.5
# hours ahead of Tehran, that is at 13:30 Tehran time. A report published earlier in its Tehran day
# that dates an act on the next day announces it («با حضور در راهپیمایی ۲۲ بهمن …» on 21 Bahman).
NEXT_DAY_BEGUN_EAST = dt.time(13, 30)
# A day and month without a year is read as the coming occurrence when that lies at most this far
# ahead of publication and nearer than the last one («۱۸ مهر تجمع برگزار می‌کنند» published on
# 16 Mehr is the 18 Mehr to come: a plan), else as the most recent past one.
PLAN_HORIZON = dt.timedelta(days=45)
# Explicit dates further ahead than this are not read at all (a deadline, a term of office).
FUTURE_LIMIT = dt.timedelta(days=400)


@dataclass(frozen=True, slots=True)
class DateMatch:
    start: int
    end: int
    day: dt.date
    precision: DatePrecision
    text: str
    # the day lies after publication: an act dated so is announced, planned or called for
    future: bool = False


# --- month tables ---------------------------------------------------------------------------------
_JALALI_EN = {
    "farvardin": 1, "ordibehesht": 2, "khordad": 3, "khordaad": 3, "tir": 4, "mordad": 5, "amordad": 5,
    "shahrivar": 6, "mehr": 7, "aban": 8, "aabaan": 8, "azar": 9, "dey": 10, "dei": 10,
    "bahman": 11, "esfand": 12, "isfand": 12, "espand": 12,
}  # fmt: skip
_JALALI_FA = {name: i + 1 for i, name in enumerate(JALALI_MONTHS_FA)}
_JALALI_FA["امرداد"] = 5
_GREG_EN = {name.lower(): i + 1 for i, name in enumerate(GREGORIAN_MONTHS_EN)}
_GREG_EN.update({name.lower()[:3]: i + 1 for i, name in enumerate(GREGORIAN_MONTHS_EN)})
_GREG_EN["sept"] = 9
_GREG_FA = {name: i + 1 for i, name in enumerate(GREGORIAN_MONTHS_FA)}
_GREG_FA.update({"ژوئیه": 7, "جولای": 7, "اوت": 8, "آگوست": 8, "مه": 5, "آوریل": 4, "فبریه": 2})

_FA_ORDINALS = {
    "اول": 1, "یکم": 1, "دوم": 2, "سوم": 3, "چهارم": 4, "پنجم": 5, "ششم": 6, "هفتم": 7, "هشتم": 8,
    "نهم": 9, "دهم": 10, "یازدهم": 11, "دوازدهم": 12, "سیزدهم": 13, "چهاردهم": 14, "پانزدهم": 15,
    "شانزدهم": 16, "هفدهم": 17, "هجدهم": 18, "هیجدهم": 18, "نوزدهم": 19, "بیستم": 20, "سی ام": 30, "سی‌ام": 30,
}  # fmt: skip


def _compound_ordinals() -> dict[str, int]:
    """«بیست و یکم» … «بیست و نهم», «سی و یکم»: written with spaces, ZWNJs or both around «و»."""
    units = ("یکم", "دوم", "سوم", "چهارم", "پنجم", "ششم", "هفتم", "هشتم", "نهم")
    out = {}
    for tens, base, last in (("بیست", 20, 9), ("سی", 30, 1)):
        for n, unit in enumerate(units[:last], 1):
            for glue in (" و ", "\u200cو\u200c", "\u200cو", " و\u200c", "\u200cو "):
                out[f"{tens}{glue}{unit}"] = base + n
    return out


_FA_ORDINALS.update(_compound_ordinals())

# weekday numbers as in datetime.weekday(): Monday=0 .. Sunday=6
_WEEKDAYS_EN = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
}
_WEEKDAYS_FA = {
    "شنبه": 5, "یکشنبه": 6, "یک‌شنبه": 6, "دوشنبه": 0, "سه‌شنبه": 1, "سهشنبه": 1, "سه شنبه": 1,
    "چهارشنبه": 2, "چهار‌شنبه": 2, "پنجشنبه": 3, "پنج‌شنبه": 3, "پنج شنبه": 3, "جمعه": 4,
}  # fmt: skip


def _alt(words: object) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


_FA_L = r"(?<![\w\u200c])"  # Persian left boundary
_FA_R = r"(?![\w])"  # Persian right boundary (ZWNJ allowed after: "بهمن‌ماه")
_SEP = r"[\s\u200c]*"

_ORD_MONTH = rf"(?:(?<=[^\d]){_SEP}ماه)?"  # «سوم ماه ژانویه»; after a digit it would count months
_FA_COUNTED = (
    r"(?:نفر|تن|کشته|زخمی|مجروح|درصد|سال|ساعت|روز|دقیقه|ثانیه|هزار|میلیون|میلیارد|کیلو|متر|عدد|نقطه|مورد|بار|قطعه"
    r"|ساله|نوبت|دستگاه|واحد|خانوار|شهر|استان|کشور|ماه|هفته)"
)
_FA_JALALI_RE = re.compile(
    rf"{_FA_L}(?P<d>\d{{1,2}}|{_alt(_FA_ORDINALS)}){_ORD_MONTH}{_SEP}(?P<m>{_alt(_JALALI_FA)})(?:{_SEP}ماه)?{_FA_R}"
    # a year: four digits (12xx too: «۷ بهمن ۱۲۹۶»; glued to the next word in sloppy text: «۱۳۷۷یعنی»), or two after a day and
    # month («دوم خرداد ۷۶», «۲۲ بهمن ۵۷») unless they count something («۲۲ بهمن ۲۰ نفر»)
    rf"(?:{_SEP}(?:سال{_SEP})?(?P<y>1[234]\d\d(?!\d)|\d\d(?![\d.,/:])(?!{_SEP}{_FA_COUNTED})))?"
)
_FA_GREG_RE = re.compile(
    # «۳ ژوئن», «سوم ژوئن» (an ordinal day, as in the Jalali form)
    # «روز سوم ماه ژانویه»: «ماه» (month) may follow a day in words, not a number («۳ ماه» is three months)
    rf"{_FA_L}(?P<d>\d{{1,2}}|{_alt(_FA_ORDINALS)}){_ORD_MONTH}{_SEP}(?P<m>{_alt(_GREG_FA)}){_FA_R}(?:{_SEP}(?:سال{_SEP})?(?P<y>(?:19|20)\d\d))?"
)
_NUMERIC_RE = re.compile(
    r"(?<![\d/.-])(?P<a>\d{4})\s*[/.-]\s*(?P<b>\d{1,2})\s*[/.-]\s*(?P<c>\d{1,2})(?![\d/])"
)
_NUMERIC_DMY_RE = re.compile(
    r"(?<![\d/.-])(?P<c>\d{1,2})\s*/\s*(?P<b>\d{1,2})\s*/\s*(?P<a>1[34]\d\d|(?:19|20)\d\d)(?![\d/])"
)

_EN_MONTHS = _alt(_GREG_EN)
_EN_JMONTHS = _alt(_JALALI_EN)
_EN_DMY_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_EN_MONTHS})\.?(?:,?\s+(?P<y>(?:19|20)\d\d))?\b",
    re.IGNORECASE,
)
_EN_MDY_RE = re.compile(
    rf"\b(?P<m>{_EN_MONTHS})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>(?:19|20)\d\d)\b)?",
    re.IGNORECASE,
)
_EN_JALALI_RE = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_EN_JMONTHS})\b(?:,?\s+(?P<y>1[34]\d\d)\b)?",
    re.IGNORECASE,
)
_EN_JALALI_MDY_RE = re.compile(
    rf"\b(?P<m>{_EN_JMONTHS})\s+(?P<d>\d{{1,2}})\b(?:,?\s+(?P<y>1[34]\d\d)\b)?", re.IGNORECASE
)

# Relative days, one expression per language; the group name says how many days back.
# Persian expressions carry no left boundary (a look-behind would slow every search down);
# matches glued to a preceding letter are rejected in _left_free instead.
_EN_REL = re.compile(
    r"\b(?:(?P<b1>(?:late\s+)?last\s+(?:night|evening)|on the night of|overnight|yesterday(?:'s)?(?:\s+(?:morning|afternoon|evening|night))?)"
    r"|(?P<b2>(?:the\s+)?day before yesterday)"
    r"|(?P<b0>(?:earlier\s+)?today|this (?:morning|afternoon|evening)|tonight|earlier on))\b"
)
_EN_WEEKDAY_RE = re.compile(
    rf"\b(?:(?P<last>last|this past|on|early|late)\s+)?(?P<w>{_alt(_WEEKDAYS_EN)})(?:'s)?\b(?:\s+(?P<part>night|evening|morning|afternoon))?"
)
_FA_REL = re.compile(
    rf"(?P<b1>دیشب|(?:شب|شامگاه|عصر|غروب){_SEP}(?:گذشته|دیروز)|نیمه{_SEP}شب{_SEP}گذشته|دیروز|روز{_SEP}گذشته)"
    rf"|(?P<b2>پریروز|دو{_SEP}روز{_SEP}پیش)"
    rf"|(?P<b0>(?:صبح|بامداد|ظهر|عصر){_SEP}(?:امروز|روز{_SEP}جاری)|امروز|امشب|ساعاتی{_SEP}پیش)"
)
_FA_WEEKDAY_RE = re.compile(
    rf"(?:(?P<night_of>شب){_SEP})?(?:روز{_SEP})?(?P<w>{_alt(_WEEKDAYS_FA)})(?:{_SEP}(?P<part>شب|صبح|عصر|بامداد|گذشته))?{_FA_R}(?!{_SEP}سوری)"
)
_GLUE = re.compile(r"[\w\u200c]")


def _left_free(rx: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """Matches of ``rx`` that do not start inside a word."""
    pos = 0
    while (m := rx.search(text, pos)) is not None:
        if m.start() > 0 and _GLUE.match(text, m.start() - 1):
            pos = m.start() + 1
            continue
        yield m
        pos = max(m.end(), m.start() + 1)


# "Friday prayer(s)", «امام جمعه», «نماز جمعه» name an institution, not a day
_EN_NOT_WEEKDAY = re.compile(r"\s+prayers?\b|\s+sermon")
_FA_NOT_WEEKDAY = re.compile(r"(?:امام|نماز|ائمه)[\s\u200c]*$")


def _year_for(day: int, month: int, pub: dt.date, jalali: bool) -> dt.date | None:
    """The occurrence of this day and month nearest to publication (see :data:`PLAN_HORIZON`)."""
    y0 = jdatetime.date.fromgregorian(date=pub).year if jalali else pub.year
    past: dt.date | None = None
    coming: dt.date | None = None
    for y in (y0 - 1, y0, y0 + 1):
        try:
            g: dt.date = jdatetime.date(y, month, day).togregorian() if jalali else dt.date(y, month, day)
        except ValueError:
            continue
        if g <= pub + FUTURE_SLACK:
            past = g
        elif coming is None:
            coming = g
    if coming is not None and coming - pub <= PLAN_HORIZON and (past is None or coming - pub < pub - past):
        return coming
    return past


def _make(day: int, month: int, year: int | None, pub: dt.date, jalali: bool) -> dt.date | None:
    if year is None:
        return _year_for(day, month, pub, jalali)
    try:
        if jalali:
            if year < 100:
                year += 1400 if year < 50 else 1300
            result: dt.date = jdatetime.date(year, month, day).togregorian()
        else:
            result = dt.date(year, month, day)
    except ValueError:
        return None
    return result


def _day_of(token: str) -> int:
    return (
        int(token)
        if token.isdigit()
        else _FA_ORDINALS.get(token.replace(" ", "\u200c"), _FA_ORDINALS.get(token, 0))
    )


_DIGIT = re.compile(r"\d")
_NUMERIC_SEPARATORS = ("/", "-", ".")
# cheap substring tests that decide whether a family of expressions can match at all
_FA_JALALI_WORDS = tuple(_JALALI_FA)
_FA_GREG_WORDS = tuple(_GREG_FA)
_EN_GREG_WORDS = tuple(_GREG_EN)
_EN_JALALI_WORDS = tuple(_JALALI_EN)
_EN_RELATIVE_WORDS = (
    "night",
    "yesterday",
    "today",
    "tonight",
    "morning",
    "evening",
    "afternoon",
    "overnight",
    "earlier",
)
_FA_RELATIVE_WORDS = (
    "شب",
    "دیروز",
    "امروز",
    "پریروز",
    "روز",
    "ساعاتی",
    "بامداد",
    "صبح",
    "عصر",
    "غروب",
    "شامگاه",
    "ظهر",
)


def _any_in(text: str, words: tuple[str, ...]) -> bool:
    return any(map(text.__contains__, words))


# a day and month that names a place or a movement, not a date: «میدان ۱۵ خرداد», «خیابان ۱۷ شهریور»,
# "May 18 Square", "the 6 October Bridge", "26 July Movement"
_FA_NAMED_BEFORE = re.compile(
    r"(?:میدان|خیابان|بلوار|کوچه|بزرگراه|اتوبان|چهارراه|پل|ورزشگاه|بیمارستان|پارک|مجتمع|شهرک|پایگاه|مسجد|"
    r"دبیرستان|مدرسه|ناحیه|ایستگاه|حسینیه|گردان|تیپ|لشکر|جنبش|سالن|تالار|فرودگاه)[\s\u200c]+$"
)
_EN_NAMED_AFTER = re.compile(
    r"\s+(?:Square|Street|St\b|Avenue|Ave\b|Road|Boulevard|Bridge|Stadium|Movement|Hospital|School|"
    r"University|Park|Mosque|Brigade|Battalion|Uprising|Front|Airport|Station|District|Camp)\b"
)


def _names_a_place(text: str, m: re.Match[str]) -> bool:
    return bool(
        _FA_NAMED_BEFORE.search(text, max(0, m.start() - 16), m.start())
        or _EN_NAMED_AFTER.match(text, m.end())
    )


def _explicit(text: str, pub: dt.date, lang: str, latest_past: dt.date) -> list[DateMatch]:
    """Explicit dates; one after ``latest_past`` is in the future."""
    out: list[DateMatch] = []

    def add(m: re.Match[str], day: dt.date | None) -> None:
        if day is not None and day <= pub + FUTURE_LIMIT and not _names_a_place(text, m):
            out.append(DateMatch(m.start(), m.end(), day, "day", m.group(0), day > latest_past))

    has_digit = _DIGIT.search(text) is not None
    if has_digit and _any_in(text, _NUMERIC_SEPARATORS):
        _numeric(text, pub, add)
    if lang == "fa" or not text.isascii():
        _persian(text, pub, has_digit, add)
    if has_digit:
        _english(text, pub, add)
    return out


_Add = Callable[[re.Match[str], "dt.date | None"], None]


def _numeric(text: str, pub: dt.date, add: _Add) -> None:
    """1401/12/29, 2023-03-20, 29/12/1401."""
    rxs = (_NUMERIC_RE, _NUMERIC_DMY_RE) if "/" in text else (_NUMERIC_RE,)
    for rx in rxs:
        for m in rx.finditer(text):
            a, b, c = int(m["a"]), int(m["b"]), int(m["c"])
            add(m, _make(c, b, a, pub, jalali=a < 1700))


def _persian(text: str, pub: dt.date, has_digit: bool, add: _Add) -> None:
    """«۲۸ بهمن ۱۴۰۱», «بیستم بهمن», «۸ مارس ۲۰۲۳»."""
    if _any_in(text, _FA_JALALI_WORDS):
        for m in _FA_JALALI_RE.finditer(text):
            add(
                m,
                _make(_day_of(m["d"]), _JALALI_FA[m["m"]], int(m["y"]) if m["y"] else None, pub, jalali=True),
            )
    if _any_in(text, _FA_GREG_WORDS):
        for m in _FA_GREG_RE.finditer(text):
            add(
                m,
                _make(_day_of(m["d"]), _GREG_FA[m["m"]], int(m["y"]) if m["y"] else None, pub, jalali=False),
            )


def _english(text: str, pub: dt.date, add: _Add) -> None:
    """12 March 2023, March 12, 28 Bahman 1401."""
    lowered = text.lower()
    families = []
    if _any_in(lowered, _EN_GREG_WORDS):
        families += [(_EN_DMY_RE, False, _GREG_EN), (_EN_MDY_RE, False, _GREG_EN)]
    if _any_in(lowered, _EN_JALALI_WORDS):
        families += [(_EN_JALALI_RE, True, _JALALI_EN), (_EN_JALALI_MDY_RE, True, _JALALI_EN)]
    for rx, jalali, table in families:
        for m in rx.finditer(text):
            month_name = m["m"]
            # "May" and "March" are also common words: only a capitalised month counts
            if not month_name[0].isupper():
                continue
            month = table[month_name.lower().rstrip(".")]
            add(m, _make(int(m["d"]), month, int(m["y"]) if m["y"] else None, pub, jalali))


def _weekday_before(pub: dt.date, weekday: int) -> dt.date:
    return pub - dt.timedelta(days=(pub.weekday() - weekday) % 7)


def _relative(text: str, published: dt.datetime, lang: str) -> list[DateMatch]:
    pub = local_date(published)
    out: list[DateMatch] = []
    if lang == "fa":
        if _any_in(text, _FA_RELATIVE_WORDS):
            for m in _left_free(_FA_REL, text):
                back = 1 if m["b1"] else 2 if m["b2"] else 0
                out.append(
                    DateMatch(m.start(), m.end(), pub - dt.timedelta(days=back), "relative", m.group(0))
                )
        if "شنبه" not in text and "جمعه" not in text:
            return out
        for m in _left_free(_FA_WEEKDAY_RE, text):
            wd = (
                _WEEKDAYS_FA.get(m["w"])
                if m["w"] in _WEEKDAYS_FA
                else _WEEKDAYS_FA.get(m["w"].replace("\u200c", ""))
            )
            if wd is None or _FA_NOT_WEEKDAY.search(text, max(0, m.start() - 8), m.start()):
                continue
            if m["night_of"]:
                wd = (wd - 1) % 7  # «شب جمعه» is Thursday night
            out.append(DateMatch(m.start(), m.end(), _weekday_before(pub, wd), "relative", m.group(0)))
        return out
    lowered = text.lower() if len(text.lower()) == len(text) else text
    if _any_in(lowered, _EN_RELATIVE_WORDS):
        for m in _EN_REL.finditer(lowered):
            back = 1 if m["b1"] else 2 if m["b2"] else 0
            out.append(
                DateMatch(
                    m.start(), m.end(), pub - dt.timedelta(days=back), "relative", text[m.start() : m.end()]
                )
            )
    if "day" in lowered:
        for m in _EN_WEEKDAY_RE.finditer(lowered):
            # a weekday is written with a capital; "Friday prayers" names an institution
            if not text[m.start("w")].isupper() or _EN_NOT_WEEKDAY.match(lowered, m.end()):
                continue
            day = _weekday_before(pub, _WEEKDAYS_EN[m["w"]])
            if day == pub and (m["last"] or "") in ("last", "this past"):
                day -= dt.timedelta(days=7)
            out.append(DateMatch(m.start(), m.end(), day, "relative", text[m.start() : m.end()]))
    return out


def find_dates(text: str, published: dt.datetime, lang: str) -> list[DateMatch]:
    """All dates in ``text`` (normalised), resolved against the publication time, by position.

    Explicit dates win over relative expressions that overlap them ("Saturday 18 February").
    """
    pub = local_date(published)
    late = local_datetime(published).time() >= NEXT_DAY_BEGUN_EAST
    explicit = _explicit(text, pub, lang, pub + FUTURE_SLACK if late else pub)
    relative = _relative(text, published, lang)
    matches = sorted(explicit, key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DateMatch] = []
    for d in matches:
        if kept and d.start < kept[-1].end:
            continue
        kept.append(d)
    # explicit dates do not overlap one another: a relative one overlaps at most the explicit date
    # that starts last before its end (bisect keeps this linear in the number of dates)
    starts = [k.start for k in kept]
    explicit_kept = list(kept)
    relative_end = -1  # the furthest end of the relative dates kept so far (they come by start)
    for r in sorted(relative, key=lambda d: (d.start, -(d.end - d.start))):
        i = bisect.bisect_left(starts, r.end) - 1
        if (i >= 0 and explicit_kept[i].end > r.start) or relative_end > r.start:
            continue
        kept.append(r)
        relative_end = max(relative_end, r.end)
    kept.sort(key=lambda d: d.start)
    # a weekday next to an explicit date only confirms it; drop a relative date within a few
    # characters of an explicit one
    days = [k for k in explicit_kept if k.precision == "day"]
    day_starts = [k.start for k in days]
    result: list[DateMatch] = []
    for d in kept:
        if d.precision == "relative" and _next_to_a_day(d, days, day_starts):
            continue
        result.append(d)
    return result


def _next_to_a_day(d: DateMatch, days: list[DateMatch], day_starts: list[int]) -> bool:
    """Whether an explicit day-precision date begins within 3 characters after ``d`` or ends within
    3 characters before it (``days`` sorted by start, not overlapping one another)."""
    i = bisect.bisect_left(day_starts, d.end)
    if i < len(days) and days[i].start - d.end <= 3:
        return True
    j = bisect.bisect_right(day_starts, d.start) - 1
    while j >= 0 and d.start - days[j].end <= 3:
        if d.start - days[j].end >= 0:
            return True
        j -= 1
    return False


# A month named without a day («در آبان ماه گذشته», «اعتراضات آبان ۹۸», «ماه نوامبر گذشته»): the
# month word with what makes it a month («ماه» before or after it, a year, «گذشته» / «پارسال» / «امسال» after it;
# a bare «تیر» is a bullet, «مهر» a seal), not preceded by a day (that is a date: «۲۲ بهمن»).
_FA_MONTH_REF_RE = re.compile(
    # the month word may be written joined to the name («اسفندماه», «دیماه»: coder rules/1.50)
    rf"{_FA_L}(?:(?P<pre>ماه){_SEP})?(?P<m>{_alt({**_JALALI_FA, **_GREG_FA})})(?:{_FA_R}|(?=ماه{_FA_R}))"
    rf"(?:(?P<post>{_SEP}ماه){_FA_R})?"
    rf"(?:{_SEP}(?:سال{_SEP})?(?P<y>1[234]\d\d|(?:19|20)\d\d|\d\d)(?![\d.,/:])(?!{_SEP}{_FA_COUNTED}))?"
    rf"(?P<last>{_SEP}(?:گذشته|پارسال|سال گذشته|سال قبل|قبل){_FA_R})?"
    # «خرداد امسال», «مهر سال جاری»: this year's month (coder rules/1.38)
    rf"(?P<this>{_SEP}(?:امسال|سال{_SEP}جاری){_FA_R})?"
)
_DAY_BEFORE_RE = re.compile(rf"(?:\d|{_FA_L}(?:{_alt(_FA_ORDINALS)}))[\s\u200c]*$")
# what makes a bare month name a month all the same: «اواخر / اوایل / اواسط» (late, early, mid) before
# any month; «در / از / تا / طی» (in, since, until, during) before a Gregorian one, whose names are
# no other words («فوریه»; not «مه», fog)
_PART_OF_MONTH_RE = re.compile(rf"{_FA_L}(?:اواخر|اوایل|اواسط|نیمه)[\s\u200c]+$")
_IN_GREGORIAN_MONTH_RE = re.compile(rf"{_FA_L}(?:در|از|تا|طی)[\s\u200c]+$")


# a Gregorian month named in full with its year ("on November 27, 2020", "in October 2018", "June 7, 2017")
_EN_MONTH_YEAR_RE = re.compile(
    rf"\b(?P<m>{_alt(name.lower() for name in GREGORIAN_MONTHS_EN)})\s+(?:\d{{1,2}}(?:st|nd|rd|th)?,?\s+)?"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)


def latest_named_month(text: str) -> dt.date | None:
    """The first day of the latest Gregorian month ``text`` names in full with its year ("in October 2018",
    "on November 27, 2020"), or None: what an undated report can tell of when it was written."""
    months = [dt.date(int(m["y"]), _GREG_EN[m["m"].lower()], 1) for m in _EN_MONTH_YEAR_RE.finditer(text)]
    return max(months, default=None)


def month_references(text: str, published: dt.datetime) -> list[tuple[int, int, dt.date]]:
    """Persian months named without a day: (start, end, the month's last day), the month taken in
    the year given, else its latest occurrence that has begun by publication (the one before that
    when «گذشته» follows and it is the month of publication)."""
    if not _any_in(text, _FA_JALALI_WORDS) and not _any_in(text, _FA_GREG_WORDS):
        return []
    pub = local_date(published)
    out = []
    for m in _FA_MONTH_REF_RE.finditer(text):
        name = m["m"]
        jalali = name in _JALALI_FA
        if not (m["pre"] or m["post"] or m["y"] or m["last"] or m["this"]) and not _named_as_month(
            text, m.start(), name, jalali
        ):
            continue
        if _DAY_BEFORE_RE.search(text, max(0, m.start() - 30), m.start()):
            continue
        month = _JALALI_FA[name] if jalali else _GREG_FA[name]
        last = _month_last_day(month, m["y"], pub, jalali, bool(m["last"]))
        if last is not None:
            out.append((m.start(), m.end(), last))
    return out


def _named_as_month(text: str, start: int, name: str, jalali: bool) -> bool:
    """Whether the words before a bare month name make it one (see :data:`_PART_OF_MONTH_RE`)."""
    before = text[max(0, start - 12) : start]
    if _PART_OF_MONTH_RE.search(before):
        return True
    return not jalali and name != "مه" and _IN_GREGORIAN_MONTH_RE.search(before) is not None


def _month_last_day(
    month: int, year_text: str | None, pub: dt.date, jalali: bool, before: bool
) -> dt.date | None:
    def last_day(y: int) -> dt.date | None:
        try:
            if jalali:
                nxt: dt.date = jdatetime.date(y + (month == 12), month % 12 + 1, 1).togregorian()
            else:
                nxt = dt.date(y + (month == 12), month % 12 + 1, 1)
        except ValueError:
            return None
        return nxt - dt.timedelta(days=1)

    def first_day(y: int) -> dt.date:
        day: dt.date = jdatetime.date(y, month, 1).togregorian() if jalali else dt.date(y, month, 1)
        return day

    if year_text is not None:
        y = int(year_text)
        if y < 100:
            y += (1400 if y < 50 else 1300) if jalali else 2000
        return last_day(y)
    y0 = jdatetime.date.fromgregorian(date=pub).year if jalali else pub.year
    for y in (y0, y0 - 1):
        end = last_day(y)
        if first_day(y) <= pub and not (before and end is not None and end >= pub):
            return end
    return None
