"""Mixed groups for a wave: the proposal, the lead's changes, enrolling as chosen."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.learning.conftest import agree_plan
from tremplin.learning import groups
from tremplin.learning.models import Enrolment, EnrolmentStatus, Module, TrainingSession
from tremplin.learning.sessions import SessionError
from tremplin.people.models import Appetite
from tremplin.rollout.models import Wave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def wave_and_module(org, catalogue):
    """Both sellers and the team lead with an agreed plan sharing a module, all in one wave,
    and two sessions of that module of two seats each."""
    people = [org.people[k] for k in ("seller_a", "seller_b", "team_lead")]
    plans = [agree_plan(p, org.people["sales_director"]) for p in people[:2]]
    plans.append(agree_plan(people[2], org.people["sales_director"]))
    shared = set.intersection(*({i.module_id for i in p.items.all()} for p in plans))
    module = plans[0].items.get(module_id=min(shared)).module
    wave = Wave.objects.create(name="Pilot", pilot=True)
    wave.people.set(people)
    start = timezone.now() + datetime.timedelta(days=5)
    sessions = [
        TrainingSession.objects.create(
            module=module,
            starts_at=start + datetime.timedelta(days=d),
            duration_hours=Decimal(3),
            capacity=2,
            language="fr",
            place="Lyon",
            provider="X",
        )
        for d in (0, 7)
    ]
    people[0].ai_appetite = Appetite.ENTHUSIASTIC
    people[1].ai_appetite = Appetite.ENTHUSIASTIC
    for p in people[:2]:
        p.save(update_fields=["ai_appetite"])
    return wave, module, sessions, people


def test_the_proposal_places_everyone_and_keeps_the_enthusiasts_apart(wave_and_module):
    wave, module, _sessions, _people = wave_and_module
    proposal = groups.propose(wave, module)
    assert proposal.people == 3 and not proposal.unplaced
    assert sorted(t.mix.enthusiasts for t in proposal.tables) == [1, 1]


def test_enrolling_as_chosen_seats_everyone_and_they_leave_the_next_proposal(wave_and_module):
    wave, module, _sessions, _people = wave_and_module
    proposal = groups.propose(wave, module)
    chosen = {p.pk: t.session.pk for t in proposal.tables for p in t.proposed}
    assert groups.enrol_as_chosen(proposal, chosen) == 3
    seated = Enrolment.objects.filter(status=EnrolmentStatus.ENROLLED)
    assert {(e.person_id, e.session_id) for e in seated} == set(chosen.items())
    assert groups.propose(wave, module).people == 0


def test_more_people_than_free_seats_is_refused_and_nobody_is_enrolled(wave_and_module):
    wave, module, sessions, people = wave_and_module
    proposal = groups.propose(wave, module)
    with pytest.raises(SessionError, match="2 seats left, not 3"):
        groups.enrol_as_chosen(proposal, {p.pk: sessions[0].pk for p in people})
    assert not Enrolment.objects.exists()


def test_a_session_the_person_cannot_attend_is_refused(wave_and_module):
    wave, module, sessions, people = wave_and_module
    sessions[1].language = "en"
    sessions[1].save()
    proposal = groups.propose(wave, module)
    assert all(t.session == sessions[0] for t in proposal.tables if t.proposed)
    assert len(proposal.unplaced) == 1  # two seats in the only session in their language
    with pytest.raises(SessionError, match="cannot attend"):
        groups.enrol_as_chosen(proposal, {people[0].pk: sessions[1].pk})
    assert not Enrolment.objects.exists()


def test_a_session_overlapping_one_the_person_trains_is_not_offered(wave_and_module, org):
    wave, module, sessions, people = wave_and_module
    other = Module.objects.exclude(pk=module.pk).first()
    TrainingSession.objects.create(
        module=other, starts_at=sessions[0].starts_at, duration_hours=Decimal(1), capacity=5,
        language="en", place="Paris", trainer=people[2],
    )  # fmt: skip
    proposal = groups.propose(wave, module)
    assert [s.pk for s in proposal.choices[people[2].pk]] == [sessions[1].pk]


def test_the_mix_is_measured_again_after_the_lead_moves_people(wave_and_module):
    wave, module, sessions, people = wave_and_module
    proposal = groups.propose(wave, module)
    moved = groups.rearranged(
        proposal, {people[0].pk: sessions[0].pk, people[1].pk: sessions[0].pk}
    )
    assert [t.mix.enthusiasts for t in moved.tables] == [2, 0]
    assert moved.unplaced == [people[2]]


def test_only_the_lead_opens_the_page(client, org, wave_and_module):
    wave, module, _sessions, _people = wave_and_module
    url = f"/development/sessions/groups/?wave={wave.pk}&module={module.pk}"
    client.force_login(org.users["manager"])
    assert client.get(url).status_code == 403
    client.force_login(org.users["lead"])
    page = client.get(url)
    assert page.status_code == 200 and "Group of 2 ·" in page.content.decode()


def test_the_page_enrols_as_chosen_and_refuses_an_overbooking(client, org, wave_and_module):
    wave, module, sessions, people = wave_and_module
    client.force_login(org.users["lead"])
    form = {"wave": wave.pk, "module": module.pk, "action": "enrol"}
    everyone_first = {f"p{p.pk}": sessions[0].pk for p in people}
    everyone_first = {f"p{p.pk}": sessions[0].pk for p in people}
    refused = client.post("/development/sessions/groups/", {**form, **everyone_first}, follow=True)
    assert "seats left" in refused.content.decode() and not Enrolment.objects.exists()
    done = client.post("/development/sessions/groups/",
                       {**form, f"p{people[0].pk}": sessions[1].pk}, follow=True)  # fmt: skip
    assert "1 person enrolled." in done.content.decode()
    assert Enrolment.objects.get().session == sessions[1]


def test_a_person_declares_their_feeling_about_ai(client, org):
    client.force_login(org.users["employee"])
    client.post("/development/sessions/appetite/", {"ai_appetite": "sceptical"})
    org.people["seller_a"].refresh_from_db()
    assert org.people["seller_a"].ai_appetite == Appetite.SCEPTICAL
    page = client.post("/development/sessions/appetite/", {"ai_appetite": "hostile"}, follow=True)
    assert "Choose one of the answers offered." in page.content.decode()


def test_days_away_keep_a_person_out_of_the_sessions_on_those_days(wave_and_module):
    from tremplin.learning.models import Absence

    wave, module, sessions, people = wave_and_module
    day = timezone.localtime(sessions[0].starts_at).date()
    Absence.objects.create(person=people[0], first_day=day, last_day=day)
    proposal = groups.propose(wave, module)
    assert [s.pk for s in proposal.choices[people[0].pk]] == [sessions[1].pk]


def test_a_person_declares_days_away_and_bad_days_are_refused(client, org):
    from tremplin.learning.models import Absence

    client.force_login(org.users["employee"])
    today = timezone.localdate()
    later = today + datetime.timedelta(days=10)
    page = client.post("/development/sessions/days-away/",
                       {"first_day": later, "last_day": today}, follow=True)  # fmt: skip
    assert "The last day comes after the first." in page.content.decode()
    past = today - datetime.timedelta(days=10)
    page = client.post("/development/sessions/days-away/",
                       {"first_day": past, "last_day": past}, follow=True)  # fmt: skip
    assert "These days have passed." in page.content.decode()
    page = client.post("/development/sessions/days-away/", {"first_day": "soon"}, follow=True)
    assert "Give both days as dates." in page.content.decode()
    assert not Absence.objects.exists()
    client.post("/development/sessions/days-away/", {"first_day": today, "last_day": later})
    absence = Absence.objects.get()
    assert absence.person == org.people["seller_a"]
    assert "Remove" in client.get("/development/sessions/").content.decode()
    client.force_login(org.users["manager"])  # someone else's days stay
    client.post("/development/sessions/days-away/", {"remove": absence.pk})
    assert Absence.objects.exists()
    client.force_login(org.users["employee"])
    client.post("/development/sessions/days-away/", {"remove": absence.pk})
    assert not Absence.objects.exists()
