"""A session's signed attendance sheet (feuille d'émargement: one signature per person and per
half-day, and the trainer's, as training funders and quality audits ask) and the certificate of
attendance of each person present, as PDF in the reader's language."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tremplin.alphabetical import by_name
from tremplin.downloads import file_name
from tremplin.learning import access
from tremplin.learning.models import Attendance, Enrolment, EnrolmentStatus, TrainingSession
from tremplin.pdf import pdf_response
from tremplin.people.models import Company, person_of

HALF_DAY_HOURS = 4  # a session longer than this is signed morning and afternoon


def _pdf(request: HttpRequest, template: str, context: dict[str, object], name: str
         ) -> HttpResponse:  # fmt: skip
    company = Company.objects.first()
    return pdf_response(request, template, {**context, "company": company.name if company else ""},
                        name, "learning:sessions")  # fmt: skip


def _facts(session: TrainingSession) -> dict[str, object]:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    halves = [_("Morning"), _("Afternoon")] if session.duration_hours > HALF_DAY_HOURS else [""]
    return {"session": session, "starts": starts, "ends": ends, "halves": halves,
            "raises": session.module.raises.select_related("competence")}  # fmt: skip


@login_required
def attendance_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(TrainingSession.objects.select_related("module", "trainer"), pk=pk)
    if not access.may_take_attendance(request.user, person_of(request.user), session):
        raise PermissionDenied
    seated = (
        Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
        .select_related("person__org_unit")
        .order_by(*by_name("person__"))
    )
    day = f"{timezone.localtime(session.starts_at):%Y-%m-%d}"
    name = file_name(pgettext("file name", "attendance sheet"), session.module.code, day,
                     extension="pdf")  # fmt: skip
    return _pdf(request, "learning/attendance_sheet.html",
                {**_facts(session), "seated": seated}, name)  # fmt: skip


@login_required
def certificate(request: HttpRequest, pk: int, person_id: int) -> HttpResponse:
    """The person's own certificate, or any attendee's for the lead and the trainer; only for
    someone recorded present."""
    session = get_object_or_404(TrainingSession.objects.select_related("module", "trainer"), pk=pk)
    me = person_of(request.user)
    if not (
        (me is not None and me.pk == person_id)
        or access.may_take_attendance(request.user, me, session)
    ):  # before looking for the seat: a 403 or a 404 would tell who attended
        raise PermissionDenied
    seat = get_object_or_404(
        Enrolment.objects.select_related("person"),
        session=session,
        person_id=person_id,
        attendance=Attendance.PRESENT,
    )
    name = file_name(pgettext("file name", "certificate"), session.module.code,
                     seat.person.employee_id, extension="pdf")  # fmt: skip
    return _pdf(request, "learning/certificate.html",
                {**_facts(session), "seat": seat, "today": timezone.localdate()}, name)  # fmt: skip
