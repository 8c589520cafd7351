"""The home page lists what each person has to do now, each item a link that opens."""

import datetime
import re

import pytest
from django.utils import timezone

from tremplin.assessments.models import Campaign, CareerInterview, Draft, Source
from tremplin.learning.models import Plan
from tremplin.learning.services import generate_plans, plan_discussed
from tremplin.people.models import Person


@pytest.fixture
def campaign(org):
    today = timezone.localdate()
    found = Campaign.objects.create(
        name="Printemps IA",
        opens_on=today - datetime.timedelta(days=3),
        closes_on=today + datetime.timedelta(days=5),
    )
    found.org_units.add(org.people["seller_a"].org_unit)
    return found


@pytest.fixture
def discussed(org, catalogue):
    seller = org.people["seller_a"]
    generate_plans(people=Person.objects.filter(pk=seller.pk), by=None)
    plan = Plan.objects.get(person=seller)
    return plan_discussed(plan=plan, by=org.users["manager"], version=plan.version)


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def _links(html: str, section: str) -> dict[str, str]:
    """Text → href of the to-do links in one section of the home page."""
    part = html.split(f'id="{section}"', 1)[1].split("</section>", 1)[0]
    return {text.strip(): href.replace("&amp;", "&")
            for href, text in re.findall(r'<li><a href="([^"]+)">([^<]+)</a>', part)}  # fmt: skip


def test_the_employee_sees_their_assessment_and_plan_to_sign_and_each_link_opens(
    client, org, campaign, discussed
):
    links = _links(_home(client, org.users["employee"]), "todo-mine")
    assert links == {
        "Assess yourself: Printemps IA": (
            f"/assessments/campaigns/{campaign.pk}/people/{org.people['seller_a'].pk}/self/"
        ),
        "Sign your development plan": f"/development/plans/{discussed.pk}/",
    }
    for url in links.values():
        assert client.get(url).status_code == 200
    # Submitted, the self-assessment leaves the list.
    Draft.objects.create(
        campaign=campaign,
        person=org.people["seller_a"],
        assessor=org.people["seller_a"],
        source=Source.SELF,
        submitted_at=timezone.now(),
    )
    assert "Assess yourself" not in _home(client, org.users["employee"])


def test_the_manager_sees_ratings_plans_and_interviews_of_their_line_only(
    client, org, campaign, discussed
):
    html = _home(client, org.users["manager"])
    links = _links(html, "todo-team")
    year = timezone.localdate().year
    # The sales director's line: the team lead and two sellers; one direct report (the
    # team lead) to hold an interview with.
    assert set(links) == {
        "Rate 3 people: Printemps IA",
        "1 plan to sign",
        f"1 career interview to hold in {year}",
    }
    for url in links.values():
        assert client.get(url).status_code == 200
    CareerInterview.objects.create(
        person=org.people["team_lead"], manager=org.people["sales_director"],
        held_on=timezone.localdate(),
    )  # fmt: skip
    links = _links(_home(client, org.users["manager"]), "todo-team")
    assert f"1 career interview to hold in {year}" not in links
    assert "1 interview record to agree" in links
    # The finance head manages nobody in sales: nothing of theirs appears.
    peer = _links(_home(client, org.users["peer_manager"]), "todo-team")
    assert not any("Printemps" in text or "plan" in text for text in peer)


def test_the_lead_sees_campaign_progress_plans_by_status_and_what_needs_attention(
    client, org, campaign, discussed
):
    html = _home(client, org.users["lead"])
    programme = html.split('id="todo-programme"', 1)[1].split("</section>", 1)[0]
    assert "Printemps IA" in programme and f"/assessments/campaigns/{campaign.pk}/" in programme
    assert "8 people without a current development plan" in programme  # 9 people, 1 plan
    assert "closes soon with fewer than half the self-assessments" in programme
    assert "/development/plans/?status=discussed" in programme


def test_the_works_council_and_the_executive_get_their_own_reports(client, org):
    cse = _home(client, org.users["cse"])
    assert "Report for the works council" in cse and "executive committee" not in cse
    assert 'id="todo-team"' not in cse and 'id="todo-programme"' not in cse
    executive = _home(client, org.users["executive"])
    assert "Report for the executive committee" in executive
    assert "Report for the works council" not in executive


def test_the_home_page_speaks_french(client, org, campaign):
    client.force_login(org.users["employee"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "À faire" in html and "Vous évaluer : Printemps IA" in html


def test_the_managers_plans_to_discuss_and_to_sign_speak_french(client, org, discussed):
    seller_b = org.people["seller_b"]
    generate_plans(people=Person.objects.filter(pk=seller_b.pk), by=None)  # proposed
    client.force_login(org.users["manager"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    links = _links(html, "todo-team")
    assert "1 plan à discuter en entretien professionnel" in links
    assert "1 plan à signer" in links


def test_sessions_on_the_home_page_next_to_enrol_in_and_attendance_to_record(client, org,
                                                                             agreed):  # fmt: skip
    from decimal import Decimal

    from tremplin.learning.models import TrainingSession
    from tremplin.learning.sessions import enrol

    modules = [i.module for i in agreed.items.order_by("position")[:2]]
    start = timezone.now() + datetime.timedelta(days=4)
    mine, other = (
        TrainingSession.objects.create(
            module=m,
            starts_at=start + datetime.timedelta(days=k),
            duration_hours=Decimal(2),
            capacity=5,
            language="fr",
            place="Lyon",
            trainer=org.people["accountant"],
        )
        for k, m in enumerate(modules)
    )
    enrol(mine, org.people["seller_a"])
    links = _links(_home(client, org.users["employee"]), "todo-mine")
    assert any(text.startswith("Training session: ") and href == f"/development/sessions/{mine.pk}/"
               for text, href in links.items())  # fmt: skip
    assert any(text.startswith("Enrol in a session of ") and href.endswith(f"/{other.pk}/")
               for text, href in links.items())  # fmt: skip
    # the next session full, a later one with seats: the to-do points to the later one
    later = TrainingSession.objects.create(
        module=other.module, starts_at=other.starts_at + datetime.timedelta(days=7),
        duration_hours=Decimal(2), capacity=5, language="fr", place="Lyon",
    )  # fmt: skip
    TrainingSession.objects.filter(pk=other.pk).update(capacity=1)
    enrol(other, org.people["accountant"])
    links = _links(_home(client, org.users["employee"]), "todo-mine")
    assert [href for text, href in links.items() if text.startswith("Enrol in a session of ")] == [
        f"/development/sessions/{later.pk}/"
    ]
    TrainingSession.objects.filter(pk=mine.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2)
    )
    links = _links(_home(client, org.users["ambassador"]), "todo-mine")  # the trainer
    assert any(text.startswith("Record the attendance: ") for text in links)
    for href in links.values():
        assert client.get(href).status_code == 200


def test_the_session_to_enrol_in_reads_well_in_french(client, org, agreed):
    from decimal import Decimal

    from tremplin.learning.models import TrainingSession

    module = agreed.items.order_by("position").first().module
    module.title_fr = "Évaluer la sensibilité des données"
    module.save(update_fields=["title_fr"])
    TrainingSession.objects.create(module=module, capacity=5, language="fr", place="Lyon",
                                   starts_at=timezone.now() + datetime.timedelta(days=4),
                                   duration_hours=Decimal(2))  # fmt: skip
    client.force_login(org.users["employee"])
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Inscrivez-vous à une session du module « Évaluer la sensibilité des données »" in html
    assert "de Évaluer" not in html
