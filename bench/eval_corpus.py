"""Coding quality against a hand-written truth file (the bundled sample, or the held-out set).

    python bench/eval_corpus.py                                  # bundled sample (used for tuning)
    python bench/eval_corpus.py --corpus tests/data/heldout      # held-out set (never tuned on)
    python bench/eval_corpus.py --errors                         # every false positive and negative

Prints mention precision/recall/F1 (same subtype, place and day; within a day; any day) and the
distinct subtype × place × day keys per category, ours against the truth's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from eventledger.demo import sample_dir, sample_outlets
from eventledger.evaluate import WINDOWS, Evaluation, evaluate_corpus

sys.path.insert(0, str(Path(__file__).resolve().parent))
from eval_real import add_gate_options, gate_of

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.outlets import load_outlets


def print_errors(ev: Evaluation) -> None:
    for r in ev.errors:
        doc = r.doc
        print("-" * 100)
        print(f"{doc.external_id} [{doc.outlet}, {doc.published.isoformat()}] {doc.title}")
        print("   ", doc.text[:900].replace("\n", " "))
        print("    note:", r.note)
        for o in r.false_positives:
            m = next(m for m in r.mentions if (m.subtype, m.place_key, m.date) == o)
            where = m.place.name if m.place else None
            print(
                f"    FP {o[0]} {where} {o[2]} ({m.date_precision} {m.date_text!r}) trig={m.trigger!r} flags={m.flags}"
            )
        for x in r.false_negatives:
            print(f"    FN {x[0]} {sorted(x[1])} {x[2]}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--corpus", type=Path, default=sample_dir(), help="folder with reports.jsonl and truth.jsonl"
    )
    ap.add_argument("--errors", action="store_true", help="print every false positive and false negative")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    add_gate_options(ap)
    args = ap.parse_args(argv)
    outlets = {o.name: o for o in load_outlets(sample_outlets())}
    codebook = load_codebook()
    coder = RuleCoder(codebook, default_gazetteer(), outlets, relevance=gate_of(args, codebook))
    ev = evaluate_corpus(args.corpus / "reports.jsonl", args.corpus / "truth.jsonl", coder)
    if args.json:
        print(json.dumps(ev.as_json(), ensure_ascii=False, indent=2))
    else:
        print(f"corpus: {args.corpus}  reports: {ev.reports}")
        for name in WINDOWS:
            f = ev.scores(name)
            print(
                f"  mentions {name:8s}  P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}  (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})"
            )
        cats = ev.as_json()["distinct_keys_by_category"]
        print(
            "  distinct keys per category (ours/truth):",
            {c: f"{v['ours']}/{v['truth']}" for c, v in cats.items()},
        )
    if args.errors:
        print_errors(ev)
    return 0


if __name__ == "__main__":
    sys.exit(main())
