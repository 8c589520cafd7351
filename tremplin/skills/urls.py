from django.urls import path

from tremplin.skills import views

app_name = "skills"
urlpatterns = [
    path("", views.framework_browser, name="browser"),
    path("<int:framework_id>/", views.framework_browser, name="framework"),
    path("<int:framework_id>/export.<str:file_format>", views.framework_export, name="export"),
    path("import/", views.framework_import, name="import"),
    path("competence/<int:pk>/", views.competence_detail, name="competence"),
    path("targets/", views.targets_index, name="targets"),
    path(
        "targets/<int:framework_id>/<int:job_family_id>/", views.targets_edit, name="targets_edit"
    ),
]
