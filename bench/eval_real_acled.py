"""The `acled` codebook on real Persian news that nobody in this project wrote (Fars News, 2003–2021).

    python bench/eval_real_acled.py                  # dev, test and all: event P / R / F1, negatives
    python bench/eval_real_acled.py --split test     # one split only
    python bench/eval_real_acled.py --errors         # every miss and false event (with --split)
    python bench/eval_real_acled.py --json
    python bench/eval_real_acled.py --file fa-6      # one annotation file (fa-6: articles nobody read)
    python bench/eval_real_acled.py --agreement      # a second, blind annotation of 80 test documents

Truth: ``bench/real/acled/fa-*.jsonl`` (ids and labels only, annotated blind to the coder's output
following ``bench/real/GUIDE.md``, section "The `acled` codebook"; documents drawn by
``bench/real/acled/select.py``). Texts: ``../shared/data/fars-news-2003-2021``, never copied into the
repository; the script skips cleanly without them. ``fa-6`` annotates 120 articles of Iranian news
sites (2019–2020) that nobody here read while tuning; their texts are a local cache
(``python bench/fresh_extract.py irnews-unread …``, see ``eval_real.UNREAD``), skipped when absent. The documents are coded exactly as
``bench/eval_real.py`` codes the Fars News ones (same text loading and date gate), with the `acled`
codebook.

English (``--lang en``; the Persian files are the default and the figure issue 12 names): ``acled/en-1``
(dev) and ``acled/en-2`` (held out), 120 Tehran Times articles each that nobody here had read
(``python bench/fresh_extract.py tehrantimes-unread REPO bench/out/fresh/en-tehrantimes-unread-5.jsonl 5``,
and round 6), annotated blind by four annotators; the source gives no dates, so they are coded with the date
gate off, as ``bench/eval_real.py`` codes its Tehran Times files.

Split: by a hash of the document id (SHA-1, first byte even = dev), fixed, so that a document's split
never depends on which files exist; the files of unread articles go whole (``FILE_SPLIT``: fa-6, fa-8,
fa-10 and the Telegram posts fa-14, fa-15, fa-17, fa-19, fa-20, fa-21, fa-22, fa-23 dev; fa-7, fa-9, fa-11, fa-12 and the Telegram posts
fa-13, fa-16, fa-18, fa-24 test). Tune on dev only; test is measured.

Doubtful events are scored as adjudicated (``bench/real/adjudication/acled/``: a second, blind reading keeps,
corrects or drops each one); ``--as-annotated`` scores the labels as the annotators left them.

Figures (matching as eval_real.py does, per document, on sets):
- event (sub-event type, place): place = the Iranian province (ISO 3166-2), ``IR`` for Iran without a
  province, the country code abroad, ``unknown`` when none; ACLED's unit is also one day, which
  eval_real.py does not match — so a second line matches (sub-event type, place, day) one to one,
  where the annotation gives the day (``date``; an event without one matches any day);
- event type (ACLED's event type = the codebook's category, place);
- the share of negative documents (no event in the truth) for which the coder produced any event.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from eval_real import SHARED, Score, coder_for, coder_variant, load_annotations, load_texts, place_key, to_doc

from eventledger.extract.assist import AssistSpec
from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.pipeline import make_assist, make_relevance
from eventledger.records import Mention

ROOT = Path(__file__).resolve().parents[1]
ANNOTATIONS = ROOT / "bench" / "real" / "acled"
# the second, blind reading of the doubtful events (keep, correct, drop), as for political-action
ADJUDICATION = ROOT / "bench" / "real" / "adjudication" / "acled"
# a second annotator's labels of a sample of the test documents, blind to the first and to the coder
AGREEMENT = ROOT / "bench" / "real" / "agreement" / "acled"
SPLITS = ("dev", "test")


# files of articles nobody here had read (eval_real.UNREAD): fa-6, fa-8 and fa-10 are read (dev) as a
# whole after their first measurement, fa-7, fa-9, fa-11 and fa-12 (sixth session) are held out as a whole
FILE_SPLIT = {
    "fa-6": "dev",
    "fa-7": "test",
    "fa-8": "dev",
    "fa-9": "test",
    "fa-10": "dev",
    "fa-11": "test",
    "fa-12": "test",
    # Telegram posts of 2026 (eval_real.UNREAD "telegram-2026-unread", seventh session): round 1 held out,
    # rounds 2 and 3 read
    "fa-13": "test",
    "fa-14": "dev",
    "fa-15": "dev",
    "fa-16": "test",
    # English (eighteenth round of annotation, 2026-12-06): Tehran Times articles nobody here had read
    # (bench/fresh_extract.py tehrantimes-unread rounds 5 and 6), en-1 read as dev, en-2 held out
    "en-1": "dev",
    "en-2": "test",
    # round 7 (nineteenth session), annotated blind after the session's changes: held out
    "en-3": "test",
    # Telegram round 5 (twentieth session), annotated blind at the session's start: held out, read as dev
    # from the twenty-first session on (after its measurement at the start and the end of the twentieth)
    "fa-17": "dev",
    # IR-News round 8 and Telegram round 6 (twenty-first session), annotated blind during the session, measured at
    # its end: held out
    "fa-18": "test",
    # Telegram round 7 (twenty-second session), annotated blind during the session, measured at its end: held out
    # then, read as dev from the twenty-third session on
    "fa-19": "dev",
    # Telegram round 8 (twenty-third session), annotated blind at the session's start: held out, measured at its start
    # and end, read as dev from the twenty-fourth session on
    "fa-20": "dev",
    # Telegram round 9 (twenty-fourth session), annotated blind at the session's start: held out, measured at its end,
    # read as dev from the twenty-fifth session on
    "fa-21": "dev",
    # Telegram round 10 (twenty-fifth session), annotated blind at the session's start: held out, measured at its start
    # and end, read as dev from the twenty-sixth session on
    "fa-22": "dev",
    # Telegram round 11 (twenty-sixth session), annotated blind at the session's start: held out, measured at its start
    # and end, read as dev from the twenty-seventh session on
    "fa-23": "dev",
    # Telegram round 12 (twenty-seventh session), annotated blind at the session's start: held out
    "fa-24": "test",
}


def split_of(doc_id: str, file: str | None = None) -> str:
    if file in FILE_SPLIT:
        return FILE_SPLIT[file]
    return "dev" if hashlib.sha1(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "test"


@dataclass
class Result:
    docs: int = 0
    negatives: int = 0
    negatives_with_events: int = 0
    truth_events: int = 0
    event: Score = field(default_factory=Score)
    event_day: Score = field(default_factory=Score)
    event_type: Score = field(default_factory=Score)
    by_subtype: dict[str, Score] = field(default_factory=dict)
    errors: list[tuple[str, set[Any], set[Any], list[Mention], dict[str, Any]]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "documents": self.docs,
            "truth_events": self.truth_events,
            "negatives": self.negatives,
            "negatives_with_events": self.negatives_with_events,
            "negative_share_with_events": round(self.negatives_with_events / self.negatives, 3)
            if self.negatives else 0.0,
            "event": self.event.figures(),
            "event_with_day": self.event_day.figures(),
            "event_type": self.event_type.figures(),
            "by_subtype": {k: s.figures() for k, s in sorted(self.by_subtype.items())},
        }  # fmt: skip


def load_split(
    split: str = "all", *, adjudicated: bool = True, lang: str | None = "fa"
) -> list[dict[str, Any]]:
    """The `acled` annotations of one split ("dev", "test" or "all") in one language (None: every
    language), adjudicated unless told otherwise."""
    return [
        a
        for a in load_annotations(ANNOTATIONS, adjudicated=adjudicated, adjudication=ADJUDICATION)
        if (split == "all" or split_of(a["id"], a["file"]) == split) and lang in (None, a.get("lang") or "fa")
    ]


def _match_days(
    ours: set[tuple[str, str, str]], truth: list[tuple[str, str, str | None]]
) -> tuple[int, int, int]:
    """One-to-one matching on (subtype, place, day); a truth event without a day matches any day."""
    left = set(ours)
    tp = 0
    # dated truth first, so that an undated one does not take the only mention a dated one could match
    for st, pl, day in sorted(truth, key=lambda t: t[2] is None):
        hit = next(
            (o for o in sorted(left) if o[0] == st and o[1] == pl and (day is None or o[2] == day)), None
        )
        if hit is not None:
            left.discard(hit)
            tp += 1
    return tp, len(left), len(truth) - tp


def _events(a: dict[str, Any]) -> set[tuple[str, str]]:
    """A document's annotated events as (sub-event type, place) keys."""
    return {(e["subtype"], e.get("place") or "unknown") for e in a["events"]}


