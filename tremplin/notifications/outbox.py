"""Writing e-mails to the outbox in their recipient's language, and sending what is due.

Each kind of message has a subject here and a body template `notifications/<kind>.txt` (the HTML
part is the same text in `notifications/email.html`). The essential ones (what a person must
know about their own enrolment) go out whatever the person chose; the others can be turned off.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_tasks import default_task_backend, task

from tremplin.dates import written
from tremplin.learning.models import Enrolment, EnrolmentStatus, TrainingSession
from tremplin.notifications import mime
from tremplin.notifications.calendar import session_ics
from tremplin.notifications.models import Message, Preference
from tremplin.people.models import Person

log = logging.getLogger(__name__)
SUBJECTS = {
    "session_invitation": _("Training session: %(module)s on %(date)s"),
    "session_enrolled": _("You are enrolled: %(module)s on %(date)s"),
    "session_waiting": _("Waiting list: %(module)s on %(date)s"),
    "session_seat": _("A seat is yours: %(module)s on %(date)s"),
    "session_cancelled": _("Cancelled: %(module)s on %(date)s"),
    "session_reminder": _("In two days: %(module)s on %(date)s"),
    "communication": "%(title)s",
    "campaign_invitation": _("Assessment campaign %(campaign)s: your turn until %(date)s"),
    "campaign_rate": _("Assessment campaign %(campaign)s: your team to rate until %(date)s"),
    "campaign_reminder": _("Reminder: campaign %(campaign)s closes on %(date)s"),
    "campaign_rate_reminder": _("Reminder: ratings of campaign %(campaign)s due by %(date)s"),
    "plan_to_sign": _("Development plan of %(name)s: to sign"),
    "interview_to_agree": _("Career interview of %(name)s: your agreement is awaited"),
    "wave_opened": _("%(wave)s is open: your AI programme starts"),
    "survey_invitation": _("Survey: %(survey)s, open until %(date)s"),
    "survey_reminder": _("Reminder: the survey %(survey)s closes on %(date)s"),
    "charter_to_acknowledge": _("AI usage charter, version %(version)s: to read and acknowledge"),
    "charter_reminder": _("Reminder: the AI usage charter, version %(version)s, awaits you"),
}
ESSENTIAL = {"session_enrolled", "session_waiting", "session_seat", "session_cancelled"}
WITH_CALENDAR = {"session_enrolled", "session_seat", "session_cancelled", "session_reminder",
                 "session_invitation", "session_waiting"}  # fmt: skip
WITHOUT_SEAT = {"session_invitation", "session_waiting"}  # their calendar entry is tentative
MAX_ATTEMPTS = 6  # then the message stays in the outbox with its error, for the lead to see
REMINDER_BEFORE = datetime.timedelta(days=2)
BATCH = 100  # messages locked and sent together
SENDERS = 8  # SMTP connections at once


@dataclass
class Details:
    """What a message says, in the language active when it is made: the values of its
    subject, the page it links to (and its button), what its template reads, a calendar file."""

    subject: dict[str, str]
    link: str
    button: str
    context: dict[str, object] = field(default_factory=dict)
    ics: str = ""


def queue(people: Iterable[Person], kind: str, session: TrainingSession,
          due_at: datetime.datetime | None = None) -> list[Message]:  # fmt: skip
    """The messages written for `people` about `session` (see `notify`); the calendar file is
    made once per language."""
    files: dict[str, str] = {}

    def calendar_file() -> str:
        language = translation.get_language() or ""
        if language not in files:
            files[language] = session_ics(session, cancelled=kind == "session_cancelled",
                                          tentative=kind in WITHOUT_SEAT)  # fmt: skip
        return files[language]

    def details() -> Details:
        when = written(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        return Details(
            subject={"module": session.module.title, "date": when},
            link=reverse("learning:session", args=[session.pk]),
            button=gettext("Open the session"),
            context={
                "session": session,
                "when": when,
                "where": session.place or session.video_link,
            },
            ics=calendar_file() if kind in WITH_CALENDAR else "",
        )

    return notify(people, kind, details, due_at=due_at, session_id=session.pk)


def notify(people: Iterable[Person], kind: str, details: Callable[[], Details], *,
           due_at: datetime.datetime | None = None, session_id: int | None = None,
           about: str = "") -> list[Message]:  # fmt: skip
    """The messages written for `people`, one each in their language (`details` is asked in
    it), but for those without an address or who turned this kind off. `about` names what the
    message is about ("campaign:12"), read again when it is sent (`_stale`). Sent once the
    transaction commits (or when due): the worker is woken once for them all."""
    people = [p for p in people if p.email]
    if kind not in ESSENTIAL:
        quiet = set(
            Preference.objects.filter(person__in=people, essential_only=True).values_list(
                "person_id", flat=True
            )
        )
        people = [p for p in people if p.pk not in quiet]
    due = due_at or timezone.now()
    messages = [_written(person, kind, details, due) for person in people]
    for message in messages:
        message.session_id, message.about = session_id, about
        if not _valid(message.to):  # kept, for the lead to see and correct the address
            message.dropped = "invalid address"
    Message.objects.bulk_create(messages)
    if messages:
        transaction.on_commit(lambda: _wake(due))
    return messages


def _written(person: Person, kind: str, details: Callable[[], Details],
             due: datetime.datetime) -> Message:  # fmt: skip
    language = person.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        said = details()
        subject = str(SUBJECTS[kind]) % said.subject
        link = settings.SITE_URL + said.link
        context = {**said.context, "person": person, "link": link}
        text = render_to_string(f"notifications/{kind}.txt", context).strip() + "\n"
        html = render_to_string("notifications/email.html",
                                {**context, "subject": subject, "body": text,
                                 "button": said.button, "language": language})  # fmt: skip
    return Message(person=person, kind=kind, to=person.email, subject=subject[:250], text=text,
                   html=html, ics=said.ics, due_at=due)  # fmt: skip


def _valid(address: str) -> bool:
    try:
        validate_email(address)
    except ValidationError:
        return False
    return True


def retry_failed() -> int:
    """Give the messages that failed every attempt a new round of attempts, from now."""
    return Message.objects.filter(sent_at=None, dropped="", attempts__gte=MAX_ATTEMPTS).update(
        attempts=0, due_at=timezone.now(), error=""
    )


def _wake(due: datetime.datetime) -> None:
    """Ask the worker to send at `due` (the immediate backend of the tests sends what is due
    now; later ones wait for `send_due`)."""
    if due <= timezone.now():
        send_due_task.enqueue()
    elif default_task_backend.supports_defer:
        send_due_task.using(run_after=due).enqueue()


@task()
def send_due_task() -> dict[str, int]:
    return send_due()


def send_due(now: datetime.datetime | None = None) -> dict[str, int]:
    """Send the messages due by `now` (at most 1,000 a call): {"sent": n, "failed": n,
    "dropped": n}. A failure keeps the message with its error and tries again later (5 minutes,
    doubling each time). Messages are taken a batch at a time, locked so that two senders never
    take the same, and sent over a few SMTP connections at once (each waits on the server)."""
    now = now or timezone.now()
    counts = {"sent": 0, "failed": 0, "dropped": 0}
    due = Message.objects.filter(
        sent_at=None, dropped="", due_at__lte=now, attempts__lt=MAX_ATTEMPTS
    ).order_by("due_at", "pk")
    with _Senders() as senders:
        for _batch in range(10):
            with transaction.atomic():
                batch = list(due.select_for_update(skip_locked=True)[:BATCH])
                for outcome, n in _send_batch(batch, senders, now).items():
                    counts[outcome] += n
            if len(batch) < BATCH:
                break
    return counts


def _send_batch(batch: list[Message], senders: _Senders, now: datetime.datetime) -> Counter[str]:
    """Send a batch and write down what became of each message."""
    for message in batch:
        message.dropped = _stale(message)
    dropped = [m for m in batch if m.dropped]
    for reason in {m.dropped for m in dropped}:
        Message.objects.filter(pk__in=[m.pk for m in dropped if m.dropped == reason]).update(
            dropped=reason
        )
    errors = senders.deliver([m for m in batch if not m.dropped])
    sent = [pk for pk, error in errors.items() if error is None]
    Message.objects.filter(pk__in=sent).update(
        sent_at=timezone.now(), attempts=F("attempts") + 1, error=""
    )
    for message in batch:
        error = errors.get(message.pk)
        if error is None:
            continue
        message.attempts += 1
        message.error = f"{type(error).__name__}: {error}"[:2000]
        message.due_at = now + datetime.timedelta(minutes=5 * 2 ** (message.attempts - 1))
        message.save(update_fields=["attempts", "error", "due_at"])
        log.warning("e-mail %s to %s not sent: %s", message.pk, message.to, error)
    return Counter(sent=len(sent), dropped=len(dropped), failed=len(errors) - len(sent))


class _Senders:
    """A few threads, each with its own SMTP connection, opened at its first message and again
    after a failure."""

    def __init__(self) -> None:
        self.pool = ThreadPoolExecutor(SENDERS)
        self.local = threading.local()
        self.connections: list[BaseEmailBackend] = []
        self.lock = threading.Lock()

    def __enter__(self) -> _Senders:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.pool.shutdown()
        for connection in self.connections:
            connection.close()

    def deliver(self, messages: list[Message]) -> dict[int, Exception | None]:
        """Each message's error, or None when the server accepted it."""
        return dict(zip([m.pk for m in messages], self.pool.map(self._one, messages),
                        strict=True))  # fmt: skip

    def _one(self, message: Message) -> Exception | None:
        connection = getattr(self.local, "connection", None)
        if connection is None:
            connection = self.local.connection = get_connection()
            with self.lock:
                self.connections.append(connection)
        try:
            _deliver(message, connection)
        except Exception as error:  # SMTP refused, down, timed out: kept, retried
            connection.close()
            return error
        return None


