"""The risk self-diagnostic's pages: the diagnostics, one diagnostic answered together (its
participants, questionnaire, scores per dimension and proposed risk lines), a risk line reviewed
by the lead, and the register with its versions of the occupational risk assessment."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tremplin.alphabetical import by_name
from tremplin.compute import risks as scoring
from tremplin.downloads import file_name
from tremplin.paging import page_of
from tremplin.people.access import role_required
from tremplin.people.models import OrgUnit, Person, Role
from tremplin.risks import access, exports, services
from tremplin.risks.forms import LineForm, StartForm
from tremplin.risks.models import (
    IN_REGISTER,
    Diagnostic,
    DuerpVersion,
    LineStatus,
    Party,
    RiskLine,
)
from tremplin.risks.questionnaire import questionnaire

SUGGESTIONS = 300  # people offered in the employee-id field's list


@never_cache
@require_GET
@role_required(*access.READERS)
def diagnostics(request: HttpRequest) -> HttpResponse:
    rows = (
        Diagnostic.objects.visible_to(request.user)
        .select_related("system", "unit")
        .annotate(n_people=Count("participants", distinct=True),
                  n_lines=Count("lines", filter=Q(lines__status__in=IN_REGISTER), distinct=True),
                  n_proposed=Count("lines", filter=Q(lines__status=LineStatus.PROPOSED),
                                   distinct=True))
        .order_by("-held_on", "-pk")
    )  # fmt: skip
    page, query = page_of(request, rows)
    asked = questionnaire()
    return render(request, "risks/diagnostics.html", {
        "rows": page, "query": query, "may_edit": access.may_edit(request.user),
        "questionnaire": asked, "threshold_label": asked.label(scoring.SIGNALS_FROM),
    })  # fmt: skip


@never_cache
@role_required(Role.LEAD)
def diagnostic_new(request: HttpRequest) -> HttpResponse:
    form = StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        made = services.start(system=data["system"], unit=data["unit"], held_on=data["held_on"],
                              by=cast(User, request.user))  # fmt: skip
        return redirect("risks:diagnostic", made.pk)
    return render(request, "risks/diagnostic_new.html", {"form": form})


@never_cache
@role_required(*access.READERS)
def diagnostic(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Diagnostic.objects.select_related("system", "unit"), pk=pk)
    access.diagnostic_guard(request.user, found)
    if request.method == "POST":
        if not access.may_edit(request.user):
            raise PermissionDenied
        return _act(request, found)
    asked = questionnaire()
    scores = scoring.dimension_scores(asked.keys(), asked.scoring(), found.answers)
    lines = found.lines.select_related("owner").by_criticity()
    return render(request, "risks/diagnostic.html", {
        "diagnostic": found, "may_edit": access.may_edit(request.user),
        "parties": [(Party(p).label, people) for p, people in found.parties().items()],
        "missing": services.party_names(found.missing_parties()),
        "party_choices": Party.choices, "questionnaire": asked,
        "blocks": _blocks(asked, found.answers), "scores": _scores(asked, scores),
        "lines": lines, "suggestions": _suggestions(found) if found.is_draft else [],
        "left": len(scoring.unanswered(asked.scoring(), found.answers)),
        "vigilance_from": scoring.VIGILANCE_FROM, "high_from": scoring.HIGH_FROM,
        "threshold_label": asked.label(scoring.SIGNALS_FROM),
    })  # fmt: skip


def _blocks(asked: Any, answers: dict[str, Any]) -> list[tuple[Any, list[tuple[Any, Any]]]]:
    """Per dimension, its statements with the answer given (or None)."""
    return [(d, [(s, answers.get(s.key)) for s in d.statements]) for d in asked.dimensions]


def _scores(asked: Any, scores: list[scoring.DimensionScore]) -> list[dict[str, Any]]:
    return [{"score": s, "dimension": asked.dimension(s.dimension),
             "signals": [asked.statement(k) for k in s.signals]} for s in scores]  # fmt: skip


def _suggestions(found: Diagnostic) -> list[Person]:
    """People to pick by employee id: the unit's own, then the heads above it."""
    unit_people = Person.objects.filter(active=True, org_unit__path__startswith=found.unit.path)
    heads = Person.objects.filter(active=True, headed_units__isnull=False)
    return list((unit_people | heads).distinct().order_by(*by_name())[:SUGGESTIONS])


