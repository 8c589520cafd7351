"""Calendar files (RFC 5545) for training sessions: an invitation to add to one's calendar, and
its cancellation, with the company's time zone described in the file."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from tremplin.assessments.models import CareerInterview
from tremplin.learning.models import Enrolment, EnrolmentStatus, TrainingSession
from tremplin.people.models import Person


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Tremplin//Training sessions//FR")
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def session_ics(session: TrainingSession, *, cancelled: bool = False,
                tentative: bool = False) -> str:  # fmt: skip
    """One VEVENT in the session's local time (TZID and its VTIMEZONE); a cancellation has the
    same UID, a higher SEQUENCE and METHOD:CANCEL, so calendars remove the event. Tentative for
    someone without a seat yet (invited, or on the waiting list): the seat confirms it."""
    calendar = _calendar("CANCEL" if cancelled else "REQUEST")
    event = _session_event(session, cancelled=cancelled)
    if tentative and not cancelled:
        event["status"] = "TENTATIVE"
    calendar.add_component(event)
    # the time zone's rules for the session's years only (its default, 1970 to 2038, made the
    # file ten times the e-mail it comes with)
    start = timezone.localtime(session.starts_at).date()
    calendar.add_missing_timezones(first_date=date(start.year - 1, 1, 1),
                                   last_date=date(start.year + 2, 1, 1))  # fmt: skip
    return calendar.to_ical().decode()


def _session_event(session: TrainingSession, *, cancelled: bool) -> Event:
    event = Event()
    link = settings.SITE_URL + reverse("learning:session", args=[session.pk])
    event.add("uid", f"session-{session.pk}@tremplin")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(session.starts_at))
    event.add("dtend", timezone.localtime(session.ends_at))
    event.add("summary", f"{session.module.code} – {session.module.title}")
    event.add("location", session.place or session.video_link)
    event.add("url", link)
    event.add("description", link)
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def person_feed(person: Person) -> str:
    """A person's calendar: the sessions they hold a seat in (or held one in, cancelled ones
    marked so) over the last 90 days and to come, and their career interviews (all-day)."""
    calendar = _calendar(None)
    calendar.add("x-wr-calname", "Tremplin")
    since = timezone.now() - timedelta(days=90)
    seats = (
        Enrolment.objects.filter(person=person, status=EnrolmentStatus.ENROLLED,
                                 session__starts_at__gte=since)
        .select_related("session__module")
    )  # fmt: skip
    last = since.year
    for seat in seats:
        session = seat.session
        calendar.add_component(_session_event(session, cancelled=session.cancelled_at is not None))
        last = max(last, timezone.localtime(session.starts_at).year)
    for interview in CareerInterview.objects.filter(person=person, held_on__gte=since.date()):
        event = Event()
        event.add("uid", f"interview-{interview.pk}@tremplin")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", interview.held_on)
        event.add("dtend", interview.held_on + timedelta(days=1))
        event.add("summary", str(_("Career interview")))
        calendar.add_component(event)
    calendar.add_missing_timezones(first_date=date(since.year - 1, 1, 1),
                                   last_date=date(last + 2, 1, 1))  # fmt: skip
    return calendar.to_ical().decode()
