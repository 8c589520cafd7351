from django.urls import path

from tremplin.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.preferences, name="preferences"),
    path("outbox/", views.outbox_report, name="outbox"),
]
