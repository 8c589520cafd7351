"""Governance's pages: the usage charter (read and acknowledged by everyone; versions,
publication, reminders and who has not acknowledged for the lead), the register of AI systems,
and the works-council log."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tremplin.governance import literacy, register_figures, releases, services
from tremplin.governance.models import (
    ALLOWED,
    AISystem,
    Charter,
    CouncilEvent,
    EventKind,
    JobImpact,
    SystemStatus,
)
from tremplin.insights.snapshot import min_group_size, quarter_ends
from tremplin.paging import page_of
from tremplin.params import bounded_int
from tremplin.pdf import pdf_response
from tremplin.people.access import role_required
from tremplin.people.models import Company, JobFamily, Person, Role, person_of, roles_of
from tremplin.spreadsheets import XLSX_TYPE
from tremplin.voice.models import Survey

READERS = (Role.LEAD, Role.EXECUTIVE, Role.WORKS_COUNCIL)
DATE = {"type": "date"}


class SystemForm(forms.ModelForm):
    class Meta:
        model = AISystem
        fields = ["name", "vendor", "purpose", "status", "role", "category", "annex_area", "data",
                  "personal_data", "supervisors", "families", "units", "competences", "modules",
                  "waves"]  # fmt: skip
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 2}),
            "data": forms.Textarea(attrs={"rows": 2}),
            **{f: forms.SelectMultiple(attrs={"size": 5})
               for f in ("supervisors", "families", "units", "competences", "modules", "waves")},
        }  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["supervisors"].queryset = Person.objects.filter(active=True)  # type: ignore[attr-defined]


class CharterForm(forms.ModelForm):
    class Meta:
        model = Charter
        fields = ["title_fr", "title_en", "body_fr", "body_en", "tools"]
        widgets = {"body_fr": forms.Textarea(attrs={"rows": 10}),
                   "body_en": forms.Textarea(attrs={"rows": 10}),
                   "tools": forms.CheckboxSelectMultiple}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tools"].queryset = AISystem.objects.filter(status__in=ALLOWED)  # type: ignore[attr-defined]
        self.fields["tools"].help_text = gettext_lazy("Approved or tolerated in the register.")


class ImpactForm(forms.ModelForm):
    class Meta:
        model = JobImpact
        fields = ["tasks", "evolution", "systems", "critical", "declining", "training", "modules"]
        widgets = {"tasks": forms.Textarea(attrs={"rows": 4}),
                   "training": forms.Textarea(attrs={"rows": 3}),
                   **{f: forms.SelectMultiple(attrs={"size": 6})
                      for f in ("systems", "critical", "declining", "modules")}}  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        both = set(data.get("critical") or []) & set(data.get("declining") or [])
        if both:
            self.add_error("declining", _("A skill cannot become both critical and less "
                                          "important: %(names)s")
                           % {"names": ", ".join(c.name for c in both)})  # fmt: skip
        return data


class EventForm(forms.ModelForm):
    class Meta:
        model = CouncilEvent
        fields = ["held_on", "kind", "subject", "documents", "systems", "deadline", "opinion",
                  "opinion_on", "notes"]  # fmt: skip
        widgets = {"held_on": forms.DateInput(DATE, format="%Y-%m-%d"),
                   "deadline": forms.DateInput(DATE, format="%Y-%m-%d"),
                   "opinion_on": forms.DateInput(DATE, format="%Y-%m-%d"),
                   "documents": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2}),
                   "systems": forms.SelectMultiple(attrs={"size": 5})}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(k, label) for k, label in EventKind.choices if k != EventKind.OVERRIDE]
        self.fields["kind"].choices = kinds  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("opinion") and not data.get("opinion_on"):
            self.add_error("opinion_on", _("Give the date of the opinion."))
        if data.get("opinion_on") and data["opinion_on"] > timezone.localdate():
            self.add_error("opinion_on", _("An opinion is recorded once given, not ahead."))
        held = data.get("held_on")
        if held is None:
            return data
        meeting = {"date": formats.date_format(held, "SHORT_DATE_FORMAT")}
        if data.get("deadline") and data["deadline"] < held:
            self.add_error("deadline", _(
                "The deadline for the opinion cannot come before the meeting: give %(date)s or "
                "a later date.") % meeting)  # fmt: skip
        if data.get("opinion_on") and data["opinion_on"] < held:
            self.add_error("opinion_on", _(
                "The opinion cannot be given before the meeting: give %(date)s or a later "
                "date.") % meeting)  # fmt: skip
        return data


@never_cache
@login_required
def charter(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        me = person_of(request.user)
        found = get_object_or_404(Charter, pk=bounded_int(request.POST.get("charter"), 0))
        if me is None:
            raise PermissionDenied
        try:
            services.acknowledge(found, me)
            messages.success(request, _("Thank you: your acknowledgement is recorded."))
        except services.GovernanceError as error:
            messages.error(request, str(error))
        return redirect("governance:charter")
    return _charter_page(request)


def _charter_page(request: HttpRequest, form: CharterForm | None = None) -> HttpResponse:
    """The charter as published; for the lead, its versions, who has not acknowledged it and
    the new version's form (`form` when it comes back with its errors, opened on them)."""
    me = person_of(request.user)
    current = services.current_charter()
    done = (me is not None and current is not None
            and current.acknowledgements.filter(person=me).first())  # fmt: skip
    context: dict[str, Any] = {"charter": current, "done": done}
    if Role.LEAD in roles_of(request.user):
        versions = Charter.objects.annotate(n=Count("acknowledgements")).order_by("-version")
        active = Person.objects.filter(active=True).count()
        new_version = form or CharterForm(initial=_copy_of(Charter.objects.first()))
        context |= {"versions": versions, "active": active, "form": new_version}
        if current is not None:
            context["waiting"], context["query"] = page_of(
                request, services.waiting(current).select_related("org_unit")
            )
    return render(request, "governance/charter.html", context)


