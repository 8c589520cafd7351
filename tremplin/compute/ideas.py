"""The idea box's computations: ideas alike to a text being typed, and the gain measured by
before/after measurements of a use case.

Similarity: TF-IDF over the character trigrams of each word (lower case, accents removed), so
that "résumé", "resumer" and "résumer" meet; cosine between the text and each idea.

Gain: each measurement is a mean over a number of observations (and, when known, their
standard deviation). Time saved per month = (minutes per task before − after) × tasks per
month after / 60; its 95 % interval uses Welch's standard error when both deviations are known.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

WORD = re.compile(r"[a-z0-9]+")
STOP = frozenset(
    [
        "les",
        "des",
        "une",
        "un",
        "la",
        "le",
        "de",
        "du",
        "et",
        "en",
        "pour",
        "par",
        "sur",
        "dans",
        "avec",
        "au",
        "aux",
        "a",
        "est",
        "sont",
        "the",
        "of",
        "and",
        "to",
        "in",
        "for",
        "on",
        "with",
        "is",
        "are",
        "our",
        "nos",
        "notre",
        "vos",
        "votre",
    ]
)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def grams(text: str) -> Counter[str]:
    """The character trigrams of each word (padded, so short words count too)."""
    found: Counter[str] = Counter()
    for word in WORD.findall(_plain(text)):
        if word in STOP:
            continue
        padded = f" {word} "
        found.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return found


def similar(
    text: str, documents: Sequence[str], *, at_least: float = 0.25, most: int = 5
) -> list[tuple[int, float]]:
    """(index, cosine) of the documents most alike to `text`, best first, above `at_least`."""
    query = grams(text)
    if not query or not documents:
        return []
    bags = [grams(d) for d in documents]
    frequency: Counter[str] = Counter()
    for bag in bags:
        frequency.update(bag.keys())
    n = len(bags)

    def weights(bag: Counter[str]) -> dict[str, float]:
        return {g: c * (math.log((1 + n) / (1 + frequency[g])) + 1) for g, c in bag.items()}

    q = weights(query)
    q_norm = math.sqrt(sum(v * v for v in q.values()))
    scored = []
    for i, bag in enumerate(bags):
        d = weights(bag)
        norm = math.sqrt(sum(v * v for v in d.values()))
        if not norm:
            continue
        cosine = sum(q[g] * d[g] for g in q.keys() & d.keys()) / (q_norm * norm)
        if cosine >= at_least:
            scored.append((i, cosine))
    return sorted(scored, key=lambda s: (-s[1], s[0]))[:most]


@dataclass(frozen=True)
class Measured:
    """A mean over `n` observations, with their standard deviation when known."""

    mean: float
    n: int
    sd: float | None = None


@dataclass(frozen=True)
class Gain:
    hours_per_month: float
    low: float | None  # 95 % interval, when the deviations are known
    high: float | None


def time_saved(before: Measured, after: Measured, volume: float) -> Gain:
    """Hours saved per month by a use case: minutes per task before and after, times the
    tasks per month it handles."""
    saved = (before.mean - after.mean) * volume / 60
    if before.sd is None or after.sd is None or before.n < 2 or after.n < 2:
        return Gain(saved, None, None)
    error = math.sqrt(before.sd**2 / before.n + after.sd**2 / after.n) * volume / 60
    return Gain(saved, saved - 1.96 * error, saved + 1.96 * error)


def error_change(before: Measured, after: Measured) -> float:
    """Change of the error rate, in points (negative: fewer errors)."""
    return after.mean - before.mean
