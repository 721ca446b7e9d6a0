"""The shipped act-or-not gate: pure Python, no text in its files, used by ingest unless told otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eventledger.errors import InputError
from eventledger.extract.codebook import CodebookError, load_codebook, parse_codebook
from eventledger.extract.coder import RuleCoder
from eventledger.learn.gate import FORMAT, HashedGate, bucket_counts, is_gate_folder, load_gate, shipped_gate
from eventledger.pipeline import NO_GATE, make_coder, make_relevance
from tests.conftest import make_doc as doc
from tests.learn.test_relevance import ACTS, NOT_ACTS, tiny
from tests.test_cli import run


def test_the_codebook_names_its_gate_and_the_categories_it_judges():
    cb = load_codebook("political-action")
    assert cb.gate == "gate-political-action"
    assert cb.gate_categories is not None
    assert not cb.gate_judges("propaganda", "en") and cb.gate_judges("protest", "en")
    # Persian: only the categories a war's state strikes are mistaken for (explosion, armed); protests,
    # vandalism and arson are left to the rules
    assert cb.gate_judges("explosion", "fa") and cb.gate_judges("armed", "fa")
    assert not cb.gate_judges("protest", "fa") and not cb.gate_judges("violence", "fa")
    assert not cb.gate_judges("protest", "de")  # a language the codebook names no categories for
    # acled counts state action: its own gate (trained with state action an act), Persian only, and
    # not for protests (better left to the rules on the dev files)
    acled = load_codebook("acled")
    assert acled.gate == "gate-acled"
    assert acled.gate_judges("explosions-remote-violence", "fa") and acled.gate_judges("battles", "fa")
    assert not acled.gate_judges("protests", "fa")
    # English (acled 1.2.56): every type but strategic developments, which its training holds too few of
    assert acled.gate_judges("battles", "en") and acled.gate_judges("protests", "en")
    assert not acled.gate_judges("strategic-developments", "en")


def test_a_bad_gate_entry_is_a_codebook_error(tmp_path: Path):
    import yaml

    from eventledger.shipped import shipped_path

    data = yaml.safe_load(
        shipped_path("data", "codebooks", "political-action.yaml").read_text(encoding="utf-8")
    )
    for bad in (
        "../../etc",
        {"model": "Gate Political"},
        {"model": "g", "categories": ["nope"]},
        {"model": "g", "categories": {"en": ["nope"]}},
        {"model": "g", "categories": {"english!": ["protest"]}},
        {"model": "g", "categories": {"en": []}},
        {"mdl": "g"},
    ):
        with pytest.raises(CodebookError, match="gate"):
            parse_codebook({**data, "gate": bad}, "test.yaml", "digest")


def test_the_shipped_gate_loads_without_numpy_and_scores_in_range():
    gate = shipped_gate("gate-political-action")
    # English and Persian heads (the Persian one trained on 2026 war news among others: see the README)
    assert gate.version.startswith("h") and set(gate.heads) == {"en", "fa"}
    # a state's war as heard by residents scores below a bombing told with its doers
    heard = gate.scores(["سلام وحید جان همین الان صدای سه انفجار در بندرعباس اومد"], "fa")[0]
    bombing = gate.scores(["افراد مسلح ناشناس بمبی را در مقابل پاسگاه پلیس منفجر کردند"], "fa")[0]
    assert 0.0 <= heard < bombing <= 1.0
    scores = gate.scores(ACTS + NOT_ACTS, "en")
    assert all(0.0 <= s <= 1.0 for s in scores)
    # an act scores above a figure of speech about the same word
    assert (
        gate.scores(["Gunmen opened fire on a police checkpoint and killed two officers"], "en")[0]
        > (gate.scores(["The striker scored twice as the team attacked from the wings"], "en")[0])
    )
    assert gate.scores(["a sentence"], "de") == [1.0]  # a language it was not trained on: let through


def test_the_acled_gate_reads_persian_and_takes_state_strikes_for_acts():
    gate = shipped_gate("gate-acled")
    # Persian and English sentence heads, and an English document head (reports off the topic: sport, …)
    assert gate.version.startswith("h") and set(gate.heads) == {"en", "fa", "topic-en"}
    strike = gate.scores(
        ["جنگنده‌های اسرائیلی بامداد امروز مواضعی در جنوب لبنان را بمباران کردند و سه نفر کشته شدند"], "fa"
    )
    commentary = gate.scores(
        ["این تحلیلگر گفت حملات هوایی اسرائیل به سوریه به یک جنگ فرسایشی منجر خواهد شد"], "fa"
    )
    assert 0.0 <= commentary[0] < strike[0] <= 1.0
    # English: a strike told as news scores above the same words in a threat and in a football report
    strike, threat, match = gate.scores(
        [
            "Saudi-led coalition jets struck a school in Saada on Monday, killing six children, residents said.",
            "The commander warned that any aggression would be met with a crushing response on all fronts.",
            "The visitors attacked from the wings and struck the post twice before half-time.",
        ],
        "en",
    )
    assert strike > max(threat, match)


def test_the_acled_gates_document_head_tells_sport_and_business_from_conflict_news():
    gate = shipped_gate("gate-acled")
    from tests.extract.test_acled_codebook import BUSINESS, SPORT

    war = "Soldiers clashed with rebels near the town on Monday, killing four fighters, the army said."
    protest = (
        "Thousands of protesters marched in the capital demanding the release of jailed opposition leaders."
    )
    off = [gate.topic_score(t, "en") for t in (SPORT, BUSINESS)]
    on = [gate.topic_score(t, "en") for t in (war, protest)]
    assert all(s is not None and s < gate.threshold for s in off)
    assert all(s is not None and s > gate.threshold for s in on)
    assert gate.topic_score(war, "fa") is None  # no Persian document head
    assert shipped_gate("gate-political-action").topic_score(war, "en") is None


def test_the_shipped_files_carry_no_text():
    from eventledger.shipped import shipped_path

    folder = shipped_path("data", "models", "gate-political-action")
    meta = (folder / "gate.json").read_text(encoding="utf-8")
    assert json.loads(meta)["format"] == FORMAT
    import zlib

    raw = zlib.decompress((folder / "en.bin").read_bytes())
    assert b"police" not in raw and b"gunmen" not in raw  # numbers only
    assert len(raw) % 12 == 0


def test_bucket_counts_are_stable_and_word_based():
    # the same words in the same order: the same buckets; folded Persian letters count as one word
    assert bucket_counts("Gunmen opened fire") == bucket_counts("gunmen  OPENED fire!")
    assert bucket_counts("كشته شد") == bucket_counts("کشته شد")
    assert sum(bucket_counts("one two three").values()) == 5  # three words, two pairs


def test_a_trained_hashed_gate_round_trips(tmp_path: Path):
    pytest.importorskip("sklearn")
    from eventledger.learn.relevance import set_gate_cut, train_hashed_gate

    texts, labels, langs = tiny()
    gate = train_hashed_gate(texts, labels, langs, seed=3, min_df=1)
    assert gate.version == train_hashed_gate(texts, labels, langs, seed=3, min_df=1).version
    before = gate.scores(ACTS, "en")
    set_gate_cut(gate, "en", 0.3)
    shifted = gate.scores(ACTS, "en")
    assert all(b <= s for b, s in zip(before, shifted, strict=True))
    d = gate.save(tmp_path / "g")
    assert is_gate_folder(d) and not is_gate_folder(tmp_path)
    again = load_gate(d)
    assert again.scores(ACTS + NOT_ACTS, "en") == gate.scores(ACTS + NOT_ACTS, "en")
    assert again.scores(texts, "fa") == gate.scores(texts, "fa")
    (d / "fa.bin").write_bytes(b"not zlib")
    with pytest.raises(InputError, match=r"fa\.bin"):
        load_gate(d)
    with pytest.raises(InputError, match="not a gate folder"):
        load_gate(tmp_path / "missing")
    gate.save(d)  # whole again
    meta = json.loads((d / "gate.json").read_text(encoding="utf-8"))
    for bad in ({**meta, "languages": {"en": {"file": "../en.bin", "intercept": 0}}},
                {k: v for k, v in meta.items() if k != "threshold"}, {**meta, "languages": []}):  # fmt: skip
        (d / "gate.json").write_text(json.dumps(bad), encoding="utf-8")
        with pytest.raises(InputError, match=r"gate\.json"):
            load_gate(d)


def test_runs_use_the_codebooks_gate_unless_told_otherwise(gazetteer):
    cb = load_codebook("political-action")
    coder = make_coder(cb, gazetteer, {})
    assert coder.relevance is not None and coder.relevance.version == shipped_gate(cb.gate or "").version
    assert make_relevance(NO_GATE, cb) is None
    acled = make_coder(load_codebook("acled"), gazetteer, {}).relevance  # acled's own (ninth session)
    assert (
        acled is not None and acled.version == shipped_gate("gate-acled").version != coder.relevance.version
    )
    # a plain RuleCoder is the rules alone (the library's building block)
    assert RuleCoder(cb, gazetteer).relevance is None


def test_the_gate_records_its_score_and_leaves_propaganda_to_the_rules(gazetteer):
    cb = load_codebook("political-action")

    class Low:
        version = "low"
        threshold = 0.5

        def scores(self, sentences, lang):
            return [0.01] * len(sentences)

    coder = RuleCoder(cb, gazetteer, relevance=Low())
    kept, dropped = coder.code_with_dropped(doc("Gunmen opened fire on a police post in Saravan on Friday."))
    assert kept == [] and dropped[0].flags[0] == "dropped:model"
    (m,) = coder.code(doc("Supporters wrote slogans on walls in Tabriz on Friday."))
    # left to the rules: kept, and no score recorded as if the gate had judged it
    assert m.category == "propaganda" and not any(f.startswith("gate:") for f in m.flags)
    assert m.model_version == "low"


def _scored(m) -> bool:
    return any(f.startswith("gate:") for f in m.flags)


def test_the_gate_scores_persian_only_in_the_categories_the_codebook_names(gazetteer):
    cb = load_codebook("political-action")
    coder = make_coder(cb, gazetteer, {})
    (a,) = coder.code(doc("افراد مسلح دیروز به پاسگاهی در سراوان حمله کردند.", lang="fa"))
    assert a.category == "armed" and _scored(a)
    # a Persian protest is left to the rules: kept, no score recorded
    (p,) = coder.code(doc("صدها کارگر دیروز مقابل فرمانداری اهواز تجمع کردند.", lang="fa"))
    assert p.category == "protest" and not _scored(p)
    (e,) = coder.code(doc("Gunmen opened fire on a police post in Saravan on Friday."))
    assert _scored(e)


def test_a_language_the_gate_does_not_read_carries_no_score(gazetteer):
    cb = load_codebook("political-action")
    shipped = shipped_gate("gate-political-action")
    english_only = HashedGate(shipped.version, shipped.threshold, {"en": shipped.heads["en"]}, {})
    coder = RuleCoder(cb, gazetteer, relevance=english_only)
    (m,) = coder.code(doc("افراد مسلح دیروز به پاسگاهی در سراوان حمله کردند.", lang="fa"))
    assert m.category == "armed" and not _scored(m)


def test_ingest_records_the_gate_and_no_gate_turns_it_off(tmp_path: Path):
    corpus = tmp_path / "r.jsonl"
    corpus.write_text(
        json.dumps({"id": "1", "text": "Gunmen opened fire on a police post in Saravan on Friday.",
                    "published": "2026-05-10T09:00:00Z", "outlet": "Wire"}) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    for extra, expect in (([], shipped_gate("gate-political-action").version), (["--no-gate"], None)):
        db = tmp_path / f"db{len(extra)}.sqlite"
        assert run("ingest", str(corpus), "-q", *extra, db=db)[0] == 0
        code, out, _ = run("runs", "--format", "json", db=db)
        assert code == 0 and json.loads(out)[0]["versions"].get("gate") == expect
    code, _, err = run("ingest", str(corpus), "--no-gate", "--gate-model", "x", db=tmp_path / "x.sqlite")
    assert code != 0 and "exclude each other" in err


def test_acled_runs_type_an_attack_on_a_base_by_who_struck_and_record_the_gate(gazetteer):
    # acled 1.2.29: the attack noun typed by the attacker needs no sign of news in its sentence; acled's
    # gate judges it (its score on the mention) and no armed clash is coded beside the strike (since 1.2.38 the
    # clash pattern does not fire on an attack with a striking state before «به»; before, it gave way)
    coder = make_coder(load_codebook("acled"), gazetteer, {})
    text = "سخنگوی ارتش اسرائیل حمله اسرائیل به پایگاه هوایی تیفور در سوریه را تایید کرد."
    mentions, dropped = coder.code_with_dropped(doc(text, lang="fa"))
    assert [(m.subtype, m.place.country if m.place else None) for m in mentions] == [
        ("air-drone-strike", "SY")
    ]
    assert any(f.startswith("gate:") for f in mentions[0].flags)
    assert "armed-clash" not in [d.subtype for d in dropped if "dropped:suppressed" not in d.flags]
