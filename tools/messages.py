"""Add or change a message of the interface in the gettext catalogs (data/locale).

    python tools/messages.py add KEY "English text" "Persian text"
    python tools/messages.py list [--missing]

The template ``eventledger.pot`` keeps each message once: its key (msgctxt) and English text (msgid);
``fa/LC_MESSAGES/eventledger.po`` has the Persian (msgstr). Translators may instead work on the .po
with any gettext tool (Poedit, Weblate); ``pybabel update -i src/eventledger/data/locale/eventledger.pot
-d src/eventledger/data/locale -D eventledger`` carries new template messages into every catalog.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

LOCALE = Path(__file__).resolve().parents[1] / "src" / "eventledger" / "data" / "locale"
TEMPLATE = LOCALE / "eventledger.pot"


def _load(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, abort_invalid=True)


def _save(cat: Catalog, path: Path) -> None:
    with path.open("wb") as f:
        write_po(f, cat, width=0)


def _catalogs() -> dict[str, Path]:
    return {p.parent.parent.name: p for p in sorted(LOCALE.glob("*/LC_MESSAGES/eventledger.po"))}


def add(key: str, english: str, translations: dict[str, str]) -> None:
    template = _load(TEMPLATE)
    old = next((m for m in template if m.context == key), None)
    if old is not None:
        template.delete(old.id, context=key)
    template.add(english, "", context=key)
    _save(template, TEMPLATE)
    for lang, path in _catalogs().items():
        cat = _load(path)
        prev = next((m for m in cat if m.context == key), None)
        if prev is not None:
            cat.delete(prev.id, context=key)
        cat.add(
            english, translations.get(lang, ""), context=key, flags=() if lang in translations else ("fuzzy",)
        )
        _save(cat, path)


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "add":
        add(argv[1], argv[2], {"fa": argv[3]} if len(argv) > 3 else {})
        return 0
    if argv and argv[0] == "list":
        template = _load(TEMPLATE)
        cats = {lang: {m.context: m for m in _load(p)} for lang, p in _catalogs().items()}
        for m in template:
            if not m.context:
                continue
            texts = {lang: c.get(m.context) for lang, c in cats.items()}
            missing = [lang for lang, t in texts.items() if t is None or not t.string or t.fuzzy]
            if "--missing" in argv and not missing:
                continue
            print(m.context, "|", m.id, "|", " | ".join(str(t.string) if t else "" for t in texts.values()))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
