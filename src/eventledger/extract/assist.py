"""A trained model beside the codebook rules: it confirms or questions rule mentions, or proposes its own.

``hybrid``  rules find the mentions; the model reads each mention's sentence: agreeing raises the
            confidence, disagreeing lowers it and flags the mention for review.
``fill``    the rules' mentions as they are, and where the rules find no act at all in a report, the
            model's proposals (as in ``model``): what the codebook's phrasings miss, the model may
            still read.
``model``   the model proposes a mention for every sentence it maps to a subtype with enough
            confidence; places, dates, cues and de-duplication are the coder's as usual.

Every mention records the coder (``rules/…``, ``hybrid/…``, ``model/…``) and the model version.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import yaml

from eventledger.errors import ConfigError
from eventledger.extract.codebook import Codebook
from eventledger.learn.model import TextModel
from eventledger.records import Mention
from eventledger.shipped import shipped_or_path

DEFAULT_MAP = "acled-to-political-action"
AGREE_BONUS = 0.1
DISAGREE_PENALTY = 0.3
CONFIDENT = 0.5  # a disagreeing model counts only when it is at least this sure
MODES = ("hybrid", "fill", "model")


def load_subtype_map(name_or_path: str = DEFAULT_MAP) -> dict[str, str | None]:
    p = shipped_or_path(name_or_path, "models")
    if not p.is_file():
        raise ConfigError(f"model label map not found: {name_or_path}")
    data = yaml.safe_load(p.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: expected a mapping of model label → subtype (or null)")
    return {str(k): (str(v) if v is not None else None) for k, v in data.items()}


@dataclass(frozen=True)
class AssistSpec:
    """What a worker process needs to rebuild the assistant."""

    model_dir: str
    label_map: str = DEFAULT_MAP
    mode: str = "hybrid"  # hybrid | fill | model
    threshold: float = 0.6  # the model's own proposals: lowest score


def codebook_label_map(codebook: Codebook) -> dict[str, str | None] | None:
    """ACLED sub-event type → subtype, from a codebook whose subtypes carry ACLED's names (the
    ``acled`` codebook); None when they do not (the shipped label map then applies)."""
    names = {
        st.acled["sub_event_type"]: st.id
        for st in codebook.subtypes.values()
        if st.acled and "sub_event_type" in st.acled
    }
    return dict(names) if names else None


class ModelAssist:
    def __init__(self, spec: AssistSpec, subtypes: set[str], codebook: Codebook | None = None) -> None:
        if spec.mode not in MODES:
            raise ConfigError(f"coder mode {spec.mode!r} is not one of {', '.join(MODES)}")
        self.spec = spec
        self.model = TextModel.load(spec.model_dir)
        own = codebook_label_map(codebook) if codebook is not None and spec.label_map == DEFAULT_MAP else None
        # a codebook that names ACLED's sub-event types reads the model's labels as they are
        self.map = own if own is not None else load_subtype_map(spec.label_map)
        unknown = {v for v in self.map.values() if v is not None} - subtypes
        if unknown:
            raise ConfigError(
                f"label map {spec.label_map}: subtypes not in the codebook: {', '.join(sorted(unknown))}"
            )
        self.version = self.model.version

    @property
    def use_rules(self) -> bool:
        return self.spec.mode in ("hybrid", "fill")

    @property
    def reviews(self) -> bool:
        """Whether the model's verdict raises or lowers the rules' mentions (hybrid)."""
        return self.spec.mode == "hybrid"

    @property
    def fills(self) -> bool:
        """Whether the model proposes mentions for a report in which the rules find no act."""
        return self.spec.mode == "fill"

    def subtypes_of(self, sentences: list[str]) -> list[tuple[str | None, float, str]]:
        """(subtype or None, score, model label) per sentence."""
        return [(self.map.get(label), score, label) for label, score in self.model.predict(sentences)]

    def review(self, mentions: list[Mention], review_below: float) -> list[Mention]:
        """Hybrid: the model's verdict on each rule mention's sentence."""
        if not mentions:
            return mentions
        sentences = sorted({m.sentence for m in mentions})
        verdict = dict(zip(sentences, self.subtypes_of(sentences), strict=True))
        out = []
        for m in mentions:
            subtype, score, _label = verdict[m.sentence]
            flags = [f for f in m.flags if f != "review"]
            if subtype == m.subtype:
                conf = min(1.0, m.confidence + AGREE_BONUS * score)
                flags.append("model_agrees")
            elif subtype is None or score < CONFIDENT:  # no subtype here, or unsure: no evidence either way
                conf = m.confidence
                flags.append("model_abstains")
            else:
                conf = max(0.05, m.confidence - DISAGREE_PENALTY * score)
                flags.append("model_disagrees")
            if conf < review_below:
                flags.append("review")
            out.append(replace(m, confidence=round(conf, 3), model_version=self.version, flags=tuple(flags)))
        return out