def _copy_of(previous: Charter | None) -> dict[str, Any]:
    if previous is None:
        return {}
    return {"title_fr": previous.title_fr, "title_en": previous.title_en,
            "body_fr": previous.body_fr, "body_en": previous.body_en,
            "tools": list(previous.tools.values_list("pk", flat=True))}  # fmt: skip


@require_POST
@role_required(Role.LEAD)
def charter_action(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action", "")
    try:
        if action == "new":
            form = CharterForm(request.POST)
            if not form.is_valid():
                return _charter_page(request, form)
            made = form.save(commit=False)
            made.version = (Charter.objects.aggregate(v=Max("version"))["v"] or 0) + 1
            made.save()
            form.save_m2m()
            messages.success(request, _("Version %(v)s saved as a draft.") % {"v": made.version})
        elif action == "publish":
            found = get_object_or_404(Charter, pk=bounded_int(request.POST.get("charter"), 0))
            on = _date(request.POST.get("on")) or timezone.localdate()
            n = services.publish(found, on)
            messages.success(request, _("Published; %(n)s people asked to acknowledge it.")
                             % {"n": n})  # fmt: skip
        elif action == "remind":
            found = get_object_or_404(Charter, pk=bounded_int(request.POST.get("charter"), 0))
            n = services.remind(found)
            messages.success(request, _("%(n)s reminders sent.") % {"n": n})
        else:
            raise PermissionDenied
    except services.GovernanceError as error:
        messages.error(request, str(error))
    return redirect("governance:charter")


def _date(text: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


@never_cache
@role_required(*READERS)
def systems(request: HttpRequest) -> HttpResponse:
    is_lead = Role.LEAD in roles_of(request.user)
    if request.method == "POST":
        if not is_lead:
            raise PermissionDenied
        survey = get_object_or_404(Survey, pk=bounded_int(request.POST.get("survey"), 0))
        try:
            found = services.discover(survey, by=cast(User, request.user))
            messages.success(request, _("%(n)s kinds of tools entered for review.")
                             % {"n": len(found)})  # fmt: skip
        except services.GovernanceError as error:
            messages.error(request, str(error))
        return redirect("governance:systems")
    rows = AISystem.objects.prefetch_related("supervisors", "families")
    status = request.GET.get("status", "")
    if status in SystemStatus.values:
        rows = rows.filter(status=status)
    return render(request, "governance/systems.html", {
        "rows": rows, "statuses": SystemStatus.choices, "status": status, "is_lead": is_lead,
        "inventories": Survey.objects.filter(template="shadow_ai", sent_at__isnull=False),
    })  # fmt: skip


@never_cache
@role_required(*READERS)
def system(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    found = get_object_or_404(AISystem, pk=pk) if pk else None
    is_lead = Role.LEAD in roles_of(request.user)
    if request.method == "POST" and not is_lead:
        raise PermissionDenied
    form = SystemForm(request.POST or None, instance=found)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            services.save_system(system=form.save(commit=False),
                                 by=cast(User, request.user))  # fmt: skip
            form.save_m2m()
        messages.success(request, _("Saved."))
        return redirect("governance:systems")
    return render(request, "governance/system.html", {
        "system": found, "form": form, "is_lead": is_lead,
        "events": found.council_events.all() if found else [],
        "history": found.status_changes.select_related("by") if found else [],
    })  # fmt: skip


@never_cache
@role_required(*READERS)
def council(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    is_lead = Role.LEAD in roles_of(request.user)
    found = get_object_or_404(CouncilEvent, pk=pk) if pk else None
    if found is not None and found.kind == EventKind.OVERRIDE:
        found = None  # an override is logged as it happened, never edited
    form = EventForm(request.POST or None, instance=found) if is_lead else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            event = form.save(commit=False)
            event.by = request.user
            event.save()
            form.save_m2m()
            messages.success(request, _("Saved."))
            return redirect("governance:council")
    events, query = page_of(request, CouncilEvent.objects.prefetch_related("systems"))
    return render(request, "governance/council.html", {
        "events": events, "query": query, "form": form, "editing": found,
        "required": services.council_required(), "threshold": services.COUNCIL_FROM,
    })  # fmt: skip


@never_cache
@role_required(*READERS)
def observatory(request: HttpRequest) -> HttpResponse:
    """Per job family: tasks AI changes, systems used, expected evolution, skills becoming
    critical or less important, and the training answer."""
    impacts = {i.family_id: i for i in JobImpact.objects.prefetch_related(
        "systems", "critical", "declining", "modules")}  # fmt: skip
    families = [(f, impacts.get(f.pk)) for f in JobFamily.objects.order_by("code")]
    return render(request, "governance/observatory.html", {
        "families": families, "is_lead": Role.LEAD in roles_of(request.user),
    })  # fmt: skip


@never_cache
@role_required(Role.LEAD)
def impact(request: HttpRequest, family: int) -> HttpResponse:
    found = get_object_or_404(JobFamily, pk=family)
    instance = JobImpact.objects.filter(family=found).first() or JobImpact(family=found)
    form = ImpactForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("governance:observatory")
    return render(request, "governance/impact.html", {"family": found, "form": form})


@never_cache
@role_required(*READERS)
def register(request: HttpRequest) -> HttpResponse:
    """The AI Act Article 4 register for a day (today by default): the literacy measures in
    place by system and by job family; XLSX (by person too, for the lead) and PDF. The sponsor
    and the council read it at quarter ends only (the last by default), as their dashboards:
    between two days a figure's change was often one person's (a charter acknowledged)."""
    is_lead = Role.LEAD in roles_of(request.user)
    today = timezone.localdate()
    quarters = [] if is_lead else quarter_ends(today - datetime.timedelta(days=3 * 366), today)
    asked = _date(request.GET.get("on"))
    quarter = asked if asked in quarters else (quarters or [today])[-1]
    day = (asked or today) if is_lead else quarter
    k = min_group_size()
    releases.schedule(k)  # the coming quarter end's, prepared the night after it
    kept = None if is_lead else releases.published(day, k) or releases.requested(day, k)
    if kept is not None and kept.state != kept.State.DONE:  # the worker prepares it
        if request.GET.get("format"):
            messages.info(request, _("The figures of this quarter are being prepared."))
            return redirect(f"{reverse('governance:register')}?on={day.isoformat()}")
        return render(request, "governance/register.html",
                      {"day": day, "quarters": quarters, "preparing": kept})  # fmt: skip
    try:
        dossier = literacy.build(day)
    except literacy.DossierError as error:
        messages.error(request, str(error))
        return redirect("governance:register")
    # The council's: audited with every earlier quarter end it may have read, by the worker.
    tables = register_figures.tables_of(kept.figures) if kept else register_figures.exact(dossier)
    name = f"article-4-{day.isoformat()}"
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(literacy.workbook(dossier, tables, people=is_lead),
                                content_type=XLSX_TYPE)  # fmt: skip
        response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
        return response
    company = Company.objects.first()
    context = {"dossier": dossier, "tables": tables, "day": day, "is_lead": is_lead,
               "k": k, "quarters": quarters,
               "company": company.name if company else ""}  # fmt: skip
    if request.GET.get("format") == "pdf":
        return pdf_response(request, "governance/register_pdf.html", context, f"{name}.pdf",
                            "governance:register")  # fmt: skip
    return render(request, "governance/register.html", context)
