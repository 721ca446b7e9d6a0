#!/usr/bin/env python3
"""Build the local cache of unannotated real news (bench/out/fresh/*.jsonl) from pinned commits of
public repositories; ``bench/eval_fresh.py`` codes it. Never commit the output (bench/out is ignored).

    python bench/fresh_extract.py {irnews|telegram|tehrantimes} REPO_GIT_DIR OUT.jsonl
    python bench/fresh_extract.py irnews-unread REPO_GIT_DIR OUT.jsonl [ROUND]   # evaluation samples
    python bench/fresh_extract.py tehrantimes-unread REPO_GIT_DIR OUT.jsonl [ROUND]
    python bench/fresh_extract.py telegram-unread REPO_GIT_DIR OUT.jsonl [ROUND]     # + @farsna
    python bench/fresh_extract.py telegram-more REPO_GIT_DIR OUT.jsonl [ROUND]       # training only
    python bench/fresh_extract.py all IRNEWS_DIR TELEGRAM_DIR TEHRANTIMES_DIR    # every file the benches read

REPO_GIT_DIR may be a clone or a bare git directory; the output is the same on every run (pinned
commits, a fixed seed). Each line: id, title, text, published (ISO, or null), lang, section, outlet,
url, source_repo, source_path, commit. Texts under 80 characters are skipped; at most 1,500 a file,
spread round-robin over outlets and sections.

| kind | repository @ commit | what | licence |
|---|---|---|---|
| irnews | shessam/IR-News-Dataset @ 583562d | 1,500 articles of Asr-e Iran, Tabnak, Sobhaneh, Roozno and Mashregh, Nov 2019 – Jun 2020 (a summarisation corpus; one sentence a line in the source) | GPL-3.0 (the texts are their publishers') |
| telegram | ariankarami1999-dev/Telegram @ 4d9cdc3 | 996 posts of @akhbarefori, @alonews, @VahidOnline, @news_hut, @farahmand_alipour and @withyashar, May – Aug 2026 (a mirror of t.me/s/ pages committed every 30 minutes; every 4th commit read) | none stated |
| telegram-unread, telegram-more | the same @ 4d9cdc3 | the other posts of those six channels and of @farsna (the Fars News Agency's channel): evaluation rounds of 120 (80 with two act words or more, 40 others), and training-only rounds of 1,500 posts spread over the seven channels, never one of the first four evaluation rounds (round 5 shares 11 posts with them: left out of its annotation, `fa-17`; round 6 shares 12: left out of `fa-18`; round 7 shares 11: left out of `fa-19`; round 8 shares 10: left out of `fa-20`; round 9 shares 15: left out of `fa-21`; round 10 shares 13: left out of `fa-22`; round 11 shares 11: left out of `fa-23`; round 12 shares 10: left out of `fa-24`) | none stated |
| tehrantimes | Kmahmoudi/Tehran-Times-Dataset @ 5441021 | 1,500 English Tehran Times articles of about 2017–2022 (no dates in the source) | CC BY 4.0 per its README |

    git clone https://github.com/shessam/IR-News-Dataset.git irnews
    git -C irnews checkout -q 583562d326b0693ffc5faf8b65cdae85263e9979
    python bench/fresh_extract.py irnews irnews bench/out/fresh/fa-irnews-2019-2020.jsonl
    git clone https://github.com/ariankarami1999-dev/Telegram.git tg
    git -C tg checkout -q 4d9cdc3083e161b1f0ca54378bac6ffafe1c56aa
    python bench/fresh_extract.py telegram tg bench/out/fresh/fa-telegram-2026.jsonl
    git clone https://github.com/Kmahmoudi/Tehran-Times-Dataset.git tt
    git -C tt checkout -q 5441021a9f52bb153c1d7ab18ae3d6a6a93f1099
    python bench/fresh_extract.py tehrantimes tt bench/out/fresh/en-tehrantimes-2017-2022.jsonl

sha256 of the three files: ef164e49a1a5abf4…, ca60a8e974dfb1b7…, c254d05e31e979df… (in that order).
"""

