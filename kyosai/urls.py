"""Root URLs: each bounded context mounts its own urls module."""

from django.contrib import admin
from django.urls import include, path

#: A 400 states what was wrong (the BadRequest's Japanese message) on the site's own page.
handler400 = "kyosai.web.errors.bad_request"
#: The site's own 404 and 500 pages; under /api/ both answer as the API does (`{"detail": …}`).
handler404 = "kyosai.web.errors.page_not_found"
handler500 = "kyosai.web.errors.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/tokens/", include("kyosai.api.account_urls")),
    path("accounts/", include("kyosai.accounts.urls")),
    path("plans/", include("kyosai.plans.urls")),
    path("activities/", include("kyosai.activities.urls")),
    path("activity-log/", include("kyosai.workbench.urls")),
    path("events/", include("kyosai.events.urls")),
    path("reports/", include("kyosai.reports.urls")),
    path("imports/", include("kyosai.results.urls")),
    path("api/", include("kyosai.api.urls")),
    path("delivery/", include("kyosai.delivery.urls")),
    path("audit/", include("kyosai.accounts.audit_urls")),
    path("", include("kyosai.members.urls")),
    path("", include("kyosai.web.urls")),
]
