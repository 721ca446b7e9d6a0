"""Personal data never reaches a reader: the archive policy, role by role, and every output checked.

A report is fetched from a real server on 127.0.0.1: its URL, its outlet's name, its text and the
archived page carry every written form of personal data the redactor knows. A viewer, an anonymous
reader of a ``--public`` server and every export see none of them; coders and admins see the raw
archived page, and only an admin exports it raw.
"""

from __future__ import annotations

import gzip
import html
import io
import ipaddress
import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from eventledger import accounts
from eventledger.cli import cli
from eventledger.pipeline import Ingestor
from eventledger.sources.archive import RAW_NOTE, REDACTED_NOTE, read_record
from eventledger.sources.config import SourceSpec
from eventledger.sources.http import FetchPolicy
from eventledger.store.db import Store
from eventledger.store.schema import documents, events, outlets
from eventledger.watch import poll

from .conftest import make_client

FA = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ZWNJ, RLM = "\u200c", "\u200f"
# every form of the issue, and the digits each is written with (what must never be seen)
FORMS = {
    "(+98) 912-345-6789": "9123456789",
    "+98 (912) 345 6789": "9123456789",
    "912 345 6789": "9123456789",
    f"0912{ZWNJ}345{ZWNJ}6789".translate(FA): "9123456789",
    f"0912{RLM}345{RLM}6789": "9123456789",
    "کد ملی ایشان ۰۰۱۲۳۴۵۶۷۸": "0012345678",
    "0012345679": "0012345679",  # a national id without a label (its check digit is right)
    "6037-9975-1234-5670": "6037997512345670",  # a bank card (Luhn)
    "IR062960000000100324200001": "062960000000100324200001",  # Sheba
    "pii.person@example.org": "pii.person",
    "pii.person [at] example [dot] org": "pii.person",
}
SECRETS = sorted(set(FORMS.values()))
PAGE_PATH = (
    "/news/saravan?tel=09123456789&email=pii.person%40example.org&q=" + quote("۰۹۱۲ ۳۴۵ ۶۷۸۹") + "&page=2"
)
OUTLET = "Saravan News (+98) 912-345-6789 pii.person [at] example [dot] org"
EVENT_SENTENCE = (
    "Gunmen opened fire on a police post in Saravan, in Sistan and Baluchestan province, on Friday, "
    "wounding two officers; a witness, phone {0}, national ID 0012345679, said so."
)
_FORMAT = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c]")
_SEPARATORS = re.compile(r"[\s\-.()+]")


def leaks(text: str) -> list[str]:
    """The secrets visible in ``text``, whatever digits, separators, escapes or encoding it uses."""
    plain = html.unescape(unquote(text)).translate(
        str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
    )
    digits = _SEPARATORS.sub("", _FORMAT.sub("", plain))
    return [s for s in SECRETS if s in digits or s in plain.lower()]


