from django.urls import path

from tremplin.people import account_views, views

app_name = "people"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("export.<str:file_format>", views.directory_export, name="export"),
    path("org-chart/", views.org_chart, name="org_chart"),
    path("import/", views.import_upload, name="import_upload"),
    path("import/<id:pk>/", views.import_preview, name="import_preview"),
    path("<id:pk>/", views.person_detail, name="detail"),
    path("<id:pk>/account/", account_views.person_account, name="account"),
    path("accounts/", account_views.accounts, name="accounts"),
    path("accounts/invitations.csv", account_views.invitations, name="invitations"),
]
