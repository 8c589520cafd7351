from django.urls import path

from tremplin.insights import views

app_name = "insights"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("heatmap/", views.heatmap, name="heatmap"),
    path("refresh/", views.refresh, name="refresh"),
]
