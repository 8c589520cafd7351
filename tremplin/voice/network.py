"""A named survey's help network for the lead: who names whom, each person's in-degree,
PageRank and betweenness, teams with nobody to turn to, and the network drawn (the people most
named and the links among them). The scores and the drawing's positions are stored with the
survey's result, so they outlive the named answers deleted after the retention period."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np

from tremplin.alphabetical import sort_key
from tremplin.compute import surveys as rules
from tremplin.compute.layout import arrows, force_directed, radii
from tremplin.compute.network import adjacency, analyse, betweenness, pagerank
from tremplin.people.models import OrgUnit, Person
from tremplin.voice.models import Result, Survey

EXACT_UP_TO = 2_000  # people; beyond, betweenness is estimated from SAMPLES sources
SAMPLES = 500
DRAWN = 150  # people drawn at most, the most named first: the page stays light at any size
WIDTH, HEIGHT = 1000, 800  # the drawing's box, in the SVG's units
SMALLEST, LARGEST = 6.0, 26.0  # a circle's radius, for nobody naming them and for the most named
MARGIN = 40  # around the box: the largest circles and their rings
LABELLED = 8  # the most named people have their name written beside them (4 on a phone)
# Okabe and Ito's colours, told apart with the commonest colour blindnesses, and a purple.
COLOURS = ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#6a3d9a"]
OTHER_UNITS = "#9ca3af"  # the units beyond the palette's, and people without a unit


def named_links(survey: Survey) -> dict[int, list[int]]:
    """Who named whom, while the answers are kept: each respondent's colleagues."""
    keys = list(survey.questions.filter(kind=rules.COLLEAGUES).values_list("key", flat=True))
    return {
        int(person): [int(c) for key in keys for c in (answers.get(key) or [])]
        for person, answers in survey.responses.values_list("person_id", "answers")
        if person is not None
    }


def scores(survey: Survey) -> dict[str, Any]:
    """Computed from the answers and stored with the survey's result."""
    named = named_links(survey)
    ids = sorted({*named, *(c for cs in named.values() for c in cs)})
    unit_of = dict(Person.objects.filter(pk__in=ids).values_list("pk", "org_unit_id"))
    drawn = analyse(named, unit_of)
    index = {pk: i for i, pk in enumerate(ids)}
    pairs = [(index[p], index[c]) for p, cs in named.items() for c in cs if c in index]
    src = np.array([a for a, _b in pairs], dtype=np.int64)
    dst = np.array([b for _a, b in pairs], dtype=np.int64)
    graph = adjacency(src, dst, len(ids))
    rank = pagerank(graph) if ids else np.zeros(0)
    sampled = len(ids) > EXACT_UP_TO
    sources = (np.random.default_rng(survey.pk).choice(len(ids), SAMPLES, replace=False)
               if sampled else None)  # fmt: skip
    between = betweenness(graph, sources) if ids else np.zeros(0)
    counts = dict(drawn.asked)
    rows = sorted(({"person": pk, "named_by": counts.get(pk, 0), "pagerank": float(rank[i]),
                    "betweenness": float(between[i])} for pk, i in index.items()),
                  key=lambda r: (-r["named_by"], -r["pagerank"], r["person"]))  # fmt: skip
    by_unit: dict[int | None, list[bool]] = {}
    for person, colleagues in named.items():
        by_unit.setdefault(unit_of.get(person), []).append(not colleagues)
    found = {
        "rows": rows, "respondents": drawn.respondents, "alone": drawn.alone,
        "requests": drawn.requests, "across": drawn.across_units, "sampled": sampled,
        "teams_alone": [u for u, alone in by_unit.items() if u is not None and all(alone)],
        "drawing": _drawing(rows, named),
    }  # fmt: skip
    Result.objects.update_or_create(
        survey=survey, defaults={"data": {"network": found}, "respondents": len(named)}
    )
    return found


def _drawing(rows: list[dict[str, Any]], named: dict[int, list[int]]) -> dict[str, Any]:
    """The DRAWN people most named and the links among them, placed in the WIDTH × HEIGHT box:
    `people` as [person, x, y], `links` as [who names, whom] indices into `people`."""
    people = [row["person"] for row in rows[:DRAWN]]
    place = {pk: i for i, pk in enumerate(people)}
    links = sorted(
        {
            (place[p], place[c])
            for p, cs in named.items()
            if p in place
            for c in cs
            if c in place and c != p
        }
    )
    pos = force_directed(len(people), np.array(links, dtype=np.int64).reshape(-1, 2),
                         width=WIDTH, height=HEIGHT)  # fmt: skip
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "people": [
            [pk, round(float(x), 1), round(float(y), 1)]
            for pk, (x, y) in zip(people, pos, strict=True)
        ],
        "links": [[a, b] for a, b in links],
    }


