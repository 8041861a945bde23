"""Pages that queue a job (the summary's PDF, workbook, 定稿) answer with a redirect to the job's page;
with no broker (the suite) the job has run by then."""

from django.http import HttpResponse
from django.urls import resolve, reverse

from federation.models import ExportJob


def job_of(response) -> ExportJob:
    assert response.status_code == 302, response.status_code
    match = resolve(response["Location"])
    assert match.view_name == "exports:detail", response["Location"]
    return ExportJob.objects.get(pk=match.kwargs["pk"])


def job_download(client, response):
    """The file of the job `response` sent its user to, read into a plain response (`.content`)."""
    job = job_of(response)
    assert job.status == ExportJob.Status.DONE, job.message
    download = client.get(reverse("exports:download", args=[job.pk]))
    plain = HttpResponse(b"".join(download.streaming_content), status=download.status_code)
    for header, value in download.items():
        plain[header] = value
    return plain
