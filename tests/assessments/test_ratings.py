import datetime
import functools

import pytest
from django.utils import timezone, translation

from tremplin.assessments.models import Campaign, CareerInterview, CurrentLevel, Rating
from tremplin.assessments.services import (
    AssessmentError,
    record_ratings,
    save_draft,
    save_interview,
)
from tremplin.skills.models import Competence


def open_campaign(**kwargs):
    today = timezone.localdate()
    return Campaign.objects.create(
        name="Bilan", opens_on=today, closes_on=today + datetime.timedelta(days=30), **kwargs
    )


def test_ratings_are_added_never_overwritten_and_consolidated(framework, org):
    person = org.people["seller_a"]
    prompt = Competence.objects.get(code="T2-PROMPT")
    record_ratings(person=person, levels={prompt: 3}, source="self", assessor=person)
    record_ratings(
        person=person, levels={prompt: 1}, source="manager", assessor=org.people["team_lead"]
    )
    assert Rating.objects.filter(person=person, competence=prompt).count() == 2
    current = CurrentLevel.objects.get(person=person, competence=prompt)
    assert (current.level, current.source) == (1, "manager")
    assert current.self_manager_disagree


def test_self_assessment_draft_can_be_saved_then_submitted(framework, org):
    person = org.people["seller_a"]
    campaign = open_campaign()
    prompt, verify = Competence.objects.filter(code__in=["T2-PROMPT", "T2-VERIFY"]).order_by("code")
    competences = {"T2-PROMPT": prompt, "T2-VERIFY": verify}
    self_draft = functools.partial(
        save_draft,
        campaign=campaign,
        person=person,
        assessor=person,
        source="self",
        competences=competences,
    )
    self_draft(levels={"T2-PROMPT": 2})
    assert not Rating.objects.filter(person=person).exists()
    with pytest.raises(AssessmentError, match="T2-VERIFY"):
        self_draft(levels={"T2-PROMPT": 2}, submit=True)
    self_draft(levels={"T2-PROMPT": 2, "T2-VERIFY": 1}, submit=True)
    assert Rating.objects.filter(person=person, source="self", campaign=campaign).count() == 2
    with pytest.raises(AssessmentError):
        self_draft(levels={"T2-PROMPT": 4, "T2-VERIFY": 4}, submit=True)


def test_closed_campaign_refuses_assessments(framework, org):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        name="Old",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
    )
    with pytest.raises(AssessmentError):
        save_draft(
            campaign=campaign,
            person=org.people["seller_a"],
            assessor=org.people["seller_a"],
            source="self",
            levels={},
            competences={},
        )


def test_campaign_population_follows_units_families_and_list(framework, org):
    sales_unit = org.people["seller_a"].org_unit
    campaign = open_campaign()
    assert campaign.population().count() == len(org.people)
    campaign.org_units.set([sales_unit])
    assert set(campaign.population()) == {
        p for p in org.people.values() if p.org_unit_id == sales_unit.pk
    }
    campaign.people.set([org.people["accountant"]])
    assert campaign.includes(org.people["accountant"])
    assert not campaign.includes(org.people["controller"])


def test_interview_edited_by_both_at_once_refuses_the_second_save(framework, org):
    record = CareerInterview.objects.create(
        person=org.people["seller_a"], manager=org.people["team_lead"], held_on=timezone.localdate()
    )
    loaded_version = record.version
    save_interview(
        interview=record,
        by=org.people["team_lead"],
        held_on=record.held_on,
        learned="Prompting",
        wishes="Automation",
        priorities="Verify outputs",
        version=loaded_version,
    )
    stale = CareerInterview.objects.get(pk=record.pk)
    with translation.override("en"), pytest.raises(AssessmentError, match="while you were editing"):
        save_interview(
            interview=stale,
            by=org.people["seller_a"],
            held_on=record.held_on,
            learned="Other text",
            wishes="",
            priorities="",
            version=loaded_version,
        )
    assert CareerInterview.objects.get(pk=record.pk).learned == "Prompting"
    assert CareerInterview.objects.get(pk=record.pk).not_for_appraisal
