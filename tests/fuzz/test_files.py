"""Hostile local files: each record is stored or refused by file and line; good neighbours are kept."""

from __future__ import annotations

from hypothesis import example, given

from eventledger.sources.files import MAX_RECORD_BYTES
from tests.fuzz.harness import Env, check_csv, check_folder, check_jsonl, check_telegram, fuzz_settings
from tests.fuzz.strategies import (
    CHAT_ID,
    CsvCase,
    FolderCase,
    JsonlCase,
    TelegramCase,
    TextFile,
    csv_cases,
    folder_cases,
    good_message,
    jsonl_cases,
    telegram_cases,
)

PUBLISHED = "2023-02-18T09:15:00+03:30"


@fuzz_settings()
@given(case=jsonl_cases())
@example(case=JsonlCase((0, b'{"text": "x", "published": 1e999}', 1), ".jsonl", b"\n", MAX_RECORD_BYTES))
@example(
    case=JsonlCase((0, b'{"text": "x", "id": ' + b"1" * 4301 + b"}", 1), ".jsonl", b"\n", MAX_RECORD_BYTES)
)
@example(
    case=JsonlCase((0, b'{"text": "x", "outlet": "\\ud800", "published": "2023-02-18"}'), ".jsonl", b"", 4096)
)
def test_jsonl_lines_are_stored_or_refused_by_line(fuzz_env: Env, case: JsonlCase) -> None:
    check_jsonl(fuzz_env, case)


@fuzz_settings()
@given(case=csv_cases())
@example(
    case=CsvCase(
        ("id", "url", "outlet", "published", "lang", "title", "text"),
        (0, ("bad-1", "", "Wire", PUBLISHED, "en", "t", "a lone \udc80 is an invalid byte"), 1),
        ".csv",
        MAX_RECORD_BYTES,
    )
)
def test_csv_rows_are_stored_or_refused_by_line(fuzz_env: Env, case: CsvCase) -> None:
    check_csv(fuzz_env, case)


@fuzz_settings()
@given(case=folder_cases())
@example(
    case=FolderCase(
        (TextFile("00-good.md", 0), TextFile("01-bad.md", "---\npublished: 2023-02-30\n---\nbody")), 4096
    )
)
@example(case=FolderCase((TextFile("00-good.md", 0), TextFile("01-bad.html", "<p>x <![ y</p>")), 4096))
def test_markdown_text_and_html_files_are_stored_or_refused_by_file(fuzz_env: Env, case: FolderCase) -> None:
    check_folder(fuzz_env, case)


def _export(*hostile_chats: dict[str, object], hostile_message: object = None) -> dict[str, object]:
    messages = [good_message(0), *([hostile_message] if hostile_message is not None else []), good_message(1)]
    chat = {"name": "Fuzz Channel", "type": "public_channel", "id": CHAT_ID, "messages": messages}
    return {"chats": {"list": [chat, *hostile_chats]}}


GOOD_MESSAGES = (f"{CHAT_ID}/1", f"{CHAT_ID}/2")


@fuzz_settings()
@given(case=telegram_cases())
@example(
    case=TelegramCase(_export({"id": 5, "type": {}, "name": "x", "messages": []}), GOOD_MESSAGES, True, 1)
)
@example(
    case=TelegramCase(
        _export(
            hostile_message={"id": 5000, "type": "message", "date": "9999-12-31T23:59:59-14:00", "text": "x"}
        ),
        GOOD_MESSAGES,
        True,
        1,
    )
)
def test_telegram_export_messages_are_stored_or_refused_by_message(fuzz_env: Env, case: TelegramCase) -> None:
    check_telegram(fuzz_env, case)
