"""The `acled` codebook against ACLED's own coding of its event notes.

    python bench/eval_acled.py                      # test split (the 20 % bench/bench_model.py holds out)
    python bench/eval_acled.py --split train --errors 20
    python bench/eval_acled.py --model DIR          # also rules + a trained model (hybrid, and model mode)

Reads ../shared/data/acled-2022-sample/acled_2022_9000_events.csv.gz (nothing is copied into the
repository; without the file the script says so and exits 0). The split is bench/bench_model.py's:
a fixed stratified 20 % of the notes by sub-event type (seed 13, `stratified_split`), so a model
trained by `eventledger model train` / bench_model.py on the same file never saw the test rows.
Tune the codebook on `--split train` only.

Each note is one English report (published a week after the event) coded by the rule coder with
the `acled` codebook; the prediction is the note's most confident mention, the first in the text
among equals ("none" without a mention). Figures, per split: event type accuracy and weighted F1,
sub-event type weighted and macro F1 (CASE 2021 scoring: averages over the gold labels), province
(admin1) agreement on the Iran rows (the predicted place's ISO 3166-2 province, named by the
gazetteer, against ACLED's admin1), fatalities exact and within ±1 (the mention's quantity, where
the codebook says its quantity is fatalities; a note without a mention counts 0), and recall per
event type and sub-event type. Writes bench/out/acled.json and prints a Markdown table.

`--model DIR` adds three rows with a model trained on the same file (e.g.
`eventledger model train --data <the file> --text-col notes --label-col sub_event_type
--definitions acled-subtypes --out DIR`, or bench/bench_model.py's): `hybrid` (the rule mentions,
their confidence raised or lowered by the model: the pipeline's `--model DIR`), `fill` (the rules'
mentions, and the model's own proposals for a note in which the rules find nothing: `--coder fill`) and `model`
(the model proposes the mentions itself: `--coder model`).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

from eventledger.extract.codebook import Codebook, load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.learn.data import read_table, stratified_split  # the split of bench_model.py
from eventledger.learn.metrics import scores
from eventledger.normalize.document import content_hash
from eventledger.pipeline import make_relevance
from eventledger.records import Document, Mention

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "acled-2022-sample" / "acled_2022_9000_events.csv.gz"
OUT = ROOT / "bench" / "out"
SEED = 13
HOLDOUT = 0.2
# a note is read as a report published a week after the event ("Around 19 January (between 17 - 22
# January)" is then not a plan)
PUBLISHED_AFTER_DAYS = 7


def load_rows(path: Path) -> list[dict[str, str]]:
    """The rows of the file that have a note, in the order `read_table` gives them (the split's)."""
    with gzip.open(path, "rt", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if (r.get("notes") or "").strip()]
    table = read_table(path, "notes", "sub_event_type")
    if [r["notes"].strip() for r in rows] != table.texts:
        raise SystemExit(f"{path}: rows do not line up with read_table's; the split would differ")
    return rows


def split_rows(rows: list[dict[str, str]], which: str) -> list[dict[str, str]]:
    train, test = stratified_split([r["sub_event_type"].strip() for r in rows], HOLDOUT, SEED)
    keep = {"train": train, "test": test, "all": range(len(rows))}[which]
    return [rows[i] for i in keep]


def document(row: dict[str, str]) -> Document:
    day = dt.date.fromisoformat(row["event_date"])
    published = dt.datetime.combine(day + dt.timedelta(days=PUBLISHED_AFTER_DAYS), dt.time(12), tzinfo=dt.UTC)
    text = row["notes"].strip()
    return Document(
        outlet="ACLED",
        external_id=row["event_id_cnty"],
        url=None,
        published=published,
        lang="en",
        title="",
        text=text,
        content_hash=content_hash(text, published.date().isoformat()),
        origin="bench",
    )


def best(mentions: list[Mention]) -> Mention | None:
    """The most confident mention, the first in the text among equals."""
    if not mentions:
        return None
    return min(mentions, key=lambda m: (-m.confidence, m.field != "text", m.sent_start, m.trig_start))


def acled_names(codebook: Codebook) -> dict[str, tuple[str, str]]:
    """subtype id -> (ACLED event_type, sub_event_type), from the codebook's `acled:` names."""
    out = {}
    for sid, st in codebook.subtypes.items():
        a = st.acled or {}
        out[sid] = (a.get("event_type", st.category), a.get("sub_event_type", sid))
    return out


def _key(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    return " ".join(folded.replace("-", " ").replace("&", "and").split())


def province_names(gazetteer: Gazetteer) -> dict[str, set[str]]:
    """ISO 3166-2 code -> the province's names (English, transliterations), folded."""
    return {
        p.place_id: {_key(n) for n in gazetteer.names(p.place_id)} | {_key(p.name)}
        for p in gazetteer.provinces()
    }


def evaluate(
    rows: list[dict[str, str]],
    coder: RuleCoder,
    names: dict[str, tuple[str, str]],
    provinces: dict[str, set[str]],
    fatalities: bool,
) -> dict[str, Any]:
    gold_sub, pred_sub, gold_ev, pred_ev = [], [], [], []
    iran = iran_ok = iran_placed = 0
    fat_exact = fat_near = 0
    wrong: list[dict[str, Any]] = []
    t = time.perf_counter()
    for row in rows:
        m = best(coder.code(document(row)))
        ev, sub = names[m.subtype] if m is not None else ("none", "none")
        gold_sub.append(row["sub_event_type"].strip())
        gold_ev.append(row["event_type"].strip())
        pred_sub.append(sub)
        pred_ev.append(ev)
        if row["country"] == "Iran":
            iran += 1
            code = m.place.admin1 if m is not None and m.place is not None else None
            iran_placed += code is not None
            iran_ok += code is not None and _key(row["admin1"]) in provinces.get(code, set())
        if fatalities:
            q = (m.quantity or 0) if m is not None else 0
            gold_q = int(row["fatalities"] or 0)
            fat_exact += q == gold_q
            fat_near += abs(q - gold_q) <= 1
        if sub != gold_sub[-1]:
            wrong.append(
                {
                    "id": row["event_id_cnty"],
                    "gold": gold_sub[-1],
                    "predicted": sub,
                    "trigger": m.trigger if m is not None else None,
                    "note": row["notes"].strip(),
                }
            )
    seconds = time.perf_counter() - t
    sub_s, ev_s = scores(gold_sub, pred_sub), scores(gold_ev, pred_ev)
    n = len(rows)
    return {
        "n": n,
        "notes_per_second": round(n / seconds, 1) if seconds else None,
        "event_type_accuracy": round(sum(g == p for g, p in zip(gold_ev, pred_ev, strict=True)) / n, 4),
        "event_type_weighted_f1": ev_s["weighted_f1"],
        "sub_event_type_accuracy": round(sum(g == p for g, p in zip(gold_sub, pred_sub, strict=True)) / n, 4),
        "sub_event_type_weighted_f1": sub_s["weighted_f1"],
        "sub_event_type_macro_f1": sub_s["macro_f1"],
        "no_mention": sum(p == "none" for p in pred_sub),
        "iran_rows": iran,
        "iran_admin1_agreement": round(iran_ok / iran, 4) if iran else None,
        "iran_placed_in_a_province": iran_placed,
        "fatalities_exact": round(fat_exact / n, 4) if fatalities else None,
        "fatalities_within_1": round(fat_near / n, 4) if fatalities else None,
        "fatalities_all_zero_baseline": round(sum(int(r["fatalities"] or 0) == 0 for r in rows) / n, 4),
        "recall_event_type": {k: v["recall"] for k, v in ev_s["per_class"].items() if v["support"]},
        "recall_sub_event_type": {k: v["recall"] for k, v in sub_s["per_class"].items() if v["support"]},
        "support_sub_event_type": {k: v["support"] for k, v in sub_s["per_class"].items() if v["support"]},
        "confusions": Counter(f"{w['gold']} -> {w['predicted']}" for w in wrong).most_common(15),
        "_wrong": wrong,
    }


def make_coder(
    codebook: Codebook,
    gazetteer: Gazetteer,
    model: str | None,
    mode: str = "hybrid",
    *,
    date_gate: bool = True,
) -> RuleCoder:
    """The rule coder of ``codebook`` with the gate it ships with (as ``ingest`` runs it: its document head
    reads English reports for their topic), and a trained model as the pipeline gives it (its ACLED
    labels read through the subtypes' ACLED names, no label map) when ``model`` is a model directory."""
    gate = make_relevance(None, codebook)
    if model is None:
        return RuleCoder(codebook, gazetteer, {}, date_gate=date_gate, relevance=gate)
    from eventledger.extract.assist import AssistSpec, ModelAssist

    assist = ModelAssist(AssistSpec(model, mode=mode), set(codebook.subtypes), codebook)
    return RuleCoder(codebook, gazetteer, {}, assist, date_gate=date_gate, relevance=gate)


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("train", "test", "all"), default="test")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N wrong predictions")
    ap.add_argument("--model", metavar="DIR", help="a trained model: add rows for rules + model")
    ap.add_argument("--codebook", default="acled", help="shipped name or path (default: acled)")
    ap.add_argument("--data", type=Path, default=DATA, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if not args.data.is_file():
        print(f"ACLED sample not found: {args.data} — nothing to evaluate (skipped).")
        return 0
    codebook = load_codebook(args.codebook)
    gazetteer = default_gazetteer()
    names = acled_names(codebook)
    provinces = province_names(gazetteer)
    fatalities = codebook.quantity_kind == "fatalities"
    rows = split_rows(load_rows(args.data), args.split)
    runs = [("rules", None, "hybrid")]
    if args.model:
        runs += [
            ("rules + model (hybrid)", args.model, "hybrid"),
            ("rules + model, filling reports without a rule mention (fill)", args.model, "fill"),
            ("model proposes (model mode)", args.model, "model"),
        ]
    results: dict[str, dict[str, Any]] = {}
    for name, model, mode in runs:
        coder = make_coder(codebook, gazetteer, model, mode)
        results[name] = evaluate(rows, coder, names, provinces, fatalities)

    OUT.mkdir(parents=True, exist_ok=True)
    report = {
        "codebook": codebook.ref,
        "split": args.split,
        "seed": SEED,
        "holdout": HOLDOUT,
        "fatalities": "mention quantity"
        if fatalities
        else "not available (the codebook's quantity is not fatalities)",
        "rows": {k: {kk: vv for kk, vv in v.items() if not kk.startswith("_")} for k, v in results.items()},
    }
    (OUT / "acled.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")

    first = next(iter(results.values()))
    print(f"codebook {codebook.ref}, {args.split} split: {first['n']} notes, {first['iran_rows']} in Iran\n")
    buf = io.StringIO()
    buf.write(
        "| coder | event type acc. / weighted F1 | sub-event weighted / macro F1 | no mention "
        "| Iran admin1 | fatalities exact / ±1 |\n|---|---:|---:|---:|---:|---:|\n"
    )
    for name, r in results.items():
        fat = (
            "n/a"
            if r["fatalities_exact"] is None
            else f"{r['fatalities_exact']:.3f} / {r['fatalities_within_1']:.3f}"
        )
        buf.write(
            f"| {name} | {r['event_type_accuracy']:.3f} / {r['event_type_weighted_f1']:.3f} "
            f"| {r['sub_event_type_weighted_f1']:.3f} / {r['sub_event_type_macro_f1']:.3f} | {r['no_mention']} "
            f"| {_pct(r['iran_admin1_agreement'])} | {fat} |\n"
        )
    print(buf.getvalue())
    print(f"(fatalities, all zero: {first['fatalities_all_zero_baseline']:.3f})\n")
    print("| sub-event type | support | " + " | ".join(f"recall, {k}" for k in results) + " |")
    print("|---|---:|" + "---:|" * len(results))
    for lab, sup in sorted(first["support_sub_event_type"].items(), key=lambda kv: -kv[1]):
        cells = " | ".join(f"{r['recall_sub_event_type'].get(lab, 0.0):.2f}" for r in results.values())
        print(f"| {lab} | {sup} | {cells} |")
    print("\n| event type | " + " | ".join(f"recall, {k}" for k in results) + " |")
    print("|---|" + "---:|" * len(results))
    for lab in sorted(first["recall_event_type"]):
        print(
            f"| {lab} | "
            + " | ".join(f"{r['recall_event_type'].get(lab, 0.0):.2f}" for r in results.values())
            + " |"
        )
    if args.errors:
        print(f"\n{min(args.errors, len(first['_wrong']))} wrong predictions (rules):")
        for w in first["_wrong"][: args.errors]:
            print(
                f"- [{w['id']}] gold {w['gold']!r}, predicted {w['predicted']!r} (trigger {w['trigger']!r}): {w['note'][:300]}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
