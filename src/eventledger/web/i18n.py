"""The interface in English and Persian: messages, numbers, dates in both calendars.

Persian pages are right-to-left, with Persian digits and Solar Hijri dates («۲۸ بهمن ۱۴۰۱»);
English pages give the Gregorian date with the Solar Hijri one beside it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from eventledger.aggregate.periods import (
    GREGORIAN_MONTHS_EN,
    month_label,
)
from eventledger.report.statement import fa_number, jalali_date
from eventledger.shipped import shipped_path

LANGS = ("en", "fa")

CATALOG_DOMAIN = "eventledger"


def _locale_dir() -> Path:
    return shipped_path("data", "locale")


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """The interface's messages in ``lang``, by key, from the gettext catalogs shipped in the package.

    The template ``eventledger.pot`` holds each message once: its key (``msgctxt``) and its English
    text (``msgid``); ``<lang>/LC_MESSAGES/eventledger.po`` translates it (``msgstr``). English is the
    source language; a message a catalog lacks (or leaves empty or fuzzy) falls back to English.
    """
    source = _read(_locale_dir() / f"{CATALOG_DOMAIN}.pot")
    english = {m.context: str(m.id) for m in source if m.id and m.context}
    if lang == "en":
        return english
    path = _locale_dir() / lang / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"
    if not path.is_file():
        return english
    translated = {
        m.context: str(m.string) for m in _read(path) if m.id and m.context and m.string and not m.fuzzy
    }
    return {k: translated.get(k) or v for k, v in english.items()}


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


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
    text = catalog(lang if lang in LANGS else "en").get(key) or catalog("en").get(key) or key
    if kw:
        text = text.format(**{k: num(v, lang) if isinstance(v, int) else v for k, v in kw.items()})
    return text


def num(n: int | float | str | None, lang: str) -> str:
    """3742 → "3,742" or "۳٬۷۴۲"."""
    if n is None:
        return "—"
    if isinstance(n, float):
        s = f"{n:.2f}"
        return fa_number(s.replace(".", "٫")) if lang == "fa" else s
    return fa_number(n) if lang == "fa" else (f"{n:,}" if isinstance(n, int) else str(n))


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
