"""Writes of the assessment workflow: ratings, consolidation, drafts, career interviews."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F, Q
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
from tremplin.assessments.quiz_models import QuizSettings
from tremplin.compute import consolidation
from tremplin.notifications import events
from tremplin.people.models import Person
from tremplin.skills.models import Competence

WEB_ADDRESS = URLValidator(schemes=["http", "https"])


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
    standard_errors: Mapping[Competence, float] | None = None,
) -> list[Rating]:
    """Add one rating per competence (never replacing earlier ones) and consolidate.

    Refused: a level outside 0–4, a date in the future (evidence of what has not happened
    would outrank everything recorded until then) and an evidence link that is not a web address
    (a `javascript:` link would sit on the manager's page)."""
    evidence = evidence or Evidence()
    if evidence.url:
        try:
            WEB_ADDRESS(evidence.url)
        except ValidationError:
            raise AssessmentError(
                _("The evidence link must be a web address starting with http:// or https://.")
            ) from None
    today = timezone.localdate()
    on = assessed_on or today
    if on > today:
        raise AssessmentError(
            _("An assessment cannot be dated in the future (%(date)s).")
            % {"date": on.strftime("%d/%m/%Y")}
        )
    errors = standard_errors or {}
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
            assessed_on=on,
            assessor=assessor,
            standard_error=errors.get(competence),
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


def weak_rating(quiz_se: float) -> Q:
    """Ratings that do not carry what their source promises (`compute.consolidation`): a quiz
    level less precise than `quiz_se` (or recorded before precision was kept), a training
    completion only the person declared."""
    imprecise = Q(standard_error__isnull=True) | Q(standard_error__gt=quiz_se)
    declared = Q(assessor_id=F("person_id"))
    return (Q(source=Source.QUIZ) & imprecise) | (Q(source=Source.TRAINING) & declared)


def consolidate_levels(
    *, person_ids: Iterable[int], competence_ids: Iterable[int] | None = None
) -> int:
    """Recompute the current level of these people (and competences) from all their ratings."""
    people = list(person_ids)
    ratings = Rating.objects.filter(person_id__in=people)
    if competence_ids is not None:
        ratings = ratings.filter(competence_id__in=list(competence_ids))
    quiz_se = QuizSettings.current().competence_se
    rows_in = list(
        ratings.annotate(weak=ExpressionWrapper(weak_rating(quiz_se), BooleanField()))
        .order_by("pk")
        .values_list("id", "person_id", "competence_id", "source", "level", "assessed_on", "weak")
    )
    if not rows_in:
        return 0
    ids, pids, cids, sources, levels, days, weak = zip(*rows_in, strict=True)
    pair_of = {key: n for n, key in enumerate(dict.fromkeys(zip(pids, cids, strict=True)))}
    keys = list(pair_of)
    facts = consolidation.Ratings.of(
        [pair_of[k] for k in zip(pids, cids, strict=True)],
        [consolidation.CODE[s] for s in sources],
        [d.toordinal() for d in days],
        levels,
        weak,
    )
    found = consolidation.current(facts, timezone.localdate().toordinal())

    def optional(value: int) -> int | None:
        return None if value == consolidation.NOT_ASSESSED else int(value)

    now = timezone.now()
    rows = [
        CurrentLevel(
            person_id=keys[pair][0],
            competence_id=keys[pair][1],
            level=int(found.level[n]),
            source=consolidation.SOURCES[found.source[n]],
            rating_id=ids[found.rating[n]],
            self_level=optional(found.self_level[n]),
            manager_level=optional(found.manager_level[n]),
            quiz_level=optional(found.quiz_level[n]),
            self_manager_disagree=bool(found.self_manager_disagree[n]),
            self_quiz_disagree=bool(found.self_quiz_disagree[n]),
            manager_quiz_disagree=bool(found.manager_quiz_disagree[n]),
            updated_at=now,
        )
        for n, pair in enumerate(found.pair.tolist())
    ]
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
            "manager_quiz_disagree",
            "updated_at",
        ],
    )
    from tremplin.engagement.badges import award_soon  # badges build on levels

    award_soon(people)
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
    """Edit the interview record; any change clears both agreements (each party then agrees
    explicitly, `agree_interview`).

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
        # A change asks both to agree again; agreeing is its own, explicit step.
        interview.person_agreed_at = None
        interview.manager_agreed_at = None
        interview.save()
    return interview


def agree_interview(*, interview: CareerInterview, by: Person) -> CareerInterview:
    if not interview.mark_agreed_by(by):
        raise AssessmentError(_("Only the person and their manager can agree to this record."))
    interview.save(update_fields=["person_agreed_at", "manager_agreed_at", "updated_at"])
    other = interview.manager if by == interview.person else interview.person
    if not interview.agreed and other is not None:
        events.interview_to_agree(interview, other)
    return interview
