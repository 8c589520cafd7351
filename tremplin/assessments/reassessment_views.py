"""The "to reassess" list (the lead: everyone; a manager: their line; anyone: their own) and
the page where the person or their manager rates the competences again."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tremplin.assessments import access
from tremplin.assessments.forms import RatingsForm
from tremplin.assessments.models import Reassessment, Source
from tremplin.assessments.queries import ToAssess, competences_to_assess
from tremplin.assessments.reassessments import record_reassessment
from tremplin.assessments.services import AssessmentError
from tremplin.paging import page_of
from tremplin.people.models import Person, person_of


@login_required
def reassessments(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    status = status if status in ("open", "done", "all") else "open"
    found = Reassessment.objects.visible_to(request.user)
    if status == "open":
        found = found.open()
    elif status == "done":
        found = found.exclude(pk__in=Reassessment.objects.open().values("pk"))
    page, query = page_of(
        request,
        found.select_related("person__org_unit", "person__manager").order_by("due_on", "pk"),
    )
    return render(
        request,
        "assessments/reassessments.html",
        {"page": page, "query": query, "status": status, "me": person_of(request.user)},
    )


def _may_rate(request: HttpRequest, reassessment: Reassessment, source: str) -> Person:
    me = person_of(request.user)
    person = reassessment.person
    if me is None or not access.may_rate(me, person, source):
        raise PermissionDenied
    return me


@login_required
def reassess(request: HttpRequest, pk: int, source: str) -> HttpResponse:
    reassessment = get_object_or_404(Reassessment.objects.select_related("person"), pk=pk)
    me = _may_rate(request, reassessment, source)
    targets = {e.competence.pk: e.target for e in competences_to_assess(reassessment.person)}
    to_assess = [
        ToAssess(c, targets.get(c.pk, 0))
        for c in reassessment.competences.prefetch_related("descriptors").order_by("order")
    ]
    done = reassessment.self_done_at if source == Source.SELF else reassessment.manager_done_at
    form = RatingsForm(request.POST or None, to_assess=to_assess)
    if request.method == "POST" and done is None and form.is_valid():
        chosen = form.levels()
        levels = {e.competence: chosen[e.competence.code] for e in to_assess
                  if e.competence.code in chosen}  # fmt: skip
        try:
            record_reassessment(
                reassessment=reassessment, source=source, assessor=me, levels=levels
            )
        except AssessmentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Levels recorded. Thank you."))
            return redirect("assessments:reassessments")
    return render(
        request,
        "assessments/reassess.html",
        {"reassessment": reassessment, "source": source, "form": form, "done": done},
    )
