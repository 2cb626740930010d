from django.urls import path

from kyosai.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="plan"),
    path("<int:pk>/export.xlsx", views.plan_export, name="export"),
    path("<int:pk>/carry-over/", views.carry_over, name="carry_over"),
    path("summary/<str:period>/<str:owner>/", views.plan_summary, name="summary"),
    path("matrix/<str:period>/", views.branch_matrix, name="matrix"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/statuses/", views.status_add, name="status_add"),
    path("items/<int:pk>/rating/", views.item_rating, name="rating"),
    path("items/<int:pk>/next-actions/", views.item_next_actions, name="next_actions"),
    path("statuses/<int:pk>/edit/", views.status_edit, name="status_edit"),
    path("statuses/<int:pk>/delete/", views.status_delete, name="status_delete"),
]
