"""Pool of PEYMA news sentences (or ParsTwiNER tweets) to label for the political-action codebook.

    python bench/real/peyma_pool.py [--out bench/out/peyma] [--parts 2]
    python bench/real/peyma_pool.py --corpus parstwiner --parts 2     # bench/out/parstwiner

The texts stay outside the repository.

PEYMA (Shahshahani et al., 2018; ``../shared/data/persian-ner/peyma``) holds 9,979 sentences of ten Persian
news outlets other than Fars News, tokenised for named-entity work. Every sentence holding broad
conflict vocabulary (the list of ``sentence_pool.FA_VOCAB``, much wider than the codebook) is written,
with the two sentences before and after it, to ``--out`` in batches of JSON lines, in a seeded random
order. Annotators label each sentence following ``bench/real/GUIDE.md`` ("Sentence labels"), blind
to the coder's output (the pool holds none). Only ids and labels go into ``bench/real/peyma/*.jsonl``;
``bench/eval_peyma.py`` scores the coder against them.

ParsTwiNER (Aghajani et al., W-NUT 2021; ``../shared/data/persian-ner/parstwiner``): 7,166 Persian
tweets, independent of each other (no context), ids ``parstwiner-<split>-<index>``, labels in
``bench/real/parstwiner/``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
NER = ROOT.parent / "shared" / "data" / "persian-ner"
PEYMA = NER / "peyma"
CORPORA = {"peyma": (PEYMA, "|"), "parstwiner": (NER / "parstwiner", "\t")}
SPLITS = ("train", "dev", "test")
SEED = 8


def read_sentences(split: str, corpus: str = "peyma") -> list[str]:
    """The sentences (tweets) of one split, tokens joined by spaces (ids ``<corpus>-<split>-<index>``)."""
    folder, sep = CORPORA[corpus]
    out: list[str] = []
    tokens: list[str] = []
    with gzip.open(folder / f"{split}.txt.gz", "rt", encoding="utf-8") as fh:
        for line in fh:
            line = line.rstrip("\n")
            if not line.strip():
                if tokens:
                    out.append(" ".join(tokens))
                    tokens = []
                continue
            token = line.rsplit(sep, 1)[0]
            tokens.append(token)
    if tokens:
        out.append(" ".join(tokens))
    return out


def all_sentences(corpus: str = "peyma") -> Iterator[tuple[str, int, list[str]]]:
    for split in SPLITS:
        sents = read_sentences(split, corpus)
        for i in range(len(sents)):
            yield split, i, sents


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="peyma")
    ap.add_argument("--out", type=Path, help="default bench/out/<corpus>")
    ap.add_argument("--parts", type=int, default=2)
    args = ap.parse_args(argv)
    folder = CORPORA[args.corpus][0]
    if not folder.is_dir():
        print(f"skipped: {folder} not found", file=sys.stderr)
        return 0
    args.out = args.out or ROOT / "bench" / "out" / args.corpus
    context = 2 if args.corpus == "peyma" else 0  # tweets stand alone
    from sentence_pool import FA_VOCAB

    pool = []
    for split, i, sents in all_sentences(args.corpus):
        if FA_VOCAB.search(sents[i]):
            pool.append({
                "id": f"{args.corpus}-{split}-{i}",
                "before": sents[max(0, i - context) : i],
                "sentence": sents[i],
                "after": sents[i + 1 : i + 1 + context],
            })  # fmt: skip
    random.Random(SEED).shuffle(pool)
    args.out.mkdir(parents=True, exist_ok=True)
    size = -(-len(pool) // args.parts)
    for k in range(args.parts):
        path = args.out / f"batch-{k + 1}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for r in pool[k * size : (k + 1) * size]:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(path, len(pool[k * size : (k + 1) * size]))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    sys.exit(main())
