from django.contrib import admin

from tremplin.people.models import JobFamily, OrgUnit, PeopleImport, Person, RoleAssignment, Site


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["employee_id", "last_name", "first_name", "org_unit", "job_family", "active"]
    search_fields = ["employee_id", "last_name", "first_name", "email"]
    list_filter = ["active", "site", "job_family"]
    raw_id_fields = ["manager", "user", "org_unit"]


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
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
