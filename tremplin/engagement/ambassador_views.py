"""Ambassadors' pages: the lead's list with the proposed cover, and each ambassador's page
(the invitation to answer, then their home: mission, teams, office hours, activity log,
communities and to-dos)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tremplin.engagement import ambassadors as service
from tremplin.engagement.ambassador_models import Ambassador, AmbassadorStatus
from tremplin.engagement.challenge_models import Community, Review, Submission
from tremplin.engagement.forms import (
    ActivityForm,
    AmbassadorForm,
    DeclineForm,
    OfficeHoursForm,
    flash_errors,
)
from tremplin.people.access import role_required
from tremplin.people.models import Person, Role, person_of, roles_of


@never_cache
@role_required(Role.LEAD)
def ambassadors(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        depth = service.TEAMS if request.POST.get("depth") == "teams" else service.DEPARTMENTS
        found = service.propose(depth)
        if found.survey is None:
            messages.warning(
                request,
                _("No help-network survey has answers yet: the cover uses teams and sites only."),
            )
        messages.success(
            request,
            _("%(n)s people proposed. Teams left uncovered: %(teams)s; sites: %(sites)s.")
            % {"n": len(found.proposed), "teams": found.teams_uncovered,
               "sites": found.sites_uncovered},
        )  # fmt: skip
        if found.gap > 1e-6:
            gap = formats.number_format(100 * found.gap, 1)  # 12,3 in French
            messages.info(
                request,
                _("The cover is within %(gap)s %% of the smallest among the candidates.")
                % {"gap": gap},
            )
        else:
            messages.info(
                request,
                _(
                    "The cover is proven the smallest among the candidates (each team's most "
                    "central members and the company's most central people)."
                ),
            )
        return redirect("engagement:ambassadors")
    rows = Ambassador.objects.select_related("person__org_unit", "person__site").prefetch_related(
        "teams"
    )
    by_status = {status: [a for a in rows if a.status == status] for status in AmbassadorStatus}
    return render(request, "engagement/ambassadors.html", {
        "by_status": [(s, s.label, by_status[s]) for s in AmbassadorStatus],
        "uncovered": service.uncovered_teams(), "weights": service.WEIGHTS,
    })  # fmt: skip


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    found = Ambassador.objects.filter(person=me).first() if me else None
    if found is None:
        raise Http404
    return redirect("engagement:ambassador", found.pk)


def _month_start() -> datetime.date:
    return timezone.localdate().replace(day=1)


def _todos(found: Ambassador) -> list[tuple[str, str]]:
    """What the ambassador has to do: submissions waiting for their review, their communities'
    next meetings, and logging the month if nothing is logged yet."""
    todos = []
    waiting = Submission.objects.filter(challenge__jury=found.person, review=Review.PENDING).count()
    if waiting:
        todos.append((_("%(n)s challenge entries to review") % {"n": waiting},
                      reverse("engagement:challenges")))  # fmt: skip
    for community in found.person.communities_hosted.all():
        if not community.meetings.filter(starts_at__gte=timezone.now()).exists():
            todos.append((_("Plan the next meeting of %(c)s") % {"c": community.name},
                          reverse("engagement:community", args=[community.pk])))  # fmt: skip
    if not found.activities.filter(on__gte=_month_start()).exists():
        todos.append((_("Log what you did this month"), "#activity"))
    return todos


@never_cache
@login_required
def ambassador(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Ambassador.objects.select_related("person"), pk=pk)
    me = person_of(request.user)
    is_lead = Role.LEAD in roles_of(request.user)
    is_self = me is not None and me.pk == found.person_id
    if not (is_lead or is_self):
        raise PermissionDenied
    month = found.activities.filter(on__gte=_month_start()).aggregate(
        hours=Sum("hours"), helped=Sum("people_helped")
    )
    totals = found.activities.aggregate(hours=Sum("hours"), helped=Sum("people_helped"))
    return render(request, "engagement/ambassador.html", {
        "ambassador": found, "is_lead": is_lead, "is_self": is_self,
        "form": AmbassadorForm(instance=found), "office": OfficeHoursForm(instance=found),
        "activity": ActivityForm(), "decline": DeclineForm(),
        "activities": found.activities.all()[:50], "month": month, "totals": totals,
        "month_left": found.hours_per_month - (month["hours"] or Decimal(0)),
        "communities": Community.objects.filter(hosts=found.person),
        "todos": _todos(found) if found.status == AmbassadorStatus.ACTIVE and is_self else [],
    })  # fmt: skip


@require_POST
@login_required
def ambassador_action(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Ambassador.objects.select_related("person"), pk=pk)
    me = person_of(request.user)
    is_lead = Role.LEAD in roles_of(request.user)
    is_self = me is not None and me.pk == found.person_id
    action = request.POST.get("action", "")
    if action in ("save", "invite", "end") and is_lead:
        _lead_action(request, found, action)
    elif action in ("accept", "decline") and is_self:
        if found.status != AmbassadorStatus.INVITED:
            messages.error(request, _("There is no invitation to answer."))
        else:
            decline = DeclineForm(request.POST)
            because = decline.cleaned_data["because"] if decline.is_valid() else ""
            service.answer(found, accept=action == "accept", because=because)
            messages.success(request, _("Thank you for your answer."))
    elif action == "office" and is_self and found.status == AmbassadorStatus.ACTIVE:
        office = OfficeHoursForm(request.POST, instance=found)
        if office.is_valid():
            office.save()
            messages.success(request, _("Office hours saved."))
    elif action == "log" and (is_self or is_lead) and found.status == AmbassadorStatus.ACTIVE:
        form = ActivityForm(request.POST)
        if form.is_valid():
            entry = form.save(commit=False)
            entry.ambassador = found
            entry.save()
            messages.success(request, _("Activity logged."))
        else:
            flash_errors(request, form)
    else:
        raise PermissionDenied
    return redirect("engagement:ambassador", found.pk)


def _lead_action(request: HttpRequest, found: Ambassador, action: str) -> None:
    if action == "end":
        service.end(found)
        messages.success(request, _("The mandate has ended; the ambassador role is withdrawn."))
        return
    form = AmbassadorForm(request.POST, instance=found)
    if not form.is_valid():
        flash_errors(request, form)
        return
    form.save()
    if action == "invite":
        if not found.mission.strip():
            messages.error(request, _("Write the mission before inviting."))
            return
        service.invite(found)
        messages.success(request, _("%(name)s is invited.") % {"name": found.person.full_name})
    else:
        messages.success(request, _("Saved."))


@require_POST
@role_required(Role.LEAD)
def ambassador_new(request: HttpRequest) -> HttpResponse:
    """The lead proposes someone the cover did not (by employee id)."""
    person = Person.objects.filter(
        employee_id=request.POST.get("employee_id", "").strip(), active=True
    ).first()
    if person is None:
        messages.error(request, _("No active person has this employee id."))
        return redirect("engagement:ambassadors")
    found, _created = Ambassador.objects.get_or_create(person=person)
    if found.status in (AmbassadorStatus.DECLINED, AmbassadorStatus.ENDED):
        found.status = AmbassadorStatus.PROPOSED
        found.save(update_fields=["status"])
    return redirect("engagement:ambassador", found.pk)
