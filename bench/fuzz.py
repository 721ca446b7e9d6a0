"""Fuzz every input kind for minutes: the strategies and checks of tests/fuzz with a large budget.

    python bench/fuzz.py --minutes 10                 # all kinds, round robin
    python bench/fuzz.py --minutes 3 --kinds jsonl,api --json
    python bench/fuzz.py --minutes 60 --case-seconds 30 --batch 50

Cases run in worker subprocesses, a batch of ``--batch`` cases of one kind each, one worker at a
time. A worker announces every case before running it; a case still running after
``--case-seconds`` is a hang: the worker is killed (its case is kept) and the next batch starts.
Each case ends as

* ``stored``: every record stored;
* ``clean_errors``: some records (or the whole broken input, or the request: 4xx) refused with one of
  our errors, named;
* ``tracebacks``: any other exception, or a 5xx answer;
* ``violations``: a broken promise (a good record lost next to a hostile one, an unnamed error, an
  error body showing SQL or paths, a report that made the coder crash);
* ``hangs``: over the time limit.

Prints the counts per kind, the peak resident memory of the workers and the distinct failures (by
kind, outcome and where they were raised) with one case each; ``--json`` prints the same as JSON.
Every failing case is written in full to ``--out`` (default bench/out/fuzz/).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import os
import random
import re
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

OUTCOMES = ("stored", "clean_errors", "tracebacks", "violations", "hangs")
STARTUP_SECONDS = 180.0  # a worker's imports, codebook, gazetteer, language models, web app
REPR_CHARS = 400
CASE_FILE, STACK_FILE = "current-case.txt", "hang-stack.txt"  # in a worker's root


class _Stop(BaseException):
    """The worker's time is up (a BaseException: Hypothesis lets it through at once)."""