def _page(base: str) -> bytes:
    forms = " · ".join(FORMS)
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Gunmen attack police post</title></head>
<body><main><article>
<h1>Gunmen attack police post near Saravan</h1>
<p>{EVENT_SENTENCE.format("(+98) 912-345-6789")}</p>
<p>No group has claimed the attack. Contacts given by the family: {forms}.</p>
<p>Hidden: &#48;&#57;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;&#57;
<a href="tel:+989123456789">call</a> <a href="mailto:pii.person@example.org">write</a>
<a href="{base}{PAGE_PATH.replace("&", "&amp;")}">this page</a></p>
</article></main></body></html>"""
    return html.encode("utf-8")


def _feed(base: str) -> bytes:
    link = (base + PAGE_PATH).replace("&", "&amp;")
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>{OUTLET}</title><link>{base}/</link><description>x</description>
<item><title>Gunmen attack police post near Saravan, call 912 345 6789</title>
<link>{link}</link><guid isPermaLink="true">{link}</guid>
<pubDate>Sat, 18 Feb 2023 11:00:00 +0330</pubDate>
<description>Gunmen opened fire on a police post; phone +98 (912) 345 6789.</description></item>
</channel></rss>""".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    base = ""

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path == "/feed.xml":
            body, ctype = _feed(self.base), "application/rss+xml; charset=utf-8"
        elif self.path.startswith("/news/saravan"):
            body, ctype = _page(self.base), "text/html; charset=utf-8"
        else:
            body, ctype = b"not found", "text/plain"
        self.send_response(200 if ctype != "text/plain" else 404)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _serve() -> tuple[ThreadingHTTPServer, str]:
    handler = type("PiiHandler", (_Handler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    handler.base = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, handler.base


POLICY = FetchPolicy(
    allow_private=(ipaddress.ip_network("127.0.0.1/32"),), per_host_interval=0.0, retries=0, timeout=5.0
)
ROLES = {"vic": "viewer", "ana": "coder", "adm": "admin"}
PASSWORD = "pii-password-1"


@pytest.fixture(scope="module")
def pii(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A store with the report fetched, three users and their API tokens (built once)."""
    path = tmp_path_factory.mktemp("pii") / "pii.db"
    store = Store.open(path)
    server, base = _serve()
    try:
        spec = SourceSpec("pii", "rss", base + "/feed.xml", OUTLET, stance="independent", lang="en")
        result = poll(Ingestor(store), [spec], POLICY)
    finally:
        server.shutdown()
        server.server_close()
    tokens = {}
    with store.begin() as conn:
        for name, role in ROLES.items():
            accounts.add_user(conn, name, PASSWORD, role)
            tokens[name] = accounts.new_token(conn, name)
    with store.connect() as conn:
        doc = conn.execute(select(documents)).one()
        event_ids = list(conn.execute(select(events.c.id)).scalars())
        stored_outlets = dict(conn.execute(select(outlets.c.name, outlets.c.stance)).all())
        raw = read_record(conn, doc.archive_record)
    store.close()
    assert not result.failed and doc.archive_record and event_ids, (
        "the report was fetched, archived and coded"
    )
    return {
        "path": path,
        "db": str(path),
        "tokens": tokens,
        "record": doc.archive_record,
        "doc": doc,
        "events": event_ids,
        "raw": raw,
        "outlets": stored_outlets,
    }


def run(pii: dict[str, Any], *args: str, token: str | None = None) -> Any:
    env = {"EVENTLEDGER_TOKEN": token} if token else {"EVENTLEDGER_TOKEN": ""}
    return CliRunner().invoke(cli, ["--db", pii["db"], *args], env=env)


def _json_text(body: str) -> str:
    """JSON (one document, or one a line) re-written without \\u escapes, so Persian digits show as such."""
    try:
        return json.dumps(json.loads(body), ensure_ascii=False)
    except json.JSONDecodeError:
        return "\n".join(
            json.dumps(json.loads(line), ensure_ascii=False) for line in body.splitlines() if line
        )


def _warc_text(path: Path) -> str:
    parts = []
    with path.open("rb") as fh:
        for rec in ArchiveIterator(fh):
            parts.append(str(rec.rec_headers))
            if rec.http_headers is not None:
                parts.append(str(rec.http_headers))
            parts.append(rec.content_stream().read().decode("utf-8", "replace"))
    return "\n".join(parts)


# --- what is stored --------------------------------------------------------------------------------------
def test_the_store_keeps_personal_data_only_in_the_raw_archive(pii):
    doc = pii["doc"]
    for field in ("text", "title", "url", "outlet", "origin"):
        assert leaks(str(doc._mapping[field])) == [], field
    assert "[phone]" in doc.outlet and "[email]" in doc.outlet
    assert "tel=[redacted]" in doc.url and "page=2" in doc.url
    assert pii["outlets"] == {doc.outlet: "independent"}  # the stance of the configured outlet applies
    raw = pii["raw"]
    assert raw is not None and "tel=09123456789" in raw.url
    assert len(leaks(raw.body.decode("utf-8"))) == len(SECRETS)  # the checker sees them in the evidence


# --- every output a reader or an export gets ---------------------------------------------------------------
def test_no_cli_output_or_export_shows_personal_data(pii, tmp_path):
    outputs: dict[str, str] = {}
    for fmt in ("table", "csv"):
        outputs[f"events {fmt}"] = run(pii, "events", "--format", fmt).stdout
    outputs["events jsonl"] = _json_text(run(pii, "events", "--format", "jsonl").stdout)
    outputs["tally by outlet"] = _json_text(
        run(pii, "tally", "--period", "2023-02", "--by", "outlet", "--format", "json").stdout
    )
    for eid in pii["events"]:
        outputs[f"show {eid}"] = run(pii, "show", str(eid), "--archived", "--dropped").stdout
        outputs[f"show {eid} json"] = _json_text(
            run(pii, "show", str(eid), "--archived", "--format", "json").stdout
        )
    viewer = pii["tokens"]["vic"]
    outputs["show as viewer"] = run(pii, "show", str(pii["events"][0]), "--archived", token=viewer).stdout
    export = tmp_path / "export.warc.gz"
    res = run(pii, "archive", "export", str(export))
    assert res.exit_code == 0 and "redacted copies" in res.stdout
    outputs["archive export"] = _warc_text(export)
    assert "Gunmen opened fire" in outputs[f"show {pii['events'][0]}"]  # the outputs are not empty
    assert "[phone]" in outputs[f"show {pii['events'][0]}"] and REDACTED_NOTE in outputs["show as viewer"]
    assert "[id-number]" in outputs["archive export"] and "[card-number]" in outputs["archive export"]
    found = {name: leaks(text) for name, text in outputs.items()}
    assert found == {name: [] for name in outputs}


@pytest.mark.parametrize("who", ["anonymous", "vic", "vic-token", "ana"])
def test_no_web_page_or_api_answer_shows_personal_data(pii, who):
    """Nor to a coder, but for the raw archived copy."""
    with make_client(pii["path"], public=True) as c:
        headers = {}
        if who in ("vic", "ana"):
            r = c.post("/login", data=_login_form(c, who), follow_redirects=False)
            assert r.status_code == 303
        elif who == "vic-token":
            headers = {"Authorization": f"Bearer {pii['tokens']['vic']}"}
        eid = pii["events"][0]
        pages = ["/", "/events", f"/events/{eid}", "/dropped", "/review"]
        if who != "ana":
            pages.append(f"/archive/{pii['record']}")
        api = ["/api/events", f"/api/events/{eid}", "/api/tally?period=2023-02&by=outlet"]
        seen = {}
        for path in pages + api:
            r = c.get(path, headers=headers)
            # the coders' pages send the others to the login form or refuse them
            assert r.status_code == 200 or (path in ("/dropped", "/review") and who != "ana"), path
            seen[path] = _json_text(r.text) if path.startswith("/api/") else r.text
    event_page = re.sub(r"<[^>]+>", "", seen[f"/events/{eid}"])
    assert "Gunmen opened fire" in event_page and "[phone]" in event_page
    if who != "ana":
        assert REDACTED_NOTE in seen[f"/archive/{pii['record']}"]
    assert {p: leaks(t) for p, t in seen.items()} == {p: [] for p in seen}


def _login_form(c: Any, name: str) -> dict[str, str]:
    page = c.get("/login").text
    m = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert m
    return {"username": name, "password": PASSWORD, "csrf_token": m.group(1), "next": "/"}


# --- the archive policy, role by role ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("who", "public", "raw"),
    [
        ("anonymous", True, False),
        ("vic", False, False),
        ("vic", True, False),
        ("ana", False, True),
        ("adm", False, True),
        ("adm", True, True),
    ],
)
def test_archive_page_is_raw_for_coders_and_admins_only(pii, who, public, raw):
    with make_client(pii["path"], public=public) as c:
        if who != "anonymous":
            assert c.post("/login", data=_login_form(c, who), follow_redirects=False).status_code == 303
        r = c.get(f"/archive/{pii['record']}")
        api = c.get(
            f"/archive/{pii['record']}",
            headers={"Authorization": f"Bearer {pii['tokens'][who]}"} if who != "anonymous" else {},
        )
    assert r.status_code == 200 and api.status_code == 200
    assert "sandbox" in r.headers["content-security-policy"] and "no-store" in r.headers["cache-control"]
    for answer in (r.text, api.text):
        if raw:
            assert RAW_NOTE in answer and "tel=09123456789" in answer and len(leaks(answer)) == len(SECRETS)
        else:
            assert REDACTED_NOTE in answer and leaks(answer) == []
            assert "Gunmen opened fire" in answer and "[card-number]" in answer


def test_archive_page_needs_a_reader_on_a_private_server(pii):
    with make_client(pii["path"], public=False) as c:
        r = c.get(f"/archive/{pii['record']}", headers={"accept": "application/json"})
    assert r.status_code == 401 and leaks(r.text) == []


@pytest.mark.parametrize(
    ("token", "ok"), [(None, False), ("vic", False), ("ana", True), ("adm", True), ("bogus", False)]
)
def test_show_archived_raw_needs_a_coder_or_admin_token(pii, token, ok):
    secret = pii["tokens"].get(token, "elt_bogus") if token else None
    eid = str(pii["events"][0])
    plain = run(pii, "show", eid, "--archived", token=secret)
    assert plain.exit_code == 0 and leaks(plain.stdout) == [] and REDACTED_NOTE in plain.stdout
    res = run(pii, "show", eid, "--archived", "--raw", token=secret)
    if ok:
        assert res.exit_code == 0 and RAW_NOTE in res.stdout and "tel=09123456789" in res.stdout
    else:
        assert res.exit_code == 4 and re.search("coders and admins|unknown or revoked API token", res.stderr)
        assert leaks(res.stdout) == []


@pytest.mark.parametrize(("token", "ok"), [(None, False), ("vic", False), ("ana", False), ("adm", True)])
def test_raw_archive_export_is_for_admins_only_and_flagged(pii, tmp_path, token, ok):
    secret = pii["tokens"][token] if token else None
    out = tmp_path / "raw.warc.gz"
    res = run(pii, "archive", "export", str(out), "--raw", token=secret)
    if not ok:
        assert res.exit_code == 4 and "for admins" in res.stderr and not out.exists()  # PermissionDenied
        return
    assert res.exit_code == 0 and "RAW copies" in res.stderr
    text = _warc_text(out)
    assert "RAW copies as fetched" in text  # the warcinfo record says so
    assert len(leaks(text)) == len(SECRETS)
    with gzip.open(out) as fh:
        assert fh.read(4) == b"WARC"


def test_redacted_export_is_a_valid_warc_that_refers_to_the_raw_records(pii, tmp_path):
    out = tmp_path / "export.warc.gz"
    assert run(pii, "archive", "export", str(out)).exit_code == 0
    with out.open("rb") as fh:
        records = list(ArchiveIterator(io.BytesIO(fh.read())))
    responses = [r for r in records if r.rec_type == "response"]
    assert records[0].rec_type == "warcinfo" and len(responses) >= 2  # the feed and the page
    page = next(r for r in responses if "/news/saravan" in r.rec_headers.get_header("WARC-Target-URI"))
    assert page.rec_headers.get_header("WARC-Refers-To") == pii["record"]
    assert page.rec_headers.get_header("WARC-Record-ID") != pii["record"]
    assert page.rec_headers.get_header("WARC-Date") == pii["raw"].fetched_at
    assert page.http_headers.get_header("Content-Type") == "text/html; charset=utf-8"


@pytest.fixture(autouse=True)
def _no_stray_token(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("EVENTLEDGER_TOKEN", raising=False)
    yield
