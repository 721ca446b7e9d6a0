"""Generate N synthetic reports (JSONL) for throughput benchmarks: realistic length, both languages.

    python bench/generate.py 10000 bench/out/reports-10k.jsonl [--seed 1]

Each report is a channel post (1–5 sentences) or a news article (5–15 sentences), about 700
characters on average (100–2,500):
event sentences naming 1–4 cities and a date (Solar Hijri, Gregorian or relative), background
and quotation sentences without events, opinion pieces, headlines. About 20% omit ``lang``.
Generated text is synthetic and only exercises speed and memory, not coding quality.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
from pathlib import Path

import jdatetime

CITIES = [
    ("Tehran", "تهران"), ("Karaj", "کرج"), ("Rasht", "رشت"), ("Mashhad", "مشهد"), ("Isfahan", "اصفهان"),
    ("Shiraz", "شیراز"), ("Tabriz", "تبریز"), ("Ahvaz", "اهواز"), ("Kermanshah", "کرمانشاه"), ("Zahedan", "زاهدان"),
    ("Sanandaj", "سنندج"), ("Urmia", "ارومیه"), ("Qom", "قم"), ("Arak", "اراک"), ("Yazd", "یزد"), ("Kerman", "کرمان"),
    ("Hamadan", "همدان"), ("Ardabil", "اردبیل"), ("Zanjan", "زنجان"), ("Sari", "ساری"), ("Gorgan", "گرگان"),
    ("Bandar Abbas", "بندرعباس"), ("Bushehr", "بوشهر"), ("Khorramabad", "خرم‌آباد"), ("Ilam", "ایلام"),
    ("Birjand", "بیرجند"), ("Bojnurd", "بجنورد"), ("Semnan", "سمنان"), ("Qazvin", "قزوین"), ("Yasuj", "یاسوج"),
]  # fmt: skip
EN_ACTS = [
    "Sepideh units wrote slogans on walls in {places} {when}.",
    "Sepideh units set fire to images of officials in {places} {when}.",
    "Banners of the network were put up in {places} {when}.",
    "Leaflets were distributed in residential areas of {places} {when}.",
    "A homemade bomb exploded near a Basij base in {places} {when}.",
    "Workers gathered outside the governor's office in {places} {when}, chanting slogans.",
    "Gunmen opened fire on a police post in {places} {when}.",
    "A hand-made grenade was thrown at a militia office in {places} {when}.",
]
FA_ACTS = [
    "واحدهای سپیده {when} در {places} شعارنویسی کردند.",
    "کانون‌های سپیده {when} در {places} تصاویر سرکوبگران را به آتش کشیدند.",
    "{when} در {places} بنرهای شبکه نصب شد.",
    "{when} در {places} تراکت‌های شبکه پخش شد.",
    "{when} یک بمب دست‌ساز در نزدیکی پایگاه بسیج در {places} منفجر شد.",
    "کارگران {when} در مقابل استانداری در {places} تجمع کردند.",
    "{when} در {places} به سوی یک پاسگاه تیراندازی شد.",
]
EN_FILLER = [
    "Local officials did not respond to requests for comment.",
    "The network said its members would continue their campaign in the coming weeks.",
    "Photos released by the group could not be independently verified.",
    "Analysts say the economy remains the main source of public anger, with inflation above forty percent.",
    "Security was visibly tightened around government buildings, residents said.",
    "The regime is playing with fire, a spokesman for the network said in a statement.",
    "Prices of bread and rice have risen sharply since the start of the year.",
]
FA_FILLER = [
    "مقام‌های محلی تاکنون واکنشی نشان نداده‌اند.",
    "این شبکه اعلام کرد که فعالیت‌های خود را در هفته‌های آینده ادامه خواهد داد.",
    "تصاویر منتشرشده به طور مستقل تأیید نشده است.",
    "کارشناسان می‌گویند تورم بالا مهم‌ترین عامل نارضایتی عمومی است.",
    "به گفته شاهدان، تدابیر امنیتی در اطراف ساختمان‌های دولتی تشدید شده است.",
    "قیمت نان و برنج از ابتدای سال به شدت افزایش یافته است.",
]
OUTLETS = [
    "Sepideh Telegram",
    "Sepideh News",
    "Iran Monitor",
    "Didban Iran",
    "Vatan News Agency",
    "Regional Wire",
]
START = dt.datetime(2022, 3, 21, tzinfo=dt.UTC)


def _places(rng: random.Random, lang: str) -> str:
    names = [c[1] if lang == "fa" else c[0] for c in rng.sample(CITIES, rng.choice((1, 1, 1, 2, 3, 4)))]
    if len(names) == 1:
        return names[0]
    sep, last = ("، ", " و ") if lang == "fa" else (", ", " and ")
    return sep.join(names[:-1]) + last + names[-1]


def _when(rng: random.Random, lang: str, pub: dt.datetime) -> str:
    back = rng.randint(0, 3)
    day = (pub - dt.timedelta(days=back)).date()
    kind = rng.random()
    if lang == "fa":
        if kind < 0.3:
            j = jdatetime.date.fromgregorian(date=day)
            return f"روز {j.day} {jdatetime.date.j_months_fa[j.month - 1]} {j.year}"
        return rng.choice(["دیشب", "شب گذشته", "روز پنجشنبه", "شامگاه جمعه", "امروز"])
    if kind < 0.3:
        return f"on {day.day} {day.strftime('%B')} {day.year}"
    return rng.choice(["last night", "on Saturday night", "on Thursday", "yesterday", "earlier today"])


def report(i: int, rng: random.Random) -> dict[str, object]:
    lang = "fa" if rng.random() < 0.55 else "en"
    pub = START + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 500))
    acts, filler = (FA_ACTS, FA_FILLER) if lang == "fa" else (EN_ACTS, EN_FILLER)
    sentences = []
    opinion = rng.random() < 0.08
    article = rng.random() < 0.45  # a news article; else a channel post
    for _ in range(0 if opinion else rng.choice((1, 1, 2, 3))):
        sentences.append(rng.choice(acts).format(places=_places(rng, lang), when=_when(rng, lang, pub)))
    for _ in range(rng.randint(8, 20) if article else rng.randint(1, 2)):
        sentences.append(rng.choice(filler))
    rng.shuffle(sentences)
    title = ("Analysis: " if opinion else "") + sentences[0][:70] if lang == "en" else sentences[0][:60]
    rec: dict[str, object] = {
        "id": f"gen-{i:08d}",
        "url": f"https://news.example/{i}",
        "outlet": rng.choice(OUTLETS),
        "published": pub.isoformat(),
        "title": title,
        "text": " ".join(sentences),
    }
    if rng.random() > 0.2:
        rec["lang"] = lang
    return rec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8") as fh:
        for i in range(args.n):
            fh.write(json.dumps(report(i, rng), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
