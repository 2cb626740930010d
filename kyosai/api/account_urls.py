from django.urls import path

from kyosai.api import pages

app_name = "api-tokens"
urlpatterns = [
    path("", pages.tokens, name="list"),
    path("<int:pk>/revoke/", pages.revoke, name="revoke"),
]
