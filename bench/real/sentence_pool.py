"""Build the pool of real sentences to label for the act-or-not gate (texts stay outside the repository).

    python bench/real/sentence_pool.py [--out bench/out/pool] [--batch 150]
    python bench/real/sentence_pool.py --fresh [--out bench/out/pool-fresh]   # the news caches instead

Every sentence of a Fars News, BBC News or CASE 2021 document **outside the evaluation set** (no id of
``bench/real/annotations`` or ``bench/real/agreement``) in which the rule coder finds a trigger (kept
or dropped) or which holds conflict vocabulary, with its title, date, section and the sentences
before and after it, is written in batches of JSON lines to ``--out`` (under ``bench/out``, ignored
by git). With ``--fresh`` the pool is drawn instead from the local caches of Iranian news sites, Telegram
channels and the Tehran Times (``eval_real.FRESH``: articles no evaluation file draws from), sentences
already labelled left out. Annotators label each sentence following ``bench/real/GUIDE.md`` (section "Sentence
labels"), blind to the coder's output (the pool holds no coder output). Only the labels — document
id, sentence key (:func:`sentence_key`), label — go into ``bench/real/sentences/*.jsonl``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from eval_real import AGREEMENT, ANNOTATIONS, SHARED, load_annotations, load_fresh, load_texts, to_doc  # noqa: E402

from eventledger.extract.codebook import load_codebook  # noqa: E402
from eventledger.extract.coder import RuleCoder  # noqa: E402
from eventledger.extract.sentences import sentence_spans  # noqa: E402
from eventledger.geocode.gazetteer import default_gazetteer  # noqa: E402
from eventledger.normalize.text import normalize_text  # noqa: E402

FA_VOCAB = re.compile(
    r"انفجار|منفجر|بمب|حمله|حملات|تیراندازی|شلیک|تظاهرات|تجمع|راهپیمایی|درگیری|انتحاری|ترور|به آتش|"
    r"آتش زد|خمپاره|راکت|موشک|گروگان|اعتصاب|اعتراض|شعار|هک|آشوب|اغتشاش|نارنجک|دیوارنویسی|پوستر|"
    r"بنر|اطلاعیه|تراکت|دیدار|نشست|کنفرانس|گردهمایی|مسلح|تروریست"
)
EN_VOCAB = re.compile(
    r"\b(?:bomb\w*|blast\w*|explo\w+|attack\w*|shoot\w*|shot|gunm[ae]n|gunfire|clash\w*|fight\w*|"
    r"protest\w*|demonstrat\w+|rall(?:y|ies|ied)|march\w*|riot\w*|strike[sr]?|arson|set fire|torch\w*|"
    r"grenade\w*|mortar\w*|rocket\w*|hack\w*|cyber\w*|slogan\w*|graffiti|leaflet\w*|poster\w*|"
    r"militant\w*|insurgent\w*|rebel\w*|ambush\w*|vandal\w*|sit-in)\b",
    re.I,
)
PER_DOC = 12
LABELS = HERE / "sentences"


def sentence_key(sentence: str) -> str:
    """A stable key of a sentence: 16 hex digits of the SHA-1 of its normalised, space-collapsed text."""
    s = " ".join(normalize_text(sentence).split())
    return hashlib.sha1(s.encode("utf-8")).hexdigest()[:16]


def load_labels(folder: Path = LABELS) -> dict[str, dict[str, dict[str, Any]]]:
    """The hand labels of ``bench/real/sentences``: document id → sentence key → label record."""
    labels: dict[str, dict[str, dict[str, Any]]] = {}
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                labels.setdefault(r["id"], {})[r["key"]] = r
    return labels


def evaluation_ids() -> set[str]:
    ids = {a["id"] for a in load_annotations(ANNOTATIONS, "all")}
    if AGREEMENT.is_dir():
        ids |= {a["id"] for a in load_annotations(AGREEMENT, "all")}
    return ids


def candidates(rec: dict[str, Any], coder: RuleCoder, lang: str) -> list[dict[str, Any]]:
    doc = to_doc(rec, lang)
    mentions, dropped = coder.code_with_dropped(doc)
    triggered = {m.sentence.strip() for m in [*mentions, *dropped]}
    vocab = FA_VOCAB if lang == "fa" else EN_VOCAB
    text = doc.text
    spans = sentence_spans(text)
    sents = [text[a:b].strip() for a, b in spans]
    out = []
    for i, s in enumerate(sents):
        if not (15 <= len(s) <= 700) or not (s in triggered or vocab.search(s)):
            continue
        out.append(
            {
                "id": rec["id"], "key": sentence_key(s), "lang": lang, "section": rec.get("section") or "",
                "published": rec.get("published") or "", "title": doc.title or "",
                "before": sents[i - 1][-400:] if i else "", "sentence": s,
                "after": sents[i + 1][:400] if i + 1 < len(sents) else "",
            }
        )  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=str(HERE.parent / "out" / "pool"))
    ap.add_argument("--batch", type=int, default=150)
    ap.add_argument("--seed", type=int, default=29)
    ap.add_argument("--en-docs", type=int, default=500, help="BBC documents drawn (the pool is large)")
    ap.add_argument("--fresh", action="store_true", help="draw from the news caches of eval_real.FRESH")
    args = ap.parse_args(argv)
    if args.fresh:
        return fresh_pool(Path(args.out if args.out != ap.get_default("out") else HERE.parent / "out" / "pool-fresh"),
                          args.batch, args.seed)  # fmt: skip
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found", file=sys.stderr)
        return 0
    exclude = evaluation_ids()
    texts = load_texts()
    codebook, gaz = load_codebook("political-action"), default_gazetteer()
    coders = {
        "fars-news-2003-2021": RuleCoder(codebook, gaz),
        "bbc-news-2004-2005": RuleCoder(codebook, gaz, date_gate=False, year_gate=True),
        "case2021-dev": RuleCoder(codebook, gaz, date_gate=False),
    }
    rng = random.Random(args.seed)
    pools: dict[str, list[dict[str, Any]]] = {"fa": [], "en": []}
    bbc = sorted(r for r, rec in texts.items() if rec["corpus"] == "bbc-news-2004-2005" and r not in exclude)
    bbc_pick = set(rng.sample(bbc, min(args.en_docs, len(bbc))))
    for rid, rec in sorted(texts.items()):
        if rid in exclude or rec["corpus"] not in coders:
            continue
        if rec["corpus"] == "bbc-news-2004-2005" and rid not in bbc_pick:
            continue
        lang = "fa" if rec["corpus"].startswith("fars") else "en"
        cands = candidates(rec, coders[rec["corpus"]], lang)
        if len(cands) > PER_DOC:
            cands = rng.sample(cands, PER_DOC)
        pools[lang].extend(cands)
    write_batches(pools, Path(args.out), args.batch, rng)
    return 0


def fresh_pool(out: Path, batch: int, seed: int) -> int:
    """The pool of the news caches: every candidate sentence of every cached article (at most
    PER_DOC a document), minus the sentences already labelled."""
    texts = load_fresh()
    if not texts:
        print("skipped: no cache of eval_real.FRESH found (bench/fresh_extract.py)", file=sys.stderr)
        return 0
    exclude = evaluation_ids()
    done = {k for keys in load_labels().values() for k in keys}
    codebook, gaz = load_codebook("political-action"), default_gazetteer()
    dated, undated = RuleCoder(codebook, gaz), RuleCoder(codebook, gaz, date_gate=False, year_gate=False)
    rng = random.Random(seed)
    pools: dict[str, list[dict[str, Any]]] = {"fa": [], "en": []}
    for rid, rec in sorted(texts.items()):
        if rid in exclude:
            continue
        lang = rec.get("lang") or "fa"
        coder = dated if rec.get("published") else undated
        cands = [c for c in candidates(rec, coder, lang) if c["key"] not in done]
        if len(cands) > PER_DOC:
            cands = rng.sample(cands, PER_DOC)
        pools[lang].extend(dict(c, corpus=rec["corpus"]) for c in cands)
    write_batches(pools, out, batch, rng, prefix="fresh-")
    return 0


def write_batches(
    pools: dict[str, list[dict[str, Any]]], out: Path, batch: int, rng: random.Random, prefix: str = ""
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for lang, rows in pools.items():
        seen: set[str] = set()
        rows = [r for r in rows if not (r["key"] in seen or seen.add(r["key"]))]  # type: ignore[func-returns-value]
        rng.shuffle(rows)
        for n, i in enumerate(range(0, len(rows), batch), start=1):
            path = out / f"{prefix}{lang}-{n:02d}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for r in rows[i : i + batch]:
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(f"{lang}: {len(rows)} sentences in {-(-len(rows) // batch)} batches → {out}")


if __name__ == "__main__":
    sys.exit(main())
