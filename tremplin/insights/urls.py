from django.urls import path

from tremplin.insights import reports, views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("distribution/", views.distribution, name="distribution"),
    path("progression/", views.progression, name="progression"),
    path("compare/", views.compare, name="compare"),
    path("report/", reports.report, name="report"),
    path("settings/", views.settings, name="settings"),
    path("refresh/", views.refresh, name="refresh"),
]
