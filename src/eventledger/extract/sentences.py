"""Sentence spans for Persian and English report text.

A sentence ends at ``. ! ? ؟ …`` followed by a space, a line end, a Persian letter or the end of
the text (Persian posts often omit the space after a full stop), and at every line break.
A full stop after a single capital or a title ("U.S.", "A. Smith", "Mr.") and inside a number
does not end one.
"""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"[.!?؟…]+[\"'»”)\]]*(?=\s|$|[\u0600-\u06ff])|\n+")
_NO_BREAK_BEFORE_DOT = re.compile(
    r"(?:\b[A-Z]|\bMrs?|\bDr|\bSt|\bNo|\bvs|\bJr|\bSr|\bProf|\bGen|\bCol|\bLt|\bGov|\bSen|\bRep)$"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans ``(start, end)`` of the sentences of ``text``, whitespace trimmed, empty ones dropped."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        b = m.start()
        if text[b] == "\n":
            _add(text, start, b, spans)
            start = m.end()
            continue
        if text[b] == "." and m.end() - b == 1 and _NO_BREAK_BEFORE_DOT.search(text, max(0, b - 5), b):
            continue
        _add(text, start, m.end(), spans)
        start = m.end()
    _add(text, start, len(text), spans)
    return spans


def _add(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
