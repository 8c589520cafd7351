from django.urls import path

from tremplin.rollout import roadmap_views, views

app_name = "rollout"
urlpatterns = [
    path("waves/", views.waves, name="waves"),
    path("waves/new/", views.wave_edit, name="wave_new"),
    path("waves/<int:pk>/", views.wave_edit, name="wave_edit"),
    path("waves/<int:pk>/delete/", views.wave_delete, name="wave_delete"),
    path("waves/<int:pk>/readiness/", views.readiness, name="readiness"),
    path("roadmap/", roadmap_views.roadmap, name="roadmap"),
    path("roadmap/steps/<int:pk>/", roadmap_views.step_edit, name="step_edit"),
    path("roadmap/timeline/", roadmap_views.roadmap_timeline, name="timeline"),
]
