from django.urls import path

from kyosai.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.index, name="index"),
    path("branches/<str:code>/", views.branch_page, name="branch"),
    path("new/", views.entry_create, name="create"),
    path("<int:pk>/edit/", views.entry_edit, name="edit"),
    path("support/", views.support_list, name="support"),
    path("support/new/", views.support_create, name="support_create"),
]
