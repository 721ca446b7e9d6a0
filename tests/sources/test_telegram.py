import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from eventledger.errors import ConfigError, InputError
from eventledger.records import RawReport, RecordError
from eventledger.sources.files import ReadOptions
from eventledger.sources.telegram import (
    TelegramPage,
    channel_from_url,
    flatten_text,
    parse_telegram_web,
    read_telegram_export,
    telegram_posts_to_reports,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "telegram"
EXPORT = FIXTURES / "result.json"
FULL_EXPORT = FIXTURES / "result_full_account.json"
CHANNEL_ID = 1765432109
TEHRAN = ReadOptions(timezone="Asia/Tehran")
PAGE1_URL = "https://t.me/s/sepideh_tg"
PAGE2_URL = "https://t.me/s/sepideh_tg?before=118"


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


def read(path: Path, opts: ReadOptions = TEHRAN, **kw: Any) -> tuple[list[RawReport], list[RecordError]]:
    items = list(read_telegram_export(path, opts, **kw))
    good = [i for i in items if isinstance(i, RawReport)]
    bad = [i for i in items if isinstance(i, RecordError)]
    assert len(good) + len(bad) == len(items)
    return good, bad


def by_id(reports: list[RawReport]) -> dict[str, RawReport]:
    return {r.external_id or "": r for r in reports}


def write_export(tmp_path: Path, messages: list[object], **chat: object) -> Path:
    doc = {
        "name": "Sepideh Telegram",
        "type": "public_channel",
        "id": CHANNEL_ID,
        **chat,
        "messages": messages,
    }
    p = tmp_path / "result.json"
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return p


def message(msg_id: int, text: object = "Strike reported in Shush.", **extra: object) -> dict[str, object]:
    return {"id": msg_id, "type": "message", "date": "2023-02-18T12:45:00", "date_unixtime": "1676711700"} | {
        "text": text,
        **extra,
    }


# --- Telegram Desktop export ------------------------------------------------------------------------------
def test_export_reads_text_messages_skips_service_and_media_and_names_bad_ones():
    good, bad = read(EXPORT)
    # 1 and 6 are service messages, 5 a photo without caption, 12 a sticker, 16 unsupported media
    assert [r.external_id for r in good] == [f"{CHANNEL_ID}/{n}" for n in (2, 3, 4, 7, 8, 10, 11, 13, 15)]
    assert [(e.origin, e.kind) for e in bad] == [
        (f"{EXPORT}:message 9", "invalid"),
        (f"{EXPORT}:message 14", "invalid"),
    ]
    assert "'date' is not an ISO 8601 time" in bad[0].message
    assert "'text' must be a string or a list" in bad[1].message
    # messages after the malformed ones are still read
    assert {f"{CHANNEL_ID}/10", f"{CHANNEL_ID}/15"} <= set(by_id(good))
    assert all(r.origin == f"{EXPORT}:message {r.external_id.split('/')[1]}" for r in good if r.external_id)


def test_export_entity_lists_are_flattened_in_order():
    reports = by_id(read(EXPORT)[0])
    assert reports[f"{CHANNEL_ID}/4"].text == (
        "فوری: صدها بازنشسته امروز مقابل استانداری اصفهان تجمع کردند و خواستار همسان‌سازی حقوق شدند. "
        "#اصفهان #بازنشستگان\nگزارش کامل"
    )
    assert reports[f"{CHANNEL_ID}/10"].text == (
        "Shopkeepers in the Tabriz bazaar kept their shutters down for a second day, @sepideh_tg "
        "correspondents reported. Video: https://sepideh.example/v/10"
    )
    assert reports[f"{CHANNEL_ID}/15"].text.startswith("Ahvaz: residents")
    assert reports[f"{CHANNEL_ID}/15"].text.endswith("water cuts. #Ahvaz")
    # link targets of text_link entities are not text
    assert all("sepideh.example/fa/reports" not in r.text for r in reports.values())


def test_export_keeps_persian_text_with_zwnj_as_is():
    text = by_id(read(EXPORT)[0])[f"{CHANNEL_ID}/3"].text
    assert "اعتصاب\u200cکنندگان می\u200cگویند قراردادهای\u200cشان" in text


def test_export_edited_message_is_yielded_once_with_current_text_and_first_date():
    good, _ = read(EXPORT)
    edited = [r for r in good if r.external_id == f"{CHANNEL_ID}/7"]
    assert len(edited) == 1
    assert edited[0].text.startswith("Update: the protest by nurses at a hospital in Rasht")
    assert edited[0].published == utc(2023, 2, 18, 14, 30)  # date_unixtime, not edited_unixtime


def test_export_prefers_unixtime_and_reads_a_naive_date_in_the_time_zone():
    tehran = by_id(read(EXPORT, TEHRAN)[0])
    plain_utc = by_id(read(EXPORT, ReadOptions())[0])
    # date_unixtime is UTC whatever the time zone option says
    assert (
        tehran[f"{CHANNEL_ID}/2"].published
        == plain_utc[f"{CHANNEL_ID}/2"].published
        == utc(2023, 2, 18, 9, 15)
    )
    # message 8 only has the exporter's local "date"
    assert tehran[f"{CHANNEL_ID}/8"].published == utc(2023, 2, 19, 4, 40)
    assert plain_utc[f"{CHANNEL_ID}/8"].published == utc(2023, 2, 19, 8, 10)
    assert all(r.published is not None and r.published.tzinfo is not None for r in tehran.values())


def test_export_unixtime_wins_over_a_disagreeing_date(tmp_path):
    p = write_export(tmp_path, [message(1, date="2020-01-01T00:00:00", date_unixtime="1676711700")])
    (report,), _ = read(p)
    assert report.published == utc(2023, 2, 18, 9, 15)


def test_export_ids_outlet_url_and_lang(tmp_path):
    good, _ = read(EXPORT)
    assert {r.outlet for r in good} == {"Sepideh Telegram"}
    assert all(r.url is None for r in good)  # Telegram Desktop does not write the username
    assert all(r.lang is None and r.title is None for r in good)
    good, _ = read(EXPORT, ReadOptions(outlet="Sepideh Network", lang="Persian", timezone="Asia/Tehran"))
    assert {r.outlet for r in good} == {"Sepideh Network"} and {r.lang for r in good} == {"fa"}
    good, _ = read(EXPORT, username="@sepideh_tg")
    assert by_id(good)[f"{CHANNEL_ID}/2"].url == "https://t.me/sepideh_tg/2"
    p = write_export(tmp_path, [message(5)], username="sepideh_tg")
    (report,), _ = read(p)
    assert report.url == "https://t.me/sepideh_tg/5" and report.external_id == f"{CHANNEL_ID}/5"


def test_export_rejects_a_username_that_is_not_one():
    with pytest.raises(ConfigError, match="not a Telegram username"):
        read(EXPORT, username="https://evil.example/x")


def test_export_text_entities_are_read_when_text_is_absent(tmp_path):
    m = message(
        3, text_entities=[{"type": "bold", "text": "Rasht:"}, {"type": "plain", "text": " nurses rally."}]
    )
    del m["text"]
    p = write_export(tmp_path, [m])
    (report,), _ = read(p)
    assert report.text == "Rasht: nurses rally."


def test_export_malformed_messages_are_errors_and_the_rest_goes_on(tmp_path):
    p = write_export(
        tmp_path,
        [
            "not an object",
            {"type": "message", "text": "no id"},
            message(3, text=[{"type": "bold"}]),
            message(4, date_unixtime="soon"),
            message(5, date_unixtime="99999999999"),
            message(6, type="poll"),
            {"id": 7, "type": "message", "text": "no date"},
            message(8, date=["2023"], date_unixtime=None),
            message(9, text="x" * 200),
            message(10, text="Bakers in Qazvin stopped selling bread."),
        ],
    )
    good, bad = read(p, ReadOptions(max_record_bytes=100))
    assert [r.external_id for r in good] == [f"{CHANNEL_ID}/10"]
    assert [e.origin for e in bad] == [f"{p}:messages[0]", f"{p}:messages[1]"] + [
        f"{p}:message {n}" for n in (3, 4, 5, 6, 7, 8, 9)
    ]
    messages = [e.message for e in bad]
    assert "expected a JSON object" in messages[0]
    assert "'id'" in messages[1]
    assert "'text' part 0" in messages[2]
    assert "'date_unixtime'" in messages[3] and "'date_unixtime'" in messages[4]
    assert "unknown message type" in messages[5]
    assert "no 'date'" in messages[6]
    assert "'date' must be" in messages[7]
    assert "larger than 100 bytes" in messages[8]


def test_export_repairs_telegram_desktops_non_json_control_escapes(tmp_path):
    p = tmp_path / "result.json"
    p.write_text(
        '{"name": "Sepideh Telegram", "type": "public_channel", "id": 1765432109, "messages": [\n'
        ' {"id": 1, "type": "message", "date": "2023-02-18T12:45:00", "date_unixtime": "1676711700",\n'
        '  "text": "Shush\\x0Bworkers \\\\x41 rally"}]}',
        encoding="utf-8",
    )
    (report,), _ = read(p)
    assert report.text == "Shush\x0bworkers \\x41 rally"


def test_full_account_export_reads_only_channels(tmp_path):
    good, bad = read(FULL_EXPORT)
    assert [r.external_id for r in good] == ["1765432109/20", "1876543210/7", "1654321098/3"]
    assert [r.outlet for r in good] == ["Sepideh Telegram", "Sepideh Newsroom", "Old Sepideh Mirror"]
    assert good[0].origin == f"{FULL_EXPORT}:chat 1765432109:message 20"
    assert all("Shiraz" not in r.text for r in good)  # the personal chat is not read
    assert [e.origin for e in bad] == [f"{FULL_EXPORT}:chat 1876543210:message 8"]
    doc = {
        "chats": {
            "about": "",
            "list": [{"name": "A friend", "type": "personal_chat", "id": 1, "messages": []}],
        }
    }
    p = tmp_path / "result.json"
    p.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="no channel"):
        read(p)


