"""Writes of the assessment workflow: ratings, consolidation, drafts, career interviews."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.assessments.models import (
    Campaign,
    CareerInterview,
    CurrentLevel,
    Draft,
    Rating,
    Source,
)
from tremplin.compute.consolidation import RatingFact, consolidate
from tremplin.people.models import Person
from tremplin.skills.models import Competence

RATING_MAX_AGE_DAYS = 3 * 365


class AssessmentError(Exception):
    """A refused write, with a message for the user."""


@dataclass(frozen=True)
class Evidence:
    text: str = ""
    url: str = ""
    file_name: str = ""
    file: bytes | None = None


def record_ratings(
    *,
    person: Person,
    levels: Mapping[Competence, int],
    source: str,
    assessor: Person | None,
    assessed_on: datetime.date | None = None,
    campaign: Campaign | None = None,
    evidence: Evidence | None = None,
    quiz_session_id: int | None = None,
) -> list[Rating]:
    """Add one rating per competence (never replacing earlier ones) and consolidate."""
    evidence = evidence or Evidence()
    for competence, level in levels.items():
        if not 0 <= int(level) <= 4:
            raise AssessmentError(
                _("%(code)s: the level must be between 0 and 4.") % {"code": competence.code}
            )
    ratings = [
        Rating(
            person=person,
            competence=competence,
            level=int(level),
            source=source,
            assessed_on=assessed_on or timezone.localdate(),
            assessor=assessor,
            campaign=campaign,
            quiz_session_id=quiz_session_id,
            evidence_text=evidence.text,
            evidence_url=evidence.url,
            evidence_file_name=evidence.file_name,
            evidence_file=evidence.file,
        )
        for competence, level in levels.items()
    ]
    with transaction.atomic():
        Rating.objects.bulk_create(ratings)
        consolidate_levels(person_ids=[person.pk], competence_ids=[c.pk for c in levels])
    return ratings


def consolidate_levels(
    *, person_ids: Iterable[int], competence_ids: Iterable[int] | None = None
) -> int:
    """Recompute the current level of these people (and competences) from all their ratings."""
    people = list(person_ids)
    ratings = Rating.objects.filter(person_id__in=people)
    if competence_ids is not None:
        ratings = ratings.filter(competence_id__in=list(competence_ids))
    grouped: dict[tuple[int, int], list[RatingFact]] = defaultdict(list)
    for rid, pid, cid, source, level, assessed_on in ratings.values_list(
        "id", "person_id", "competence_id", "source", "level", "assessed_on"
    ):
        grouped[(pid, cid)].append(RatingFact(rid, source, level, assessed_on, rid))
    today = timezone.localdate()
    rows = []
    for (pid, cid), facts in grouped.items():
        result = consolidate(facts, today=today, max_age_days=RATING_MAX_AGE_DAYS)
        assert result is not None
        rows.append(
            CurrentLevel(
                person_id=pid,
                competence_id=cid,
                level=result.level,
                source=result.source,
                rating_id=result.rating_id,
                self_level=result.self_level,
                manager_level=result.manager_level,
                quiz_level=result.quiz_level,
                self_manager_disagree=result.self_manager_disagree,
                self_quiz_disagree=result.self_quiz_disagree,
                updated_at=timezone.now(),
            )
        )
    CurrentLevel.objects.bulk_create(
        rows,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["person", "competence"],
        update_fields=[
            "level",
            "source",
            "rating",
            "self_level",
            "manager_level",
            "quiz_level",
            "self_manager_disagree",
            "self_quiz_disagree",
            "updated_at",
        ],
    )
    return len(rows)


def save_draft(
    *,
    campaign: Campaign,
    person: Person,
    assessor: Person,
    source: str,
    levels: Mapping[str, int],
    comment: str = "",
    submit: bool = False,
    competences: Mapping[str, Competence],
) -> Draft:
    """Keep a self or manager assessment in progress; on submit, turn it into ratings."""
    if source not in (Source.SELF, Source.MANAGER):
        raise AssessmentError(_("Only self and manager assessments are made in a campaign."))
    if not campaign.is_open():
        raise AssessmentError(_("This campaign is closed."))
    with transaction.atomic():
        draft, _created = Draft.objects.select_for_update().get_or_create(
            campaign=campaign,
            person=person,
            source=source,
            defaults={"assessor": assessor},
        )
        if draft.submitted_at is not None:
            raise AssessmentError(_("This assessment was already submitted."))
        draft.assessor = assessor
        draft.levels = {code: int(level) for code, level in levels.items()}
        draft.comment = comment
        if submit:
            missing = [code for code in competences if code not in draft.levels]
            if missing:
                raise AssessmentError(
                    _("Rate every competence before submitting (missing: %(codes)s).")
                    % {"codes": ", ".join(missing)}
                )
            draft.submitted_at = timezone.now()
            record_ratings(
                person=person,
                levels={competences[code]: level for code, level in draft.levels.items()},
                source=source,
                assessor=assessor,
                campaign=campaign,
                evidence=Evidence(text=comment),
            )
        draft.save()
    return draft


def save_interview(
    *,
    interview: CareerInterview,
    by: Person,
    held_on: datetime.date,
    learned: str,
    wishes: str,
    priorities: str,
    version: int,
) -> CareerInterview:
    """Edit the interview record; a change after agreement asks both to agree again.

    `version` is the one the editor loaded: if the other party saved meanwhile, the save is
    refused instead of silently overwriting their text.
    """
    with transaction.atomic():
        if interview.pk:
            current = CareerInterview.objects.select_for_update().get(pk=interview.pk)
            if current.version != version:
                raise AssessmentError(
                    _(
                        "The other party saved this interview while you were editing it. "
                        "Your text is kept below: copy it, reload the page to see theirs, "
                        "then merge."
                    )
                )
            interview.version = current.version + 1
        interview.held_on = held_on
        interview.learned = learned
        interview.wishes = wishes
        interview.priorities = priorities
        interview.person_agreed_at = None
        interview.manager_agreed_at = None
        interview.mark_agreed_by(by)  # saving one's own text is agreeing to it
        interview.save()
    return interview


def agree_interview(*, interview: CareerInterview, by: Person) -> CareerInterview:
    if not interview.mark_agreed_by(by):
        raise AssessmentError(_("Only the person and their manager can agree to this record."))
    interview.save(update_fields=["person_agreed_at", "manager_agreed_at", "updated_at"])
    return interview