def evaluate(coder: RuleCoder, annotations: list[dict[str, Any]], texts: dict[str, dict[str, Any]]) -> Result:
    res = Result()
    category_of = {s.id: s.category for s in coder.codebook.subtypes.values()}
    # sources without publication dates (the Tehran Times articles): no date gate, as eval_real.py codes them
    undated = coder_variant(coder, date_gate=False, year_gate=False)
    yearly = coder_variant(coder, date_gate=False, year_gate=True)
    for a in annotations:
        rec = texts.get(a["id"])
        if rec is None:
            continue
        use = coder_for(rec, coder, undated=undated, yearly=yearly)
        mentions = use.code(to_doc(rec, a.get("lang") or "fa"))
        res.docs += 1
        res.truth_events += len(a["events"])
        truth = _events(a)
        ours = {(m.subtype, place_key(m)) for m in mentions}
        res.event.add(ours, truth)
        res.event_type.add(
            {(category_of.get(s, s), p) for s, p in ours}, {(category_of.get(s, s), p) for s, p in truth}
        )
        for st in {s for s, _ in ours | truth}:
            res.by_subtype.setdefault(st, Score()).add(
                {k for k in ours if k[0] == st}, {k for k in truth if k[0] == st}
            )
        # one event per sub-event type x place x day (ACLED's unit), days where the annotation gives one
        truth_days = sorted({(e["subtype"], e.get("place") or "unknown", e.get("date")) for e in a["events"]},
                            key=str)  # fmt: skip
        ours_days = {(m.subtype, place_key(m), m.date.isoformat()) for m in mentions}
        tp, fp, fn = _match_days(ours_days, truth_days)
        res.event_day.tp += tp
        res.event_day.fp += fp
        res.event_day.fn += fn
        if not truth:
            res.negatives += 1
            res.negatives_with_events += bool(ours)
        if ours != truth:
            res.errors.append((a["id"], ours, truth, mentions, a))
    return res


