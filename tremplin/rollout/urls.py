from django.urls import path

from tremplin.rollout import communication_views, roadmap_views, views

app_name = "rollout"
urlpatterns = [
    path("waves/", views.waves, name="waves"),
    path("waves/new/", views.wave_edit, name="wave_new"),
    path("waves/<id:pk>/", views.wave_edit, name="wave_edit"),
    path("waves/<id:pk>/delete/", views.wave_delete, name="wave_delete"),
    path("waves/<id:pk>/readiness/", views.readiness, name="readiness"),
    path("roadmap/", roadmap_views.roadmap, name="roadmap"),
    path("roadmap/steps/<id:pk>/", roadmap_views.step_edit, name="step_edit"),
    path("roadmap/timeline/", roadmap_views.roadmap_timeline, name="timeline"),
    path("communications/", communication_views.calendar, name="communications"),
    path("communications/new/", communication_views.communication_edit, name="communication_new"),
    path(
        "communications/<id:pk>/",
        communication_views.communication_edit,
        name="communication_edit",
    ),
    path(
        "communications/<id:pk>/action/",
        communication_views.communication_action,
        name="communication_action",
    ),
]
