"""The programme's e-mails, through a real SMTP server: a campaign's invitations at its opening
and reminders to those who have not answered, a plan to sign, an interview record to agree to,
a wave opening; each in its recipient's language, and not sent once no longer needed."""

import datetime
import email.header

import pytest
from django.utils import timezone

from tests.learning.conftest import agree_plan
from tremplin.assessments.models import Campaign, CareerInterview, Source
from tremplin.assessments.services import agree_interview
from tremplin.learning.models import Plan
from tremplin.learning.services import generate_plans, plan_discussed, plan_sign
from tremplin.notifications.models import Message
from tremplin.notifications.outbox import send_due
from tremplin.people.models import Person
from tremplin.rollout.gates import open_wave
from tremplin.rollout.models import Wave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def addresses(org):
    """Everyone has an address; the sellers' manager works in English."""
    for key, person in org.people.items():
        person.email = f"{key}@example.org"
        person.preferred_language = "en" if key == "team_lead" else "fr"
        person.save()
    return org.people


def _subjects(smtp) -> dict[str, str]:
    """Recipient -> subject of what the server received."""
    return {m["To"]: str(email.header.make_header(email.header.decode_header(m["Subject"])))
            for m in smtp.received}  # fmt: skip


def test_a_campaign_invites_its_people_and_their_managers_when_it_opens(client, org, addresses,
                                                                         smtp):  # fmt: skip
    client.force_login(org.users["lead"])
    opens = timezone.localdate() + datetime.timedelta(days=3)
    closes = opens + datetime.timedelta(days=20)
    client.post("/assessments/campaigns/new/", {
        "name": "Hiver", "self_assessment": "on", "manager_assessment": "on",
        "opens_on": opens.isoformat(), "closes_on": closes.isoformat(),
        "employee_ids": "SELLER_A SELLER_B",
    })  # fmt: skip
    assert send_due()["sent"] == 0  # it opens in three days
    at_opening = Message.objects.order_by("due_at").first().due_at
    assert timezone.localtime(at_opening).hour == 8 and timezone.localdate(at_opening) == opens
    assert send_due(now=at_opening)["sent"] == 3
    subjects = _subjects(smtp)
    assert subjects["seller_a@example.org"].startswith("Campagne d’évaluation Hiver")
    assert subjects["team_lead@example.org"].startswith("Assessment campaign Hiver: your team")
    text = next(m for m in smtp.received if m["To"] == "team_lead@example.org")
    body = next(p for p in text.walk() if p.get_content_type() == "text/plain")
    assert "2 people of your team" in body.get_payload(decode=True).decode()


def test_a_withdrawn_campaign_sends_no_invitation(client, org, addresses, smtp):
    client.force_login(org.users["lead"])
    opens = timezone.localdate() + datetime.timedelta(days=3)
    client.post("/assessments/campaigns/new/", {
        "name": "Hiver", "self_assessment": "on", "opens_on": opens.isoformat(),
        "closes_on": (opens + datetime.timedelta(days=20)).isoformat(), "employee_ids": "SELLER_A",
    })  # fmt: skip
    Campaign.objects.all().delete()
    due = timezone.now() + datetime.timedelta(days=4)
    assert send_due(now=due) == {"sent": 0, "failed": 0, "dropped": 1}
    assert smtp.received == []


def test_reminders_go_to_those_who_have_to_act(client, org, addresses, smtp):
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="Printemps", opens_on=today,
                                       closes_on=today + datetime.timedelta(days=9))  # fmt: skip
    campaign.people.set([org.people["seller_a"], org.people["seller_b"]])
    client.force_login(org.users["lead"])
    client.post(f"/assessments/campaigns/{campaign.pk}/remind/", {"source": Source.SELF})
    client.post(f"/assessments/campaigns/{campaign.pk}/remind/", {"source": Source.MANAGER})
    send_due()
    subjects = _subjects(smtp)
    assert set(subjects) == {
        "seller_a@example.org",
        "seller_b@example.org",
        "team_lead@example.org",
    }
    assert subjects["seller_b@example.org"].startswith("Rappel : la campagne Printemps")
    assert subjects["team_lead@example.org"].startswith("Reminder: ratings of campaign Printemps")


def test_a_discussed_plan_asks_both_signatures_and_no_longer_once_signed(
    org, addresses, catalogue, smtp
):
    seller = org.people["seller_a"]
    generate_plans(people=Person.objects.filter(pk=seller.pk), by=None)
    plan = Plan.objects.get(person=seller)
    plan_discussed(plan=plan, by=None, version=plan.version)
    to = {m.to for m in Message.objects.filter(kind="plan_to_sign")}
    assert to == {"seller_a@example.org", "team_lead@example.org"}
    plan.refresh_from_db()
    for signer in (seller, org.people["team_lead"]):
        plan = plan_sign(plan=plan, by=None, signer=signer, version=plan.version)
    assert send_due() == {"sent": 0, "failed": 0, "dropped": 2}  # signed before they went


