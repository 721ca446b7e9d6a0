"""Personal data out of what readers see: the redactor of texts, URLs and outlet names.

What is replaced by a placeholder, written in any digit set (ASCII, Persian ``۰-۹``, Arabic-Indic
``٠-٩``, fullwidth) and with format characters (ZWNJ, ZWJ, LRM, RLM, ALM, bidi embeddings and
isolates, soft hyphen) anywhere inside:

* e-mail addresses, also spelled out: ``name [at] domain [dot] org``, ``name(at)domain.org``,
  ``name at domain dot org``                                                   → ``[email]``;
* phone numbers in international and local forms with brackets, spaces, dashes or dots:
  ``+98 (912) 345 6789``, ``(+98) 912-345-6789``, ``0098 912…``, ``021-8888-1234``, an Iranian mobile
  without its 0 (``912 345 6789``), ``(212) 555-1234``; and any number of 7 or more digits right
  after a phone label (``tel``, ``تلفن``, ``تماس`` …, up to two words between)         → ``[phone]``;
* bank card numbers: 13-19 digits, grouped or not, that pass the Luhn check       → ``[card-number]``;
* IBANs: ``IR`` + 24 digits (Sheba, also 24 digits after the word شبا/Sheba), and other
  countries' IBANs that pass their mod-97 check                                     → ``[iban]``;
* Iranian national ids: after a label (``کد ملی``, ``شماره ملی``, ``national id/code``, ``ID number``,
  up to three words between: ``کد ملی ایشان ۰۰۱۲۳۴۵۶۷۸``) 8-10 digits; without a label, a
  10-digit number whose check digit is right (and that is not a round amount)  → ``[id-number]``.

URLs (:func:`redact_url`): query values named like personal data or secrets (``tel``, ``email``,
``national_id``, ``card``, ``token`` …) or that hold any of the above, percent-encoded or not, path
segments and fragments that hold any, and user info become ``[redacted]``; a URL inside a text is
redacted as a URL.  In URLs and ids only numbers written as phones (+, 00, 0) count: there a long
bare number is an article id (``/news/13950404000664``), not a card or a national id.

What is kept: years, dates, times, counts and money amounts (``3,742 actions``, ``1401``,
``۱۴۰۱/۱۲/۲۹``, ``21 March 2022``, ``12:30``, ``1,000,000,000 rials``): they are either too short,
written with other separators (``,`` ``/`` ``:``), or fail the checks above.

How: the text is matched through a *view* (digits folded to ASCII, Arabic letter variants folded,
format characters deleted) that maps back to the text; each detector claims spans of the view,
and the claimed spans of the original text are replaced.  Everything else of the text is kept as
it was, character for character.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote, unquote_plus, urlsplit, urlunsplit

REDACTED_EMAIL = "[email]"
REDACTED_PHONE = "[phone]"
REDACTED_ID = "[id-number]"
REDACTED_CARD = "[card-number]"
REDACTED_IBAN = "[iban]"
REDACTED = "[redacted]"  # a URL's query value, path segment or user info

# --- the matching view ---------------------------------------------------------------------------------
# length-preserving folds: Arabic letter variants of the labels, Arabic separators, plus and dashes
_FOLD = str.maketrans(
    {
        "\u064a": "\u06cc",  # ي → ی
        "\u0649": "\u06cc",  # ى → ی
        "\u0643": "\u06a9",  # ك → ک
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\uff0b": "+",  # fullwidth plus
        "\uff08": "(",
        "\uff09": ")",
        "\uff20": "@",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u202f": " ",
    }
)
_NON_ASCII_DIGIT = re.compile(r"(?![0-9])\d")
# invisible characters that may sit inside a number (typed, pasted or planted to dodge the redactor)
_FORMAT = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff"
_FORMAT_RE = re.compile(f"[{_FORMAT}]+")


@dataclass(frozen=True)
class _View:
    text: str
    index: list[int] | None  # view position → original position; None when nothing was deleted

    def span(self, start: int, end: int) -> tuple[int, int]:
        if self.index is None:
            return start, end
        return self.index[start], self.index[end - 1] + 1


def _view(text: str) -> _View:
    view = text.translate(_FOLD)
    if _NON_ASCII_DIGIT.search(view):
        view = _NON_ASCII_DIGIT.sub(lambda m: str(unicodedata.decimal(m.group())), view)
    if not _FORMAT_RE.search(view):
        return _View(view, None)
    index: list[int] = []
    parts: list[str] = []
    last = 0
    for m in _FORMAT_RE.finditer(view):
        parts.append(view[last : m.start()])
        index.extend(range(last, m.start()))
        last = m.end()
    parts.append(view[last:])
    index.extend(range(last, len(view)))
    return _View("".join(parts), index)


# --- checks ------------------------------------------------------------------------------------------------
def luhn_ok(digits: str) -> bool:
    """The Luhn check of card numbers."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def national_id_ok(digits: str) -> bool:
    """The check digit of an Iranian national id (10 digits; ``0000000000`` and the like excluded)."""
    if len(digits) != 10 or len(set(digits)) == 1:
        return False
    s = sum(int(digits[i]) * (10 - i) for i in range(9)) % 11
    return int(digits[9]) == (s if s < 2 else 11 - s)


