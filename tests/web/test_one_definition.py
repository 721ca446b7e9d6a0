"""One definition per concept: the event filter, input kinds and fetch defaults are declared once and
the CLI, the pages and the JSON API follow them."""

from __future__ import annotations

import click

from eventledger.cli import cli
from eventledger.sources.http import FetchPolicy
from eventledger.sources.kinds import INPUT_KINDS
from eventledger.store.queries import FILTER_FIELDS
from eventledger.web.common import FILTER_KEYS


def _options(*path: str) -> dict[str, click.Option]:
    cmd: click.Command = cli
    for name in path:
        assert isinstance(cmd, click.Group)
        cmd = cmd.commands[name]
    return {o.opts[0]: o for o in cmd.params if isinstance(o, click.Option)}


def test_the_filter_fields_drive_the_cli_pages_and_api(public_client):
    for command in ("tally", "events"):
        opts = _options(command)
        for f in FILTER_FIELDS:
            assert f.option in opts and opts[f.option].help == f.help, (command, f.option)
    assert ("period", "calendar", *(f.param for f in FILTER_FIELDS), "codebook") == FILTER_KEYS
    spec = public_client.get("/openapi.json").json()["paths"]
    for path in ("/api/events", "/api/tally"):
        names = {p["name"] for p in spec[path]["get"]["parameters"]}
        assert {f.param for f in FILTER_FIELDS} | {"codebook"} <= names, path


def test_every_filter_field_works_in_the_api_and_a_bad_choice_is_a_clear_400(public_client):
    r = public_client.get("/api/events", params={"period": "1401", "actor": "sepideh-network", "per_page": 5})
    assert r.status_code == 200 and r.json()["filters"] == {"period": "1401", "actor": "sepideh-network"}
    assert all(e["actor"] == "sepideh-network" for e in r.json()["events"])
    bad = public_client.get("/api/tally", params={"period": "1401", "claim_status": "rumoured"})
    assert bad.status_code == 400 and "claim status 'rumoured' is not one of" in bad.json()["error"]
    cal = public_client.get("/api/tally", params={"period": "1401", "calendar": "lunar"})
    assert cal.status_code == 400 and "calendar 'lunar'" in cal.json()["error"]


def test_input_kinds_and_fetch_defaults_have_one_source():
    kind = _options("ingest")["--kind"]
    assert isinstance(kind.type, click.Choice) and tuple(kind.type.choices) == INPUT_KINDS
    net = _options("ingest")
    policy = FetchPolicy()
    assert (net["--timeout"].default, net["--per-host-interval"].default, net["--concurrency"].default) == (
        policy.timeout,
        policy.per_host_interval,
        policy.concurrency,
    )
    assert (net["--max-bytes"].default, net["--retries"].default) == (policy.max_bytes, policy.retries)
