"""The adoption KPIs from AI-tool usage: the share of people who used one of the company's AI
tools over the last 28 days, the actions per active user, and the share who used each tool.

The snapshot holds per person whether they used each tool over the window and their actions
on it (`usage.person_usage`); a person's usage is never shown, only these figures of groups.
The programme lead's overview shows them for the population the filters keep when it holds at
least the minimum group size, each withheld when fewer than 3 people carry it (or its
complement), as the publications do. Every other audience reads them in its publication: as
measures of each of its tables (the cohorts aside), protected and audited with the others'
rules (`usage_publication`); there the actions are per person of the group rather than per
active user (see there why).

Actions are counted on the tools that report them (a report of last activity dates, such as
Microsoft 365 Copilot's, gives none): per person active on such a tool.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tremplin.compute.audiences import COHORT
from tremplin.compute.disclosure import Report, protect
from tremplin.compute.publication import (
    MIN_CONTRIBUTORS,
    ONE,
    Measure,
    Publication,
    Table,
    Variable,
    compute_sums,
)
from tremplin.compute.variables import _ceiling
from tremplin.insights.snapshot import Figures

ACTIVE = "usage-active"  # used at least one tool over the window (0/1)
ACTIONS = "usage-actions"  # actions on the tools that report them
TOOL = "usage-tool:"  # + the tool's key: used this tool (0/1)


def tool_key(name: str) -> str:
    """A tool's key in the publications, read from its name (a tool keeps its key from one
    snapshot to the next): "Le Chat Pro" -> "usage-tool:le-chat-pro-1a2b"."""
    digest = hashlib.sha1(name.encode(), usedforsecurity=False).hexdigest()[:4]
    return f"{TOOL}{slugify(name)[:40]}-{digest}"


@dataclass(frozen=True)
class PersonUsage:
    """The usage of the people of a scope, in the snapshot's order."""

    names: list[str]  # the tools
    used: np.ndarray  # (people, tools) bool
    actions: np.ndarray  # (people,) actions on the tools that report them
    counted: np.ndarray  # (people,) bool: used a tool that reports actions
    tool_actions: np.ndarray  # (people, tools)
    reports: np.ndarray  # (tools,) bool: the tool reports actions

    @property
    def active(self) -> np.ndarray:
        return np.asarray(self.used.any(axis=1))


def has_usage(f: Figures) -> bool:
    return bool(f["usage_rows"][0])


def person_usage(f: Figures, scope: np.ndarray) -> PersonUsage:
    every = f["usage_tool_actions"]
    reports = every.sum(axis=0) > 0  # over the company: a tool reports actions or not
    used = f["usage_tools"][scope] > 0
    actions = every[scope]
    return PersonUsage(
        names=[str(name) for name in f["usage_tool_names"].tolist()],
        used=used,
        actions=actions[:, reports].sum(axis=1),
        counted=used[:, reports].any(axis=1),
        tool_actions=actions,
        reports=reports,
    )


def window(f: Figures) -> tuple[int, int]:
    """The first and last day of the window, as ordinals."""
    first, last = f["usage_window"].tolist()
    return int(first), int(last)


# --- the programme lead's overview ----------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    value: float | None
    why: str = ""  # why it is withheld ("" when shown, or when there is nothing to show)


@dataclass(frozen=True)
class ToolRow:
    name: str
    users: Figure  # how many used it
    share: Figure  # the share of the population who did
    actions: Figure  # actions per user, for a tool that reports them


@dataclass(frozen=True)
class OverviewUsage:
    people: int
    active: Figure
    actions: Figure
    tools: list[ToolRow]
    missing: str  # why nothing is shown ("" when the figures are)


def _few(count: int, people: int) -> bool:
    """Whether fewer than MIN_CONTRIBUTORS people carry a count, or its complement (0 and all
    are facts about the group, and shown)."""
    return 0 < count < MIN_CONTRIBUTORS or 0 < people - count < MIN_CONTRIBUTORS


