"""A person's e-mails still waiting: one that no longer applies is not shown as to be sent."""

import datetime

import pytest
from django.utils import timezone

from tremplin.learning.models import Enrolment, Module, TrainingSession
from tremplin.learning.sessions import cancel, enrol
from tremplin.notifications.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_reminder_of_a_seat_given_up_no_longer_waits_to_be_sent(client, org, catalogue):
    me = org.people["seller_a"]
    me.email = "seller_a@example.org"
    me.save()
    session = TrainingSession.objects.create(
        module=Module.objects.first(), starts_at=timezone.now() + datetime.timedelta(days=10),
        duration_hours=3, capacity=8, language="fr", place="Lyon",
    )  # fmt: skip
    enrol(session, me)
    Message.objects.filter(kind="session_enrolled").update(sent_at=timezone.now())
    reminder = Message.objects.get(kind="session_reminder", person=me)
    cancel(Enrolment.objects.get(session=session, person=me))
    reminder.refresh_from_db()  # dropped as the seat is given up, before anyone looks
    assert reminder.dropped == "no longer enrolled" and reminder.sent_at is None
    client.force_login(org.users["employee"])
    page = client.get("/account/emails/").content.decode()
    reminder.refresh_from_db()
    assert reminder.dropped == "no longer enrolled" and reminder.sent_at is None
    assert "to be sent" not in page
