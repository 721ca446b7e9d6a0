"""Every figure of the README's classifier table, with one command.

    python bench/bench_model.py            # needs ../shared/data (ACLED sample, CASE 2021 dev half, CEHA)

1. ACLED sub-event types: trained on ../shared/data/acled-2022-sample notes only (plus the shipped
   paraphrased ACLED type descriptions), scored on a fixed stratified 20 % held-out split (seed 13)
   and on the CASE 2021 dev half, subtask 1 rows (the 25 ACLED types, codes mapped to ACLED names).
   A plain TF-IDF + linear SVM on all notes (no rebalancing, no descriptions) is the baseline.
2. Speed: snippets/s of the trained model on CASE snippets (warm, one process, this machine).
3. Persian: the same model on tests/data/persian-acled (75 Persian snippets and their 75 English
   counterparts, written for the tests): the multilingual head against the English path.
4. Relevance: a classifier trained on CEHA train+dev ("Is the event relevant?"), scored on CEHA test.
Writes bench/out/model.json and prints a Markdown table.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from eventledger.learn.data import read_table
from eventledger.learn.model import TextModel
from eventledger.learn.train import evaluate, train_to_dir

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out"


def main() -> int:
    if not SHARED.exists():
        print(f"reference data not found: {SHARED}")
        return 1
    OUT.mkdir(exist_ok=True)
    rows: list[tuple[str, str, str]] = []
    tmp = Path(tempfile.mkdtemp())
    acled = tmp / "acled.csv"
    acled.write_bytes(
        gzip.decompress((SHARED / "acled-2022-sample" / "acled_2022_9000_events.csv.gz").read_bytes())
    )
    notes = read_table(acled, "notes", "sub_event_type")
    case = read_table(SHARED / "case2021-dev" / "case2021_task2_dev_half.tsv", "EventSnippet", "SubType")

    train_to_dir(notes, tmp / "baseline", cap_per_class=None, multilingual=False)
    base_case = evaluate(tmp / "baseline", case, "case2021-to-acled", only_mapped=True)
    t = time.perf_counter()
    res = train_to_dir(notes, tmp / "acled", definitions="acled-subtypes")
    train_s = time.perf_counter() - t
    ev = evaluate(tmp / "acled", case, "case2021-to-acled", only_mapped=True)
    h = res["held_out"]
    rows += [
        (
            "ACLED held-out split (20 %, seed 13), weighted / macro F1",
            f"{h['weighted_f1']:.3f} / {h['macro_f1']:.3f}",
            f"{h['n']} notes",
        ),
        (
            "CASE 2021 dev half, subtask 1: weighted / macro / micro F1",
            f"{ev['weighted_f1']:.3f} / {ev['macro_f1']:.3f} / {ev['micro_f1']:.3f}",
            f"{ev['n']} snippets",
        ),
        (
            "CASE 2021 dev half, baseline TF-IDF + SVM: weighted / macro F1",
            f"{base_case['weighted_f1']:.3f} / {base_case['macro_f1']:.3f}",
            "same rows",
        ),
    ]
    model = TextModel.load(tmp / "acled")
    snippets = case.texts * 10
    model.predict(snippets[:50])
    t = time.perf_counter()
    model.predict(snippets)
    speed = len(snippets) / (time.perf_counter() - t)
    rows.append(
        ("speed, English snippets/s (one process, warm)", f"{speed:,.0f}", f"{len(snippets)} CASE snippets")
    )

    persian = ROOT / "tests" / "data" / "persian-acled" / "snippets.tsv"
    for lang, name in (("en", "English"), ("fa", "Persian")):
        t = read_table(persian, "text", "label", where={"lang": {lang}})
        e = evaluate(tmp / "acled", t)
        rows.append(
            (
                f"written test snippets, {name}: weighted F1 (snippets/s)",
                f"{e['weighted_f1']:.3f} ({e['snippets_per_second']:,.0f}/s)",
                f"{e['n']} snippets",
            )
        )

    ceha = SHARED / "ceha" / "CEHA_dataset.csv"
    tr = read_table(
        ceha, "Event Description", "Is the event relevant?", where={"train_dev_test_split": {"train", "dev"}}
    )
    train_to_dir(tr, tmp / "relevance", cap_per_class=None, holdout=0.0, multilingual=False)
    te = read_table(
        ceha, "Event Description", "Is the event relevant?", where={"train_dev_test_split": {"test"}}
    )
    rel = evaluate(tmp / "relevance", te)
    rows.append(
        (
            "CEHA test, relevance: F1 of 'relevant' / macro F1",
            f"{rel['per_class']['Yes']['f1']:.3f} / {rel['macro_f1']:.3f}",
            f"{rel['n']} reports",
        )
    )

    machine = f"{os.cpu_count()} cores"
    (OUT / "model.json").write_text(
        json.dumps({"machine": machine, "train_seconds": round(train_s, 1), "rows": rows}, indent=2)
    )
    print(f"machine: {machine}; training took {train_s:.0f} s\n")
    print("| figure | value | data |\n|---|---:|---|")
    for fig, val, data in rows:
        print(f"| {fig} | {val} | {data} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
