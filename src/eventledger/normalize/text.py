"""Persian/English text normalisation.

Two layers, because every count must point at the exact sentence of the report:

* :func:`clean_text` produces the text that is **stored** as the document: control characters
  removed, line ends unified, Arabic presentation forms unfolded, personal data (e-mail
  addresses, phone, bank card, IBAN and national id numbers) redacted by
  :mod:`eventledger.normalize.redact`.  Spans of mentions refer to
  this text, so ``document.text[start:end]`` is the sentence a reader sees.
* :func:`normalize_for_matching` produces a :class:`NormalizedText` that the coder works on:
  Arabic ي/ى/ك folded to Persian ی/ک, Persian and Arabic-Indic digits to ASCII, tatweel and
  diacritics removed, ZWNJ kept, collapsed and repaired (``می خواهند`` → ``می‌خواهند``).
  It carries an offset map back to the stored text.

:func:`fold` is the aggressive key function used for dictionary look-ups (gazetteer, aliases).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field

# the redactor lives in its own module; its names stay importable from here
from eventledger.normalize.redact import REDACTED_CARD as REDACTED_CARD
from eventledger.normalize.redact import REDACTED_EMAIL as REDACTED_EMAIL
from eventledger.normalize.redact import REDACTED_IBAN as REDACTED_IBAN
from eventledger.normalize.redact import REDACTED_ID as REDACTED_ID
from eventledger.normalize.redact import REDACTED_PHONE as REDACTED_PHONE
from eventledger.normalize.redact import redact_personal_data

ZWNJ = "\u200c"
ZWJ = "\u200d"

# --- length-preserving character folding -------------------------------------------------------
_ONE_TO_ONE: dict[int, str] = {
    0x064A: "\u06cc",  # ARABIC LETTER YEH -> FARSI YEH
    0x0649: "\u06cc",  # ALEF MAKSURA -> FARSI YEH
    0x0643: "\u06a9",  # ARABIC LETTER KAF -> KEHEH
    0x00A0: " ",  # no-break space
    0x202F: " ",  # narrow no-break space
    0x2009: " ",
    0x200A: " ",
    0x2002: " ",
    0x2003: " ",
    0x3000: " ",
    0x066C: ",",  # ARABIC THOUSANDS SEPARATOR
    0x066B: ".",  # ARABIC DECIMAL SEPARATOR
    0x060C: "،",  # keep Persian comma as is (explicit for clarity)
}
for _i in range(10):
    _ONE_TO_ONE[0x06F0 + _i] = str(_i)  # Extended Arabic-Indic (Persian) digits
    _ONE_TO_ONE[0x0660 + _i] = str(_i)  # Arabic-Indic digits
_TRANSLATE = str.maketrans(_ONE_TO_ONE)
# any character _TRANSLATE changes: most English text has none, and translate() is then skipped
_NEEDS_TRANSLATE = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_ONE_TO_ONE)) + "]")

# Characters deleted for matching: tatweel, Arabic harakat/tanwin/shadda/sukun, superscript alef.
_DELETABLE = "\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed"
# Redundant joiners: a ZWNJ run collapsed to one; a ZWNJ next to whitespace or at an edge dropped.
# any character _DELETE_RE may remove (the full expression, with look-behinds, is slower to run)
_MAY_DELETE = re.compile(rf"[{_DELETABLE}{ZWNJ}]")
_DELETE_RE = re.compile(
    rf"[{_DELETABLE}]+"
    rf"|(?<={ZWNJ}){ZWNJ}+"
    rf"|{ZWNJ}+(?=\s|$)"
    rf"|(?:(?<=\s)|^){ZWNJ}+",
)

# ZWNJ repair (length preserving: a space becomes a ZWNJ).
_PREFIX_RE = re.compile(r"(?<![\w\u200c])(ن?می) (?=[\u0622-\u06cc]{2,})")
_SUFFIX_RE = re.compile(
    r"(?<=[\u0622-\u06cc]{2}) (?=(?:ها|های|هایی|هایم|هایش|هایشان|ترین|تر)(?:\s|[.,،؛:!?؟)]|$))"
)

# --- stored-text cleaning ----------------------------------------------------------------------
_CONTROL_RE = re.compile(
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b\u2028\u2029\ufeff\u202a-\u202e\u2066-\u2069]"
)
_PRESENTATION_RE = re.compile(r"[\ufb50-\ufdff\ufe70-\ufeff]")


def _unfold_presentation(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", m.group(0))


def clean_text(text: str, *, redact: bool = True) -> str:
    """The text that is stored for a document (see module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_RE.sub("", text)
    if _PRESENTATION_RE.search(text):
        text = _PRESENTATION_RE.sub(_unfold_presentation, text)
    text = unicodedata.normalize("NFC", text)
    if redact:
        text = redact_personal_data(text)
    return text.strip()


@dataclass(frozen=True)
class NormalizedText:
    """Matching form of a stored text, with a map from its offsets back to the stored text."""

    text: str
    # Positions (in ``text``) after which characters of the original were deleted, and the
    # cumulative number deleted up to that point.  Empty when nothing was deleted.
    _cut_at: tuple[int, ...] = field(default=(), repr=False)
    _cut_total: tuple[int, ...] = field(default=(), repr=False)

    def to_original(self, offset: int) -> int:
        """Map an offset in the normalised text to the offset in the stored text."""
        if not self._cut_at:
            return offset
        i = bisect_right(self._cut_at, offset) - 1
        return offset if i < 0 else offset + self._cut_total[i]

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        if not self._cut_at:
            return start, end
        # the end maps from the last included character so that deleted trailing marks stay out
        return self.to_original(start), self.to_original(end - 1) + 1 if end > start else self.to_original(
            start
        )


def normalize_for_matching(text: str) -> NormalizedText:
    """Fold letters and digits, drop diacritics/tatweel, collapse and repair ZWNJ."""
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
    cut_at: list[int] = []
    cut_total: list[int] = []
    if _MAY_DELETE.search(text) and _DELETE_RE.search(text):
        parts: list[str] = []
        last = 0
        removed = 0
        kept = 0
        for m in _DELETE_RE.finditer(text):
            s, e = m.span()
            if s == e:
                continue
            parts.append(text[last:s])
            kept += s - last
            removed += e - s
            cut_at.append(kept)
            cut_total.append(removed)
            last = e
        parts.append(text[last:])
        text = "".join(parts)
    if "می " in text:
        text = _PREFIX_RE.sub(lambda m: m.group(1) + ZWNJ, text)
    if " ه" in text or " ت" in text:
        text = _SUFFIX_RE.sub(ZWNJ, text)
    return NormalizedText(text, tuple(cut_at), tuple(cut_total))


_HASH_DROP = re.compile(rf"[{_DELETABLE}{ZWNJ}{ZWJ}]+")


def hash_form(text: str) -> str:
    """A cheap canonical form for content hashes: letters and digits folded, marks and joiners dropped."""
    if _NEEDS_TRANSLATE.search(text):
        text = text.translate(_TRANSLATE)
    return _HASH_DROP.sub("", text).lower()


def normalize_text(text: str) -> str:
    """Convenience: the matching form of ``text`` without the offset map."""
    return normalize_for_matching(text).text


# --- letter variants -----------------------------------------------------------------------------
# Arabic letter variants that Persian text writes either way, one to one (offsets kept): the codebook's
# expressions and the text they run on are folded with it («حملۀ» is «حمله», «تأسیسات» «تاسیسات»);
# :func:`fold` folds them too, with more.
PERSIAN_LETTER_VARIANTS = {
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0624": "\u0648",  # ؤ -> و
    "\u0629": "\u0647",  # ة -> ه
    "\u06c0": "\u0647",  # ۀ -> ه
}
_LETTER_VARIANTS = str.maketrans(PERSIAN_LETTER_VARIANTS)
_HAS_LETTER_VARIANT = re.compile("[" + "".join(PERSIAN_LETTER_VARIANTS) + "]")


def fold_letter_variants(text: str) -> str:
    """``text`` with :data:`PERSIAN_LETTER_VARIANTS` folded (same length: offsets are kept)."""
    return text.translate(_LETTER_VARIANTS) if _HAS_LETTER_VARIANT.search(text) else text


# --- keys for dictionary look-ups ----------------------------------------------------------------
_FOLD_EXTRA = str.maketrans(
    {
        **PERSIAN_LETTER_VARIANTS,
        "\u0622": "\u0627",  # آ -> ا
        "\u0626": "\u06cc",  # ئ -> ی
        "\u06c1": "\u0647",  # ہ (Urdu) -> ه
        "\u06be": "\u0647",  # ھ -> ه
        "\u0654": None,  # hamza above
        "\u2018": None,
        "\u2019": None,
        "\u02bc": None,
        "\u02bb": None,
        "`": None,
        "'": None,
        "\u00b4": None,
        ZWNJ: None,
        ZWJ: None,
        "-": None,
        "\u2010": None,
        "\u2011": None,
        " ": None,
        ".": None,
    }
)


def fold(name: str) -> str:
    """Aggressive look-up key: case, Latin accents, Arabic letter variants, joiners and spaces folded.

    ``fold("Eslāmābād-e Gharb") == fold("eslamabad e gharb") == "eslamabadegharb"`` and
    ``fold("اسلام‌آباد غرب") == fold("اسلام آباد غرب")``.
    """
    s = normalize_text(name).lower()
    if not s.isascii():
        s = "".join(
            ch
            for ch in unicodedata.normalize("NFKD", s)
            if not unicodedata.combining(ch) or ord(ch) >= 0x0600
        )
        s = unicodedata.normalize("NFC", s)
    return s.translate(_FOLD_EXTRA)


_ARABIC_SCRIPT_RE = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_RE = re.compile(r"[A-Za-z\u00c0-\u024f]")


def script_counts(text: str) -> tuple[int, int]:
    """(Arabic-script letters, Latin letters) in ``text``."""
    return len(_ARABIC_SCRIPT_RE.findall(text)), len(_LATIN_RE.findall(text))
