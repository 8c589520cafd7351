from django.contrib import admin

from tremplin.insights.models import InsightSettings


@admin.register(InsightSettings)
class InsightSettingsAdmin(admin.ModelAdmin[InsightSettings]):
    list_display = ["__str__", "min_group_size"]
