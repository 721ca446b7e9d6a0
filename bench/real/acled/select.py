"""Draw the Persian documents of the `acled` real-text evaluation set (deterministic; run once).

    python bench/real/acled/select.py      # writes bench/out/real/acled-batch-fa.jsonl for the annotator
    python bench/real/acled/select.py --round 2   # acled-batch-fa-2.jsonl: more likely positives
    python bench/real/acled/select.py --round 3   # acled-batch-fa-3.jsonl: the rest of the held-out ones
    python bench/real/acled/select.py --round 4   # acled-batch-fa-4.jsonl: 100 more, not yet annotated
    python bench/real/acled/select.py --round 5   # acled-batch-fa-5.jsonl: tuning-set and long items

Fars News items (../shared/data/fars-news-2003-2021) that are NOT in the political-action set
(bench/real/annotations, bench/real/agreement), so that neither codebook's tuning has read them as
documents. Texts of at most 5,000 characters (nine in ten of the corpus), so that one person can read
each whole. Three strata, seeded:
- 45 "hot" news items (sections other than sports/economy/culture/arts/science/magazine) with at least
  three hits of a broad ACLED vocabulary (clashes, air and drone strikes, shelling, bombs, killings,
  arrests, executions, protests, riots, kidnappings) — much wider than any codebook's patterns;
- 15 news items of the same sections drawn at random (hot or not);
- 30 items of the non-news sections (sports, economy, culture, arts-media, science, magazine).
Round 2 (the first draw held only 13 documents with events: the broad vocabulary is met by
commemorations of martyrs, thefts and drug seizures): every remaining news item of at most 5,000
characters with at least two hits of a stricter list of act words (killed, wounded, clashes, shooting,
blasts, bombs, air strikes, drones, shells, missiles, arrests, executions, demonstrations, marches,
gatherings, strikes, kidnapping, hostages, riots, protesters), plus 15 such items (at least three hits)
drawn from the political-action set's held-out files (fa-3, fa-4, fa-6: nobody tunes on them; their
political-action labels are not read). Round 3: the other such held-out items (at least three hits).
Round 4 (100 items not in bench/real/acled/fa-1..fa-3.jsonl nor in the political-action set, at most
5,000 characters; after round 2 no news item with two act-word hits was left, so the likely positives are
the best remaining ones): 70 "likely positives" = every such item with at least two act-word hits
whatever its section (the site's sections misfile news: protests, weapon seizures and incident round-ups
sit in magazine or culture), then every news item with one act-word hit, then news items with at least
two broad-vocabulary hits drawn at random to fill 70; plus 30 news items drawn at random from the rest
(negatives and borderline cases: crime, commemorations, speeches, plans). Seed SEED + 4, ids sorted
before shuffling, so the draw does not depend on the order of the corpus file.
Round 5 (after round 4 the short news items with act words are used up; nothing in
bench/real/acled/fa-1..fa-4.jsonl is drawn again), two sources never annotated for `acled`:
(a) up to 70 documents of the political-action set that are not held out (the ids of
bench/real/annotations/fa-1, fa-2, fa-5: only the ids are read, never their labels) with at least two
act-word hits, most hits first, whatever their length or section; (b) up to 30 other items longer than
5,000 and at most 12,000 characters with at least two act-word hits, most hits first, whatever their
section and even when the political-action set holds them (held out or in the agreement set: outside
the set only one such item is left, and rounds 2-3 already drew held-out items; their labels are not
read). Ties are broken by a draw seeded with SEED + 5 over the sorted ids. The sources hold fewer than
100 (42 + 6), so all of them are taken. The batch is shuffled with the same seed.
The texts stay in ../shared and in the ignored bench/out; only ids and labels are committed.
The annotator sees the texts only, never the coder's output.
"""

from __future__ import annotations

