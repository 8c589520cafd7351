from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tremplin.downloads import file_name
from tremplin.hub import hub_of
from tremplin.paging import page_of
from tremplin.people import exports
from tremplin.people.access import may_give_roles, may_list_people, person_guard, role_required
from tremplin.people.accounts import GIVEN_ROLES, default_roles, invitation_path
from tremplin.people.forms import ColumnMappingForm, DirectoryFilterForm, PeopleUploadForm
from tremplin.people.imports.importer import (
    ImportReport,
    import_people_file,
    preview_people_file,
)
from tremplin.people.models import PeopleImport, Person, Role, person_of, roles_of
from tremplin.people.queries import chart_units, filter_directory


def _directory_people(request: HttpRequest) -> tuple[DirectoryFilterForm, QuerySet[Person]]:
    form = DirectoryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    people = Person.objects.visible_to(request.user).select_related(
        "org_unit", "job_family", "site", "manager"
    )
    return form, filter_directory(people, data)


@login_required
def directory(request: HttpRequest) -> HttpResponse:
    me = person_of(request.user)
    if not may_list_people(request.user) and me is not None:
        return redirect("people:detail", pk=me.pk)  # nobody else to list: their own record
    form, people = _directory_people(request)
    page, query = page_of(request, people)
    return render(
        request,
        "people/directory.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "can_export": may_list_people(request.user),
        },
    )


@role_required(Role.LEAD, Role.MANAGER)
def directory_export(request: HttpRequest, file_format: str) -> HttpResponse:
    if file_format not in ("csv", "xlsx"):
        raise Http404
    _form, people = _directory_people(request)
    content, content_type = exports.people_file(people, "csv" if file_format == "csv" else "xlsx")
    response = HttpResponse(content, content_type=content_type)
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = content_disposition_header(
        True, file_name(pgettext("file name", "people"), stamp, extension=file_format)
    )
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(
        Person.objects.select_related(
            "org_unit", "job_family", "site", "manager", "user", "erasure"
        ),
        pk=pk,
    )
    person_guard(request.user, person)
    visible = Person.objects.visible_to(request.user)
    reports = visible.filter(manager=person).select_related("job_family")
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "reports": reports,
            "line_size": Person.objects.reporting_line_of(person).count(),
            "manager_visible": person.manager_id is not None
            and visible.filter(pk=person.manager_id).exists(),
            "roles": sorted(roles_of(person.user)) if person.user else [],
            "is_me": person_of(request.user) == person,
            "hub": hub_of(request.user, person),
            **_account(request, person),
        },
    )


def _account(request: HttpRequest, person: Person) -> dict[str, object]:
    """For the lead: the roles to tick and the invitation link while the password is unset."""
    if not may_give_roles(request.user):
        return {}
    user = person.user
    return {
        "given_roles": [(r.value, r.label) for r in GIVEN_ROLES],
        "checked_roles": roles_of(user) if user is not None else default_roles(person),
        "invitation": request.build_absolute_uri(invitation_path(user))
        if user is not None and not user.has_usable_password()
        else "",
    }


@login_required
def org_chart(request: HttpRequest) -> HttpResponse:
    visible_heads = set(
        Person.objects.visible_to(request.user)
        .filter(headed_units__isnull=False)
        .values_list("pk", flat=True)
    )
    # A head is named to those who may read their record, and everyone sees their own manager
    # (named, not opened). A unit opens the directory filtered on it for those who may list.
    me = person_of(request.user)
    own_manager = me.manager_id if me is not None else None
    return render(
        request,
        "people/org_chart.html",
        {
            "units": chart_units(),
            "visible_heads": visible_heads,
            "own_manager": own_manager,
            "may_list": may_list_people(request.user),
        },
    )


@role_required(Role.LEAD)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = PeopleUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = preview_people_file(content, upload.name, {})
        if report.file_problems and not report.kind:  # not read at all: nothing to keep
            for problem in report.file_problems:
                form.add_error("file", problem)
            recent = PeopleImport.objects.select_related("uploaded_by").defer("content")[:10]
            return render(request, "people/import_upload.html", {"form": form, "recent": recent})
        batch = PeopleImport.objects.create(
            filename=upload.name,
            content=content,
            report=report.as_dict(),
            uploaded_by=request.user if request.user.is_authenticated else None,
        )
        return redirect("people:import_preview", pk=batch.pk)
    recent = PeopleImport.objects.select_related("uploaded_by").defer("content")[:10]
    return render(request, "people/import_upload.html", {"form": form, "recent": recent})


@role_required(Role.LEAD)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    batch = get_object_or_404(PeopleImport, pk=pk)
    report = ImportReport.from_dict(batch.report)
    headers = sorted(set(report.unknown_headers) | set(batch.mapping))
    mapping_form = ColumnMappingForm(request.POST or None, headers=headers, mapping=batch.mapping)
    action = request.POST.get("action")
    if request.method == "POST" and batch.status != PeopleImport.Status.PREVIEW:
        messages.error(request, _("This file was already handled; upload it again to re-import."))
        return redirect("people:import_preview", pk=batch.pk)
    if action == "remap" and mapping_form.is_valid():
        batch.mapping = mapping_form.mapping()
        batch.report = preview_people_file(
            bytes(batch.content), batch.filename, batch.mapping
        ).as_dict()
        batch.save(update_fields=["mapping", "report"])
        return redirect("people:import_preview", pk=batch.pk)
    if action in ("import_all", "import_valid"):
        valid_only = action == "import_valid"
        report = import_people_file(
            bytes(batch.content), batch.filename, batch.mapping, valid_only=valid_only
        )
        batch.report = report.as_dict()
        if report.written:
            batch.status, batch.valid_only = PeopleImport.Status.IMPORTED, valid_only
            batch.imported_at = timezone.now()
            messages.success(
                request,
                _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "created": report.to_create,
                    "updated": report.to_update,
                    "unchanged": report.unchanged,
                },
            )
        else:
            messages.error(
                request,
                _(
                    "Nothing was imported: the file has rejected rows. "
                    "Correct them, or import only the valid rows."
                ),
            )
        batch.save(update_fields=["report", "status", "valid_only", "imported_at"])
        return redirect("people:import_preview", pk=batch.pk)
    if action == "cancel":
        batch.status = PeopleImport.Status.CANCELLED
        batch.save(update_fields=["status"])
        return redirect("people:import_upload")
    return render(
        request,
        "people/import_preview.html",
        {
            "batch": batch,
            "report": report,
            "mapping_form": mapping_form,
            "problems": report.problems[:500],
            "more_problems": max(len(report.problems) - 500, 0),
        },
    )
