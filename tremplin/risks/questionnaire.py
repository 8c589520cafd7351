"""The risk self-diagnostic's questionnaire, shipped as data (`data/risks/questionnaire.json`):
six dimensions of work, four statements each, answered on a four-point scale; each statement
carries the hazard and the action its risk line proposes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.translation import get_language

from tremplin.compute import risks as scoring

QUESTIONNAIRE = Path(__file__).resolve().parent.parent / "data" / "risks" / "questionnaire.json"
DIMENSIONS = ("relations", "responsibility", "autonomy", "recognition", "know_how", "surveillance")


@dataclass(frozen=True)
class Text:
    """A text in French and English, shown in the active language."""

    fr: str
    en: str

    def __str__(self) -> str:
        return self.en if get_language() == "en" else self.fr

    def __bool__(self) -> bool:
        return bool(self.fr or self.en)


@dataclass(frozen=True)
class Statement:
    key: str
    dimension: str
    severity: int
    text: Text
    hazard: Text
    action: Text


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Text
    vigilance: Text
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: int
    prompt: Text
    scale: tuple[tuple[int, Text], ...]
    dimensions: tuple[Dimension, ...]

    @property
    def statements(self) -> list[Statement]:
        return [s for d in self.dimensions for s in d.statements]

    def statement(self, key: str) -> Statement | None:
        return next((s for s in self.statements if s.key == key), None)

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def label(self, value: int) -> Text | None:
        return dict(self.scale).get(value)

    def scoring(self) -> list[scoring.Statement]:
        return [scoring.Statement(s.key, s.dimension, s.severity) for s in self.statements]

    def keys(self) -> list[str]:
        return [d.key for d in self.dimensions]


def _text(data: Any, where: str) -> Text:
    if not isinstance(data, dict) or not all(isinstance(data.get(k), str) and data[k].strip()
                                             for k in ("fr", "en")):  # fmt: skip
        raise ValueError(f"{where}: a French and an English text are expected")
    return Text(data["fr"], data["en"])


def parse(data: Any) -> Questionnaire:
    """The questionnaire from its JSON, or ValueError saying where it is malformed."""
    scale = tuple((int(p["value"]), _text(p, f"scale {p.get('value')}")) for p in data["scale"])
    if tuple(v for v, _t in scale) != scoring.SCALE:
        raise ValueError(f"scale: the points {scoring.SCALE} are expected")
    dimensions = []
    seen: set[str] = set()
    for d in data["dimensions"]:
        statements = []
        for s in d["statements"]:
            key = s["key"]
            if key in seen:
                raise ValueError(f"statement {key}: its key is used twice")
            seen.add(key)
            if s.get("severity") not in scoring.GRADES:
                raise ValueError(f"statement {key}: a severity from 1 to 4 is expected")
            statements.append(Statement(key, d["key"], s["severity"], _text(s, key),
                                        _text(s.get("hazard"), f"{key} hazard"),
                                        _text(s.get("action"), f"{key} action")))  # fmt: skip
        dimensions.append(Dimension(d["key"], _text(d, d["key"]),
                                    _text(d.get("vigilance"), f"{d['key']} vigilance"),
                                    tuple(statements)))  # fmt: skip
    if tuple(d.key for d in dimensions) != DIMENSIONS:
        raise ValueError(f"dimensions: {', '.join(DIMENSIONS)} are expected, in this order")
    return Questionnaire(int(data["version"]), _text(data["prompt"], "prompt"), scale,
                         tuple(dimensions))  # fmt: skip


@cache
def questionnaire() -> Questionnaire:
    return parse(json.loads(QUESTIONNAIRE.read_text(encoding="utf-8")))
