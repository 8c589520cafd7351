from django.urls import path

from tremplin.learning import group_views, session_pdfs, session_views, views

app_name = "learning"

urlpatterns = [
    path("", views.my_development, name="mine"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("catalogue/import/", views.catalogue_import, name="catalogue_import"),
    path("catalogue/export.<str:kind>", views.catalogue_export, name="catalogue_export"),
    path("people/<id:person_id>/", views.person_development, name="person"),
    path("people/<id:person_id>/generate/", views.plan_generate, name="generate"),
    path("plans/", views.plans, name="plans"),
    path("plans/<id:pk>/", views.plan_detail, name="plan"),
    path("plans/<id:pk>/action/", views.plan_action, name="plan_action"),
    path("gaps/team/", views.team_gaps, name="team_gaps"),
    path("gaps/company/", views.company, name="company_gaps"),
    path("settings/", views.plan_settings, name="settings"),
    path("generate/", views.generate_population, name="generate_population"),
    path("generate/<id:pk>/", views.run, name="run"),
    path("sessions/", session_views.sessions, name="sessions"),
    path("sessions/new/", session_views.session_new, name="session_new"),
    path("sessions/groups/", group_views.session_groups, name="session_groups"),
    path("sessions/appetite/", group_views.appetite, name="appetite"),
    path("sessions/days-away/", group_views.days_away, name="days_away"),
    path("sessions/<id:pk>/", session_views.session_detail, name="session"),
    path("sessions/<id:pk>/action/", session_views.session_action, name="session_action"),
    path("sessions/<id:pk>/attendance.pdf", session_pdfs.attendance_sheet, name="session_sheet"),
    path(
        "sessions/<id:pk>/certificates/<id:person_id>.pdf",
        session_pdfs.certificate,
        name="session_certificate",
    ),
]
