from django.urls import path

from tremplin.voice import idea_views, views

app_name = "voice"
urlpatterns = [
    path("surveys/", views.surveys, name="surveys"),
    path("surveys/new/", views.survey_new, name="survey_new"),
    path("surveys/<id:pk>/", views.survey, name="survey"),
    path("surveys/<id:pk>/action/", views.survey_action, name="survey_action"),
    path("surveys/<id:pk>/questions/new/", views.question_edit, name="question_new"),
    path("surveys/<id:pk>/questions/<id:question>/", views.question_edit, name="question_edit"),
    path("surveys/<id:pk>/answer/", views.answer, name="answer"),
    path("surveys/<id:pk>/results/", views.results, name="results"),
    path("surveys/<id:pk>/network/", views.network, name="network"),
    path("ideas/", idea_views.ideas, name="ideas"),
    path("ideas/new/", idea_views.idea_new, name="idea_new"),
    path("ideas/alike/", idea_views.alike, name="alike"),
    path("ideas/<id:pk>/", idea_views.idea, name="idea"),
    path("ideas/<id:pk>/action/", idea_views.idea_action, name="idea_action"),
]
