"""The publication of each audience, built from a snapshot.

The works council ("cse") and the executive sponsor ("direction") read the whole company, a
manager ("manager:LOGIN") their reporting line; the programme lead reads raw figures and has
no publication. The tables and their protection are pure (`compute.audiences`); this module
reads the snapshot and the codes of units, job families, sites and waves.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from tremplin.compute.audiences import COHORT, Split, assemble, cohort_split, cross
from tremplin.compute.disclosure import Report
from tremplin.compute.hierarchy import ancestor_at
from tremplin.compute.publication import Publication
from tremplin.compute.tied import Ties
from tremplin.compute.variables import PersonData, ties_of, variables_of
from tremplin.insights.models import Audience, PublicationPlan
from tremplin.insights.snapshot import PLAN_CODES, Figures, min_group_size
from tremplin.insights.usage_figures import tool_names, usage_publication
from tremplin.learning.models import PlanStatus
from tremplin.people.models import JobFamily, OrgUnit, Person, Site
from tremplin.rollout.models import Wave
from tremplin.skills.models import Competence

COMPANY = (Audience.WORKS_COUNCIL.value, Audience.EXECUTIVE.value)
# The tables a plan may hold, in the order the pages show them (then the cohorts).
TABLES = ["department", "department-2", "family", "persona", "site", "wave", "team"]
CROSSABLE = ["department", "family", "persona", "site", "wave"]


@dataclass
class Built:
    publication: Publication
    report: Report
    person_codes: list[str]
    period_names: list[str]
    # The AI-tool usage figures of the same tables, protected on their own variables (the
    # audit works on each set of variables a figure links: none links usage to levels).
    usage: Publication | None = None
    usage_report: Report | None = None
    usage_tools: dict[str, str] = field(default_factory=dict)  # key -> tool's name
    usage_window: tuple[str, str] = ("", "")  # first and last day, ISO
    # Each person's primary key and their value of a variable at a period: what the audit
    # across a company audience's releases reads (`insights.releases`).
    person_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    value: Callable[[str, int], np.ndarray] | None = None
    ties: Ties | None = None  # how those variables are tied for each person


def _codes(model: Any, ids: np.ndarray) -> list[str]:
    by_pk = dict(model.objects.values_list("pk", "code"))
    return [str(by_pk.get(int(pk), "—")) for pk in ids.tolist()]


def person_data(f: Figures, scope: np.ndarray) -> PersonData:
    found = Competence.objects.filter(pk__in=f["competence_ids"].tolist())
    code_of = dict(found.values_list("pk", "code"))
    tier_of = dict(found.values_list("pk", "tier"))
    ids = f["competence_ids"].tolist()
    tiers: dict[str, list[int]] = {}
    for j, pk in enumerate(ids):
        tiers.setdefault(str(tier_of[pk]), []).append(j)
    return PersonData(
        levels=f["levels"][:, scope],
        target=f["target"][scope],
        codes=[code_of[pk] for pk in ids],
        tiers=tiers,
        plan_agreed=f["plan_status"][scope] >= PLAN_CODES[PlanStatus.AGREED],
        engaged=f["engaged"][scope],
        disagree=f["disagree"][scope],
        modules_done=f["items_done"][scope],
        modules_planned=f["items_total"][scope],
        cost_done=f["cost_done"][scope],
        hours_done=f["hours_done"][scope],
    )


def company_splits(f: Figures, scope: np.ndarray) -> dict[str, Split]:
    """Every way the lead may split the company: by department and one level down, job
    family, persona, site and wave."""
    parent = f["unit_parent"]  # one more than the units: "no unit", a root
    units = [*_codes(OrgUnit, f["unit_ids"]), "none"]
    unit = f["unit"][scope]
    top = ancestor_at(parent, np.arange(parent.size), 1)
    families = [*_codes(JobFamily, f["family_ids"]), "none"]
    persona_of = dict(JobFamily.objects.values_list("pk", "persona"))
    personas = [persona_of.get(int(pk), "none") for pk in f["family_ids"].tolist()] + ["none"]
    persona_names = sorted(set(personas))
    waves = dict(Wave.objects.values_list("pk", "name"))
    family = f["family"][scope]
    found = [
        Split("department", ancestor_at(parent, unit, 1), units),
        Split("department-2", ancestor_at(parent, unit, 2), units, top.tolist()),
        Split("family", family, families),
        Split("persona", np.array([persona_names.index(p) for p in personas])[family],
              persona_names),
        Split("site", f["site"][scope], [*_codes(Site, f["site_ids"]), "none"]),
        Split("wave", f["wave"][scope],
              [str(waves.get(int(pk), "—")) for pk in f["wave_ids"].tolist()] + ["none"]),
    ]  # fmt: skip
    return {split.key: split for split in found}


def team_split(f: Figures, scope: np.ndarray, manager: Person, paths: dict[int, str]) -> Split:
    """A manager's people by direct report: each direct report with their own line.
    `paths`: the reporting path of each person of the line."""
    head = []
    for pk in f["person_ids"][scope].tolist():
        parts = [p for p in paths.get(pk, "").split("/") if p]
        at = parts.index(str(manager.pk)) if str(manager.pk) in parts else -1
        head.append(int(parts[at + 1]) if 0 <= at < len(parts) - 1 else pk)
    heads, group = np.unique(np.array(head, dtype=np.int64), return_inverse=True)
    codes = dict(Person.objects.filter(pk__in=heads.tolist()).values_list("pk", "employee_id"))
    return Split("team", group.reshape(-1), [codes[h] for h in heads.tolist()])


def audience_key(audience: str, manager: Person | None) -> str:
    """ "cse", "direction", or "manager:PK" for a manager's reporting line."""
    return audience if manager is None else f"{Audience.MANAGER}:{manager.pk}"


