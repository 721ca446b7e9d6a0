"""Sentence spans for Persian and English report text.

A sentence ends at ``. ! ? ؟ …`` followed by a space, a line end, a Persian letter or the end of
the text (Persian posts often omit the space after a full stop), and at every line break.
A full stop after a single capital or a title ("U.S.", "A. Smith", "Mr.") and inside a number
does not end one.

A "sentence" longer than ``MAX_SENTENCE_CHARS`` (run-on text, a page without punctuation, hostile
input) is cut at the last clause break (comma, semicolon) or space before the limit: what is coded
per sentence then costs a bounded time, and coding stays linear in the length of a report.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?؟…]+[\"'»”)\]]*(?=\s|$|[\u0600-\u06ff])|\n+")
_NO_BREAK_BEFORE_DOT = re.compile(
    r"(?:\b[A-Z]|\bMrs?|\bDr|\bSt|\bNo|\bvs|\bJr|\bSr|\bProf|\bGen|\bCol|\bLt|\bGov|\bSen|\bRep)$"
)


def sentence_spans(text: str, *, wrapped: bool = True) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, whitespace trimmed, empty ones dropped
    (``wrapped=False``: a Persian sentence wrapped over lines is not joined, every line break ends one,
    as before coder rules/1.32)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        b = m.start()
        if text[b] == "\n":
            if wrapped and _goes_on(text, b, m.end()):
                continue
            _add(text, start, b, spans)
            start = m.end()
            continue
        if text[b] == "." and m.end() - b == 1 and _NO_BREAK_BEFORE_DOT.search(text, max(0, b - 5), b):
            continue
        _add(text, start, m.end(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


# a Persian line that ends on a word or a comma and a next line that opens with a word no sentence opens
# with: one sentence broken over two lines (Telegram posts wrap by hand: «ارتش آمریکا شب گذشته با موشک»
# / «به دکل مرکز کنترل ترافیک دریایی … حمله کرد»)
_LINE_ENDS_OPEN = re.compile(r"[\u0600-\u064a\u066e-\u06d3\u06fa-\u06ff\u200c]\s*$|[،,]\s*$")
_LINE_GOES_ON = re.compile(r"(?:را|رو|و|که|به(?![\s\u200c]+گزارش)|در|از|با|تا|برای)(?=[\s\u200c])")


# a line that ends on a comma or a word that cannot end a sentence («… جنگنده‌های اسرائیلی نیز دست به» /
# «حملات هوایی پیاپی … زده‌اند») goes on on the next line whatever word opens it
_LINE_ENDS_MIDWAY = re.compile(r"(?:[،,]|(?<![\w\u200c])(?:به|از|در|با|و|که|را|برای|تا|بر))\s*$")
_PERSIAN_LETTER = re.compile(r"[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff]")


def _goes_on(text: str, nl: int, after: int) -> bool:
    """Whether the single line break at ``nl`` (the break ending at ``after``) wraps one sentence."""
    line_start = text.rfind("\n", 0, nl) + 1
    if after - nl != 1 or text.startswith("#", line_start):
        return False
    lo = max(line_start, nl - 8)
    if _LINE_ENDS_MIDWAY.search(text, lo, nl) and _PERSIAN_LETTER.match(text, after):
        return True
    return bool(_LINE_ENDS_OPEN.search(text, max(lo, nl - 3), nl) and _LINE_GOES_ON.match(text, after))


# longer than real sentences: the longest of 18,555 in Fars News reports has 1,995 characters,
# of 41,542 in BBC News 1,941 (nearly all are under 900)
MAX_SENTENCE_CHARS = 2000


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    while end - start > MAX_SENTENCE_CHARS:
        cut = _cut(text, start, start + MAX_SENTENCE_CHARS)
        _add(text, start, cut, spans)
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if end > start:
        spans.append((start, end))


def _cut(text: str, start: int, limit: int) -> int:
    """Where to cut an over-long sentence: after the last clause break in its second half, else
    after the last space, else at the limit."""
    half = start + (limit - start) // 2
    for rx in (_CLAUSE_BREAK_STRONG, _SPACE):
        last = None
        for m in rx.finditer(text, half, limit):
            last = m
        if last is not None:
            return last.end()
    return limit


_CLAUSE_BREAK_STRONG = re.compile(r"[,،;؛:](?=\s)")
_SPACE = re.compile(r"\s")
