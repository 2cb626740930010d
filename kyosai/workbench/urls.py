from django.urls import path

from kyosai.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.index, name="index"),
    path("branches/<str:code>/", views.branch_page, name="branch"),
    path("new/", views.entry_create, name="create"),
    path("support/new/", views.support_create, name="support_create"),
]