# --- the worker: one batch of one kind -------------------------------------------------------------
def _where(exc: BaseException) -> str:
    """The innermost frame in eventledger's code (else the innermost one) that raised ``exc``."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/eventledger/" in f.filename] or frames
    if not ours:
        return "?"
    f = ours[-1]
    return f"{f.filename.split('/src/')[-1].split('/tests/')[-1]}:{f.lineno} in {f.name}"


def _emit(**fields: Any) -> None:
    print(json.dumps(fields, default=str), flush=True)


def _classify(check: Any, env: Any, case: Any) -> dict[str, Any]:
    from tests.fuzz.harness import CaseTimeout

    try:
        out = check(env, case)
    except CaseTimeout as exc:
        return {"outcome": "hangs", "error": str(exc), "where": _where(exc)}
    except AssertionError as exc:
        # a broken promise when the harness asserted it; raised by the code under test, a traceback
        frames = traceback.extract_tb(exc.__traceback__)
        ours = bool(frames) and frames[-1].filename.endswith(("harness.py", "fuzz.py"))
        outcome = "violations" if ours else "tracebacks"
        return {"outcome": outcome, "error": str(exc)[:1000], "where": _where(exc)}
    except Exception as exc:
        return {
            "outcome": "tracebacks",
            "error": f"{type(exc).__name__}: {str(exc)[:500]}",
            "where": _where(exc),
        }
    if out.status is not None and out.status >= 500:
        return {"outcome": "tracebacks", "error": f"HTTP {out.status}", "where": "api"}
    refused = out.refused or out.input_refused is not None
    return {"outcome": "clean_errors" if refused else "stored", "refused": out.refused}


def worker(kind_name: str, examples: int, seed: int, case_seconds: float, until: float, root: Path) -> None:
    from hypothesis import Phase, given, settings
    from hypothesis import seed as with_seed
    from tests.fuzz.harness import KINDS, Env, register_profiles

    register_profiles()
    kind = KINDS[kind_name]
    env = Env(root, case_seconds)
    env.warm_up()
    numbers = iter(range(1 << 30))
    if kind_name == "api":
        env.web  # noqa: B018  (built before the first case's clock starts)

    # the full case and, when it outlives its time, where every thread stands: a case that hangs
    # in C code (where no signal reaches Python) is killed by the parent, which reads both back
    case_file, stack = root / CASE_FILE, open(root / STACK_FILE, "w")  # noqa: SIM115 (the run's whole life)

    @with_seed(seed)
    @settings(settings.get_profile("long"), max_examples=examples, phases=[Phase.generate])
    @given(case=kind.strategy())
    def run(case: Any) -> None:
        if time.time() > until:
            raise _Stop
        n = next(numbers)
        text = repr(case)
        case_file.write_text(text, encoding="utf-8", errors="replace")
        _emit(start=n, case=text[:REPR_CHARS])
        faulthandler.dump_traceback_later(case_seconds + 5, file=stack)
        started = time.perf_counter()
        try:
            result = _classify(kind.check, env, case)
        finally:
            faulthandler.cancel_dump_traceback_later()
        result["seconds"] = round(time.perf_counter() - started, 3)
        result["rss_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        if result["outcome"] not in ("stored", "clean_errors"):
            result["case"] = text
        _emit(done=n, **result)
        for leftover in root.glob("case-*"):
            shutil.rmtree(leftover, ignore_errors=True)

    try:
        run()
    except _Stop:
        pass
    finally:
        stack.close()
        env.close()


# --- the parent: batches, watchdog, counts ----------------------------------------------------------------
def _run_batch(
    kind: str, args: argparse.Namespace, until: float, tmp: Path, on_done: Any, on_hang: Any
) -> tuple[int, float]:
    """Run one worker; returns its peak RSS (KB) and seconds. Kills it when a case hangs."""
    seed = random.randrange(1 << 32)
    root = tmp / f"{kind}-{seed}"
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--batch",
        str(args.batch),
        "--seed",
        str(seed),
        "--case-seconds",
        str(args.case_seconds),
        "--until",
        str(until),
        "--root",
        str(root),
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    started = time.monotonic()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
    )
    assert proc.stdout is not None and proc.stderr is not None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    current: dict[str, Any] | None = None
    case_started = started
    buffer = b""
    killed = False
    while True:
        limit = args.case_seconds + 10 if current is not None else STARTUP_SECONDS
        waited = time.monotonic() - case_started
        if waited > limit:
            os.killpg(proc.pid, signal.SIGKILL)
            killed = True
            if current is not None:
                on_hang(kind, {**current, **_left_behind(root)}, waited)
            break
        if not sel.select(timeout=1.0):
            continue
        chunk = os.read(proc.stdout.fileno(), 1 << 16)
        if not chunk:
            break
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            try:
                msg = json.loads(line)
            except ValueError:
                continue  # stray output of a library
            if "start" in msg:
                current, case_started = msg, time.monotonic()
            elif "done" in msg:
                on_done(kind, {"case": (current or {}).get("case"), **msg})
                current, case_started = None, time.monotonic()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode("utf-8", "replace")
    if not killed and proc.returncode != 0:
        crash = {"start": -1, "case": (current or {}).get("case", "(worker start-up)")}
        on_done(
            kind,
            {
                **crash,
                "outcome": "tracebacks",
                "error": f"worker exited {proc.returncode}: {stderr[-500:]}",
                "where": "worker",
            },
        )
    return usage.ru_maxrss, time.monotonic() - started


def _left_behind(root: Path) -> dict[str, str]:
    """What a killed worker wrote about its last case: the case in full, the threads' stacks."""
    found = {}
    for key, name in (("case", CASE_FILE), ("stack", STACK_FILE)):
        try:
            text = (root / name).read_text(encoding="utf-8", errors="replace").strip()
        except OSError:
            continue
        if text:
            found[key] = text
    return found


def _signature(kind: str, msg: dict[str, Any]) -> str:
    """What makes two failures the same: kind, outcome, where, and the message without its numbers and paths."""
    error = re.sub(r"/[^\s:'\"]+", "<path>", str(msg.get("error", "")))
    error = re.sub(r"\d+", "N", error)
    return f"{kind} | {msg['outcome']} | {msg.get('where', '?')} | {error[:120]}"


