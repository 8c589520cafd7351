from django.urls import path

from tremplin.insights import published_views, reports, usage_views, views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("distribution/", views.distribution, name="distribution"),
    path("progression/", views.progression, name="progression"),
    path("compare/", views.compare, name="compare"),
    path("published/", published_views.published, name="published"),
    path("plans/", published_views.plans, name="plans"),
    path("report/", reports.report, name="report"),
    path("settings/", views.settings, name="settings"),
    path("refresh/", views.refresh, name="refresh"),
    path("usage/", usage_views.usage, name="usage"),
]
