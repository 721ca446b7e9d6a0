import datetime as dt
import gzip
import json

import pytest

from eventledger.errors import InputError
from eventledger.normalize.html import html_to_fields
from eventledger.records import RawReport, RecordError
from eventledger.sources.files import ReadOptions
from eventledger.sources.kinds import read_path


def write_jsonl(path, rows):
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
        encoding="utf-8",
    )


GOOD = {
    "id": "a1",
    "url": "https://x.example/1",
    "outlet": "X",
    "published": "2023-02-18T09:15:00+03:30",
    "text": "متن گزارش",
}


def test_jsonl_bad_lines_are_named_and_the_rest_is_read(tmp_path):
    p = tmp_path / "in.jsonl"
    write_jsonl(
        p,
        [
            GOOD,
            "{not json",
            '["a list"]',
            {**GOOD, "id": "a2", "text": ""},
            {**GOOD, "id": "a3", "published": "yesterday"},
            {**GOOD, "id": "a4"},
        ],
    )
    items = list(read_path(p))
    errors = [i for i in items if isinstance(i, RecordError)]
    good = [i for i in items if isinstance(i, RawReport)]
    assert [g.external_id for g in good] == ["a1", "a4"]
    assert [e.origin for e in errors] == [f"{p}:2", f"{p}:3", f"{p}:4", f"{p}:5"]
    assert "invalid JSON" in errors[0].message
    assert "'text' is required" in errors[2].message
    assert "ISO 8601" in errors[3].message
    assert good[0].published == dt.datetime(2023, 2, 18, 5, 45, tzinfo=dt.UTC)


def test_jsonl_invalid_utf8_and_oversized_lines(tmp_path):
    p = tmp_path / "in.jsonl"
    big = json.dumps({**GOOD, "id": "big", "text": "x" * 10000})
    p.write_bytes(
        json.dumps(GOOD).encode()
        + b"\n"
        + b'{"text": "\xff\xfe"}\n'
        + big.encode()
        + b"\n"
        + json.dumps({**GOOD, "id": "z"}).encode()
        + b"\n"
    )
    items = list(read_path(p, ReadOptions(max_record_bytes=1000)))
    kinds = [(type(i).__name__, getattr(i, "kind", None)) for i in items]
    assert kinds == [
        ("RawReport", None),
        ("RecordError", "encoding"),
        ("RecordError", "too_large"),
        ("RawReport", None),
    ]
    assert items[2].origin.endswith(":3")


def test_jsonl_gzip_and_bom(tmp_path):
    p = tmp_path / "in.jsonl.gz"
    with gzip.open(p, "wb") as fh:
        fh.write(b"\xef\xbb\xbf" + json.dumps(GOOD).encode() + b"\n")
    assert [i.external_id for i in read_path(p)] == ["a1"]


def test_naive_time_read_in_given_zone(tmp_path):
    p = tmp_path / "in.jsonl"
    write_jsonl(p, [{**GOOD, "published": "۲۰۲۳-۰۲-۱۸T09:15:00"}])
    (item,) = read_path(p, ReadOptions(timezone="Asia/Tehran"))
    assert item.published == dt.datetime(2023, 2, 18, 5, 45, tzinfo=dt.UTC)


def test_csv_rows_and_malformed_rows(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text(
        "id,url,outlet,published,lang,title,text\n"
        'c1,,X,2023-02-18T09:00:00Z,en,Title,"Slogans were written in Tehran, on walls."\n'
        "c2,,X,2023-02-18T09:00:00Z,en,Title\n"
        'c3,,X,2023-02-18T09:00:00Z,en,,"multi\nline text"\n',
        encoding="utf-8",
    )
    items = list(read_path(p))
    assert (
        isinstance(items[1], RecordError)
        and items[1].origin == f"{p}:3"
        and "expected 7 fields" in items[1].message
    )
    assert [i.external_id for i in items if isinstance(i, RawReport)] == ["c1", "c3"]
    assert items[2].text == "multi\nline text"


def test_csv_without_text_column_is_a_file_error(tmp_path):
    p = tmp_path / "in.csv"
    p.write_text("id,body\n1,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"in.csv:1: the header has no 'text' column"):
        list(read_path(p))


def test_folder_of_text_markdown_and_html(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\noutlet: Didban Iran\npublished: 2023-02-18T09:00:00+03:30\n---\n# Title here\nBody text.\n",
        encoding="utf-8",
    )
    (tmp_path / "b.html").write_text(
        "<html><head><title>Page</title><meta property='article:published_time' content='2023-02-17T10:00:00Z'>"
        "<meta property='og:site_name' content='Iran Monitor'></head><body><nav>Menu</nav>"
        "<article><p>First para.</p><script>alert(1)</script><p>Second &lt;b&gt; para.</p></article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "skip.bin").write_bytes(b"\x00")
    items = sorted(read_path(tmp_path), key=lambda i: i.origin)
    md, html = items
    assert (md.outlet, md.title, md.text.strip(), md.external_id) == (
        "Didban Iran",
        "Title here",
        "Body text.",
        "a.md",
    )
    assert html.outlet == "Iran Monitor" and html.title == "Page"
    assert (
        html.text == "First para.\nSecond <b> para." and "Menu" not in html.text and "alert" not in html.text
    )


def test_html_fields_never_keep_markup():
    f = html_to_fields("<p>a<img src=x onerror=alert(1)>b</p><style>p{}</style>")
    assert f["text"] == "ab"


def test_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_path(tmp_path / "nope.jsonl"))
