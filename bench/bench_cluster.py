"""Ingest through a 2-worker Dask LocalCluster against the single-process ingest, on the same input.

    python bench/bench_cluster.py                  # 200,000 generated reports
    python bench/bench_cluster.py --n 20000        # a quick run
    python bench/bench_cluster.py --workers 2 --batch-size 500

The same generated JSONL file (bench/generate.py, as bench_ingest.py makes it) is ingested twice in
this one process, each time into a fresh SQLite file: once in one process (``workers=1``, no Dask),
once with ``eventledger.cluster.connect("local:N")`` — the workers of a ``LocalCluster`` code, this
process reads and writes, exactly as ``eventledger ingest --cluster local:N``. Prints reports/s of
each, their ratio (issue 13's target: >= 0.8 on 2 cores, i.e. the cluster's overhead is small), and
whether the two stores hold the same events (ids, subtypes, places, days, mention and source counts)
and the same tallies. Also the CPU seconds each used (this process and its worker processes), which
tell the overhead apart from other programs sharing the machine, and the load average around each run.
Writes bench/out/cluster.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
TALLY_BY = ["subtype", "province", "month", "claim_status", "outlet"]


def _cpu() -> float:
    """CPU seconds of this process and of its ended child processes (a LocalCluster's workers)."""
    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _fresh(db: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return db


def _outcome(db: Path) -> dict[str, Any]:
    """Digests of what a run left: every column of the events (ids included) and mentions, the tallies."""
    from sqlalchemy import select

    from eventledger.store import queries
    from eventledger.store.db import Store
    from eventledger.store.schema import events, mentions

    def digest(rows: Any) -> str:
        return hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()[:16]

    store = Store.open(db)
    with store.connect() as conn:
        ev, me = (conn.execute(select(t).order_by(t.c.id)).all() for t in (events, mentions))
        tally = queries.tally(conn, queries.EventFilter(), TALLY_BY)
    store.close()
    return {
        "events": len(ev),
        "mentions": len(me),
        "events_digest": digest([list(r) for r in ev]),
        "mentions_digest": digest([list(r) for r in me]),
        "tally_total": tally["total"],
        "tally_digest": digest(tally),
    }


def _ingest(path: Path, db: Path, batch_size: int, executor: Any = None) -> dict[str, Any]:
    from eventledger.pipeline import Ingestor
    from eventledger.store.db import Store

    store = Store.open(_fresh(db))
    load = os.getloadavg()[0]
    t = time.perf_counter()
    result = Ingestor(store, workers=1, batch_size=batch_size, executor=executor).ingest([path])
    seconds = time.perf_counter() - t
    store.close()
    return {
        "reports": result.read,
        "documents": result.documents,
        "seconds": round(seconds, 1),
        "reports_per_second": round(result.read / seconds),
        "load_before": round(load, 2),
        "load_after": round(os.getloadavg()[0], 2),
        "counts": {k: v for k, v in result.counts().items() if k != "seconds"},
    }


def single(path: Path, batch_size: int) -> dict[str, Any]:
    cpu = _cpu()
    res = _ingest(path, OUT / "cluster-single.db", batch_size)
    res["cpu_seconds"] = round(_cpu() - cpu, 1)
    return res


def on_cluster(path: Path, batch_size: int, workers: int) -> dict[str, Any]:
    from eventledger.cluster import connect

    cpu = _cpu()
    t = time.perf_counter()
    with connect(f"local:{workers}") as executor:
        started = time.perf_counter() - t
        res = _ingest(path, OUT / "cluster-dask.db", batch_size, executor)
    res["cluster_start_seconds"] = round(started, 1)
    res["seconds_with_start_and_close"] = round(time.perf_counter() - t, 1)
    res["cpu_seconds"] = round(_cpu() - cpu, 1)  # the workers' included: they have ended
    return res


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=200_000, help="reports (default: 200,000)")
    ap.add_argument("--workers", type=int, default=2, help="the LocalCluster's worker processes (default: 2)")
    ap.add_argument(
        "--batch-size", type=int, default=500, help="reports a batch (a task), as ingest's default"
    )
    ap.add_argument("--keep", action="store_true", help="keep the two SQLite files (bench/out/cluster-*.db)")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    data = OUT / f"reports-{args.n}.jsonl"
    if not data.exists():
        subprocess.run([sys.executable, str(HERE / "generate.py"), str(args.n), str(data)], check=True)
    one = single(data, args.batch_size)
    print("single process:", json.dumps({k: v for k, v in one.items() if k != "counts"}), flush=True)
    many = on_cluster(data, args.batch_size, args.workers)
    print(
        f"LocalCluster({args.workers}):",
        json.dumps({k: v for k, v in many.items() if k != "counts"}),
        flush=True,
    )
    a, b = _outcome(OUT / "cluster-single.db"), _outcome(OUT / "cluster-dask.db")
    if not args.keep:  # two stores of the same events, hundreds of MB at 200k reports
        for name in ("cluster-single.db", "cluster-dask.db"):
            _fresh(OUT / name)
    ratio = many["reports_per_second"] / one["reports_per_second"]
    report = {
        "machine": f"{os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}, "
        f"{platform.machine()}",
        "command": " ".join(["python", "bench/bench_cluster.py", *sys.argv[1:]]),
        "reports": args.n,
        "batch_size": args.batch_size,
        "workers": args.workers,
        "single": one,
        "cluster": many,
        "ratio": round(ratio, 2),
        "target": 0.8,
        "cpu_overhead": round(many["cpu_seconds"] / one["cpu_seconds"], 2),
        "identical_runs": one["counts"] == many["counts"],
        "identical_events": a["events_digest"] == b["events_digest"]
        and a["mentions_digest"] == b["mentions_digest"],
        "identical_tallies": a["tally_digest"] == b["tally_digest"],
        "outcome": {"single": a, "cluster": b},
    }
    (OUT / "cluster.json").write_text(json.dumps(report, indent=2))
    print(
        f"\n{args.n:,} reports, {report['machine']}\n"
        f"| run | reports/s | seconds | CPU s | load before → after |\n|---|---:|---:|---:|---|\n"
        f"| one process | {one['reports_per_second']:,} | {one['seconds']} | {one['cpu_seconds']} "
        f"| {one['load_before']} → {one['load_after']} |\n"
        f"| LocalCluster, {args.workers} workers | {many['reports_per_second']:,} | {many['seconds']} "
        f"(+{many['cluster_start_seconds']} start) | {many['cpu_seconds']} | {many['load_before']} → {many['load_after']} |\n\n"
        f"ratio {report['ratio']} (target ≥ 0.8); CPU cluster ÷ one process {report['cpu_overhead']}; "
        f"identical events: {report['identical_events']}, tallies: {report['identical_tallies']} "
        f"({a['events']:,} events, tally total {a['tally_total']:,}), run counts: {report['identical_runs']}"
    )
    return 0 if report["identical_events"] and report["identical_tallies"] else 1


if __name__ == "__main__":
    sys.exit(main())
