"""The `acled` codebook on the CASE 2021 dev half, subtask 1 (the 25 ACLED sub-event types).

    python bench/eval_case_acled.py                     # the rule coder
    python bench/eval_case_acled.py --model DIR         # also rules + a trained model (hybrid, fill)
    python bench/eval_case_acled.py --misses 20         # print 20 misclassified snippets (rules)

Reads ../shared/data/case2021-dev/case2021_task2_dev_half.tsv (tab-separated, quoting off; nothing is
copied into the repository; without the file the script says so and exits 0). Only the rows whose
label is one of ACLED's 25 sub-event types count (subtask 1); their codes read as ACLED's names
through src/eventledger/data/models/case2021-to-acled.yaml.

Each snippet is coded by the rule coder with the `acled` codebook. The snippets have no publication
date, so the coder's date gate (plans, history) is off, as in bench/eval_case.py. The prediction is
the snippet's most confident mention, the first in the text among equals ("none" without a
mention), read as ACLED's sub_event_type through the codebook's `acled:` keys — the choice
bench/eval_acled.py makes. Figures: weighted, macro and micro F1 over the gold labels (CASE 2021
scoring, eventledger.learn.metrics.scores), recall per type and the count of "none".

`--model DIR` adds two rows with a model trained on ACLED's notes (see bench/eval_acled.py): the rule
mentions, their confidence raised or lowered by the model — the pipeline's `--model DIR`, hybrid —
and the rule mentions with the model's own proposals for a snippet without one (`--coder fill`).
Writes bench/out/case_acled.json and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from eventledger.extract.codebook import Codebook, load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.learn.metrics import scores
from eventledger.normalize.document import to_document
from eventledger.records import Document, Mention, RawReport
from eventledger.shipped import shipped_or_path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import eval_acled

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "case2021-dev" / "case2021_task2_dev_half.tsv"
OUT = ROOT / "bench" / "out"
LABEL_MAP = "case2021-to-acled"
# a placeholder: the snippets are undated and the date gate is off
PUBLISHED = dt.datetime(2021, 1, 1, 12, tzinfo=dt.UTC)


def best(mentions: list[Mention]) -> Mention | None:
    """The most confident mention, the first in the text among equals (bench/eval_acled.py's)."""
    if not mentions:
        return None
    return min(mentions, key=lambda m: (-m.confidence, m.field != "text", m.sent_start, m.trig_start))


def acled_names(codebook: Codebook) -> dict[str, str]:
    """subtype id -> ACLED sub_event_type, from the codebook's `acled:` names."""
    return {sid: sub for sid, (_ev, sub) in eval_acled.acled_names(codebook).items()}


def case_labels() -> dict[str, str]:
    """CASE 2021 code -> ACLED sub-event type name (the 25 subtask-1 types)."""
    data = yaml.safe_load(shipped_or_path(LABEL_MAP, "models").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.items()}


def load_rows(path: Path, labels: dict[str, str]) -> list[dict[str, str]]:
    """The subtask-1 rows, with their gold label as ACLED's name."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [{**r, "gold": labels[r["SubType"]]} for r in rows if r["SubType"] in labels]


def evaluate(rows: list[dict[str, str]], coder: RuleCoder, names: dict[str, str]) -> dict[str, Any]:
    gold, pred = [], []
    wrong: list[dict[str, Any]] = []
    t = time.perf_counter()
    for r in rows:
        raw = RawReport(text=r["EventSnippet"], origin=f"case:{r['id']}", external_id=r["id"],
                        outlet="CASE 2021", published=PUBLISHED, lang="en")  # fmt: skip
        doc = to_document(raw)
        assert isinstance(doc, Document)
        m = best(coder.code(doc))
        p = names[m.subtype] if m is not None else "none"
        gold.append(r["gold"])
        pred.append(p)
        if p != r["gold"]:
            wrong.append(
                {
                    "id": r["id"],
                    "gold": r["gold"],
                    "predicted": p,
                    "trigger": m.trigger if m is not None else None,
                    "snippet": r["EventSnippet"],
                }
            )
    seconds = time.perf_counter() - t
    s = scores(gold, pred)
    per = s["per_class"]
    return {
        "n": len(rows),
        "snippets_per_second": round(len(rows) / seconds, 1) if seconds else None,
        "weighted_f1": s["weighted_f1"],
        "macro_f1": s["macro_f1"],
        "micro_f1": s["micro_f1"],
        "none": sum(p == "none" for p in pred),
        "recall": {k: v["recall"] for k, v in per.items() if v["support"]},
        "support": {k: v["support"] for k, v in per.items() if v["support"]},
        "_wrong": wrong,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", metavar="DIR", help="a trained model: add a rules + model (hybrid) row")
    ap.add_argument("--misses", type=int, default=0, metavar="N", help="print N misclassified snippets")
    ap.add_argument("--codebook", default="acled", help="shipped name or path (default: acled)")
    ap.add_argument("--data", type=Path, default=DATA, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"CASE 2021 dev half not found: {args.data} — nothing to evaluate (skipped).")
        return 0
    codebook = load_codebook(args.codebook)
    gazetteer = default_gazetteer()
    names = acled_names(codebook)
    rows = load_rows(args.data, case_labels())
    runs: list[tuple[str, str | None, str]] = [("rules", None, "")]
    if args.model:
        runs.append(("rules + model (hybrid)", args.model, "hybrid"))
        runs.append(("rules + model, filling snippets without a rule mention (fill)", args.model, "fill"))
    results: dict[str, dict[str, Any]] = {}
    for name, model, mode in runs:  # the snippets have no publication date: no date gate
        coder = eval_acled.make_coder(codebook, gazetteer, model, mode or "hybrid", date_gate=False)
        results[name] = evaluate(rows, coder, names)

    OUT.mkdir(parents=True, exist_ok=True)
    report = {
        "codebook": codebook.ref,
        "data": "CASE 2021 task 2 dev half, subtask 1 (25 ACLED sub-event types)",
        "model": args.model,
        "rows": {k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")} for k, v in results.items()},
    }
    (OUT / "case_acled.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")

    first = next(iter(results.values()))
    print(f"codebook {codebook.ref}, CASE 2021 dev half, subtask 1: {first['n']} snippets\n")
    print("| coder | weighted F1 | macro F1 | micro F1 | none | snippets/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, r in results.items():
        print(
            f"| {name} | {r['weighted_f1']:.3f} | {r['macro_f1']:.3f} | {r['micro_f1']:.3f} "
            f"| {r['none']} | {r['snippets_per_second']} |"
        )
    print("\n| sub-event type | support | " + " | ".join(f"recall, {k}" for k in results) + " |")
    print("|---|---:|" + "---:|" * len(results))
    for lab, sup in sorted(first["support"].items(), key=lambda kv: (-kv[1], kv[0])):
        cells = " | ".join(f"{r['recall'].get(lab, 0.0):.2f}" for r in results.values())
        print(f"| {lab} | {sup} | {cells} |")
    if args.misses:
        print(f"\n{min(args.misses, len(first['_wrong']))} misclassified snippets (rules):")
        for w in first["_wrong"][: args.misses]:
            print(
                f"- [{w['id']}] gold {w['gold']!r}, predicted {w['predicted']!r} "
                f"(trigger {w['trigger']!r}): {w['snippet'][:300]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