def iban_ok(iban: str) -> bool:
    """The ISO 13616 mod-97 check."""
    s = iban[4:] + iban[:4]
    try:
        return int("".join(str(int(ch, 36)) for ch in s)) % 97 == 1
    except ValueError:
        return False


def _round(digits: str) -> bool:
    """A round amount (ten thousand or more, ending in four zeros): money, not an id or a phone."""
    return digits.endswith("0000")


# --- detectors on the view ----------------------------------------------------------------------------------
_B = r"[\[\(\{<]"
_E = r"[\]\)\}>]"
_EMAIL_RE = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9][\w.%+\-]*"
    rf"(?:\s*@\s*|\s*{_B}\s*at\s*{_E}\s*)"
    rf"[\w\-]+(?:(?:\.|\s*{_B}\s*dot\s*{_E}\s*)[\w\-]+)*(?:\.|\s*{_B}\s*dot\s*{_E}\s*)[A-Za-z]{{2,}}(?![\w\-])"
    # all spelled out: name at domain dot org
    r"|(?<![\w.%+\-])[A-Za-z0-9][\w.%+\-]*\s+at\s+[A-Za-z0-9\-]+(?:\s+dot\s+[A-Za-z0-9\-]+)*\s+dot\s+[A-Za-z]{2,}\b",
    re.IGNORECASE,
)
_IBAN_RE = re.compile(
    r"(?<![A-Za-z0-9])(?:(IR)[ \-]?(\d{2}(?:[ \-]?\d){22})"  # Sheba: IR + 24 digits in any grouping
    r"|([A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?))(?![A-Za-z0-9])",
    re.IGNORECASE,
)
_SHEBA_LABEL_RE = re.compile(
    r"(?:شبا|sheba|iban)\s*[:：]?\s*(?:[^\s\d]+\s+){0,2}?(\d(?:[ \-]?\d){23})(?!\d)", re.I
)
_WORDS = r"\s*[:：\-]?\s*(?:[^\s\d]+\s+){0,3}?"
_ID_LABEL_RE = re.compile(
    r"(?:کد\s*ملی|شماره\s*ملی|شناسه\s*ملی|national\s+(?:id|code|identity)(?:\s+(?:number|code|no\.?))?"
    r"|id\s+(?:number|no\.?|code)|melli\s+code|code\s+melli)"
    rf"{_WORDS}[:：]?\s*(\d(?:[ \-]?\d){{7,9}})(?!\d)",
    re.IGNORECASE,
)
_PHONE_LABEL_RE = re.compile(
    r"(?<![A-Za-z])(?:tel|telephone|phone|mobile|cell|fax|whatsapp|contact|تلفن|تماس|موبایل|همراه|فکس|واتساپ)"
    r"\s*[:：.]?\s*(?:[^\s\d]+\s+){0,2}?[:：]?\s*(\+?\(?\d(?:[ \-.()]{0,5}\d){6,14})(?!\d)",
    re.IGNORECASE,
)
# a run of digit groups with phone-number punctuation between them
_RUN_RE = re.compile(r"(?<![0-9A-Za-z_])(?:\(\s*)?(?:\+\s*)?(?:\(\s*)?\d+(?:[ \t\-.()]{1,5}\d+)*\)?(?![0-9])")
_GROUP_RE = re.compile(r"\d+")


