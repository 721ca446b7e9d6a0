"""Telegram sources: Telegram Desktop channel exports and public channel web previews.

Two inputs, both hostile:

* :func:`read_telegram_export` reads ``result.json`` written by Telegram Desktop's *Export chat
  history* in the "Machine-readable JSON" format, either one chat (``{"name", "type", "id",
  "messages"}``) or a full-account export (``{"chats": {"list": [...]}, "left_chats": ...}``), and
  yields :class:`~eventledger.records.RawReport` / :class:`~eventledger.records.RecordError` like the file
  readers of :mod:`eventledger.sources.files`.
* :func:`parse_telegram_web` reads one page of a public channel's web preview
  (``https://t.me/s/NAME``, paged with ``?before=<message id>``) into a :class:`TelegramPage`;
  :func:`telegram_posts_to_reports` turns its posts into reports.

Only text is kept: entity markup of the export and HTML of the web preview are reduced to their text,
scripts and styles are never read, input sizes are capped, and a bad message is reported and skipped
while the rest goes on.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from eventledger.errors import ConfigError, FieldError, InputError
from eventledger.normalize.document import repair_unicode
from eventledger.normalize.html import LINE_BREAK, element_text, html_bytes, parse_html
from eventledger.records import RawReport, RecordError
from eventledger.sources.files import (
    MAX_RECORD_BYTES,
    ReadOptions,
    load_json,
    open_binary,
    parse_published,
    record_from_mapping,
)

Item = RawReport | RecordError

MAX_EXPORT_BYTES = 512 * 1024 * 1024  # one result.json
MAX_PAGE_BYTES = 8 * 1024 * 1024  # one t.me/s page (real pages are ~100-300 KB)
MAX_TITLE_CHARS = 200  # the outlet field of a report allows 200 characters

# Chat types of a full-account export that are read; personal chats, groups and saved messages are not
# media reports and are skipped.
CHANNEL_TYPES = frozenset({"public_channel", "private_channel"})
# Message types without report text: service notices (pins, title changes, ...) and messages whose
# media the exporting client could not serialise.
_SKIPPED_MESSAGE_TYPES = frozenset({"service", "unsupported"})

_USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{3,31}")  # a public @username (5-32 today, 4 for old ones)
_CHANNEL_RE = re.compile(r"[A-Za-z0-9_]{1,64}")  # the channel part of data-post, looser on purpose
_DATA_POST_RE = re.compile(r"([A-Za-z0-9_]{1,64})/([0-9]{1,15})")
_DIGITS_RE = re.compile(r"[0-9]{1,15}")
# Telegram Desktop writes control characters other than \n, \r, \t as "\xHH", which is not JSON.
_X_ESCAPE_RE = re.compile(r"(?<!\\)((?:\\\\)*)\\x([0-9A-Fa-f]{2})")
# Unix times accepted for a message: Telegram's launch (2013) to 2100.
_MIN_UNIXTIME = 1_356_998_400
_MAX_UNIXTIME = 4_102_444_800

_LANG_ALIASES = {"fas": "fa", "per": "fa", "persian": "fa", "farsi": "fa", "fa-ir": "fa"}
_LANG_ALIASES |= {"eng": "en", "english": "en"}


def _short(value: Any, limit: int = 60) -> str:
    """A bounded repr for error messages about hostile values."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- Telegram Desktop export (result.json) ------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Chat:
    """The parts of one exported chat that every message of it needs."""

    id: int
    title: str | None
    username: str | None
    origin: str  # prefix of message origins: "path" or "path:chat 123"
    messages: list[Any]


