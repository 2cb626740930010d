from django.urls import path

from kyosai.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.index, name="index"),
    path("designations/", views.designation_list, name="designations"),
    path("<slug:kind>/", views.table, name="table"),
    path("<slug:kind>/new/", views.row_create, name="create"),
    path("<slug:kind>/<int:pk>/edit/", views.row_edit, name="edit"),
]
