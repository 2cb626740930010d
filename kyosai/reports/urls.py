from django.urls import path

from kyosai.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.build_list, name="builds"),
    path("builds/<int:pk>/", views.build_detail, name="build"),
    path("builds/<int:pk>/status.json", views.build_status, name="build_status"),
    path("builds/<int:pk>/report.<str:fmt>", views.build_download, name="download"),
    path("overview/<str:period>/", views.overview, name="overview"),
    path("overview/topics/<int:pk>/edit/", views.overview_edit, name="overview_edit"),
    path("overview/topics/<int:pk>/delete/", views.overview_delete, name="overview_delete"),
    path("editions/", views.edition_list, name="editions"),
    path("editions/<str:period>/", views.edition_detail, name="edition"),
    path("editions/<str:period>/months/", views.edition_months, name="edition_months"),
    path("editions/<str:period>/narratives/<str:key>/", views.narrative_edit, name="narrative"),
]
