"""Plans: generation from gaps, co-signature, history, concurrent edits, completion."""

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tremplin.assessments.models import (
    Campaign,
    CareerInterview,
    CurrentLevel,
    Rating,
    Reassessment,
    Source,
)
from tremplin.assessments.services import AssessmentError, record_ratings
from tremplin.learning.models import (
    ItemStatus,
    Module,
    Plan,
    PlanEvent,
    PlanRun,
    PlanSettings,
    PlanStatus,
    UnitBudget,
)
from tremplin.learning.revisions import gap_changes, plan_revise
from tremplin.learning.services import (
    PlanError,
    co_signatory,
    generate_plans,
    item_complete,
    item_confirm,
    plan_discussed,
    plan_edit,
    plan_sign,
)
from tremplin.learning.tasks import run_generation
from tremplin.people.models import Person


@pytest.fixture
def plan(org, catalogue):
    seller = org.people["seller_a"]
    generate_plans(people=Person.objects.filter(pk=seller.pk), by=org.users["employee"])
    return Plan.objects.get(person=seller)


@pytest.fixture
def discussed(org, plan):
    return plan_discussed(plan=plan, by=org.users["manager"], version=plan.version)


def test_generated_plan_closes_the_gaps_in_order_within_the_yearly_maximum(plan):
    items = list(plan.items.select_related("module"))
    assert items and plan.status == PlanStatus.PROPOSED and plan.method == "optimal"
    first_year = sum(i.module.duration_hours for i in items if i.year == 1)
    assert first_year <= 40
    position = {i.module_id: i.position for i in items}
    for item in items:  # prerequisites come first
        for prerequisite in item.module.prerequisites.all():
            if prerequisite.pk in position:
                assert position[prerequisite.pk] < item.position
    assert PlanEvent.objects.filter(plan=plan, kind="generated").count() == 1


def test_both_signatures_agree_the_plan_and_edits_are_then_refused(org, discussed):
    plan = discussed
    plan = plan_sign(plan=plan, by=org.users["employee"], signer=org.people["seller_a"],
                     version=plan.version)  # fmt: skip
    assert plan.status == PlanStatus.DISCUSSED and plan.person_signed_at
    plan = plan_sign(plan=plan, by=org.users["manager"], signer=org.people["sales_director"],
                     version=plan.version)  # fmt: skip
    assert plan.status == PlanStatus.AGREED
    with pytest.raises(PlanError):
        plan_edit(plan=plan, by=org.users["manager"], version=plan.version,
                  remove=[plan.items.first().module])  # fmt: skip


def test_a_plan_is_signed_only_once_discussed(org, plan):
    with translation.override("en"), pytest.raises(PlanError, match="discussed in the career"):
        plan_sign(plan=plan, by=org.users["employee"], signer=org.people["seller_a"],
                  version=plan.version)  # fmt: skip
    assert Plan.objects.get(pk=plan.pk).person_signed_at is None


def test_an_edit_clears_earlier_signatures_and_is_kept_in_history(org, discussed):
    plan = discussed
    plan = plan_sign(plan=plan, by=org.users["employee"], signer=org.people["seller_a"],
                     version=plan.version)  # fmt: skip
    extra = Module.objects.exclude(pk__in=plan.items.values("module")).first()
    plan = plan_edit(plan=plan, by=org.users["manager"], version=plan.version, add=[extra])
    assert plan.person_signed_at is None
    event = plan.events.get(kind="edited")
    assert event.details == {"added": [extra.code], "removed": []}
    assert extra.code in event.modules


def test_second_of_two_concurrent_saves_is_refused_with_a_clear_message(org, plan):
    seen_by_both = plan.version
    first = plan.items.first().module
    plan_edit(plan=plan, by=org.users["employee"], version=seen_by_both, remove=[first])
    with translation.override("en"), pytest.raises(PlanError, match="Someone else changed"):
        plan_edit(plan=plan, by=org.users["manager"], version=seen_by_both,
                  add=[Module.objects.exclude(pk=first.pk).last()])  # fmt: skip
    assert not plan.items.filter(module=first).exists()  # the first save is kept