def _stale(message: Message) -> str:
    """Why a message no longer applies: a reminder for a seat given up or a cancelled session,
    or what it is about settled meanwhile (`events.stale`)."""
    if message.about:
        from tremplin.notifications.events import stale  # the events write through the outbox

        return stale(message)
    if message.kind != "session_reminder" or message.session_id is None:
        return ""
    session = TrainingSession.objects.filter(pk=message.session_id).first()
    if session is None or session.cancelled_at is not None:
        return "session cancelled"
    seated = Enrolment.objects.filter(
        session=session, person_id=message.person_id, status=EnrolmentStatus.ENROLLED
    ).exists()
    return "" if seated else "no longer enrolled"


def drop_stale(messages: Iterable[Message]) -> int:
    """Drop now, rather than when due, the waiting messages that no longer apply (a reminder
    for a seat given up, for a survey closed): nobody reads them as still to be sent. Returns
    how many were dropped; a message being sent meanwhile is left to its sender."""
    dropped = 0
    with transaction.atomic():
        waiting = Message.objects.select_for_update(skip_locked=True).filter(
            pk__in=[m.pk for m in messages], sent_at=None, dropped=""
        )
        for message in waiting:
            reason = _stale(message)
            if reason:
                Message.objects.filter(pk=message.pk).update(dropped=reason)
                dropped += 1
    return dropped


def _deliver(message: Message, connection: BaseEmailBackend) -> None:
    """Over SMTP, the message's bytes written by `mime`; through the other backends (the
    demo's console), the same message built by Django."""
    connection.open()  # no-op when open; raises when the server cannot be reached
    method = "CANCEL" if message.kind == "session_cancelled" else "REQUEST"
    if isinstance(connection, SMTPBackend) and connection.connection is not None:
        sender = settings.DEFAULT_FROM_EMAIL
        raw = mime.message_bytes(sender=sender, to=message.to, subject=message.subject,
                                 text=message.text, html=message.html, ics=message.ics,
                                 method=method)  # fmt: skip
        connection.connection.sendmail(sanitize_address(sender, "utf-8"),
                                       [sanitize_address(message.to, "utf-8")], raw)  # fmt: skip
        return
    email = EmailMultiAlternatives(message.subject, message.text, settings.DEFAULT_FROM_EMAIL,
                                   [message.to], connection=connection)  # fmt: skip
    email.attach_alternative(message.html, "text/html")
    if message.ics:
        email.attach("session.ics", message.ics, f"text/calendar; method={method}")
    email.send(fail_silently=False)
