"""The coder against hand-labelled PEYMA sentences (Persian news of ten outlets other than Fars News)
and ParsTwiNER tweets (``--corpus parstwiner``: Persian tweets, each read alone; labels-1 dev,
labels-2 held out, in ``bench/real/parstwiner/``).

    python bench/eval_peyma.py                 # figures, held-out labels (labels-3, labels-4)
    python bench/eval_peyma.py --split dev     # the labels rules may be tuned on (labels-1, labels-2)
    python bench/eval_peyma.py --split all --errors

Truth: ``bench/real/peyma/labels-*.jsonl`` — every PEYMA sentence (Shahshahani et al. 2018,
``../shared/data/persian-ner/peyma``) that holds broad conflict vocabulary (1,036 sentences,
``bench/real/peyma_pool.py``), labelled blind to the coder's output following ``bench/real/GUIDE.md``
("Sentence labels"). The texts stay in ../shared; the script skips cleanly without them.

Each labelled sentence is coded as a report made of it and the two sentences before and after it
(what the annotators saw; PEYMA keeps no dates: the coder runs without its publication-date gate,
as for CASE). The mentions whose sentence is the labelled one are compared with its labels:
precision / recall / F1 on (sentence, category) and on (sentence, category, place), and the labelled
reasons of the sentences coded by mistake. A report keeps one mention per act, in the first sentence
that names it: a labelled act is also found when the coder put a mention of that category in a
neighbouring sentence that the annotators labelled with it too (the same act told twice).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.append(str(HERE / "real"))

from eval_real import place_key, read_label_files  # noqa: E402
from peyma_pool import CORPORA, SPLITS, read_sentences  # noqa: E402

from eventledger.extract.codebook import load_codebook  # noqa: E402
from eventledger.extract.coder import RuleCoder  # noqa: E402
from eventledger.geocode.gazetteer import default_gazetteer  # noqa: E402
from eventledger.normalize.document import to_document  # noqa: E402
from eventledger.records import Document, Mention, RawReport  # noqa: E402

# the label files rules may be tuned on, and the sentences before and after (what annotators saw)
DEV = {"peyma": frozenset({"labels-1", "labels-2"}), "parstwiner": frozenset({"labels-1"})}
CONTEXT = {"peyma": 2, "parstwiner": 0}
NO_DATE = dt.datetime(2016, 1, 1, 12, tzinfo=dt.UTC)


def load_labels(split: str, corpus: str = "peyma") -> list[dict[str, Any]]:
    paths = sorted((HERE / "real" / corpus).glob("labels-*.jsonl"))
    dev = DEV[corpus]
    return read_label_files([p for p in paths if split == "all" or (p.stem in dev) == (split == "dev")])


def places_of(label: dict[str, Any]) -> set[str]:
    if label.get("places"):
        return set(label["places"])
    return {label.get("place") or "unknown"}


def coded(
    coder: RuleCoder, sents: list[str], i: int, context: int = 2
) -> tuple[dict[int, list[Mention]], list[Mention], str]:
    """Sentence ``i`` coded with its neighbours: the mentions by sentence index, the candidates
    dropped in sentence ``i``, and its text."""
    first = max(0, i - context)
    lines = sents[first : i + context + 1]
    raw = RawReport(
        text="\n".join(lines), origin=f"peyma-{i}", external_id=f"peyma-{i}", url=None,
        outlet="PEYMA", published=NO_DATE, lang="fa", title=None,
    )  # fmt: skip
    doc = to_document(raw)
    assert isinstance(doc, Document), doc
    starts = [0] + [k + 1 for k, ch in enumerate(doc.text) if ch == "\n"]
    kept, dropped = coder.code_with_dropped(doc)
    by_line: dict[int, list[Mention]] = {}
    for m in kept:
        if m.field == "text":
            by_line.setdefault(first + bisect.bisect_right(starts, m.sent_start) - 1, []).append(m)
    line = i - first
    lo, hi = starts[line], (starts[line + 1] - 1 if line + 1 < len(starts) else len(doc.text))
    return by_line, [m for m in dropped if m.field == "text" and lo <= m.sent_start < hi], doc.text[lo:hi]


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", choices=sorted(CONTEXT), default="peyma")
    ap.add_argument("--split", choices=("dev", "test", "all"), default="test")
    ap.add_argument("--errors", action="store_true", help="print the sentences coded wrongly or missed")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    folder = CORPORA[args.corpus][0]
    if not folder.is_dir():
        print(f"skipped: {folder} not found", file=sys.stderr)
        return 0
    labels = load_labels(args.split, args.corpus)
    every = {r["id"]: set(r["acts"]) for r in load_labels("all", args.corpus)}
    sentences = {split: read_sentences(split, args.corpus) for split in SPLITS}
    coder = RuleCoder(load_codebook("political-action"), default_gazetteer(), date_gate=False, year_gate=True)
    t: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    by_cat: dict[str, Counter[str]] = {}
    for r in labels:
        _, split, idx = r["id"].split("-")
        by_line, dropped, sent = coded(coder, sentences[split], int(idx), CONTEXT[args.corpus])
        truth = set(r["acts"])
        ms = by_line.get(int(idx), [])
        # the same act, kept in a neighbour that the annotators labelled with it too
        told = [m for k, got in by_line.items() if k != int(idx)
                for m in got if m.category in truth and m.category in every.get(f"{args.corpus}-{split}-{k}", ())]  # fmt: skip
        ours = {m.category for m in ms} | {m.category for m in told}
        truth_places = places_of(r)
        t["sentences"] += 1
        t["acts"] += len(truth)
        t["tp"] += len(ours & truth)
        t["fp"] += len(ours - truth)
        t["fn"] += len(truth - ours)
        for c in ours & truth:
            t["tp_place"] += any(place_key(m) in truth_places for m in ms + told if m.category == c)
        for c in ours | truth:
            b = by_cat.setdefault(c, Counter())
            b["tp"] += c in ours and c in truth
            b["fp"] += c in ours and c not in truth
            b["fn"] += c in truth and c not in ours
        if ours and not truth:
            wrong[r.get("reason", "?")] += 1
        if args.errors and ours != truth:
            got = sorted({(m.category, place_key(m), m.trigger) for m in ms + told})
            want = sorted(truth_places) if truth else r.get("reason")
            print(f"{r['id']} ours={got} truth={sorted(truth)} {want}{' (doubt)' if r.get('doubt') else ''}"
                  f"{' — ' + r['note'] if r.get('note') else ''}\n    {sent}")  # fmt: skip
            for m in dropped:
                print(f"    dropped {m.category} {m.trigger!r} {','.join(m.flags)}")
    p = t["tp"] / max(1, t["tp"] + t["fp"])
    rc = t["tp"] / max(1, t["tp"] + t["fn"])
    f1 = 2 * p * rc / max(1e-9, p + rc)
    pp = t["tp_place"] / max(1, t["tp"] + t["fp"])
    rp = t["tp_place"] / max(1, t["tp"] + t["fn"])
    fig = {"split": args.split, "sentences": t["sentences"], "acts": t["acts"], "precision": round(p, 3),
           "recall": round(rc, 3), "f1": round(f1, 3), "place_precision": round(pp, 3),
           "place_recall": round(rp, 3), "tp": t["tp"], "fp": t["fp"], "fn": t["fn"],
           "coded_though_not_an_act": dict(wrong.most_common())}  # fmt: skip
    if args.json:
        print(json.dumps(fig, indent=2))
        return 0
    print(f"fa ({args.corpus}, {args.split}): {t['sentences']} labelled sentences, {t['acts']} acts")
    print(
        f"  (sentence, category)        P {p:.3f}  R {rc:.3f}  F1 {f1:.3f}  (tp {t['tp']}, fp {t['fp']}, fn {t['fn']})"
    )
    print(f"  (sentence, category, place) P {pp:.3f}  R {rp:.3f}")
    for c, b in sorted(by_cat.items()):
        print(f"    {c:<11} tp {b['tp']} fp {b['fp']} fn {b['fn']}")
    print(f"  coded though not an act, by labelled reason: {dict(wrong.most_common())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
