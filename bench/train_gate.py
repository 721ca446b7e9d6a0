"""Train the act-or-not gate (eventledger.learn.relevance) and measure it on the real-text set.

    python bench/train_gate.py                      # n-gram heads for English and Persian
    python bench/train_gate.py --fa-head all        # also the e5 head for Persian (slow: minutes)
    python bench/train_gate.py --out bench/out/gate --e5-per-class 200
    python bench/train_gate.py --hashed --ship    # the shipped gate of political-action
    python bench/train_gate.py --hashed --codebook acled --c 16 --ship --ship-langs fa   # acled's

Training sentences come from ``../shared/data`` only, never from a document of the evaluation set
(every id in ``bench/real/annotations/*.jsonl`` is left out), and nothing is copied into the
repository:

- English positives: the first sentence of ACLED notes of acts (battles, explosions other than air,
  drone and artillery strikes, protests, riots, violence against civilians; the leading date
  dropped), CEHA rows labelled relevant; negatives: ACLED strategic developments that are not acts
  (arrests, agreements, disrupted weapons use, …), CEHA rows not relevant because not conflict or a
  summary of many situations, and every sentence where the rules find a trigger in BBC sport,
  business, tech and entertainment articles;
- Persian (weak labels): negatives = trigger sentences of Fars News sports, economy, culture,
  arts, science and magazine sections; positives = sentences of the world, politics, province and
  provincial sections that the rules code, with a past-tense verb;
- both languages: candidates the rules drop as negated, intent, future, history, figurative or
  generic are negatives;
- first of all (their label wins over any other): the hand-labelled sentences of
  ``bench/real/sentences`` (GUIDE.md, "Sentence labels"; documents outside the evaluation set), an act
  or not; ``--no-weak`` leaves out the weak news labels above, ``--no-labelled`` the hand labels.

The `acled` gate (``--codebook acled``) learns from the hand-labelled Persian sentences alone, a
sentence labelled ``state`` (an air strike, an arrest told as done) being an act for it, and leaves
out the documents of both evaluation sets; it is scored with bench/eval_real_acled.py's evaluation.

Then the gate is scored with bench/eval_real.py's own evaluation at several thresholds, on the dev
files (threshold chosen there, per language) and the test files; the table goes to stdout and to
``<out>/report.json``, the model (with the chosen cuts) to ``<out>/model``.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.append(str(Path(__file__).resolve().parent / "real"))  # after the stdlib: real/select.py

import eval_real
from eval_real import ANNOTATIONS, FRESH, SHARED, load_annotations, load_fresh, load_texts, to_doc

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.learn.relevance import GateParams, RelevanceModel, train_relevance

ROOT = Path(__file__).resolve().parents[1]
THRESHOLDS = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
MODELS = ROOT / "src" / "eventledger" / "data" / "models"
SHIPPED_GATE = MODELS / "gate-political-action"
CODEBOOKS = ("political-action", "acled")
# the `acled` codebook counts state action too: a sentence labelled "state" (an air strike, an arrest,
# an execution told as done) reports one of its acts; every other reason is not an act for it either
ACLED_ACT_REASONS = frozenset({"state"})

ACLED_ACTS = {
    "Armed clash", "Government regains territory", "Non-state actor overtakes territory", "Grenade",
    "Remote explosive/landmine/IED", "Suicide bomb", "Excessive force against protesters",
    "Peaceful protest", "Protest with intervention", "Mob violence", "Violent demonstration",
    "Looting/property destruction", "Abduction/forced disappearance", "Attack", "Sexual violence",
}  # fmt: skip
ACLED_NOT_ACTS = {"Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use",
                  "Non-violent transfer of territory", "Other"}  # fmt: skip
ACLED_PER_SUBTYPE = 250
BBC_NEGATIVE = {"sport", "business", "tech", "entertainment"}
FARS_NEGATIVE = {"sports", "economy", "culture", "arts-media", "scientific-academic", "farsplus-magazine"}
FARS_NEWS = {"world", "politics", "province", "social", "regional-offices", "foreign-policy"}
FARS_NOT_PROVINCES = FARS_NEGATIVE | FARS_NEWS | {"viewpoint", "other-media", "education", "multimedia",
                                                   "myfars", "last-clay", ""}  # fmt: skip
NOT_ACT_REASONS = {"negated", "intent", "future", "history", "figurative", "generic"}
# a Persian past-tense verb (simple past, present perfect, passive): «کردند», «زده‌اند», «شد»
FA_PAST = re.compile(
    r"(?<![\w\u200c])(?:کرد|کردند|شد|شدند|زد|زدند|داد|دادند|گرفت|گرفتند|کشت|کشتند|انداخت|انداختند|"
    r"ربودند|سوزاندند|پرداختند|آمدند|رفتند|نمودند|نمود)(?![\w\u200c])|[\w]ه[\u200c ](?:است|اند)(?![\w\u200c])"
)
# conflict vocabulary, and what makes a sentence a plan, a denial, a warning or history («خواهد», «نشد», «تکذیب»)
FA_CONFLICT = re.compile(
    r"انفجار|منفجر|بمب|حمله|حملات|تیراندازی|شلیک|تظاهرات|تجمع|راهپیمایی|درگیری|انتحاری|ترور|به آتش|"
    r"خمپاره|راکت|کشته|زخمی|ربود|گروگان|اعتصاب|اعتراض|شعار|هک|آشوب|اغتشاش"
)
FA_NOT_ACT = re.compile(
    r"خواهد|خواهند|(?<![\w\u200c])ن(?:کرد|شد|زد|داد)|تکذیب|قرار است|باید|درصدد|تهدید|هشدار|سالگرد|"
    r"در سال|سال‌های|محکوم|می‌تواند|اگر|چنانچه|آیا|برای جلوگیری|خنثی"
)
FA_LEXICON_CAP = 1500
_LEAD_DATE = re.compile(r"^\s*(?:On|Between|Around|During|From|Overnight on)[^,]{0,60}\d{4},\s*", re.I)
_TAGS = re.compile(r"\[[^\]]{0,80}\]")


def first_sentence(text: str) -> str:
    from eventledger.extract.sentences import sentence_spans

    text = _TAGS.sub(" ", text).strip()
    spans = sentence_spans(text)
    s = text[spans[0][0] : spans[0][1]] if spans else text
    s = _LEAD_DATE.sub("", s)
    return s[:1].upper() + s[1:]


def annotated_ids() -> set[str]:
    return {a["id"] for a in load_annotations(ANNOTATIONS, "all")}


def acled_rows(exclude: set[str], seed: int) -> Iterator[tuple[str, int, str, str]]:
    by: dict[tuple[int, str], list[str]] = {}
    with gzip.open(
        SHARED / "acled-2022-sample" / "acled_2022_9000_events.csv.gz", "rt", encoding="utf-8"
    ) as fh:
        for r in csv.DictReader(fh):
            if r["event_id_cnty"] in exclude or not r["notes"].strip():
                continue
            sub = r["sub_event_type"]
            label = 1 if sub in ACLED_ACTS else 0 if sub in ACLED_NOT_ACTS else None
            if label is not None:
                by.setdefault((label, sub), []).append(first_sentence(r["notes"]))
    rng = random.Random(seed)
    for (label, sub), sents in sorted(by.items()):
        pick = rng.sample(sents, ACLED_PER_SUBTYPE) if len(sents) > ACLED_PER_SUBTYPE else sents
        for s in pick:
            yield s, label, "en", f"acled:{sub}"


def ceha_rows(exclude: set[str]) -> Iterator[tuple[str, int, str, str]]:
    with (SHARED / "ceha" / "CEHA_dataset.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    why = next(k for k in rows[0] if k.startswith("Why"))
    for r in rows:
        if r["Index"] in exclude or not r["Event Description"].strip():
            continue
        relevant = r["Is the event relevant?"].strip().lower() == "yes"
        reason = r[why].strip()[:2]
        if relevant:
            yield first_sentence(r["Event Description"]), 1, "en", "ceha:relevant"
        # not conflict, or a summary: not one act ("1." = outside the region: still an act)
        elif reason in ("2.", "3."):
            yield first_sentence(r["Event Description"]), 0, "en", f"ceha:not-relevant-{reason[0]}"


def candidate_sentences(coder: RuleCoder, doc: Any) -> Iterator[tuple[str, bool, set[str]]]:
    """Every candidate of a document, kept or dropped, as its sentence, whether a mention was coded in that
    sentence, and the reasons the candidate was dropped for (none for a kept one)."""
    mentions, dropped = coder.code_with_dropped(doc)
    coded = {m.sentence for m in mentions}
    for m in [*mentions, *dropped]:
        yield (
            m.sentence,
            m.sentence in coded,
            {f.removeprefix("dropped:") for f in m.flags if f.startswith("dropped:")},
        )


def news_rows(texts: dict[str, dict[str, Any]], exclude: set[str]) -> Iterator[tuple[str, int, str, str]]:
    """Trigger sentences of the Fars and BBC documents outside the evaluation set, weakly labelled."""
    codebook = load_codebook("political-action")
    gaz = default_gazetteer()
    coders = {
        "fars-news-2003-2021": RuleCoder(codebook, gaz),
        "bbc-news-2004-2005": RuleCoder(codebook, gaz, date_gate=False, year_gate=True),
    }
    for rid, rec in sorted(texts.items()):
        if rid in exclude or rec["corpus"] not in coders:
            continue
        lang = "fa" if rec["corpus"].startswith("fars") else "en"
        section = rec.get("section") or ""
        negative_section = section in (BBC_NEGATIVE if lang == "en" else FARS_NEGATIVE)
        news_section = lang == "fa" and (section in FARS_NEWS or section not in FARS_NOT_PROVINCES)
        seen: set[str] = set()
        for s, coded, reasons in candidate_sentences(coders[rec["corpus"]], to_doc(rec, lang)):
            if s in seen:
                continue
            seen.add(s)
            if negative_section:
                yield s, 0, lang, f"{rec['corpus']}:{section}:trigger"
            elif not coded and reasons & NOT_ACT_REASONS:
                yield s, 0, lang, f"{lang}:dropped:{sorted(reasons & NOT_ACT_REASONS)[0]}"
            elif news_section and coded and FA_PAST.search(s):
                yield s, 1, lang, f"fars:{'province' if section not in FARS_NEWS else section}:coded"


def fars_lexicon_rows(
    texts: dict[str, dict[str, Any]], exclude: set[str], seed: int
) -> Iterator[tuple[str, int, str, str]]:
    """Persian weak labels beyond the rules' triggers: sentences with conflict vocabulary.

    Positive: in a news section (world, politics, province, …), with a past-tense verb and no plan,
    denial, warning or history marker; negative: in a section that holds almost no acts, or marked so.
    """
    from eventledger.extract.sentences import sentence_spans
    from eventledger.normalize.text import normalize_text

    pos: list[tuple[str, str]] = []
    neg: list[tuple[str, str]] = []
    for rid, rec in sorted(texts.items()):
        if rid in exclude or rec["corpus"] != "fars-news-2003-2021":
            continue
        section = rec.get("section") or ""
        text = normalize_text(rec["text"])
        for a, b in sentence_spans(text):
            s = text[a:b]
            if not (20 <= len(s) <= 400) or not FA_CONFLICT.search(s):
                continue
            if section in FARS_NEGATIVE:
                neg.append((s, f"fars:{section}:lexicon"))
            elif FA_NOT_ACT.search(s):
                neg.append((s, "fars:news:lexicon-not-act"))
            elif (section not in FARS_NOT_PROVINCES or section in FARS_NEWS) and FA_PAST.search(s):
                pos.append((s, "fars:news:lexicon-past"))
    rng = random.Random(seed)
    for rows, y in ((pos, 1), (neg, 0)):
        for s, src in rng.sample(rows, FA_LEXICON_CAP) if len(rows) > FA_LEXICON_CAP else rows:
            yield s, y, "fa", src


def acled_annotated_ids() -> set[str]:
    """The documents of the `acled` evaluation set (bench/real/acled): never trained on."""
    import eval_real_acled

    return {a["id"] for a in eval_real_acled.load_split(lang=None)}


def labelled_rows(
    texts: dict[str, dict[str, Any]], exclude: set[str], act_reasons: frozenset[str] = frozenset()
) -> Iterator[tuple[str, int, str, str]]:
    """Sentences labelled by hand (bench/real/sentences, GUIDE.md "Sentence labels"): an act or not
    (``act_reasons``: the reasons, such as "state", that count as an act for the codebook trained for)."""
    from sentence_pool import load_labels, sentence_key

    from eventledger.extract.sentences import sentence_spans

    labels = load_labels()
    for rid, keyed in sorted(labels.items()):
        rec = texts.get(rid)
        if rec is None or rid in exclude:
            continue
        if rec["corpus"] in FRESH:
            lang = rec.get("lang") or "fa"
        else:
            lang = "fa" if rec["corpus"].startswith("fars") else "en"
        text = to_doc(rec, lang).text
        # labels written before coder rules/1.32 joined lines a Telegram post wraps are keyed on the lines
        for a, b in sorted({*sentence_spans(text), *sentence_spans(text, wrapped=False)}):
            s = text[a:b].strip()
            r = keyed.get(sentence_key(s))
            if r is not None:
                y = 1 if r["acts"] or r.get("reason") in act_reasons else 0
                yield s, y, lang, f"labelled:{lang}:{','.join(r['acts']) or r.get('reason', 'none')}"


def build_training(
    seed: int, *, weak: bool = True, labelled: bool = True, codebook: str = "political-action"
) -> tuple[list[str], list[int], list[str], Counter[str]]:
    """The training sentences of the gate of ``codebook``: for political-action, all the sources of
    the module's docstring; for acled, the hand-labelled Persian sentences alone, "state" action an
    act (none of the documents of either evaluation set)."""
    exclude = annotated_ids()
    texts = load_texts()
    fresh = load_fresh()  # the news caches: labelled sentences only (sentence_pool.py --fresh)
    out: dict[tuple[str, str], int] = {}
    sources: Counter[str] = Counter()
    if codebook == "acled":
        rows = [
            r
            for r in labelled_rows({**texts, **fresh}, exclude | acled_annotated_ids(), ACLED_ACT_REASONS)
            if r[2] == "fa"
        ]
    else:
        rows = [
            *(labelled_rows({**texts, **fresh}, exclude) if labelled else ()),
            *acled_rows(exclude, seed),
            *ceha_rows(exclude),
            *(news_rows(texts, exclude) if weak else ()),
            *(fars_lexicon_rows(texts, exclude, seed) if weak else ()),
        ]
    for s, y, lang, src in rows:
        s = s.strip()
        if len(s) < 15 or (lang, s) in out:
            continue  # the first label a sentence gets wins (datasets before weak labels)
        out[(lang, s)] = y
        sources[f"{src} [{y}]"] += 1
    keys = sorted(out)
    return [s for _, s in keys], [out[k] for k in keys], [lang for lang, _ in keys], sources


# --- evaluation ------------------------------------------------------------------------------------------
class CachedGate:
    """A gate's scores, remembered per (language, head kind, sentence), at a settable threshold: a
    RelevanceModel (whose Persian head kind the variants change) or the shipped HashedGate."""

    def __init__(self, model: Any, threshold: float) -> None:
        self.model = model
        self.version = model.version
        self.threshold = threshold
        self.cache: dict[tuple[str, str, str], float] = {}
        self.seconds: Counter[str] = Counter()
        self.count: Counter[str] = Counter()

    def reads(self, lang: str) -> bool:
        return bool(getattr(self.model, "reads", lambda _lang: True)(lang))

    def scores(self, sentences: Sequence[str], lang: str) -> list[float]:
        kind = self.model.heads.get(lang, "")
        kind = kind if isinstance(kind, str) else ""  # a HashedGate's heads are objects: one kind
        todo = [s for s in dict.fromkeys(sentences) if (lang, kind, s) not in self.cache]
        if todo:
            t0 = time.perf_counter()
            for s, v in zip(todo, self.model.scores(todo, lang), strict=True):
                self.cache[(lang, kind, s)] = v
            self.seconds[f"{lang}:{kind}"] += time.perf_counter() - t0
            self.count[f"{lang}:{kind}"] += len(todo)
        return [self.cache[(lang, kind, s)] for s in sentences]


@contextlib.contextmanager
def gated(gate: CachedGate | None) -> Iterator[None]:
    """eval_real.evaluate builds its own coders for undated corpora: give them the gate too."""
    original = eval_real.RuleCoder
    if gate is not None:
        eval_real.RuleCoder = functools.partial(RuleCoder, relevance=gate)  # type: ignore[misc]
    try:
        yield
    finally:
        eval_real.RuleCoder = original  # type: ignore[misc]


def run_eval(
    gate: CachedGate | None,
    split: str,
    texts: dict[str, dict[str, Any]],
    codebook_id: str = "political-action",
) -> dict[str, Any]:
    codebook = load_codebook(codebook_id)
    if codebook_id == "acled":  # bench/eval_real_acled.py's evaluation, Persian only
        import eval_real_acled as acled

        annotations = acled.load_split(split)
        j = acled.evaluate(
            RuleCoder(codebook, default_gazetteer(), relevance=gate), annotations, texts
        ).as_json()
        return {
            "fa": {
                **j["event"],
                **{k: j[k] for k in ("negative_share_with_events", "negatives_with_events", "negatives")},
            }
        }
    with gated(gate):
        coder = eval_real.RuleCoder(codebook, default_gazetteer())
        results = eval_real.evaluate(coder, load_annotations(split=split), texts)
    out = {}
    for lang, r in sorted(results.items()):
        j = r.as_json()
        out[lang] = {**j["event"], "negative_share_with_events": j["negative_share_with_events"],
                     "negatives_with_events": j["negatives_with_events"], "negatives": j["negatives"]}  # fmt: skip
    return out


def speed(model: RelevanceModel, lang: str, sentences: list[str]) -> float:
    model.scores(sentences[:8], lang)  # warm up (vectorisers, embedder)
    t0 = time.perf_counter()
    model.scores(sentences, lang)
    return round(len(sentences) / (time.perf_counter() - t0), 1)


def pick(rows: dict[str, dict[str, Any]], lang: str) -> str:
    """The dev threshold of best event F1 (ties: higher recall, then the lower threshold); 'off' if none beats the rules."""
    if lang not in rows["rules"]:
        return "off"
    base = rows["rules"][lang]["f1"]
    best = ("off", base, rows["rules"][lang]["recall"])
    for name, r in rows.items():
        if name != "rules" and (r[lang]["f1"], r[lang]["recall"]) > (best[1], best[2]):
            best = (name, r[lang]["f1"], r[lang]["recall"])
    return best[0]


def threshold_table(
    gate: Any, texts: dict[str, dict[str, Any]], codebook: str = "political-action"
) -> dict[str, dict[str, Any]]:
    """Event figures of the rules alone and of ``gate`` at each of THRESHOLDS, on the dev and test files."""
    table: dict[str, dict[str, Any]] = {}
    for split in ("dev", "test"):
        rows = {"rules": run_eval(None, split, texts, codebook)}
        for t in THRESHOLDS:
            gate.threshold = t
            rows[f"gate@{t}"] = run_eval(gate, split, texts, codebook)
        table[split] = rows
    return table


def print_table(table: dict[str, dict[str, Any]], chosen: dict[str, str]) -> None:
    for split, rows in table.items():
        for lang in [g for g in ("en", "fa") if g in rows["rules"]]:
            print(
                f"  {split:4s} {lang}   {'setting':10s}  P      R      F1    (tp/fp/fn)   neg-docs-with-events"
            )
            for name, r in rows.items():
                x = r[lang]
                mark = " <" if name == chosen[lang] else ""
                print(f"            {name:10s}  {x['precision']:.3f}  {x['recall']:.3f}  {x['f1']:.3f}"
                      f"  ({x['tp']}/{x['fp']}/{x['fn']})  {x['negatives_with_events']}/{x['negatives']}"
                      f" = {x['negative_share_with_events']:.3f}{mark}")  # fmt: skip


def main_hashed(args: argparse.Namespace) -> int:
    """``--hashed``: train the shipped gate (eventledger.learn.gate), choose each language's cut on
    the dev files, report dev and test, and save it (``--ship``: into the package)."""
    from eventledger.learn.gate import load_gate
    from eventledger.learn.relevance import set_gate_cut, train_hashed_gate

    t0 = time.perf_counter()
    texts, labels, langs, sources = build_training(
        args.seed, weak=not args.no_weak, labelled=not args.no_labelled, codebook=args.codebook
    )
    extra = "bench/train_gate/hashed-1" + ("" if args.codebook == "political-action" else f"/{args.codebook}")
    gate = train_hashed_gate(texts, labels, langs, seed=args.seed, c=args.c, extra=extra)
    print(
        f"training: {len(texts)} sentences, {time.perf_counter() - t0:.1f}s; {gate.info['training_sentences']}"
    )
    for k, v in sorted(sources.items()):
        print(f"  {v:6d}  {k}")
    all_texts = load_texts()
    table = threshold_table(CachedGate(gate, gate.threshold), all_texts, args.codebook)
    chosen = {lang: pick(table["dev"], lang) for lang in ("en", "fa")}
    print_table(table, chosen)
    for lang, c in chosen.items():
        cut = float(c.split("@")[1]) if c != "off" else args.cut
        if lang in gate.heads:
            set_gate_cut(gate, lang, cut)
    gate.info["cuts_chosen_on_dev"] = chosen
    dropped = sorted(set(gate.heads) - set(args.ship_langs.split(",")))
    for lang in dropped:  # a language left to the rules (the gate lets its sentences through)
        del gate.heads[lang]
    gate.info["languages_left_to_the_rules"] = dropped
    out = Path(args.out) if not args.ship else MODELS / f"gate-{args.codebook}"
    gate.save(out)
    again = load_gate(out)
    probe_lang = "en" if "en" in again.heads else "fa"
    probe = [s for s, lang in zip(texts, langs, strict=True) if lang == probe_lang][:2000]
    t0 = time.perf_counter()
    again.scores(probe, probe_lang, normalized=False)
    rate = len(probe) / (time.perf_counter() - t0)
    (Path(args.out) / "report.json").parent.mkdir(parents=True, exist_ok=True)
    (
        Path(args.out)
        / (
            "report-hashed.json"
            if args.codebook == "political-action"
            else f"report-hashed-{args.codebook}.json"
        )
    ).write_text(
        json.dumps({"version": gate.version, "chosen_on_dev": chosen, **table}, indent=2), encoding="utf-8"
    )
    print(
        f"\ngate {gate.version} (cuts {chosen}) → {out}; {rate:.0f} {probe_lang} sentences/s in pure Python"
    )
    return 0


# --- the document head (topic): is a report about conflict, protest and politics at all? --------------------
TOPIC_NOTES = 1500  # ACLED notes of the train split, on topic
TOPIC_CUTS = (0.1, 0.15, 0.2, 0.25, 0.3, 0.4)


def topic_rows(texts: dict[str, dict[str, Any]], seed: int) -> Iterator[tuple[str, int, str]]:
    """English reports, off the topic (0) or on it (1): the BBC articles of the train ids outside the
    evaluation set (sport, business, tech, entertainment: off; politics: on), ACLED notes of the train
    split of bench/eval_acled.py (sampled) and every CEHA event description (conflict news: on). Never a
    CASE 2021 snippet, an ACLED note of the test split or a BBC article of the val and test ids."""
    import eval_acled

    from eventledger.learn.gate import TOPIC_CHARS

    exclude = annotated_ids()
    for rid, rec in sorted(texts.items()):
        if rec["corpus"] == "bbc-news-2004-2005" and rid not in exclude and "-train-" in rid:
            text = f"{rec.get('title') or ''}\n{rec['text']}"[:TOPIC_CHARS]
            yield text, int(rec["section"] == "politics"), f"bbc:{rec['section']}"
    notes = eval_acled.split_rows(eval_acled.load_rows(eval_acled.DATA), "train")
    random.Random(seed).shuffle(notes)
    for r in notes[:TOPIC_NOTES]:
        yield r["notes"][:TOPIC_CHARS], 1, "acled-notes:train"
    with (SHARED / "ceha" / "CEHA_dataset.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            if r["Index"] not in exclude and r["Event Description"].strip():
                yield r["Event Description"][:TOPIC_CHARS], 1, "ceha"


def topic_table(gate: Any, texts: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Share of reports read as off the topic at each cut, on what the head never saw: the BBC val and
    test ids per section, the CASE 2021 dev half, the ACLED notes of the test split, and the English
    documents of the real-text set that hold an annotated act."""
    import eval_acled

    def off(docs: list[str]) -> dict[str, Any]:
        scores = [gate.topic_score(d, "en") for d in docs]
        return {"n": len(docs), **{str(c): sum(x < c for x in scores) for c in TOPIC_CUTS}}

    groups: dict[str, list[str]] = {}
    for rid, rec in sorted(texts.items()):
        if rec["corpus"] == "bbc-news-2004-2005" and "-train-" not in rid:
            groups.setdefault(f"bbc-heldout:{rec['section']}", []).append(
                f"{rec.get('title') or ''}\n{rec['text']}"
            )
        elif rec["corpus"] == "case2021-dev":
            groups.setdefault("case2021-dev", []).append(rec["text"])
    groups["acled-notes:test"] = [
        r["notes"] for r in eval_acled.split_rows(eval_acled.load_rows(eval_acled.DATA), "test")
    ]
    acts = [a for a in load_annotations(ANNOTATIONS, "all") if a.get("lang") == "en" and a["events"]]
    groups["real-en:with-acts"] = [
        f"{texts[a['id']].get('title') or ''}\n{texts[a['id']]['text']}" for a in acts if a["id"] in texts
    ]
    return {name: off(docs) for name, docs in sorted(groups.items())}


