from django.urls import path

from tremplin.accountability import views

app_name = "accountability"
urlpatterns = [
    path("", views.home, name="home"),
    path("people/<id:pk>/", views.person, name="person"),
    path("people/<id:pk>/export.<str:file_format>", views.person_export, name="person_export"),
    path("mine.<str:file_format>", views.mine, name="mine"),
    path("audit/", views.audit, name="audit"),
    path("audit/export.<str:file_format>", views.audit_export, name="audit_export"),
]
