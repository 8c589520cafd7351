from django.urls import path

from tremplin.assessments import campaign_views, quiz_views, reassessment_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.overview, name="overview"),
    path(
        "campaigns/<id:campaign_id>/people/<id:person_id>/<str:source>/",
        views.assess,
        name="assess",
    ),
    path("people/<id:person_id>/", views.person_levels, name="person"),
    path("ratings/<id:rating_id>/file/", views.evidence_file, name="evidence_file"),
    path("campaigns/", campaign_views.campaigns, name="campaigns"),
    path("campaigns/new/", campaign_views.campaign_new, name="campaign_new"),
    path("campaigns/<id:pk>/", campaign_views.campaign_detail, name="campaign"),
    path("campaigns/<id:pk>/edit/", campaign_views.campaign_edit, name="campaign_edit"),
    path("campaigns/<id:pk>/close/", campaign_views.campaign_close, name="campaign_close"),
    path("campaigns/<id:pk>/remind/", campaign_views.campaign_remind, name="campaign_remind"),
    path("interviews/", views.interviews, name="interviews"),
    path("to-reassess/", reassessment_views.reassessments, name="reassessments"),
    path("to-reassess/<id:pk>/<str:source>/", reassessment_views.reassess, name="reassess"),
    path("interviews/new/<id:person_id>/", views.interview_new, name="interview_new"),
    path("interviews/<id:pk>/", views.interview, name="interview"),
    path("quiz/start/", quiz_views.quiz_start, name="quiz_start"),
    path("quiz/<id:pk>/", quiz_views.quiz_question, name="quiz"),
    path("quiz/<id:pk>/result/", quiz_views.quiz_result, name="quiz_result"),
    path("items/", quiz_views.item_bank, name="bank"),
    path("items/export.<str:kind>", quiz_views.bank_export, name="bank_export"),
    path("items/new/", quiz_views.item_edit, name="item_new"),
    path("items/<id:pk>/", quiz_views.item_edit, name="item_edit"),
    path("quiz/settings/", quiz_views.quiz_settings, name="quiz_settings"),
    path("calibration/", quiz_views.calibration, name="calibration"),
    path("calibration/<id:pk>/", quiz_views.calibration_run, name="calibration_run"),
]
