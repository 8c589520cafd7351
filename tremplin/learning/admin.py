from django.contrib import admin

from tremplin.learning.models import Module, ModuleRaise, PlanSettings, UnitBudget


class ModuleRaiseInline(admin.TabularInline):
    model = ModuleRaise
    extra = 0


@admin.register(Module)
class ModuleAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "title_fr",
        "type",
        "format",
        "duration_hours",
        "cost_per_seat",
        "active",
    ]
    list_filter = ["type", "format", "active"]
    search_fields = ["code", "title_fr", "title_en"]
    filter_horizontal = ["prerequisites"]
    inlines = [ModuleRaiseInline]


@admin.register(UnitBudget)
class UnitBudgetAdmin(admin.ModelAdmin):
    list_display = ["org_unit", "year", "amount"]
    list_filter = ["year"]


admin.site.register(PlanSettings)