def added_heads_version(gate: Any) -> None:
    """The version of a gate whose heads were trained apart (``--hashed``, then ``--topic`` and ``--english``
    added to its folder): a digest of the first training's version and of each added head's own, the same
    whichever order the heads were added in and whenever one is trained again on the same data."""
    import hashlib

    first = str(gate.info.setdefault("sentence_heads_version", gate.version))
    added = {k: gate.info[k]["version"] for k in ("topic", "english") if isinstance(gate.info.get(k), dict)}
    key = json.dumps({"first": first, **added}, sort_keys=True)
    gate.version = "h" + hashlib.sha256(key.encode()).hexdigest()[:11]


def main_topic(args: argparse.Namespace) -> int:
    """``--topic``: train the English document head of ``--codebook``'s shipped gate (``topic-en``), report
    how many reports it reads as off the topic at each cut, set ``--topic-cut`` and save the gate with it
    (``--ship``: into the package; the sentence heads are kept as they are)."""

    from eventledger.learn.gate import TOPIC_PREFIX, load_gate
    from eventledger.learn.relevance import set_gate_cut, train_hashed_gate

    folder = MODELS / f"gate-{args.codebook}"
    gate = load_gate(folder)
    texts = load_texts()
    rows = list(topic_rows(texts, args.seed))
    head = train_hashed_gate(
        [r[0] for r in rows], [r[1] for r in rows], ["en"] * len(rows), seed=args.seed, c=args.c,
        extra=f"bench/train_gate/topic-1/{args.codebook}",
    )  # fmt: skip
    key = f"{TOPIC_PREFIX}en"
    gate.heads = {k: v for k, v in gate.heads.items() if not k.startswith(TOPIC_PREFIX)}
    gate.heads[key] = head.heads["en"]
    print(f"training: {len(rows)} reports; {dict(sorted(Counter(f'{r[2]} [{r[1]}]' for r in rows).items()))}")
    table = topic_table(gate, texts)
    print(f"  {'reports (never trained on)':28s} {'n':>5s}  " + "  ".join(f"<{c:<5}" for c in TOPIC_CUTS))
    for name, row in table.items():
        print(f"  {name:28s} {row['n']:5d}  " + "  ".join(f"{row[str(c)]:6d}" for c in TOPIC_CUTS))
    set_gate_cut(gate, key, args.topic_cut)
    gate.info["topic"] = {
        "head": key, "version": head.version, "cut": args.topic_cut, "c": args.c,
        "training_reports": head.info["training_sentences"]["en"],
    }  # fmt: skip
    added_heads_version(gate)
    out = folder if args.ship else Path(args.out) / f"gate-{args.codebook}"
    gate.save(out)
    Path(args.out).mkdir(parents=True, exist_ok=True)
    (Path(args.out) / f"report-topic-{args.codebook}.json").write_text(
        json.dumps({"version": gate.version, "cut": args.topic_cut, "off_topic": table}, indent=2),
        encoding="utf-8",
    )
    print(f"\ngate {gate.version} (document head {key}, cut {args.topic_cut}) → {out}")
    return 0


