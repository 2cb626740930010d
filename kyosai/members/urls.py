from django.urls import path

from kyosai.members import views

app_name = "members"
urlpatterns = [
    path("members/", views.national_members, name="national"),
    path("branches/<str:code>/members/", views.branch_members, name="branch"),
    path("unions/<str:code>/members/", views.union_members, name="union"),
    path("unions/<str:code>/members/<int:member_id>/mark/", views.mark, name="mark"),
]
