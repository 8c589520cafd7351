from django.contrib import admin
from django.urls import include, path

from tremplin import paths, start, views
from tremplin.api.routes import api
from tremplin.notifications import views as notification_views
from tremplin.people import account_views
from tremplin.people.sso_sign_out import SignOut

paths.register()  # the "id" converter, before the applications' URLs below are read

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon),
    path("login/", views.TremplinLoginView.as_view(), name="login"),
    path("start/", start.start, name="start"),
    path("start/framework/", start.start_framework, name="start_framework"),
    path("start/catalogue/", start.start_catalogue, name="start_catalogue"),
    path("logout/", SignOut.as_view(), name="logout"),
    path("welcome/<uidb64>/<token>/", account_views.Welcome.as_view(), name="welcome"),
    path("sso/", include("tremplin.people.sso")),  # single sign-on; 404 when not set up
    path("i18n/", include("django.conf.urls.i18n")),
    path("people/", include("tremplin.people.urls")),
    path("framework/", include("tremplin.skills.urls")),
    path("assessments/", include("tremplin.assessments.urls")),
    path("development/", include("tremplin.learning.urls")),
    path("rollout/", include("tremplin.rollout.urls")),
    path("insights/", include("tremplin.insights.urls")),
    path("voice/", include("tremplin.voice.urls")),
    path("engagement/", include("tremplin.engagement.urls")),
    path("governance/", include("tremplin.governance.urls")),
    path("risks/", include("tremplin.risks.urls")),
    path("data-protection/", include("tremplin.accountability.urls")),
    path("api/v1/", api.urls),
    path("api/", include("tremplin.api.urls")),
    path("account/emails/", include("tremplin.notifications.urls")),
    path("calendar/<str:token>.ics", notification_views.calendar_feed, name="calendar_feed"),
    path("admin/", admin.site.urls),
]