def test_someone_outside_the_line_cannot_sign(org, plan):
    with pytest.raises(PlanError):
        plan_sign(plan=plan, by=org.users["peer_manager"], signer=org.people["finance_head"],
                  version=plan.version)  # fmt: skip


def test_completing_a_module_records_training_evidence_and_asks_for_reassessment(org, discussed):
    plan = discussed
    for user, signer in (("employee", "seller_a"), ("manager", "sales_director")):
        plan = plan_sign(plan=plan, by=org.users[user], signer=org.people[signer],
                         version=plan.version)  # fmt: skip
    item = plan.items.order_by("position").first()
    item_complete(item=item, by=org.users["manager"], recorder=org.people["sales_director"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_PROGRESS
    raised = item.module.raises.first()
    rating = Rating.objects.get(person=plan.person, competence=raised.competence)
    assert rating.source == Source.TRAINING and rating.level == raised.to_level
    assert (
        CurrentLevel.objects.get(person=plan.person, competence=raised.competence).level
        == raised.to_level
    )
    # Reassessment goes to the person's list, not to a new campaign.
    assert not Campaign.objects.exists()
    again = Reassessment.objects.open().get(person=plan.person)
    assert again.modules == [item.module.code]
    assert raised.competence in again.competences.all()
    for other in plan.items.exclude(pk=item.pk):
        item_complete(item=other, by=org.users["manager"], recorder=None)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DONE
    again = Reassessment.objects.open().get(person=plan.person)  # still one, gathering them
    assert item.module.code in again.modules and len(again.modules) > 1
    assert set(plan.items.values_list("status", flat=True)) == {ItemStatus.DONE}


def test_agreed_plans_are_kept_when_a_population_is_planned_and_budgets_bind(org, discussed):
    plan = discussed
    for user, signer in (("employee", "seller_a"), ("manager", "sales_director")):
        plan = plan_sign(plan=plan, by=org.users[user], signer=org.people[signer],
                         version=plan.version)  # fmt: skip
    top = org.people["ceo"].org_unit
    UnitBudget.objects.create(org_unit=top, year=plan.starts_in, amount=500)
    run = run_generation(PlanRun.objects.create())
    assert run.state == "done" and run.skipped == 1 and run.created == 8
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.AGREED
    first_year = sum(
        float(i.module.cost_per_seat)
        for p in Plan.objects.exclude(pk=plan.pk)
        for i in p.items.select_related("module")
        if i.year == 1
    )
    agreed = sum(
        float(i.module.cost_per_seat) for i in plan.items.select_related("module") if i.year == 1
    )
    assert first_year <= max(500 - agreed, 0) + 1e-6


def test_employee_sees_only_their_plan_and_manager_their_line(org, plan, client):
    generate_plans(people=Person.objects.filter(pk=org.people["accountant"].pk), by=None)
    other = Plan.objects.get(person=org.people["accountant"])
    client.force_login(org.users["employee"])
    assert client.get(reverse("learning:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("learning:plan", args=[other.pk])).status_code == 404
    client.force_login(org.users["manager"])
    assert client.get(reverse("learning:plan", args=[plan.pk])).status_code == 200
    assert client.get(reverse("learning:plan", args=[other.pk])).status_code == 404
    response = client.post(reverse("learning:plan_action", args=[other.pk]),
                           {"action": "sign", "version": other.version})  # fmt: skip
    assert response.status_code == 404


def test_stale_form_shows_the_conflict_message_and_saves_nothing(org, plan, client):
    client.force_login(org.users["employee"])
    client.cookies["django_language"] = "en"
    module = plan.items.first().module
    url = reverse("learning:plan_action", args=[plan.pk])
    client.post(url, {"action": "remove", "module": module.pk, "version": plan.version})
    response = client.post(url, {"action": "sign", "version": plan.version}, follow=True)
    assert b"Someone else changed this plan" in response.content
    plan.refresh_from_db()
    assert plan.person_signed_at is None


def test_lead_sets_plan_settings_and_budgets_and_sees_what_is_spent(org, discussed, client):
    plan = discussed
    for user, signer in (("employee", "seller_a"), ("manager", "sales_director")):
        plan = plan_sign(plan=plan, by=org.users[user], signer=org.people[signer],
                         version=plan.version)  # fmt: skip
    url = reverse("learning:settings")
    client.cookies["django_language"] = "en"
    client.force_login(org.users["employee"])
    assert client.get(url).status_code == 403
    client.force_login(org.users["lead"])
    response = client.post(url, {"settings": "1", "objective": "cost", "max_hours_per_year": "0"})
    assert b"Ensure this value is greater than or equal to 1" in response.content
    client.post(url, {"settings": "1", "objective": "cost", "max_hours_per_year": "24"})
    assert PlanSettings.current().objective == "cost"
    assert PlanSettings.current().max_hours_per_year == 24
    sales = org.people["seller_a"].org_unit.parent or org.people["seller_a"].org_unit
    response = client.post(url, {"budget": "1", "org_unit": sales.pk, "year": "1999",
                                 "amount": "-5"})  # fmt: skip
    assert b"greater than or equal to 2000" in response.content and not UnitBudget.objects.exists()
    for amount in ("900", "1200"):  # the second replaces the first
        client.post(url, {"budget": "1", "org_unit": sales.pk, "year": plan.starts_in,
                          "amount": amount})  # fmt: skip
    budget = UnitBudget.objects.get()
    assert budget.amount == 1200
    agreed = sum(i.module.cost_per_seat for i in plan.items.select_related("module") if i.year == 1)
    response = client.get(url, {"year": plan.starts_in})
    use = response.context["uses"][0]
    assert use.committed == agreed and use.left == 1200 - agreed
    client.post(url, {"delete": budget.pk})
    assert not UnitBudget.objects.exists()


def test_plan_is_marked_discussed_from_the_career_interview(org, plan, client):
    record = CareerInterview.objects.create(
        person=plan.person, manager=org.people["sales_director"], held_on=timezone.localdate()
    )
    elsewhere = CareerInterview.objects.create(
        person=org.people["seller_b"], manager=org.people["sales_director"],
        held_on=timezone.localdate(),
    )  # fmt: skip
    client.cookies["django_language"] = "en"
    client.force_login(org.users["manager"])
    page = client.get(reverse("assessments:interview", args=[record.pk]))
    assert b"Mark the plan as discussed in this interview" in page.content
    action = reverse("learning:plan_action", args=[plan.pk])
    response = client.post(action, {"action": "discussed", "version": plan.version,
                                    "interview": elsewhere.pk}, follow=True)  # fmt: skip
    assert b"about someone else" in response.content
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.PROPOSED
    response = client.post(action, {"action": "discussed", "version": plan.version,
                                    "interview": record.pk})  # fmt: skip
    assert response.url == reverse("assessments:interview", args=[record.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DISCUSSED
    assert plan.events.get(kind="status").details["interview"] == record.pk
    history = client.get(reverse("learning:plan", args=[plan.pk]))
    assert b"career interview of" in history.content


def test_a_party_signs_once_and_population_runs_keep_discussed_plans(org, discussed, client):
    plan = plan_sign(plan=discussed, by=org.users["employee"], signer=org.people["seller_a"],
                     version=discussed.version)  # fmt: skip
    with translation.override("en"), pytest.raises(PlanError, match="already signed"):
        plan_sign(plan=plan, by=org.users["employee"], signer=org.people["seller_a"],
                  version=plan.version)  # fmt: skip
    run_generation(PlanRun.objects.create())
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DISCUSSED


def test_interview_date_is_sent_in_the_format_the_date_field_reads(org, client):
    record = CareerInterview.objects.create(
        person=org.people["seller_a"], manager=org.people["sales_director"],
        held_on=timezone.localdate(),
    )  # fmt: skip
    client.cookies["django_language"] = "fr"
    client.force_login(org.users["manager"])
    page = client.get(reverse("assessments:interview", args=[record.pk]))
    assert f'value="{record.held_on.isoformat()}"'.encode() in page.content


def _agreed(org, discussed):
    plan = discussed
    for user, signer in (("employee", "seller_a"), ("manager", "sales_director")):
        plan = plan_sign(plan=plan, by=org.users[user], signer=org.people[signer],
                         version=plan.version)  # fmt: skip
    return plan


def test_a_completion_the_person_declares_counts_as_self_until_the_manager_confirms(org, discussed):
    plan = _agreed(org, discussed)
    seller, director = org.people["seller_a"], org.people["sales_director"]
    item = plan.items.order_by("position").first()
    raised = item.module.raises.select_related("competence").first()
    # The manager rated the competence just below what the module brings.
    record_ratings(person=seller, levels={raised.competence: raised.from_level},
                   source=Source.MANAGER, assessor=director)  # fmt: skip
    item_complete(item=item, by=org.users["employee"], recorder=seller)
    item.refresh_from_db()
    assert item.self_declared
    level = CurrentLevel.objects.get(person=seller, competence=raised.competence)
    assert (level.level, level.source) == (raised.from_level, Source.MANAGER)
    with pytest.raises(PlanError):
        item_confirm(item=item, by=org.users["employee"], confirmer=seller)
    item_confirm(item=item, by=org.users["manager"], confirmer=director)
    item.refresh_from_db()
    assert not item.self_declared and item.completion_confirmed_by == director
    level.refresh_from_db()
    assert (level.level, level.source) == (raised.to_level, Source.TRAINING)
    assert plan.events.filter(kind=PlanEvent.Kind.CONFIRMED).exists()


def test_only_the_manager_or_the_lead_confirms_from_the_page(org, discussed, client):
    plan = _agreed(org, discussed)
    item = plan.items.order_by("position").first()
    item_complete(item=item, by=org.users["employee"], recorder=org.people["seller_a"])
    url = reverse("learning:plan_action", args=[plan.pk])
    data = {"action": "confirm", "item": item.pk, "version": plan.version}
    client.force_login(org.users["employee"])
    page = client.get(reverse("learning:plan", args=[plan.pk]))
    assert page.context["can_confirm"] is False and b'value="confirm"' not in page.content
    assert client.post(url, data).status_code == 403
    client.force_login(org.users["manager"])
    page = client.get(reverse("learning:plan", args=[plan.pk]))
    assert page.context["can_confirm"] is True and b'value="confirm"' in page.content
    assert client.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.completion_confirmed_by == org.people["sales_director"]


def test_completions_and_ratings_dated_in_the_future_are_refused(org, discussed):
    plan = _agreed(org, discussed)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    item = plan.items.order_by("position").first()
    with pytest.raises(PlanError):
        item_complete(item=item, by=org.users["manager"], recorder=org.people["sales_director"],
                      on=tomorrow)  # fmt: skip
    item.refresh_from_db()
    assert item.status == ItemStatus.PLANNED
    competence = item.module.raises.first().competence
    with pytest.raises(AssessmentError):
        record_ratings(person=org.people["seller_a"], levels={competence: 4},
                       source=Source.EVIDENCE, assessor=None, assessed_on=tomorrow)  # fmt: skip
    assert not Rating.objects.filter(person=org.people["seller_a"]).exists()


def test_a_person_without_a_manager_has_a_named_second_signatory(org, catalogue, client):
    ceo, hr, finance = org.people["ceo"], org.people["hr"], org.people["finance_head"]
    assert co_signatory(ceo) == hr  # the programme lead by default
    generate_plans(people=Person.objects.filter(pk=ceo.pk), by=org.users["lead"])
    plan = Plan.objects.get(person=ceo)
    if not plan.items.exists():
        pytest.skip("no gap to close for this person")
    plan = plan_discussed(plan=plan, by=org.users["lead"], version=plan.version)
    with pytest.raises(PlanError, match=hr.full_name):
        plan_sign(plan=plan, by=None, signer=finance, version=plan.version)
    client.force_login(org.users["executive"])
    page = client.get(reverse("learning:plan", args=[plan.pk]))
    assert page.context["co_signatory"] == hr and hr.full_name in page.content.decode()
    plan = plan_sign(plan=plan, by=org.users["executive"], signer=ceo, version=plan.version)
    plan = plan_sign(plan=plan, by=org.users["lead"], signer=hr, version=plan.version)
    assert plan.status == PlanStatus.AGREED and plan.manager_signed_by == hr
    settings = PlanSettings.current()
    settings.second_signatory = finance
    settings.save()
    assert co_signatory(ceo) == finance and co_signatory(org.people["seller_a"]) == (
        org.people["team_lead"])  # fmt: skip


def test_the_lead_names_the_second_signatory_by_employee_id(org, client):
    client.force_login(org.users["lead"])
    url = reverse("learning:settings")
    data = {"settings": "1", "objective": "hours", "max_hours_per_year": "40",
            "reassess_on_completion": "on"}  # fmt: skip
    page = client.post(url, {**data, "second_signatory_id": "NOBODY"})
    assert page.status_code == 200 and "NOBODY" in page.content.decode()
    assert PlanSettings.current().second_signatory is None
    client.post(url, {**data, "second_signatory_id": "FINANCE_HEAD"})
    assert PlanSettings.current().second_signatory == org.people["finance_head"]


def test_new_gaps_propose_a_revision_that_keeps_what_is_done_and_agreed(org, discussed, client):
    plan = _agreed(org, discussed)
    seller, director = org.people["seller_a"], org.people["sales_director"]
    first = plan.items.order_by("position").first()
    item_complete(item=first, by=org.users["manager"], recorder=director)
    plan.refresh_from_db()
    agreed = set(plan.items.values_list("module__code", flat=True))
    assert plan.gaps and not gap_changes(plan)  # progress is not a change
    planned = set(plan.gaps)
    # The job now targets a competence the plan did not plan for: a new gap.
    from tremplin.skills.models import Competence, JobFamilyTarget

    candidates = ["T2-AUTOMATE", "T4-LLMAPPS", "T3-MAINTENANCE", "P-CRITICAL", "T1-SECURITY"]
    fresh = Competence.objects.exclude(code__in=planned).filter(code__in=candidates).first()
    assert fresh is not None
    JobFamilyTarget.objects.update_or_create(
        job_family=seller.job_family, competence=fresh, defaults={"level": 3}
    )
    changes = gap_changes(plan)
    assert [(c.code, c.planned, c.now[1]) for c in changes] == [(fresh.code, None, 3)]
    client.force_login(org.users["employee"])
    page = client.get(reverse("learning:plan", args=[plan.pk]))
    assert page.context["gap_changes"] and b'value="revise"' in page.content
    stale = plan.version
    client.post(reverse("learning:plan_action", args=[plan.pk]),
                {"action": "revise", "version": plan.version})  # fmt: skip
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PROPOSED and plan.version == stale + 1
    assert plan.person_signed_at is None and plan.manager_signed_at is None
    now = set(plan.items.values_list("module__code", flat=True))
    assert agreed <= now  # nothing agreed or done is dropped
    assert plan.items.get(module=first.module).status == ItemStatus.DONE
    event = plan.events.get(kind=PlanEvent.Kind.REVISED)
    assert Module.objects.filter(code__in=event.details["added"], raises__competence=fresh).exists()
    assert set(event.details["before"]) == agreed and event.details["agreed_signatures"]["person"]
    # The other party revising from a page loaded before: refused, nothing changed.
    with pytest.raises(PlanError):
        plan_revise(plan=plan, by=org.users["manager"], version=stale)
    assert Plan.objects.get(pk=plan.pk).version == stale + 1
    # A proposed plan is not revised, it is changed directly.
    with pytest.raises(PlanError):
        plan_revise(plan=plan, by=org.users["manager"], version=plan.version)


def test_history_names_the_author_and_each_status_change_and_skips_identical_proposals(
    org, plan, client
):
    generate_plans(people=Person.objects.filter(pk=plan.person_id), by=org.users["lead"])
    assert plan.events.count() == 1  # proposed again as it was: nothing recorded
    plan.refresh_from_db()
    plan_discussed(plan=plan, by=org.users["manager"], version=plan.version)
    client.cookies["django_language"] = "fr"
    client.force_login(org.users["manager"])
    page = client.get(reverse("learning:plan", args=[plan.pk])).content.decode()
    history = page[page.index("<tbody>", page.index("Historique")) :]
    manager = org.people["sales_director"]
    assert manager.full_name in history and org.users["manager"].username not in history
    assert "proposé → discuté" in history
    assert 'data-confirm="Signer ce plan' in page or "Signer le plan" not in page
