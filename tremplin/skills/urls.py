from django.urls import path

from tremplin.skills import views

app_name = "skills"
urlpatterns = [
    path("", views.framework_browser, name="browser"),
    path("<id:framework_id>/", views.framework_browser, name="framework"),
    path("<id:framework_id>/export.<str:file_format>", views.framework_export, name="export"),
    path("import/", views.framework_import, name="import"),
    path("competence/<id:pk>/", views.competence_detail, name="competence"),
    path("targets/", views.targets_index, name="targets"),
    path("targets/<id:framework_id>/<id:job_family_id>/", views.targets_edit, name="targets_edit"),
]
