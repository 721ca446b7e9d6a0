"""``watch --cluster`` (issue 13): a pass's reports coded on Dask workers give what coding in the watcher's
own process gives — the same documents, events and mentions, with their ids."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from eventledger.cli import cli
from eventledger.store.db import Store
from eventledger.store.schema import documents, events, mentions
from tests.sources.conftest import Site

pytest.importorskip("distributed")

# one source at a time: the order of the documents (and so their ids) does not depend on timing
NET = [
    "--allow-private-networks",
    "127.0.0.1/32",
    "--per-host-interval",
    "0",
    "--retries",
    "0",
    "--concurrency",
    "1",
]
# what a document row says of its report (not when it was fetched or stored)
DOC_COLUMNS = ("id", "outlet", "external_id", "url", "published", "lang", "title", "text", "content_hash",
               "n_mentions", "source")  # fmt: skip


def stored(db: Path) -> dict[str, Any]:
    store = Store.open(db)
    with store.connect() as conn:
        out = {
            "events": conn.execute(select(events).order_by(events.c.id)).all(),
            "mentions": conn.execute(select(mentions).order_by(mentions.c.id)).all(),
            "documents": conn.execute(
                select(*[documents.c[c] for c in DOC_COLUMNS]).order_by(documents.c.id)
            ).all(),
        }
    store.close()
    return out


def test_watch_once_on_a_local_cluster_equals_one_process(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
):
    from eventledger.cluster.executor import DaskExecutor

    batches: list[int] = []  # batches handed to the cluster
    submit = DaskExecutor.submit
    monkeypatch.setattr(
        DaskExecutor, "submit", lambda self, fn, items: batches.append(len(items)) or submit(self, fn, items)
    )
    cfg = tmp_path / "sources.toml"
    cfg.write_text(
        "".join(
            f'[[source]]\nname = "{name}"\nkind = "rss"\nurl = "{site.url(path)}"\nlang = "{lang}"\n\n'
            for name, path, lang in (
                ("Monitor EN", "/feed-en.xml", "en"),
                ("Monitor FA", "/feed-fa.xml", "fa"),
            )
        ),
        encoding="utf-8",
    )
    got = {}
    for name, extra in (("one", []), ("many", ["--cluster", "local:2"])):
        db = tmp_path / f"{name}.db"
        res = CliRunner().invoke(
            cli, ["--db", str(db), "watch", "--once", "--sources", str(cfg), *NET, *extra]
        )
        assert res.exit_code == 0, res.stderr
        got[name] = stored(db)
    assert got["one"]["documents"] and got["one"]["mentions"]
    assert got["one"] == got["many"]
    assert batches and sum(batches) >= len(got["one"]["documents"])  # coded there, not here


def test_watch_refuses_a_cluster_it_cannot_read(tmp_path: Path):
    cfg = tmp_path / "sources.toml"
    cfg.write_text(
        '[[source]]\nname = "A"\nkind = "rss"\nurl = "http://127.0.0.1:9/feed.xml"\n', encoding="utf-8"
    )
    res = CliRunner().invoke(
        cli,
        ["--db", str(tmp_path / "w.db"), "watch", "--once", "--sources", str(cfg), "--cluster", "local:x"],
    )
    assert res.exit_code != 0 and "local:x" in (res.stderr + res.output)
