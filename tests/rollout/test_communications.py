"""The communication calendar: planned communications per wave and audience, e-mails written in
each recipient's language and sent at their date through a real SMTP server, withdrawn or
cancelled before; the lead's bad input refused."""

import datetime
import email.header

import pytest
from django.utils import timezone

from tremplin.notifications.models import Message
from tremplin.notifications.outbox import send_due
from tremplin.rollout import communications as service
from tremplin.rollout.models import Communication, Wave

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def wave(org):
    """The sales team in a wave; both sellers have an address, one works in English."""
    for key, language in (("seller_a", "fr"), ("seller_b", "en"), ("team_lead", "fr")):
        person = org.people[key]
        person.email, person.preferred_language = f"{key}@example.org", language
        person.save()
    wave = Wave.objects.create(name="Wave 1")
    wave.people.set([org.people["seller_a"], org.people["seller_b"]])
    return wave


def _planned(wave, **changes) -> Communication:
    fields = {
        "wave": wave, "audience": Communication.Audience.WAVE,
        "kind": Communication.Kind.ANNOUNCEMENT, "channel": Communication.Channel.EMAIL,
        "title_fr": "La vague 1 démarre", "title_en": "Wave 1 starts",
        "body_fr": "Bonjour à toutes et à tous.", "body_en": "Hello everyone.",
        "at": timezone.now() + datetime.timedelta(days=3),
    }  # fmt: skip
    return Communication.objects.create(**{**fields, **changes})


def _subject(message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["Subject"])))


def test_the_emails_go_out_at_their_date_in_each_language(wave, smtp):
    communication = _planned(wave)
    assert service.schedule_emails(communication) == 2
    assert send_due()["sent"] == 0  # not yet
    assert smtp.received == []
    assert send_due(now=communication.at)["sent"] == 2
    subjects = sorted(_subject(m) for m in smtp.received)
    assert subjects == ["La vague 1 démarre", "Wave 1 starts"]
    english = next(m for m in smtp.received if _subject(m) == "Wave 1 starts")
    text = next(p for p in english.walk() if p.get_content_type() == "text/plain")
    assert "Hello everyone." in text.get_payload(decode=True).decode()
    assert service.progress([communication]) == {communication.pk: (2, 2)}


def test_withdrawn_emails_are_not_sent_and_can_be_scheduled_again(wave, smtp):
    communication = _planned(wave)
    service.schedule_emails(communication)
    service.withdraw(communication)
    assert send_due(now=communication.at)["sent"] == 0
    assert Message.objects.filter(dropped="withdrawn").count() == 2
    service.schedule_emails(communication)
    assert send_due(now=communication.at)["sent"] == 2


def test_scheduled_emails_are_not_marked_done_before_they_go(wave):
    communication = _planned(wave)
    service.schedule_emails(communication)
    with pytest.raises(service.CommunicationError, match="withdraw them first"):
        service.mark(communication, Communication.Status.DONE)
    assert Message.objects.filter(dropped="").count() == 2


def test_a_cancelled_communication_sends_nothing(wave, smtp):
    communication = _planned(wave)
    service.schedule_emails(communication)
    service.mark(communication, Communication.Status.CANCELLED)
    assert send_due(now=communication.at) == {"sent": 0, "failed": 0, "dropped": 0}
    assert smtp.received == []


def test_the_managers_of_a_wave_are_those_of_its_people(wave, org):
    communication = _planned(wave, audience=Communication.Audience.MANAGERS)
    assert list(service.audience(communication)) == [org.people["team_lead"]]


def test_a_past_date_or_another_channel_is_not_scheduled(wave):
    with pytest.raises(service.CommunicationError, match="date has passed"):
        service.schedule_emails(_planned(wave, at=timezone.now() - datetime.timedelta(hours=1)))
    with pytest.raises(service.CommunicationError, match="Only an e-mail"):
        service.schedule_emails(_planned(wave, channel=Communication.Channel.MEETING))
    assert not Message.objects.exists()


def _form(wave, **changes):
    at = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return {"at": at, "wave": wave.pk, "audience": "wave", "kind": "invitation",
            "channel": "email", "title_fr": "Invitation", "title_en": "Invitation",
            "body_fr": "Venez.", "body_en": "Come.", "owner_id": "HR", **changes}  # fmt: skip


def test_the_lead_plans_a_communication_and_its_bad_input_is_refused(client, org, wave):
    client.force_login(org.users["lead"])
    page = client.post("/rollout/communications/new/", _form(wave, body_en=""))
    assert "An e-mail needs its message in both languages." in page.content.decode()
    page = client.post("/rollout/communications/new/",
                       {**_form(wave), "wave": "", "owner_id": "NOBODY"})  # fmt: skip
    content = page.content.decode()
    assert "Choose the wave this audience belongs to." in content
    assert "No active person has the employee id NOBODY." in content
    assert not Communication.objects.exists()
    assert client.post("/rollout/communications/new/", _form(wave)).status_code == 302
    communication = Communication.objects.get()
    assert communication.owner == org.people["hr"]
    page = client.post(f"/rollout/communications/{communication.pk}/action/",
                       {"action": "schedule"}, follow=True)  # fmt: skip
    assert "2 e-mails will go out at its date." in page.content.decode()
    # Scheduled, it cannot be changed until its e-mails are withdrawn.
    client.post(f"/rollout/communications/{communication.pk}/", _form(wave, title_en="Changed"))
    communication.refresh_from_db()
    assert communication.title_en == "Invitation"


def test_who_reads_and_who_edits_the_calendar(client, org, wave):
    communication = _planned(wave)
    client.force_login(org.users["cse"])
    page = client.get("/rollout/communications/")
    assert page.status_code == 200 and "Wave 1 starts" in page.content.decode()
    assert client.get(f"/rollout/communications/{communication.pk}/").status_code == 403
    action = client.post(f"/rollout/communications/{communication.pk}/action/",
                         {"action": "schedule"})  # fmt: skip
    assert action.status_code == 403 and not Message.objects.exists()
    client.force_login(org.users["employee"])
    assert client.get("/rollout/communications/").status_code == 403
