from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tremplin.people.access import role_required
from tremplin.people.models import Company, JobFamily, Role
from tremplin.skills.forms import FrameworkImportForm, TargetsForm
from tremplin.skills.interchange import (
    FrameworkFormatError,
    FrameworkProblem,
    framework_dict_from_csv,
    framework_to_csv,
    framework_to_json,
    import_framework,
)
from tremplin.skills.models import Competence, Framework, PersonaTarget, Tier
from tremplin.skills.queries import active_framework, effective_targets
from tremplin.skills.services import save_job_family_targets
from tremplin.spreadsheets import SpreadsheetError, cell_text, read_table
from tremplin.uploads import read_json, read_upload


@login_required
def framework_browser(request: HttpRequest, framework_id: int | None = None) -> HttpResponse:
    if framework_id is None:
        framework = active_framework() or Framework.objects.first()
    else:
        framework = get_object_or_404(Framework, pk=framework_id)
    tiers = []
    if framework is not None:
        competences = list(framework.competences.prefetch_related("descriptors"))
        tiers = [(tier, [c for c in competences if c.tier == tier.value]) for tier in Tier]
    return render(
        request,
        "skills/browser.html",
        {
            "framework": framework,
            "tiers": tiers,
            "frameworks": Framework.objects.all(),
        },
    )


@login_required
def competence_detail(request: HttpRequest, pk: int) -> HttpResponse:
    competence = get_object_or_404(Competence.objects.select_related("framework"), pk=pk)
    persona_targets = PersonaTarget.objects.filter(competence=competence).order_by("persona")
    family_targets = competence.job_family_targets.select_related("job_family").order_by(
        "job_family__code"
    )
    return render(
        request,
        "skills/competence.html",
        {
            "competence": competence,
            "descriptors": competence.descriptors.all(),
            "persona_targets": persona_targets,
            "family_targets": family_targets,
        },
    )


@role_required(Role.LEAD)
def framework_export(request: HttpRequest, framework_id: int, file_format: str) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=framework_id)
    name = f"{framework.code}-{framework.version}.{file_format}"
    if file_format == "json":
        response = HttpResponse(framework_to_json(framework), content_type="application/json")
    elif file_format == "csv":
        content = "\ufeff" + framework_to_csv(framework)
        response = HttpResponse(content.encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


@role_required(Role.LEAD)
def framework_import(request: HttpRequest) -> HttpResponse:
    form = FrameworkImportForm(request.POST or None, request.FILES or None)
    problems: list[FrameworkProblem] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            content = read_upload(upload)
            if upload.name.lower().endswith(".json"):
                data = read_json(content)
            else:
                table = read_table(content, upload.name)
                rows = [table.header] + [[cell_text(c) for c in cells] for _n, cells in table.rows]
                meta = {k: form.cleaned_data[k] for k in ("code", "version", "name_fr", "name_en")}
                data = framework_dict_from_csv(rows, meta)
            framework = import_framework(
                data, replace=form.cleaned_data["replace"], activate=form.cleaned_data["activate"]
            )
        except SpreadsheetError as exc:
            problems = [FrameworkProblem(_("file"), str(exc))]
        except FrameworkFormatError as exc:
            problems = exc.problems
        else:
            messages.success(request, _("Framework %s imported.") % framework)
            return redirect("skills:framework", framework_id=framework.pk)
    return render(request, "skills/import.html", {"form": form, "problems": problems})


@role_required(Role.LEAD)
def targets_index(request: HttpRequest) -> HttpResponse:
    framework = active_framework() or Framework.objects.first()
    if request.method == "POST" and framework is not None:
        Company.targets_reviewed(request.user)  # type: ignore[arg-type]
        messages.success(request, _("Job targets marked as reviewed."))
        return redirect("skills:targets")
    return render(
        request,
        "skills/targets_index.html",
        {
            "framework": framework,
            "families": JobFamily.objects.all(),
            "company": Company.current(),
        },
    )


@role_required(Role.LEAD)
def targets_edit(request: HttpRequest, framework_id: int, job_family_id: int) -> HttpResponse:
    framework = get_object_or_404(Framework, pk=framework_id)
    family = get_object_or_404(JobFamily, pk=job_family_id)
    form = TargetsForm(request.POST or None, targets=effective_targets(framework, family))
    if request.method == "POST" and form.is_valid():
        count = save_job_family_targets(framework=framework, family=family, entries=form.entries())
        Company.targets_reviewed(request.user)  # type: ignore[arg-type]
        messages.success(
            request,
            _("Targets of %(family)s saved (%(count)s set for the job).")
            % {"family": family, "count": count},
        )
        return redirect("skills:targets_edit", framework_id=framework.pk, job_family_id=family.pk)
    return render(
        request,
        "skills/targets_edit.html",
        {
            "framework": framework,
            "family": family,
            "form": form,
        },
    )