@pytest.mark.parametrize(
    ("content", "match"),
    [
        (b"{not json", "not valid JSON"),
        (b"", "not valid JSON"),
        (b'["a list"]', "top level is a JSON list"),
        (b'{"name": "x", "type": "public_channel", "id": 1}', "no 'messages'"),
        (b'{"name": "x", "id": 1, "messages": {}}', "no 'messages' list"),
        (b'{"name": "x", "id": "abc", "messages": []}', "'id'"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"[" * 100000 + b"]" * 100000, "JSON"),
    ],
)
def test_export_that_cannot_be_read_is_an_input_error_naming_the_file(tmp_path, content, match):
    p = tmp_path / "result.json"
    p.write_bytes(content)
    with pytest.raises(InputError, match=match) as info:
        read(p)
    assert str(p) in str(info.value)


def test_export_over_the_size_cap_is_refused_before_reading(tmp_path):
    p = write_export(tmp_path, [message(1)])
    with pytest.raises(InputError, match="over the 100-byte limit") as info:
        read(p, max_file_bytes=100)
    assert str(p) in str(info.value)
    with pytest.raises(InputError, match="no such file"):
        read(tmp_path / "missing.json")
    with pytest.raises(InputError, match="cannot read"):
        read(tmp_path)


def test_gzipped_export_is_read_and_its_cap_applies_to_the_decompressed_size(tmp_path):
    p = tmp_path / "result.json.gz"
    p.write_bytes(gzip.compress(EXPORT.read_bytes()))
    good, bad = read(p)
    assert len(good) == 9 and [e.origin for e in bad] == [f"{p}:message 9", f"{p}:message 14"]
    bomb = tmp_path / "bomb.json.gz"
    bomb.write_bytes(gzip.compress(b" " * 10_000_000))
    with pytest.raises(InputError, match="over the 100000-byte limit"):
        read(bomb, max_file_bytes=100_000)
    broken = tmp_path / "broken.json.gz"
    broken.write_bytes(b"not gzip at all")
    with pytest.raises(InputError, match="cannot read"):
        read(broken)


