"""The coder against the hand-labelled sentences of bench/real/sentences (documents outside the evaluation set).

    python bench/eval_sentences.py [--lang fa|en] [--errors] [--gate-model DIR]

Each labelled sentence (GUIDE.md, "Sentence labels") is compared with the categories of the mentions
the rule coder makes *from that sentence* when it codes the whole document: sentence-level precision,
recall and F1 on (sentence, category), the same with the place, and the labelled reasons of the
sentences coded by mistake (negated, plan, history, accident, state, …). A larger, fresher sample of
real sentences than the document-level set of bench/eval_real.py, which stays the figure of record.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(Path(__file__).resolve().parent / "real"))  # after the stdlib: real/select.py

from eval_real import SHARED, UNDATED, load_texts, place_key, to_doc
from sentence_pool import load_labels, sentence_key

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer


def coded_by_sentence(coder: RuleCoder, rec: dict[str, Any], lang: str) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for m in coder.code(to_doc(rec, lang)):
        out.setdefault(sentence_key(m.sentence.strip()), []).append(m)
    return out


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lang", choices=("fa", "en"))
    ap.add_argument("--errors", action="store_true", help="print the sentences coded wrongly or missed")
    ap.add_argument("--gate-model", help="a trained gate (bench/train_gate.py) to apply after the rules")
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found", file=sys.stderr)
        return 0
    relevance = None
    if args.gate_model:
        from eventledger.learn.relevance import RelevanceModel

        relevance = RelevanceModel.load(Path(args.gate_model))
    texts = load_texts()
    labels = load_labels()
    codebook, gaz = load_codebook("political-action"), default_gazetteer()
    coders = {
        dated: RuleCoder(codebook, gaz, relevance=relevance, date_gate=dated, year_gate=True)
        for dated in (True, False)
    }
    tally: dict[str, Counter[str]] = {}
    wrong: dict[str, Counter[str]] = {}
    for rid, keyed in sorted(labels.items()):
        rec = texts.get(rid)
        if rec is None:
            continue
        lang = "fa" if rec["corpus"].startswith("fars") else "en"
        if args.lang and lang != args.lang:
            continue
        coded = coded_by_sentence(coders[rec["corpus"] not in UNDATED], rec, lang)
        t = tally.setdefault(lang, Counter())
        w = wrong.setdefault(lang, Counter())
        for key, r in keyed.items():
            truth = set(r["acts"])
            ms = coded.get(key, [])
            ours = {m.category for m in ms}
            places = {m.category: place_key(m) for m in ms}
            t["sentences"] += 1
            t["labelled_acts"] += len(truth)
            t["tp"] += len(ours & truth)
            t["fp"] += len(ours - truth)
            t["fn"] += len(truth - ours)
            for c in ours & truth:
                t["tp_place"] += places[c] == r.get("place", "unknown")
            if ours and not truth:
                w[r.get("reason", "?")] += 1
            if args.errors and ours != truth:
                text = to_doc(rec, lang).text
                sent = next((m.sentence for m in ms), None) or _find(text, key)
                print(f"{rid} {r['key']} ours={sorted(ours)} {sorted(places.items())} truth={sorted(truth)} "
                      f"{r.get('place') or r.get('reason')}{' (doubt)' if r.get('doubt') else ''}\n    {sent}")  # fmt: skip
    for lang, t in sorted(tally.items()):
        p = t["tp"] / max(1, t["tp"] + t["fp"])
        rc = t["tp"] / max(1, t["tp"] + t["fn"])
        f1 = 2 * p * rc / max(1e-9, p + rc)
        pp = t["tp_place"] / max(1, t["tp"] + t["fp"])
        rp = t["tp_place"] / max(1, t["tp"] + t["fn"])
        print(f"{lang}: {t['sentences']} labelled sentences, {t['labelled_acts']} acts")
        print(
            f"  (sentence, category)        P {p:.3f}  R {rc:.3f}  F1 {f1:.3f}  (tp {t['tp']}, fp {t['fp']}, fn {t['fn']})"
        )
        print(f"  (sentence, category, place) P {pp:.3f}  R {rp:.3f}")
        print(f"  coded though not an act, by labelled reason: {dict(wrong[lang].most_common())}")
    return 0


def _find(text: str, key: str) -> str:
    from eventledger.extract.sentences import sentence_spans

    for a, b in sorted({*sentence_spans(text), *sentence_spans(text, wrapped=False)}):
        if sentence_key(text[a:b].strip()) == key:
            return text[a:b].strip()
    return "?"


if __name__ == "__main__":
    sys.exit(main())
