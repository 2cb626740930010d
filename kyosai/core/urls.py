from django.urls import path

from kyosai.core import views

app_name = "audit"
urlpatterns = [
    path("", views.audit_list, name="list"),
]
