"""The help network from a named survey: who is asked for help with AI tools, by whom.

Edges go from a respondent to each colleague they named. In-degree says who the others go to;
a request crossing units says help travels beyond the team; respondents naming nobody are
those without anyone to ask."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Network:
    asked: list[tuple[int, int]]  # (person, times named), most named first
    respondents: int
    alone: int  # respondents who named nobody
    requests: int
    across_units: int  # requests to someone of another unit


def analyse(named: Mapping[int, Sequence[int]], unit_of: Mapping[int, int | None]) -> Network:
    """`named`: each respondent's colleagues; `unit_of`: each person's unit."""
    counts: Counter[int] = Counter()
    across = requests = 0
    for respondent, colleagues in named.items():
        for colleague in colleagues:
            counts[colleague] += 1
            requests += 1
            across += unit_of.get(colleague) != unit_of.get(respondent)
    alone = sum(1 for colleagues in named.values() if not colleagues)
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return Network(ranked, len(named), alone, requests, across)
