"""Codebook loading, validation and the fast scanner."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from eventledger.demo import sample_reports
from eventledger.errors import CodebookError
from eventledger.extract.codebook import codebook_path, load_codebook, matching_text
from eventledger.normalize.text import normalize_text
from eventledger.sources.kinds import read_path

REQUIRED = {
    "propaganda": {"slogan", "poster", "leaflet", "broadcast"},
    "violence": {"arson", "grenade", "vandalism"},
    "explosion": {"bombing", "mortar"},
    "armed": {"shooting"},
    "cyber": {"intrusion"},
    "political": {"meeting"},
    "protest": {"demonstration"},
}


def test_shipped_codebook_has_the_required_ids(codebook):
    assert codebook.ref.startswith("political-action@")
    assert {c.id: set(c.subtypes) for c in codebook.categories} == REQUIRED
    for st in codebook.subtypes.values():
        assert set(st.patterns) == {"en", "fa"}, st.id


def write(tmp_path: Path, data: object) -> Path:
    p = tmp_path / "cb.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return p


def minimal(**over: object) -> dict:
    cb = {
        "id": "mine",
        "version": "0.1",
        "languages": ["en"],
        "categories": [{"id": "protest", "subtypes": [{"id": "sit_in", "patterns": {"en": ["sit-ins?"]}}]}],
    }
    cb.update(over)
    return cb


def test_a_user_codebook_loads_and_codes(tmp_path):
    cb = load_codebook(write(tmp_path, minimal()))
    assert cb.ref == "mine@0.1" and list(cb.subtypes) == ["sit_in"]
    assert list(cb.subtypes["sit_in"].scan["en"].spans(matching_text("A Sit-in was held.", "en"))) == [(2, 8)]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (minimal(id="Bad Id"), "id 'Bad Id'"),
        (
            minimal(categories=[{"id": "x", "subtypes": [{"id": "y", "patterns": {"en": ["(unclosed"]}}]}]),
            r"categories\[0\].subtypes\[0\]\(y\).patterns.en\[0\]: invalid pattern",
        ),
        (
            minimal(categories=[{"id": "x", "subtypes": [{"id": "y", "patterns": {"de": ["a"]}}]}]),
            "language 'de' is not in",
        ),
        (
            minimal(
                categories=[
                    {
                        "id": "x",
                        "subtypes": [{"id": "y", "suppressed_by": ["nope"], "patterns": {"en": ["a"]}}],
                    }
                ]
            ),
            "unknown subtype 'nope'",
        ),
        (minimal(cues={"hopes": {"en": ["x"]}}), "unknown cue kind"),
        (minimal(home_languages=["de"]), "home_languages: a list of the codebook's languages"),
        (minimal(home_languages="fa"), "home_languages: a list"),
        ({"version": 1}, "missing key 'id'"),
    ],
)
def test_invalid_codebooks_name_the_key(tmp_path, data, message):
    with pytest.raises(CodebookError, match=message):
        load_codebook(write(tmp_path, data))


def test_unknown_shipped_name_lists_the_shipped_ones():
    with pytest.raises(CodebookError, match=r"shipped codebooks: .*political-action"):
        codebook_path("nope")


def test_not_yaml_is_a_clear_error(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(CodebookError, match="not valid YAML"):
        load_codebook(p)


def test_persian_spaces_match_zwnj_space_or_nothing(codebook):
    scan = codebook.subtypes["slogan"].scan["fa"]
    for text in ("شعارنویسی کردند", "شعار نویسی کردند", "شعار\u200cنویسی کردند"):
        assert list(scan.spans(text)), text
    # a trigger glued to a preceding letter is not a trigger
    assert not list(codebook.subtypes["grenade"].scan["fa"].spans("بنارنجک"))


def test_fast_scanner_finds_what_the_plain_expressions_find(codebook):
    """The pre-filter and the dropped look-behind must not lose a single trigger on the sample."""
    for item in read_path(sample_reports()):
        text = normalize_text(item.text)
        lang = item.lang or ("fa" if re.search("[\u0600-\u06ff]", text) else "en")
        low = matching_text(text, lang)
        for st in codebook.subtypes.values():
            plain = [m.span() for rx in st.patterns[lang] for m in rx.pattern.finditer(low)]
            fast = list(st.scan[lang].spans(low))
            for s, e in plain:  # every trigger the plain expressions see overlaps one the scanner sees
                assert any(s < fe and fs < e for fs, fe in fast), (st.id, item.external_id, low[s:e])


def test_the_scanner_skips_a_text_that_lacks_a_required_word():
    """Every literal an expression needs is checked before the search ("set fire to" needs "set",
    "fire" and "to"): a text with the words of no expression is not searched; one with them is."""
    from eventledger.extract.codebook import _scanner

    scan = _scanner(["set\\s+fire\\s+to", "torched"], "en")
    assert scan.required is not None
    assert not scan.possible("a fire broke out")  # "fire" alone: no expression can match
    assert scan.possible("they set fire to the bank")
    assert list(scan.spans("they set  fire to the bank")) == [(5, 17)]
    assert list(scan.spans("they torched the bank")) == [(5, 12)]
    # an expression without a literal it must contain leaves the pre-filter out
    assert _scanner(["[a-z]+", "torched"], "en").required is None


def test_quantity_kind_defaults_to_items_and_accepts_fatalities(tmp_path, codebook):
    assert codebook.quantity_kind == "items"
    assert load_codebook(write(tmp_path, minimal())).quantity_kind == "items"
    assert load_codebook(write(tmp_path, minimal(quantity="fatalities"))).quantity_kind == "fatalities"


def test_unknown_quantity_kind_names_the_file(tmp_path):
    path = write(tmp_path, minimal(quantity="bodies"))
    with pytest.raises(CodebookError, match=r"cb\.yaml: quantity: one of items, fatalities, not 'bodies'"):
        load_codebook(path)


def test_actors_and_targets_carry_acled_interaction_codes(tmp_path):
    cb = load_codebook(
        write(
            tmp_path,
            minimal(
                actors=[
                    {"id": "police", "inter": 1, "aliases": {"en": ["police"]}},
                    {"id": "crowd", "aliases": {"en": ["crowds?"]}},
                ],
                targets=[{"id": "civilians", "inter": 7, "patterns": {"en": ["civilians?"]}}],
            ),
        )
    )
    assert [(a.id, a.inter) for a in cb.actors] == [("police", 1), ("crowd", None)]
    assert [(t.id, t.inter) for t in cb.targets] == [("civilians", 7)]


@pytest.mark.parametrize("value", [0, 9, "1", 2.5, True])
def test_interaction_codes_outside_1_to_8_are_errors(tmp_path, value):
    with pytest.raises(CodebookError, match=r"actors\[0\]\.inter: an ACLED interaction code 1-8"):
        load_codebook(write(tmp_path, minimal(actors=[{"id": "x", "inter": value}])))
    with pytest.raises(CodebookError, match=r"targets\[0\]\.inter: an ACLED interaction code 1-8"):
        load_codebook(write(tmp_path, minimal(targets=[{"id": "x", "inter": value}])))


def test_macros_are_written_out_in_every_pattern_and_checked() -> None:
    from eventledger.errors import CodebookError
    from eventledger.extract.codebook import parse_codebook

    def book(macros: object) -> dict:
        return {
            "id": "m",
            "version": "1",
            "macros": macros,
            "categories": [
                {"id": "c", "subtypes": [{"id": "s", "patterns": {"en": ["{WHO} attacked"], "fa": ["حمله"]}}]}
            ],
        }

    cb = parse_codebook(book({"WHO": "(?:rebels|militants)"}), "m.yaml", "0")
    assert list(cb.subtypes["s"].scan["en"].spans("militants attacked the post")) == [(0, 18)]
    for bad in ({"who": "x"}, {"W": "x"}, {"WHO": ""}, ["WHO"]):
        with pytest.raises(CodebookError, match="macros"):
            parse_codebook(book(bad), "m.yaml", "0")
