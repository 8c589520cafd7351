from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tremplin import params
from tremplin.governance import services as governance
from tremplin.people.access import role_required
from tremplin.people.models import Role
from tremplin.rollout import gates
from tremplin.rollout.forms import WaveForm
from tremplin.rollout.models import Wave
from tremplin.rollout.queries import wave_headcounts, waves_in_order


@role_required(Role.LEAD)
def waves(request: HttpRequest) -> HttpResponse:
    found = waves_in_order()
    headcounts = wave_headcounts(found)
    rows = [(wave, headcounts.get(wave.pk, 0)) for wave in found]
    return render(request, "rollout/waves.html", {"rows": rows})


@role_required(Role.LEAD)
def wave_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    wave = get_object_or_404(Wave, pk=pk) if pk is not None else None
    form = WaveForm(request.POST if request.method == "POST" else None, instance=wave)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = form.save()
                saved.people.set(form.cleaned_data["employee_ids"])
        except IntegrityError:  # a concurrent post took the name or the pilot meanwhile
            form.add_error(
                None, _("Another wave with this name, or another pilot, was saved meanwhile.")
            )
        else:
            messages.success(request, _("Wave %(name)s saved.") % {"name": saved.name})
            return redirect("rollout:waves")
    return render(request, "rollout/wave_form.html", {"form": form, "wave": wave})


@require_POST
@role_required(Role.LEAD)
def wave_delete(request: HttpRequest, pk: int) -> HttpResponse:
    wave = get_object_or_404(Wave, pk=pk)
    wave.delete()
    messages.success(request, _("Wave %(name)s deleted.") % {"name": wave.name})
    return redirect("rollout:waves")


@role_required(Role.LEAD)
def readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """The wave's readiness gates: chosen with their thresholds, measured now, and the works
    council's on each system it deploys; the wave opened when they are met, or with a reason."""
    wave = get_object_or_404(Wave, pk=pk)
    if request.method == "POST" and request.POST.get("action") == "gates":
        chosen = {
            code: params.bounded_int(request.POST.get(f"threshold_{code}"), default, 0, 100)
            for code, (_label, default) in gates.GATES.items()
            if request.POST.get(f"gate_{code}") == "on"
        }
        gates.set_gates(wave, chosen, request.user)
        messages.success(request, _("Gates saved."))
        return redirect("rollout:readiness", pk=wave.pk)
    if request.method == "POST" and request.POST.get("action") == "open":
        try:
            gates.open_wave(wave, request.user, request.POST.get("reason", ""))
        except gates.GateError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Wave %(name)s is open.") % {"name": wave.name})
        return redirect("rollout:readiness", pk=wave.pk)
    measures = gates.measure(wave)
    council = governance.council_gate(wave)
    choices = [(code, label, wave.gates.get(code, default), code in wave.gates)
               for code, (label, default) in gates.GATES.items()]  # fmt: skip
    return render(request, "rollout/readiness.html", {
        "wave": wave, "measures": measures, "choices": choices,
        "council": council, "council_from": governance.COUNCIL_FROM,
        "all_met": all(m.met for m in measures) and all(g.passed for g in council or []),
        "events": wave.events.select_related("by"),
    })  # fmt: skip
