"""URLs of the work summary, under /reports/ (namespace "reports").

The annual summary of a federation and year lives under /reports/<federation>/<year>/; its half-year
twin (上半年工作总结) under /reports/<federation>/<year>/h1/ with the same pages, the same names and the
same views (which take `kind`): reverse("reports:summary", args=[fid, year]) is the annual page,
args=[fid, year, "h1"] the half-year's (reports.summary.periods.summary_args)."""

from django.urls import path, register_converter

from reports.views import statistics, summary, versions


class HalfConverter:
    """The half-year a summary may cover besides the year: only the first (上半年) for now."""

    regex = "h1"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(HalfConverter, "half")

# The pages of one summary: (path under the summary, view, name).
SUMMARY_PAGES = [
    ("", summary.summary_page, "summary"),
    ("pdf/", summary.summary_pdf, "summary-pdf"),
    ("docx/", summary.summary_docx, "summary-docx"),
    ("edit/", summary.summary_edit, "summary-edit"),
    ("preview/", summary.summary_preview, "summary-preview"),
    ("drill/<slug:key>/", summary.drill_indicator, "drill"),
    ("drill/by/<slug:key>/", summary.drill_breakdown, "drill-breakdown"),
    # The live workbook and the finalised versions.
    ("xlsx/", versions.summary_xlsx, "summary-xlsx"),
    ("finalise/", versions.summary_finalise, "summary-finalise"),
    ("reopen/", versions.summary_reopen, "summary-reopen"),
    ("versions/", versions.summary_versions, "summary-versions"),
    ("versions/<int:number>/pdf/", versions.version_pdf, "version-pdf"),
    ("versions/<int:number>/docx/", versions.version_docx, "version-docx"),
    ("versions/<int:number>/xlsx/", versions.version_xlsx, "version-xlsx"),
]

app_name = "reports"
urlpatterns = [
    path("", summary.summary_index, name="index"),
    # The union statistical return (工会统计年报) of a statistical year (1 Oct Y−1 – 30 Sep Y).
    path("statistics/", statistics.return_index, name="statistics-index"),
    path("<int:federation_id>/<int:year>/statistics/", statistics.return_page, name="statistics"),
    path("<int:federation_id>/<int:year>/statistics/xlsx/", statistics.return_xlsx, name="statistics-xlsx"),
    *(path(f"<int:federation_id>/<int:year>/{tail}", view, name=name) for tail, view, name in SUMMARY_PAGES),
    *(
        path(f"<int:federation_id>/<int:year>/<half:kind>/{tail}", view, name=name)
        for tail, view, name in SUMMARY_PAGES
    ),
    # A grassroots union's own summary (issue 15): the same pages under /reports/union/<union>/<year>/,
    # named with the prefix "union-" (reports.subjects.url).
    *(
        path(f"union/<int:union_id>/<int:year>/{tail}", view, name=f"union-{name}")
        for tail, view, name in SUMMARY_PAGES
    ),
    *(
        path(f"union/<int:union_id>/<int:year>/<half:kind>/{tail}", view, name=f"union-{name}")
        for tail, view, name in SUMMARY_PAGES
    ),
]
