"""URLs of the annual summary, under /reports/ (namespace "reports")."""

from django.urls import path

from reports.views import statistics, summary, versions

app_name = "reports"
urlpatterns = [
    path("", summary.summary_index, name="index"),
    # The union statistical return (工会统计年报) of a statistical year (1 Oct Y−1 – 30 Sep Y).
    path("statistics/", statistics.return_index, name="statistics-index"),
    path("<int:federation_id>/<int:year>/statistics/", statistics.return_page, name="statistics"),
    path("<int:federation_id>/<int:year>/statistics/xlsx/", statistics.return_xlsx, name="statistics-xlsx"),
    path("<int:federation_id>/<int:year>/", summary.summary_page, name="summary"),
    path("<int:federation_id>/<int:year>/pdf/", summary.summary_pdf, name="summary-pdf"),
    path("<int:federation_id>/<int:year>/docx/", summary.summary_docx, name="summary-docx"),
    path("<int:federation_id>/<int:year>/edit/", summary.summary_edit, name="summary-edit"),
    path("<int:federation_id>/<int:year>/drill/<slug:key>/", summary.drill_indicator, name="drill"),
    path(
        "<int:federation_id>/<int:year>/drill/by/<slug:key>/",
        summary.drill_breakdown,
        name="drill-breakdown",
    ),
    # The live workbook and the finalised versions.
    path("<int:federation_id>/<int:year>/xlsx/", versions.summary_xlsx, name="summary-xlsx"),
    path("<int:federation_id>/<int:year>/finalise/", versions.summary_finalise, name="summary-finalise"),
    path("<int:federation_id>/<int:year>/reopen/", versions.summary_reopen, name="summary-reopen"),
    path("<int:federation_id>/<int:year>/versions/", versions.summary_versions, name="summary-versions"),
    path(
        "<int:federation_id>/<int:year>/versions/<int:number>/pdf/",
        versions.version_pdf,
        name="version-pdf",
    ),
    path(
        "<int:federation_id>/<int:year>/versions/<int:number>/docx/",
        versions.version_docx,
        name="version-docx",
    ),
    path(
        "<int:federation_id>/<int:year>/versions/<int:number>/xlsx/",
        versions.version_xlsx,
        name="version-xlsx",
    ),
]
