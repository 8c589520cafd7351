"""Training sessions: scheduling, enrolment with a waiting list, cancellation, attendance.

Attendance marked present completes the module in the person's agreed plan, confirmed by
whoever recorded it (the trainer or the programme lead), as a completion recorded by the
manager is (`services.item_complete`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tremplin.learning.models import (
    Attendance,
    Enrolment,
    EnrolmentStatus,
    ItemStatus,
    Module,
    PlanItem,
    TrainingSession,
)
from tremplin.learning.services import item_complete, item_reopen
from tremplin.notifications import outbox
from tremplin.notifications.models import Message
from tremplin.people.models import Person

User = AbstractBaseUser | AnonymousUser
ACTIVE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


class SessionError(Exception):
    """A scheduling or enrolment refused, with a message for the person who tried."""


@dataclass
class Schedule:
    module: Module
    starts_at: datetime.datetime
    duration_hours: Decimal
    capacity: int
    language: str
    place: str = ""
    video_link: str = ""
    trainer: Person | None = None
    provider: str = ""


def schedule(plan: Schedule, *, by: User | None) -> TrainingSession:
    """A new session, refused in the past, without a place or link, without a trainer, in a
    language the module is not given in, or while its trainer runs another session."""
    if plan.starts_at <= timezone.now():
        raise SessionError(_("A session cannot start in the past."))
    if not (plan.place.strip() or plan.video_link.strip()):
        raise SessionError(_("Give a place or a video link."))
    if plan.trainer is None and not plan.provider.strip():
        raise SessionError(_("Name the trainer: someone of the company or an outside provider."))
    if plan.module.languages and plan.language not in plan.module.languages:
        raise SessionError(
            _("This module is given in %(languages)s only.")
            % {"languages": ", ".join(plan.module.languages)}
        )
    ends = plan.starts_at + datetime.timedelta(hours=float(plan.duration_hours))
    if plan.trainer is not None:
        clash = _clash(plan.trainer, plan.starts_at, ends)
        if clash is not None:
            raise SessionError(
                _(
                    "%(name)s already trains %(module)s from %(start)s: a trainer cannot be in "
                    "two sessions at once."
                )
                % {
                    "name": plan.trainer.full_name,
                    "module": clash.module.code,
                    "start": date_format(
                        timezone.localtime(clash.starts_at), "SHORT_DATETIME_FORMAT"
                    ),
                }
            )
    session = TrainingSession.objects.create(
        module=plan.module,
        starts_at=plan.starts_at.replace(second=0, microsecond=0),  # to the minute
        duration_hours=plan.duration_hours,
        capacity=plan.capacity,
        language=plan.language,
        place=plan.place.strip(),
        video_link=plan.video_link.strip(),
        trainer=plan.trainer,
        provider=plan.provider.strip(),
        created_by_id=by.pk if by is not None and by.is_authenticated else None,
    )
    outbox.queue(invited(session.module), "session_invitation", session)
    return session


def _clash(
    trainer: Person, starts: datetime.datetime, ends: datetime.datetime
) -> TrainingSession | None:
    """The trainer's other session overlapping [starts, ends), if any."""
    for other in TrainingSession.objects.filter(
        trainer=trainer,
        cancelled_at=None,
        starts_at__lt=ends,
        starts_at__gt=starts - datetime.timedelta(hours=80),
    ).select_related("module"):
        if other.ends_at > starts:
            return other
    return None


def invited(module: Module) -> QuerySet[Person]:
    """Active people whose agreed plan holds the module, not completed yet."""
    items = PlanItem.objects.to_follow().filter(module=module)
    return Person.objects.filter(active=True, plans__items__in=items).distinct()


def _lock(session: TrainingSession) -> TrainingSession:
    """The session, locked until the transaction ends: two clicks on the last seat are served
    one after the other (a row lock on PostgreSQL; SQLite's transactions take the write lock
    when they begin, settings.py)."""
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def seats_taken(session: TrainingSession) -> int:
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


def enrol(session: TrainingSession, person: Person) -> Enrolment:
    """A seat, or a place on the waiting list when every seat is taken. Enrolling again
    changes nothing; after a cancellation it takes the queue again from the end."""
    with transaction.atomic():
        session = _lock(session)
        if session.cancelled_at is not None:
            raise SessionError(_("This session is cancelled."))
        if session.starts_at <= timezone.now():
            raise SessionError(_("This session has started: enrolment is closed."))
        if not person.active:
            raise SessionError(_("%(name)s has left the company.") % {"name": person.full_name})
        mine = Enrolment.objects.filter(session=session, person=person).first()
        if mine is not None and mine.status in ACTIVE:
            return mine
        status = (
            EnrolmentStatus.ENROLLED
            if seats_taken(session) < session.capacity
            else EnrolmentStatus.WAITING
        )
        if mine is None:
            mine = Enrolment(session=session, person=person)
        mine.status, mine.since = status, timezone.now()
        mine.save()
        if status == EnrolmentStatus.ENROLLED:
            _seated(session, person, "session_enrolled")
        else:
            outbox.queue([person], "session_waiting", session)
        return mine