import gzip
import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SHARED = ROOT.parent / "shared" / "data" / "fars-news-2003-2021"
TAKEN = [ROOT / "bench" / "real" / "annotations", ROOT / "bench" / "real" / "agreement"]
OUT = ROOT / "bench" / "out" / "real"
SEED = 25
MAX_CHARS = 5000
NEGATIVE_SECTIONS = frozenset(
    {"sports", "economy", "arts-media", "culture", "scientific-academic", "farsplus-magazine"}
)
# broad ACLED vocabulary (normalised spelling: Persian ی/ک, ZWNJ and spaces optional)
ACLED_WORDS = re.compile(
    "درگیری|حمله|حملات|هوایی|پهپاد|گلوله ?باران|خمپاره|موشک|راکت|توپخانه|انفجار|بمب|انتحاری|"
    "کشته|شهید|بازداشت|دستگیر|اعدام|تظاهرات|تجمع|راهپیمایی|اعتراض|اعتصاب|آشوب|اغتشاش|شورش|"
    "ربوده|ربایی|گروگان|تیراندازی|مسلح|ترور|شبه ?نظامی|تروریست"
)
ACT_WORDS = re.compile(
    "کشته شد|کشته شدند|به شهادت رسید|زخمی|درگیری|تیراندازی|انفجار|بمب|حمله هوایی|حملات هوایی|پهپاد|"
    "گلوله|خمپاره|راکت|موشک|بازداشت|دستگیر|اعدام|تظاهرات|راهپیمایی|تجمع|اعتصاب|ربوده|گروگان|آشوب|"
    "اغتشاش|شورش|معترض"
)
HELD_OUT = ("fa-3", "fa-4", "fa-6")
ACLED_SETS = ROOT / "bench" / "real" / "acled"
EARLIER_ROUNDS = ("fa-1", "fa-2", "fa-3")  # not fa-4 itself, so that the draw can be rerun
TUNING = ("fa-1", "fa-2", "fa-5")  # political-action files that are not held out (round 5 reads their ids)
LONG_CHARS = 12000


