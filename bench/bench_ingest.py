"""Ingest-and-code throughput and peak memory for 10k and 100k generated reports.

    python bench/bench_ingest.py                 # 10,000 and 100,000 reports
    python bench/bench_ingest.py --sizes 10000   # just one size
    python bench/bench_ingest.py --workers 1     # single process
    python bench/bench_ingest.py --real          # the real Fars News and BBC articles of ../shared

Each size runs in a fresh child process on a fresh SQLite file (so peak memory is that run's).
In the same child, a baseline pass first only reads and parses the JSONL file: the ratio
"ingest / read" is less sensitive to how busy the machine is than reports/s alone.
Writes bench/out/ingest.json and prints a Markdown table for the README.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"


def child(path: Path, db: Path, workers: int | None) -> dict[str, object]:
    from eventledger.pipeline import Ingestor
    from eventledger.sources.kinds import read_path
    from eventledger.store.db import Store

    t = time.perf_counter()
    n_read = sum(1 for _ in read_path(path))
    read_s = time.perf_counter() - t
    store = Store.open(db)
    t = time.perf_counter()
    result = Ingestor(store, workers=workers).ingest([path])
    ingest_s = time.perf_counter() - t
    store.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "reports": n_read,
        "documents": result.documents,
        "events": result.new_events,
        "mentions": result.mentions,
        "errors": result.errors,
        "read_seconds": round(read_s, 2),
        "ingest_seconds": round(ingest_s, 2),
        "reports_per_second": round(n_read / ingest_s),
        "mb": round(path.stat().st_size / 2**20, 2),
        "mb_per_second": round(path.stat().st_size / 2**20 / ingest_s, 3),
        "ingest_over_read": round(ingest_s / read_s, 1),
        "peak_rss_main_mb": round(own),
        "peak_rss_worker_mb": round(kids),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }


def _real_articles() -> Path | None:
    """The Fars News (Persian) and BBC News (English) articles of ../shared as one JSONL file
    (a local cache under bench/out, never committed)."""
    import gzip

    shared = HERE.parent.parent / "shared" / "data"
    if not shared.is_dir():
        return None
    out = OUT / "real-articles.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for name in ("fars-news-2003-2021", "bbc-news-2004-2005"):
            with gzip.open(shared / name / "reports.jsonl.gz", "rt", encoding="utf-8") as src:
                for line in src:
                    fh.write(line)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--workers", type=int, default=None, help="default: one per core")
    ap.add_argument("--child", nargs=2, metavar=("JSONL", "DB"), help=argparse.SUPPRESS)
    ap.add_argument("--real", action="store_true", help="ingest the real articles of ../shared instead")
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), args.workers)))
        return 0
    OUT.mkdir(exist_ok=True)
    rows = []
    inputs: list[tuple[int | str, Path]] = []
    if args.real:
        real = _real_articles()
        if real is None:
            print("skipped: ../shared/data not found", file=sys.stderr)
            return 0
        inputs.append(("real", real))
    for n in [] if args.real else args.sizes:
        data = OUT / f"reports-{n}.jsonl"
        if not data.exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(data)], check=True)
        inputs.append((n, data))
    for n, data in inputs:
        db = OUT / f"bench-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        cmd = [sys.executable, __file__, "--child", str(data), str(db)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        res["size"] = n if isinstance(n, int) else res["reports"]
        res["input"] = str(n)
        rows.append(res)
        print(json.dumps(res), flush=True)
    machine = f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    (OUT / ("ingest-real.json" if args.real else "ingest.json")).write_text(
        json.dumps({"machine": machine, "runs": rows}, indent=2)
    )
    print(f"\nmachine: {machine}\n")
    print(
        "| input | reports | documents | events | ingest s | reports/s | MB/s | ingest ÷ read-only pass | peak RSS main / per worker | DB size |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['input']} | {r['size']:,} | {r['documents']:,} | {r['events']:,} | {r['ingest_seconds']} | {r['reports_per_second']:,} "
            f"| {r['mb_per_second']} | {r['ingest_over_read']}× | {r['peak_rss_main_mb']} MB / {r['peak_rss_worker_mb']} MB | {r['db_mb']} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
