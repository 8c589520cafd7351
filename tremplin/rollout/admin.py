from django.contrib import admin

from tremplin.rollout.models import Wave


@admin.register(Wave)
class WaveAdmin(admin.ModelAdmin[Wave]):
    list_display = ["name", "pilot", "starts_on"]
    filter_horizontal = ["units"]
    raw_id_fields = ["people"]