def ids_of(folder: Path, names: tuple[str, ...]) -> set[str]:
    """The document ids of the JSON Lines files `names` in `folder` (nothing else is read)."""
    return {
        json.loads(x)["id"]
        for f in names
        for x in (folder / f"{f}.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    }


def round4(docs: list[dict], cat: dict[str, str], taken: set[str]) -> list[dict]:
    """Round 4: 70 likely positives and 30 random news items, none annotated before (see above)."""
    done = taken | {
        json.loads(x)["id"]
        for f in EARLIER_ROUNDS
        for x in (ACLED_SETS / f"{f}.jsonl").read_text(encoding="utf-8").splitlines()
        if x.strip()
    }
    pool = sorted(
        (d for d in docs if d["id"] not in done and len(d["text"]) <= MAX_CHARS), key=lambda d: d["id"]
    )
    text = lambda d: normalise(d.get("title", "") + " " + d["text"])  # noqa: E731
    acts = {d["id"]: len(ACT_WORDS.findall(text(d))) for d in pool}
    broad = {d["id"]: len(ACLED_WORDS.findall(text(d))) for d in pool}
    news = [d for d in pool if cat.get(d["id"]) not in NEGATIVE_SECTIONS]
    rng = random.Random(SEED + 4)
    likely = [d for d in pool if acts[d["id"]] >= 2] + [d for d in news if acts[d["id"]] == 1]
    fill = [d for d in news if acts[d["id"]] == 0 and broad[d["id"]] >= 2]
    rng.shuffle(fill)
    likely = (likely + fill)[:70]
    ids = {d["id"] for d in likely}
    rest = [d for d in news if d["id"] not in ids]
    rng.shuffle(rest)
    chosen = likely + rest[:30]
    rng.shuffle(chosen)
    return chosen


def round5(docs: list[dict]) -> list[dict]:
    """Round 5: up to 70 tuning-set documents and 30 long news items with act words (see above)."""
    done = ids_of(ACLED_SETS, (*EARLIER_ROUNDS, "fa-4"))
    tuning = ids_of(TAKEN[0], TUNING)
    rng = random.Random(SEED + 5)
    pool = sorted((d for d in docs if d["id"] not in done), key=lambda d: d["id"])
    rng.shuffle(pool)  # the tie-break between documents with as many hits
    acts = {d["id"]: len(ACT_WORDS.findall(normalise(d.get("title", "") + " " + d["text"]))) for d in pool}
    pool.sort(key=lambda d: -acts[d["id"]])
    part_a = [d for d in pool if d["id"] in tuning and acts[d["id"]] >= 2][:70]
    picked = {d["id"] for d in part_a}
    part_b = [
        d
        for d in pool
        if d["id"] not in picked and MAX_CHARS < len(d["text"]) <= LONG_CHARS and acts[d["id"]] >= 2
    ][:30]
    chosen = part_a + part_b
    rng.shuffle(chosen)
    print(f"round 5: {len(part_a)} from the tuning set, {len(part_b)} long items", file=sys.stderr)
    return chosen


def normalise(text: str) -> str:
    return text.replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ")


def main() -> int:
    if not SHARED.is_dir():
        print(f"skipped: {SHARED} not found", file=sys.stderr)
        return 0
    with gzip.open(SHARED / "reports.jsonl.gz", "rt", encoding="utf-8") as fh:
        docs = [json.loads(x) for x in fh if x.strip()]
    cat = {}
    for line in (SHARED / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            cat[r["id"]] = r.get("cat") or ""
    taken = {
        json.loads(x)["id"]
        for folder in TAKEN
        for p in sorted(folder.glob("*.jsonl"))
        for x in p.read_text(encoding="utf-8").splitlines()
        if x.strip()
    }
    all_docs = docs
    docs = [d for d in docs if d["id"] not in taken and len(d["text"]) <= MAX_CHARS]
    news = [d for d in docs if cat.get(d["id"]) not in NEGATIVE_SECTIONS]
    neg = [d for d in docs if cat.get(d["id"]) in NEGATIVE_SECTIONS]
    hot = [d for d in news if len(ACLED_WORDS.findall(normalise(d.get("title", "") + " " + d["text"]))) >= 3]
    rng = random.Random(SEED)
    chosen: list[dict] = []
    seen: set[str] = set()
    for pool, n in ((hot, 45), (news, 15), (neg, 30)):
        pool = sorted((d for d in pool if d["id"] not in seen), key=lambda d: d["id"])
        rng.shuffle(pool)
        chosen += pool[:n]
        seen.update(d["id"] for d in pool[:n])
    rng.shuffle(chosen)
    name = "acled-batch-fa.jsonl"
    rnd = sys.argv[sys.argv.index("--round") + 1] if "--round" in sys.argv else "1"
    if rnd in ("2", "3"):
        name = f"acled-batch-fa-{rnd}.jsonl"
        acts = lambda d: len(ACT_WORDS.findall(normalise(d.get("title", "") + " " + d["text"])))  # noqa: E731
        every = {d["id"]: d for d in all_docs}
        rest = [d for d in news if d["id"] not in seen and acts(d) >= 2]
        held = sorted(
            json.loads(x)["id"]
            for f in HELD_OUT
            for x in (TAKEN[0] / f"{f}.jsonl").read_text(encoding="utf-8").splitlines()
            if x.strip()
        )
        held_hot = [every[i] for i in held if i in every and len(every[i]["text"]) <= MAX_CHARS
                    and cat.get(i) not in NEGATIVE_SECTIONS and acts(every[i]) >= 3]  # fmt: skip
        rng2 = random.Random(SEED + 1)
        rng2.shuffle(held_hot)
        chosen = sorted(rest, key=lambda d: d["id"]) + held_hot[:15]
        rng2.shuffle(chosen)
        if rnd == "3":
            chosen = held_hot[15:]
    if rnd == "4":
        name = "acled-batch-fa-4.jsonl"
        chosen = round4(all_docs, cat, taken)
    if rnd == "5":
        name = "acled-batch-fa-5.jsonl"
        chosen = round5(all_docs)
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    with path.open("w", encoding="utf-8") as fh:
        for d in chosen:
            keep = {x: d.get(x) for x in ("id", "published", "title", "text")}
            keep["section"] = cat.get(d["id"], "")
            fh.write(json.dumps(keep, ensure_ascii=False) + "\n")
    print(path, len(chosen), f"(hot pool {len(hot)}, news {len(news)}, negative sections {len(neg)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
