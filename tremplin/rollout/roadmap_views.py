"""The roadmap page (steps by phase, edited by the programme lead, approved by the executive
sponsor, read by the works council) and the timeline of phases, waves and sessions."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tremplin.people.access import role_required
from tremplin.people.models import Role, person_of, roles_of
from tremplin.rollout.forms import RoadmapStepForm
from tremplin.rollout.models import RoadmapApproval, RoadmapStep, StepStatus
from tremplin.rollout.roadmap import approve, changed_since_approval, load_default_roadmap, timeline

READERS = (Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL)


@role_required(*READERS)
def roadmap(request: HttpRequest) -> HttpResponse:
    roles = roles_of(request.user)
    if request.method == "POST":
        if request.POST.get("action") == "approve" and Role.EXECUTIVE in roles:
            approve(person_of(request.user), request.POST.get("note", ""))
            messages.success(request, _("The roadmap is approved; the approval is recorded."))
        elif request.POST.get("action") == "load" and Role.LEAD in roles:
            added = load_default_roadmap()
            messages.success(request, _("%(n)s steps added.") % {"n": added})
        else:
            raise PermissionDenied
        return redirect("rollout:roadmap")
    steps = list(RoadmapStep.objects.select_related("owner"))
    approval = RoadmapApproval.objects.select_related("by").first()
    phases = [(key, list(group)) for key, group in groupby(steps, key=lambda s: s.phase)]
    done = sum(s.status == StepStatus.DONE for s in steps)
    changed = set(changed_since_approval(approval, steps))
    return render(request, "rollout/roadmap.html", {
        "phases": phases, "approval": approval, "changed": changed,
        "done": done, "total": len(steps), "may_edit": Role.LEAD in roles,
        "may_approve": Role.EXECUTIVE in roles,
    })  # fmt: skip


@role_required(Role.LEAD)
def step_edit(request: HttpRequest, pk: int) -> HttpResponse:
    step = get_object_or_404(RoadmapStep, pk=pk)
    form = RoadmapStepForm(request.POST or None, instance=step)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Step saved."))
        return redirect("rollout:roadmap")
    return render(request, "rollout/step_form.html", {"form": form, "step": step})


@role_required(*READERS)
def roadmap_timeline(request: HttpRequest) -> HttpResponse:
    return render(request, "rollout/timeline.html", {"months": timeline()})