def _phone_ok(digits: str, plus: bool, sizes: list[int], seps: list[str], bare: bool) -> bool:
    n = len(digits)
    if plus:
        return 8 <= n <= 15
    if digits.startswith("00"):
        return 10 <= n <= 15
    if digits.startswith("0"):
        return 10 <= n <= 12
    if n != 10 or not bare:
        return False
    if digits[0] == "9" and digits[1] in "0123459" and not _round(digits):
        # an Iranian mobile without its leading 0: 912 345 6789, 9123456789
        return sizes in ([10], [3, 3, 4], [3, 7], [3, 3, 2, 2])
    if sizes == [3, 3, 4]:  # (212) 555-1234 / 212-555-1234 / 212.555.1234
        return all(s.strip() for s in seps[1:]) or seps[0].strip().startswith("(")
    return False


def _card_shape(sizes: list[int]) -> bool:
    """Contiguous, in fours (the last group shorter), or 4-6-5 / 4-6-4."""
    return (
        len(sizes) == 1
        or (all(s == 4 for s in sizes[:-1]) and sizes[-1] <= 4)
        or sizes in ([4, 6, 5], [4, 6, 4])
    )


def _kind(digits: str, sizes: list[int], seps: list[str], bare: bool) -> str | None:
    """What digit groups (``sizes`` long, ``seps[k]`` written before group k) are, if personal data.

    Without ``bare``, only numbers that say they are phones (+, 00, 0): in URLs and ids, long bare
    numbers are article ids far more often than cards, national ids or mobiles without their 0."""
    n = len(digits)
    if not bare:
        return REDACTED_PHONE if _phone_ok(digits, "+" in seps[0], sizes, seps, bare) else None
    if 13 <= n <= 19 and digits[0] != "0" and _card_shape(sizes) and luhn_ok(digits):
        return REDACTED_CARD
    if n == 10 and sizes in ([10], [3, 6, 1]) and not _round(digits) and national_id_ok(digits):
        return REDACTED_ID
    if _phone_ok(digits, "+" in seps[0], sizes, seps, bare):
        return REDACTED_PHONE
    return None


def _may_start(first_group: str, sep_before: str) -> bool:
    """Whether a personal number may start at this group (a cheap test that keeps long runs linear):
    a + or a 0 before it, or a first group of 3 or 4 digits (phones, ids, cards) or 10 and more."""
    return "+" in sep_before or first_group[0] == "0" or len(first_group) in (3, 4) or len(first_group) >= 10


_MIN_DIGITS = 8  # the shortest number taken for personal data without a label (+ and 7 digits)
_MAX_DIGITS = 19


def _scan_run(run: str, offset: int, bare: bool) -> Iterator[tuple[int, int, str]]:
    """The personal numbers in one run of digit groups: at each group, the longest that is one."""
    spans = [(m.start(), m.end()) for m in _GROUP_RE.finditer(run)]
    groups = [run[s:e] for s, e in spans]
    seps = [run[: spans[0][0]]] + [run[spans[k - 1][1] : spans[k][0]] for k in range(1, len(spans))]
    i = 0
    while i < len(groups):
        best: tuple[int, str] | None = None
        if _may_start(groups[i], seps[i]):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j]
                if len(digits) > _MAX_DIGITS:
                    break
                if len(digits) >= _MIN_DIGITS:
                    kind = _kind(digits, [len(g) for g in groups[i : j + 1]], seps[i : j + 1], bare)
                    if kind is not None:
                        best = (j, kind)
        if best is None:
            i += 1
            continue
        j, kind = best
        s = 0 if i == 0 else spans[i][0]
        while s > 0 and run[s - 1] in "(+":  # "(+98) …" inside a longer run
            s -= 1
        e = spans[j][1]
        if run[e : e + 1] == ")" and "(" in run[s:e]:
            e += 1
        yield offset + s, offset + e, kind
        i = j + 1