def _read_export_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes (decompressed for ``.gz``), refusing more than ``max_bytes`` before reading them."""
    try:
        with path.open("rb") as fh:
            size = os.fstat(fh.fileno()).st_size
            if size > max_bytes:
                raise InputError(f"{path}: file is {size} bytes, over the {max_bytes}-byte limit for exports")
            if path.suffix.lower() == ".gz":
                with gzip.GzipFile(fileobj=fh) as gz:
                    data = gz.read(max_bytes + 1)  # a bounded read: a compression bomb stops here
            else:
                data = fh.read(max_bytes + 1)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        raise InputError(f"{path}: cannot read: {getattr(exc, 'strerror', None) or exc}") from exc
    if len(data) > max_bytes:
        raise InputError(f"{path}: file is over the {max_bytes}-byte limit for exports")
    return data


def _parse_json(text: str, path: Path) -> Any:
    """Decode the export; Telegram Desktop's non-JSON "\\xHH" escapes are repaired when they are the fault.

    A number out of range (a 5000-digit id, NaN) is decoded as an UnreadableNumber: it makes the chat or
    message holding it an error, not the file.
    """
    try:
        return load_json(text)
    except json.JSONDecodeError as exc:
        error = exc
    except RecursionError:
        raise InputError(f"{path}: not a Telegram export: JSON nested too deeply") from None
    if "\\x" in text:
        try:
            return load_json(_X_ESCAPE_RE.sub(r"\1\\u00\2", text))
        except (json.JSONDecodeError, RecursionError):
            pass
    raise InputError(
        f"{path}: not valid JSON ({error.msg} at line {error.lineno}, column {error.colno}); "
        "expected a Telegram Desktop export (result.json, machine-readable JSON)"
    )


def _load_export(path: Path, max_bytes: int) -> Any:
    data = _read_export_bytes(path, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    del data
    return _parse_json(text, path)


def _clean_username(value: Any) -> str | None:
    """A public @username, or None when the value is not one."""
    if not isinstance(value, str):
        return None
    name = value.strip().removeprefix("@")
    return name if _USERNAME_RE.fullmatch(name) else None


def _chat(obj: Any, origin: str, username: str | None) -> _Chat:
    """Validate one exported chat (ValueError says what is wrong)."""
    if not isinstance(obj, dict):
        raise FieldError(f"expected a JSON object for the chat, got {type(obj).__name__}")
    messages = obj.get("messages")
    if not isinstance(messages, list):
        raise FieldError("the chat has no 'messages' list")
    chat_id = obj.get("id")
    if isinstance(chat_id, str) and _DIGITS_RE.fullmatch(chat_id):
        chat_id = int(chat_id)
    if not isinstance(chat_id, int) or isinstance(chat_id, bool) or chat_id < 0:
        raise FieldError(f"the chat 'id' must be a non-negative integer, got {_short(chat_id)}")
    name = obj.get("name")
    title = repair_unicode(name).strip()[:MAX_TITLE_CHARS].strip() if isinstance(name, str) else ""
    username = username or _clean_username(obj.get("username"))
    return _Chat(chat_id, title or None, username, origin, messages)


def _export_chats(doc: Any, path: Path, username: str | None) -> Iterator[_Chat | RecordError]:
    """The chats of a one-chat export (any type) or the channels of a full-account export."""
    if not isinstance(doc, dict):
        raise InputError(f"{path}: not a Telegram export: the top level is a JSON {type(doc).__name__}")
    if "messages" in doc:
        try:
            yield _chat(doc, str(path), username)
        except ValueError as exc:
            raise InputError(f"{path}: not a Telegram export: {exc}") from None
        return
    lists = [doc[k].get("list") for k in ("chats", "left_chats") if isinstance(doc.get(k), dict)]
    entries = [(i, c) for chats in lists if isinstance(chats, list) for i, c in enumerate(chats)]
    if not lists:
        raise InputError(
            f"{path}: not a Telegram export: no 'messages' list and no 'chats' "
            "(expected result.json of Telegram Desktop, machine-readable JSON)"
        )
    channels = [
        (i, c)
        for i, c in entries
        if isinstance(c, dict) and isinstance(c.get("type"), str) and c["type"] in CHANNEL_TYPES
    ]
    if not channels:
        raise InputError(f"{path}: the full-account export holds no channel (types {sorted(CHANNEL_TYPES)})")
    for i, obj in channels:
        chat_id = obj.get("id")
        origin = f"{path}:chat {chat_id}" if isinstance(chat_id, int) else f"{path}:chats[{i}]"
        try:
            yield _chat(obj, origin, None)
        except ValueError as exc:
            yield RecordError(origin, str(exc), "invalid")


def _message_id(value: Any) -> int:
    if isinstance(value, str) and _DIGITS_RE.fullmatch(value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise FieldError(f"message 'id' must be a positive integer, got {_short(value)}")
    return value


def flatten_text(value: Any) -> str:
    """The plain text of an export's ``text``: a string, or a list of strings and entity objects.

    Entity objects (``{"type": "bold" | "hashtag" | "text_link" | ..., "text": ...}``) contribute their
    ``text`` in order; link targets and other attributes are dropped.  ValueError for any other shape.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        raise FieldError(f"'text' must be a string or a list, got {type(value).__name__}")
    parts: list[str] = []
    for n, item in enumerate(value):
        if isinstance(item, str):
            parts.append(item)
        elif isinstance(item, dict) and isinstance(item.get("text"), str):
            parts.append(item["text"])
        else:
            raise FieldError(f"'text' part {n} is neither a string nor an entity with a string 'text'")
    return "".join(parts)