def test_flatten_text_shapes():
    assert flatten_text("plain") == "plain"
    assert flatten_text(None) == ""
    assert flatten_text(
        ["a ", {"type": "hashtag", "text": "#b"}, {"type": "text_link", "text": "c", "href": "u"}]
    ) == ("a #bc")
    with pytest.raises(ValueError):
        flatten_text([1])
    with pytest.raises(ValueError):
        flatten_text({"text": "x"})


# --- t.me/s web preview ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def page1() -> TelegramPage:
    return parse_telegram_web((FIXTURES / "tme_s_page1.html").read_text(encoding="utf-8"), PAGE1_URL)


@pytest.fixture(scope="module")
def page2() -> TelegramPage:
    return parse_telegram_web((FIXTURES / "tme_s_page2.html").read_text(encoding="utf-8"), PAGE2_URL)


def texts(page: TelegramPage) -> dict[int, str]:
    return {p.id: p.text for p in page.posts}


def test_web_page_posts_ids_urls_and_times(page1):
    assert page1.channel == "sepideh_tg" and page1.title == "Sepideh Telegram" and page1.errors == []
    assert [p.id for p in page1.posts] == [119, 120, 122, 123, 124]
    first = page1.posts[0]
    assert first.external_id == "sepideh_tg/119" and first.url == "https://t.me/sepideh_tg/119"
    assert first.published == utc(2023, 2, 21, 3, 10) and first.published.utcoffset() == dt.timedelta(0)
    assert [p.views for p in page1.posts] == ["1.2K", "2.3K", "980", "857", "640"]


