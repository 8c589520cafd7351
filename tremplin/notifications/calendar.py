"""Calendar files (RFC 5545) for training sessions: an invitation to add to one's calendar, and
its cancellation, with the company's time zone described in the file."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from tremplin.learning.models import TrainingSession


def session_ics(session: TrainingSession, *, cancelled: bool = False) -> str:
    """One VEVENT in the session's local time (TZID and its VTIMEZONE); a cancellation has the
    same UID, a higher SEQUENCE and METHOD:CANCEL, so calendars remove the event."""
    calendar = Calendar()
    calendar.add("prodid", "-//Tremplin//Training sessions//FR")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
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
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical().decode()