# --- acled's English sentence head ------------------------------------------------------------------------
ACLED_EN_CATEGORIES = (
    "battles",
    "explosions-remote-violence",
    "violence-against-civilians",
    "riots",
    "protests",
)


def acled_english_rows(seed: int) -> Iterator[tuple[str, int, str]]:
    """English sentences for acled's gate, an act of ACLED's (1) or not (0): the first sentence of ACLED
    notes of the *train* split of bench/eval_acled.py (at most ACLED_PER_SUBTYPE a sub-event type, every
    type an act for this codebook), CEHA rows, the hand-labelled English sentences (GUIDE.md "Sentence
    labels", "state" action an act; never a CASE 2021 snippet or a document of either evaluation set), and
    the sentences where acled's rules find a trigger in BBC sport, business, tech and entertainment articles
    of the train ids (and those they drop as negated, plans, history, …), negative."""
    import eval_acled

    notes = eval_acled.split_rows(eval_acled.load_rows(eval_acled.DATA), "train")
    random.Random(seed).shuffle(notes)
    per: Counter[str] = Counter()
    for r in notes:
        sub = r["sub_event_type"].strip()
        if per[sub] < ACLED_PER_SUBTYPE:
            per[sub] += 1
            yield first_sentence(r["notes"]), 1, f"acled-notes:{sub}"
    texts = load_texts()
    exclude = (
        annotated_ids()
        | acled_annotated_ids()
        | {k for k, r in texts.items() if r["corpus"] == "case2021-dev"}
    )
    for s, y, _, src in ceha_rows(exclude):
        yield s, y, src
    fresh = load_fresh()
    for s, y, lang, _ in labelled_rows({**texts, **fresh}, exclude, ACLED_ACT_REASONS):
        if lang == "en":
            yield s, y, f"labelled:en:{'act' if y else 'not'}"
    coder = RuleCoder(load_codebook("acled"), default_gazetteer(), date_gate=False, year_gate=True)
    for rid, rec in sorted(texts.items()):
        if rec["corpus"] != "bbc-news-2004-2005" or rid in exclude or "-train-" not in rid:
            continue
        for s, coded, reasons in candidate_sentences(coder, to_doc(rec, "en")):
            if rec["section"] in BBC_NEGATIVE:
                yield s, 0, f"bbc:{rec['section']}:trigger"
            elif not coded and reasons & NOT_ACT_REASONS:
                yield s, 0, "bbc:dropped"