def test_web_text_has_line_breaks_emoji_and_no_markup(page1, page2):
    t = texts(page1)
    assert t[119] == (
        "🚨 Bus drivers at two depots in eastern Tehran stopped work at 6 am on Tuesday over unpaid overtime, "
        "Sepideh Network correspondents report.\n\nMore: sepideh.example/r/119"
    )
    assert t[120].startswith("اراک: کارگران یک کارخانه\u200cی ماشین\u200cسازی") and t[120].endswith(
        "شدند.\n#اراک"
    )
    assert t[123].startswith("✊ دانشجویان") and "\nبه گفته\u200cی شاهدان" in t[123]
    assert t[124].endswith("this afternoon.📍\nChants called for pensions to be indexed to inflation.")
    for page in (page1, page2):
        for post in page.posts:
            assert (
                "<" not in post.text
                and "background-image" not in post.text
                and post.text == post.text.strip()
            )


def test_web_quoted_reply_and_link_preview_are_not_post_text(page1, page2):
    assert texts(page1)[122] == (
        "Follow-up from Arak: the workers dispersed at noon after officials promised to pay one month of the "
        "arrears by Saturday."
    )
    assert texts(page2)[117] == "Full Monday round-up on our site: sepideh.example/daily/2023-02-20"


def test_web_scripts_are_not_read(page1, page2):
    for page in (page1, page2):
        assert 999 not in {p.id for p in page.posts}
        assert all("template, not a post" not in p.text and "TWidget" not in p.text for p in page.posts)


def test_web_service_and_media_only_posts_are_skipped_but_count_for_paging(page1, page2):
    assert 121 not in texts(page1) and 118 not in texts(page1)  # pin notice, photo without caption
    assert 110 not in texts(page2) and 113 not in texts(page2)  # "Channel created", video without caption
    assert texts(page2)[116] == "Photo: nurses gathered in the hospital courtyard in Kerman on Monday."
    assert page1.before == 118 and page2.before == 110
    assert max(p.id for p in page2.posts) < page1.before
    assert [p.id for p in page2.posts] == [111, 112, 114, 115, 116, 117]


def test_web_hostile_markup_is_reduced_to_text_and_bad_blocks_are_errors():
    html = (
        '<div class="tgme_widget_message js-widget_message" data-post="sepideh_tg/5">'
        '<div class="tgme_widget_message_text js-message_text">Qom<script>alert("x")</script>'
        "<style>b{}</style><!-- hidden --> rally<br>"
        + "<span>" * 100
        + "deep"
        + "</span>" * 100
        + '</div><a class="tgme_widget_message_date"><time datetime="2023-02-21T10:00:00+03:30"></time></a></div>'
        '<div class="tgme_widget_message" data-post="sepideh_tg/6"><div class="tgme_widget_message_text">'
        "no time</div></div>"
        '<div class="tgme_widget_message" data-post="sepideh_tg/7"><div class="tgme_widget_message_text">bad'
        '</div><time datetime="yesterday"></time></div>'
        '<div class="tgme_widget_message" data-post="other_channel/3"><div class="tgme_widget_message_text">x'
        '</div><time datetime="2023-02-21T10:00:00+00:00"></time></div>'
        '<div class="tgme_widget_message" data-post="sepideh_tg/abc">ignored</div>'
        '<div class="tgme_widget_message" data-post="sepideh_tg/8"><div class="tgme_widget_message_text">'
        'Naive \ud800 time</div><time datetime="2023-02-21T10:00:00"></time></div>'
    )
    page = parse_telegram_web(html, "t.me/s/Sepideh_TG")
    assert page.channel == "sepideh_tg" and page.title is None
    assert [p.id for p in page.posts] == [5, 8]
    assert page.posts[0].text == "Qom rally\ndeep"
    assert page.posts[0].published == utc(2023, 2, 21, 6, 30)
    assert page.posts[1].published == utc(2023, 2, 21, 10, 0) and page.posts[1].text.startswith("Naive")
    assert [e.origin for e in page.errors] == [
        "t.me/s/Sepideh_TG:post 6",
        "t.me/s/Sepideh_TG:post 7",
        "t.me/s/Sepideh_TG:post 3",
    ]
    assert "no <time datetime>" in page.errors[0].message and "another channel" in page.errors[2].message
    assert page.before == 5


