from django.urls import path

from tremplin.engagement import views

app_name = "engagement"
urlpatterns = [path("prompt-coach/", views.coach, name="coach")]