def _message_text(msg: Mapping[str, Any]) -> str:
    if "text" in msg:
        return flatten_text(msg["text"])
    return flatten_text(msg.get("text_entities"))


def _published(msg: Mapping[str, Any], tz: dt.tzinfo) -> dt.datetime:
    """``date_unixtime`` (UTC) when present, else the naive local ``date`` read in ``tz``."""
    raw = msg.get("date_unixtime")
    if raw is not None:
        if isinstance(raw, str) and _DIGITS_RE.fullmatch(raw.strip()):
            raw = int(raw.strip())
        if not isinstance(raw, int) or isinstance(raw, bool) or not _MIN_UNIXTIME <= raw <= _MAX_UNIXTIME:
            raise FieldError(f"'date_unixtime' is not a Unix time: {_short(raw)}")
        return dt.datetime.fromtimestamp(raw, dt.UTC)
    date = msg.get("date")
    if date is None:
        raise FieldError("the message has no 'date'")
    if not isinstance(date, str) or len(date) > 64:
        raise FieldError(f"'date' must be an ISO 8601 string, got {_short(date)}")
    try:
        return parse_published(date, tz)
    except ValueError:
        raise FieldError(f"'date' is not an ISO 8601 time: {_short(date)}") from None


def _message_item(msg: Any, index: int, chat: _Chat, opts: ReadOptions, tz: dt.tzinfo) -> Item | None:
    """One message as a report, an error, or None for a message without report text."""
    if not isinstance(msg, dict):
        where = f"{chat.origin}:messages[{index}]"
        return RecordError(where, f"expected a JSON object, got {type(msg).__name__}", "invalid")
    try:
        msg_id = _message_id(msg.get("id"))
    except ValueError as exc:
        return RecordError(f"{chat.origin}:messages[{index}]", str(exc), "invalid")
    origin = f"{chat.origin}:message {msg_id}"
    kind = msg.get("type", "message")
    if isinstance(kind, str) and kind in _SKIPPED_MESSAGE_TYPES:
        return None
    try:
        if kind != "message":
            raise FieldError(f"unknown message type {_short(kind)}")
        text = _message_text(msg)
        if not text.strip():
            return None  # media only (photo, sticker, file without caption)
        published = _published(msg, tz)
    except ValueError as exc:
        return RecordError(origin, str(exc), "invalid")
    fields = {
        "id": f"{chat.id}/{msg_id}",
        "url": f"https://t.me/{chat.username}/{msg_id}" if chat.username else None,
        "outlet": opts.outlet or chat.title,
        "published": published.isoformat(),
        "text": text,
    }
    return record_from_mapping(fields, origin, opts)