def test_web_page_nested_past_the_parser_limit_reports_the_loss():
    post = (
        '<div class="tgme_widget_message" data-post="sepideh_tg/{n}"><div class="tgme_widget_message_text">{text}'
        '</div><time datetime="2023-02-21T10:00:00+00:00"></time></div>'
    )
    html = (
        post.format(n=1, text="Yazd farmers rally.")
        + post.format(n=2, text="<b>" * 400 + "deep")
        + post.format(n=3, text="lost")
    )
    page = parse_telegram_web(html, PAGE1_URL)
    assert [p.id for p in page.posts] == [1]  # 2 lost its text past the limit, 3 is lost
    assert [(e.origin, e.kind) for e in page.errors] == [(PAGE1_URL, "too_deep")]


def test_web_page_size_cap_and_empty_pages():
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        parse_telegram_web("<p>" + "x" * 2000 + "</p>", PAGE1_URL, max_bytes=1000)
    with pytest.raises(InputError, match="larger than 1000 bytes"):
        parse_telegram_web("س" * 600, PAGE1_URL, max_bytes=1000)  # 1200 bytes of UTF-8
    empty = parse_telegram_web("", PAGE2_URL)
    assert empty == TelegramPage(channel="sepideh_tg", title=None, posts=[], before=None)
    no_posts = parse_telegram_web("<html><body><p>No posts</p></body></html>", PAGE1_URL)
    assert no_posts.posts == [] and no_posts.before is None
    with pytest.raises(InputError, match="no channel"):
        parse_telegram_web("<html></html>", "https://example.com/page")


def test_channel_from_url():
    assert channel_from_url("https://t.me/s/sepideh_tg") == "sepideh_tg"
    assert channel_from_url("https://t.me/s/sepideh_tg?before=118") == "sepideh_tg"
    assert channel_from_url("t.me/sepideh_tg/12") == "sepideh_tg"
    assert channel_from_url("https://telegram.me/s/sepideh_tg") == "sepideh_tg"
    assert channel_from_url("https://example.com/s/sepideh_tg") is None
    assert channel_from_url("https://t.me/s/") is None
    assert channel_from_url("https://t.me/s/bad name") is None


def test_posts_to_reports(page1):
    reports = telegram_posts_to_reports(page1, outlet=None, lang="Persian", origin=PAGE1_URL)
    assert [r.external_id for r in reports] == [p.external_id for p in page1.posts]
    first = reports[0]
    assert first.outlet == "Sepideh Telegram" and first.lang == "fa"
    assert first.origin == f"{PAGE1_URL}:post 119" and first.url == "https://t.me/sepideh_tg/119"
    assert first.published == utc(2023, 2, 21, 3, 10) and first.text == page1.posts[0].text
    reports = telegram_posts_to_reports(page1, outlet="Sepideh Network", lang=None, origin="crawl")
    assert {r.outlet for r in reports} == {"Sepideh Network"} and {r.lang for r in reports} == {None}
    untitled = TelegramPage(channel="sepideh_tg", title=None, posts=page1.posts[:1], before=119)
    assert telegram_posts_to_reports(untitled, outlet=None, lang="en", origin="x")[0].outlet == "sepideh_tg"
