"""Mentoring's workflow: what a person may offer (competences at level 3 or more) and ask for
(their gaps), the global matching that proposes pairs, the lead's approval, both sides'
acceptance, meetings and the closing feedback."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.assessments.models import CurrentLevel
from tremplin.compute import mentoring as matching
from tremplin.engagement.badges import award_soon
from tremplin.engagement.mentoring_models import (
    MenteeRequest,
    MentoringFeedback,
    MentorOffer,
    Mentorship,
    MentorshipStatus,
)
from tremplin.learning.gaps import population_gaps
from tremplin.people.models import Language, OrgUnit, Person
from tremplin.skills.models import Competence, Framework
from tremplin.skills.queries import active_framework

LANGUAGE_BIT = {code: 1 << i for i, (code, _label) in enumerate(Language.choices)}
TAKEN = (MentorshipStatus.APPROVED, MentorshipStatus.ACTIVE)


class Refused(Exception):
    """A rule stops the action; the message says which."""


def offerable(person: Person) -> list[Competence]:
    """The competences a person can pass on: consolidated at level 3 or more."""
    return list(
        Competence.objects.filter(
            current_levels__person=person,
            current_levels__level__gte=matching.MENTOR_LEVEL,
            framework__is_active=True,
        ).order_by("order", "code")
    )


def goals_of(person: Person) -> list[Competence]:
    """The competences where the person is below their job's target."""
    framework = active_framework()
    if framework is None:
        return []
    found = population_gaps(Person.objects.filter(pk=person.pk), framework)
    if not found.people:
        return []
    gap = found.matrix.gap[0]
    return [c for j, c in enumerate(found.competences) if gap[j] > 0]


def _department(paths: dict[int, str], unit: int | None) -> int:
    """The unit just below the top of the organisation (the unit itself at the top)."""
    ids = [int(i) for i in paths.get(unit or 0, "").strip("/").split("/") if i]
    return ids[1] if len(ids) > 1 else (ids[0] if ids else -1)


def _bits(codes: list[str]) -> int:
    return sum(LANGUAGE_BIT.get(c, 0) for c in set(codes))


@dataclass(frozen=True)
class Proposal:
    pairs: int
    score: int
    greedy_score: int
    mentees: int
    mentors: int
    unmatched: int


def _arrays(framework: Framework, requests: list[MenteeRequest], offers: list[MentorOffer],
            seats: np.ndarray) -> tuple[matching.Mentees, matching.Mentors]:  # fmt: skip
    paths = dict(OrgUnit.objects.values_list("pk", "path"))
    site_ids = sorted({p.site_id for p in [r.person for r in requests] + [o.person for o in offers]
                       if p.site_id})  # fmt: skip
    sites = {pk: i for i, pk in enumerate(site_ids)}
    gaps = population_gaps(Person.objects.filter(pk__in=[r.person_id for r in requests]), framework)
    column = {c.pk: j for j, c in enumerate(gaps.competences)}
    row = {p.pk: i for i, p in enumerate(gaps.people)}
    current = gaps.matrix.current[[row[r.person_id] for r in requests]].astype(np.int16)
    target = np.maximum(current, 0).copy()
    chosen = {r.pk: [column[c] for c in r.goals.values_list("pk", flat=True) if c in column]
              for r in requests}  # fmt: skip
    full = gaps.matrix.target[[row[r.person_id] for r in requests]]
    for i, r in enumerate(requests):
        target[i, chosen[r.pk]] = full[i, chosen[r.pk]]  # only the goals asked for count
    level = np.zeros((len(offers), len(column)), dtype=np.int16)
    mentor_row = {o.person_id: i for i, o in enumerate(offers)}
    offered = {(o.person_id, c) for o in offers for c in o.competences.values_list("pk", flat=True)}
    for person, competence, value in CurrentLevel.objects.filter(
        person__in=list(mentor_row), competence__framework=framework
    ).values_list("person_id", "competence_id", "level"):
        if (person, competence) in offered and competence in column:
            level[mentor_row[person], column[competence]] = value
    mentees = matching.Mentees(
        person=np.array([r.person_id for r in requests], dtype=np.int64),
        reporting_path=[r.person.reporting_path for r in requests],
        current=current, target=target,
        languages=np.array([_bits(r.languages) for r in requests], dtype=np.int64),
        site=np.array([sites.get(r.person.site_id or 0, -1) for r in requests], dtype=np.int64),
        remote=np.array([r.remote for r in requests], dtype=bool),
        department=np.array([_department(paths, r.person.org_unit_id) for r in requests],
                            dtype=np.int64),
    )  # fmt: skip
    mentors = matching.Mentors(
        person=np.array([o.person_id for o in offers], dtype=np.int64),
        reporting_path=[o.person.reporting_path for o in offers],
        level=level, capacity=seats,
        languages=np.array([_bits(o.languages) for o in offers], dtype=np.int64),
        site=np.array([sites.get(o.person.site_id or 0, -1) for o in offers], dtype=np.int64),
        remote=np.array([o.remote for o in offers], dtype=bool),
        department=np.array([_department(paths, o.person.org_unit_id) for o in offers],
                            dtype=np.int64),
    )  # fmt: skip
    return mentees, mentors


