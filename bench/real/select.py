"""Draw the documents of the real-text evaluation set (deterministic; run once, ids are committed).

    python bench/real/select.py            # writes bench/out/real/batch-*.jsonl for the annotators
    python bench/real/select.py --round 2  # a second draw (fa-5, fa-6, en-3, en-4), none of the first

The texts stay in ../shared (and in the ignored bench/out cache); only ids and labels are committed.
Selection: stratified by section, half of the news sections enriched with documents that contain broad
conflict vocabulary (a list much wider than the codebook, so that positives are common enough to
measure recall). Annotators see the texts only, never the coder's output.
"""

from __future__ import annotations

import csv
import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"
OUT = ROOT / "bench" / "out" / "real"
SEED = 8

FA_WORDS = re.compile(
    "انفجار|بمب|تجمع|تظاهرات|راهپیمایی|اعتصاب|آتش|حمله|تیراندازی|درگیری|کشته|مسلح|هک|نارنجک|"
    "خمپاره|راکت|اغتشاش|شورش|اعتراض|ترور|انتحاری|گروگان|سایبری|شعار|تخریب"
)
EN_WORDS = re.compile(
    r"\b(?:bomb\w*|blast\w*|explo\w*|protest\w*|demonstrat\w*|rall(?:y|ies)|strike[sr]?|riot\w*|"
    r"attack\w*|shot|shoot\w*|gun\w*|fire\w*|burn\w*|arson|hack\w*|clash\w*|militan\w*|rocket\w*|"
    r"grenade\w*|killed|march\w*|graffiti|vandal\w*)\b",
    re.IGNORECASE,
)


def _read(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _labels(path: Path, key: str) -> dict[str, str]:
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            out[r["id"]] = r.get(key) or ""
    return out


def _take(rng: random.Random, pool: list[dict], n: int, taken: set[str]) -> list[dict]:
    pool = [r for r in pool if r["id"] not in taken]
    rng.shuffle(pool)
    got = pool[:n]
    taken.update(r["id"] for r in got)
    return got


def select_fa(rng: random.Random) -> list[dict]:
    docs = _read(SHARED / "fars-news-2003-2021" / "reports.jsonl.gz")
    cat = _labels(SHARED / "fars-news-2003-2021" / "labels.jsonl", "cat")
    negative_sections = {
        "sports",
        "economy",
        "arts-media",
        "culture",
        "scientific-academic",
        "farsplus-magazine",
    }
    neg = [d for d in docs if cat.get(d["id"]) in negative_sections]
    news = [d for d in docs if cat.get(d["id"]) not in negative_sections]
    hot = [d for d in news if len(FA_WORDS.findall(d.get("title", "") + " " + d["text"])) >= 2]
    taken: set[str] = set()
    out = _take(rng, hot, 90, taken) + _take(rng, news, 50, taken) + _take(rng, neg, 60, taken)
    for d in out:
        d["section"] = cat.get(d["id"], "")
        d["corpus"] = "fars-news-2003-2021"
    return out


def select_en(rng: random.Random) -> list[dict]:
    docs = _read(SHARED / "bbc-news-2004-2005" / "reports.jsonl.gz")
    sec = _labels(SHARED / "bbc-news-2004-2005" / "labels.jsonl", "section")
    taken: set[str] = set()
    out: list[dict] = []
    for s in ("sport", "business", "tech", "entertainment"):
        out += _take(rng, [d for d in docs if sec.get(d["id"]) == s], 15, taken)
    hot = [d for d in docs if len(EN_WORDS.findall(d["text"])) >= 3]
    out += _take(rng, hot, 40, taken) + _take(
        rng, [d for d in docs if sec.get(d["id"]) == "politics"], 20, taken
    )
    for d in out:
        d["section"] = sec.get(d["id"], "")
        d["corpus"] = "bbc-news-2004-2005"
    with (SHARED / "case2021-dev" / "case2021_task2_dev_half.tsv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))
    rng.shuffle(rows)
    for r in rows[:80]:
        out.append(
            {
                "id": f"case2021-{r['id']}",
                "text": r["EventSnippet"],
                "title": "",
                "lang": "en",
                "corpus": "case2021-dev",
                "section": "",
            }
        )
    return out


def select_round2(rng: random.Random, taken: set[str]) -> tuple[list[dict], list[dict]]:
    """More news with conflict vocabulary (the first draw had few positives), none drawn before."""
    docs = _read(SHARED / "fars-news-2003-2021" / "reports.jsonl.gz")
    cat = _labels(SHARED / "fars-news-2003-2021" / "labels.jsonl", "cat")
    hot = [d for d in docs if len(FA_WORDS.findall(d.get("title", "") + " " + d["text"])) >= 2]
    fa = _take(rng, hot, 100, taken)
    for d in fa:
        d["section"], d["corpus"] = cat.get(d["id"], ""), "fars-news-2003-2021"
    bbc = _read(SHARED / "bbc-news-2004-2005" / "reports.jsonl.gz")
    sec = _labels(SHARED / "bbc-news-2004-2005" / "labels.jsonl", "section")
    en = _take(rng, [d for d in bbc if len(EN_WORDS.findall(d["text"])) >= 3], 40, taken)
    for d in en:
        d["section"], d["corpus"] = sec.get(d["id"], ""), "bbc-news-2004-2005"
    with (SHARED / "case2021-dev" / "case2021_task2_dev_half.tsv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
                if f"case2021-{r['id']}" not in taken]  # fmt: skip
    rng.shuffle(rows)
    for r in rows[:100]:
        en.append({"id": f"case2021-{r['id']}", "text": r["EventSnippet"], "title": "", "lang": "en",
                   "corpus": "case2021-dev", "section": ""})  # fmt: skip
    return fa, en


def _write(lang: str, docs: list[dict], first: int, parts: int) -> None:
    size = -(-len(docs) // parts)
    for k in range(parts):
        part = docs[k * size : (k + 1) * size]
        path = OUT / f"batch-{lang}-{first + k}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for d in part:
                keep = {x: d.get(x) for x in ("id", "corpus", "section", "published", "title", "text")}
                fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
        print(path, len(part))


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found", file=sys.stderr)
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    first = (select_fa(rng), select_en(rng))
    if "--round" in sys.argv and sys.argv[sys.argv.index("--round") + 1] == "2":
        taken = {d["id"] for docs in first for d in docs}
        fa, en = select_round2(random.Random(SEED + 1), taken)
        rng2 = random.Random(SEED + 2)
        rng2.shuffle(fa)
        rng2.shuffle(en)
        _write("fa", fa, 5, 2)
        _write("en", en, 3, 2)
        return 0
    for lang, docs in (("fa", first[0]), ("en", first[1])):
        rng.shuffle(docs)
        parts = 4 if lang == "fa" else 2  # Persian articles are long: smaller batches per annotator
        size = -(-len(docs) // parts)
        for k in range(1, parts + 1):
            part = docs[(k - 1) * size : k * size]
            path = OUT / f"batch-{lang}-{k}.jsonl"
            with path.open("w", encoding="utf-8") as fh:
                for d in part:
                    keep = {x: d.get(x) for x in ("id", "corpus", "section", "published", "title", "text")}
                    fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
            print(path, len(part))
    return 0


if __name__ == "__main__":
    sys.exit(main())
