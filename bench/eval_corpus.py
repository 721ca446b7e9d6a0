"""Coding quality against a hand-written truth file (the bundled sample, or the held-out set).

    python bench/eval_corpus.py                       # bundled sample corpus
    python bench/eval_corpus.py --corpus tests/data/heldout --errors

The truth lists, per report, the events a careful human coder extracts (subtype × place × day).
Prints mention precision/recall/F1 per report (strict day; day ±1; any day), and distinct event
counts per category against the truth's.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from eventledger.demo import sample_dir, sample_outlets
from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.normalize.document import to_document
from eventledger.outlets import load_outlets
from eventledger.sources.files import read_path


def truth_place_ids(ev: dict, gaz) -> set[str]:
    if ev.get("place"):
        ids = {
            p.place_id
            for p in gaz.lookup(ev["place"])
            if (ev.get("admin1") is None or p.admin1 == ev["admin1"])
        }
        if not ids:
            ids = {p.place_id for p in gaz.lookup(ev["place"])}
        return ids or {f"?{ev['place']}"}
    if ev.get("admin1"):
        return {ev["admin1"]}
    return {f"cc:{ev.get('country') or 'IR'}"}


def match(ours: list[tuple], truth: list[tuple], window: int | None) -> tuple[int, list, list]:
    """Greedy matching of (subtype, place_key, date) against (subtype, {place ids}, date)."""
    left = list(truth)
    tp = 0
    fp = []
    for o in ours:
        hit = None
        for t in left:
            if o[0] == t[0] and o[1] in t[1] and (window is None or abs((o[2] - t[2]).days) <= window):
                hit = t
                break
        if hit is not None:
            left.remove(hit)
            tp += 1
        else:
            fp.append(o)
    return tp, fp, left


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--corpus", type=Path, default=sample_dir(), help="folder with reports.jsonl and truth.jsonl"
    )
    ap.add_argument("--errors", action="store_true", help="print every false positive and false negative")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)

    gaz = default_gazetteer()
    cb = load_codebook()
    outlets = {o.name: o for o in load_outlets(sample_outlets())}
    coder = RuleCoder(cb, gaz, outlets)
    truth = {}
    for line in (args.corpus / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            t = json.loads(line)
            truth[t["id"]] = t
    totals = {"strict": [0, 0, 0], "day±1": [0, 0, 0], "any day": [0, 0, 0]}
    ours_events: set[tuple] = set()
    truth_events: set[tuple] = set()
    errors = []
    docs = 0
    for item in read_path(args.corpus / "reports.jsonl"):
        doc = to_document(item)  # type: ignore[arg-type]
        docs += 1
        mentions = coder.code(doc)
        ours = [(m.subtype, m.place_key, m.date) for m in mentions]
        t = truth[doc.external_id]
        tr = [
            (e["subtype"], frozenset(truth_place_ids(e, gaz)), dt.date.fromisoformat(e["date"]))
            for e in t["events"]
        ]
        for name, window in (("strict", 0), ("day±1", 1), ("any day", None)):
            tp, fp, fn = match(ours, tr, window)
            totals[name][0] += tp
            totals[name][1] += len(fp)
            totals[name][2] += len(fn)
            if name == "strict" and (fp or fn):
                errors.append((doc, mentions, fp, fn, t.get("note")))
        ours_events.update((m.category, m.subtype, m.place_key, m.date) for m in mentions)
        truth_events.update(
            (e["category"], e["subtype"], min(truth_place_ids(e, gaz)), e["date"]) for e in t["events"]
        )
    figures = {"reports": docs}
    for name, (tp, fp, fn) in totals.items():
        p, r, f = prf(tp, fp, fn)
        figures[name] = {
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "precision": round(p, 3),
            "recall": round(r, 3),
            "f1": round(f, 3),
        }
    by_cat_ours = collections.Counter(c for c, *_ in ours_events)
    by_cat_truth = collections.Counter(c for c, *_ in truth_events)
    figures["distinct (category: ours/truth)"] = {
        c: f"{by_cat_ours.get(c, 0)}/{by_cat_truth.get(c, 0)}" for c in cb.category_ids()
    }
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        print(f"corpus: {args.corpus}  reports: {docs}")
        for name in totals:
            f = figures[name]
            print(
                f"  mentions {name:8s}  P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})"
            )
        print(
            "  distinct mention keys per category (ours/truth):", figures["distinct (category: ours/truth)"]
        )
    if args.errors:
        for doc, mentions, fp, fn, note in errors:
            print("-" * 100)
            print(f"{doc.external_id} [{doc.outlet}, {doc.published.isoformat()}] {doc.title}")
            print("   ", doc.text[:900].replace("\n", " "))
            print("    note:", note)
            for o in fp:
                m = next(m for m in mentions if (m.subtype, m.place_key, m.date) == o)
                print(
                    f"    FP {o[0]} {m.place.name if m.place else None} {o[2]} ({m.date_precision} {m.date_text!r}) trig={m.trigger!r} flags={m.flags}"
                )
            for x in fn:
                print(f"    FN {x[0]} {sorted(x[1])} {x[2]}")
    return 0


if __name__ == "__main__":
    with tempfile.TemporaryDirectory():
        sys.exit(main())