def agreement(coder: RuleCoder, texts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each second annotation (``AGREEMENT/*.jsonl``) against the first as annotated and as adjudicated,
    and the coder against both, on the same documents: how far people agree is the ceiling of the task."""
    out: dict[str, Any] = {}
    raw = {a["id"]: a for a in load_split(adjudicated=False)}
    adjudicated = {a["id"]: a for a in load_split()}
    category_of = {s.id: s.category for s in coder.codebook.subtypes.values()}
    for path in sorted(AGREEMENT.glob("*.jsonl")):
        second = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
        second = [b for b in second if b["id"] in raw and b["id"] in texts]
        people, people_adj, people_type, ours_b = Score(), Score(), Score(), Score()
        docs_agree = 0
        for b in second:
            ta, tb = _events(raw[b["id"]]), _events(b)
            people.add(tb, ta)
            people_adj.add(tb, _events(adjudicated[b["id"]]))
            people_type.add(
                {(category_of.get(s, s), p) for s, p in tb}, {(category_of.get(s, s), p) for s, p in ta}
            )
            docs_agree += bool(ta) == bool(tb)
            mentions = coder.code(to_doc(texts[b["id"]], b.get("lang") or "fa"))
            ours_b.add({(m.subtype, place_key(m)) for m in mentions}, tb)
        first = evaluate(coder, [adjudicated[b["id"]] for b in second], texts)
        out[path.stem] = {
            "documents": len(second),
            "second_vs_first_event": people.figures(),
            "second_vs_first_adjudicated_event": people_adj.figures(),
            "second_vs_first_event_type": people_type.figures(),
            "documents_event_or_not_agreement": round(docs_agree / len(second), 3) if second else None,
            "coder_vs_first_adjudicated_event": first.event.figures(),
            "coder_vs_second_event": ours_b.figures(),
        }
    return out


def _print(name: str, r: Result) -> None:
    j = r.as_json()
    e, d, t = j["event"], j["event_with_day"], j["event_type"]
    print(
        f"{name}: {j['documents']} documents, {j['truth_events']} annotated events, {j['negatives']} negative"
    )
    print(f"  event (sub-event type, place)       P {e['precision']:.3f}  R {e['recall']:.3f}  F1 {e['f1']:.3f}"
          f"  (tp {e['tp']}, fp {e['fp']}, fn {e['fn']})")  # fmt: skip
    print(f"  event (sub-event type, place, day)  P {d['precision']:.3f}  R {d['recall']:.3f}  F1 {d['f1']:.3f}"
          f"  (tp {d['tp']}, fp {d['fp']}, fn {d['fn']})")  # fmt: skip
    print(
        f"  event type (ACLED type, place)      P {t['precision']:.3f}  R {t['recall']:.3f}  F1 {t['f1']:.3f}"
    )
    print(f"  negatives with events               {j['negatives_with_events']}/{j['negatives']}"
          f" = {j['negative_share_with_events']:.3f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "--split", choices=("all", *SPLITS), default=None, help="one split (default: dev, test, all)"
    )
    ap.add_argument("--errors", action="store_true", help="print every document where the coder differs")
    ap.add_argument("--subtypes", action="store_true", help="figures per sub-event type")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--file", help="only the documents of one annotation file (e.g. fa-6)")
    ap.add_argument(
        "--lang", choices=("fa", "en"), default="fa",
        help="the documents of one language (default: Persian, the figure issue 12 names; en: Tehran Times)",
    )  # fmt: skip
    ap.add_argument("--codebook", default="acled", help="shipped name or path (default: acled)")
    ap.add_argument(
        "--model", metavar="DIR", help="a trained model (eventledger model train) beside the rules"
    )
    ap.add_argument(
        "--coder",
        choices=("hybrid", "fill", "model"),
        default="fill",
        help="how the --model assists the rules (as `eventledger ingest --coder`; default: fill)",
    )
    ap.add_argument("--threshold", type=float, default=0.6, help="the model's own proposals: lowest score")
    ap.add_argument(
        "--agreement",
        action="store_true",
        help="a second annotator against the first, and the coder against both",
    )
    ap.add_argument(
        "--as-annotated",
        action="store_true",
        help="the doubtful events as the annotators left them, not as adjudicated (bench/real/adjudication/acled)",
    )
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found", file=sys.stderr)
        return 0
    texts = load_texts()
    codebook = load_codebook(args.codebook)
    assist = None
    if args.model:
        spec = AssistSpec(str(args.model), mode=args.coder, threshold=args.threshold)
        assist = make_assist(spec, codebook)
    coder = RuleCoder(codebook, default_gazetteer(), assist=assist, relevance=make_relevance(None, codebook))
    if args.agreement:
        agreed = agreement(coder, texts)
        if args.json:
            print(json.dumps(agreed, indent=2))
            return 0
        for name, v in agreed.items():
            print(f"agreement {name}: {v['documents']} documents (event = sub-event type × place)")
            for key, label in (
                ("second_vs_first_event", "second annotator vs first, as annotated"),
                ("second_vs_first_adjudicated_event", "second annotator vs first, adjudicated"),
                ("second_vs_first_event_type", "  the same on ACLED's event type × place"),
                ("coder_vs_first_adjudicated_event", "coder vs first, adjudicated"),
                ("coder_vs_second_event", "coder vs second"),
            ):
                f = v[key]
                print(f"  {label:42s} P {f['precision']:.3f}  R {f['recall']:.3f}  F1 {f['f1']:.3f}"
                      f"  (tp {f['tp']}, fp {f['fp']}, fn {f['fn']})")  # fmt: skip
            print(f"  event-or-not per document                  {v['documents_event_or_not_agreement']:.3f}")
        return 0
    annotations = [
        a
        for a in load_split(adjudicated=not args.as_annotated, lang=args.lang)
        if args.file in (None, a["file"])
    ]
    splits = [args.split] if args.split else [*SPLITS, "all"]
    results = {
        s: evaluate(coder, [a for a in annotations if s == "all" or split_of(a["id"], a["file"]) == s], texts)
        for s in splits
    }
    if args.json:
        print(json.dumps({s: r.as_json() for s, r in results.items()}, indent=2, ensure_ascii=False))
        return 0
    print(f"codebook {coder.codebook.id}@{coder.codebook.version}, {args.lang}")
    for s, r in results.items():
        _print(s, r)
        if args.subtypes:
            for st, f in r.as_json()["by_subtype"].items():
                print(
                    f"    {st:36s} P {f['precision']:.2f} R {f['recall']:.2f} (tp {f['tp']} fp {f['fp']} fn {f['fn']})"
                )
    if args.errors:
        r = results[splits[0]] if args.split else results["all"]
        for rid, ours, truth, mentions, a in r.errors:
            print("-" * 100)
            rec = texts[rid]
            print(rid, rec.get("section"), (rec.get("published") or "")[:10], split_of(rid, a["file"]))
            print("   missed:", sorted(truth - ours) or "-", "| false:", sorted(ours - truth) or "-")
            for e in a["events"]:
                print(f"   truth {e['subtype']} {e['place']} {e.get('date', '')} {'(doubt) ' if e.get('doubt') else ''}"
                      f"{e.get('note', '')}")  # fmt: skip
            for m in mentions:
                print(f"   ours  {m.subtype} {place_key(m)} {m.date} trig={m.trigger!r} place={m.place_text!r} "
                      f"flags={m.flags}\n         {m.sentence[:240]!r}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