def _act(request: HttpRequest, found: Diagnostic) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        if action == "add":
            person = services.active_person(request.POST.get("employee_id", ""))
            if person is None:
                raise services.RiskError(
                    _("Unknown participant: no active person has the employee id “%(id)s”.")
                    % {"id": request.POST.get("employee_id", "").strip()}
                )
            services.add_participant(diagnostic=found, person=person,
                                     party=request.POST.get("party", ""))  # fmt: skip
        elif action == "remove":
            participant = get_object_or_404(
                found.participants, pk=request.POST.get("participant") or 0
            )
            services.remove_participant(diagnostic=found, participant=participant)
        elif action in ("save", "complete"):
            held_on = _date(request.POST.get("held_on"))
            services.record(diagnostic=found, answers=_answers(request), held_on=held_on,
                            notes=request.POST.get("notes"))  # fmt: skip
            if action == "complete":
                lines = services.complete(diagnostic=found)
                messages.success(request, ngettext(
                    "Completed: %(n)s risk line proposed for review.",
                    "Completed: %(n)s risk lines proposed for review.", len(lines),
                ) % {"n": len(lines)})  # fmt: skip
            else:
                messages.success(request, _("Answers saved."))
        elif action == "delete":
            services.delete_draft(diagnostic=found)
            messages.success(request, _("The draft is deleted."))
            return redirect("risks:diagnostics")
        else:
            raise PermissionDenied
    except services.RiskError as error:
        messages.error(request, str(error))
    return redirect("risks:diagnostic", found.pk)


def _answers(request: HttpRequest) -> dict[str, object]:
    """The statements answered in the form (`s-<key>`), as numbers where they are numbers."""
    found: dict[str, object] = {}
    for name in request.POST:
        value = request.POST.get(name, "")
        if name.startswith("s-") and value:
            found[name[2:]] = int(value) if value.isdigit() and len(value) < 3 else value
    return found


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


@never_cache
@role_required(Role.LEAD)
def line(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(RiskLine.objects.select_related("diagnostic__system", "unit"), pk=pk)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "dismiss":
        try:
            services.dismiss(line=found)
            messages.success(request, _("The line is dismissed."))
        except services.RiskError as error:
            messages.error(request, str(error))
        return redirect("risks:diagnostic", found.diagnostic_id)
    form = LineForm(request.POST or None, instance=found,
                    in_register=request.method == "POST")  # fmt: skip
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        try:
            services.accept(line=saved, owner=form.cleaned_data["owner_id"],
                            due_on=form.cleaned_data["due_on"])  # fmt: skip
            if action == "done":
                saved.status = LineStatus.DONE
                saved.save(update_fields=["status", "updated_at"])
            messages.success(request, _("Saved in the register."))
            return redirect("risks:diagnostic", found.diagnostic_id)
        except services.RiskError as error:
            messages.error(request, str(error))
    asked = questionnaire()
    return render(request, "risks/line.html", {
        "line": found, "form": form, "statement": asked.statement(found.statement),
        "dimension": asked.dimension(found.dimension),
        "answer": asked.label(found.diagnostic.answers.get(found.statement, 0)),
        "suggestions": _suggestions(found.diagnostic),
    })  # fmt: skip


@never_cache
@role_required(*access.READERS)
def register(request: HttpRequest) -> HttpResponse:
    may_edit = access.may_edit(request.user)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        try:
            made = services.cut_version(by=cast(User, request.user),
                                        note=request.POST.get("note", ""))  # fmt: skip
            messages.success(request, _("Version %(n)s is cut and kept.") % {"n": made.number})
        except services.RiskError as error:
            messages.error(request, str(error))
        return redirect("risks:register")
    lines = (
        RiskLine.objects.visible_to(request.user).filter(status__in=IN_REGISTER)
        .select_related("unit", "owner", "diagnostic__system").by_criticity()
    )  # fmt: skip
    units = OrgUnit.objects.filter(risk_lines__in=lines).distinct().order_by("path")
    unit = request.GET.get("unit", "")
    if unit.isdigit():
        lines = lines.filter(unit_id=int(unit))
    page, query = page_of(request, lines)
    proposed = RiskLine.objects.visible_to(request.user).filter(status=LineStatus.PROPOSED)
    return render(request, "risks/register.html", {
        "lines": page, "query": query, "may_edit": may_edit, "units": units,
        "unit": int(unit) if unit.isdigit() else None,
        "may_export": access.may_export(request.user),
        "proposed": proposed.count(), "versions": DuerpVersion.objects.all(),
        "next": (DuerpVersion.objects.order_by("-number").values_list("number", flat=True)
                 .first() or 0) + 1,
        "high_from": scoring.HIGH_PRIORITY_FROM, "medium_from": scoring.MEDIUM_PRIORITY_FROM,
    })  # fmt: skip


@never_cache
@require_GET
@role_required(*access.EXPORTERS)
def version_export(request: HttpRequest, number: int, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    found = get_object_or_404(DuerpVersion, number=number)
    content, content_type = exports.version_file(found, file_format)  # type: ignore[arg-type]
    response = HttpResponse(content, content_type=content_type)
    name = file_name(pgettext("file name", "risk assessment"), f"v{found.number}",
                     extension=file_format)  # fmt: skip
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
