"""Coding time against report size: is it linear? (issue 9: hostile input must not stall a run)

Codes one report of 0.5, 1 and 2 MB (and more with --sizes) in each language, built from real-style
news sentences (with full stops) and from run-on text without any (hostile: every few words an act),
and prints seconds, seconds per MB and the ratio of the largest to the smallest per MB (1.0 = linear).

    python bench/bench_scale.py [--sizes 0.5 1 2] [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import time

from eventledger.extract.codebook import load_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.normalize.document import to_document
from eventledger.records import RawReport

UNITS = {
    "fa-news": (
        "fa",
        "به گزارش خبرنگار ما، گروهی از معترضان روز دوشنبه در مقابل استانداری تبریز تجمع کردند و شعار دادند. "
        "در این حادثه یک خودرو به آتش کشیده شد و انفجار یک بمب در خیابان امام دو زخمی برجای گذاشت.\n",
    ),
    "en-news": (
        "en",
        "Protesters gathered outside the governor's office in Tabriz on Monday and chanted slogans. "
        "A car was set on fire and a bomb exploded in Imam Street, wounding two.\n",
    ),
    "fa-run-on": ("fa", "معترضان در تبریز تجمع کردند و بمب در تهران منفجر شد ۱۲ اسفند "),
    "en-run-on": ("en", "protesters gathered in Tabriz and a bomb exploded in Tehran on 12 March, "),
}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", nargs="+", type=float, default=[0.5, 1.0, 2.0], help="report sizes in MB")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    coder = RuleCoder(load_codebook("political-action"), default_gazetteer(), budget_s=None)
    pub = dt.datetime(2023, 3, 20, tzinfo=dt.UTC)
    coder.code(to_document(RawReport(text="warm-up", origin="-", outlet="b", published=pub, lang="en")))
    rows = []
    for name, (lang, unit) in UNITS.items():
        per_mb = []
        for mb in args.sizes:
            text = unit * int(mb * 1e6 / len(unit.encode()))
            doc = to_document(
                RawReport(text=text, origin="-", outlet="b", published=pub, lang=lang, title="t")
            )
            assert not isinstance(doc, Exception)
            t0 = time.process_time()
            mentions = coder.code(doc)
            s = time.process_time() - t0
            per_mb.append(s / mb)
            rows.append(
                {
                    "text": name,
                    "mb": mb,
                    "cpu_s": round(s, 2),
                    "s_per_mb": round(s / mb, 2),
                    "mentions": len(mentions),
                }
            )
            if not args.json:
                print(
                    f"{name:10} {mb:4} MB  {s:7.2f} CPU s  {s / mb:6.2f} s/MB  {len(mentions)} mentions",
                    flush=True,
                )
        ratio = per_mb[-1] / per_mb[0]
        rows.append({"text": name, "linearity": round(ratio, 2)})
        if not args.json:
            print(
                f"{name:10} s/MB at {args.sizes[-1]} MB ÷ s/MB at {args.sizes[0]} MB = {ratio:.2f} (1.0 = linear)"
            )
    if args.json:
        print(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
