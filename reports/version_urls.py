"""URLs of the finalised versions and the live workbook. Included by reports.urls, inside its
"reports" namespace (so no app_name here)."""

from django.urls import path

from reports import version_views as views

urlpatterns = [
    path("<int:federation_id>/<int:year>/xlsx/", views.summary_xlsx, name="summary-xlsx"),
    path("<int:federation_id>/<int:year>/finalise/", views.summary_finalise, name="summary-finalise"),
    path("<int:federation_id>/<int:year>/reopen/", views.summary_reopen, name="summary-reopen"),
    path("<int:federation_id>/<int:year>/versions/", views.summary_versions, name="summary-versions"),
    path(
        "<int:federation_id>/<int:year>/versions/<int:number>/pdf/",
        views.version_pdf,
        name="version-pdf",
    ),
    path(
        "<int:federation_id>/<int:year>/versions/<int:number>/xlsx/",
        views.version_xlsx,
        name="version-xlsx",
    ),
]