class _Claims:
    """Non-overlapping spans of the view, each with its placeholder; the first claim wins."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int, str]] = []

    def add(self, start: int, end: int, placeholder: str) -> None:
        k = bisect_left(self.spans, (start, 0, ""))
        if (k > 0 and self.spans[k - 1][1] > start) or (k < len(self.spans) and self.spans[k][0] < end):
            return
        self.spans.insert(k, (start, end, placeholder))


_DATE_RE = re.compile(r"\d{4}[\-./]\d{1,2}[\-./]\d{1,2}|\d{1,2}[\-./]\d{1,2}[\-./]\d{4}")


def _claim_emails(view: str, claims: _Claims) -> None:
    for m in _EMAIL_RE.finditer(view):
        claims.add(m.start(), m.end(), REDACTED_EMAIL)


def _claim_numbers(view: str, claims: _Claims, pos: int, endpos: int, bare: bool) -> None:
    """IBANs, then labelled ids and phones, then bare numbers, in ``view[pos:endpos]``."""
    for m in _IBAN_RE.finditer(view, pos, endpos):
        if m.group(1) is not None or iban_ok(re.sub(r"\s", "", m.group(3)).upper()):
            claims.add(m.start(), m.end(), REDACTED_IBAN)
    for m in _SHEBA_LABEL_RE.finditer(view, pos, endpos):
        claims.add(*m.span(1), REDACTED_IBAN)
    for m in _ID_LABEL_RE.finditer(view, pos, endpos):
        claims.add(*m.span(1), REDACTED_ID)
    for m in _PHONE_LABEL_RE.finditer(view, pos, endpos):
        if not _DATE_RE.fullmatch(m.group(1)):
            claims.add(*m.span(1), REDACTED_PHONE)
    for m in _RUN_RE.finditer(view, pos, endpos):
        for span in _scan_run(m.group(), m.start(), bare):
            claims.add(*span)


# seven digits close together: nothing shorter is redacted, so only these places are looked at
# (with room before them for a label and a few words)
_LONG_NUMBER_RE = re.compile(r"\d(?:\D{0,5}\d){6,}")
_LABEL_ROOM = 100
_MAIL_HINT_RE = re.compile(rf"@|{_B}\s*at\s*{_E}|\bdot\b", re.IGNORECASE)
# the same two tests on the text itself, format characters skipped: most texts stop there
_MAY_HAVE_NUMBER = re.compile(rf"\d(?:[{_FORMAT}]*(?:[^\d{_FORMAT}][{_FORMAT}]*){{0,5}}\d){{6}}")
_MAY_HAVE_MAIL = re.compile(
    rf"[@\uff20]|[\[\(\{{<\uff08]\s*a[{_FORMAT}]*t|\bd[{_FORMAT}]*o[{_FORMAT}]*t\b|://|%40|mailto:",
    re.IGNORECASE,
)
# a URL in a text is redacted as a URL (query values by name, percent-encoded data decoded)
_URL_RE = re.compile(r"\b(?:https?|ftp)://[^\s<>\"'`]+|\b(?:mailto|tel|sms):[^\s<>\"'`]+", re.IGNORECASE)


def _claim_urls(text: str, view: _View, claims: _Claims) -> None:
    for m in _URL_RE.finditer(view.text):
        start, end = view.span(*m.span())
        url = text[start:end]
        # claimed even when unchanged: its article ids are not to be read as bare numbers
        claims.add(m.start(), m.end(), redact_url(url) or REDACTED)


def _regions(view: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for m in _LONG_NUMBER_RE.finditer(view):
        start, end = max(0, m.start() - _LABEL_ROOM), min(len(view), m.end() + 2)
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def redact_personal_data(text: str, *, bare_numbers: bool = True, urls: bool = True) -> str:
    """``text`` with e-mails, phone, card, IBAN and national id numbers replaced (see module docstring).

    URLs in it are redacted as URLs (:func:`redact_url`).  ``bare_numbers=False`` (for URLs and ids)
    leaves numbers without a label alone unless they are written as phones (+, 00, 0); ``urls=False``
    reads URLs as plain text (for a URL that does not parse)."""
    if not text or (_MAY_HAVE_NUMBER.search(text) is None and _MAY_HAVE_MAIL.search(text) is None):
        return text
    view = _view(text)
    claims = _Claims()
    if urls and ":" in view.text:
        _claim_urls(text, view, claims)
    if _MAIL_HINT_RE.search(view.text):
        _claim_emails(view.text, claims)
    for start, end in _regions(view.text):
        _claim_numbers(view.text, claims, start, end, bare_numbers)
    if not claims.spans:
        return text
    out: list[str] = []
    last = 0
    for s, e, placeholder in claims.spans:
        start, end = view.span(s, e)
        out.append(text[last:start])
        out.append(placeholder)
        last = end
    out.append(text[last:])
    return "".join(out)


def has_personal_data(text: str, *, bare_numbers: bool = True) -> bool:
    return redact_personal_data(text, bare_numbers=bare_numbers) != text


# --- URLs and names -----------------------------------------------------------------------------------------
# The version of these rules. Each document stores its URL and its external id redacted under the
# rules of one version (``documents.redaction``); readers use those stored values when they were
# made under this version and redact again otherwise, and ``Store.open`` brings every row to it.
# Raise it whenever a change to this module could redact more of a URL or an id.
REDACTION_RULES = 1

# query keys whose values are personal data or secrets, whatever they look like (compared folded:
# lower case, without ``-``, ``_``, ``.``, ``[]``)
PERSONAL_KEYS = frozenset(
    {
        "tel", "phone", "phonenumber", "mobile", "mob", "cell", "cellphone", "fax", "whatsapp", "msisdn",
        "email", "mail", "emailaddress", "nationalid", "nationalcode", "nid", "codemelli", "melli", "ssn",
        "idnumber", "passport", "card", "cardnumber", "cardno", "pan", "iban", "sheba", "account",
        "accountnumber", "password", "passwd", "pwd", "pass", "token", "accesstoken", "auth", "session",
        "sessionid", "sid", "secret", "apikey",
    }
)  # fmt: skip
_KEY_FOLD = re.compile(r"[\-_.\[\]\s]")


def _in_url(part: str) -> bool:
    return has_personal_data(part, bare_numbers=False)


def _personal_key(key: str) -> bool:
    return _KEY_FOLD.sub("", unquote_plus(key)).lower() in PERSONAL_KEYS


def _redact_pairs(query: str) -> str:
    parts = re.split(r"([&;])", query)
    for k in range(0, len(parts), 2):
        key, eq, value = parts[k].partition("=")
        if not eq:
            if _in_url(unquote_plus(key)):
                parts[k] = REDACTED
        elif value and (_personal_key(key) or _in_url(unquote_plus(value))):
            parts[k] = f"{key}={REDACTED}"
    return "".join(parts)


_NOT_DIGIT = re.compile(r"\D+")


def _nothing_to_redact(url: str) -> bool:
    """A plain http(s) URL (or an id) with no query, fragment, user info, escapes, run of digits or
    anything like an e-mail address: what most URLs are, answered without parsing them."""
    if any(c in url for c in "?#@%\uff20"):
        return False
    lowered = url[:8].lower()
    rest = url[8:] if lowered.startswith("https://") else url[7:] if lowered.startswith("http://") else url
    if ":" in rest:
        return False
    # the patterns need 7 digits, or a bracket or "dot" (an address written out): cheap tests first
    if len(_NOT_DIGIT.sub("", rest)) >= 7 and _MAY_HAVE_NUMBER.search(rest) is not None:
        return False
    return (
        not (any(c in rest for c in "[({<\uff08") or "dot" in rest.lower())
        or _MAY_HAVE_MAIL.search(rest) is None
    )


def redact_url(url: str | None) -> str | None:
    """A URL with its personal data out: query values (by name or by look), path segments, user info.

    ``https://x.org/p?tel=0912…&id=7`` → ``https://x.org/p?tel=[redacted]&id=7``.  A URL without
    any is returned unchanged (same string).
    """
    if not url or _nothing_to_redact(url):
        return url
    try:
        parts = urlsplit(url)
    except ValueError:  # not a URL that parses ("http://[::1"): redacted as text
        return redact_personal_data(url, bare_numbers=False, urls=False)
    if parts.scheme.lower() in ("mailto", "tel", "sms", "callto"):
        return f"{parts.scheme}:{REDACTED}"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = REDACTED + "@" + netloc.rsplit("@", 1)[1]
    netloc = redact_personal_data(netloc, bare_numbers=False)
    path = "/".join(REDACTED if _in_url(unquote(seg)) else seg for seg in parts.path.split("/"))
    query = _redact_pairs(parts.query) if parts.query else ""
    fragment = parts.fragment
    if fragment:
        fragment = (
            _redact_pairs(fragment)
            if "=" in fragment
            else (REDACTED if _in_url(unquote(fragment)) else fragment)
        )
    new = (parts.scheme, netloc, path, query, fragment)
    if new == tuple(parts):
        return url
    return urlunsplit(new)


def redact_name(name: str) -> str:
    """An outlet or channel name with personal data replaced (``Contact 0912…`` → ``Contact [phone]``)."""
    return redact_personal_data(name)