def _seated(session: TrainingSession, person: Person, kind: str) -> None:
    """Told of the seat (with the calendar file), and reminded two days before."""
    outbox.queue([person], kind, session)
    remind_at = session.starts_at - outbox.REMINDER_BEFORE
    if remind_at > timezone.now():
        outbox.queue([person], "session_reminder", session, due_at=remind_at)


def cancel(enrolment: Enrolment) -> Enrolment | None:
    """Give up a seat or a place in the queue; a freed seat goes to the first person waiting
    (returned, so that they can be told)."""
    with transaction.atomic():
        session = _lock(enrolment.session)
        enrolment = Enrolment.objects.get(pk=enrolment.pk)
        if enrolment.status == EnrolmentStatus.CANCELLED:
            return None
        if session.starts_at <= timezone.now():
            raise SessionError(_("This session has started: it can no longer be cancelled."))
        freed = enrolment.status == EnrolmentStatus.ENROLLED
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.save(update_fields=["status"])
        _drop_waiting(session, [enrolment.person_id])
        if not freed or session.cancelled_at is not None:
            return None
        first = (
            Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITING)
            .order_by("since", "pk")
            .first()
        )
        if first is not None:
            first.status = EnrolmentStatus.ENROLLED
            first.save(update_fields=["status"])
            _seated(session, first.person, "session_seat")
        return first


def cancel_session(session: TrainingSession) -> None:
    with transaction.atomic():
        session = _lock(session)
        if session.starts_at <= timezone.now():
            raise SessionError(_("This session has started: it can no longer be cancelled."))
        session.cancelled_at = timezone.now()
        session.save(update_fields=["cancelled_at"])
        told = Person.objects.filter(enrolments__session=session, enrolments__status__in=ACTIVE)
        _drop_waiting(session, list(told.values_list("pk", flat=True)))
        outbox.queue(told, "session_cancelled", session)


def _drop_waiting(session: TrainingSession, people: list[int]) -> None:
    """The session's e-mails still waiting for these people (a reminder, a seat given) that no
    longer apply, dropped now: the lead's outbox counted them as to be sent until their day."""
    waiting = Message.objects.filter(session_id=session.pk, person_id__in=people, sent_at=None,
                                     dropped="")  # fmt: skip
    outbox.drop_stale(list(waiting))


@dataclass(frozen=True)
class Recorded:
    """What an attendance recorded did to the plans: modules completed (present), and modules
    reopened (present corrected to absent or excused)."""

    completed: int
    reopened: int


def record_attendance(
    session: TrainingSession, marks: dict[int, str], *, by: User | None, recorder: Person | None
) -> Recorded:
    """Attendance per enrolled person ({person id: present, absent or excused}); recording it
    again corrects it. Present completes the module in the person's agreed plan, on the
    session's date, and receives the session's satisfaction survey; present corrected
    withdraws that completion."""
    if session.starts_at > timezone.now():
        raise SessionError(_("Attendance is recorded once the session has started."))
    if session.cancelled_at is not None:
        raise SessionError(_("This session is cancelled."))
    allowed = set(Attendance.values)
    completed = reopened = 0
    with transaction.atomic():
        seats = {
            e.person_id: e
            for e in Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        }
        for person_id, mark in marks.items():
            if mark not in allowed:
                raise SessionError(_("Attendance is present, absent or excused."))
            if person_id not in seats:
                raise SessionError(_("Only people holding a seat have an attendance."))
        now = timezone.now()
        was_present = {pk: seat.attendance == Attendance.PRESENT for pk, seat in seats.items()}
        for person_id, mark in marks.items():
            seat = seats[person_id]
            seat.attendance, seat.attendance_by, seat.attendance_at = mark, recorder, now
            seat.save(update_fields=["attendance", "attendance_by", "attendance_at"])
            if mark == Attendance.PRESENT:
                completed += _complete(session, seat.person_id, by=by, recorder=recorder)
            elif was_present[person_id]:
                reopened += _withdraw(session, seat.person_id, by=by)
        from tremplin.engagement.badges import award_soon  # badges build on sessions
        from tremplin.voice.services import after_attendance  # the survey builds on sessions

        after_attendance(session)
        award_soon(p for p, mark in marks.items() if mark == Attendance.PRESENT)
    return Recorded(completed, reopened)


def _withdraw(session: TrainingSession, person_id: int, *, by: User | None) -> int:
    """Present corrected to absent or excused: the completion this session recorded (the
    module completed on the session's date) is withdrawn."""
    on = min(timezone.localdate(), timezone.localtime(session.starts_at).date())
    item = PlanItem.objects.filter(
        plan__person_id=person_id, module=session.module, status=ItemStatus.DONE, completed_on=on
    ).first()
    if item is None:
        return 0
    item_reopen(item=item, by=by, reason=f"attendance {session.pk}")
    return 1


def _complete(session: TrainingSession, person_id: int, *, by: User | None,
              recorder: Person | None) -> int:  # fmt: skip
    item = (
        PlanItem.objects.to_follow()
        .filter(plan__person_id=person_id, module=session.module)
        .first()
    )
    if item is None:
        return 0
    on = min(timezone.localdate(), timezone.localtime(session.starts_at).date())
    item_complete(item=item, by=by, recorder=recorder, on=on)
    return 1
