from django.urls import path

from tremplin.governance import views

app_name = "governance"
urlpatterns = [
    path("charter/", views.charter, name="charter"),
    path("charter/action/", views.charter_action, name="charter_action"),
    path("systems/", views.systems, name="systems"),
    path("systems/new/", views.system, name="system_new"),
    path("systems/<id:pk>/", views.system, name="system"),
    path("council/", views.council, name="council"),
    path("council/<id:pk>/", views.council, name="council_event"),
    path("observatory/", views.observatory, name="observatory"),
    path("article-4/", views.register, name="register"),
    path("observatory/<id:family>/", views.impact, name="impact"),
]
