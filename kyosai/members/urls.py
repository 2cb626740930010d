from django.urls import path

from kyosai.members import campaign_views, lifecycle_views, views

app_name = "members"
urlpatterns = [
    path("members/", views.national_members, name="national"),
    path("branches/<str:code>/members/", views.branch_members, name="branch"),
    path("unions/<str:code>/members/", views.union_members, name="union"),
    path("unions/<str:code>/members/<int:member_id>/mark/", views.mark, name="mark"),
    path("members/transition/", lifecycle_views.national_transition, name="transition-national"),
    path("branches/<str:code>/transition/", lifecycle_views.branch_transition,
         name="transition-branch"),
    path("unions/<str:code>/transition/", lifecycle_views.union_transition,
         name="transition-union"),
    path("members/inspections/", campaign_views.national_inspections,
         name="inspections-national"),
    path("branches/<str:code>/inspections/", campaign_views.branch_inspections,
         name="inspections-branch"),
    path("unions/<str:code>/inspections/", campaign_views.union_inspections,
         name="inspections-union"),
    path("branches/<str:code>/newhires/", campaign_views.branch_newhires, name="newhires-branch"),
    path("unions/<str:code>/newhires/", campaign_views.union_newhires, name="newhires-union"),
    path("forms/preprinted/", campaign_views.preprinted_forms, name="preprinted"),
]