def parent(args: argparse.Namespace) -> dict[str, Any]:
    from tests.fuzz.harness import KINDS

    kinds = [k.strip() for k in args.kinds.split(",")] if args.kinds else list(KINDS)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise SystemExit(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts: dict[str, Counter[str]] = {k: Counter() for k in kinds}
    peak: dict[str, int] = defaultdict(int)
    slowest: dict[str, float] = defaultdict(float)
    slowest_case: dict[str, str] = {}
    busy: dict[str, float] = defaultdict(float)
    failures: dict[str, dict[str, Any]] = {}

    def record_failure(kind: str, msg: dict[str, Any]) -> None:
        sig = _signature(kind, msg)
        entry = failures.setdefault(
            sig,
            {
                "kind": kind,
                "outcome": msg["outcome"],
                "where": msg.get("where"),
                "error": msg.get("error"),
                "count": 0,
            },
        )
        entry["count"] += 1
        if "case" not in entry or len(str(msg.get("case", ""))) < len(str(entry["case"])):
            entry["case"] = str(msg.get("case"))[: REPR_CHARS * 5]
            if msg.get("stack"):
                entry["stack"] = msg["stack"][-4000:]
        path = out_dir / f"{kind}-{msg['outcome']}-{len(list(out_dir.glob('*.txt')))}.txt"
        path.write_text(
            f"{sig}\n\n{msg.get('error')}\n\n{msg.get('case')}\n"
            + (f"\nWhere the worker stood:\n{msg['stack']}\n" if msg.get("stack") else ""),
            encoding="utf-8",
            errors="replace",
        )

    def on_done(kind: str, msg: dict[str, Any]) -> None:
        counts[kind]["cases"] += 1
        counts[kind][msg["outcome"]] += 1
        peak[kind] = max(peak[kind], int(msg.get("rss_kb", 0)))
        busy[kind] += float(msg.get("seconds", 0.0))
        if float(msg.get("seconds", 0.0)) > slowest[kind]:
            slowest[kind] = float(msg["seconds"])
            slowest_case[kind] = str(msg.get("case", ""))[:REPR_CHARS]
        if msg["outcome"] not in ("stored", "clean_errors"):
            record_failure(kind, msg)

    def on_hang(kind: str, msg: dict[str, Any], waited: float) -> None:
        on_done(
            kind,
            {
                **msg,
                "outcome": "hangs",
                "error": f"no answer after {waited:.0f} s (worker killed)",
                "where": "watchdog",
                "seconds": waited,
            },
        )

    started = time.time()
    until = started + args.minutes * 60
    batches = 0
    with tempfile.TemporaryDirectory(prefix="eventledger-fuzz-") as tmp:
        while time.time() < until:
            kind = kinds[batches % len(kinds)]
            rss, _ = _run_batch(kind, args, until, Path(tmp), on_done, on_hang)
            peak[kind] = max(peak[kind], rss)
            batches += 1
    totals: Counter[str] = Counter()
    for c in counts.values():
        totals.update(c)
    return {
        "minutes": args.minutes,
        "seconds": round(time.time() - started, 1),
        "batches": batches,
        "case_seconds": args.case_seconds,
        "kinds": {
            k: {
                **{o: counts[k][o] for o in ("cases", *OUTCOMES)},
                "peak_rss_mb": round(peak[k] / 1024, 1),
                "mean_case_s": round(busy[k] / max(counts[k]["cases"], 1), 3),
                "slowest_case_s": round(slowest[k], 2),
            }
            for k in kinds
        },
        "total": {o: totals[o] for o in ("cases", *OUTCOMES)},
        "peak_rss_mb": round(max(peak.values(), default=0) / 1024, 1),
        "slowest_cases": slowest_case,
        "failures": sorted(failures.values(), key=lambda f: (f["kind"], -f["count"])),
        "python": sys.version.split()[0],
    }


def _print(report: dict[str, Any]) -> None:
    head = ("kind", "cases", *OUTCOMES, "peak MB", "mean s", "slowest s")
    rows = [
        (k, *(v[o] for o in ("cases", *OUTCOMES)), v["peak_rss_mb"], v["mean_case_s"], v["slowest_case_s"])
        for k, v in report["kinds"].items()
    ]
    rows.append(("total", *(report["total"][o] for o in ("cases", *OUTCOMES)), report["peak_rss_mb"], "", ""))
    print(
        f"fuzz: {report['seconds']} s, {report['batches']} batches, {report['case_seconds']} s per case at most\n"
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for row in rows:
        print("| " + " | ".join(str(x) for x in row) + " |")
    if report["failures"]:
        print(f"\n{len(report['failures'])} distinct failures:")
        for f in report["failures"]:
            print(f"- [{f['kind']}] {f['outcome']} ×{f['count']} at {f['where']}: {str(f['error'])[:200]}")
            print(f"    case: {str(f['case'])[:REPR_CHARS]}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--kinds", help="comma-separated; default all")
    ap.add_argument("--batch", type=int, default=40, help="cases per worker process")
    ap.add_argument("--case-seconds", type=float, default=30.0, help="a case running longer is a hang")
    ap.add_argument("--json", action="store_true", help="print the report as JSON")
    ap.add_argument("--out", default=str(HERE / "out" / "fuzz"), help="folder for the failing cases")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--until", type=float, default=0.0, help=argparse.SUPPRESS)
    ap.add_argument("--root", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.batch, args.seed, args.case_seconds, args.until, Path(args.root))
        return
    report = parent(args)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
    else:
        _print(report)


if __name__ == "__main__":
    main()
