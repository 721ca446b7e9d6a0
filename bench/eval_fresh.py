"""How many real, unannotated news items the project never saw produce events (issue 8, precision).

    python bench/eval_fresh.py                  # both codebooks, every cached file, counts per section
    python bench/eval_fresh.py --show           # every event, with its trigger and sentence
    python bench/eval_fresh.py --codebook acled bench/out/fresh/fa-telegram-2026.jsonl

Files: ``bench/out/fresh/farsnews-2023.csv`` (below) and the JSONL files ``bench/fresh_extract.py``
builds (Persian articles of five other sites of 2019–2020, Persian Telegram news posts of 2026, English
Tehran Times articles; an item without a date is coded as published on 1 June 2020).

The CSV: 245 Fars News articles of August 2023 (1402) in six sections (sports, politics, arts-media,
culture, social, economy), the sample file of a public repository that classifies Persian news
(``faezeh-gholamrezaie/Persian-News-Article-Classification``, commit ``c01f8d1``, file
``data collection/farsnews.csv``; the file is gone from that repository's newest commit). Get it once
into the local cache (never committed: ``bench/out`` is ignored)::

    git clone https://github.com/faezeh-gholamrezaie/Persian-News-Article-Classification /tmp/pnac
    mkdir -p bench/out/fresh
    git -C /tmp/pnac show 'c01f8d1:data collection/farsnews.csv' > bench/out/fresh/farsnews-2023.csv

The script skips cleanly without them. Nothing here is annotated: few of the Fars articles report an act of
either codebook (one article, an analysis of Syria, is filed under all six sections), so the figure is
the number of documents that produce any event — each one to be read, not a precision. It was used to
find classes of false events on text of a year none of the annotated sets covers; those classes are
then fixed in general and checked on the annotated sets (``eval_real.py``, ``eval_real_acled.py``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

import jdatetime

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_real import to_doc

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.records import Document

HERE = Path(__file__).resolve().parent
DEFAULT = HERE / "out" / "fresh" / "farsnews-2023.csv"
TEHRAN = dt.timezone(dt.timedelta(hours=3, minutes=30))
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")
UNDATED_DAY = dt.datetime(2020, 6, 1, 12, tzinfo=dt.UTC)


def _published(value: str) -> dt.datetime:
    """«۱۲:۱۱ ۱۴۰۲-۶-۴» (time, then the Solar Hijri day) as an aware datetime."""
    clock, day = value.translate(_DIGITS).split()[:1] + value.translate(_DIGITS).split()[-1:]
    y, m, d = map(int, day.split("-"))
    hh, mm = map(int, clock.split(":"))
    return dt.datetime.combine(jdatetime.date(y, m, d).togregorian(), dt.time(hh, mm), tzinfo=TEHRAN)


def documents(path: Path) -> list[tuple[str, Document]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [row for row in csv.DictReader(fh) if (row.get("text") or "").strip()]
    return [
        (
            row.get("label") or "?",
            to_doc(
                {
                    "id": f"farsnews-2023-{k}",
                    "text": row["text"].strip(),
                    "title": (row.get("title") or "").strip(),
                    "published": _published(row["date"]).isoformat(),
                    "lang": "fa",
                    "outlet": "Fars News",
                }
            ),
        )
        for k, row in enumerate(rows)
    ]


def jsonl_documents(path: Path) -> list[tuple[str, Document]]:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh]
    return [(row.get("section") or "-", to_doc(row, undated=UNDATED_DAY)) for row in rows]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="*", type=Path, help="default: every file in bench/out/fresh")
    ap.add_argument("--codebook", action="append", help="political-action and/or acled (default: both)")
    ap.add_argument("--show", action="store_true", help="print every event with its sentence")
    args = ap.parse_args()
    paths: list[Path] = args.paths
    if not paths and DEFAULT.parent.is_dir():
        paths = sorted(p for p in DEFAULT.parent.glob("*") if p.suffix in (".csv", ".jsonl"))
    if not paths:
        print(f"skipped: nothing in {DEFAULT.parent} (see this script's docstring to get the files)")
        return 0
    gazetteer = default_gazetteer()
    for path in paths:
        docs = documents(path) if path.suffix == ".csv" else jsonl_documents(path)
        print(f"{path.name}:")
        for name in args.codebook or ["political-action", "acled"]:
            _report(name, docs, gazetteer, args.show)
    return 0


def _report(name: str, docs: list[tuple[str, Document]], gazetteer: Gazetteer, show: bool) -> None:
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
        titles.add(doc.title or doc.text[:80])
        if show:
            print(f"[{section}] {doc.external_id} {doc.title[:100]}")
            for m in mentions:
                print(f"    {m.category}/{m.subtype} @{m.place_key} trigger={m.trigger!r}")
                print(f"        {m.sentence[:240]}")
    total = sum(with_events.values())
    sections = sorted(per_section.items(), key=lambda kv: -kv[1])[:8]
    print(
        f"  {codebook.ref}: {total} of {len(docs)} items with any event "
        f"({len(titles)} distinct titles); by section: "
        + ", ".join(f"{s} {with_events[s]}/{n}" for s, n in sections)
    )


if __name__ == "__main__":
    sys.exit(main())