def main_acled_english(args: argparse.Namespace) -> int:
    """``--codebook acled --english``: train the English sentence head of acled's shipped gate, score the
    English files of bench/real/acled (Tehran Times: en-1 dev, en-2 held out) with the rules alone and at
    each cut, choose the cut of best dev F1 and save the gate with it (``--ship``: into the package; its
    Persian and document heads are kept as they are). The codebook's ``gate.categories.en`` says what
    it judges (not strategic developments: agreements and arrests are thin in its training)."""
    import copy

    import eval_real_acled

    from eventledger.learn.gate import load_gate
    from eventledger.learn.relevance import set_gate_cut, train_hashed_gate

    folder = MODELS / "gate-acled"
    gate = load_gate(folder)
    seen: dict[str, int] = {}
    sources: Counter[str] = Counter()
    for s, y, src in acled_english_rows(args.seed):
        s = s.strip()
        if len(s) >= 15 and s not in seen:  # the first label a sentence gets wins
            seen[s] = y
            sources[f"{src.rsplit(':', 1)[0] if src.startswith('acled-notes') else src} [{y}]"] += 1
    texts_ = list(seen)
    head = train_hashed_gate(
        texts_, [seen[s] for s in texts_], ["en"] * len(texts_), seed=args.seed, c=args.c,
        extra="bench/train_gate/acled-en-1",
    )  # fmt: skip
    print(f"training: {len(texts_)} English sentences; {head.info['training_sentences']['en']}")
    for k, v in sorted(sources.items()):
        print(f"  {v:6d}  {k}")
    codebook = load_codebook("acled")
    if tuple((codebook.gate_categories or {}).get("en", ())) != ACLED_EN_CATEGORIES:
        print(f"note: the codebook's gate.categories.en is not {ACLED_EN_CATEGORIES}", file=sys.stderr)
    texts = load_texts()
    table: dict[str, dict[str, Any]] = {}
    for split in ("dev", "test"):
        annotations = eval_real_acled.load_split(split, lang="en")
        rows: dict[str, Any] = {}
        for name in ("rules", *(f"gate@{t}" for t in THRESHOLDS)):
            g = copy.deepcopy(gate)
            if name != "rules":
                g.heads["en"] = copy.deepcopy(head.heads["en"])
                set_gate_cut(g, "en", float(name.split("@")[1]))
            coder = RuleCoder(codebook, default_gazetteer(), relevance=g)
            j = eval_real_acled.evaluate(coder, annotations, texts).as_json()
            rows[name] = {"en": {**j["event"], **{k: j[k] for k in ("negative_share_with_events",
                                                                      "negatives_with_events", "negatives")}}}  # fmt: skip
        table[split] = rows
    chosen = pick(table["dev"], "en")
    print_table(table, {"en": chosen, "fa": "off"})
    if chosen == "off":
        print("no cut beats the rules on the dev file: nothing saved")
        return 0
    gate.heads["en"] = head.heads["en"]
    set_gate_cut(gate, "en", float(chosen.split("@")[1]))
    gate.info["english"] = {
        "version": head.version, "c": args.c, "cut_chosen_on_dev": chosen,
        "training_sentences": head.info["training_sentences"]["en"], "judges": list(ACLED_EN_CATEGORIES),
    }  # fmt: skip
    added_heads_version(gate)
    out = folder if args.ship else Path(args.out) / "gate-acled"
    gate.save(out)
    print(f"\ngate {gate.version} (English cut {chosen}) → {out}")
    return 0


