from django.urls import path

from kyosai.results import views

app_name = "results"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("apply/", views.apply, name="apply"),
    path("<int:pk>/revert/", views.revert, name="revert"),
    path("templates/<str:dataset>.<str:fmt>", views.template, name="template"),
    path("targets/", views.target_history, name="target_history"),
]
