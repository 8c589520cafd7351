"""Pages of the training sessions: the list, scheduling, a session with its enrolment, roster
and attendance."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.learning import access
from tremplin.learning import sessions as service
from tremplin.learning.forms import SessionForm
from tremplin.learning.models import (
    Absence,
    Attendance,
    Enrolment,
    EnrolmentStatus,
    PlanItem,
    TrainingSession,
)
from tremplin.people.models import Appetite, person_of


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Sessions to come (and, for the lead and trainers, the past month's): my own first."""
    me = person_of(request.user)
    now = timezone.now()
    shown = TrainingSession.objects.select_related("module", "trainer").annotate(
        taken=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED))
    )
    past = params.bounded_int(request.GET.get("past"), 0) == 1
    if past and (access.may_schedule(request.user) or me is not None):
        shown = shown.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
        if not access.may_schedule(request.user):
            # Through a subquery: a second join on the enrolments multiplied the trainer's
            # seat counts by the number of seats.
            seated = Enrolment.objects.filter(person=me).values("session_id")
            shown = shown.filter(Q(trainer=me) | Q(pk__in=seated))
    else:
        shown = shown.filter(starts_at__gte=now - datetime.timedelta(hours=12))
        shown = shown.order_by("starts_at", "pk")  # the count drops the model's ordering
    mine = {}
    planned: set[int] = set()
    if me is not None:
        mine = dict(
            Enrolment.objects.filter(person=me).exclude(status=EnrolmentStatus.CANCELLED)
            .values_list("session_id", "status")
        )  # fmt: skip
        planned = set(
            PlanItem.objects.to_follow().filter(plan__person=me).values_list("module_id", flat=True)
        )
    rows = [
        {"session": s, "mine": mine.get(s.pk), "in_plan": s.module_id in planned}
        for s in shown[:300]
    ]
    return render(
        request,
        "learning/sessions.html",
        {
            "rows": rows,
            "past": past,
            "may_schedule": access.may_schedule(request.user),
            "appetite_form": Appetite.choices if me is not None else None,
            "my_appetite": me.ai_appetite if me is not None else "",
            "days_away": Absence.objects.filter(person=me, last_day__gte=timezone.localdate())
            if me is not None
            else [],
        },
    )


@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    if not access.may_schedule(request.user):
        raise PermissionDenied
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = service.schedule(
                service.Schedule(
                    module=data["module"],
                    starts_at=data["starts_at"],
                    duration_hours=data["duration_hours"],
                    capacity=data["capacity"],
                    language=data["language"],
                    place=data["place"],
                    video_link=data["video_link"],
                    trainer=data["trainer_id"],
                    provider=data["provider"],
                ),
                by=request.user,
            )
        except service.SessionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The session is scheduled."))
            return redirect("learning:session", pk=session.pk)
    return render(request, "learning/session_form.html", {"form": form})


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("module", "trainer"), pk=pk)
    me = person_of(request.user)
    roster = access.may_take_attendance(request.user, me, session)
    enrolments = list(
        session.enrolments.exclude(status=EnrolmentStatus.CANCELLED).select_related("person")
    )
    mine = next((e for e in enrolments if me is not None and e.person_id == me.pk), None)
    seats = sum(e.status == EnrolmentStatus.ENROLLED for e in enrolments)
    waiting = [e for e in enrolments if e.status == EnrolmentStatus.WAITING]
    started = session.starts_at <= timezone.now()
    context: dict[str, object] = {
        "session": session,
        "mine": mine,
        "queue_position": waiting.index(mine) + 1 if mine in waiting else None,
        "seats": seats,
        "waiting_count": len(waiting),
        "started": started,
        "may_enrol": access.may_enrol(me) and not started and session.cancelled_at is None,
        "roster": roster,
        "may_schedule": access.may_schedule(request.user),
        "attendances": Attendance.choices,
    }
    if roster:
        enrolled_ids = {e.person_id for e in enrolments}
        context["seated"] = [e for e in enrolments if e.status == EnrolmentStatus.ENROLLED]
        context["waiting"] = waiting
        context["not_enrolled"] = service.invited(session.module).exclude(pk__in=enrolled_ids)[:200]
    return render(request, "learning/session.html", context)


@require_POST
@login_required
def session_action(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession, pk=pk)
    me = person_of(request.user)
    action = request.POST.get("action", "")
    try:
        if action == "enrol":
            if not access.may_enrol(me):
                raise PermissionDenied
            assert me is not None
            seat = service.enrol(session, me)
            if seat.status == EnrolmentStatus.ENROLLED:
                messages.success(request, _("You are enrolled."))
            else:
                messages.info(request, _("Every seat is taken: you are on the waiting list."))
        elif action == "cancel":
            mine = get_object_or_404(Enrolment, session=session, person=me)
            service.cancel(mine)
            messages.success(request, _("Your enrolment is cancelled."))
        elif action == "cancel_session":
            if not access.may_schedule(request.user):
                raise PermissionDenied
            service.cancel_session(session)
            messages.success(request, _("The session is cancelled."))
        elif action == "attendance":
            if not access.may_take_attendance(request.user, me, session):
                raise PermissionDenied
            marks = {
                int(key.removeprefix("attendance_")): request.POST.get(key, "")
                for key in request.POST
                if key.startswith("attendance_") and key.removeprefix("attendance_").isdigit()
                and request.POST.get(key)
            }  # fmt: skip
            done = service.record_attendance(session, marks, by=request.user, recorder=me)
            said = [_("Attendance recorded.")]
            if done.completed:
                said.append(ngettext("%(n)s plan module completed.",
                                     "%(n)s plan modules completed.", done.completed)
                            % {"n": done.completed})  # fmt: skip
            if done.reopened:
                said.append(ngettext(
                    "%(n)s plan module reopened: present corrected, its completion is withdrawn.",
                    "%(n)s plan modules reopened: present corrected, their completions are "
                    "withdrawn.", done.reopened) % {"n": done.reopened})  # fmt: skip
            messages.success(request, " ".join(said))
        else:
            messages.error(request, _("Unknown action."))
    except service.SessionError as error:
        messages.error(request, str(error))
    return redirect(reverse("learning:session", args=[session.pk]))
