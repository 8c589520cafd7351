"""E-mails through a real SMTP server started by the test (aiosmtpd on loopback): session
e-mails in each recipient's language with a valid calendar file, a reminder dropped when the
seat was given up, and a server that refuses or is down: the message is kept, retried, sent."""

import datetime
import email
from decimal import Decimal
from email.message import Message as EmailMessage

import pytest
from django.core.management import call_command
from django.utils import timezone
from icalendar import Calendar

from tests.learning.conftest import agree_plan
from tremplin.learning.models import Module
from tremplin.learning.sessions import Schedule, cancel, cancel_session, enrol, schedule
from tremplin.notifications.models import Message, Preference
from tremplin.notifications.outbox import send_due


@pytest.fixture
def people(org):
    for key, language in (("seller_a", "fr"), ("seller_b", "en"), ("accountant", "en")):
        person = org.people[key]
        person.email, person.preferred_language = f"{key}@example.org", language
        person.save()
    return org.people


def _session(capacity: int = 1, days: int = 10):
    return schedule(
        Schedule(module=Module.objects.order_by("code").first(), capacity=capacity,
                 starts_at=timezone.now() + datetime.timedelta(days=days),
                 duration_hours=Decimal(3), language="fr", place="Salle 2, Lyon",
                 provider="Partner"),
        by=None,
    )  # fmt: skip


def _parts(message: EmailMessage) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if not part.is_multipart():
            found[part.get_content_type()] = part.get_payload(decode=True).decode()
    return found


@pytest.mark.django_db(transaction=True)
def test_session_emails_in_each_language_with_a_calendar_file(smtp, people, catalogue):
    session = _session(capacity=1)
    enrol(session, people["seller_a"])  # the seat, in French
    enrol(session, people["seller_b"])  # the waiting list, in English
    to = {m["To"]: m for m in smtp.received}
    assert set(to) == {"seller_a@example.org", "seller_b@example.org"}
    french, english = to["seller_a@example.org"], to["seller_b@example.org"]
    assert "Vous êtes inscrit" in str(email.header.make_header(
        email.header.decode_header(french["Subject"])))  # fmt: skip
    assert "Waiting list" in english["Subject"]
    parts = _parts(french)
    assert {"text/plain", "text/html", "text/calendar"} <= set(parts)
    assert "Bonjour Seller_A" in parts["text/plain"] and "&#x27;" not in parts["text/plain"]
    calendar = Calendar.from_ical(parts["text/calendar"])
    event = calendar.walk("VEVENT")[0]
    assert str(calendar["METHOD"]) == "REQUEST" and calendar.walk("VTIMEZONE")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == timezone.localtime(session.starts_at)
    waiting = Calendar.from_ical(_parts(english)["text/calendar"])  # no seat: tentative
    assert str(waiting.walk("VEVENT")[0]["STATUS"]) == "TENTATIVE"
    assert str(event["STATUS"]) == "CONFIRMED"
    # The seat given up goes to the one waiting, told in English with the calendar file.
    cancel(session.enrolments.get(person=people["seller_a"]))
    seat = smtp.received[-1]
    assert seat["To"] == "seller_b@example.org" and "A seat is yours" in seat["Subject"]
    assert "text/calendar" in _parts(seat)
    cancel_session(session)
    gone = smtp.received[-1]
    assert "Cancelled" in gone["Subject"]
    assert str(Calendar.from_ical(_parts(gone)["text/calendar"])["METHOD"]) == "CANCEL"
    assert not Message.objects.filter(sent_at=None, due_at__lte=timezone.now()).exists()


@pytest.mark.django_db(transaction=True)
def test_reminders_two_days_before_are_dropped_for_a_seat_given_up(smtp, people, catalogue):
    session = _session(capacity=5)
    for key in ("seller_a", "seller_b"):
        enrol(session, people[key])
    reminders = Message.objects.filter(kind="session_reminder")
    assert reminders.count() == 2
    assert {m.due_at for m in reminders} == {session.starts_at - datetime.timedelta(days=2)}
    cancel(session.enrolments.get(person=people["seller_b"]))
    # dropped as the seat is given up (not when due: the outbox counted it as waiting)
    assert Message.objects.get(kind="session_reminder", person=people["seller_b"]).dropped
    before = len(smtp.received)
    counts = send_due(now=session.starts_at - datetime.timedelta(days=1))
    assert counts == {"sent": 1, "failed": 0, "dropped": 0}
    assert smtp.received[before]["To"] == "seller_a@example.org"


