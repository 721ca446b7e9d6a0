"""The paragraph a monitoring organisation publishes, in English or Persian.

Every number in it comes from one :func:`~eventledger.store.queries.tally` call, and the paragraph
ends with the command that reproduces it.
"""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Mapping, Sequence
from typing import Any

from eventledger.aggregate.periods import (
    GREGORIAN_MONTHS_EN,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS_EN,
    JALALI_MONTHS_FA,
    Period,
    to_jalali,
)
from eventledger.extract.codebook import Codebook

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def fa_number(n: int | str) -> str:
    """Persian digits with the Persian thousands separator: 3742 → ۳٬۷۴۲."""
    s = f"{n:,}" if isinstance(n, int) else n
    return s.replace(",", "٬").translate(_FA_DIGITS)


def _g_en(d: dt.date, with_year: bool = True) -> str:
    return f"{d.day} {GREGORIAN_MONTHS_EN[d.month - 1]}" + (f" {d.year}" if with_year else "")


def _j_en(d: dt.date) -> str:
    y, m, day = to_jalali(d)
    return f"{day} {JALALI_MONTHS_EN[m - 1]} {y}"


def _g_fa(d: dt.date) -> str:
    return f"{fa_number(str(d.day))} {GREGORIAN_MONTHS_FA[d.month - 1]} {fa_number(str(d.year))}"


def _j_fa(d: dt.date) -> str:
    y, m, day = to_jalali(d)
    return f"{fa_number(str(day))} {JALALI_MONTHS_FA[m - 1]} {fa_number(str(y))}"


def jalali_date(d: dt.date, lang: str) -> str:
    """A Solar Hijri date written out: «۲۸ بهمن ۱۴۰۱» or "28 Bahman 1401"."""
    return _j_fa(d) if lang == "fa" else _j_en(d)


def period_phrase(p: Period, lang: str) -> str:
    """ "the Iranian year 1401 (21 March 2022 – 20 March 2023)" and the like, in both calendars."""
    if lang == "fa":
        both = f"{_j_fa(p.start)} تا {_j_fa(p.end)}، برابر با {_g_fa(p.start)} تا {_g_fa(p.end)}"
        if p.calendar == "jalali" and p.kind == "year":
            return f"سال {fa_number(p.label)} خورشیدی ({both})"
        if p.calendar == "jalali" and p.kind == "month":
            y, m = (int(x) for x in p.label.split("-"))
            return f"{JALALI_MONTHS_FA[m - 1]} {fa_number(str(y))} ({both})"
        if p.calendar == "gregorian" and p.kind == "year":
            return f"سال {fa_number(p.label)} میلادی ({both})"
        return f"بازه {both}"
    greg = f"{_g_en(p.start, p.start.year != p.end.year)} – {_g_en(p.end)}"
    jal = f"{_j_en(p.start)} – {_j_en(p.end)}"
    if p.calendar == "jalali" and p.kind == "year":
        return f"the Iranian year {p.label} ({greg})"
    if p.calendar == "jalali" and p.kind == "month":
        y, m = (int(x) for x in p.label.split("-"))
        return f"{JALALI_MONTHS_EN[m - 1]} {y} ({greg})"
    if p.calendar == "gregorian" and p.kind == "year":
        return f"the year {p.label} ({jal} in the Solar Hijri calendar)"
    if p.calendar == "gregorian" and p.kind == "month":
        return f"{GREGORIAN_MONTHS_EN[p.start.month - 1]} {p.start.year} ({jal})"
    return f"the period {greg} ({jal})"


def _join(items: Sequence[str], lang: str) -> str:
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if lang == "fa":
        return "، ".join(items[:-1]) + " و " + items[-1]
    return ", ".join(items[:-1]) + " and " + items[-1]


def reproduce_command(period: Period, filters: Mapping[str, str | None]) -> str:
    parts = [
        "eventledger",
        "tally",
        "--period",
        period.label,
        "--calendar",
        period.calendar,
        "--by",
        "subtype",
        "--by",
        "claim_status",
    ]
    for key, value in filters.items():
        if value:
            parts += [f"--{key.replace('_', '-')}", value]
    return " ".join(shlex.quote(p) for p in parts)


def statement(
    t: Mapping[str, Any],
    period: Period,
    codebook: Codebook,
    lang: str = "en",
    filters: Mapping[str, str | None] | None = None,
) -> str:
    """Compose the statement from a tally with ``by_subtype`` and ``by_claim_status``."""
    filters = filters or {}
    by_sub: Mapping[str, int] = t.get("by_subtype", {})
    num = fa_number if lang == "fa" else (lambda n: f"{n:,}")
    parts = []
    for cat in codebook.categories:
        n = t["by_category"].get(cat.id, 0)
        if not n:
            continue
        subs = [f"{num(by_sub[s])} {codebook.label(s, lang)}" for s in cat.subtypes if by_sub.get(s)]
        detail = f" ({_join(subs, lang)})" if subs else ""
        parts.append(f"{num(n)} {codebook.label(cat.id, lang)}{detail}")
    claims = t.get("by_claim_status", {})
    where = period_phrase(period, lang)
    cmd = reproduce_command(period, filters)
    scope = ""
    if filters.get("actor"):
        scope = f" attributed to {filters['actor']}" if lang == "en" else f" منتسب به {filters['actor']}"
    if filters.get("province"):
        scope += f" in {filters['province']}" if lang == "en" else f" در {filters['province']}"
    total = t["total"]
    if lang == "fa":
        body = f"در {where}، گزارش‌های ثبت‌شده {num(total)} رویداد{scope} را نشان می‌دهند"
        body += f": {_join(parts, 'fa')}." if parts else "."
        if total:
            body += (
                f" از این میان {num(claims.get('claimed', 0))} رویداد تنها از سوی رسانه‌های خود گروه ادعا شده، "
                f"{num(claims.get('reported', 0))} رویداد را رسانه‌های دیگر نیز گزارش کرده‌اند و "
                f"{num(claims.get('corroborated', 0))} رویداد را دست‌کم دو رسانه مستقل تأیید کرده‌اند."
            )
        body += (
            " هر رویداد یک اقدام در یک مکان و یک روز است و چند گزارش از یک اقدام یک بار شمرده می‌شود."
            f" بازتولید: {cmd}"
        )
        return body
    body = f"In {where}, the reports on record describe {num(total)} event{'s' if total != 1 else ''}{scope}"
    body += f": {_join(parts, 'en')}." if parts else "."
    if total:
        body += (
            f" Of these, {num(claims.get('claimed', 0))} were claimed only by the actors' own outlets, "
            f"{num(claims.get('reported', 0))} were also reported by other outlets and "
            f"{num(claims.get('corroborated', 0))} were corroborated by two or more independent outlets."
        )
    body += (
        " Each event is one action in one place on one day; several reports of the same action count once."
        f" Reproduce: {cmd}"
    )
    return body