@dataclass(frozen=True)
class Node:
    person: Person
    row: dict[str, Any]  # the person's scores
    x: float
    y: float
    radius: float
    colour: str
    ambassador: bool
    label: str  # "" (no name written), "major" (on every screen) or "minor" (wide ones only)
    label_x: float
    label_anchor: str  # "start": the name right of the circle; "end", near the box's right side


@dataclass(frozen=True)
class Picture:
    nodes: list[Node]  # the largest circles first, so that none hides a smaller one
    links: list[tuple[float, float, float, float]]  # x1, y1, x2, y2: from who names to whom
    units: list[tuple[str | None, str]]  # (unit's name, colour); None: the other units
    view_box: str
    in_network: int  # people in the whole network, drawn or not

    @property
    def cut(self) -> bool:
        return len(self.nodes) < self.in_network

    @property
    def ambassadors(self) -> bool:
        return any(node.ambassador for node in self.nodes)


def _colours(units: list[OrgUnit | None]) -> tuple[list[str], list[tuple[str | None, str]]]:
    """Each person's colour, and the legend: the units with most people drawn get a colour of
    their own, the others (and people without a unit) share OTHER_UNITS."""
    counts = Counter(unit for unit in units if unit is not None)
    ranked = sorted(counts, key=lambda unit: (-counts[unit], sort_key(unit.name)))
    colour_of = dict(zip(ranked, COLOURS, strict=False))
    legend: list[tuple[str | None, str]] = [(unit.name, colour_of[unit]) for unit in colour_of]
    if any(unit not in colour_of for unit in units):
        legend.append((None, OTHER_UNITS))
    return [colour_of.get(unit, OTHER_UNITS) if unit else OTHER_UNITS for unit in units], legend


def picture(found: dict[str, Any], ambassadors: set[int]) -> Picture | None:
    """What the page draws from the stored drawing: circles sized by how often each person is
    named, coloured by unit, existing ambassadors ringed, the most named people's names written
    beside them, and links as arrows stopping at the circles' edges. People since deleted from
    the directory are left out."""
    drawing = found.get("drawing") or {"people": [], "links": []}
    placed = drawing["people"]
    rows = {row["person"]: row for row in found.get("rows", [])}
    people = Person.objects.select_related("org_unit").in_bulk([pk for pk, _x, _y in placed])
    kept = [i for i, (pk, _x, _y) in enumerate(placed) if pk in people and pk in rows]
    if not kept:
        return None
    index = {old: new for new, old in enumerate(kept)}
    links = [(index[a], index[b]) for a, b in drawing["links"] if a in index and b in index]
    ids = [placed[i][0] for i in kept]
    pos = np.array([placed[i][1:] for i in kept], dtype=float)
    counts = np.array([rows[pk]["named_by"] for pk in ids], dtype=float)
    radius = radii(counts, SMALLEST, LARGEST)
    colours, legend = _colours([people[pk].org_unit for pk in ids])
    named = [new for new in range(len(ids)) if counts[new] > 0][:LABELLED]
    labels = {new: "major" if rank < LABELLED // 2 else "minor" for rank, new in enumerate(named)}
    left = pos[:, 0] > 0.7 * drawing["width"]  # names near the right side go left of the circle
    label_x = np.where(left, pos[:, 0] - radius - 6, pos[:, 0] + radius + 6).round(1)
    nodes = [
        Node(person=people[pk], row=rows[pk], x=float(pos[new, 0]), y=float(pos[new, 1]),
             radius=float(radius[new].round(1)), colour=colours[new],
             ambassador=pk in ambassadors, label=labels.get(new, ""),
             label_x=float(label_x[new]), label_anchor="end" if left[new] else "start")
        for new, pk in enumerate(ids)
    ]  # fmt: skip
    segments = arrows(pos, np.array(links, dtype=np.int64).reshape(-1, 2), radius, gap=2.0)
    width, height = drawing["width"] + 2 * MARGIN, drawing["height"] + 2 * MARGIN
    return Picture(
        nodes=sorted(nodes, key=lambda node: -node.radius),
        links=[(x1, y1, x2, y2) for x1, y1, x2, y2 in segments.round(1).tolist()],
        units=legend,
        view_box=f"{-MARGIN} {-MARGIN} {width} {height}",
        in_network=len(rows),
    )


def current(survey: Survey) -> dict[str, Any]:
    """The scores from the answers while they are kept, else the ones stored."""
    if survey.responses.exists():
        return scores(survey)
    stored = Result.objects.filter(survey=survey).first()
    return dict(stored.data.get("network", {})) if stored else {}
