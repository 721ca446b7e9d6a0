"""Dashboard and events-list latency with 1,000,000 events in SQLite (or N events in PostgreSQL).

    python bench/bench_web.py                    # build bench/out/web-1000000.db once, then measure
    python bench/bench_web.py --events 100000    # a smaller store
    python bench/bench_web.py --rebuild          # build the store again
    python bench/bench_web.py --db postgresql+psycopg://user@host/db --events 3000000 --rebuild
                                                 # the same store in PostgreSQL (COPY), bench/out/web-pg-N.json

The store is synthetic but shaped like the real thing: six Solar Hijri years (1399-1404) of
events with the category mix of a monitoring statement (propaganda ≫ violence ≫ explosions ≫
armed), cities across all 31 provinces, 1-3 reports per event from a dozen outlets, each with
its sentence, and a few percent of reviewed events. Requests go through the whole app
(FastAPI, templates, SQLite) in-process with a signed-in session; each page is fetched
--repeat times after one warm-up, and p50/p95 are reported.

Baseline, same process: the dashboard's figures counted straight from the events table
(``queries.tally`` with the same breakdowns, daily count tables switched off), so the ratio
says what the daily counts buy. Writes bench/out/web.json (PostgreSQL: web-pg-N.json) and prints a
Markdown table.

PostgreSQL: ``--rebuild`` empties the database's ``public`` schema, migrates it, drops the secondary
indexes and constraints of events, documents and mentions, loads the rows with COPY, and builds the
indexes and constraints again (then the daily tables, VACUUM ANALYZE). Rows, ids and indexes are
those of the SQLite build with the same ``--events``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE.parent / "src"))

from eventledger.aggregate.periods import jalali_iso, month_key  # noqa: E402

CATEGORY_MIX = [  # (subtype, weight) after the 1401 statement: 2,734 / 936 / 68 / 4 (+ others)
    ("slogan", 1100), ("poster", 900), ("leaflet", 450), ("broadcast", 284),
    ("arson", 700), ("grenade", 90), ("vandalism", 146),
    ("bombing", 40), ("mortar", 28), ("shooting", 4),
    ("intrusion", 12), ("meeting", 20), ("demonstration", 180),
]  # fmt: skip
OUTLETS = [
    ("Sepideh News", "actor"), ("Sepideh Telegram", "actor"), ("IRNA", "state"), ("Tasnim", "state"),
    ("Iran Monitor", "independent"), ("Didban Iran", "independent"), ("Radio Azad", "independent"),
    ("HRANA", "independent"), ("Kurdistan Watch", "independent"), ("Baluch Voice", "independent"),
    ("Tehran Bureau", "independent"), ("Unknown Blog", "unknown"),
]  # fmt: skip
SENTENCES = [
    "Supporters wrote slogans on walls in {city} on {day} night, according to {outlet}.",
    "Residents of {city} reported that a banner of the Supreme Leader was set on fire on {day}.",
    "Posters of the group were put up in several streets of {city}, {outlet} said.",
    "هواداران در شهر {city} شعارنویسی کردند و تصاویر رهبران گروه را نصب کردند.",
    "بنر بزرگی در {city} به آتش کشیده شد؛ این خبر را {outlet} منتشر کرد.",
]


def _rows(
    rng: random.Random, event_ids: range, ids: dict[str, int], world: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """Events, their documents and mentions for ``event_ids`` (ids of documents and mentions run on in ``ids``)."""
    cb, cities, city_w, subtypes, sub_w = (world[k] for k in ("cb", "cities", "city_w", "subtypes", "sub_w"))
    start, n_days, now, run_id = world["start"], world["n_days"], world["now"], world["run_id"]
    ev_rows: list[dict[str, Any]] = []
    doc_rows: list[dict[str, Any]] = []
    m_rows: list[dict[str, Any]] = []
    for eid in event_ids:
        day = start + dt.timedelta(days=rng.randrange(n_days))
        sub = rng.choices(subtypes, sub_w)[0]
        place = rng.choices(cities, city_w)[0]
        n_src = rng.choices((1, 2, 3), (70, 22, 8))[0]
        srcs = rng.sample(OUTLETS, n_src)
        stances = {s for _, s in srcs}
        claim = (
            "claimed"
            if stances == {"actor"}
            else "corroborated"
            if n_src >= 2 and len(stances - {"actor"}) >= 2
            else "reported"
        )
        review = rng.choices(("machine", "confirmed", "corrected", "rejected"), (900, 70, 25, 5))[0]
        conf = round(rng.uniform(0.45, 0.97), 2)
        published = dt.datetime.combine(day, dt.time(rng.randrange(24), rng.randrange(60)))
        ev_rows.append(
            {
                "id": eid, "category": cb.category_of(sub), "subtype": sub, "date": day, "date_precision": "day",
                "date_jalali": jalali_iso(day), "jalali_month": month_key(day, "jalali"),
                "greg_month": month_key(day, "gregorian"), "place_key": place.place_id, "place_name": place.name,
                "place_name_fa": place.name_fa, "country": "IR", "admin1": place.admin1, "lat": place.lat,
                "lon": place.lon, "place_precision": "city", "quantity": None, "actor": "sepideh",
                "claim_status": claim, "n_sources": n_src, "n_mentions": n_src, "confidence": conf,
                "first_published": published, "review_status": review, "merged_into": None,
                "created_run": run_id, "updated_run": run_id,
            }
        )  # fmt: skip
        for outlet, _ in srcs:
            ids["doc"] += 1
            ids["mention"] += 1
            text = rng.choice(SENTENCES).format(city=place.name, day="Friday", outlet=outlet)
            doc_rows.append(
                {
                    "id": ids["doc"], "outlet": outlet, "external_id": f"b-{ids['doc']}", "url": f"https://example.org/{ids['doc']}",
                    "published": published, "published_local": day, "lang": "fa" if text[0] > "z" else "en",
                    "lang_detected": False, "title": "", "text": text, "content_hash": f"{ids['doc']:064x}",
                    "origin": "bench", "n_mentions": 1, "run_id": run_id, "ingested_at": now, "version": 1,
                    "current": True, "shown_id": f"b-{ids['doc']}", "redaction": world["redaction"],
                }
            )  # fmt: skip
            m_rows.append(
                {
                    "id": ids["mention"], "document_id": ids["doc"], "event_id": eid, "outlet": outlet,
                    "field": "text", "sent_start": 0,
                    "sent_end": len(text), "trig_start": 0, "trig_end": 10, "sentence": text, "trigger": text[:10],
                    "category": cb.category_of(sub), "subtype": sub, "date": day, "date_precision": "day",
                    "date_text": None, "place_key": place.place_id, "place_name": place.name, "place_text": place.name,
                    "country": "IR", "admin1": place.admin1, "lat": place.lat, "lon": place.lon,
                    "place_precision": "city", "quantity": None, "actor": "sepideh", "claimant": None, "target": None,
                    "confidence": conf, "flags": "", "coder": "bench", "codebook": cb.ref, "model_version": None,
                    "review_status": review if review != "machine" else "machine", "run_id": run_id,
                }
            )  # fmt: skip
    return ev_rows, doc_rows, m_rows


def _world(n_events: int) -> dict[str, Any]:
    from eventledger.aggregate.periods import from_jalali
    from eventledger.extract.codebook import load_codebook
    from eventledger.geocode.gazetteer import default_gazetteer
    from eventledger.normalize.redact import REDACTION_RULES, redact_url

    cb = load_codebook()
    gaz = default_gazetteer()
    cities = [p for p in gaz.places() if p.country == "IR" and p.precision == "city" and p.admin1]
    cities.sort(key=lambda p: -p.population)
    cities = cities[:600]
    city_w = [max(p.population, 20_000) ** 0.6 for p in cities]
    subtypes, sub_w = zip(*CATEGORY_MIX, strict=True)
    start, end = from_jalali(1399, 1, 1), from_jalali(1404, 12, 29)
    # the synthetic ids and URLs hold nothing to redact: stored as the current rules would store them
    assert (
        redact_url("b-12345") == "b-12345" and redact_url("https://example.org/1") == "https://example.org/1"
    )
    return {
        "cb": cb, "cities": cities, "city_w": city_w, "subtypes": subtypes, "sub_w": sub_w,
        "start": start, "n_days": (end - start).days + 1, "now": dt.datetime(2026, 11, 1),
        "redaction": REDACTION_RULES,
    }  # fmt: skip


def build(db: str, n_events: int, seed: int = 7) -> dict[str, Any]:
    """Write the synthetic store with bulk inserts (PostgreSQL: COPY), then the daily count tables."""
    from sqlalchemy import insert

    from eventledger import accounts
    from eventledger.store import writer
    from eventledger.store.db import Store
    from eventledger.store.schema import documents, events, mentions, outlets
    from eventledger.store.summary import rebuild_daily

    pg = "://" in db
    rng = random.Random(seed)
    world = _world(n_events)
    if pg:
        _empty_pg(db)
    elif Path(db).exists():
        Path(db).unlink()
    store = Store.open(db)
    t0 = time.perf_counter()
    now = world["now"]
    with store.begin() as conn:
        world["run_id"] = writer.start_run(conn, "bench-web", {"events": n_events}, {})
        conn.execute(
            insert(outlets),
            [{"name": o, "stance": s, "actor": None, "lang": None, "updated_at": now} for o, s in OUTLETS],
        )
    chunk = 20_000
    ids = {"doc": 0, "mention": 0}
    index_s = 0.0
    if pg:
        index_s = _copy_pg(store, rng, n_events, ids, world, chunk)
    else:
        for lo in range(0, n_events, chunk):
            ev_rows, doc_rows, m_rows = _rows(rng, range(lo + 1, min(lo + chunk, n_events) + 1), ids, world)
            with store.begin() as conn:
                conn.execute(insert(events), ev_rows)
                conn.execute(insert(documents), doc_rows)
                conn.execute(insert(mentions), m_rows)
            print(f"  {min(lo + chunk, n_events):,} events", end="\r", flush=True)
    load_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    with store.begin() as conn:
        rebuild_daily(conn)
        accounts.add_user(conn, "bench", "bench-password", "coder")
    daily_s = time.perf_counter() - t1
    t2 = time.perf_counter()
    # SQLite: no ANALYZE, like the stores the app writes (this build's ANALYZE was never committed
    # before, so the figures measured so far are without statistics too). PostgreSQL: autovacuum
    # would do it later; the visibility map lets counts be index-only scans
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if pg:
            conn.exec_driver_sql("VACUUM ANALYZE")
            size = conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar_one()
        else:
            size = Path(db).stat().st_size
    analyze_s = time.perf_counter() - t2
    store.close()
    print()
    return {
        "events": n_events,
        "documents": ids["doc"],
        "mentions": ids["mention"],
        "load_seconds": round(load_s, 1),
        "of_which_index_seconds": round(index_s, 1),
        "daily_rebuild_seconds": round(daily_s, 1),
        "analyze_seconds": round(analyze_s, 1),
        "total_seconds": round(time.perf_counter() - t0, 1),
        "db_mb": round(size / 2**20),
    }


def _empty_pg(url: str) -> None:
    from sqlalchemy import create_engine

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


BULK_TABLES = ("events", "documents", "mentions")


def _copy_pg(
    store: Any, rng: random.Random, n_events: int, ids: dict[str, int], world: dict[str, Any], chunk: int
) -> float:
    """COPY the rows into PostgreSQL without their secondary indexes and constraints (built again after)."""
    from eventledger.store.schema import documents, events, mentions
    from eventledger.store.search import PG_EVENT_WORDS

    tables = {"events": events, "documents": documents, "mentions": mentions}
    with store.begin() as conn:
        # what to build again: every index that no constraint owns, and every constraint but the keys
        index_defs = [
            r[0]
            for r in conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes i WHERE tablename = ANY(%(t)s) AND schemaname = 'public' "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
                {"t": list(BULK_TABLES)},
            )
        ]
        cons = conn.exec_driver_sql(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c "
            "JOIN pg_class t ON t.oid = c.conrelid WHERE t.relname = ANY(%(t)s) AND c.contype IN ('u', 'f') "
            "ORDER BY c.contype",  # foreign keys dropped first, added last
            {"t": list(BULK_TABLES)},
        ).all()
        for table, name, _ in cons:
            conn.exec_driver_sql(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for d in index_defs:
            name = d.split(" INDEX ", 1)[1].split(" ON ", 1)[0]
            conn.exec_driver_sql(f"DROP INDEX {name}")
        # the triggers that keep events.search_words in step (migration 0013) would update every
        # event again after its mentions: the words are written with the events instead (below)
        conn.exec_driver_sql("ALTER TABLE mentions DISABLE TRIGGER USER")
    cols = {}
    for lo in range(0, n_events, chunk):
        rows = _rows(rng, range(lo + 1, min(lo + chunk, n_events) + 1), ids, world)
        raw = store.engine.raw_connection()
        try:
            cur = raw.cursor()
            # events and mentions go through temporary tables: the events are inserted with the
            # words of their mentions, computed as the triggers compute them (search.PG_EVENT_WORDS)
            for name in ("events", "mentions"):
                cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {name}_load (LIKE {name} INCLUDING DEFAULTS)")
                cur.execute(f"TRUNCATE {name}_load")
            for name, batch in zip(tables, rows, strict=True):
                names = cols.setdefault(name, list(batch[0]))
                target = name if name == "documents" else f"{name}_load"
                with cur.copy(f"COPY {target} ({', '.join(names)}) FROM STDIN") as cp:
                    for r in batch:
                        cp.write_row([r[c] for c in names])
            ev_cols = ", ".join(cols["events"])
            cur.execute(
                f"INSERT INTO events ({ev_cols}, search_words) SELECT {', '.join('l.' + c for c in cols['events'])}, "
                f"w.v FROM events_load l LEFT JOIN (SELECT m.event_id, {PG_EVENT_WORDS} AS v "
                "FROM mentions_load m GROUP BY m.event_id) w ON w.event_id = l.id"
            )
            m_cols = ", ".join(cols["mentions"])
            cur.execute(f"INSERT INTO mentions ({m_cols}) SELECT {m_cols} FROM mentions_load")
            raw.commit()
        finally:
            raw.close()
        print(f"  {min(lo + chunk, n_events):,} events", end="\r", flush=True)
    print()
    with store.begin() as conn:
        conn.exec_driver_sql("ALTER TABLE mentions ENABLE TRIGGER USER")
    t = time.perf_counter()
    with store.begin() as conn:
        conn.exec_driver_sql("SET maintenance_work_mem = '1GB'")
        for name in BULK_TABLES:
            conn.exec_driver_sql(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
            )
        for d in index_defs:
            t1 = time.perf_counter()
            conn.exec_driver_sql(d)
            print(f"  {time.perf_counter() - t1:6.1f} s  {d[:110]}", flush=True)
        for table, name, definition in reversed(cons):
            conn.exec_driver_sql(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    return time.perf_counter() - t


def measure(db: str, repeat: int) -> dict[str, Any]:
    import re

    from fastapi.testclient import TestClient
    from sqlalchemy import func, select

    from eventledger.aggregate.periods import parse_period
    from eventledger.store import queries
    from eventledger.store.db import Store
    from eventledger.store.schema import event_daily, events
    from eventledger.web.app import create_app

    app = create_app(db)
    client = TestClient(app)
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
    r = client.post(
        "/login",
        data={"username": "bench", "password": "bench-password", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    with Store.open(db, create=False).connect() as conn:
        total = conn.execute(select(func.count()).select_from(events)).scalar_one()
        daily_rows = conn.execute(select(func.count()).select_from(event_daily)).scalar_one()

    def timed(url: str) -> dict[str, float]:
        resp = client.get(url)  # warm-up (and a check)
        assert resp.status_code == 200, (url, resp.status_code, resp.text[:300])
        samples = []
        for _ in range(repeat):
            t = time.perf_counter()
            resp = client.get(url)
            samples.append((time.perf_counter() - t) * 1000)
        samples.sort()
        return {
            "p50_ms": round(statistics.median(samples), 1),
            "p95_ms": round(samples[max(0, round(0.95 * len(samples)) - 1)], 1),
            "max_ms": round(samples[-1], 1),
            "bytes": len(resp.content),
        }

    pages = {
        "dashboard (default: latest Solar Hijri year)": "/",
        "dashboard 1401": "/?period=1401",
        "dashboard 2022 (Gregorian)": "/?period=2022&calendar=gregorian",
        "dashboard 1401, violence only": "/?period=1401&category=violence",
        "dashboard 1401-06 (one month)": "/?period=1401-06",
        "events 1401, page 1": "/events?period=1401",
        "events 1401 violence, page 1": "/events?period=1401&category=violence",
        "events 1401 Tehran province": "/events?period=1401&province=IR-23",
        "events 1401 corroborated": "/events?period=1401&claim_status=corroborated",
        "events 1401, page 200": "/events?period=1401&page=200",
        "events, no filter": "/events",
        "events 1401 one outlet": "/events?period=1401&outlet=HRANA",
        "events 1401 confirmed": "/events?period=1401&review_status=confirmed",
        "events 1401, search a city name": "/events?period=1401&q=Zahedan",
        "events 1401, search a Persian word": "/events?period=1401&q=%D8%B4%D8%B9%D8%A7%D8%B1%D9%86%D9%88%DB%8C%D8%B3%DB%8C",
        "events 1401-06, search a word in 1 report of 5": "/events?period=1401-06&q=banner",
        "events 1401, search a word in 1 report of 5": "/events?period=1401&q=banner",
        "events (every year), search a word in 1 report of 5": "/events?q=banner",
        "events 1401, search two words of one sentence": "/events?period=1401&q=banner+fire",
        "api events 1401 (JSON, 50)": "/api/events?period=1401",
        "api tally 1401 by subtype, province": "/api/tally?period=1401&by=subtype&by=province",
        "review queue": "/review",
    }
    results = {name: timed(url) for name, url in pages.items()}
    # baseline: the dashboard's figures counted from the events table, same process
    from unittest import mock

    p = parse_period("1401")
    with (
        Store.open(db, create=False).connect() as conn,
        mock.patch.object(queries, "_daily_source", return_value=None),
    ):
        samples = []
        for _ in range(max(3, repeat // 4)):
            t = time.perf_counter()
            queries.tally(
                conn, queries.EventFilter(period=p), ["subtype", "month", "province", "claim_status"]
            )
            samples.append((time.perf_counter() - t) * 1000)
    baseline = statistics.median(samples)
    return {
        "events_in_store": total,
        "daily_rows": daily_rows,
        "pages": results,
        "baseline_tally_from_events_ms": round(baseline, 1),
        "dashboard_over_baseline": round(results["dashboard 1401"]["p50_ms"] / baseline, 3),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument(
        "--db",
        default=None,
        help="store to build or reuse: a SQLite file (default bench/out/web-N.db) or a PostgreSQL URL",
    )
    ap.add_argument("--rebuild", action="store_true")
    ap.add_argument("--repeat", type=int, default=40)
    ap.add_argument("--build-only", action="store_true", help="build the store, measure nothing")
    args = ap.parse_args()
    OUT.mkdir(exist_ok=True)
    db = str(args.db or OUT / f"web-{args.events}.db")
    pg = "://" in db
    built: dict[str, Any] | None = None
    if args.rebuild or not (pg or Path(db).exists()):
        print(f"building {db.split('@')[-1]} with {args.events:,} events …")
        built = build(db, args.events)
        print(json.dumps(built))
    out = OUT / (f"web-pg-{args.events}.json" if pg else "web.json")
    if args.build_only:
        if built:  # the figures of the build, kept by the measurement that follows
            out.write_text(json.dumps({"build": built}, indent=2) + "\n", encoding="utf-8")
        return 0
    res = measure(db, args.repeat)
    res["build"] = built
    res["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    if pg and not built and out.exists():  # a measurement again: keep the figures of the build
        res["build"] = json.loads(out.read_text(encoding="utf-8")).get("build")
    res["database"] = "postgresql" if pg else "sqlite"
    out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\n{res['events_in_store']:,} events, {res['daily_rows']:,} daily count rows · {res['machine']}\n")
    print("| page | p50 ms | p95 ms | max ms |")
    print("|---|---:|---:|---:|")
    for name, r in res["pages"].items():
        print(f"| {name} | {r['p50_ms']} | {r['p95_ms']} | {r['max_ms']} |")
    print(
        f"\nbaseline (same figures counted from the events table): {res['baseline_tally_from_events_ms']} ms; "
        f"dashboard p50 / baseline = {res['dashboard_over_baseline']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
