from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tremplin.people.models import JobFamily, OrgUnit, PeopleImport, Person, RoleAssignment, Site
from tremplin.people.services import refresh_reporting_paths, refresh_unit_paths


class PersonForm(forms.ModelForm[Person]):
    def clean_manager(self) -> Person | None:
        manager = self.cleaned_data.get("manager")
        me = self.instance
        # The stored reporting paths say who is above whom (kept current by KeepsPaths).
        if manager is not None and me.pk and (manager.pk == me.pk or manager.reports_to(me)):
            raise forms.ValidationError(_("This manager reports to this person: a loop."))
        return manager


class OrgUnitForm(forms.ModelForm[OrgUnit]):
    def clean_parent(self) -> OrgUnit | None:
        parent = self.cleaned_data.get("parent")
        unit = self.instance
        if parent is not None and unit.pk and parent.path.startswith(unit.path):
            raise forms.ValidationError(_("This unit lies under this one: a loop."))
        return parent


class KeepsPaths(admin.ModelAdmin):
    """Every change made here rebuilds the materialised paths that the visibility rules read,
    in the same transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            _refresh_paths()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            super().delete_model(request, obj)
            _refresh_paths()

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        with transaction.atomic():
            super().delete_queryset(request, queryset)
            _refresh_paths()


def _refresh_paths() -> None:
    refresh_unit_paths()
    refresh_reporting_paths()


@admin.register(Person)
class PersonAdmin(KeepsPaths):
    form = PersonForm
    list_display = ["employee_id", "last_name", "first_name", "org_unit", "job_family", "active"]
    search_fields = ["employee_id", "last_name", "first_name", "email"]
    list_filter = ["active", "site", "job_family"]
    raw_id_fields = ["manager", "user", "org_unit"]


@admin.register(OrgUnit)
class OrgUnitAdmin(KeepsPaths):
    form = OrgUnitForm
    list_display = ["code", "name", "parent", "site"]
    search_fields = ["code", "name"]
    raw_id_fields = ["head", "parent"]


admin.site.register(JobFamily)
admin.site.register(Site)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ["user", "role"]
    list_filter = ["role"]


@admin.register(PeopleImport)
class PeopleImportAdmin(admin.ModelAdmin):
    list_display = ["filename", "status", "uploaded_by", "created_at"]
    exclude = ["content"]
    readonly_fields = ["filename", "report", "status", "uploaded_by", "imported_at", "mapping"]
