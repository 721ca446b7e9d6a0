"""The messages of the interface and the CLI in English and Persian, from gettext catalogs.

The template ``data/locale/eventledger.pot`` holds each message once: its key (``msgctxt``) and its
English text (``msgid``); ``data/locale/<lang>/LC_MESSAGES/eventledger.po`` translates it
(``msgstr``). English is the source language; a message a catalog lacks (or leaves empty or fuzzy)
falls back to English. The web app (:mod:`eventledger.web.i18n`) and the CLI read the same catalogs.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from eventledger.report.statement import fa_number
from eventledger.shipped import shipped_path

LANGS = ("en", "fa")
CATALOG_DOMAIN = "eventledger"


def locale_dir() -> Path:
    return shipped_path("data", "locale")


@functools.cache
def catalog(lang: str) -> dict[str, str]:
    """The messages in ``lang``, by key."""
    source = _read(locale_dir() / f"{CATALOG_DOMAIN}.pot")
    english = {m.context: str(m.id) for m in source if m.id and m.context}
    if lang == "en":
        return english
    path = locale_dir() / lang / "LC_MESSAGES" / f"{CATALOG_DOMAIN}.po"
    if not path.is_file():
        return english
    translated = {
        m.context: str(m.string) for m in _read(path) if m.id and m.context and m.string and not m.fuzzy
    }
    return {k: translated.get(k) or v for k, v in english.items()}


def _read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def number(n: int | float | str | None, lang: str) -> str:
    """3742 → "3,742" or "۳٬۷۴۲"."""
    if n is None:
        return "—"
    if isinstance(n, float):
        s = f"{n:.2f}"
        return fa_number(s.replace(".", "٫")) if lang == "fa" else s
    return fa_number(n) if lang == "fa" else (f"{n:,}" if isinstance(n, int) else str(n))


def message(lang: str, key: str, **kw: Any) -> str:
    """The message ``key`` in ``lang`` (else English, else the key), its ``{fields}`` filled in
    (whole numbers written as :func:`number` writes them)."""
    text = catalog(lang if lang in LANGS else "en").get(key) or catalog("en").get(key) or key
    if kw:
        text = text.format(**{k: number(v, lang) if isinstance(v, int) else v for k, v in kw.items()})
    return text
