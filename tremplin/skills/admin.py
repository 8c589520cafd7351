from django.contrib import admin

from tremplin.skills.models import Competence, Framework, JobFamilyTarget, LevelDescriptor


class LevelDescriptorInline(admin.TabularInline):
    model = LevelDescriptor
    extra = 0


@admin.register(Competence)
class CompetenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fr", "name_en", "tier", "framework"]
    list_filter = ["framework", "tier"]
    inlines = [LevelDescriptorInline]


admin.site.register(Framework)
admin.site.register(JobFamilyTarget)
