from django.urls import path

from tremplin.rollout import views

app_name = "rollout"
urlpatterns = [
    path("waves/", views.waves, name="waves"),
    path("waves/new/", views.wave_edit, name="wave_new"),
    path("waves/<int:pk>/", views.wave_edit, name="wave_edit"),
    path("waves/<int:pk>/delete/", views.wave_delete, name="wave_delete"),
]
