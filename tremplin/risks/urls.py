from django.urls import path

from tremplin.risks import views

app_name = "risks"
urlpatterns = [
    path("", views.diagnostics, name="diagnostics"),
    path("new/", views.diagnostic_new, name="diagnostic_new"),
    path("<id:pk>/", views.diagnostic, name="diagnostic"),
    path("lines/<id:pk>/", views.line, name="line"),
    path("register/", views.register, name="register"),
    path("register/v<id:number>.<str:file_format>", views.version_export, name="version_export"),
]
