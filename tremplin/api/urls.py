from django.urls import path

from tremplin.api import views

app_name = "api_tokens"
urlpatterns = [path("tokens/", views.tokens_page, name="tokens")]
