from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from kyosai.api import views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # our template: drf-spectacular's without its inline <style> (the CSP allows none)
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema",
                                                      template_name="api/swagger_ui.html"),
         name="docs"),
    path("v1/scorecard/", views.ScorecardView.as_view(), name="scorecard"),
    path("v1/branches/", views.BranchList.as_view(), name="branches"),
    path("v1/unions/", views.UnionList.as_view(), name="unions"),
    path("v1/products/", views.ProductList.as_view(), name="products"),
    path("v1/plans/<str:period>/items/", views.PlanItemList.as_view(), name="plan-items"),
    path("v1/imports/", views.ImportLogList.as_view(), name="imports"),
    path("v1/imports/results/", views.ResultsImport.as_view(), name="import-results"),
    path("v1/imports/targets/", views.TargetsImport.as_view(), name="import-targets"),
]