def main(argv: list[str] | None = None) -> int:  # noqa: PLR0915
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "gate"))
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--fa-head", choices=("ngram", "e5", "ngram+e5", "all"), default="ngram")
    ap.add_argument("--e5-per-class", type=int, default=200)
    ap.add_argument("--c", type=float, default=4.0)
    ap.add_argument("--no-weak", action="store_true", help="leave out the weak news labels")
    ap.add_argument("--no-labelled", action="store_true", help="leave out the hand-labelled sentences")
    ap.add_argument(
        "--hashed", action="store_true", help="train the shipped pure-Python gate (hashed word n-grams)"
    )
    ap.add_argument("--ship", action="store_true", help="with --hashed: write it into the package")
    ap.add_argument(
        "--codebook",
        choices=CODEBOOKS,
        default="political-action",
        help="with --hashed: the codebook whose gate is trained (acled: Persian hand labels, state action an act;"
        " measured with bench/eval_real_acled.py; shipped as gate-acled)",
    )
    ap.add_argument(
        "--cut", type=float, default=0.5, help="with --hashed: a language's cut when none beats the rules"
    )
    ap.add_argument(
        "--ship-langs",
        default="en,fa",
        help="with --hashed: the languages whose heads are saved (the others are left to the rules)",
    )
    ap.add_argument(
        "--topic",
        action="store_true",
        help="train the English document head of --codebook's shipped gate (reports off its topic); with --ship"
        " it is written into that gate's folder",
    )
    ap.add_argument("--topic-cut", type=float, default=0.2, help="with --topic: the document head's cut")
    ap.add_argument(
        "--english",
        action="store_true",
        help="train the English sentence head of acled's shipped gate (cut chosen on bench/real/acled/en-1);"
        " with --ship it is written into gate-acled",
    )
    args = ap.parse_args(argv)
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found", file=sys.stderr)
        return 0
    if args.topic:
        return main_topic(args)
    if args.english:
        return main_acled_english(args)
    if args.hashed:
        return main_hashed(args)
    out = Path(args.out)
    t0 = time.perf_counter()
    texts, labels, langs, sources = build_training(
        args.seed, weak=not args.no_weak, labelled=not args.no_labelled
    )
    build_s = time.perf_counter() - t0
    fa_kinds = ["ngram", "e5", "ngram+e5"] if args.fa_head == "all" else [args.fa_head]
    needs_e5 = any("e5" in k for k in fa_kinds)
    params = GateParams(
        seed=args.seed, c=args.c, e5_per_class=args.e5_per_class,
        heads=(("en", "ngram"), ("fa", "ngram+e5" if needs_e5 else "ngram")),
    )  # fmt: skip
    t0 = time.perf_counter()
    model = train_relevance(texts, labels, langs, seed=args.seed, params=params, extra="bench/train_gate/1")
    train_s = time.perf_counter() - t0
    print(f"training: {len(texts)} sentences in {train_s:.1f}s (data built in {build_s:.1f}s)")
    for k, v in sorted(sources.items()):
        print(f"  {v:6d}  {k}")
    all_texts = load_texts()
    sample = {g: [t for t, lang in zip(texts, langs, strict=True) if lang == g] for g in ("en", "fa")}
    speeds: dict[str, float] = {}
    for kind in dict.fromkeys(["ngram", *fa_kinds]):
        model.heads["fa"] = kind
        n = 2000 if kind == "ngram" else 64
        speeds[f"fa:{kind}"] = speed(model, "fa", sample["fa"][:n])
    speeds["en:ngram"] = speed(model, "en", sample["en"][:2000])
    report: dict[str, Any] = {
        "model_version": model.version, "training_sentences": model.info["training_sentences"],
        "training_sources": dict(sorted(sources.items())), "training_seconds": round(train_s, 1),
        "data_build_seconds": round(build_s, 1), "sentences_per_second": speeds, "variants": {},
    }  # fmt: skip
    gate = CachedGate(model, 0.5)
    for kind in fa_kinds:
        model.heads["fa"] = kind
        table = threshold_table(gate, all_texts)
        chosen = {lang: pick(table["dev"], lang) for lang in ("en", "fa")}
        report["variants"][f"fa={kind}"] = {"chosen_on_dev": chosen, **table}
        print(f"\n== Persian head: {kind}   (threshold chosen on dev: {chosen})")
        print_table(table, chosen)
    # the saved model: the last variant's Persian head, with the cuts chosen on dev
    best_kind = fa_kinds[-1] if len(fa_kinds) == 1 else max(
        fa_kinds, key=lambda k: report["variants"][f"fa={k}"]["dev"].get(
            report["variants"][f"fa={k}"]["chosen_on_dev"]["fa"].replace("off", "rules"), {}).get("fa", {}).get("f1", 0))  # fmt: skip
    model.heads["fa"] = best_kind
    model.threshold = 0.5
    for lang in ("en", "fa"):
        c = report["variants"][f"fa={best_kind}"]["chosen_on_dev"][lang]
        if c != "off":
            model.set_cut(lang, float(c.split("@")[1]))
    report["saved"] = {"fa_head": best_kind, "shift": model.shift, "dir": str(out / "model")}
    report["scored_sentences"] = {
        k: {"n": gate.count[k], "seconds": round(gate.seconds[k], 2)} for k in gate.count
    }
    model.save(out / "model")
    (out / "report.json").write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(
        f"\nspeed (sentences/s): {speeds}\nmodel {model.version} → {out / 'model'}; report → {out / 'report.json'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
