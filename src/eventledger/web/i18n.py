"""The interface in English and Persian: messages, numbers, dates in both calendars.

Persian pages are right-to-left, with Persian digits and Solar Hijri dates («۲۸ بهمن ۱۴۰۱»);
English pages give the Gregorian date with the Solar Hijri one beside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from eventledger.aggregate.periods import (
    GREGORIAN_MONTHS_EN,
    month_label,
)
from eventledger.report.messages import LANGS as LANGS
from eventledger.report.messages import catalog as catalog
from eventledger.report.messages import message, number
from eventledger.report.statement import fa_number, jalali_date


class _Messages(Mapping[str, dict[str, str]]):
    """``MESSAGES[lang][key]``: the catalogs as a read-only mapping (loaded on first use)."""

    def __getitem__(self, lang: str) -> dict[str, str]:
        if lang not in LANGS:
            raise KeyError(lang)
        return catalog(lang)

    def __iter__(self) -> Iterator[str]:
        return iter(LANGS)

    def __len__(self) -> int:
        return len(LANGS)


MESSAGES: Mapping[str, dict[str, str]] = _Messages()


def t(lang: str, key: str, **kw: Any) -> str:
    return message(lang, key, **kw)


def num(n: int | float | str | None, lang: str) -> str:
    """3742 → "3,742" or "۳٬۷۴۲"."""
    return number(n, lang)


def digits(s: str | int, lang: str) -> str:
    """Only the digits changed (ids, years, codes): no thousands separator."""
    return fa_number(str(s)) if lang == "fa" else str(s)


def day(d: dt.date | str | None, lang: str) -> str:
    """A day: «۲۸ بهمن ۱۴۰۱» in Persian; "17 Feb 2023 · 28 Bahman 1401" in English."""
    if d is None:
        return "—"
    if isinstance(d, str):
        d = dt.date.fromisoformat(d[:10])
    if lang == "fa":
        return jalali_date(d, "fa")
    return f"{d.day} {GREGORIAN_MONTHS_EN[d.month - 1][:3]} {d.year} · {jalali_date(d, 'en')}"


def moment(t_: dt.datetime | str | None, lang: str) -> str:
    """A time (UTC): the day as :func:`day` plus HH:MM."""
    if t_ is None:
        return "—"
    if isinstance(t_, str):
        t_ = dt.datetime.fromisoformat(t_.replace("Z", "+00:00"))
    hm = t_.strftime("%H:%M")
    return f"{day(t_.date(), lang)} {digits(hm, lang)} UTC"


def month(key: str, calendar: str, lang: str) -> str:
    label = month_label(key, calendar, lang)
    return fa_number(label) if lang == "fa" else label


def short_month(key: str, calendar: str, lang: str) -> str:
    """The month name alone, short in English (for chart axes)."""
    full = month_label(key, calendar, lang)
    name = full.rsplit(" ", 1)[0]
    return name if lang == "fa" else name[:3]
