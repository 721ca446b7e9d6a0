"""How many real, unannotated Persian news items of a later year produce events (issue 8, precision).

    python bench/eval_fresh.py                  # both codebooks, counts per section
    python bench/eval_fresh.py --show           # every event, with its trigger and sentence
    python bench/eval_fresh.py --codebook acled

The items: 245 Fars News articles of August 2023 (1402) in six sections (sports, politics, arts-media,
culture, social, economy), the sample file of a public repository that classifies Persian news
(``faezeh-gholamrezaie/Persian-News-Article-Classification``, commit ``c01f8d1``, file
``data collection/farsnews.csv``; the file is gone from that repository's newest commit). Get it once
into the local cache (never committed: ``bench/out`` is ignored)::

    git clone https://github.com/faezeh-gholamrezaie/Persian-News-Article-Classification /tmp/pnac
    mkdir -p bench/out/fresh
    git -C /tmp/pnac show 'c01f8d1:data collection/farsnews.csv' > bench/out/fresh/farsnews-2023.csv

The script skips cleanly without it. Nothing here is annotated: few of these articles report an act of
either codebook (one article, an analysis of Syria, is filed under all six sections), so the figure is
the number of documents that produce any event — each one to be read, not a precision. It was used to
find classes of false events on text of a year none of the annotated sets covers; those classes are
then fixed in general and checked on the annotated sets (``eval_real.py``, ``eval_real_acled.py``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections import Counter
from pathlib import Path

import jdatetime

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.normalize.document import to_document
from eventledger.records import Document, RawReport, RecordError

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "out" / "fresh" / "farsnews-2023.csv"
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")


def _published(value: str) -> dt.datetime:
    """«۱۲:۱۱ ۱۴۰۲-۶-۴» (time, then the Solar Hijri day) as an aware datetime."""
    clock, day = value.translate(_DIGITS).split()[:1] + value.translate(_DIGITS).split()[-1:]
    y, m, d = map(int, day.split("-"))
    hh, mm = map(int, clock.split(":"))
    return dt.datetime.combine(jdatetime.date(y, m, d).togregorian(), dt.time(hh, mm), tzinfo=TEHRAN)


def documents(path: Path) -> list[tuple[str, Document]]:
    out: list[tuple[str, Document]] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for k, row in enumerate(csv.DictReader(fh)):
            text = (row.get("text") or "").strip()
            if not text:
                continue
            raw = RawReport(
                text=text,
                origin=f"{path.name}:{k + 2}",
                external_id=str(k),
                url=None,
                outlet="Fars News",
                published=_published(row["date"]),
                lang="fa",
                title=(row.get("title") or "").strip(),
            )
            doc = to_document(raw)
            if not isinstance(doc, RecordError):
                out.append((row.get("label") or "?", doc))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    ap.add_argument("--codebook", action="append", help="political-action and/or acled (default: both)")
    ap.add_argument("--show", action="store_true", help="print every event with its sentence")
    args = ap.parse_args()
    if not args.path.is_file():
        print(f"skipped: {args.path} is absent (see this script's docstring to get it)")
        return 0
    docs = documents(args.path)
    gazetteer = default_gazetteer()
    for name in args.codebook or ["political-action", "acled"]:
        codebook = load_codebook(name)
        coder = RuleCoder(codebook, gazetteer, {})
        per_section: Counter[str] = Counter()
        with_events: Counter[str] = Counter()
        titles: set[str] = set()
        for section, doc in docs:
            per_section[section] += 1
            mentions = coder.code(doc)
            if not mentions:
                continue
            with_events[section] += 1
            titles.add(doc.title)
            if args.show:
                print(f"[{section}] {doc.external_id} {doc.title[:100]}")
                for m in mentions:
                    print(f"    {m.category}/{m.subtype} @{m.place_key} trigger={m.trigger!r}")
                    print(f"        {m.sentence[:240]}")
        total = sum(with_events.values())
        print(
            f"{codebook.ref}: {total} of {len(docs)} items with any event "
            f"({len(titles)} distinct titles); by section: "
            + ", ".join(f"{s} {with_events[s]}/{n}" for s, n in sorted(per_section.items()))
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