@transaction.atomic
def propose() -> Proposal:
    """Replace the pairs not yet approved with the best assignment over every mentee still
    looking and every mentor's free seats."""
    framework = active_framework()
    Mentorship.objects.filter(status=MentorshipStatus.PROPOSED).delete()
    busy = Mentorship.objects.filter(status__in=TAKEN)
    requests = list(
        MenteeRequest.objects.filter(active=True, person__active=True)
        .exclude(person__in=busy.values("mentee"))
        .select_related("person")
        .order_by("person_id")
    )
    offers: list[MentorOffer] = list(
        MentorOffer.objects.filter(active=True, person__active=True)
        .annotate(used=Count("person__mentees_of", filter=Q(person__mentees_of__status__in=TAKEN)))
        .select_related("person")
        .order_by("person_id")
    )
    free = {o.pk: o.capacity - o.used for o in offers}  # type: ignore[attr-defined]
    offers = [o for o in offers if free[o.pk] > 0]
    if framework is None or not requests or not offers:
        return Proposal(0, 0, 0, len(requests), len(offers), len(requests))
    seats = np.array([free[o.pk] for o in offers], dtype=np.int64)
    mentees, mentors = _arrays(framework, requests, offers, seats)
    pairs = matching.eligible_pairs(mentees, mentors)
    best = matching.best_assignment(pairs, seats, len(requests))
    peer = matching.greedy_assignment(pairs, seats, len(requests))
    codes = [c.code for c in _competences(framework)]
    made = []
    for i, j in enumerate(best.mentor_of.tolist()):
        if j < 0:
            continue
        why = matching.breakdown(
            current=mentees.current[i], target=mentees.target[i], offered=mentors.level[j],
            mentee_department=int(mentees.department[i]),
            mentor_department=int(mentors.department[j]),
        )  # fmt: skip
        made.append(Mentorship(
            mentor=offers[j].person, mentee=requests[i].person, score=why.total,
            breakdown={"coverage": why.coverage, "level_fit": why.level_fit,
                       "cross_department": why.cross_department, "total": why.total,
                       "competences": [codes[k] for k in why.goals_covered]},
        ))  # fmt: skip
    Mentorship.objects.bulk_create(made)
    return Proposal(len(made), best.total, peer.total, len(requests), len(offers),
                    len(requests) - len(made))  # fmt: skip


def _competences(framework: Framework) -> list[Competence]:
    return list(framework.competences.order_by("order", "code"))


def seats_left(mentor: Person) -> int:
    offer = MentorOffer.objects.filter(person=mentor).first()
    if offer is None:
        return 0
    return offer.capacity - Mentorship.objects.filter(mentor=mentor, status__in=TAKEN).count()


@transaction.atomic
def approve(pair: Mentorship) -> None:
    """The lead approves a proposed pair, while the mentor has a seat and neither side is
    in the same reporting line (both may have changed since the matching)."""
    pair = Mentorship.objects.select_for_update().select_related("mentor", "mentee").get(pk=pair.pk)
    if pair.status != MentorshipStatus.PROPOSED:
        raise Refused(_("This pair is no longer waiting for approval."))
    if pair.mentee.reports_to(pair.mentor) or pair.mentor.reports_to(pair.mentee):
        raise Refused(_("Mentor and mentee are now in the same reporting line."))
    if seats_left(pair.mentor) < 1:
        raise Refused(_("%(name)s has no mentoring seat left.") % {"name": pair.mentor})
    pair.status = MentorshipStatus.APPROVED
    pair.approved_at = timezone.now()
    pair.save(update_fields=["status", "approved_at"])


@transaction.atomic
def respond(pair: Mentorship, person: Person, *, accept: bool) -> None:
    side = pair.side_of(person)
    if not side:
        raise Refused(_("Only the mentor and the mentee answer."))
    if pair.status != MentorshipStatus.APPROVED:
        raise Refused(_("There is nothing to answer."))
    if not accept:
        pair.status = MentorshipStatus.DECLINED
        pair.declined_by = person
        pair.save(update_fields=["status", "declined_by"])
        return
    setattr(pair, f"{side}_accepted_at", timezone.now())
    if pair.mentor_accepted_at and pair.mentee_accepted_at:
        pair.status = MentorshipStatus.ACTIVE
    pair.save(update_fields=["status", f"{side}_accepted_at"])


def reject(pair: Mentorship) -> None:
    """The lead turns down a proposed pair."""
    if pair.status == MentorshipStatus.PROPOSED:
        pair.status = MentorshipStatus.DECLINED
        pair.save(update_fields=["status"])


@transaction.atomic
def close(pair: Mentorship, person: Person, feedback: MentoringFeedback) -> None:
    """Either side ends an active mentoring with their feedback; the other may add theirs."""
    side = pair.side_of(person)
    if not side:
        raise Refused(_("Only the mentor and the mentee give feedback."))
    if pair.status not in (MentorshipStatus.ACTIVE, MentorshipStatus.ENDED):
        raise Refused(_("Feedback closes a mentoring under way."))
    if pair.feedback.filter(person=person).exists():
        raise Refused(_("You have already given your feedback."))
    feedback.mentorship = pair
    feedback.person = person
    feedback.save()
    if pair.status == MentorshipStatus.ACTIVE:
        pair.status = MentorshipStatus.ENDED
        pair.ended_at = timezone.now()
        pair.save(update_fields=["status", "ended_at"])
        award_soon([pair.mentor_id, pair.mentee_id])