@pytest.mark.django_db(transaction=True)
def test_a_refusing_or_absent_server_loses_nothing_and_the_message_goes_later(
    smtp, people, catalogue
):
    Preference.objects.create(person=people["seller_b"], essential_only=True)
    session = _session(capacity=5)
    smtp.refuse = True
    enrol(session, people["seller_a"])
    message = Message.objects.get(kind="session_enrolled")
    assert message.sent_at is None and message.attempts == 1 and "550" in message.error
    assert message.due_at > timezone.now()  # tried again in 5 minutes
    smtp.stop()  # now the server is down
    counts = send_due(now=message.due_at)
    message.refresh_from_db()
    assert counts["failed"] == 1 and message.attempts == 2 and message.sent_at is None
    assert "Connection" in message.error or "refused" in message.error
    smtp.start()
    smtp.refuse = False
    call_command("send_due")
    assert message.due_at > timezone.now()  # not due yet: not sent by the command
    assert send_due(now=message.due_at)["sent"] == 1
    assert smtp.received[-1]["To"] == "seller_a@example.org"
    # Seller B turned the optional e-mails off: no reminder written, the enrolment still told.
    enrol(session, people["seller_b"])
    kinds = set(Message.objects.filter(person=people["seller_b"]).values_list("kind", flat=True))
    assert kinds == {"session_enrolled"}


@pytest.mark.django_db(transaction=True)
def test_scheduling_invites_the_people_whose_plan_holds_the_module(smtp, people, catalogue):
    plan = agree_plan(people["seller_a"], people["sales_director"])
    module = plan.items.order_by("position").first().module
    schedule(Schedule(module=module, capacity=8, language="fr", place="Lyon", provider="P",
                      starts_at=timezone.now() + datetime.timedelta(days=20),
                      duration_hours=Decimal(2)), by=None)  # fmt: skip
    invitation = smtp.received[-1]
    assert invitation["To"] == "seller_a@example.org"
    entry = Calendar.from_ical(_parts(invitation)["text/calendar"]).walk("VEVENT")[0]
    assert str(entry["STATUS"]) == "TENTATIVE"
    assert "Session de formation" in str(email.header.make_header(
        email.header.decode_header(invitation["Subject"])))  # fmt: skip


@pytest.mark.django_db
def test_a_person_turns_the_optional_emails_off_on_their_page(client, people):
    client.force_login(people["seller_a"].user)
    page = client.get("/account/emails/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "seller_a@example.org" in page
    client.post("/account/emails/", {"essential_only": "on"})
    assert Preference.objects.get(person=people["seller_a"]).essential_only
    client.post("/account/emails/", {})
    assert not Preference.objects.get(person=people["seller_a"]).essential_only


@pytest.mark.django_db
def test_a_secret_calendar_address_lists_my_sessions_until_revoked(client, people, catalogue):
    seller = people["seller_a"]
    session = _session(capacity=3)
    enrol(session, seller)
    elsewhere = _session(capacity=3, days=12)
    enrol(elsewhere, people["seller_b"])  # not mine
    client.force_login(seller.user)
    client.post("/account/emails/", {"feed": "new"})
    page = client.get("/account/emails/").content.decode()
    address = page.split('readonly value="')[1].split('"')[0]
    client.logout()  # calendar applications do not sign in
    answer = client.get(address.removeprefix("http://testserver"))
    assert answer["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(answer.content)
    uids = {str(e["UID"]) for e in calendar.walk("VEVENT")}
    assert uids == {f"session-{session.pk}@tremplin"}
    cancel_session(session)
    event = Calendar.from_ical(client.get(address.removeprefix("http://testserver")).content)
    assert str(event.walk("VEVENT")[0]["STATUS"]) == "CANCELLED"
    client.force_login(seller.user)
    client.post("/account/emails/", {"feed": "new"})  # a new address revokes the old one
    client.logout()
    assert client.get(address.removeprefix("http://testserver")).status_code == 404
    assert client.get("/calendar/guess.ics").status_code == 404


@pytest.mark.django_db
def test_the_calendar_file_describes_the_time_zone_in_the_session_s_own_year(catalogue):
    from tremplin.notifications.calendar import session_ics

    summer = datetime.datetime(2041, 7, 2, 9, 0, tzinfo=timezone.get_current_timezone())
    session = _session(days=(summer - timezone.now()).days)
    session.starts_at = summer  # beyond 2038, where the library's default rules stop
    calendar = Calendar.from_ical(session_ics(session))
    zone = calendar.walk("VTIMEZONE")[0].to_tz()
    assert zone.utcoffset(summer.replace(tzinfo=None)) == datetime.timedelta(hours=2)
    assert len(session_ics(session)) < 1500  # its years only, not 1970 to 2038