def read_telegram_export(
    path: Path,
    opts: ReadOptions,
    *,
    username: str | None = None,
    max_file_bytes: int = MAX_EXPORT_BYTES,
) -> Iterator[Item]:
    """Every text message of a Telegram Desktop JSON export (``result.json``), in file order (oldest first).

    * A one-chat export (``{"name", "type", "id", "messages"}``) is read whatever its type; of a
      full-account export (``{"chats": {"list": [...]}, "left_chats": {...}}``) only the channels
      (:data:`CHANNEL_TYPES`) are read.
    * Service messages and messages without text (a photo, sticker or file without caption) are skipped
      silently.  The text is the flattened ``text`` (entity texts in order; hashtags, mentions and link
      texts kept, link targets dropped), or ``text_entities`` when ``text`` is absent.
    * external id ``"<channel id>/<message id>"``; outlet ``opts.outlet`` or the channel title (``name``);
      published ``date_unixtime`` (UTC) or else ``date`` (naive, the exporter's local time) read in
      ``opts.timezone``; url ``https://t.me/<username>/<id>`` only when a public username is known —
      Telegram Desktop does not write it, so it comes from ``username`` (one-chat exports) or a
      ``"username"`` key of the chat.
    * An edited message (``edited``/``edited_unixtime``) is yielded once, with its current text and its
      original publication time.  The pipeline treats a changed text under the same outlet + external id
      as a new version of the same report, so re-reading a later export updates the report.

    A message that cannot be read (wrong types, a bad date) becomes a RecordError whose origin names the
    file and the message (``"<path>:message 1234"``; ``"<path>:chat <id>:message 1234"`` in a
    full-account export) and the rest is read.  InputError, naming the file, for a file over
    ``max_file_bytes``, one that is not UTF-8 JSON, or one without ``messages`` or channels; ConfigError
    for a ``username`` that is not a Telegram username.
    """
    path = Path(path)
    known = _clean_username(username)
    if username is not None and known is None:
        raise ConfigError(f"not a Telegram username: {_short(username)}")
    doc = _load_export(path, max_file_bytes)
    tz = opts.tz()
    for chat in _export_chats(doc, path, known):
        if isinstance(chat, RecordError):
            yield chat
            continue
        for index, msg in enumerate(chat.messages):
            item = _message_item(msg, index, chat, opts, tz)
            if item is not None:
                yield item


# --- public channel web preview (t.me/s/NAME) ---------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class TelegramPost:
    """One post of a channel's web preview, reduced to text."""

    id: int
    external_id: str  # "<channel>/<id>"
    url: str  # https://t.me/<channel>/<id>
    published: dt.datetime  # aware, UTC
    text: str
    views: str | None  # as shown: "857", "1.2K"


@dataclass(frozen=True, slots=True)
class TelegramPage:
    """One page of ``https://t.me/s/<channel>``; request ``?before=<before>`` for the previous page."""

    channel: str  # the username as Telegram spells it in the page's posts
    title: str | None
    posts: list[TelegramPost]  # text posts in page order (oldest first)
    before: int | None  # smallest message id on the page (any message); None when the page has none
    errors: list[RecordError] = field(default_factory=list)  # message blocks that could not be read


# Elements whose content is never text of a post.
_SKIP_TAGS = frozenset({"script", "style", "template", "noscript", "svg", "math", "iframe", "object", "head"})
_BLOCK_TAGS = frozenset({"div", "p", "blockquote", "pre", "li", "ul", "ol", "h1", "h2", "h3", "h4", "tr"})
_HTML_SPACE_RE = re.compile(r"[ \t\n\r\f]+")


def _classes(el: Any) -> list[str]:
    value = el.get("class")
    return value.split() if isinstance(value, str) else []


def _node_text(root: Any) -> str:
    """Text of an element: ``<br>`` and block ends become line breaks, scripts and comments ignored."""
    segments = element_text(root, _SKIP_TAGS, _BLOCK_TAGS).split(LINE_BREAK)
    lines = [_HTML_SPACE_RE.sub(" ", segment).strip(" ") for segment in segments]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def channel_from_url(page_url: str) -> str | None:
    """``NAME`` of ``https://t.me/s/NAME``, ``https://t.me/NAME`` or ``t.me/s/NAME?before=1``; else None."""
    url = page_url.strip()
    if "://" not in url:
        url = "https://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host not in ("t.me", "telegram.me", "telegram.dog"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments[:1] == ["s"]:
        segments = segments[1:]
    if segments and _CHANNEL_RE.fullmatch(segments[0]):
        return segments[0]
    return None


def _message_blocks(root: Any) -> list[tuple[Any, str, int]]:
    """(element, channel, message id) of every message block with a well-formed ``data-post``."""
    blocks: list[tuple[Any, str, int]] = []
    for el in root.iter("div"):
        if "tgme_widget_message" not in _classes(el):
            continue
        post = el.get("data-post")
        m = _DATA_POST_RE.fullmatch(post.strip()) if isinstance(post, str) else None
        if m is not None:
            blocks.append((el, m.group(1), int(m.group(2))))
    return blocks


