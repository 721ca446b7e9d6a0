"""The CASE 2021 dev half (real conflict snippets): does each in-scope snippet get the right category?

    python bench/eval_case.py            # figures
    python bench/eval_case.py --misses   # the in-scope snippets that got no mention of their category

In-scope CASE types and the `political-action` categories that code them (a demonstration abroad is
coded `political` by the codebook's `abroad_as` rule, so both count for protests; the snippets have no
publication date, so the coder's date gate is off):
protests, riots, bombings, grenades, attacks, armed clashes, property destruction. Also counted: how
many mentions are placed in a country the snippet does not name (a default place) — must be 0.
Reads ../shared/data/case2021-dev; skips cleanly without it.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_real import add_gate_options, gate_of

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.normalize.document import to_document
from eventledger.records import Document, RawReport

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "case2021-dev"
PROTEST = frozenset({"protest", "political"})
IN_SCOPE: dict[str, frozenset[str]] = {
    "PEACE_PROTEST": PROTEST,
    "PROTEST_WITH_INTER": PROTEST,
    "FORCE_AGAINST_PROTEST": PROTEST,
    "VIOL_DEMONSTR": PROTEST | {"violence"},
    "MOB_VIOL": PROTEST | {"violence"},
    "SUIC_BOMB": frozenset({"explosion"}),
    "REM_EXPLOS": frozenset({"explosion"}),
    "GRENADE": frozenset({"violence"}),
    "ATTACK": frozenset({"armed", "explosion", "violence"}),
    "ARMED_CLASH": frozenset({"armed"}),
    "PROPERTY_DISTRUCT": frozenset({"violence"}),
}
PUBLISHED = dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--json", action="store_true")
    add_gate_options(ap)
    args = ap.parse_args(argv)
    path = SHARED / "case2021_task2_dev_half.tsv"
    if not path.is_file():
        print(f"skipped: {path} not found", file=sys.stderr)
        return 0
    # CASE snippets have no publication date: the date gate (plans, history) cannot judge them
    codebook = load_codebook()
    try:
        coder = RuleCoder(codebook, default_gazetteer(), date_gate=False, relevance=gate_of(args, codebook))
    except TypeError:  # a coder from before the date gate
        coder = RuleCoder(codebook, default_gazetteer())
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    hit: Counter[str] = Counter()
    total: Counter[str] = Counter()
    out_of_scope_with_events = 0
    default_placed = unknown_placed = mentions_n = 0
    misses = []
    for r in rows:
        raw = RawReport(text=r["EventSnippet"], origin=f"case:{r['id']}", external_id=r["id"],
                        outlet="CASE 2021", published=PUBLISHED, lang="en")  # fmt: skip
        doc = to_document(raw)
        assert isinstance(doc, Document)
        mentions = coder.code(doc)
        mentions_n += len(mentions)
        default_placed += sum("place_default" in m.flags for m in mentions)
        unknown_placed += sum(m.place is None for m in mentions)
        label = r["SubType"]
        if label in IN_SCOPE:
            total[label] += 1
            if any(m.category in IN_SCOPE[label] for m in mentions):
                hit[label] += 1
            else:
                misses.append(
                    (r["id"], label, r["EventSnippet"], [f"{m.category}/{m.trigger}" for m in mentions])
                )
        else:
            out_of_scope_with_events += bool(mentions)
    n_in = sum(total.values())
    result = {
        "in_scope_snippets": n_in,
        "right_category": sum(hit.values()),
        "share": round(sum(hit.values()) / n_in, 3) if n_in else 0.0,
        "by_type": {k: f"{hit[k]}/{total[k]}" for k in sorted(total)},
        "out_of_scope_snippets_with_events": out_of_scope_with_events,
        "out_of_scope_snippets": len(rows) - n_in,
        "mentions": mentions_n,
        "mentions_placed_by_default": default_placed,
        "mentions_place_unknown": unknown_placed,
    }
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        for k, v in result.items():
            print(f"{k:36s} {v}")
    if args.misses:
        for rid, label, text, got in misses:
            print(f"- {rid} {label} got={got}\n    {text[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
