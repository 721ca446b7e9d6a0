"""Ingest-and-code throughput and peak memory for 10k and 100k generated reports.

    python bench/bench_ingest.py                 # 10,000 and 100,000 reports
    python bench/bench_ingest.py --sizes 10000   # just one size
    python bench/bench_ingest.py --workers 1     # single process

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
    from eventledger.sources.files import read_path
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
        "ingest_over_read": round(ingest_s / read_s, 1),
        "peak_rss_main_mb": round(own),
        "peak_rss_worker_mb": round(kids),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--workers", type=int, default=None, help="default: one per core")
    ap.add_argument("--child", nargs=2, metavar=("JSONL", "DB"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child[0]), Path(args.child[1]), args.workers)))
        return 0
    OUT.mkdir(exist_ok=True)
    rows = []
    for n in args.sizes:
        data = OUT / f"reports-{n}.jsonl"
        if not data.exists():
            subprocess.run([sys.executable, str(HERE / "generate.py"), str(n), str(data)], check=True)
        db = OUT / f"bench-{n}.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        cmd = [sys.executable, __file__, "--child", str(data), str(db)]
        if args.workers:
            cmd += ["--workers", str(args.workers)]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
        res["size"] = n
        rows.append(res)
        print(json.dumps(res), flush=True)
    machine = f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, {platform.machine()}"
    (OUT / "ingest.json").write_text(json.dumps({"machine": machine, "runs": rows}, indent=2))
    print(f"\nmachine: {machine}\n")
    print(
        "| reports | documents | events | ingest s | reports/s | ingest ÷ read-only pass | peak RSS main / per worker | DB size |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['size']:,} | {r['documents']:,} | {r['events']:,} | {r['ingest_seconds']} | {r['reports_per_second']:,} "
            f"| {r['ingest_over_read']}× | {r['peak_rss_main_mb']} MB / {r['peak_rss_worker_mb']} MB | {r['db_mb']} MB |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
