from django.urls import path

from tremplin.engagement import (
    ambassador_views,
    badge_views,
    challenge_views,
    community_views,
    mentoring_views,
    views,
)

app_name = "engagement"
urlpatterns = [
    path("", views.home, name="home"),
    path("prompt-coach/", views.coach, name="coach"),
    path("ambassadors/", ambassador_views.ambassadors, name="ambassadors"),
    path("ambassadors/new/", ambassador_views.ambassador_new, name="ambassador_new"),
    path("ambassadors/mine/", ambassador_views.mine, name="my_ambassadorship"),
    path("ambassadors/<id:pk>/", ambassador_views.ambassador, name="ambassador"),
    path(
        "ambassadors/<id:pk>/action/", ambassador_views.ambassador_action, name="ambassador_action"
    ),
    path("mentoring/", mentoring_views.mentoring, name="mentoring"),
    path("mentoring/pairs/", mentoring_views.pairs, name="pairs"),
    path("mentoring/<id:pk>/", mentoring_views.pair, name="pair"),
    path("mentoring/<id:pk>/action/", mentoring_views.pair_action, name="pair_action"),
    path("communities/", community_views.communities, name="communities"),
    path("communities/<id:pk>/", community_views.community, name="community"),
    path("communities/<id:pk>/action/", community_views.community_action, name="community_action"),
    path("challenges/", challenge_views.challenges, name="challenges"),
    path("challenges/<id:pk>/", challenge_views.challenge, name="challenge"),
    path("challenges/<id:pk>/action/", challenge_views.challenge_action, name="challenge_action"),
    path("badges/", badge_views.badges, name="badges"),
    path("badges/rotate/", badge_views.rotate, name="rotate"),
    path("badges/verify/", badge_views.verify, name="verify"),
    path("badges/issuer/", badge_views.issuer, name="issuer"),
    path("badges/issuer/keys/<str:kid>/", badge_views.issuer_key, name="issuer_key"),
    path("badges/revocations/", badge_views.revocations, name="revocations"),
    path("badges/credentials/<uuid:uid>/", badge_views.credential, name="credential"),
    path("badges/<slug:slug>/", badge_views.badge, name="badge"),
]