import contextlib
import html
import json
import random
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

PIN = {
    "irnews": ("shessam/IR-News-Dataset", "583562d326b0693ffc5faf8b65cdae85263e9979"),
    "telegram": ("ariankarami1999-dev/Telegram", "4d9cdc3083e161b1f0ca54378bac6ffafe1c56aa"),
    "tehrantimes": ("Kmahmoudi/Tehran-Times-Dataset", "5441021a"),  # full hash resolved at run time
}
MAX_ITEMS = 1500
MIN_TEXT = 80


class Git:
    def __init__(self, d):
        self.d = d
        self.p = subprocess.Popen(
            ["git", "-C", d, "cat-file", "--batch"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )

    def run(self, *a):
        return subprocess.run(["git", "-C", self.d, *a], check=True, capture_output=True).stdout.decode()

    def show(self, commit, path):
        return self.show_object(f"{commit}:{path}")

    def show_object(self, name):
        """A blob by name (``commit:path``, or its sha: much faster in a folder of thousands of files,
        where git resolves each path by reading the whole folder)."""
        self.p.stdin.write(f"{name}\n".encode())
        self.p.stdin.flush()
        hdr = self.p.stdout.readline().decode().split()
        if len(hdr) < 3 or hdr[1] == "missing":
            return None
        data = self.p.stdout.read(int(hdr[2]))
        self.p.stdout.read(1)
        return data.decode("utf-8", errors="replace")

    def ls(self, commit):
        return [x for x in self.run("ls-tree", "-r", "--name-only", "-z", commit).split("\0") if x]

    def blobs(self, commit):
        """path → blob sha of every file of ``commit``."""
        out = {}
        for entry in self.run("ls-tree", "-r", "-z", commit).split("\0"):
            if entry:
                meta, path = entry.split("\t", 1)
                out[path] = meta.split()[2]
        return out


def spread(items, key, n, seed=0):
    """Round-robin over groups (key) after a seeded shuffle inside each group."""
    rnd = random.Random(seed)
    groups = {}
    for it in items:
        groups.setdefault(key(it), []).append(it)
    for k in groups:
        rnd.shuffle(groups[k])
    out, ks = [], sorted(groups)
    while len(out) < n and any(groups[k] for k in ks):
        for k in ks:
            if groups[k] and len(out) < n:
                out.append(groups[k].pop())
    return out


def slug_title(s):
    return re.sub(r"[-_]+", " ", s).strip()


# ---------------------------------------------------------------- IR-News-Dataset (fa)
OUTLETS = {
    "asriran": "Asr-e Iran (asriran.com)",
    "tabnak": "Tabnak (tabnak.ir)",
    "roozno": "Roozno (roozno.com)",
    "mashregh": "Mashregh News (mashreghnews.ir)",
    "sobhane": "Sobhaneh Online (sobhanehonline.com)",
}


def irnews_all(g, commit, repo):
    """Every article of the repository, deduplicated by URL, in path order."""
    rows = []
    for path in g.ls(commit):
        if not path.startswith("Dataset/") or not path.endswith(".txt"):
            continue
        raw = g.show(commit, path)
        lines = raw.split("\n")
        meta = lines[0].split("###")
        if len(meta) < 7:
            continue
        src, title, url, cats, date = meta[:5]
        sents = []
        for line in lines[2:]:
            m = re.match(r"^\d+\t(.*)$", line)
            if m and m.group(1).strip():
                sents.append(m.group(1).strip())
        text = "\n".join(sents)
        if len(text) < MIN_TEXT:
            continue
        outlet_key = next(k for k in OUTLETS if src.startswith(k))
        if title.strip() in ("", "nan"):
            title = slug_title(
                url.rstrip("/").split("/")[-1]
            )  # title missing in source; rebuilt from URL slug
        c = cats.strip()
        if c.startswith("["):
            parts = []
            for x in re.findall(r"'([^']*)'", c):
                x = x.replace(
                    "\\u200c", "\u200c"
                ).strip()  # source writes some ZWNJs in labels as a literal "\u200c"
                if x and x not in parts:
                    parts.append(x)
            c = ", ".join(parts)
        pub = None
        with contextlib.suppress(ValueError):
            pub = (
                datetime.strptime(date.strip(), "%Y-%m-%d %H:%M:%S")
                .replace(tzinfo=ZoneInfo("Asia/Tehran"))
                .isoformat()
            )
        rows.append(
            {
                "id": f"irnews-{path.split('/')[-1][:-4]}",
                "title": title.strip(),
                "text": text,
                "published": pub,
                "lang": "fa",
                "section": c or None,
                "outlet": OUTLETS[outlet_key],
                "source_repo": repo,
                "source_path": path,
                "commit": commit,
                "url": url,
            }
        )
    # dedupe by URL (same article can be in two crawls)
    seen, uniq = set(), []
    for r in sorted(rows, key=lambda r: r["source_path"]):
        k = re.sub(r"/+", "/", r["url"].split("://")[-1])
        if k in seen:
            continue
        seen.add(k)
        uniq.append(r)
    return uniq


def _outlet_section(r):
    return (r["outlet"], (r["section"] or "").split(",")[0])


def irnews(g, commit, repo):
    return spread(irnews_all(g, commit, repo), key=_outlet_section, n=MAX_ITEMS)


# Broad act vocabulary, far wider than either codebook's patterns (bench/real/select.py's list plus
# state and ACLED words), used only to enrich a sample with likely positives.
ACT_WORDS = re.compile(
    "انفجار|بمب|تجمع|تظاهرات|راهپیمایی|اعتصاب|آتش|حمله|تیراندازی|درگیری|کشته|مسلح|هک|نارنجک|"
    "خمپاره|راکت|اغتشاش|شورش|اعتراض|ترور|انتحاری|گروگان|سایبری|شعار|تخریب|موشک|پهپاد|"
    "بازداشت|دستگیر|اعدام|معترض|اشغال|غارت"
)


def irnews_unread(g, commit, repo, round_=1, n=120, hot=80, seed=12):
    """An evaluation sample of articles that are NOT among the 1,500 of ``irnews`` (so nobody has
    read them while tuning): ``hot`` drawn at random among those with at least three hits of
    ACT_WORDS in title and text, the rest drawn at random among the others; at most 6,000 characters
    so that one person reads each whole. Ids sorted before the seeded shuffles; round 2 takes the
    next ``hot`` and the next others of the same shuffles (none of round 1)."""
    every = irnews_all(g, commit, repo)
    read = {r["id"] for r in spread(every, key=_outlet_section, n=MAX_ITEMS)}
    return unread_sample([r for r in every if r["id"] not in read], ACT_WORDS, round_, n, hot, seed)


def unread_sample(rows, words, round_, n, hot, seed, hits=3):
    """Round ``round_`` of a seeded sample of ``rows`` (at most 6,000 characters, ids sorted first):
    ``hot`` among those with at least ``hits`` hits of ``words`` in title and text, ``n - hot`` among
    the others; later rounds take the next ones of the same shuffles."""
    pool = sorted((r for r in rows if len(r["text"]) <= 6000), key=lambda r: r["id"])
    likely = [r for r in pool if len(words.findall((r["title"] or "") + " " + r["text"])) >= hits]
    hot_ids = {r["id"] for r in likely}
    other = [r for r in pool if r["id"] not in hot_ids]
    rnd = random.Random(seed)
    rnd.shuffle(likely)
    rnd.shuffle(other)
    k = round_ - 1
    out = likely[k * hot : (k + 1) * hot] + other[k * (n - hot) : (k + 1) * (n - hot)]
    rnd.shuffle(out)
    return out


# ---------------------------------------------------------------- Telegram mirror (fa)
JMONTHS = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
]


