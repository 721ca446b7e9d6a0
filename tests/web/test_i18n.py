"""Every word of the interface in both languages: no English left on a Persian page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import get_args

from eventledger.records import DatePrecision, PlacePrecision
from eventledger.web.i18n import MESSAGES
from tests.web.conftest import sign_in

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "eventledger" / "web" / "templates"


def test_every_message_key_of_the_templates_has_a_persian_text():
    keys = {
        k for p in TEMPLATES.glob("*.html") for k in re.findall(r"\bt\('([a-z_]+)'[,)]", p.read_text("utf-8"))
    }
    keys |= {f"precision_{v}" for v in (*get_args(DatePrecision), *get_args(PlacePrecision))}
    assert keys - set(MESSAGES["en"]) == set()
    missing = sorted(k for k in keys if not MESSAGES["fa"].get(k))
    assert missing == []


def test_the_persian_event_page_says_precisions_in_persian(client):
    sign_in(client, "vic")
    client.post("/lang", data={"lang": "fa", "csrf_token": sign_in(client, "vic")}, follow_redirects=False)
    html = client.get("/events/1", headers={"Cookie": "eventledger_lang=fa"}).text
    assert 'dir="rtl"' in html  # the Persian interface
    assert "(relative)" not in html and "(publication)" not in html and "(day)" not in html
    assert re.search(r"\((?:روز دقیق|روز نسبی|روز انتشار)", html)