def splits_of(f: Figures, scope: np.ndarray, plan: PublicationPlan, data: PersonData,
              manager: Person | None, paths: dict[int, str]) -> list[Split]:  # fmt: skip
    """The splits `plan` asks for, in the order of the plan page, then its cross-tables."""
    names = [d.isoformat() for d in f.periods]
    found = company_splits(f, scope)
    if manager is not None:
        found["team"] = team_split(f, scope, manager, paths)
    found[COHORT] = cohort_split(data, names)
    chosen = [replace(found[key], competences=key in plan.competences)
              for key in [*TABLES, COHORT] if key in found and key in plan.tables]  # fmt: skip
    for pair in plan.crosses:
        first, _x, second = str(pair).partition("×")
        if first in found and second in found and first != second:
            chosen.append(cross(replace(found[first], competences=False), found[second]))
    return chosen


def build(f: Figures, audience: str, manager: Person | None = None) -> Built:
    """The protected publication of `audience` on snapshot `f`, as its plan asks."""
    paths: dict[int, str] = {}
    if manager is None:
        scope = np.ones(f["person_ids"].size, dtype=bool)
    else:
        line = Person.objects.reporting_line_of(manager)
        paths = dict(line.values_list("pk", "reporting_path"))
        scope = np.isin(f["person_ids"], np.array(list(paths), dtype=np.int64))
    plan = PublicationPlan.of(Audience.MANAGER if manager is not None else audience)
    data = person_data(f, scope)
    names = [d.isoformat() for d in f.periods]
    last = len(names) - 1
    periods = range(max(0, last + 1 - plan.periods), last + 1)
    splits = splits_of(f, scope, plan, data, manager, paths)
    key = audience_key(audience, manager)
    publication, report = assemble(key, min_group_size(), splits, data, periods)
    in_scope = f["person_ids"][scope].tolist()
    codes = dict(Person.objects.filter(pk__in=in_scope).values_list("pk", "employee_id"))
    people = [codes.get(int(pk), str(pk)) for pk in in_scope]
    built = Built(publication, report, people, names)
    built.person_ids = f["person_ids"][scope].astype(np.int64)
    built.value = variables_of(data)[1]
    built.ties = ties_of(data)
    usage = usage_publication(publication, f, scope)
    if usage is not None:
        start, end = (dt.date.fromordinal(int(d)).isoformat() for d in f["usage_window"])
        built.usage, built.usage_report = usage
        built.usage_tools, built.usage_window = tool_names(f), (start, end)
    return built