def jalali_to_gregorian(jy, jm, jd):
    # standard arithmetic conversion (jalaali-js algorithm)
    jy += 1595
    days = (
        -355668
        + (365 * jy)
        + ((jy // 33) * 8)
        + (((jy % 33) + 3) // 4)
        + jd
        + ((jm - 1) * 31 if jm < 7 else ((jm - 7) * 30) + 186)
    )
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    gd = days + 1
    sal = [
        0,
        31,
        29 if (gy % 4 == 0 and gy % 100 != 0) or gy % 400 == 0 else 28,
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ]
    gm = 1
    while gm < 13 and gd > sal[gm]:
        gd -= sal[gm]
        gm += 1
    return gy, gm, gd


TG_CHANNELS = ["akhbarefori", "alonews", "VahidOnline", "news_hut", "farahmand_alipour", "withyashar"]
POST_RE = re.compile(
    r'<div class="tg-post" id="msg-(\d+)">(.*?)\n</div>\n(?=\n|<div class="tg-post"|</div>)', re.S
)
TEXT_RE = re.compile(r'<div class="tg-text">(.*?)</div>\n<div class="tg-footer">', re.S)
DATE_RE = re.compile(r"📅 (\d\d):(\d\d) · (\d\d) ([A-Za-z]+) (\d{4})</a>")
TITLE_RE = re.compile(r"<h1>📡 (.*?)</h1>")
TEHRAN = timezone(timedelta(hours=3, minutes=30))  # the mirror script renders times at fixed UTC+03:30


def _read_posts(g, commit, repo, channels, every=4):
    """(channel, message id) → post, for every post of ``channels`` in every ``every``-th commit."""
    commits = g.run("rev-list", "--first-parent", commit).split()
    sample = commits[::every]
    posts = {}
    for c in sample:  # newest first: first version seen of a post is the latest edit
        for ch in channels:
            path = f"channels/{ch}.md"
            raw = g.show(c, path)
            if not raw:
                continue
            tm = TITLE_RE.search(raw)
            chtitle = tm.group(1).strip() if tm else ch
            for m in POST_RE.finditer(raw):
                mid, body = m.group(1), m.group(2)
                key = (ch, mid)
                if key in posts:
                    continue
                t = TEXT_RE.search(body)
                d = DATE_RE.search(body)
                if not t:
                    continue
                text = html.unescape(re.sub(r"<[^>]+>", "", t.group(1))).strip()
                if len(text) < MIN_TEXT:
                    continue
                pub = None
                if d and d.group(4) in JMONTHS:
                    gy, gm, gd = jalali_to_gregorian(
                        int(d.group(5)), JMONTHS.index(d.group(4)) + 1, int(d.group(3))
                    )
                    pub = datetime(gy, gm, gd, int(d.group(1)), int(d.group(2)), tzinfo=TEHRAN).isoformat()
                posts[key] = {
                    "id": f"tg-{ch}-{mid}",
                    "title": None,
                    "text": text,
                    "published": pub,
                    "lang": "fa",
                    "section": None,
                    "outlet": f"Telegram @{ch} ({chtitle})",
                    "source_repo": repo,
                    "source_path": path,
                    "commit": c,
                    "url": f"https://t.me/{ch}/{mid}",
                }
    return posts


def _dedupe(posts):
    """Identical texts (cross-posts, reposts) once: the first one read."""
    seen, uniq = set(), []
    for p in posts.values():
        k = re.sub(r"\s+", " ", p["text"])
        if k in seen:
            continue
        seen.add(k)
        uniq.append(p)
    return uniq


def telegram(g, commit, repo, every=4, posts=None):
    """996 posts of TG_CHANNELS (``posts``: those already read by :func:`_read_posts`, any channels)."""
    if posts is None:
        posts = _read_posts(g, commit, repo, TG_CHANNELS, every)
    uniq = _dedupe({k: p for k, p in posts.items() if k[0] in TG_CHANNELS})
    # even spread over time within each channel, ~equal quota per channel
    out = []
    per = 1000 // len(TG_CHANNELS)
    for ch in TG_CHANNELS:
        lst = sorted(
            [p for p in uniq if p["id"].startswith(f"tg-{ch}-")],
            key=lambda p: (p["published"] or "", p["id"]),
        )
        if len(lst) > per:
            step = len(lst) / per
            lst = [lst[int(i * step)] for i in range(per)]
        out += lst
    return out


# the unread Telegram posts: the six channels and the Fars News Agency's channel, minus the 996 of
# ``telegram``; evaluation rounds (``telegram-unread``, like ``irnews_unread``) and training-only caches
# (``telegram-more``: 1,500 posts a round, an even spread over channels, never any of the first
# TG_EVAL_ROUNDS evaluation rounds) are disjoint
TG_MORE_CHANNELS = [*TG_CHANNELS, "farsna"]
# kept at 4 so that the training caches stay as they were: evaluation round 5 shares 11 posts with them
TG_EVAL_ROUNDS = 4


def _telegram_unread_rows(g, commit, repo):
    posts = _read_posts(g, commit, repo, TG_MORE_CHANNELS)  # the mirror is read once for both
    read = {p["id"] for p in telegram(g, commit, repo, posts=posts)}
    return [p for p in _dedupe(posts) if p["id"] not in read]


def telegram_unread(g, commit, repo, round_=1, n=120, hot=80, seed=12):
    # posts are short: two hits of the act words make a post likely
    return unread_sample(_telegram_unread_rows(g, commit, repo), ACT_WORDS, round_, n, hot, seed, hits=2)


def telegram_more(g, commit, repo, round_=1, seed=5):
    rows = _telegram_unread_rows(g, commit, repo)
    held = {
        p["id"]
        for k in range(1, TG_EVAL_ROUNDS + 1)
        for p in unread_sample(rows, ACT_WORDS, k, 120, 80, 12, hits=2)
    }
    rows = sorted((p for p in rows if p["id"] not in held), key=lambda p: p["id"])
    picked = spread(rows, key=lambda p: p["id"].rsplit("-", 1)[0], n=MAX_ITEMS * TG_EVAL_ROUNDS, seed=seed)
    return picked[(round_ - 1) * MAX_ITEMS : round_ * MAX_ITEMS]


# ---------------------------------------------------------------- Tehran Times (en)
FOOTER = "All Content by Mehr News Agency is licensed under a Creative Commons Attribution 4.0 International License."


def tehrantimes(g, commit, repo, min_id=410000, unread=False):
    """An even spread of 1,500 articles by id; ``unread``: every other article instead (none of those)."""
    rows = []
    shas = g.blobs(commit)
    for path in shas:
        m = re.match(r"^data/_news_(\d+)_(.*)\.txt$", path)
        if not m or int(m.group(1)) < min_id:
            continue
        rows.append((int(m.group(1)), path, m.group(2)))
    rows.sort()
    # even spread over article ids (ids grow with publication date)
    step = max(1.0, len(rows) / (MAX_ITEMS * 1.1))
    picked = [rows[int(i * step)] for i in range(int(len(rows) / step))]
    if unread:
        chosen = set(picked)
        picked = [r for r in rows if r not in chosen]
    out = []
    for nid, path, slug in picked:
        raw = g.show_object(shas[path]) or ""
        raw = raw.replace(FOOTER, "")
        paras = []
        for line in raw.split("\n"):
            ln = line.strip()
            if not ln:
                continue
            # the crawl repeats every trailing part of the article as its own line
            if any(ln in p for p in paras):
                continue
            paras.append(ln)
        text = "\n".join(paras).strip()
        if len(text) < MIN_TEXT:
            continue
        out.append(
            {
                "id": f"tehrantimes-{nid}",
                "title": slug_title(slug),
                "text": text,
                "published": None,
                "lang": "en",
                "section": None,
                "outlet": "Tehran Times (tehrantimes.com)",
                "source_repo": repo,
                "source_path": path,
                "commit": commit,
                "url": f"https://www.tehrantimes.com/news/{nid}",
            }
        )
    seen, uniq = set(), []
    for r in out:
        k = re.sub(r"\s+", " ", r["text"])[:2000]
        if k in seen:
            continue
        seen.add(k)
        uniq.append(r)
    return uniq if unread else uniq[:MAX_ITEMS]


EN_ACT_WORDS = re.compile(
    r"\b(?:bomb\w*|blast\w*|explo\w*|protest\w*|demonstrat\w*|rall(?:y|ies)|riot\w*|attack\w*|shot|"
    r"shoot\w*|gun\w*|fire\w*|burn\w*|arson|hack\w*|clash\w*|militan\w*|rocket\w*|missile\w*|drone\w*|"
    r"air ?strike\w*|grenade\w*|killed|arrest\w*|execut\w*)\b",
    re.IGNORECASE,
)


def tehrantimes_unread(g, commit, repo, round_=1, n=120, hot=80, seed=12):
    """An evaluation sample of Tehran Times articles that are NOT among the 1,500 of ``tehrantimes``,
    drawn as ``irnews_unread`` draws (``hot`` with at least three hits of EN_ACT_WORDS, the rest at
    random; at most 6,000 characters; round 2 takes the next ones of the same shuffles)."""
    return unread_sample(tehrantimes(g, commit, repo, unread=True), EN_ACT_WORDS, round_, n, hot, seed)


# every cache file that bench/eval_real.py and bench/eval_real_acled.py read (UNREAD, FRESH there):
# kind, round, file name under bench/out/fresh
ALL = [
    ("irnews", 1, "fa-irnews-2019-2020.jsonl"),
    ("irnews-unread", 1, "fa-irnews-unread.jsonl"),
    *(("irnews-unread", r, f"fa-irnews-unread-{r}.jsonl") for r in range(2, 9)),
    ("tehrantimes", 1, "en-tehrantimes-2017-2022.jsonl"),
    *(("tehrantimes-unread", r, f"en-tehrantimes-unread-{r}.jsonl") for r in range(1, 16)),
    ("telegram", 1, "fa-telegram-2026.jsonl"),
    *(("telegram-unread", r, f"fa-telegram-unread-{r}.jsonl") for r in range(1, 13)),
    *(("telegram-more", r, f"fa-telegram-2026-more-{r}.jsonl") for r in range(1, 4)),
]


def build_all(irnews_dir, telegram_dir, tehrantimes_dir, out_dir="bench/out/fresh"):
    """``all IRNEWS_DIR TELEGRAM_DIR TEHRANTIMES_DIR [OUT_DIR]``: every file of ``ALL``, two at a time
    (each one a child run of this script, as its own command would make it)."""
    import os

    dirs = {"irnews": irnews_dir, "telegram": telegram_dir, "tehrantimes": tehrantimes_dir}
    os.makedirs(out_dir, exist_ok=True)
    jobs = [
        [sys.executable, __file__, kind, dirs[kind.split("-")[0]], os.path.join(out_dir, name), str(r)]
        for kind, r, name in ALL
    ]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(2) as pool:
        codes = list(pool.map(lambda j: subprocess.run(j).returncode, jobs))
    failed = [" ".join(j) for j, rc in zip(jobs, codes, strict=True) if rc != 0]
    if failed:
        sys.exit("failed: " + "; ".join(failed))


def main():
    if sys.argv[1] == "all":
        build_all(*sys.argv[2:])
        return
    kind, d, outp = sys.argv[1:4]
    round_ = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    repo, commit = PIN[kind.split("-")[0]]
    g = Git(d)
    commit = g.run("rev-parse", commit + "^{commit}").strip()
    make = {
        "irnews": irnews,
        "irnews-unread": irnews_unread,
        "telegram": telegram,
        "telegram-unread": telegram_unread,
        "telegram-more": telegram_more,
        "tehrantimes-unread": tehrantimes_unread,
    }
    make["tehrantimes"] = tehrantimes
    rounds = kind.endswith(("-unread", "-more"))
    rows = make[kind](g, commit, repo, round_) if rounds else make[kind](g, commit, repo)
    with open(outp, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(kind, len(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