def overview(f: Figures, mask: np.ndarray, k: int) -> OverviewUsage:
    """The usage KPIs of the people of `mask`: nothing below `k` people."""
    people = int(mask.sum())
    few = _("carried by fewer than %(n)s people") % {"n": MIN_CONTRIBUTORS}
    if not has_usage(f):
        missing = _("Fed by the tools' usage reports (imported under AI-tool usage) or by "
                    "usage sent through the API.")  # fmt: skip
        return OverviewUsage(people, Figure(None), Figure(None), [], missing)
    if people < k:
        missing = _("Shown for %(k)s people or more; the filters keep %(n)s.") % {
            "k": k,
            "n": people,
        }
        return OverviewUsage(people, Figure(None), Figure(None), [], missing)
    data = person_usage(f, mask)

    def share(count: int) -> Figure:
        return Figure(None, few) if _few(count, people) else Figure(count / people)

    def per_user(actions: float, users: int, reports: bool) -> Figure:
        if not reports or users == 0:
            return Figure(None)
        return Figure(None, few) if users < MIN_CONTRIBUTORS else Figure(actions / users)

    rows = []
    for j, name in enumerate(data.names):
        users = int(data.used[:, j].sum())
        if not users:
            continue
        shown = share(users)
        rows.append(
            ToolRow(
                name,
                Figure(float(users)) if shown.value is not None else shown,
                shown,
                per_user(float(data.tool_actions[:, j].sum()), users, bool(data.reports[j])),
            )
        )
    counted = int(data.counted.sum())
    return OverviewUsage(
        people,
        share(int(data.active.sum())),
        per_user(float(data.actions.sum()), counted, bool(data.reports.any())),
        rows,
        "",
    )


# --- the publications -------------------------------------------------------------------------


def tool_names(f: Figures) -> dict[str, str]:
    """The key of each tool in the publications -> its name."""
    return {tool_key(str(name)): str(name) for name in f["usage_tool_names"].tolist()}


def usage_publication(main: Publication, f: Figures, scope: np.ndarray
                      ) -> tuple[Publication, Report] | None:  # fmt: skip
    """The usage figures of `main`'s tables (the cohorts aside), today only, protected as
    `main` is: the same groups (pooled under the minimum size), rounding, minimum
    contributors and audit. None without usage data."""
    if not has_usage(f):
        return None
    data = person_usage(f, scope)
    today = len(f.periods) - 1
    keys = [tool_key(name) for name in data.names]
    variables = {
        ACTIVE: Variable(ACTIVE, 0, 1),
        ACTIONS: Variable(ACTIONS, 0, _ceiling(float(data.actions.max(initial=0)))),
        **{key: Variable(key, 0, 1) for key in keys},
    }
    values = {
        ACTIVE: data.active,
        ACTIONS: data.actions,
        **{key: data.used[:, j] for j, key in enumerate(keys)},
    }
    now = (today,)
    measures = [Measure(ACTIVE, ACTIVE, ONE, periods=now)]
    if data.reports.any():
        # Per person of the group, not per active user: a ratio of two private sums (actions
        # over users) costs the audit a hundred times more (two minutes more for the works
        # council's publication at 100,000 people); the share of users stands beside it.
        measures.append(Measure(ACTIONS, ACTIONS, ONE, precision=0.1, periods=now))
    measures += [Measure(key, key, ONE, periods=now) for key in keys]
    tables = [Table(t.key, t.dimension, t.group, t.names, measures, [today], t.pooled)
              for t in main.tables if t.dimension != COHORT]  # fmt: skip
    pub = Publication(main.audience, main.k, variables, tables)

    def value(name: str, _period: int) -> np.ndarray:
        return np.asarray(values[name], dtype=np.float64)

    compute_sums(pub, value)
    return pub, protect(pub, value)
