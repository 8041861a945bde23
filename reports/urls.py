"""URLs of the annual summary, under /reports/ (namespace "reports")."""

from importlib.util import find_spec

from django.urls import include, path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.summary_index, name="index"),
    path("<int:federation_id>/<int:year>/", views.summary_page, name="summary"),
    path("<int:federation_id>/<int:year>/pdf/", views.summary_pdf, name="summary-pdf"),
    path("<int:federation_id>/<int:year>/edit/", views.summary_edit, name="summary-edit"),
    path("<int:federation_id>/<int:year>/drill/<slug:key>/", views.drill_indicator, name="drill"),
    path(
        "<int:federation_id>/<int:year>/drill/by/<slug:key>/",
        views.drill_breakdown,
        name="drill-breakdown",
    ),
]

# The XLSX download and finalised versions (another module) join this namespace once they exist.
if find_spec("reports.version_urls") is not None:
    urlpatterns.append(path("", include("reports.version_urls")))
