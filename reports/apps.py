from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("年度工作总结")

    def ready(self) -> None:
        # The summary's PDF, Word document, workbook and 定稿 run as export jobs
        # (federation.exports.registry).
        from federation.exports.registry import register, register_job
        from reports import freshness, jobs
        from reports.summary import drill_export

        # Every write the summary counts marks the stored figures it changes (reports.indicators.stored).
        freshness.connect()

        register_job(jobs.PDF, jobs.SummaryPdf())
        register_job(jobs.DOCX, jobs.SummaryDocx())
        register_job(jobs.XLSX, jobs.SummaryXlsx())
        register_job(jobs.FINALISE, jobs.SummaryFinalise())
        # The drill-down's list export, written by a job when it is long.
        register(drill_export.DRILL, drill_export.drill_exporter)