def test_a_plan_to_sign_reads_well_in_french_whatever_the_name_starts_with(
    client, org, addresses, catalogue
):
    seller = org.people["seller_a"]
    Person.objects.filter(pk=seller.pk).update(first_name="Adrien", last_name="Vernet")
    generate_plans(people=Person.objects.filter(pk=seller.pk), by=None)
    plan = Plan.objects.get(person=seller)
    plan_discussed(plan=plan, by=None, version=plan.version)
    message = Message.objects.get(kind="plan_to_sign", to="seller_a@example.org")
    assert message.subject == "Plan de développement : Adrien Vernet — à signer"
    client.force_login(org.users["employee"])
    page = client.get("/account/emails/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Plan de développement : Adrien Vernet — à signer" in page
    assert "de Adrien" not in page


def test_the_other_party_is_asked_to_agree_to_the_interview_record(org, addresses, smtp):
    interview = CareerInterview.objects.create(person=org.people["seller_a"],
                                               manager=org.people["team_lead"],
                                               held_on=timezone.localdate())  # fmt: skip
    agree_interview(interview=interview, by=org.people["team_lead"])
    message = Message.objects.get(kind="interview_to_agree")
    assert message.to == "seller_a@example.org"
    assert "Entretien professionnel : Seller_A Test — votre accord est attendu" in message.subject
    agree_interview(interview=interview, by=org.people["seller_a"])
    assert Message.objects.filter(kind="interview_to_agree").count() == 1  # nobody else to ask
    assert send_due()["dropped"] == 1  # agreed meanwhile


def test_a_wave_opening_is_announced_to_its_people(org, addresses, smtp):
    wave = Wave.objects.create(name="Vague 1")
    wave.people.set([org.people["seller_a"], org.people["accountant"]])
    open_wave(wave, org.users["lead"])
    send_due()
    assert set(_subjects(smtp)) == {"seller_a@example.org", "accountant@example.org"}


def test_the_seller_with_an_agreed_plan_gets_no_plan_email_twice(org, addresses, catalogue):
    agree_plan(org.people["seller_a"], org.people["team_lead"])
    assert Message.objects.filter(kind="plan_to_sign").count() == 2


def test_an_invalid_address_is_not_tried_and_the_lead_sees_it(client, org, addresses, smtp):
    seller = org.people["seller_a"]
    Person.objects.filter(pk=seller.pk).update(email="seller_a@@example")  # as an import left it
    wave = Wave.objects.create(name="Vague 1")
    wave.people.set([seller, org.people["seller_b"]])
    open_wave(wave, org.users["lead"])
    assert send_due() == {"sent": 1, "failed": 0, "dropped": 0}
    assert Message.objects.get(to="seller_a@@example").dropped == "invalid address"
    client.force_login(org.users["lead"])
    page = client.get("/account/emails/outbox/").content.decode()
    assert "seller_a@@example" in page and "the address is not valid" in page
    client.force_login(org.users["manager"])
    assert client.get("/account/emails/outbox/").status_code == 403


def test_messages_that_failed_every_attempt_are_tried_again_on_request(client, org, addresses,
                                                                       smtp):  # fmt: skip
    from tremplin.notifications.outbox import MAX_ATTEMPTS

    wave = Wave.objects.create(name="Vague 1")
    wave.people.set([org.people["seller_b"]])
    smtp.refuse = True
    open_wave(wave, org.users["lead"])
    for day in range(MAX_ATTEMPTS):  # each retry due later than the one before
        send_due(now=timezone.now() + datetime.timedelta(days=day))
    message = Message.objects.get()
    assert message.attempts == MAX_ATTEMPTS and message.sent_at is None and "550" in message.error
    client.force_login(org.users["lead"])
    page = client.get("/account/emails/outbox/").content.decode()
    assert "1 e-mail failed every attempt." in page
    smtp.refuse = False
    client.post("/account/emails/outbox/")
    assert send_due()["sent"] == 1
    assert len(smtp.received) == 1


@pytest.mark.parametrize("subject", [
    "Session de formation : Découvrir l’IA générative en 90 minutes le 12 décembre 2026 à 14:00",
    "plain", "é" * 100, "日本語のテキスト" * 5,
])  # fmt: skip
def test_subjects_are_encoded_as_words_that_decode_back(subject):
    from tremplin.notifications.mime import encoded_words

    words = encoded_words(subject)
    assert words.isascii() and all(len(word) <= 75 for word in words.split("\r\n "))
    assert str(email.header.make_header(email.header.decode_header(words))) == subject


def test_each_e_mail_declares_its_recipient_s_language(org, addresses, catalogue):
    """The HTML part said lang="fr" to every reader (the page's language, absent outside a
    request): screen readers read English e-mails with a French voice."""
    generate_plans(people=Person.objects.filter(pk=org.people["seller_a"].pk), by=None)
    plan = Plan.objects.get(person=org.people["seller_a"])
    plan_discussed(plan=plan, by=None, version=plan.version)
    french = Message.objects.get(kind="plan_to_sign", to="seller_a@example.org")
    english = Message.objects.get(kind="plan_to_sign", to="team_lead@example.org")
    assert '<html lang="fr">' in french.html and '<html lang="en">' in english.html
