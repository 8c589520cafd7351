"""The communication calendar: who receives a planned communication, and its e-mails scheduled
at its date, withdrawn, or the communication marked done or cancelled."""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.notifications import outbox
from tremplin.notifications.models import Message
from tremplin.people.models import Person
from tremplin.rollout.models import Communication
from tremplin.rollout.queries import wave_of_people

Status = Communication.Status


class CommunicationError(Exception):
    """An action refused, with a message for the lead."""


def audience(communication: Communication) -> QuerySet[Person]:
    """The active people it is for: the wave's, the managers of the wave's people, or all."""
    everyone = Person.objects.filter(active=True)
    if communication.audience == Communication.Audience.COMPANY or communication.wave is None:
        return everyone
    members = [pk for pk, w in wave_of_people().items() if w == communication.wave_id]
    if communication.audience == Communication.Audience.MANAGERS:
        return everyone.filter(direct_reports__in=members).distinct()
    return everyone.filter(pk__in=members)


def about(communication: Communication) -> str:
    return f"communication:{communication.pk}"


def schedule_emails(communication: Communication) -> int:
    """Write its e-mails, each in its recipient's language, to go out at its date; returns how
    many. Only a planned e-mail communication, with a date to come and its message in both
    languages, is scheduled."""
    if communication.channel != Communication.Channel.EMAIL:
        raise CommunicationError(_("Only an e-mail communication is sent by Tremplin."))
    if communication.status != Status.PLANNED:
        raise CommunicationError(_("Only a planned communication can be scheduled."))
    if communication.at <= timezone.now():
        raise CommunicationError(_("Its date has passed: choose a date to come first."))
    if not (communication.body_fr.strip() and communication.body_en.strip()):
        raise CommunicationError(_("An e-mail needs its message in both languages."))

    def details() -> outbox.Details:
        return outbox.Details(
            subject={"title": communication.title}, link=reverse("home"),
            button=_("Open Tremplin"), context={"body": communication.body},
        )  # fmt: skip

    with transaction.atomic():
        written = outbox.notify(audience(communication), "communication", details,
                                due_at=communication.at, about=about(communication))  # fmt: skip
        communication.status = Status.SCHEDULED
        communication.save(update_fields=["status", "updated_at"])
    return len(written)


def withdraw(communication: Communication) -> None:
    """Back to planned: its e-mails not sent yet are not sent."""
    with transaction.atomic():
        _drop_unsent(communication, "withdrawn")
        communication.status = Status.PLANNED
        communication.save(update_fields=["status", "updated_at"])


def mark(communication: Communication, status: str) -> None:
    """Done (a meeting held, a page published) or cancelled (its unsent e-mails too)."""
    if status == Status.DONE and communication.status == Status.SCHEDULED:
        raise CommunicationError(_("Its e-mails go out at its date: withdraw them first."))
    with transaction.atomic():
        _drop_unsent(communication, "cancelled")
        communication.status = status
        communication.save(update_fields=["status", "updated_at"])


def _drop_unsent(communication: Communication, reason: str) -> None:
    Message.objects.filter(about=about(communication), sent_at=None, dropped="").update(
        dropped=reason
    )


def progress(communications: list[Communication]) -> dict[int, tuple[int, int]]:
    """(sent, written) e-mails of each communication that has some."""
    found: dict[int, tuple[int, int]] = {}
    keys = {about(c): c.pk for c in communications}
    for message in (
        Message.objects.filter(about__in=list(keys))
        .exclude(dropped__gt="")
        .values("about", "sent_at")
    ):
        sent, written = found.get(keys[message["about"]], (0, 0))
        found[keys[message["about"]]] = (sent + (message["sent_at"] is not None), written + 1)
    return found


def stale(message: Message) -> str:
    """Why an e-mail of the calendar no longer applies (empty when it does)."""
    pk = int(message.about.split(":")[1])
    communication = Communication.objects.filter(pk=pk).first()
    if communication is None or communication.status != Status.SCHEDULED:
        return "withdrawn"
    return ""
