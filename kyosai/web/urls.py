from django.urls import path

from kyosai.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("scorecard/", views.scorecard, name="scorecard"),
    path("groups/<str:code>/", views.item_detail, {"by": "group"}, name="group"),
    path("products/<str:code>/", views.item_detail, {"by": "product"}, name="product"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("branches/", views.branch_list, name="branches"),
    path("branches/<str:code>/", views.branch_detail, name="branch"),
    path("unions/<str:code>/", views.union_detail, name="union"),
]