def _text_element(block: Any) -> Any:
    """The block's own message text (not a quoted reply, not a nested block), or None."""
    for el in block.iter("div"):
        classes = _classes(el)
        if "tgme_widget_message_text" not in classes or "js-message_reply_text" in classes:
            continue
        nested = False
        for anc in el.iterancestors():
            if anc is block:
                break
            anc_classes = _classes(anc)
            if "tgme_widget_message_reply" in anc_classes or "tgme_widget_message" in anc_classes:
                nested = True
                break
        if not nested:
            return el
    return None


def _first_with_class(root: Any, tag: str, name: str) -> Any:
    return next((el for el in root.iter(tag) if name in _classes(el)), None)


def _post_time(block: Any) -> dt.datetime:
    date_link = _first_with_class(block, "a", "tgme_widget_message_date")
    scope = date_link if date_link is not None else block
    value = next((t.get("datetime") for t in scope.iter("time") if t.get("datetime")), None)
    if not isinstance(value, str) or len(value) > 64:
        raise FieldError("the post has no <time datetime>")
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise FieldError(f"the post's time is not ISO 8601: {_short(value)}") from None
    if parsed.tzinfo is None:  # Telegram writes +00:00; a bare time is read as UTC
        parsed = parsed.replace(tzinfo=dt.UTC)
    try:
        return parsed.astimezone(dt.UTC)
    except OverflowError:  # "9999-12-31T23:00:00-05:00" is past the last UTC time Python has
        raise FieldError(f"the post's time is out of range: {_short(value)}") from None


def _post_views(block: Any) -> str | None:
    span = _first_with_class(block, "span", "tgme_widget_message_views")
    if span is None:
        return None
    views = _node_text(span).strip()
    return views if 0 < len(views) <= 32 else None


def _is_service(block: Any) -> bool:
    classes = _classes(block)
    return "service_message" in classes or "tgme_widget_message_service" in classes


def _post(block: Any, channel: str, msg_id: int, max_text_bytes: int) -> TelegramPost | None:
    """One text post, None for a service message or a post without text; ValueError if malformed."""
    if _is_service(block):
        return None
    text_el = _text_element(block)
    text = _node_text(text_el) if text_el is not None else ""
    if not text:
        return None  # photo, video, sticker or file without caption
    if len(text.encode("utf-8", "replace")) > max_text_bytes:
        raise FieldError(f"the post's text is larger than {max_text_bytes} bytes")
    return TelegramPost(
        id=msg_id,
        external_id=f"{channel}/{msg_id}",
        url=f"https://t.me/{channel}/{msg_id}",
        published=_post_time(block),
        text=text,
        views=_post_views(block),
    )


def _page_title(root: Any) -> str | None:
    header = _first_with_class(root, "div", "tgme_channel_info_header_title")
    title = " ".join(_node_text(header).split()) if header is not None else ""
    if not title:
        meta = next((m for m in root.iter("meta") if m.get("property") == "og:title"), None)
        content = meta.get("content") if meta is not None else None
        title = " ".join(content.split()) if isinstance(content, str) else ""
    return title[:MAX_TITLE_CHARS].strip() or None


def _page_channel(url_channel: str | None, blocks: list[tuple[Any, str, int]], page_url: str) -> str:
    """The channel's username as its posts spell it (they carry the canonical case)."""
    for _el, name, _id in blocks:
        if url_channel is None or name.lower() == url_channel.lower():
            return name
    if url_channel is None:
        raise InputError(f"{page_url}: no channel name in the URL and no post on the page")
    return url_channel


