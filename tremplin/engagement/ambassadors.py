"""The ambassadors' workflow: a cover proposed from the latest help network and engagement
signals, the lead's invitation, the person's answer (which grants or withholds the role), the
end of a mandate, and the activity log."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Avg, Count, Q
from django.utils import timezone

from tremplin.alphabetical import Alphabetical
from tremplin.assessments.models import CurrentLevel
from tremplin.compute.ambassadors import propose as cover
from tremplin.engagement.ambassador_models import Ambassador, AmbassadorStatus
from tremplin.engagement.badges import award_soon
from tremplin.engagement.challenge_models import Review
from tremplin.people.models import OrgUnit, Person, Role, RoleAssignment
from tremplin.voice import network as help_network
from tremplin.voice.models import Anonymity, Survey

# How a person's preference is made (each part scaled to 0–1 over the company first).
WEIGHTS = {"pagerank": 0.4, "betweenness": 0.2, "ideas": 0.15, "challenges": 0.1, "level": 0.15}
SERVING = (AmbassadorStatus.INVITED, AmbassadorStatus.ACTIVE)


@dataclass(frozen=True)
class Proposal:
    proposed: list[Ambassador]
    teams_uncovered: int
    sites_uncovered: int
    survey: Survey | None
    gap: float = 0.0  # the solver's relative distance to its bound: 0 is proven optimal


def latest_network() -> tuple[Survey | None, dict[str, object], dict[int, list[int]]]:
    """The most recent named survey with a help network: its scores and, while the answers are
    kept, who named whom."""
    for survey in Survey.objects.filter(anonymity=Anonymity.NAMED, sent_at__isnull=False):
        drawn = help_network.current(survey)
        if drawn.get("rows"):
            return survey, drawn, help_network.named_links(survey)
    return None, {}, {}


def _scaled(values: np.ndarray) -> np.ndarray:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else np.zeros_like(values)


def signals(people: list[Person], rows: list[dict[str, float]]) -> dict[str, np.ndarray]:
    """Each person's centrality and engagement, in `people`'s order."""
    index = {p.pk: i for i, p in enumerate(people)}
    found = {key: np.zeros(len(people)) for key in WEIGHTS}
    for row in rows:
        i = index.get(int(row["person"]))
        if i is not None:
            found["pagerank"][i] = row["pagerank"]
            found["betweenness"][i] = row["betweenness"]
    counts = (
        Person.objects.filter(pk__in=index)
        .annotate(
            n_ideas=Count("ideas", distinct=True),
            n_found=Count(
                "challenge_submissions",
                filter=Q(challenge_submissions__review=Review.VALIDATED),
                distinct=True,
            ),
        )
        .values_list("pk", "n_ideas", "n_found")
    )
    for pk, n_ideas, n_found in counts:
        found["ideas"][index[pk]] = n_ideas
        found["challenges"][index[pk]] = n_found
    levels = (
        CurrentLevel.objects.filter(person__in=index)
        .values("person")
        .annotate(m=Avg("level"))
        .values_list("person", "m")
    )
    for person, mean in levels:
        found["level"][index[person]] = mean or 0.0
    return found


def preference(found: dict[str, np.ndarray]) -> np.ndarray:
    total = np.zeros(len(next(iter(found.values()))))
    for key, weight in WEIGHTS.items():
        total += weight * _scaled(found[key])
    return total


DEPARTMENTS = 1  # depth of the units covered by default: the departments
TEAMS = 99  # every unit, however deep


def unit_at(paths: dict[int, str], unit: int | None, depth: int) -> int | None:
    """The unit at `depth` above `unit` (or the unit itself, when it is not as deep)."""
    ids = [int(i) for i in paths.get(unit or 0, "").strip("/").split("/") if i]
    return ids[min(depth, len(ids) - 1)] if ids else None


@transaction.atomic
def propose(depth: int = DEPARTMENTS) -> Proposal:
    """Replace the proposals not yet sent with a new cover: the fewest people who, with the
    ambassadors serving, cover every team (by belonging to it or being named by its members)
    and every site, the most central and engaged preferred. People who declined or ended are
    never proposed again by the cover (the lead can still invite them)."""
    survey, drawn, named = latest_network()
    people = list(Person.objects.filter(active=True).order_by("pk"))
    index = {p.pk: i for i, p in enumerate(people)}
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    covering = {p.pk: unit_at(paths, p.org_unit_id, depth) for p in people}
    team_ids = sorted({u for u in covering.values() if u is not None})
    site_ids = sorted({p.site_id for p in people if p.site_id})
    team_of = {pk: i for i, pk in enumerate(team_ids)}
    site_of = {pk: i for i, pk in enumerate(site_ids)}
    team = np.array([team_of.get(covering[p.pk] or 0, -1) for p in people], dtype=np.int64)
    site = np.array([site_of.get(p.site_id or 0, -1) for p in people], dtype=np.int64)
    pairs = [(index[a], index[b]) for a, bs in named.items() for b in bs
             if a in index and b in index]  # fmt: skip
    sources = np.array([a for a, _b in pairs], dtype=np.int64)
    targets = np.array([b for _a, b in pairs], dtype=np.int64)
    rows = list(drawn.get("rows", []))  # type: ignore[call-overload]
    found = signals(people, rows)
    status = dict(Ambassador.objects.values_list("person_id", "status"))
    fixed = np.array([index[pk] for pk, s in status.items() if s in SERVING and pk in index],
                     dtype=np.int64)  # fmt: skip
    excluded = np.array([index[pk] for pk, s in status.items()
                         if s in (AmbassadorStatus.DECLINED, AmbassadorStatus.ENDED)
                         and pk in index], dtype=np.int64)  # fmt: skip
    Ambassador.objects.filter(status=AmbassadorStatus.PROPOSED).delete()
    if not people or team.max(initial=-1) < 0:
        return Proposal([], 0, 0, survey)
    chosen = cover(team, site, sources, targets, preference(found), fixed=fixed, excluded=excluded)
    serving = set(fixed.tolist())
    proposed = []
    units = OrgUnit.objects.in_bulk(team_ids)
    named_by: dict[int, list[int]] = {}  # who names each person, read once for every proposal
    for s, t in pairs:
        named_by.setdefault(t, []).append(s)
    for i in chosen.chosen.tolist():
        if i in serving:
            continue
        person = people[i]
        covered = {team_ids[team[i]]} if team[i] >= 0 else set()
        covered |= {team_ids[team[s]] for s in named_by.get(i, []) if team[s] >= 0}
        reasons = {key: round(float(found[key][i]), 4) for key in WEIGHTS}
        reasons["named_by"] = len(named_by.get(i, []))
        made, _created = Ambassador.objects.update_or_create(
            person=person,
            defaults={"status": AmbassadorStatus.PROPOSED, "reasons": reasons,
                      "proposed_at": timezone.now()},
        )  # fmt: skip
        made.teams.set([units[u] for u in covered])
        proposed.append(made)
    return Proposal(proposed, chosen.teams_uncovered, chosen.sites_uncovered, survey, chosen.gap)


def _set_role(person: Person, present: bool) -> None:
    if person.user_id is None:
        return
    if present:
        RoleAssignment.objects.get_or_create(user_id=person.user_id, role=Role.AMBASSADOR)
    else:
        RoleAssignment.objects.filter(user_id=person.user_id, role=Role.AMBASSADOR).delete()


def invite(found: Ambassador) -> None:
    """The lead confirms a proposal (or invites someone directly): the person is asked."""
    found.status = AmbassadorStatus.INVITED
    found.invited_at = timezone.now()
    found.answered_at = None
    found.save(update_fields=["status", "invited_at", "answered_at"])


@transaction.atomic
def answer(found: Ambassador, *, accept: bool, because: str = "") -> None:
    if found.status != AmbassadorStatus.INVITED:
        raise ValueError("not invited")
    found.status = AmbassadorStatus.ACTIVE if accept else AmbassadorStatus.DECLINED
    found.answered_at = timezone.now()
    found.declined_because = "" if accept else because
    found.save(update_fields=["status", "answered_at", "declined_because"])
    _set_role(found.person, accept)
    if accept:
        award_soon([found.person_id])


@transaction.atomic
def end(found: Ambassador) -> None:
    found.status = AmbassadorStatus.ENDED
    found.ended_at = timezone.now()
    found.save(update_fields=["status", "ended_at"])
    _set_role(found.person, False)


def uncovered_teams() -> list[OrgUnit]:
    """Units with active members that no ambassador serving (invited or active) covers: none
    of the unit and the units above it is among an ambassador's teams."""
    covered = set(
        OrgUnit.objects.filter(ambassadors__status__in=SERVING).values_list("pk", flat=True)
    )
    staffed = OrgUnit.objects.filter(members__active=True).distinct().order_by(Alphabetical("name"))
    return [u for u in staffed
            if not covered & {int(i) for i in u.path.strip("/").split("/") if i}]  # fmt: skip
