"""Publications at scale: exports, the report, releases and their diff over a million events.

Uses the synthetic store of ``bench/bench_web.py`` (built if missing: 1,000,000 events, 1.38 M
reports, six Solar Hijri years) on a copy, so that the releases made here never touch it. Each step
runs the CLI in its own process; its wall time and peak memory (max RSS) are recorded. Memory is
"flat" when the step's peak over the whole store is about its peak over one year (a sixth of it).

    python bench/bench_exports.py [--events 1000000] [--skip-pdf]
    python bench/bench_exports.py --db postgresql+psycopg://…/bench10m [--formats parquet,csv]

``--db`` measures the exports of a store built by ``bench_web.py --db … --build-only`` (PostgreSQL
at 10M events: issue 13) in place: exports only, no releases (they would stay in that store for good).

Writes bench/out/exports.json and prints the table the README holds.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parent / "out"
RUNNER = """
import resource, sys
from eventledger.cli import main
sys.argv = ["eventledger", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def step(db: Path | str, *args: str) -> dict[str, Any]:
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", RUNNER, "--db", str(db), *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - t0
    rss = next((int(x.split()[1]) for x in proc.stderr.splitlines() if x.startswith("MAXRSS_KB")), 0)
    if proc.returncode != 0:
        raise SystemExit(f"eventledger {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return {"seconds": round(seconds, 1), "peak_mb": round(rss / 1024), "stdout_tail": proc.stdout[-300:]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--skip-pdf", action="store_true", help="no PDF report (WeasyPrint not installed)")
    ap.add_argument("--db", help="a database URL: the exports of that store, in place (no releases)")
    ap.add_argument("--formats", default="parquet,csv,acled-csv,geojson", help="comma-separated")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    formats = [f for f in args.formats.split(",") if f]
    if args.db:
        return exports_in_place(args.db, formats)
    source = OUT / f"web-{args.events}.db"
    if not source.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        import bench_web

        print(f"building {source} …")
        bench_web.build(source, args.events)
    work = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    db = work / "store.db"
    shutil.copy(source, db)
    res: dict[str, Any] = {"events": args.events, "steps": {}}
    steps = res["steps"]
    try:
        # a store made before migration 0009 stores its URLs' redaction on first open (once)
        steps["first open (migrations, stored redaction)"] = step(db, "tally", "--period", "1401-01")
        steps.update(export_steps(db, work, formats))
        steps["release create, every event"] = step(db, "release", "create", "bench-a")
        steps["release create, one year (1401)"] = step(
            db, "release", "create", "bench-b", "--period", "1401"
        )
        steps["release diff (all vs one year)"] = step(
            db, "release", "diff", "bench-a", "bench-b", "--format", "json"
        )
        step(db, "release", "create", "bench-c")  # every event again, after nothing changed
        steps["release diff (two releases of every event)"] = step(
            db, "release", "diff", "bench-a", "bench-c", "--format", "json"
        )
        steps["export parquet --release (every event)"] = step(
            db, "export", "--format", "parquet", "--release", "bench-a", "--out", str(work / "r.parquet")
        )
        if not args.skip_pdf:
            steps["report PDF, one year (1401)"] = step(
                db, "report", "--period", "1401", "--format", "pdf", "--out", str(work / "report.pdf")
            )
            steps["report HTML, one year (1401)"] = step(
                db, "report", "--period", "1401", "--format", "html", "--out", str(work / "report.html")
            )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(res, f"{args.events:,} events", OUT / "exports.json")


SUFFIX = {"parquet": "parquet", "csv": "csv", "acled-csv": "csv", "geojson": "geojson", "jsonl": "jsonl"}


def export_steps(db: Path | str, work: Path, formats: list[str]) -> dict[str, Any]:
    """Each format for one year (1401) and for every event; the files are removed after each."""
    steps = {}
    for fmt in formats:
        for label, period in (("one year (1401)", ("--period", "1401")), ("every event", ())):
            out = work / f"out.{SUFFIX.get(fmt, fmt)}"
            steps[f"export {fmt}, {label}"] = step(db, "export", "--format", fmt, *period, "--out", str(out))
            steps[f"export {fmt}, {label}"]["mb"] = round(out.stat().st_size / 2**20, 1)
            out.unlink()
    return steps


def exports_in_place(url: str, formats: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="bench-exports-"))
    try:
        res: dict[str, Any] = {"db": url.rsplit("@", 1)[-1], "steps": export_steps(url, work, formats)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return report(res, res["db"], OUT / "exports-db.json")


def report(res: dict[str, Any], what: str, path: Path) -> int:
    res["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    path.write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print(f"\n{what} · {res['machine']}\n")
    print("| step | seconds | peak memory MB |")
    print("|---|---:|---:|")
    for name, r in res["steps"].items():
        print(f"| {name} | {r['seconds']} | {r['peak_mb']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