def parse_telegram_web(
    html: str, page_url: str, *, max_bytes: int = MAX_PAGE_BYTES, max_text_bytes: int = MAX_RECORD_BYTES
) -> TelegramPage:
    """One page of a public channel's web preview (``https://t.me/s/NAME[?before=ID]``).

    Message blocks are ``div.tgme_widget_message[data-post="NAME/ID"]``; a post's text is its
    ``div.tgme_widget_message_text`` reduced to text (``<br>`` → line break, emoji images → their
    character, links → their text, scripts and markup dropped; a quoted reply is not part of it), its time
    the ``time[datetime]`` of ``a.tgme_widget_message_date`` (UTC).  Service messages and posts without
    text are not in ``posts``; a block that cannot be read (bad time, oversized text, another channel's
    post) is in ``errors``, as is a page nested deeper than the parser allows (256 levels; what follows
    that point is lost).  ``before`` is the smallest message id of any block on the page, so that
    paging does not stop at a page of photos.  InputError for a page over ``max_bytes`` or one that names
    no channel (neither in ``page_url`` nor in a post).
    """
    data = html_bytes(html, page_url, max_bytes)
    url_channel = channel_from_url(page_url)
    root, truncated = parse_html(data, page_url)
    blocks = _message_blocks(root) if root is not None else []
    channel = _page_channel(url_channel, blocks, page_url)
    posts: list[TelegramPost] = []
    errors: list[RecordError] = []
    if truncated:
        message = "markup nested too deeply: the rest of the page after that point was not read"
        errors.append(RecordError(page_url, message, "too_deep"))
    seen: set[int] = set()
    for block, name, msg_id in blocks:
        origin = f"{page_url}:post {msg_id}"
        if name.lower() != channel.lower():
            errors.append(
                RecordError(origin, f"post of another channel ({name}/{msg_id}), skipped", "invalid")
            )
            continue
        if msg_id in seen:
            continue
        seen.add(msg_id)
        try:
            post = _post(block, channel, msg_id, max_text_bytes)
        except ValueError as exc:
            errors.append(RecordError(origin, str(exc), "invalid"))
            continue
        if post is not None:
            posts.append(post)
    return TelegramPage(
        channel=channel,
        title=_page_title(root) if root is not None else None,
        posts=posts,
        before=min(seen) if seen else None,
        errors=errors,
    )


def _norm_lang(lang: str | None) -> str | None:
    if lang is None or not lang.strip():
        return None
    key = lang.strip().lower()
    return _LANG_ALIASES.get(key, key)


def telegram_posts_to_reports(
    page: TelegramPage, *, outlet: str | None, lang: str | None, origin: str
) -> list[RawReport]:
    """The page's posts as reports: outlet ``outlet`` or the channel title (else the channel name).

    Each report's origin is ``"<origin>:post <id>"``; external id, url and publication time are the post's.
    """
    name = outlet or page.title or page.channel
    language = _norm_lang(lang)
    return [
        RawReport(
            text=post.text,
            origin=f"{origin}:post {post.id}",
            external_id=post.external_id,
            url=post.url,
            outlet=name,
            published=post.published,
            lang=language,
        )
        for post in page.posts
    ]


# --- telling an export from a JSONL file -------------------------------------------------------------
_HEAD_BYTES = 8192
# The start of an export too long to parse from its head: "{", keys with short plain values ("name",
# "type", "id"), then "messages" (one chat) or the keys of a full-account export.
_EXPORT_HEAD = re.compile(
    rb'\s*(?:\xef\xbb\xbf)?\s*\{\s*(?:"[^"\n]{1,64}"\s*:\s*(?:"(?:[^"\\\n]|\\.){0,1024}"|-?\d{1,20}|true|false|null)\s*,\s*)*'
    rb'"(?:messages|chats|about|personal_information)"\s*:'
)


def looks_like_telegram_export(path: Path) -> bool:
    """A Telegram Desktop export is one JSON object with a "messages" list (one chat) or a "chats"
    object (the whole account), however it is laid out: indented, or compact on one line."""
    try:
        with open_binary(path) as fh:
            head = fh.read(_HEAD_BYTES)
    except (OSError, InputError):  # a damaged .gz: its reader says what is wrong
        return False
    stripped = head.lstrip().removeprefix(b"\xef\xbb\xbf").lstrip()
    if not stripped.startswith(b"{"):
        return False
    first_line, newline, _ = stripped.partition(b"\n")
    try:
        obj = load_json(first_line.decode("utf-8", "replace"))
    except (ValueError, RecursionError):
        obj = None
    if isinstance(obj, dict):  # a whole object on the first line: an export only by its keys
        return _export_keys(obj)
    if not newline and len(head) < _HEAD_BYTES:
        return False  # the whole file is one line that is not a JSON object
    # the first object goes on past the first line or the head: look for the export's keys in it
    return _EXPORT_HEAD.match(head) is not None


def _export_keys(obj: dict[str, Any]) -> bool:
    if isinstance(obj.get("messages"), list):
        return "text" not in obj  # a JSONL report that happens to have a "messages" field is a report
    return isinstance(obj.get("chats"), dict)
